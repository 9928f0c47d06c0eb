// shmgrade race: race-check a program of one's own (its sources and arguments), outside any assignment.
#pragma once

#include <CLI/CLI.hpp>

namespace shm::cli {

void add_race_command(CLI::App& app, int& status);
// The program's arguments, everything after race's "--", are taken from ARGV before CLI11 parses it (CLI11
// would give them to the sources): the argc CLI11 is to parse.
int split_program_args(int argc, char** argv);

}  // namespace shm::cli
