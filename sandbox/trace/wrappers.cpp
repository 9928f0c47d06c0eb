// Wrappers by shape (see wrappers.hpp for the rule): a small C tokenizer (comments, literals and preprocessor
// lines dropped, lines kept) and a reader of each function body's statements. It reads students' files, so it
// only ever moves forward through the tokens and gives up ("not a wrapper") on anything it does not know.
#include "wrappers.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <utility>

#include "tracer.hpp"

namespace shm::trace {

namespace {

struct Token {
  std::string text;
  int line;
  bool ident() const { return !text.empty() && (std::isalpha((unsigned char)text[0]) || text[0] == '_'); }
};
using Tokens = std::vector<Token>;

const std::set<std::string, std::less<>> kNotCalls = {"if", "while", "for", "switch", "return", "sizeof", "do",
                                                      "else", "case", "_Alignof", "alignof", "typeof", "__typeof__",
                                                      "__attribute__", "_Generic", "defined", "__extension__"};
const std::set<std::string, std::less<>> kErrorCalls = {
    "perror", "fprintf", "printf", "dprintf", "fputs", "puts", "fputc", "putc", "putchar", "vfprintf", "strerror",
    "exit", "_exit", "_Exit", "abort", "err", "errx", "verr", "verrx", "warn", "warnx", "vwarn", "vwarnx",
    "error", "error_at_line", "assert", "__assert_fail", "syslog"};
const char* const kErrorPrefixes[] = {"err", "die", "fatal", "panic", "usage"};

// Reports an error or ends the program: what an error check may call.
bool error_call(const std::string& name) {
  if (kErrorCalls.count(name)) return true;
  std::string lower = name;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return std::any_of(std::begin(kErrorPrefixes), std::end(kErrorPrefixes),
                     [&](const char* p) { return lower.rfind(p, 0) == 0; });
}

Tokens tokenize(std::string_view s) {
  static const char* const kTwo[] = {"==", "!=", "<=", ">=", "&&", "||", "->", "++", "--", "+=", "-=",
                                     "*=", "/=", "%=", "&=", "|=", "^=", "<<", ">>"};
  Tokens out;
  int line = 1;
  bool line_start = true;
  for (size_t i = 0; i < s.size();) {
    const char c = s[i];
    if (c == '\n') {
      line++, i++, line_start = true;
    } else if (std::isspace((unsigned char)c)) {
      i++;
    } else if (c == '#' && line_start) {  // a preprocessor line, with its continuations
      while (i < s.size() && s[i] != '\n') {
        if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == '\n') line++, i++;
        i++;
      }
    } else if (s.substr(i, 2) == "//") {
      while (i < s.size() && s[i] != '\n') i++;
    } else if (s.substr(i, 2) == "/*") {
      const size_t end = s.find("*/", i + 2);
      const size_t stop = end == std::string_view::npos ? s.size() : end + 2;
      line += int(std::count(s.begin() + i, s.begin() + stop, '\n'));
      i = stop;
    } else if (c == '"' || c == '\'') {  // a literal: one token, its text dropped
      const int at = line;
      for (i++; i < s.size() && s[i] != c && s[i] != '\n'; i++)
        if (s[i] == '\\' && i + 1 < s.size()) i++;
      i++;
      out.push_back({"\"\"", at});
      line_start = false;
    } else if (std::isalnum((unsigned char)c) || c == '_') {
      const size_t start = i;
      while (i < s.size() && (std::isalnum((unsigned char)s[i]) || s[i] == '_')) i++;
      out.push_back({std::string(s.substr(start, i - start)), line});
      line_start = false;
    } else {
      const auto two = std::find_if(std::begin(kTwo), std::end(kTwo), [&](const char* t) { return s.substr(i, 2) == t; });
      const size_t n = two != std::end(kTwo) ? 2 : 1;
      out.push_back({std::string(s.substr(i, n)), line});
      i += n;
      line_start = false;
    }
  }
  return out;
}

// The index of the bracket that closes the one at OPEN (or END when it is not closed before END).
size_t closing(const Tokens& t, size_t open, size_t end) {
  const std::string o = t[open].text, c = o == "(" ? ")" : o == "{" ? "}" : "]";
  int depth = 0;
  for (size_t i = open; i < end; i++) {
    if (t[i].text == o) depth++;
    if (t[i].text == c && --depth == 0) return i;
  }
  return end;
}

bool is_call(const Tokens& t, size_t i, size_t end) {
  return t[i].ident() && i + 1 < end && t[i + 1].text == "(" && !kNotCalls.count(t[i].text);
}

// Reads one function body's statements against the rule.
class Body {
 public:
  Body(const Tokens& t, size_t begin, size_t end) : t_(t), begin_(begin), end_(end) {}

  // The one call's lines, when the body has the shape.
  std::optional<std::pair<int, int>> wrapped_call() {
    for (size_t i = begin_; i < end_; i++) {
      if (!is_call(t_, i, end_) || error_call(t_[i].text)) continue;
      if (calls_++) return std::nullopt;
      call_ = i;
    }
    if (calls_ != 1) return std::nullopt;
    for (size_t i = begin_; i < end_;)
      if (!statement(i)) return std::nullopt;
    return std::make_pair(t_[call_].line, t_[closing(t_, call_ + 1, end_)].line);
  }

 private:
  bool holds_call(size_t from, size_t to) const { return call_ >= from && call_ < to; }
  bool has(size_t from, size_t to, std::initializer_list<const char*> texts) const {
    for (size_t i = from; i < to; i++)
      for (const char* x : texts)
        if (t_[i].text == x) return true;
    return false;
  }
  // The end of a simple statement starting at I: after its ';' outside brackets.
  size_t simple_end(size_t i) const {
    for (int depth = 0; i < end_; i++) {
      const std::string& x = t_[i].text;
      depth += (x == "(" || x == "[" || x == "{") - (x == ")" || x == "]" || x == "}");
      if (depth < 0) return end_;
      if (depth == 0 && x == ";") return i + 1;
    }
    return end_;
  }

  // The block at I (advanced past it), each of its statements read by EACH.
  bool block(size_t& i, bool (Body::*each)(size_t&)) {
    const Nested nested(depth_);
    const size_t close = closing(t_, i, end_);
    for (i++; i < close;)
      if (depth_ > kMaxDepth || !(this->*each)(i)) return false;
    i = close + 1;
    return close < end_;
  }

  // A top-level statement at I (advanced past it): the call's, a declaration, a return, an error check.
  bool statement(size_t& i) {
    const std::string& x = t_[i].text;
    if (x == ";") return ++i, true;
    if (x == "for" || x == "while" || x == "do" || x == "switch" || x == "goto" || x == "case" || x == "else")
      return false;
    if (x == "{") return block(i, &Body::statement);
    if (x == "if") return if_statement(i, true);
    const size_t from = i;
    i = simple_end(i);
    if (holds_call(from, i) || x == "return") return true;
    // Without the call: a declaration, nothing called or assigned.
    for (size_t k = from; k < i; k++)
      if (is_call(t_, k, i)) return false;
    return !has(from, i, {"=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "++", "--"});
  }

  // if (COND) THEN [else ELSE]: the condition may hold the call; the branches only handle an error. Nested
  // (an error branch's own if) only when TOP is false.
  bool if_statement(size_t& i, bool top) {
    const Nested nested(depth_);
    if (depth_ > kMaxDepth || i + 1 >= end_ || t_[i + 1].text != "(") return false;
    const size_t close = closing(t_, i + 1, end_);
    if (close >= end_ || (!top && holds_call(i, close))) return false;
    i = close + 1;
    if (i >= end_ || !error_branch(i)) return false;
    if (i < end_ && t_[i].text == "else") return ++i < end_ && error_branch(i);
    return true;
  }

  // Reports an error, returns, ends the program: each statement a call of error_call's, a return, or a block
  // of those.
  bool error_branch(size_t& i) {
    const std::string& x = t_[i].text;
    if (x == "{") return block(i, &Body::error_branch);
    if (x == "if") return if_statement(i, false);
    const size_t from = i;
    i = simple_end(i);
    if (holds_call(from, i)) return false;
    if (x == "return" || x == ";") return true;
    return is_call(t_, from, i) && error_call(x);
  }

  // Blocks and ifs nest this deep at most in a wrapper; deeper is not one (and a hostile file cannot recurse
  // the reader off its stack).
  static constexpr int kMaxDepth = 8;
  struct Nested {
    int& depth;
    explicit Nested(int& d) : depth(++d) {}
    ~Nested() { --depth; }
  };

  const Tokens& t_;
  size_t begin_, end_, call_ = 0;
  int calls_ = 0, depth_ = 0;
};

}  // namespace

std::vector<WrapperCall> find_wrappers(std::string_view c_source) {
  const Tokens t = tokenize(c_source);
  std::vector<WrapperCall> out;
  for (size_t i = 0; i < t.size(); i++) {
    if (t[i].text != "{") continue;
    const size_t close = closing(t, i, t.size());
    // A function definition: NAME ( ... ) { at the top level; anything else ({ of a struct, an initialiser) skipped.
    if (i >= 3 && t[i - 1].text == ")") {
      size_t open = i - 1;  // back to its "(", never past a statement or block: each token is read once
      for (int depth = 0; open > 0; open--) {
        const std::string& x = t[open].text;
        if (x == ";" || x == "{" || x == "}") break;
        depth += (x == ")") - (x == "(");
        if (depth == 0) break;
      }
      if (open > 0 && t[open].text == "(" && t[open - 1].ident() && t[open - 1].text != "main" &&
          !kNotCalls.count(t[open - 1].text))
        if (auto lines = Body(t, i + 1, close).wrapped_call())
          out.push_back({t[open - 1].text, lines->first, lines->second});
    }
    i = close;  // the top level only
  }
  return out;
}

std::vector<std::string> wrapper_call_lines(const std::string& binary, const std::string& source_root,
                                            const std::string& host_root) {
  std::vector<std::string> out;
  for (const auto& rel : sources_offline(binary, source_root)) {
    std::ifstream in(std::filesystem::path(host_root) / rel, std::ios::binary);
    std::string text(1 << 20, '\0');  // a source file is far smaller; a larger one is read in part
    in.read(text.data(), std::streamsize(text.size()));
    text.resize(size_t(in.gcount()));
    for (const auto& w : find_wrappers(text))
      for (int line = w.first_line; line <= w.last_line; line++) out.push_back(rel + ":" + std::to_string(line));
  }
  return out;
}

}  // namespace shm::trace
