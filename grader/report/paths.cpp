// Where CI platforms place a finding: paths relative to one source root, the same for every format (SARIF,
// GitHub annotations, JUnit, GitLab Code Quality), so that code scanning, annotations and merge requests all
// link the student's line.
#include <cstdio>
#include <map>

#include "report.hpp"

namespace shm::report {

namespace fs = std::filesystem;

namespace {

fs::path absolute_normal(const fs::path& p) {
  std::error_code ec;
  const fs::path abs = fs::absolute(p, ec);
  return (ec ? p : abs).lexically_normal();
}

bool lies_under(const fs::path& path, const fs::path& root) {
  const fs::path rel = path.lexically_relative(root);
  return !rel.empty() && *rel.begin() != "..";
}

std::string fingerprint(const std::string& key) {
  uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a: a stable name, not a secret (a grade has a few dozen findings)
  for (unsigned char c : key) h = (h ^ c) * 0x100000001b3ull;
  char buf[20];
  snprintf(buf, sizeof buf, "%016llx", (unsigned long long)h);
  return buf;
}

}  // namespace

fs::path source_root(const grading::Grade& g, const Options& o) {
  if (!o.source_root.empty()) return absolute_normal(o.source_root);
  const fs::path submission = absolute_normal(g.submission);
  std::error_code ec;
  const fs::path cwd = fs::current_path(ec);
  return !ec && lies_under(submission, cwd.lexically_normal()) ? cwd.lexically_normal() : submission;
}

std::string ci_path(const grading::Grade& g, const std::string& file, const Options& o) {
  const fs::path root = source_root(g, o);
  const fs::path path = absolute_normal(fs::path(g.submission) / file);
  const fs::path rel = path.lexically_relative(root);
  return rel.empty() ? path.generic_string() : rel.generic_string();  // "." for the root itself
}

std::string located_file(const grading::Grade& g, const findings::Finding& f) {
  return f.file.empty() ? g.main_source : f.file;
}

std::vector<std::string> fingerprints(const grading::Grade& g, const Options& o) {
  std::vector<std::string> prints;
  std::map<std::string, int> seen;
  for (const auto& f : g.findings) {
    // What the finding is and where, never its values (an address or a pid would change per run); the same
    // finding twice at one place is told apart by its order.
    std::string key = g.assignment + '\0' + f.id + '\0' + ci_path(g, located_file(g, f), o) + '\0' +
                      std::to_string(f.line) + '\0' + f.test;
    key += '\0' + std::to_string(seen[key]++);
    prints.push_back(fingerprint(key));
  }
  return prints;
}

std::string verdict_fingerprint(const grading::Grade& g) {
  return fingerprint(g.assignment + '\0' + grading::grade_status_name(g.status));
}

}  // namespace shm::report
