// shmgrade batch — grade a whole class from an LMS export.
#pragma once

#include <CLI/CLI.hpp>

namespace shm::cli {
void add_batch_command(CLI::App& app, int& status);
}
