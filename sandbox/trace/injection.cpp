#include "injection.hpp"

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include "event.hpp"
#include "syscall_table.hpp"

namespace shm::trace {

Result<Injection> parse_injection(const std::string& spec) {
  std::vector<std::string> parts;
  std::stringstream in(spec);
  for (std::string p; std::getline(in, p, ':');) parts.push_back(p);
  if (parts.size() < 3) return Error{"--inject " + spec + ": expected KIND:N:ERRNO, e.g. mmap:shared:1:ENOMEM"};
  Injection inj;
  for (size_t i = 0; i + 2 < parts.size(); i++) inj.kind += (i ? ":" : "") + parts[i];
  const auto kinds = injection_kind_names();
  if (std::find(kinds.begin(), kinds.end(), inj.kind) == kinds.end()) {
    std::string known;
    for (const auto& k : kinds) known += (known.empty() ? "" : ", ") + k;
    return Error{"--inject " + spec + ": unknown kind '" + inj.kind + "'; the kinds: " + known};
  }
  char* end = nullptr;
  inj.nth = int(strtol(parts[parts.size() - 2].c_str(), &end, 10));
  if (*end || inj.nth < 1) return Error{"--inject " + spec + ": N must be a positive count"};
  inj.err = errno_from_name(parts.back());
  if (inj.err < 0) return Error{"--inject " + spec + ": unknown errno name '" + parts.back() + "'"};
  return inj;
}

std::string describe_injection(const Injection& inj) {
  static const std::pair<const char*, const char*> kMapKinds[] = {
      {"mmap:shared", "MAP_SHARED mmap"}, {"mmap:private", "MAP_PRIVATE mmap"}, {"mmap:anonymous", "MAP_ANONYMOUS mmap"}};
  std::string call = inj.kind;
  for (const auto& [kind, words] : kMapKinds)
    if (inj.kind == kind) call = words;
  const int n = inj.nth;
  const char* suffix = n % 100 / 10 == 1 ? "th" : n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
  return "the " + std::to_string(n) + suffix + " " + call + " fails with " + errno_name(inj.err);
}

namespace {

// The kinds beyond a call's own name that name what it does — a shared mapping, a POSIX object by its library
// call — by the row's Effect: all a row may have when E is null, else those event E has.
struct EffectKind {
  Effect effect;
  const char* kind;
  bool (*has)(const Event& e);
};
bool under_shm(const Event& e) { return e.object.rfind("shm:", 0) == 0; }
bool under_sem(const Event& e) { return e.object.rfind("sem:", 0) == 0; }
const EffectKind kEffectKinds[] = {
  {Effect::Map, "mmap:shared", maps_shared},
  {Effect::Map, "mmap:private", [](const Event& e) { return e.has_flag("flags", "MAP_PRIVATE"); }},
  {Effect::Map, "mmap:anonymous", [](const Event& e) { return e.has_flag("flags", "MAP_ANONYMOUS"); }},
  {Effect::Open, "shm_open", under_shm},
  {Effect::Open, "sem_open", under_sem},
  {Effect::Unlink, "shm_unlink", under_shm},
  {Effect::Unlink, "sem_unlink", under_sem},
  {Effect::Dup, "dup", [](const Event&) { return true; }},  // dup2 and dup3 are dup's too
};

std::vector<std::string> effect_kinds(Effect effect, const Event* e) {
  std::vector<std::string> kinds;
  for (const auto& k : kEffectKinds)
    if (k.effect == effect && (!e || (k.has(*e) && e->syscall != k.kind))) kinds.push_back(k.kind);
  return kinds;
}

}  // namespace

std::vector<std::string> injection_kind_names() {
  std::vector<std::string> names;
  auto add = [&](const std::string& kind) {
    if (std::find(names.begin(), names.end(), kind) == names.end()) names.push_back(kind);
  };
  for (const SyscallInfo* row = syscall_table_begin(); row != syscall_table_end(); row++)
    for (const auto& kind : effect_kinds(row->effect, nullptr)) add(kind);
  for (const SyscallInfo* row = syscall_table_begin(); row != syscall_table_end(); row++) add(row->name);
  return names;
}

std::vector<std::string> injection_kinds(const Event& e) {
  std::vector<std::string> kinds = {e.syscall};  // every traced call by the name its events print
  if (const SyscallInfo* row = find_syscall(e.syscall))
    for (auto& kind : effect_kinds(row->effect, &e)) kinds.push_back(std::move(kind));
  return kinds;
}

}  // namespace shm::trace
