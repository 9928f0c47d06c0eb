#include "replay.hpp"

namespace shm::findings {

void replay(const std::vector<trace::Event>& events, const std::function<void(const ReplayStep&)>& visit) {
  std::map<int, std::shared_ptr<trace::ProcessState>> states;
  auto state_of = [&](int pid) -> trace::ProcessState& {
    auto& s = states[pid];
    if (!s) s = std::make_shared<trace::ProcessState>();
    return *s;
  };
  for (const auto& e : events) {
    trace::ProcessState& state = state_of(e.pid);
    visit({e, state});
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
}

const trace::Mapping* mapping_at(const trace::ProcessState& state, uint64_t addr, uint64_t* start) {
  auto it = state.mappings.upper_bound(addr);
  if (it == state.mappings.begin()) return nullptr;
  --it;
  if (addr >= it->first + it->second.length) return nullptr;
  if (start) *start = it->first;
  return &it->second;
}

}  // namespace shm::findings
