// --late POLICY.toml: what a late submission costs.
//   due = 2026-11-20T23:59:00+08:00   # a TOML date-time with its offset
//   grace_minutes = 15                # late by less than this is on time
//   penalty_per_day = 10              # percent of the score per day or part of one (or penalty_per_hour)
//   cap = 50                          # at most this percent in all
//   extensions = "extensions.csv"     # id,due rows (relative to the policy), each due as above
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "result.hpp"

namespace shm::batch {

struct LatePolicy {
  int64_t due = 0;  // seconds since the epoch
  int64_t grace_s = 0;
  double percent_per_unit = 0;
  int64_t unit_s = 86400;
  double cap_percent = 100;
  std::map<std::string, int64_t> extensions;  // id -> its own due
};

// An error names the file, the line and the key.
Result<LatePolicy> read_late_policy(const std::filesystem::path& file);

struct Lateness {
  int64_t late_by_s = 0;  // past the due date (and grace); 0 when on time
  double penalty_percent = 0;
};
Lateness lateness(const LatePolicy& policy, const std::string& id, int64_t submitted_at);
// SCORE less PENALTY_PERCENT of it, to a hundredth.
double score_after_late(double score, double penalty_percent);

}  // namespace shm::batch
