// Shards -> one class: `shmgrade merge DIR... --out DIR` joins the results dirs of `batch --shard K/N` into
// exactly what a one-machine batch writes (the results and feedback copied, then the class's files made by
// the same code from the same results). It checks that the shards belong together and that every one of
// them finished; what is missing is named with the command that reruns it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "batch.hpp"

namespace shm::batch {

struct MergeOutcome {
  std::vector<std::string> incomplete;  // what is missing or unfinished, one line each
  std::vector<std::string> reruns;      // the commands that finish it
  BatchSummary summary;                 // when nothing is incomplete
  bool similarity = false;              // the shards were graded with --similarity
};

// An error: shards that do not belong together (another spec, seed, grader, export), a shard given twice,
// or the class's files not written.
Result<MergeOutcome> merge_shards(const std::vector<std::filesystem::path>& dirs, const std::filesystem::path& out);

// COMMAND with its --shard and --out set to K/N and OUT, quoted for a POSIX shell.
std::string rerun_command(std::vector<std::string> command, size_t index, size_t count, const std::string& out);

}  // namespace shm::batch
