// shmgrade grade and list: the JSON result's schema and types, exit codes, determinism across 20 gradings.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "engine/build.hpp"
#include "grading/grade.hpp"
#include "grading/score.hpp"
#include "process.hpp"
#include "spec/assignment_spec.hpp"
#include "submissions.hpp"

namespace fs = std::filesystem;

namespace {

std::string sample(const std::string& name, const std::string& assignment = "counter") {
  return std::string(SOURCE_DIR) + "/assignments/" + assignment + "/samples/" + name;
}

nlohmann::json grade_json(const std::string& submission, int expected_exit, const std::string& assignment = "counter") {
  shmtest::TempDir out;
  auto r = shmtest::run({SHMGRADE_BIN, "grade", assignment, submission, "--format", "json", "--out", out.file("r.json")},
                        {.timeout_s = 180});
  INFO(r.describe());
  CHECK(r.exit_code == expected_exit);
  std::ifstream in(out.file("r.json"));
  return nlohmann::json::parse(in);
}

}  // namespace

TEST_CASE("grade --format json: the shmgrade-result/1 schema with the right types", "[grade]") {
  auto j = grade_json(sample("missing_ftruncate"), 1);
  CHECK(j["schema"] == "shmgrade-result/1");
  CHECK(j["assignment"] == "counter");
  CHECK(j["status"] == "graded");
  CHECK(j["score"].is_number());
  CHECK(j["score"] == 0);  // 1 point of tests, less 5 for missing-ftruncate, floored
  REQUIRE(j["findings"].size() == 1);
  const auto& f = j["findings"][0];
  CHECK(f["id"] == "missing-ftruncate");
  CHECK(f["severity"] == "error");
  CHECK(f["file"] == "counter.c");
  CHECK(f["line"] == 19);
  CHECK(f["test"] == "one process");
  CHECK(f["points"] == 5);
  CHECK_THAT(f["message"].get<std::string>(), Catch::Contains("0 bytes long"));
  CHECK(j["max_score"] == 17);
  CHECK(j["findings"].is_array());
  CHECK(j["elapsed_s"].is_number());
  REQUIRE(j["tests"].size() == 7);
  std::set<std::string> statuses = {"passed", "failed", "timeout", "crashed", "skipped"};
  for (const auto& t : j["tests"]) {
    CHECK(t["name"].is_string());
    CHECK(t["score"].is_number());
    CHECK(t["max_score"].is_number());
    CHECK(statuses.count(t["status"].get<std::string>()) == 1);
    CHECK(t["output"].is_string());
  }
  CHECK(j["tests"][0]["status"] == "crashed");
}

TEST_CASE("grade: a compile error still gets a JSON result, exit 1", "[grade]") {
  shmtest::TempDir broken;
  std::ofstream(broken.file("counter.c")) << "this is not C\n";
  auto j = grade_json(broken.path(), 1);
  CHECK(j["status"] == "compile-error");
  CHECK(j["score"] == 0);
  CHECK(j["tests"][0]["status"] == "skipped");
  CHECK_THAT(j["message"].get<std::string>(), Catch::Contains("error"));

  // The hint gives the compile command, sources in name order whatever order the directory lists them in (ext4
  // lists by a hash of the name: seven names come out in name order once in 5,040), so it is the same on
  // every machine.
  const std::vector<std::string> helpers = {"z", "b", "y", "a", "q", "m"};
  for (const auto& name : helpers) std::ofstream(broken.file(name + ".c")) << "int f_" << name << "(void) { return 1; }\n";
  CHECK_THAT(grade_json(broken.path(), 1)["findings"][0]["hint"].get<std::string>(),
             Catch::Contains("./a.c ./b.c ./counter.c ./m.c ./q.c ./y.c ./z.c -o counter"));
  for (const auto& name : helpers) fs::remove(broken.file(name + ".c"));

  // An error quoting a 300,000-character identifier (a line std::regex could not take) is still placed.
  std::ofstream(broken.file("counter.c"), std::ios::trunc) << "int main(void) { return " << std::string(300000, 'a')
                                                          << "; }\n";
  auto long_line = grade_json(broken.path(), 1);
  CHECK(long_line["status"] == "compile-error");
  REQUIRE(long_line["findings"].size() == 1);
  CHECK(long_line["findings"][0]["file"] == "counter.c");
  CHECK(long_line["findings"][0]["line"] == 1);
}

TEST_CASE("grade: the same submission graded 20 times gets the same score every time", "[grade]") {
  shmtest::TempDir sub;
  shmtest::copy_reference_counter(sub.path());
  std::set<double> scores;
  for (int i = 0; i < 20; i++) scores.insert(grade_json(sub.path(), 0)["score"].get<double>());
  CHECK(scores == std::set<double>{17});
}

// The score and every finding, with its place and message, of N gradings of one submission.
std::set<std::string> outcomes_of(const std::string& assignment, const std::string& submission, int n) {
  std::set<std::string> outcomes;
  for (int i = 0; i < n; i++) {
    auto j = grade_json(submission, 1, assignment);
    std::string seen = std::to_string(j["score"].get<double>());
    for (const auto& f : j["findings"]) seen += " " + f["id"].get<std::string>() + "@" + f["file"].dump() + ":" +
                                              f["line"].dump() + " " + f["message"].get<std::string>();
    outcomes.insert(seen);
  }
  return outcomes;
}

TEST_CASE("grade: a racy submission gets the same findings 20 times in a row", "[grade]") {
  auto outcomes = outcomes_of("counter", sample("unsynchronised"), 20);
  INFO(*outcomes.begin());
  CHECK(outcomes.size() == 1);
  CHECK_THAT(*outcomes.begin(), Catch::Contains("data-race@\"counter.c\":27"));
  // the stress test's lost update, with the seed a student passes back
  CHECK_THAT(*outcomes.begin(), Catch::Contains("(the schedule comes from --seed 1: shmgrade check counter . --seed 1 replays it)"));
}

TEST_CASE("grade: a race some schedules hide (producers sharing a tail) is found in every grading", "[grade]") {
  // Unrelated producer and consumer processes started by a shell; the consumers' semaphore posts used to order
  // the producers in many runs, so the finding and the score came and went. The output test running three
  // producers at once lost items in about one grading in 40 until the race decided it. Which further pairs of
  // lines are met still depends on the schedule, so the score, the tests' verdicts and the tail's race are compared.
  std::set<std::string> outcomes;
  for (int i = 0; i < 10; i++) {
    auto j = grade_json(sample("unlocked_indices", "prodcons"), 1, "prodcons");
    std::string seen = std::to_string(j["score"].get<double>());
    for (const auto& t : j["tests"]) seen += " " + t["status"].get<std::string>() + (t["race_decided"].get<bool>() ? "!" : "");
    for (const auto& f : j["findings"])
      if (f["id"] == "data-race" && f["line"] == 55) seen += " data-race@55";
      else if (f["id"] != "data-race") seen += " " + f["id"].get<std::string>();
    outcomes.insert(seen);
  }
  INFO(*outcomes.begin());
  // the race decides the three-producer test and the race test (4 + 2 points, more than the finding's 5)
  CHECK(outcomes == std::set<std::string>{"9.000000 passed failed! passed passed passed passed failed! data-race@55"});
}

TEST_CASE("grade: usage and configuration errors are exit status 2", "[grade]") {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"grade"}, {"grade", "counter", ".", "--format", "xml"}, {"grade", "no-such-assignment", "."},
        {"grade", "counter", ".", "--lang", "fr"}, {"explain", "no-such-finding"}, {"frobnicate"},
        {"grade", "counter", ".", "--out", "/nonexistent/r.json"}}) {
    std::vector<std::string> argv = {SHMGRADE_BIN};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = shmtest::run(argv);
    INFO(r.describe());
    CHECK(r.exit_code == 2);
    CHECK_FALSE(r.err.empty());
  }
}

TEST_CASE("grade: a hostile submission gets a verdict below full marks and harms nothing", "[grade]") {
  const std::string hostile = std::string(SOURCE_DIR) + "/tests/hostile/submissions/counter_hostile";
  shmtest::TempDir out;
  auto r = shmtest::run({SHMGRADE_BIN, "grade", "counter", hostile, "--format", "github"}, {.timeout_s = 300});
  INFO(r.describe());
  CHECK(r.exit_code == 1);
  // Its output shows up only inside the stop-commands fence; outside it, every line is one of ours.
  std::smatch m;
  REQUIRE(std::regex_search(r.out, m, std::regex("::stop-commands::(shmgrade-[0-9a-f]{32})\n")));
  const size_t end = r.out.find("::" + std::string(m[1]) + "::");
  REQUIRE(end != std::string::npos);
  std::istringstream after(r.out.substr(end));
  for (std::string line; std::getline(after, line);) {
    CHECK(line.find("pwned") == std::string::npos);
    CHECK(line.find("forged") == std::string::npos);
  }
  auto j = grade_json(hostile, 1);
  CHECK(j["status"] == "graded");
  CHECK(j["score"] < j["max_score"]);
  // The race detector's report it wrote itself neither stopped a test nor became a finding.
  for (const auto& t : j["tests"]) CHECK_THAT(t["output"].get<std::string>(), !Catch::Contains("internal"));
  for (const auto& f : j["findings"]) {
    CHECK(f["id"] != "data-race");
    CHECK(f["id"] != "sync-not-shared");
  }
  bool limited = false;  // its fork loop hits the process limit in every run
  for (const auto& f : j["findings"]) limited |= f["id"] == "resource-limit";
  CHECK(limited);
  // The suite guard checks /dev/shm and ipcs after each test; the daemon must be gone too.
  bool alive = false;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    std::ifstream comm(entry.path() / "comm");
    std::string name;
    alive |= comm >> name && name == "counter";
  }
  CHECK_FALSE(alive);
}

TEST_CASE("list: every assignment with its title, and a broken spec is flagged", "[grade]") {
  auto r = shmtest::run({SHMGRADE_BIN, "list"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("counter\tShared counter in a mapped file (7 tests)"));
  shmtest::TempDir dir;
  fs::create_directory(dir.file("broken"));
  std::ofstream(dir.file("broken/assignment.toml")) << "title = \n";
  auto bad = shmtest::run({SHMGRADE_BIN, "list", "--assignments", dir.path()});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.out, Catch::Contains("broken\tINVALID: ") && Catch::Contains("assignment.toml:1:"));
}

TEST_CASE("grade: each test that ends gives a partial grade (--partial) and the last agrees with the final grade",
          "[grade]") {
  namespace engine = shm::engine;
  namespace grading = shm::grading;
  auto spec = shm::spec::load_assignment(fs::path(SOURCE_DIR) / "assignments/counter");
  REQUIRE(spec.ok());
  std::vector<grading::Grade> partials;
  grading::GradeOptions options{1, 2, [&](const grading::Grade& g) { partials.push_back(g); }};
  const auto final = grading::grade(*spec, fs::path(SOURCE_DIR) / "assignments/counter/samples/null_check", options);
  REQUIRE(partials.size() == spec->tests.size());
  for (size_t k = 0; k < partials.size(); k++) {
    size_t ended = 0;
    for (const auto& t : partials[k].tests) ended += t.status != engine::TestStatus::Skipped;
    INFO("partial " << k);
    CHECK(ended == k + 1);
    CHECK(partials[k].findings.empty());
    CHECK_THAT(partials[k].message, Catch::Contains("partial result: " + std::to_string(k + 1) + " of 7 tests"));
  }
  for (size_t i = 0; i < final.tests.size(); i++) {
    CHECK(partials.back().tests[i].status == final.tests[i].status);
    CHECK(partials.back().tests[i].score == final.tests[i].score);
  }
  CHECK(final.message.find("partial") == std::string::npos);
}

TEST_CASE("build: the plain, xrace and ThreadSanitizer builds all take the spec's cflags, their own flags after them",
          "[grade]") {
  namespace engine = shm::engine;
  shmtest::TempDir dir;
  {
    std::ofstream src(dir.file("needs_macro.c"));
    src << "#ifndef FROM_SPEC\n#error built without the spec's cflags\n#endif\nint main(void) { return FROM_SPEC; }\n";
  }
  shm::spec::AssignmentSpec spec;
  spec.name = spec.program = "needs_macro";
  spec.cflags = {"-std=gnu17", "-O2", "-g", "-DFROM_SPEC=0"};
  auto found = engine::find_submission(dir.path(), spec);
  REQUIRE(found.ok());
  auto built = engine::build(spec, *found);
  INFO(built.message << built.race_message);
  REQUIRE(built.status == engine::BuildStatus::Built);
  engine::build_race(spec, built);
  CHECK(fs::is_regular_file(built.race_program));
  CHECK(fs::is_regular_file(built.tsan_program));
  CHECK(std::count(built.command.begin(), built.command.end(), "-DFROM_SPEC=0") == 1);
  fs::remove_all(built.workdir);
}

TEST_CASE("score: a race test fails when a racing run of its variant found a race, and the race is charged once",
          "[grade]") {
  namespace engine = shm::engine;
  shm::spec::AssignmentSpec spec;
  spec.tests.resize(4);
  spec.tests[0] = {.name = "output", .args = {"bsd", "4"}, .points = 4};
  spec.tests[1] = {.name = "no data race: bsd", .args = {"bsd", "4", "2000"}, .points = 2, .mode = shm::spec::TestMode::Race};
  spec.tests[2] = {.name = "stress: bsd", .args = {"bsd", "2", "100"}, .points = 1, .mode = shm::spec::TestMode::Stress};
  spec.tests[3] = {.name = "no data race: threads", .args = {"threads", "4", "2000"}, .points = 2,
                   .mode = shm::spec::TestMode::Race};
  std::vector<engine::RunResult> runs(4);
  for (size_t i = 0; i < runs.size(); i++) runs[i].test = i;
  runs[2].races.resize(1);  // only the stress run met the race: the race test of its variant fails as well
  shm::findings::Finding race;
  race.id = "data-race";
  race.points = 5;
  auto g = shm::grading::score(spec, runs, {race});
  CHECK(g.tests[0].status == engine::TestStatus::Passed);
  CHECK(g.tests[1].status == engine::TestStatus::Failed);
  CHECK_THAT(g.tests[1].output, Catch::Contains("data race"));
  CHECK(g.tests[2].status == engine::TestStatus::Failed);
  CHECK(g.tests[3].status == engine::TestStatus::Passed);  // another variant's race is not this test's
  CHECK(g.findings[0].points == 2);  // 5 less the 3 points the two tests lost
  CHECK(g.score == 4 + 2 - 2);
  race.points = 1;  // a finding cheaper than the tests costs nothing more
  CHECK(shm::grading::score(spec, runs, {race}).score == 6);
  // An output test naming the race test as its race_test fails with it, whatever it printed, and counts in
  // what the race costs; a racing test that failed on its own keeps its failure and counts too.
  spec.tests[0].race_test = "no data race: bsd";
  runs[2].status = engine::TestStatus::Failed;
  runs[2].why = "under a perturbed schedule the result was wrong";
  g = shm::grading::score(spec, runs, {race});
  CHECK(g.tests[0].status == engine::TestStatus::Failed);
  CHECK(g.tests[0].race_decided);
  CHECK_THAT(g.tests[0].output, Catch::Contains("run as in test \"no data race: bsd\""));
  CHECK_THAT(g.tests[2].output, Catch::Contains("perturbed schedule"));
  CHECK_FALSE(g.tests[3].race_decided);
  CHECK(g.findings[0].points == 0);  // 4 + 2 + 1 points of tests already cost more than the race's 5
  CHECK(g.score == 2);
  spec.tests[0].race_test.clear();
  runs[2].status = engine::TestStatus::Passed;
  runs[2].races.clear();  // no racing run met a race: every test keeps its points, the finding costs its own
  race.points = 5;
  g = shm::grading::score(spec, runs, {race});
  CHECK(g.tests[1].status == engine::TestStatus::Passed);
  CHECK(g.score == 9 - 5);
}

TEST_CASE("grade: a finding made through a wrapper of the student's sits at the line that called the wrapper", "[grade]") {
  // missing_ftruncate's mmap moved into a wrapper by shape: one call and its error check.
  std::ifstream in(sample("missing_ftruncate") + "/counter.c");
  std::stringstream text;
  text << in.rdbuf();
  std::string source = text.str();
  const std::string call = "    int *count = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);\n"
                           "    if (count == MAP_FAILED) { perror(\"mmap\"); return 1; }\n";
  REQUIRE(source.find(call) != std::string::npos);
  source.replace(source.find(call), call.size(), "    int *count = map_counter(fd);\n");
  source.replace(source.find("int main("), 0,
                 "static int *map_counter(int fd) {\n"
                 "    int *p = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);\n"
                 "    if (p == MAP_FAILED) { perror(\"mmap\"); exit(1); }\n"
                 "    return p;\n"
                 "}\n\n");
  int caller = 1;
  for (size_t at = 0; at < source.find("map_counter(fd);"); at++) caller += source[at] == '\n';
  shmtest::TempDir dir;
  std::ofstream(dir.file("counter.c")) << source;
  const auto j = grade_json(dir.path(), 1);
  bool found = false;
  for (const auto& f : j["findings"])
    if (f["id"] == "missing-ftruncate") {
      found = true;
      CHECK(f["file"] == "counter.c");
      CHECK(f["line"] == caller);
    }
  CHECK(found);
}
