#pragma once
#include <CLI/CLI.hpp>

namespace shm::cli {
// Adds `run`; its callback stores the exit status in STATUS (which must outlive the parse).
void add_run_command(CLI::App& app, int& status);
}
