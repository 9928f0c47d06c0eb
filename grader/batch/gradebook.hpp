// Grades -> Gradebook: the class's results (each student's result JSON) as the CSV an instructor opens in a
// spreadsheet. Every cell a student controls is quoted, and one that a spreadsheet would run as a formula
// (=, +, -, @, tab, CR first) is prefixed with ' so that it stays text.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "spec/assignment_spec.hpp"

namespace shm::batch {

// One CSV field: quoted when it holds a comma, quote or line break; neutralised when it could be a formula.
std::string csv_cell(const std::string& text);
// A result's finding ids, each once, in the result's order.
std::vector<std::string> finding_ids(const nlohmann::json& result);

// id, name, score (after any late penalty), score_before_late, late_penalty_percent, max_score, status,
// submitted, one column per test (its score), findings (their ids); a "Points Possible" row first, then one row
// per result (batch.name, batch.score_after_late, ... as run_batch fills them in), sorted by id.
std::string gradebook_csv(const spec::AssignmentSpec& spec, std::vector<nlohmann::json> results);

// Canvas's gradebook import: Student, ID, SIS User ID, SIS Login ID, Section and the assignment's column (its
// title), a Points Possible row, then one row per student (the score after any late penalty), sorted by name.
std::string canvas_csv(const spec::AssignmentSpec& spec, const std::vector<nlohmann::json>& results);

}  // namespace shm::batch
