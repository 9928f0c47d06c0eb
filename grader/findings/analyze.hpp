// The pitfall analyzers: pure functions from what a run did (its test, its outcome, its trace events) to
// findings. One file per family; analyze() runs every family over every run and keeps each finding once.
#pragma once

#include <filesystem>
#include <vector>

#include "catalogue/catalogue.hpp"
#include "engine/types.hpp"
#include "finding.hpp"
#include "replay.hpp"
#include "spec/assignment_spec.hpp"

namespace shm::findings {

// What an analyzer sees of one run.
struct RunView {
  const spec::AssignmentSpec& spec;
  const spec::TestSpec& test;
  const engine::RunResult& run;
  const std::filesystem::path& submission;  // the student's sources, for reading a line
  const std::vector<std::string>& techniques;  // the test's, or else the assignment's
  const std::vector<Before>& before;  // for each of the run's events, what its process had (one replay per run)
};

using Findings = std::vector<Finding>;

// The families (one file each).
void run_outcome_findings(const RunView& view, Findings& out);  // crash, timeout, resource-limit, ...
void mapping_findings(const RunView& view, Findings& out);      // missing-ftruncate, beyond-eof, unaligned, ...
void technique_findings(const RunView& view, Findings& out);    // mode-mismatch
void process_findings(const RunView& view, Findings& out);      // unwaited-children, ipc-leak
void sync_findings(const RunView& view, Findings& out);         // mutex-not-pshared, sync-not-shared
void injection_findings(const RunView& view, Findings& out);    // map-failed-unchecked
void race_findings(const RunView& view, Findings& out);         // data-race

// Every family over every run; each finding once (per file:line, or per test when it has no line), ordered
// by file and line; the points each costs set from the spec.
Findings analyze(const spec::AssignmentSpec& spec, const std::vector<engine::RunResult>& runs,
                 const std::filesystem::path& submission);

// For each test of the spec, whether a data race decides its verdict: a racing run of its variant (see
// spec::race_variant) found one in this grading. Which run meets a race is the schedule's; the variant's
// verdict, drawn from all of them, is not. Such a test fails whatever it printed (grading::score).
std::vector<bool> decided_by_race(const spec::AssignmentSpec& spec, const std::vector<engine::RunResult>& runs);

// Why race R is one and how to close it, in LANG: the data-race finding's and shmgrade race's one wording.
// An initialisation race (the creator's first write of an object's bytes racing with another process) says
// the object was reachable by name before it was initialised.
struct RaceExplanation {
  std::string why, fix;
};
RaceExplanation explain_race(const race::Race& r, catalogue::Lang lang);

// The compiler's first error as a compile-error finding at its file:line.
Finding compile_finding(const engine::BuildResult& build);

// A finding of kind ID at the event's source location.
Finding make_finding(const std::string& id, const RunView& view, const std::string& file = "", int line = 0);

}  // namespace shm::findings
