// shmgrade batch — grade a whole class from an LMS export; shmgrade merge — join the shards of one.
#pragma once

#include <CLI/CLI.hpp>

namespace shm::cli {
void add_batch_command(CLI::App& app, int& status);
void add_merge_command(CLI::App& app, int& status);  // shmgrade merge: shards' results dirs -> one class
}
