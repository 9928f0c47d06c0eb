// Shards: one class graded by N machines that never talk to each other. Each student belongs to the shard
// its id hashes to (SHA-256, so every shard agrees, and adding a student moves no one else); each shard
// writes its own results dir, and `shmgrade merge` joins them.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "result.hpp"

namespace shm::batch {

struct Shard {
  size_t index = 0, count = 1;  // 0-based: shard INDEX of COUNT
  std::string source;           // where it came from: "--shard", "Slurm", "Kubernetes", "GitLab"
};

using Environment = std::function<std::optional<std::string>(const std::string& name)>;
std::optional<std::string> process_environment(const std::string& name);  // getenv

// "K/N" (0-based), or "auto": the engine's variables (Slurm array tasks, Kubernetes Indexed Jobs with
// COUNT given, GitLab's parallel jobs). A missing or inconsistent variable is an error naming it.
Result<Shard> parse_shard(const std::string& text, std::optional<size_t> count, const Environment& env = process_environment);

bool in_shard(const std::string& id, const Shard& shard);

struct ClassMember {
  std::string id, file_name;  // results/FILE_NAME.json, feedback/FILE_NAME.*
};

// DIR/shard.json: what a shard was asked to do and whether it finished. Written when the shard starts
// (complete: false) and again when every result of it is written (complete: true).
struct ShardManifest {
  Shard shard;
  bool complete = false;
  std::string assignment_dir, spec_sha256, grader_version, input, layout, roster, late, lang;
  uint64_t seed = 1;
  bool similarity = false;            // its students' sources are in DIR/sources/FILE_NAME/
  std::vector<std::string> formats;
  size_t class_size = 0;              // students in the whole export
  std::vector<ClassMember> students;  // this shard's, sorted by id
  std::vector<std::string> command;
};
nlohmann::ordered_json to_json(const ShardManifest& m);
Result<ShardManifest> shard_manifest_from_json(const nlohmann::json& j);

}  // namespace shm::batch
