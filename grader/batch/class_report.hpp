// Gradebook -> Class report: report.html, one self-contained page (no network; styles, SVG charts and the
// sorting script inline) that summarises a class at a glance and links to each student's feedback.
// Each chart element carries its numbers as data- attributes, so that a test in a real browser can check
// them against the gradebook.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "similarity.hpp"
#include "spec/assignment_spec.hpp"

namespace shm::batch {

// RESULTS as gradebook_csv takes them (each with "batch": {"id", "file_name", "name", "score_after_late", ...}).
// SIMILARITY, when given (--similarity), adds the most alike pairs with their shared fragments side by side.
std::string class_report_html(const spec::AssignmentSpec& spec, const std::vector<nlohmann::json>& results,
                              const Similarity* similarity = nullptr);

}  // namespace shm::batch
