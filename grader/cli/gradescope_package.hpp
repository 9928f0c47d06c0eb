// shmgrade gradescope-package — an assignment as Gradescope's autograder.zip.
#pragma once

#include <CLI/CLI.hpp>

namespace shm::cli {
void add_gradescope_package_command(CLI::App& app, int& status);
}
