#include "process_state.hpp"

#include <fcntl.h>
#include <sys/mman.h>

#include <cerrno>
#include <fstream>

namespace shm::trace {

const Mapping* ProcessState::mapping_at(uint64_t addr, uint64_t* start) const {
  auto it = mappings.upper_bound(addr);
  if (it == mappings.begin()) return nullptr;
  --it;
  if (addr >= it->first + it->second.length) return nullptr;
  if (start) *start = it->first;
  return &it->second;
}

void ProcessState::load_mappings(pid_t tid) {
  std::ifstream in("/proc/" + std::to_string(tid) + "/maps");
  std::map<uint64_t, Mapping> known;
  known.swap(mappings);
  std::string line;
  while (std::getline(in, line)) {
    unsigned long long start = 0, end = 0, offset = 0;
    char perms[8] = {};
    if (sscanf(line.c_str(), "%llx-%llx %7s %llx", &start, &end, perms, &offset) != 4) continue;
    Mapping m;
    if (auto it = known.find(start); it != known.end() && it->second.length == end - start) m = it->second;
    m.length = end - start;
    m.shared = perms[3] == 's';
    if (m.backing.empty()) {
      auto slash = line.find('/');
      m.backing = slash == std::string::npos ? "anonymous" : line.substr(slash);
      m.offset = int64_t(offset);
    }
    mappings[start] = m;
    if (perms[2] == 'x' && line.find("/ld-linux") != std::string::npos) {
      loader_start = start;
      loader_end = end;
    }
  }
}

int ProcessState::derive_errno(const SyscallInfo& info, const uint64_t* a) const {
  if (info.effect == Effect::Close) return int32_t(a[0]) < 0 ? EBADF : 0;
  if (a[0] % kPageSize != 0) return EINVAL;  // munmap, mprotect, msync, madvise: the address must be aligned
  if (info.effect == Effect::Unmap) return a[1] == 0 ? EINVAL : 0;
  if (info.effect == Effect::Sync && (a[2] & MS_SYNC) && (a[2] & MS_ASYNC)) return EINVAL;
  if (info.effect == Effect::Sync || info.effect == Effect::Protect) {  // the whole range must be mapped
    for (uint64_t pos = a[0], start = 0; pos < a[0] + a[1];) {
      const Mapping* m = mapping_at(pos, &start);
      if (!m) return ENOMEM;
      pos = start + m->length;
    }
  }
  return 0;
}

void ProcessState::forget_range(uint64_t start, uint64_t length) {
  const uint64_t end = start + page_round(length);
  std::map<uint64_t, Mapping> kept;
  for (auto it = mappings.begin(); it != mappings.end();) {
    uint64_t s = it->first, e = s + it->second.length;
    if (e <= start || s >= end) {
      ++it;
      continue;
    }
    if (s < start) {
      kept[s] = it->second;
      kept[s].length = start - s;
    }
    if (e > end) {
      kept[end] = it->second;
      kept[end].length = e - end;
      kept[end].offset += int64_t(end - s);
    }
    it = mappings.erase(it);
  }
  mappings.insert(kept.begin(), kept.end());
}

void ProcessState::map(const Event& e, Effect effect) {
  Mapping m;
  uint64_t length = kPageSize;
  if (effect == Effect::Map) {
    length = uint64_t(e.int_arg("length"));
    m.flags = e.text_arg("flags");
    m.prot = e.text_arg("prot");
    m.shared = maps_shared(e);
    m.backing = e.has_flag("flags", "MAP_ANONYMOUS") ? "anonymous" : e.text_arg("path");
    m.offset = e.int_arg("offset");
  } else if (effect == Effect::Attach) {
    m.shared = true;
    m.backing = "sysv:" + std::to_string(e.int_arg("shmid"));
    m.prot = e.has_flag("flags", "SHM_RDONLY") ? "PROT_READ" : "PROT_READ|PROT_WRITE";
  } else {  // Remap: the old range moves (or resizes) to the result
    uint64_t old = e.addr_arg("old_addr");
    if (auto it = mappings.find(old); it != mappings.end()) m = it->second;
    forget_range(old, uint64_t(e.int_arg("old_length")));
    length = uint64_t(e.int_arg("new_length"));
  }
  forget_range(uint64_t(e.result), length);
  m.length = page_round(length);
  mappings[uint64_t(e.result)] = m;
}

void ProcessState::apply(const Event& e) {
  if (e.syscall == "fork" || e.syscall == "vfork" || e.syscall == "clone") {  // process events are not rows
    children[pid_t(e.result)] = false;
    return;
  }
  const SyscallInfo* row = find_syscall(e.syscall);
  if (e.err || !row) return;
  switch (row->effect) {
    case Effect::Map:
    case Effect::Attach:
    case Effect::Remap: return map(e, row->effect);
    case Effect::Unmap: return forget_range(e.addr_arg("addr"), uint64_t(e.int_arg("length")));
    case Effect::Detach: mappings.erase(e.addr_arg("addr")); return;
    case Effect::Open:  // creat has no flags: it is open's O_WRONLY|O_CREAT|O_TRUNC
      fds[int(e.result)] = {e.text_arg("path"), e.arg("flags") ? e.text_arg("flags") : "O_WRONLY|O_CREAT|O_TRUNC"};
      return;
    case Effect::Dup: {
      OpenFile f = fds.count(int(e.int_arg("fd"))) ? fds[int(e.int_arg("fd"))] : OpenFile{"?", ""};
      f.flags = e.text_arg("flags");  // a duplicate is close-on-exec only by dup3's flags
      fds[int(e.result)] = f;
      return;
    }
    case Effect::Close: fds.erase(int(e.int_arg("fd"))); return;
    case Effect::Reap: {  // wait4 returns the child; waitid's is in its siginfo (the tracer's "reaped")
      const int64_t child = e.arg("reaped") ? e.int_arg("reaped") : e.result;
      if (child > 0) children[pid_t(child)] = true;
      return;
    }
    case Effect::None:
    case Effect::Protect:
    case Effect::Sync:
    case Effect::Advise:
    case Effect::Unlink:
    case Effect::Name: return;
  }
}

ProcessState ProcessState::forked() const {
  ProcessState child = *this;
  child.children.clear();
  return child;
}

void ProcessState::on_exec() {
  for (auto it = fds.begin(); it != fds.end();)
    it = it->second.flags.find("O_CLOEXEC") != std::string::npos ? fds.erase(it) : std::next(it);
}

std::vector<std::pair<std::string, Value>> ProcessState::exit_summary() const {
  std::string unwaited;
  for (const auto& [pid, waited] : children)
    if (!waited) unwaited += (unwaited.empty() ? "" : ",") + std::to_string(pid);
  int64_t shared = 0;
  for (const auto& [start, m] : mappings) shared += m.shared;
  return {{"unwaited_children", unwaited}, {"open_fds", int64_t(fds.size())}, {"shared_mappings", shared}};
}

}  // namespace shm::trace
