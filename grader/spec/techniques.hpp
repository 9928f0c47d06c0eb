// The techniques an assignment may require (`techniques = [...]`), checked from the trace: one table that the
// spec's validation, the mode-mismatch finding (findings/technique.cpp: how each is seen) and private-mapping
// read. Adding one: a row here, then its check in findings/technique.cpp.
#pragma once

#include <string>
#include <vector>

namespace shm::spec {

struct Technique {
  const char* id;
  const char* wanted;     // what the handout asks for, as a finding says it
  const char* wanted_zh;
  bool shares_memory;     // processes share memory through it: a written MAP_PRIVATE mapping defeats it
};

const std::vector<Technique>& techniques();
const Technique* find_technique(const std::string& id);

}  // namespace shm::spec
