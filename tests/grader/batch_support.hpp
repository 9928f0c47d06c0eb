// What the batch tests share: running `shmgrade batch`, reading its CSV and results, a small class of the
// counter samples, and headless Chromium.
#pragma once

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "process.hpp"

namespace batchtest {

namespace fs = std::filesystem;

inline const fs::path kSamples = fs::path(SOURCE_DIR) / "assignments/counter/samples";

inline shmtest::ProcessResult shell(const std::string& command) {
  auto r = shmtest::run({"/bin/sh", "-c", command});
  INFO(command << "\n" << r.describe());
  REQUIRE(r.exit_code == 0);
  return r;
}

inline shmtest::ProcessResult batch(const std::string& input, const std::string& out, std::vector<std::string> more = {}) {
  std::vector<std::string> argv = {SHMGRADE_BIN, "batch", "counter", input, "--out", out, "--jobs", "2"};
  argv.insert(argv.end(), more.begin(), more.end());
  return shmtest::run(argv, {.timeout_s = 300});
}

inline nlohmann::json result_of(const std::string& out, const std::string& id) {
  std::ifstream in(out + "/results/" + id + ".json");
  return nlohmann::json::parse(in, nullptr, false);
}

// RFC 4180 rows, for checking what a spreadsheet would read.
inline std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string cell;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); i++) {
    const char c = text[i];
    if (quoted && c == '"' && i + 1 < text.size() && text[i + 1] == '"') cell += '"', i++;
    else if (c == '"') quoted = !quoted;
    else if (!quoted && c == ',') rows.back().push_back(cell), cell.clear();
    else if (!quoted && c == '\n') rows.back().push_back(cell), cell.clear(), rows.emplace_back();
    else cell += c;
  }
  rows.pop_back();  // after the last newline
  return rows;
}

inline std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// A class of five: three folders, a tar.gz and a zip of the samples.
inline void make_class(const std::string& dir) {
  for (const char* s : {"correct_atomic", "missing_ftruncate", "unsynchronised"}) fs::copy(kSamples / s, fs::path(dir) / s);
  shell("cd " + (kSamples / "null_check").string() + " && bsdtar -czf " + dir + "/alice.tar.gz counter.c");
  shell("cd " + (kSamples / "map_private").string() + " && bsdtar --format zip -cf " + dir + "/bob.zip counter.c");
}

// Every result but its timing.
inline std::map<std::string, std::string> results_without_timing(const std::string& out) {
  std::map<std::string, std::string> all;
  for (const auto& e : fs::directory_iterator(out + "/results")) {
    if (e.path().extension() != ".json") continue;  // a result; not a write's temporary file (.partial-XXXXXX)
    auto j = nlohmann::json::parse(read(e.path()), nullptr, false);
    REQUIRE_FALSE(j.is_discarded());  // every file whole
    j.erase("elapsed_s");
    all[e.path().filename().string()] = j.dump();
  }
  return all;
}


// Headless Chromium: the DOM after the page's scripts ran, or a screenshot.
inline shmtest::ProcessResult chromium(const std::vector<std::string>& args, const std::string& profile) {
  std::vector<std::string> argv = {"/usr/bin/chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
                                   "--no-first-run", "--user-data-dir=" + profile};
  argv.insert(argv.end(), args.begin(), args.end());
  return shmtest::run(argv, {.timeout_s = 120});
}

}  // namespace batchtest
