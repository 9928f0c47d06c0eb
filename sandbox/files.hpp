// Host-side file operations on what a run leaves and on results: removing a tree whatever modes the program
// left in it, and writing a result so that a reader never sees half of it.
#pragma once

#include <filesystem>
#include <string>

#include "result.hpp"

namespace shm {

// Removes PATH and everything below it without following links. Directories a program made unreadable or
// unwritable (mode 000, as an unprivileged sandbox's files are ours) get their owner's bits back first. An
// error names the first entry that could not be removed.
Status remove_tree(const std::filesystem::path& path);

// One write(2) of TEXT to an existing kernel file (/proc, cgroupfs), which takes it whole or not at all.
Status write_kernel_file(const std::filesystem::path& path, const std::string& text);

// Writes TEXT to PATH through a temporary file beside it and a rename: PATH holds the old or the new text,
// never part of it. An error names PATH.
Status write_file_atomically(const std::filesystem::path& path, const std::string& text);

}  // namespace shm
