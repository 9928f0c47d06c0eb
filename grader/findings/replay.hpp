// Replays a run's trace events once through the tracer's own per-process model (sandbox/trace/process_state),
// so that every analyzer can ask, at any event, what the calling process had mapped and open at that moment.
// analyze() replays each run once and hands the result to every family in RunView::before.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "trace/event.hpp"
#include "trace/process_state.hpp"

namespace shm::findings {

// What the calling process had just before an event, as far as the event's own arguments name it.
struct Before {
  std::optional<trace::OpenFile> fd;       // the file its "fd" argument had open
  std::optional<trace::Mapping> mapping;   // the mapping containing its "addr" (or "uaddr") argument
  uint64_t mapping_start = 0;
  bool range_mapped = false;  // some mapping overlaps [addr, addr + length rounded up to pages)
};

// BEFORE[i] for EVENTS[i]. Forked children start from a copy of their parent; threads share.
std::vector<Before> replay(const std::vector<trace::Event>& events);

}  // namespace shm::findings
