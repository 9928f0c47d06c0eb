#pragma once
#include <CLI/CLI.hpp>

namespace shm::cli {
// Adds `check`; its callback stores the exit status in STATUS (which must outlive the parse).
void add_check_command(CLI::App& app, int& status);
}
