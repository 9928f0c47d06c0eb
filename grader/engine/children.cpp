#include "children.hpp"

#include <sstream>

namespace shm::engine {

std::vector<std::string> unwaited_student_children(const trace::Event& exit, const std::vector<trace::Event>& events,
                                                   const trace::Event*& first_fork) {
  std::istringstream unwaited(exit.text_arg("unwaited_children"));
  std::vector<std::string> children;
  first_fork = nullptr;
  for (std::string child; std::getline(unwaited, child, ',');)
    for (const auto& f : events)
      if ((f.syscall == "fork" || f.syscall == "vfork") && by_student(f) && std::to_string(f.result) == child) {
        first_fork = first_fork ? first_fork : &f;
        children.push_back(child);
      }
  return children;
}

bool leaves_children_unwaited(const std::vector<trace::Event>& events) {
  const trace::Event* fork = nullptr;
  for (const auto& e : events)
    if (e.syscall == "exit" && !unwaited_student_children(e, events, fork).empty()) return true;
  return false;
}

}  // namespace shm::engine
