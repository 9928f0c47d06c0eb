#include "text.hpp"

#include <algorithm>
#include <cstdio>

namespace shm {

namespace {

// The length of the well-formed UTF-8 sequence at TEXT[AT] (RFC 3629: no overlongs, no surrogates, at most
// U+10FFFF), or 0 when the byte there does not start one.
size_t sequence_length(std::string_view text, size_t at) {
  const auto byte = [&](size_t i) { return i < text.size() ? (unsigned char)text[i] : 0u; };
  const unsigned c = byte(at);
  if (c < 0x80) return 1;
  const auto cont = [&](size_t i, unsigned lo = 0x80, unsigned hi = 0xbf) { return byte(i) >= lo && byte(i) <= hi; };
  if (c >= 0xc2 && c <= 0xdf) return cont(at + 1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const unsigned lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
    return cont(at + 1, lo, hi) && cont(at + 2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const unsigned lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
    return cont(at + 1, lo, hi) && cont(at + 2) && cont(at + 3) ? 4 : 0;
  }
  return 0;
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  for (size_t at = 0; at < text.size();) {
    const size_t n = sequence_length(text, at);
    if (!n) return false;
    at += n;
  }
  return true;
}

std::string valid_utf8(std::string_view text) {
  if (is_valid_utf8(text)) return std::string(text);
  std::string out;
  out.reserve(text.size() + 16);
  for (size_t at = 0; at < text.size();) {
    const size_t n = sequence_length(text, at);
    if (n) out.append(text.substr(at, n)), at += n;
    else out += "\xef\xbf\xbd", at++;
  }
  return out;
}

std::string quoted_bytes(std::string_view text) {
  std::string out = "\"";
  for (size_t at = 0; at < text.size();) {
    const unsigned char c = (unsigned char)text[at];
    const size_t n = sequence_length(text, at);
    if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (n == 0 || c < 0x20 || c == 0x7f) {
      char hex[8];
      snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    } else {
      out.append(text.substr(at, n));
      at += n;
      continue;
    }
    at++;
  }
  return out + "\"";
}

std::string shell_word(const std::string& word) {
  static const char kPlain[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:,+%@";
  if (!word.empty() && word.find_first_not_of(kPlain) == std::string::npos) return word;
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

bool is_shell_script(const std::vector<std::string>& argv) {
  return argv.size() == 3 && (argv[0] == "sh" || argv[0] == "/bin/sh") && argv[1] == "-c";
}

std::string shell_line(const std::vector<std::string>& argv) {
  if (is_shell_script(argv)) return argv[2];
  std::string line;
  for (const auto& word : argv) line += (line.empty() ? "" : " ") + shell_word(word);
  return line;
}

std::string json_text(const nlohmann::ordered_json& j, int indent) {
  return j.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string json_text(const nlohmann::json& j, int indent) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

namespace {

// Levenshtein distance, one row at a time.
size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); j++) row[j] = j;
  for (size_t i = 1; i <= a.size(); i++) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); j++) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string nearest_word(const std::string& word, const std::vector<std::string>& known, size_t below) {
  std::string best;
  for (const auto& k : known)
    if (const size_t d = edit_distance(word, k); d < below) best = k, below = d;
  return best;
}

}  // namespace shm
