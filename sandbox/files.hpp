// Host-side file operations on what a run leaves and on results: removing a tree whatever modes the program
// left in it, reading a file whole, and writing a result so that a reader never sees half of it.
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

// A new directory for KIND ("run", "runs", "unpack"...) of shmgrade's temporary files: under $SHMGRADE_TMPDIR when
// set (a batch keeps each grading's temporary files in one folder it removes, even after a kill), else /tmp.
Result<std::filesystem::path> make_temp_dir(const std::string& kind);

// A temporary directory (make_temp_dir) removed with remove_tree when this goes.
class TempTree {
 public:
  static Result<TempTree> make(const std::string& kind);
  TempTree(TempTree&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  TempTree(const TempTree&) = delete;
  ~TempTree();
  const std::filesystem::path& path() const { return path_; }

 private:
  explicit TempTree(std::filesystem::path path) : path_(std::move(path)) {}
  std::filesystem::path path_;
};

// The whole of the file at PATH (bytes, as they are). An error names PATH and why it could not be read.
Result<std::string> read_whole_file(const std::filesystem::path& path);

// Writes TEXT to PATH through a temporary file beside it ("PATH.partial-XXXXXX") and a rename: PATH holds the
// old or the new text, never part of it. An error names PATH.
Status write_file_atomically(const std::filesystem::path& path, const std::string& text);

// Removes the temporary files in DIR that writes killed before their rename left (write_file_atomically's).
void remove_interrupted_writes(const std::filesystem::path& dir);

}  // namespace shm
