// The batch's ledger: each student's result in DIR/results/ID.json carries the key it was graded under. A
// rerun reuses a result whose key still matches and grades the rest, so a batch killed at any moment finishes
// where it stopped. Results are written atomically (write, fsync, rename): a file is whole or absent.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "result.hpp"

namespace shm::batch {

struct LedgerKey {
  std::string submission_sha256;  // what the export holds for the student (paths_sha256)
  std::string spec_sha256;        // the assignment's folder but its samples, starter and class
  std::string grader_version;
  uint64_t seed = 1;
  nlohmann::ordered_json to_json() const;
  bool operator==(const LedgerKey&) const = default;
};

// SHA-256, hex, of the files under DIR (sorted by relative path; SKIP: top-level names left out). Links are
// hashed as their target text, never followed.
Result<std::string> tree_sha256(const std::filesystem::path& dir, const std::vector<std::string>& skip = {});

// SHA-256, hex, of BYTES (framed by their length, as every hash here).
std::string sha256_hex(const std::string& bytes);

// SHA-256, hex, of PATHS in order: each one's name, and its bytes or (a folder) its tree_sha256.
Result<std::string> paths_sha256(const std::vector<std::filesystem::path>& paths);

// The key a result in RESULT_FILE was made under, if it is a whole result of ours.
std::optional<LedgerKey> recorded_key(const std::filesystem::path& result_file);

}  // namespace shm::batch
