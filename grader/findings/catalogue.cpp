#include "catalogue.hpp"

namespace shm::findings {

namespace {
using S = Severity;
// clang-format off
const std::vector<FindingKind> kCatalogue = {
  {"map-failed-unchecked", S::Error,   5}, {"missing-ftruncate",  S::Error,   5},
  {"beyond-eof",           S::Error,   5}, {"unaligned-offset",   S::Error,   3},
  {"munmap-misuse",        S::Error,   3}, {"private-mapping",    S::Error,   5},
  {"mode-mismatch",        S::Error,   5}, {"sync-not-shared",    S::Error,   5},
  {"mutex-not-pshared",    S::Error,   5}, {"ipc-leak",           S::Error,   3},
  {"unwaited-children",    S::Error,   3}, {"missing-msync",      S::Warning, 0},
  {"data-race",            S::Error,   5}, {"crash",              S::Error,   0},
  {"timeout",              S::Error,   0}, {"resource-limit",     S::Error,   0},
  {"sandbox-violation",    S::Error,   0}, {"compile-error",      S::Error,   0},
  {"wrong-output",         S::Error,   0},
};
// clang-format on
}  // namespace

const std::vector<FindingKind>& catalogue() { return kCatalogue; }

const FindingKind* find_kind(const std::string& id) {
  for (const auto& k : kCatalogue)
    if (id == k.id) return &k;
  return nullptr;
}

const char* severity_name(Severity s) { return s == Severity::Error ? "error" : s == Severity::Warning ? "warning" : "info"; }

}  // namespace shm::findings
