#include "merge.hpp"

#include <algorithm>
#include <fstream>
#include <map>

#include "class_files.hpp"
#include "engine/build.hpp"
#include "files.hpp"
#include "report/report.hpp"
#include "spec/assignment_spec.hpp"

namespace shm::batch {

namespace fs = std::filesystem;

namespace {

struct ShardDir {
  fs::path dir;
  ShardManifest manifest;
};

std::string shell_quoted(const std::string& word) {
  if (!word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:,@%+") ==
                           std::string::npos)
    return word;
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string shard_name(size_t index, size_t count) { return "shard " + std::to_string(index) + "/" + std::to_string(count); }

// The manifests' fields that must agree for shards to be one class.
std::string disagreement(const ShardManifest& a, const ShardManifest& b) {
  const std::pair<const char*, bool> fields[] = {
      {"the shard count", a.shard.count == b.shard.count},    {"the assignment's spec", a.spec_sha256 == b.spec_sha256},
      {"the grader's version", a.grader_version == b.grader_version}, {"the seed", a.seed == b.seed},
      {"the export", a.input == b.input && a.class_size == b.class_size}, {"the roster", a.roster == b.roster},
      {"the late policy", a.late == b.late},                   {"--similarity", a.similarity == b.similarity},
      {"--format", a.formats == b.formats},                   {"--lang", a.lang == b.lang}};
  for (const auto& [what, same] : fields)
    if (!same) return what;
  return "";
}

// A file name from a manifest: one path component, nothing hidden (the manifest came from another machine).
bool plain_name(const std::string& name) {
  return !name.empty() && name[0] != '.' && name.find('/') == std::string::npos && name.find('\0') == std::string::npos;
}

// What of SHARD's students has no whole result in its dir.
std::vector<std::string> missing_results(const ShardDir& shard) {
  std::vector<std::string> missing;
  for (const auto& s : shard.manifest.students) {
    std::ifstream in(shard.dir / "results" / (s.file_name + ".json"));
    if (!plain_name(s.file_name) || nlohmann::json::parse(in, nullptr, false).is_discarded()) missing.push_back(s.id);
  }
  return missing;
}

Status copy_atomically(const fs::path& from, const fs::path& to) {
  auto text = read_whole_file(from);
  if (!text) return text.error();
  return write_file_atomically(to, *text);
}

// One student's result and feedback, from a shard's dir to OUT: the feedback first, as batch writes them.
Status copy_student(const ShardDir& shard, const ClassMember& s, const fs::path& out) {
  std::vector<std::string> feedback = {".md", ".html"};
  for (const auto& format : shard.manifest.formats)
    if (const report::Writer* w = report::find_writer(format)) feedback.push_back(w->extension);
  for (const auto& ext : feedback)
    if (auto c = copy_atomically(shard.dir / "feedback" / (s.file_name + ext), out / "feedback" / (s.file_name + ext)); !c)
      return c;
  return copy_atomically(shard.dir / "results" / (s.file_name + ".json"), out / "results" / (s.file_name + ".json"));
}

Result<BatchOptions> options_of(const ShardManifest& m, const fs::path& out) {
  BatchOptions o;
  o.assignment_dir = m.assignment_dir;
  o.input = m.input;
  o.out = out;
  o.seed = m.seed;
  o.lang = m.lang == "zh" ? catalogue::Lang::Zh : catalogue::Lang::En;
  o.similarity = m.similarity;
  o.formats = m.formats;
  o.roster_path = m.roster;
  o.late_path = m.late;
  if (!m.roster.empty()) {
    auto roster = read_roster(m.roster);
    if (!roster) return roster.error();
    o.roster = std::move(*roster);
  }
  if (!m.late.empty()) {
    auto late = read_late_policy(m.late);
    if (!late) return late.error();
    o.late = std::move(*late);
  }
  return o;
}

}  // namespace

std::string rerun_command(std::vector<std::string> command, size_t index, size_t count, const std::string& out) {
  const std::string shard = std::to_string(index) + "/" + std::to_string(count);
  for (size_t i = 0; i < command.size(); i++) {
    if ((command[i] == "--shard" || command[i] == "--out") && i + 1 < command.size())
      command[i + 1] = command[i] == "--shard" ? shard : out;
    else if (command[i].rfind("--shard=", 0) == 0)
      command[i] = "--shard=" + shard;
    else if (command[i].rfind("--out=", 0) == 0)
      command[i] = "--out=" + out;
  }
  std::string line;
  for (const auto& word : command) line += (line.empty() ? "" : " ") + shell_quoted(word);
  return line;
}

Result<MergeOutcome> merge_shards(const std::vector<fs::path>& dirs, const fs::path& out) {
  MergeOutcome outcome;
  std::map<size_t, ShardDir> shards;
  for (const auto& dir : dirs) {
    std::ifstream in(dir / "shard.json");
    auto manifest = shard_manifest_from_json(nlohmann::json::parse(in, nullptr, false));
    if (!manifest) {
      outcome.incomplete.push_back(dir.string() + ": no readable shard.json (" + manifest.error().message() +
                                   "): not a shard's results dir, or its shard never started");
      continue;
    }
    if (!shards.empty())
      if (std::string what = disagreement(shards.begin()->second.manifest, *manifest); !what.empty())
        return Error{dir.string() + " and " + shards.begin()->second.dir.string() + " are not shards of one class: " +
                     what + " differs"};
    const size_t index = manifest->shard.index;
    if (auto [it, added] = shards.try_emplace(index, ShardDir{dir, std::move(*manifest)}); !added)
      return Error{dir.string() + " and " + it->second.dir.string() + " are both " +
                   shard_name(index, it->second.manifest.shard.count)};
  }
  if (shards.empty()) return outcome;
  const ShardManifest& first = shards.begin()->second.manifest;
  const size_t count = first.shard.count;
  for (size_t k = 0; k < count; k++) {
    auto it = shards.find(k);
    if (it == shards.end()) {
      outcome.incomplete.push_back(shard_name(k, count) + ": no results dir given");
      outcome.reruns.push_back(rerun_command(first.command, k, count, "DIR-FOR-SHARD-" + std::to_string(k)));
      continue;
    }
    const auto missing = it->second.manifest.complete ? missing_results(it->second) : std::vector<std::string>{};
    if (it->second.manifest.complete && missing.empty()) continue;
    outcome.incomplete.push_back(shard_name(k, count) + " in " + it->second.dir.string() + ": " +
                                 (it->second.manifest.complete ? std::to_string(missing.size()) + " results missing (" + missing.front() + ", ...)"
                                                               : "did not finish"));
    outcome.reruns.push_back(rerun_command(it->second.manifest.command, k, count, it->second.dir.string()));
  }
  if (!outcome.incomplete.empty()) return outcome;

  auto spec = spec::load_assignment(first.assignment_dir);
  if (!spec) return spec.error();
  auto options = options_of(first, out);
  if (!options) return options.error();
  if (first.similarity)
    if (auto dolos = dolos_dir(); !dolos) return dolos.error();
  std::error_code ec;
  for (const char* sub : {"results", "feedback"}) fs::create_directories(out / sub, ec);
  if (ec) return Error{out.string() + ": " + ec.message()};

  ClassInputs inputs;
  inputs.canvas_layout = first.layout == "canvas";
  for (const auto& [k, shard] : shards)
    for (const auto& s : shard.manifest.students) {
      if (auto c = copy_student(shard, s, out); !c) return c.error();
      inputs.members.push_back(s);
      const fs::path sources = shard.dir / "sources" / s.file_name;
      if (first.similarity && fs::is_directory(sources, ec))
        if (auto found = engine::find_submission(sources, *spec); found && !found->sources.empty())
          inputs.sources.push_back({s.id, sources, found->sources});
    }
  auto by_id = [](const auto& a, const auto& b) { return a.id < b.id; };
  std::sort(inputs.members.begin(), inputs.members.end(), by_id);
  std::sort(inputs.sources.begin(), inputs.sources.end(), by_id);
  outcome.summary.students = inputs.members.size();
  outcome.similarity = first.similarity;
  if (auto w = write_class_files(*spec, *options, inputs, outcome.summary); !w) return w.error();
  return outcome;
}

}  // namespace shm::batch
