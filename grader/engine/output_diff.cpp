#include "output_diff.hpp"

#include <algorithm>

#include "text.hpp"

namespace shm::engine {

namespace {

constexpr size_t kBefore = 24, kAfter = 48;  // the excerpt's window around a difference
constexpr size_t kRun = 8;                   // this many equal non-printable bytes are counted, not spelt out

bool printable(unsigned char c) { return c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7f); }

std::string byte_name(unsigned char c) {
  if (c == 0) return "NUL";
  char hex[8];
  snprintf(hex, sizeof hex, "0x%02x", c);
  return hex;
}

}  // namespace

std::string excerpt(std::string_view text, size_t cap) {
  std::string out, literal;
  auto part = [&](const std::string& p) { out += (out.empty() ? "" : " then ") + p; };
  auto flush = [&] {
    if (!literal.empty()) part(quoted_bytes(literal));
    literal.clear();
  };
  size_t at = 0, spent = 0;  // spent: bytes shown literally, and 8 for each counted run
  while (at < text.size() && spent < cap) {
    size_t run = 1;
    while (at + run < text.size() && text[at + run] == text[at]) run++;
    if (!printable((unsigned char)text[at]) && run >= kRun) {
      flush();
      part(std::to_string(run) + " " + byte_name((unsigned char)text[at]) + " bytes");
      at += run;
      spent += 8;
    } else {
      literal += text[at++];
      spent++;
    }
  }
  flush();
  if (at < text.size()) out += " ... (" + std::to_string(text.size()) + " bytes in all)";
  return out.empty() ? "nothing" : out;
}

std::string describe_difference(std::string_view got, std::string_view expected, const std::string& what) {
  size_t at = 0;
  while (at < got.size() && at < expected.size() && got[at] == expected[at]) at++;
  const size_t line = 1 + size_t(std::count(got.begin(), got.begin() + long(at), '\n'));
  const size_t line_start = got.substr(0, at).rfind('\n');
  const size_t column = at - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
  const std::string where = "line " + std::to_string(line) + ", column " + std::to_string(column) + " (byte " +
                            std::to_string(at) + ")";
  const size_t from = at > kBefore ? at - kBefore : 0;
  auto window = [&](std::string_view s) {
    const std::string lead = from > 0 ? "... " : "";
    return lead + excerpt(s.substr(from, std::min(s.size() - from, at - from + kAfter)), kBefore + kAfter) +
           (s.size() > at + kAfter ? " ..." : "");
  };
  if (at == got.size())
    return what + " stops early at " + where + ": expected more, " + window(expected) + "; got " +
           std::to_string(got.size()) + " of " + std::to_string(expected.size()) + " bytes";
  if (at == expected.size())
    return what + " goes on past what was expected at " + where + ": " + std::to_string(got.size() - at) +
           " bytes too many, " + excerpt(got.substr(at), kAfter);
  return what + " differs at " + where + ": expected " + window(expected) + ", got " + window(got);
}

}  // namespace shm::engine
