#include "replay.hpp"

#include <map>
#include <memory>

namespace shm::findings {

namespace {

// What EVENT's arguments name in STATE.
Before before_of(const trace::Event& e, const trace::ProcessState& state) {
  Before b;
  if (const auto* fd = e.arg("fd"); fd && std::holds_alternative<int64_t>(*fd))
    if (auto it = state.fds.find(int(std::get<int64_t>(*fd))); it != state.fds.end()) b.fd = it->second;
  const char* addr_arg = e.arg("addr") ? "addr" : e.arg("uaddr") ? "uaddr" : nullptr;
  if (!addr_arg) return b;
  const uint64_t addr = e.addr_arg(addr_arg);
  if (const trace::Mapping* m = state.mapping_at(addr, &b.mapping_start)) b.mapping = *m;
  const uint64_t end = addr + trace::page_round(uint64_t(e.int_arg("length", 0)));
  auto it = state.mappings.lower_bound(addr);
  b.range_mapped = b.mapping.has_value() || (it != state.mappings.end() && it->first < end);
  return b;
}

}  // namespace

std::vector<Before> replay(const std::vector<trace::Event>& events) {
  std::vector<Before> before;
  before.reserve(events.size());
  std::map<int, std::shared_ptr<trace::ProcessState>> states;
  auto state_of = [&](int pid) -> trace::ProcessState& {
    auto& s = states[pid];
    if (!s) s = std::make_shared<trace::ProcessState>();
    return *s;
  };
  for (const auto& e : events) {
    trace::ProcessState& state = state_of(e.pid);
    before.push_back(before_of(e, state));
    if (e.syscall == "thread") {
      states[int(e.result)] = states[e.pid];
    } else if (e.syscall == "fork" || e.syscall == "vfork" || e.syscall == "clone") {
      states[int(e.result)] = std::make_shared<trace::ProcessState>(state.forked());
    } else if (e.syscall == "exec") {
      state.mappings.clear();
      state.on_exec();
    }
    state.apply(e);
  }
  return before;
}

}  // namespace shm::findings
