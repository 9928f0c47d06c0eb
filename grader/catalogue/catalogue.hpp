// The finding catalogue: one table of every finding id the grader can report — severity, the points it
// costs unless the assignment says otherwise, and what a student reads about it in English and Chinese:
// the message (with {placeholders} a finding fills in), a one-line hint, and the `explain` text.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace shm::catalogue {

enum class Severity { Error, Warning, Info };
enum class Lang { En, Zh };

struct Text {
  const char* en;
  const char* zh;
  const char* in(Lang lang) const { return lang == Lang::Zh ? zh : en; }
};

struct FindingKind {
  const char* id;
  Severity severity;
  double default_points;  // deducted once per submission in which it appears
  Text title;             // a few words: the rule's name in reports (SARIF, JUnit, GitHub titles)
  Text message;           // what happened, with {placeholders}
  Text hint;              // how to fix it, one line
  Text topic;             // the chapter topic it belongs to
  Text explain;           // what the pitfall is and why it breaks (a few lines)
  const char* wrong;      // a minimal wrong snippet (C)
  const char* right;      // the same, fixed
};

const std::vector<FindingKind>& kinds();
const FindingKind* find_kind(const std::string& id);
const char* severity_name(Severity s);

// "zh..." in LC_ALL, LC_MESSAGES or LANG (the first set, as POSIX orders them) chooses Chinese; else English.
Lang lang_from_env();
// "en" or "zh"; anything else is an error for the caller to report.
bool parse_lang(const std::string& text, Lang& lang);

// TEMPLATE with each {name} replaced by DETAIL[name + "_zh"] (in Chinese, when given) or DETAIL[name];
// unknown names are left as they are.
std::string fill(const std::string& tmpl, const std::map<std::string, std::string>& detail, Lang lang);
// KIND's message in LANG, filled in.
inline std::string render(const FindingKind& kind, const std::map<std::string, std::string>& detail, Lang lang) {
  return fill(kind.message.in(lang), detail, lang);
}

// The `shmgrade explain` page of KIND.
std::string explain_page(const FindingKind& kind, Lang lang);

}  // namespace shm::catalogue
