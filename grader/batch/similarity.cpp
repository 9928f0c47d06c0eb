#include "similarity.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "engine/build.hpp"
#include "files.hpp"
#include "gradebook.hpp"
#include "report/report.hpp"
#include "sandbox.hpp"
#include "text.hpp"
#include "runtime_files.hpp"

namespace shm::batch {

namespace fs = std::filesystem;

namespace {

constexpr uintmax_t kMaxSourceBytes = 512 * 1024;  // a bigger "source" is not a student's code: left out, said so
constexpr const char* kScript = "dolos_pairs.mjs";

// Copies the files of SOURCES in DIR to WORK/TO (names kept, ordered), for the manifest: their paths relative
// to the sandbox's work dir. Files too big or unreadable become warnings.
nlohmann::json copy_sources(const fs::path& dir, const std::vector<std::string>& sources, const fs::path& work,
                            const std::string& to, const std::string& whose, std::vector<std::string>& warnings) {
  nlohmann::json files = nlohmann::json::array();
  std::error_code ec;
  fs::create_directories(work / to, ec);
  for (size_t i = 0; i < sources.size(); i++) {
    const fs::path from = dir / sources[i];
    const uintmax_t size = fs::file_size(from, ec);
    if (ec || size > kMaxSourceBytes) {
      warnings.push_back(whose + ": " + sources[i] + (ec ? " unreadable" : " larger than 512 KiB") + ", left out");
      continue;
    }
    const std::string rel = to + "/" + std::to_string(i) + ".src";  // no student's name reaches a path
    fs::copy_file(from, work / rel, ec);
    if (ec) {
      warnings.push_back(whose + ": " + sources[i] + " could not be copied, left out");
      continue;
    }
    files.push_back({{"name", sources[i]}, {"path", rel}});
  }
  return files;
}

CodeExcerpt excerpt_from_json(const nlohmann::json& j) {
  return {j.value("file", ""), j.value("first", 0), j.value("last", 0), j.value("text", "")};
}

Result<Similarity> similarity_from_dolos(const std::string& out, size_t submissions) {
  const auto j = nlohmann::json::parse(out, nullptr, false);
  if (j.is_discarded() || !j.contains("pairs") || !j["pairs"].is_array())
    return Error{"Dolos's answer is not the JSON dolos_pairs.mjs writes"};
  Similarity result;
  result.submissions = submissions;
  for (const auto& p : j["pairs"]) {
    SimilarPair pair{p.value("left", ""), p.value("right", ""), p.value("similarity", 0.0), p.value("longest", size_t(0)), {}};
    for (const auto& f : p.value("fragments", nlohmann::json::array()))
      pair.fragments.push_back({f.value("kgrams", size_t(0)), excerpt_from_json(f["left"]), excerpt_from_json(f["right"])});
    result.pairs.push_back(std::move(pair));
  }
  for (const auto& w : j.value("warnings", nlohmann::json::array()))
    if (w.is_string()) result.warnings.push_back(w.get<std::string>());
  return result;
}

std::string lines_of(const CodeExcerpt& e) {
  return e.file + ":" + std::to_string(e.first) + (e.last > e.first ? "-" + std::to_string(e.last) : "");
}

}  // namespace

Result<fs::path> dolos_dir() {
  const char* env = std::getenv("SHMGRADE_DOLOS_DIR");
  const fs::path dir = env && *env ? fs::path(env) : runtime_file(RuntimeFile::Dolos);
  std::error_code ec;
  if (!fs::exists(dir / "node_modules" / "@dodona" / "dolos-lib", ec) || !fs::exists(dir / kScript, ec))
    return Error{"--similarity needs Dolos (npm @dodona/dolos-lib) in " + dir.string() +
                 "/node_modules: run ci/deps, which installs it from the lockfile there"};
  return fs::absolute(dir, ec);
}

Result<Similarity> find_similar(const spec::AssignmentSpec& spec, const fs::path& assignment_dir,
                                const std::vector<StudentSources>& students) {
  auto dolos = dolos_dir();
  if (!dolos) return dolos.error();
  auto work = TempTree::make("similarity");
  if (!work) return work.error();

  std::vector<std::string> warnings;
  nlohmann::json manifest = {{"language", spec.language == "c++" ? "cpp" : "c"},
                             {"top", kTopPairs},
                             {"fragments", kFragmentsPerPair},
                             {"submissions", nlohmann::json::array()}};
  for (size_t i = 0; i < students.size(); i++) {
    auto files = copy_sources(students[i].dir, students[i].sources, work->path(), "s/" + std::to_string(i),
                              students[i].id, warnings);
    if (!files.empty()) manifest["submissions"].push_back({{"id", students[i].id}, {"files", files}});
  }
  auto starter = engine::find_submission(assignment_dir / "starter", spec);
  manifest["template"] = nlohmann::json::array();
  if (starter)
    for (const auto& f : copy_sources(starter->dir, starter->sources, work->path(), "template", "starter", warnings))
      manifest["template"].push_back(f["path"]);

  const size_t analysed = manifest["submissions"].size();
  if (analysed < 2) return Similarity{analysed, {}, {"fewer than two submissions with source files: nothing to compare"}};
  if (auto w = write_file_atomically(work->path() / "manifest.json", manifest.dump()); !w) return w.error();

  sandbox::Request req;
  req.workdir = work->path().string();
  req.give_back_workdir = true;
  req.read_only_dirs = {dolos->string()};
  req.argv = {"node", (*dolos / kScript).string(), "manifest.json"};
  req.limits = sandbox::Limits::defaults(sandbox::Profile::Compile);
  req.limits[sandbox::Limit::WallTime] = req.limits[sandbox::Limit::CpuTime] = 600 * 1000;
  req.limits[sandbox::Limit::Memory] = 4096ull << 20;  // V8 and tree-sitter for a class of 1,000
  req.limits[sandbox::Limit::Output] = 32ull << 20;
  auto outcome = sandbox::run(req);
  if (!outcome) return outcome.error();
  if (outcome->verdict != sandbox::Verdict::Ok) {
    const std::string err = outcome->err.size() > 800 ? outcome->err.substr(outcome->err.size() - 800) : outcome->err;
    return Error{std::string("Dolos failed (") + sandbox::verdict_name(outcome->verdict) +
                 (outcome->limit_hit.empty() ? "" : ", " + outcome->limit_hit + " limit") +
                 (outcome->violations.empty() ? "" : ", called " + outcome->violations[0].syscall) + "): " + valid_utf8(err)};
  }
  auto similarity = similarity_from_dolos(outcome->out, analysed);
  if (similarity) similarity->warnings.insert(similarity->warnings.begin(), warnings.begin(), warnings.end());
  return similarity;
}

std::string similarity_csv(const Similarity& similarity) {
  std::ostringstream csv;
  csv << "left,right,similarity,longest_fragment,left_lines,right_lines\n";
  for (const auto& p : similarity.pairs) {
    const bool located = !p.fragments.empty();
    csv << csv_cell(p.left) << ',' << csv_cell(p.right) << ',' << report::number(std::round(p.similarity * 1000) / 1000)
        << ',' << p.longest << ',' << csv_cell(located ? lines_of(p.fragments[0].left) : "") << ','
        << csv_cell(located ? lines_of(p.fragments[0].right) : "") << '\n';
  }
  return csv.str();
}

nlohmann::json to_json(const Similarity& similarity) {
  auto excerpt = [](const CodeExcerpt& e) {
    return nlohmann::json{{"file", e.file}, {"first", e.first}, {"last", e.last}, {"text", e.text}};
  };
  nlohmann::json pairs = nlohmann::json::array();
  for (const auto& p : similarity.pairs) {
    nlohmann::json fragments = nlohmann::json::array();
    for (const auto& f : p.fragments)
      fragments.push_back({{"kgrams", f.kgrams}, {"left", excerpt(f.left)}, {"right", excerpt(f.right)}});
    pairs.push_back({{"left", p.left}, {"right", p.right}, {"similarity", p.similarity}, {"longest", p.longest},
                     {"fragments", fragments}});
  }
  return {{"tool", "dolos"}, {"submissions", similarity.submissions}, {"pairs", pairs}, {"warnings", similarity.warnings}};
}

}  // namespace shm::batch
