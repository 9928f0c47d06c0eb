#pragma once
#include <CLI/CLI.hpp>

namespace shm::cli {
// Adds `grade` and `list`; callbacks store the exit status in STATUS (which must outlive the parse).
void add_grade_command(CLI::App& app, int& status);
void add_list_command(CLI::App& app, int& status);
}
