// Replays a run's trace events through the tracer's own per-process model (sandbox/trace/process_state), so
// that an analyzer can ask, at any event, what the calling process had mapped and open at that moment.
#pragma once

#include <functional>
#include <map>
#include <memory>

#include "trace/event.hpp"
#include "trace/process_state.hpp"

namespace shm::findings {

struct ReplayStep {
  const trace::Event& event;
  const trace::ProcessState& before;  // the calling process just before the event
};

// Calls VISIT for each event in order. Forked children start from a copy of their parent; threads share.
void replay(const std::vector<trace::Event>& events, const std::function<void(const ReplayStep&)>& visit);

// The mapping of STATE that contains ADDR, or null.
const trace::Mapping* mapping_at(const trace::ProcessState& state, uint64_t addr, uint64_t* start = nullptr);

}  // namespace shm::findings
