// check --watch: the submission's folder watched with inotify, for the edit-check loop.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "fd.hpp"
#include "result.hpp"

namespace shm::cli {

class FolderWatch {
 public:
  // Watch DIR and the folders under it (a few levels: sources in src/ count too).
  static Result<FolderWatch> open(const std::filesystem::path& dir);
  // Block until a file is written, created, moved in or removed, then wait until the folder has been quiet for a
  // moment (an editor's save is several events; a `git checkout` many). The file's name, relative to the folder;
  // nullopt when SIGINT or SIGTERM came instead. Editors' swap and backup files (".name", "name~") are ignored.
  std::optional<std::string> next_change();

 private:
  sandbox::Fd inotify_;
};

// Catch SIGINT and SIGTERM from now on: they end the next wait of next_change (and interrupted() says so).
void catch_interrupts();
bool interrupted();

}  // namespace shm::cli
