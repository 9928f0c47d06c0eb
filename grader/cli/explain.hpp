#pragma once
#include <CLI/CLI.hpp>

namespace shm::cli {
void add_explain_command(CLI::App& app, int& status);
}
