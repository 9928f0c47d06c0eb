// The class list: --roster CSV maps the export's ids to names and LMS ids, and says who should have submitted.
// Columns (header row, any order, case-insensitive): id (required: the id the export uses), name, email,
// canvas_id, sis_user_id, sis_login_id, section. Other columns are ignored.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "result.hpp"

namespace shm::batch {

// RFC 4180 rows of TEXT; an error names FILE and the line ("roster.csv:4: a quoted cell is never closed").
Result<std::vector<std::vector<std::string>>> read_csv(const std::string& text, const std::string& file);

struct RosterEntry {
  std::string id, name, email, canvas_id, sis_user_id, sis_login_id, section;
};

using Roster = std::map<std::string, RosterEntry>;  // by id

// An error names the file, the line and what is wrong (no id column, an empty or repeated id).
Result<Roster> read_roster(const std::filesystem::path& file);

}  // namespace shm::batch
