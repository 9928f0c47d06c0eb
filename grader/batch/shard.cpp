#include "shard.hpp"

#include <cstdlib>

#include "ledger.hpp"

namespace shm::batch {

namespace {

// A whole non-negative decimal number, nothing around it.
std::optional<size_t> whole_number(const std::string& text) {
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return size_t(std::stoul(text));
}

Result<size_t> variable(const Environment& env, const std::string& name, const std::string& engine) {
  const auto value = env(name);
  if (!value) return Error{"--shard auto: " + engine + " sets no " + name};
  const auto n = whole_number(*value);
  if (!n) return Error{"--shard auto: " + name + "=" + *value + " is not a whole number"};
  return *n;
}

Result<Shard> checked(size_t index, size_t count, const std::string& source, const std::string& how) {
  if (count == 0) return Error{"--shard: " + source + " gives a shard count of 0 (" + how + ")"};
  if (index >= count)
    return Error{"--shard: " + source + " gives shard " + std::to_string(index) + " of " + std::to_string(count) +
                 ", past the last (" + how + ")"};
  return Shard{index, count, source};
}

// Slurm array tasks: indices may start anywhere and be stepped (--array=1-7:2); a listed set (--array=0,3,8)
// has no step to go by and usually fails the range check.
Result<Shard> from_slurm(const Environment& env) {
  auto id = variable(env, "SLURM_ARRAY_TASK_ID", "Slurm");
  auto count = variable(env, "SLURM_ARRAY_TASK_COUNT", "Slurm");
  auto min = variable(env, "SLURM_ARRAY_TASK_MIN", "Slurm");
  for (auto* r : {&id, &count, &min})
    if (!*r) return r->error();
  size_t step = 1;
  if (env("SLURM_ARRAY_TASK_STEP")) {
    auto s = variable(env, "SLURM_ARRAY_TASK_STEP", "Slurm");
    if (!s) return s.error();
    step = std::max<size_t>(1, *s);
  }
  if (*id < *min || (*id - *min) % step != 0)
    return Error{"--shard auto: SLURM_ARRAY_TASK_ID=" + std::to_string(*id) + " is not on the array's range from " +
                 std::to_string(*min) + " by " + std::to_string(step) + " (use --shard K/N with a listed array)"};
  return checked((*id - *min) / step, *count, "Slurm", "SLURM_ARRAY_TASK_ID, _MIN, _STEP, _COUNT");
}

}  // namespace

std::optional<std::string> process_environment(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  return value ? std::optional<std::string>(value) : std::nullopt;
}

Result<Shard> parse_shard(const std::string& text, std::optional<size_t> count, const Environment& env) {
  if (text != "auto") {
    const size_t slash = text.find('/');
    const auto k = whole_number(text.substr(0, slash));
    const auto n = slash == std::string::npos ? std::nullopt : whole_number(text.substr(slash + 1));
    if (!k || !n) return Error{"--shard " + text + ": expected K/N (0-based, e.g. 0/4) or auto"};
    return checked(*k, *n, "--shard", text);
  }
  if (env("SLURM_ARRAY_TASK_ID")) return from_slurm(env);
  if (env("JOB_COMPLETION_INDEX")) {  // a Kubernetes Indexed Job: the index is 0-based, the count is ours to give
    auto index = variable(env, "JOB_COMPLETION_INDEX", "Kubernetes");
    if (!index) return index.error();
    if (!count) return Error{"--shard auto: a Kubernetes Indexed Job needs --shard-count (the Job's completions)"};
    return checked(*index, *count, "Kubernetes", "JOB_COMPLETION_INDEX, --shard-count");
  }
  if (env("CI_NODE_INDEX") || env("CI_NODE_TOTAL")) {  // GitLab's parallel: counts from 1
    auto index = variable(env, "CI_NODE_INDEX", "GitLab");
    auto total = variable(env, "CI_NODE_TOTAL", "GitLab");
    if (!index) return index.error();
    if (!total) return total.error();
    if (*index == 0) return Error{"--shard auto: CI_NODE_INDEX=0, but GitLab counts from 1"};
    return checked(*index - 1, *total, "GitLab", "CI_NODE_INDEX, CI_NODE_TOTAL");
  }
  return Error{"--shard auto: no engine's variables are set (Slurm SLURM_ARRAY_TASK_ID, Kubernetes "
               "JOB_COMPLETION_INDEX, GitLab CI_NODE_INDEX); on GitHub Actions pass --shard "
               "${{ strategy.job-index }}/${{ strategy.job-total }}"};
}

bool in_shard(const std::string& id, const Shard& shard) {
  if (shard.count <= 1) return true;
  const uint64_t h = std::strtoull(sha256_hex(id).substr(0, 15).c_str(), nullptr, 16);
  return h % shard.count == shard.index;
}

nlohmann::ordered_json to_json(const ShardManifest& m) {
  nlohmann::ordered_json students = nlohmann::ordered_json::array();
  for (const auto& s : m.students) students.push_back({{"id", s.id}, {"file_name", s.file_name}});
  return {{"schema", "shmgrade-shard/1"}, {"shard", m.shard.index}, {"of", m.shard.count}, {"from", m.shard.source},
          {"complete", m.complete}, {"assignment_dir", m.assignment_dir}, {"spec_sha256", m.spec_sha256},
          {"grader_version", m.grader_version}, {"seed", m.seed}, {"input", m.input}, {"layout", m.layout},
          {"roster", m.roster}, {"late", m.late}, {"lang", m.lang}, {"similarity", m.similarity},
          {"formats", m.formats}, {"class_size", m.class_size}, {"students", students}, {"command", m.command}};
}

Result<ShardManifest> shard_manifest_from_json(const nlohmann::json& j) {
  if (!j.is_object() || j.value("schema", "") != "shmgrade-shard/1") return Error{"not a shmgrade-shard/1 manifest"};
  try {
    ShardManifest m;
    m.shard = {j.at("shard").get<size_t>(), j.at("of").get<size_t>(), j.at("from").get<std::string>()};
    m.complete = j.at("complete").get<bool>();
    for (auto [key, field] : {std::pair{"assignment_dir", &m.assignment_dir}, {"spec_sha256", &m.spec_sha256},
                              {"grader_version", &m.grader_version}, {"input", &m.input}, {"layout", &m.layout},
                              {"roster", &m.roster}, {"late", &m.late}, {"lang", &m.lang}})
      *field = j.at(key).get<std::string>();
    m.seed = j.at("seed").get<uint64_t>();
    m.similarity = j.at("similarity").get<bool>();
    m.formats = j.at("formats").get<std::vector<std::string>>();
    m.class_size = j.at("class_size").get<size_t>();
    for (const auto& s : j.at("students")) m.students.push_back({s.at("id").get<std::string>(), s.at("file_name").get<std::string>()});
    m.command = j.at("command").get<std::vector<std::string>>();
    if (m.shard.count == 0 || m.shard.index >= m.shard.count) return Error{"shard " + std::to_string(m.shard.index) + " of " + std::to_string(m.shard.count)};
    return m;
  } catch (const nlohmann::json::exception& e) {
    return Error{std::string("a key is missing or of the wrong type: ") + e.what()};
  }
}

}  // namespace shm::batch
