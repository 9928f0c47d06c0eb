// The Findings stage's record: a pitfall found in a run or in the build.
#pragma once

#include <map>
#include <string>

#include "catalogue/catalogue.hpp"

namespace shm::findings {

// A pitfall found in a run or in the build: an id from the catalogue, the values its message names, where in
// the student's source (when known), and the test that showed it. Messages are rendered per language by the
// report writers from the catalogue.
struct Finding {
  std::string id;
  catalogue::Severity severity = catalogue::Severity::Error;
  std::map<std::string, std::string> detail;
  std::string file;  // relative to the submission
  int line = 0;
  std::string test;
  double points = 0;  // what it cost (0 for warnings and for findings whose test already lost its points)
  // Whether a run shows it depends on that run's schedule (which pairs of racy lines the detector met): the same
  // submission and seed may list other ones, so comparisons of results leave these out.
  bool schedule_dependent = false;
};

}  // namespace shm::findings
