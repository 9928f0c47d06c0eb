// Gradescope's "Export Submissions": submission_metadata.yml maps submission_<id> to its :submitters: (each
// with :name:, :sid:, :email:) and :created_at:, beside one folder per submission. The YAML is read by
// yaml-cpp in a child process: a file crafted to exhaust the parser (deep nesting) ends that child, not the
// batch.
#include <sys/wait.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <ctime>
#include <map>
#include <nlohmann/json.hpp>

#include "inputs.hpp"

namespace shm::batch {

namespace fs = std::filesystem;

int64_t parse_created_at(const std::string& text) {
  tm parts{};
  if (std::sscanf(text.c_str(), "%d-%d-%d%*[ T]%d:%d:%d", &parts.tm_year, &parts.tm_mon, &parts.tm_mday, &parts.tm_hour,
                  &parts.tm_min, &parts.tm_sec) != 6)
    return 0;
  parts.tm_year -= 1900;
  parts.tm_mon -= 1;
  int64_t t = timegm(&parts);
  const size_t sign = text.find_last_of("+-");
  if (sign != std::string::npos && sign > 10) {
    int hours = 0, minutes = 0;
    if (std::sscanf(text.c_str() + sign + 1, "%2d:%2d", &hours, &minutes) == 2 ||
        std::sscanf(text.c_str() + sign + 1, "%2d%2d", &hours, &minutes) == 2)
      t -= (text[sign] == '-' ? -1 : 1) * int64_t(hours * 3600 + minutes * 60);
  }
  return t;
}

namespace {

std::string scalar(const YAML::Node& node, const char* key) {
  const YAML::Node value = node[key];
  return value && value.IsScalar() ? value.as<std::string>() : "";
}

// In the child: the metadata as JSON {"submission_1": {"sid", "name", "email", "created_at"}}.
std::string metadata_json(const fs::path& file) {
  nlohmann::json out = nlohmann::json::object();
  const YAML::Node root = YAML::LoadFile(file.string());
  if (!root.IsMap()) throw std::runtime_error("not a mapping of submission_<id> keys");
  for (const auto& entry : root) {
    const std::string key = entry.first.as<std::string>();
    const YAML::Node submission = entry.second;
    if (!submission.IsMap()) continue;
    nlohmann::json s = {{"created_at", parse_created_at(scalar(submission, ":created_at"))}};
    const YAML::Node submitters = submission[":submitters"];
    if (submitters && submitters.IsSequence() && submitters.size() > 0 && submitters[0].IsMap())
      for (const char* field : {":sid", ":name", ":email"}) s[field + 1] = scalar(submitters[0], field);
    out[key] = s;
  }
  return out.dump();
}

// Runs metadata_json in a child process and returns what it wrote, or why it failed.
Result<nlohmann::json> read_metadata(const fs::path& file) {
  int pipefd[2];
  if (pipe(pipefd) < 0) return errno_error("pipe");
  fflush(nullptr);
  const pid_t child = fork();
  if (child < 0) return errno_error("fork");
  if (child == 0) {
    close(pipefd[0]);
    std::string text;
    int code = 0;
    try {
      text = metadata_json(file);
    } catch (const std::exception& e) {
      text = e.what(), code = 1;
    }
    for (size_t done = 0; done < text.size();) {
      const ssize_t n = write(pipefd[1], text.data() + done, text.size() - done);
      if (n <= 0) break;
      done += size_t(n);
    }
    _exit(code);
  }
  close(pipefd[1]);
  std::string text;
  char buf[65536];
  for (ssize_t n; (n = read(pipefd[0], buf, sizeof buf)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    text.append(buf, size_t(n));
  }
  close(pipefd[0]);
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status)) return Error{file.string() + ": the YAML parser died (signal " + std::to_string(WTERMSIG(status)) + ")"};
  if (WEXITSTATUS(status) != 0) return Error{file.string() + ": " + text};
  auto json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_discarded()) return Error{file.string() + ": unreadable"};
  return json;
}

}  // namespace

Result<ClassExport> read_gradescope_export(const fs::path& folder) {
  auto metadata = read_metadata(folder / "submission_metadata.yml");
  if (!metadata) return metadata.error();
  ClassExport out;
  out.layout = "gradescope";
  std::map<std::string, StudentFiles> by_id;
  for (const auto& [key, m] : metadata->items()) {
    const fs::path dir = folder / key;
    std::error_code ec;
    if (!fs::is_directory(dir, ec) || fs::is_symlink(dir, ec)) {
      out.ignored.push_back(key + " (in submission_metadata.yml, but no such folder)");
      continue;
    }
    // The student's id: their SID, else their email, else the submission's own id.
    std::string id = m.value("sid", "");
    if (id.empty()) id = m.value("email", "");
    if (id.empty()) id = key;
    StudentFiles& s = by_id[id];
    const int64_t created = m.value("created_at", int64_t(0));
    if (!s.paths.empty() && created <= s.submitted_at) continue;  // an older submission of the same student
    s = {id, {dir}, false, m.value("name", ""), created};
  }
  for (auto& [id, s] : by_id) out.students.push_back(std::move(s));
  return out;
}

}  // namespace shm::batch
