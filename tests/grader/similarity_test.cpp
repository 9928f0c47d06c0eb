// shmgrade batch --similarity: Dolos finds a renamed copy, ignores the starter code, locates the shared
// lines, survives garbage and giant sources, and says how to install it when it is missing.
#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>
#include <sstream>

#include "batch_support.hpp"

namespace fs = std::filesystem;
using namespace batchtest;

namespace {

const fs::path kAssignments = fs::path(SOURCE_DIR) / "assignments";

// Lines FIRST..LAST (1-based) of PATH, as the report and similarity.json quote them.
std::string lines_of(const std::string& path, int first, int last) {
  std::istringstream in(read(path));
  std::string line, out;
  for (int n = 1; std::getline(in, line); n++)
    if (n >= first && n <= last) out += (out.empty() ? "" : "\n") + line;
  return out;
}

// alice: a correct sample; bob: alice's code renamed, recommented and moved down; carol: another program
// altogether; dave and erin: the starter code untouched; garbage: bytes; giant: a 1 MiB "source".
void make_similarity_class(const std::string& dir) {
  for (const char* who : {"alice", "bob", "carol", "dave", "erin", "garbage", "giant"}) fs::create_directories(dir + "/" + who);
  fs::copy(kSamples / "correct_atomic/counter.c", dir + "/alice/counter.c");
  shell("(printf '/* my own work */\\n\\n\\n'; sed -e 's/count/total/g; s/nprocs/workers/g; s/iters/rounds/g; "
        "s/Correct sample[^*]*/mine /' " + dir + "/alice/counter.c) > " + dir + "/bob/main.c");
  fs::copy(kAssignments / "mapcat/samples/correct/mapcat.c", dir + "/carol/counter.c");
  for (const char* who : {"dave", "erin"}) fs::copy(kAssignments / "counter/starter/counter.c", dir + "/" + who + "/counter.c");
  shell("head -c 4096 /dev/urandom > " + dir + "/garbage/counter.c");
  shell("yes 'int x;' | head -c 1048576 > " + dir + "/giant/counter.c");
}

// batch --similarity with Dolos looked for in DOLOS.
shmtest::ProcessResult batch_with_dolos_in(const std::string& dolos, const std::string& input, const std::string& out) {
  return shmtest::run({"/usr/bin/env", "SHMGRADE_DOLOS_DIR=" + dolos, SHMGRADE_BIN, "batch", "counter", input, "--out",
                       out, "--similarity"},
                      {.timeout_s = 300});
}

}  // namespace

TEST_CASE("batch --similarity: a renamed copy is the top pair with its shared lines, the starter code does not count",
          "[batch][similarity]") {
  shmtest::TempDir input, out, profile;
  make_similarity_class(input.path());
  auto r = batch(input.path(), out.path(), {"--similarity"});
  INFO(r.describe());
  REQUIRE(r.exit_code == 1);  // below full marks, and nothing failed
  CHECK_THAT(r.err, Catch::Contains("similarity: giant: counter.c larger than 512 KiB, left out"));

  const auto rows = parse_csv(read(out.file("similarity.csv")));
  REQUIRE(rows.size() >= 2);
  CHECK(rows[0] == std::vector<std::string>{"left", "right", "similarity", "longest_fragment", "left_lines", "right_lines"});
  CHECK(rows[1][0] == "alice");
  CHECK(rows[1][1] == "bob");
  CHECK(std::stod(rows[1][2]) >= 0.9);
  for (size_t i = 2; i < rows.size(); i++) {
    INFO(rows[i][0] << " " << rows[i][1]);
    CHECK(std::stod(rows[i][2]) < std::stod(rows[1][2]));
    CHECK_FALSE((rows[i][0] == "dave" && rows[i][1] == "erin"));  // alike only in the starter: not listed
    CHECK(rows[i][0] != "giant");
    CHECK(rows[i][1] != "giant");
  }

  // Each fragment quotes the lines it names, in each student's own file; the longest is bob's copy of
  // alice's lines, three lines further down.
  const auto json = nlohmann::json::parse(read(out.file("similarity.json")));
  CHECK(json["tool"] == "dolos");
  CHECK(json["submissions"] == 6);  // giant's only file was left out
  const auto& top = json["pairs"][0];
  REQUIRE(top["fragments"].size() >= 1);
  for (const auto& f : top["fragments"]) {
    CHECK(f["left"]["file"] == "counter.c");
    CHECK(f["right"]["file"] == "main.c");
    for (const auto& [side, file] : {std::pair{"left", "/alice/counter.c"}, {"right", "/bob/main.c"}}) {
      const int first = f[side]["first"].get<int>(), last = std::min(f[side]["last"].get<int>(), first + 29);
      CHECK(f[side]["text"] == lines_of(input.path() + file, first, last));
    }
  }
  CHECK(top["fragments"][0]["right"]["first"].get<int>() == top["fragments"][0]["left"]["first"].get<int>() + 3);
  CHECK(rows[1][4] == "counter.c:" + std::to_string(top["fragments"][0]["left"]["first"].get<int>()) + "-" +
                          std::to_string(top["fragments"][0]["left"]["last"].get<int>()));

  // The report lists the same pairs, linked to the students' feedback, in a real browser.
  if (!fs::exists("/usr/bin/chromium")) FAIL("chromium is not installed: ci/deps installs it for this test");
  auto dom = chromium({"--dump-dom", "file://" + out.file("report.html")}, profile.path());
  REQUIRE(dom.exit_code == 0);
  std::regex row(R"re(<tr data-left="([^"]*)" data-right="([^"]*)" data-similarity="([0-9.]+)")re");
  size_t shown = 0;
  for (std::sregex_iterator it(dom.out.begin(), dom.out.end(), row), end; it != end; ++it, ++shown) {
    REQUIRE(shown + 1 < rows.size());
    CHECK((*it)[1] == rows[shown + 1][0]);
    CHECK((*it)[2] == rows[shown + 1][1]);
    CHECK((*it)[3] == rows[shown + 1][2]);
  }
  CHECK(shown == std::min<size_t>(20, rows.size() - 1));
  CHECK_THAT(dom.out, Catch::Contains("href=\"feedback/bob.md\">bob</a>"));
}

TEST_CASE("batch --similarity: without Dolos it is exit 2 saying what to run, before anyone is graded",
          "[batch][similarity]") {
  shmtest::TempDir input, out, empty;
  make_class(input.path());
  auto r = batch_with_dolos_in(empty.path(), input.path(), out.path());
  INFO(r.describe());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--similarity needs Dolos") && Catch::Contains("run ci/deps"));
  CHECK(fs::is_empty(out.path() + "/results"));
}

TEST_CASE("batch --similarity: Dolos's failure is exit 3 with its reason, the grades stand", "[batch][similarity]") {
  shmtest::TempDir input, out, broken;
  make_class(input.path());
  // A Dolos folder whose script throws: the batch must say so, not write an empty similarity.csv.
  fs::create_directories(broken.path() + "/node_modules/@dodona/dolos-lib");
  shell("echo 'throw new Error(\"tokenizer exploded\")' > " + broken.path() + "/dolos_pairs.mjs && chmod -R a+rX " + broken.path());
  auto r = batch_with_dolos_in(broken.path(), input.path(), out.path());
  INFO(r.describe());
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Catch::Contains("similarity: Dolos failed") && Catch::Contains("tokenizer exploded"));
  CHECK_FALSE(fs::exists(out.file("similarity.csv")));
  CHECK(parse_csv(read(out.file("gradebook.csv"))).size() == 7);
  CHECK(read(out.file("report.html")).find("Similar submissions") == std::string::npos);
}
