// An instructor's own assignment: scaffolded from a bundled one (`shmgrade new`), and verified as ci/test
// verifies the bundled five (`shmgrade verify`): the spec loads; every sample grades to its expected.json; the
// starter builds, runs and scores below full marks; the solution, when there is one, scores full marks with
// no error finding. expected.json:
//   {"score": "full" | "less" | N,                      the score
//    "findings": [{"id": ..., "file": ..., "line": N}],  each must appear (file and line when given)
//    "absent": [ids],                                   none of these may appear
//    "absent_severity": "error"}                        no finding of this severity at all
#pragma once

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "grading/grade.hpp"
#include "result.hpp"

namespace shm::authoring {

struct Mismatch {
  std::filesystem::path file;  // the expected.json, starter/ or solution/ it concerns
  std::string what;
};

struct Verification {
  size_t samples = 0;             // graded against their expected.json
  bool starter = false, solution = false;  // graded
  std::vector<Mismatch> mismatches;  // empty: verified
};

// What RESULT (shmgrade-result/1 JSON) does not meet of EXPECTED (expected.json): one line each.
std::vector<std::string> expectation_mismatches(const nlohmann::json& expected, const nlohmann::json& result);

// PROGRESS is told each submission as it is graded. An error: the spec does not load (file:line).
Result<Verification> verify(const std::filesystem::path& assignment_dir, const grading::GradeOptions& options,
                            const std::function<void(const std::string&)>& progress = {});

// A new assignment NAME in PARENT, copied from the assignment in FROM: its spec (titled after NAME), starter/,
// the samples that score full marks, solution/ (one of them), and a handout skeleton in English and Chinese.
Result<std::filesystem::path> scaffold(const std::string& name, const std::filesystem::path& from,
                                       const std::filesystem::path& parent);

}  // namespace shm::authoring
