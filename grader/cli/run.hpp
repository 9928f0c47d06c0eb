#pragma once
#include <CLI/CLI.hpp>

namespace shm::cli {
void add_run_command(CLI::App& app);
}
