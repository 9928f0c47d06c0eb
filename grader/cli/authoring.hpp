// shmgrade new — scaffold an assignment from a bundled one; shmgrade verify — check it as ci/test checks ours.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace shm::cli {
void add_new_command(CLI::App& app, int& status);
void add_verify_command(CLI::App& app, int& status);
// Verifies the assignment in DIR, printing each mismatch (and progress on a terminal) as WHO: 0 verified,
// 1 mismatches, 2 a spec that does not load.
int verify_assignment(const std::string& dir, uint64_t seed, const std::string& who);
}
