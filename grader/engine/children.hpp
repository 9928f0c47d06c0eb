// A run's children left unwaited, from its trace events. The Run stage fails a test whose program exits
// before waiting for what it forked (its output depended on how far they had got); the unwaited-children finding
// names them.
#pragma once

#include <string>
#include <vector>

#include "trace/event.hpp"

namespace shm::engine {

// The children the student's code forked that EXIT's process left unwaited, and the first fork of them.
std::vector<std::string> unwaited_student_children(const trace::Event& exit, const std::vector<trace::Event>& events,
                                                   const trace::Event*& first_fork);

// Whether any process of the run exited leaving children the student's code forked unwaited.
bool leaves_children_unwaited(const std::vector<trace::Event>& events);

}  // namespace shm::engine
