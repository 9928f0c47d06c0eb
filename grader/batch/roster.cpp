#include "roster.hpp"

#include "files.hpp"

#include <algorithm>

namespace shm::batch {

Result<std::vector<std::vector<std::string>>> read_csv(const std::string& text, const std::string& file) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string cell;
  bool quoted = false, any = false;
  size_t line = 1, quote_line = 0;
  for (size_t i = 0; i < text.size(); i++) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') cell += '"', i++;
      else if (c == '"') quoted = false;
      else cell += c, line += c == '\n';
      continue;
    }
    if (c == '"') {
      quoted = any = true;
      quote_line = line;
    } else if (c == ',') {
      row.push_back(std::move(cell)), cell.clear(), any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') i++;
      if (any || !cell.empty()) row.push_back(std::move(cell)), rows.push_back(std::move(row));
      cell.clear(), row.clear(), any = false, line++;
    } else {
      cell += c;
    }
  }
  if (quoted) return Error{file + ":" + std::to_string(quote_line) + ": a quoted cell is never closed"};
  if (any || !cell.empty()) row.push_back(std::move(cell)), rows.push_back(std::move(row));
  return rows;
}

Result<Roster> read_roster(const std::filesystem::path& file) {
  auto read = read_whole_file(file);
  if (!read) return Error{"the roster: cannot " + read.error().message()};
  std::string& text = *read;
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);  // a spreadsheet's byte-order mark
  auto rows = read_csv(text, file.string());
  if (!rows) return rows.error();
  if (rows->empty()) return Error{file.string() + ": empty; the first row names the columns (id, name, ...)"};
  std::map<std::string, size_t> column;
  for (size_t i = 0; i < (*rows)[0].size(); i++) {
    std::string name = (*rows)[0][i];
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    column.emplace(name, i);
  }
  if (!column.count("id")) return Error{file.string() + ":1: no 'id' column (the id the export names each student by)"};
  Roster roster;
  std::map<std::string, size_t> first_line;
  for (size_t r = 1; r < rows->size(); r++) {
    const auto& row = (*rows)[r];
    auto get = [&](const char* name) {
      auto it = column.find(name);
      return it != column.end() && it->second < row.size() ? row[it->second] : std::string();
    };
    const std::string where = file.string() + ":" + std::to_string(r + 1);
    RosterEntry e{get("id"), get("name"), get("email"), get("canvas_id"), get("sis_user_id"), get("sis_login_id"),
                  get("section")};
    if (e.id.empty()) return Error{where + ": an empty id"};
    if (auto [it, fresh] = first_line.emplace(e.id, r + 1); !fresh)
      return Error{where + ": id '" + e.id + "' appears twice (first on line " + std::to_string(it->second) + ")"};
    roster[e.id] = std::move(e);
  }
  return roster;
}

}  // namespace shm::batch
