// shmgrade batch: every export layout, hostile archives and names, the ledger (reuse, --only, --force, a batch
// killed at random moments), the gradebook's CSV.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <cmath>
#include <random>
#include <regex>
#include <set>

#include "batch/gradebook.hpp"
#include "batch_support.hpp"

namespace fs = std::filesystem;

using namespace batchtest;

TEST_CASE("batch: folders and archives are graded, a rerun reuses every result, --only and --force regrade", "[batch]") {
  shmtest::TempDir input, out;
  make_class(input.path());
  auto first = batch(input.path(), out.path());
  INFO(first.describe());
  CHECK(first.exit_code == 1);  // some below full marks
  CHECK_THAT(first.out, Catch::Contains("students 5, graded 5, reused 0"));
  CHECK(result_of(out.path(), "correct_atomic")["score"] == 17);
  CHECK(result_of(out.path(), "alice")["findings"][0]["id"] == "map-failed-unchecked");
  CHECK(result_of(out.path(), "bob")["status"] == "graded");
  CHECK(result_of(out.path(), "bob")["batch"]["files"][0] == "bob.zip");
  CHECK(fs::exists(out.file("feedback/alice.md")));
  CHECK_THAT(read(out.file("feedback/alice.md")), Catch::Contains("map-failed-unchecked"));
  CHECK_THAT(read(out.file("feedback/alice.html")), Catch::Contains("<pre>counter — Shared counter"));
  CHECK_FALSE(fs::exists(out.file(".staging")));

  const auto rows = parse_csv(read(out.file("gradebook.csv")));
  REQUIRE(rows.size() == 2 + 5);
  CHECK(rows[0][0] == "id");
  CHECK(rows[1][0] == "Points Possible");
  CHECK(rows[1][2] == "17");
  CHECK(rows[2][0] == "alice");  // sorted by id
  CHECK(rows[4][0] == "correct_atomic");
  CHECK(rows[4][2] == "17");

  // What batch gave each student is what `grade` gives (timing, the ledger and schedule-dependent findings aside).
  for (const char* id : {"alice", "bob", "correct_atomic", "missing_ftruncate", "unsynchronised"}) {
    INFO(id);
    const fs::path submission = fs::exists(input.file(id)) ? fs::path(input.file(id)) : fs::path();
    if (submission.empty()) continue;  // the archives: graded after unpacking, compared through the folders
    auto graded = shmtest::run({SHMGRADE_BIN, "grade", "counter", submission.string(), "--format", "json"}, {.timeout_s = 300});
    auto alone = nlohmann::json::parse(graded.out);
    auto batched = result_of(out.path(), id);
    for (auto* j : {&alone, &batched}) {
      j->erase("elapsed_s"), j->erase("batch"), j->erase("submission");
      auto& found = (*j)["findings"];
      found.erase(std::remove_if(found.begin(), found.end(), [](const auto& f) { return f["schedule_dependent"] == true; }),
                  found.end());
    }
    CHECK(alone.dump(1) == batched.dump(1));
  }

  const auto before = results_without_timing(out.path());
  auto again = batch(input.path(), out.path());
  CHECK_THAT(again.out, Catch::Contains("graded 0, reused 5"));
  CHECK(results_without_timing(out.path()) == before);

  auto only = batch(input.path(), out.path(), {"--only", "alice"});
  CHECK_THAT(only.out, Catch::Contains("graded 1, reused 4"));
  std::ofstream(input.file("missing_ftruncate/counter.c"), std::ios::app) << "/* changed */\n";
  CHECK_THAT(batch(input.path(), out.path()).out, Catch::Contains("graded 1, reused 4"));  // only the changed one
  CHECK_THAT(batch(input.path(), out.path(), {"--force"}).out, Catch::Contains("graded 5, reused 0"));
  CHECK_THAT(batch(input.path(), out.path(), {"--seed", "7"}).out, Catch::Contains("graded 5, reused 0"));

  auto unknown = batch(input.path(), out.path(), {"--only", "nobody-here"});
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.err, Catch::Contains("--only nobody-here: no such student"));
}

TEST_CASE("batch: hostile archives are refused naming the member, and nothing lands outside", "[batch]") {
  shmtest::TempDir input, out, staging;
  const std::string src = (kSamples / "correct_atomic").string();
  const std::string dir = input.path();
  // zip slip, an absolute path, a symbolic link, a bomb (64 MiB of zeros), and bytes that are no archive.
  shell("cd " + src + " && bsdtar --format zip -s ',^,../../,' -cf " + dir + "/slip.zip counter.c");
  shell("cp " + src + "/counter.c " + staging.path() + "/ && bsdtar -P -czf " + dir + "/absolute.tar.gz " +
        staging.path() + "/counter.c");
  shell("cd " + staging.path() + " && ln -sf /etc/passwd passwd && bsdtar --format zip -cf " + dir + "/link.zip passwd");
  shell("cd " + staging.path() + " && head -c 67108864 /dev/zero > zeros.c && bsdtar -czf " + dir + "/bomb.tar.gz zeros.c");
  shell("head -c 4096 /dev/urandom > " + dir + "/garbage.zip");
  fs::create_directory(input.file("empty"));
  auto r = batch(input.path(), out.path());
  INFO(r.describe());
  CHECK(r.exit_code == 1);
  const std::map<std::string, std::string> refusals = {
      {"slip", "refused ../../counter.c: a path that climbs out"},
      {"absolute", "an absolute path"},
      {"link", "refused passwd: a symbolic link"},
      {"bomb", "refused zeros.c: more than 32 MiB unpacked"},
      {"garbage", "garbage.zip"}};
  for (const auto& [id, message] : refusals) {
    INFO(id);
    auto j = result_of(out.path(), id);
    CHECK(j["status"] == "rejected");
    CHECK(j["score"] == 0);
    CHECK_THAT(j["message"].get<std::string>(), Catch::Contains(message));
  }
  CHECK(result_of(out.path(), "empty")["status"] == "rejected");
  CHECK_FALSE(fs::exists(fs::path(out.path()).parent_path() / "counter.c"));
  CHECK_FALSE(fs::exists(fs::path(out.path()) / "counter.c"));
}

TEST_CASE("batch: Canvas and Moodle downloads are grouped by student, a class zip is unpacked first", "[batch]") {
  shmtest::TempDir canvas, moodle, out1, out2, out3, zipped;
  const fs::path atomic = kSamples / "correct_atomic/counter.c", racy = kSamples / "unsynchronised/counter.c";
  fs::copy_file(atomic, canvas.file("doejohn_12345_67890_counter.c"));
  shell("cd " + racy.parent_path().string() + " && bsdtar --format zip -cf " + canvas.path() +
        "/roeann_LATE_23456_78901_counter.zip counter.c");
  std::ofstream(canvas.file("README.txt")) << "not a submission\n";
  auto c = batch(canvas.path(), out1.path());
  INFO(c.describe());
  CHECK_THAT(c.out, Catch::Contains("students 2, graded 2"));
  CHECK(result_of(out1.path(), "12345")["score"] == 17);
  CHECK(result_of(out1.path(), "12345")["batch"]["marked_late"] == false);
  CHECK(result_of(out1.path(), "23456")["batch"]["marked_late"] == true);
  CHECK(result_of(out1.path(), "23456")["score"] < 17);
  CHECK_THAT(c.err, Catch::Contains("ignored README.txt"));

  fs::copy_file(atomic, moodle.file("John Doe_555_assignsubmission_file_counter.c"));
  fs::create_directory(moodle.file("Ann Roe_556_assignsubmission_file_"));
  fs::copy_file(racy, moodle.file("Ann Roe_556_assignsubmission_file_/counter.c"));
  auto m = batch(moodle.path(), out2.path());
  INFO(m.describe());
  CHECK_THAT(m.out, Catch::Contains("students 2, graded 2"));
  CHECK(result_of(out2.path(), "555")["score"] == 17);
  CHECK(result_of(out2.path(), "556")["status"] == "graded");

  shell("cd " + canvas.path() + " && bsdtar --format zip -cf " + zipped.path() + "/submissions.zip *");
  auto z = batch(zipped.file("submissions.zip"), out3.path());
  INFO(z.describe());
  CHECK_THAT(z.out, Catch::Contains("students 2, graded 2"));
  CHECK(result_of(out3.path(), "12345")["score"] == 17);
}

TEST_CASE("batch: killed with SIGKILL at random moments, reruns finish with exactly an uninterrupted run's results",
          "[batch]") {
  shmtest::TempDir input, whole, killed;
  make_class(input.path());
  REQUIRE(batch(input.path(), whole.path()).exit_code == 1);
  const auto expected = results_without_timing(whole.path());
  std::mt19937 random(std::random_device{}());
  for (int attempt = 0; attempt < 4; attempt++) {
    const double delay = std::uniform_real_distribution<double>(0.05, 1.0)(random);
    INFO("killed after " << delay << " s");
    shmtest::run({"/usr/bin/timeout", "-s", "KILL", std::to_string(delay), SHMGRADE_BIN, "batch", "counter",
                  input.path(), "--out", killed.path(), "--jobs", "2"});
    results_without_timing(killed.path());  // whatever is there is whole
  }
  // What a kill between a result's temporary file and its rename leaves, whether or not one of the kills above hit
  // that moment: the next run removes it.
  std::ofstream(killed.file("results/alice.json.partial-Ab12Cd")) << "{}";
  auto finish = batch(input.path(), killed.path());
  INFO(finish.describe());
  CHECK(finish.exit_code == 1);
  CHECK(results_without_timing(killed.path()) == expected);
  CHECK_FALSE(fs::exists(killed.file("results/alice.json.partial-Ab12Cd")));
  CHECK(read(killed.file("gradebook.csv")) == read(whole.file("gradebook.csv")));
}

TEST_CASE("batch: ids that look like formulas or hold commas and quotes stay text in the gradebook", "[batch]") {
  CHECK(shm::batch::csv_cell("=HYPERLINK(\"http://x\")") == "\"'=HYPERLINK(\"\"http://x\"\")\"");
  CHECK(shm::batch::csv_cell("+1") == "'+1");
  CHECK(shm::batch::csv_cell("-2+3") == "'-2+3");
  CHECK(shm::batch::csv_cell("@SUM(A1)") == "'@SUM(A1)");
  CHECK(shm::batch::csv_cell("a,b") == "\"a,b\"");
  CHECK(shm::batch::csv_cell("line\nbreak") == "\"line\nbreak\"");
  CHECK(shm::batch::csv_cell("plain") == "plain");

  shmtest::TempDir input, out;
  const std::vector<std::string> ids = {"=cmd|' -C calc'!A0", "a,b\"c", "@SUM(1+1)", "-1"};
  for (const auto& id : ids) fs::copy(kSamples / "correct_atomic", fs::path(input.path()) / id);
  auto r = batch(input.path(), out.path());
  INFO(r.describe());
  CHECK(r.exit_code == 0);
  const auto rows = parse_csv(read(out.file("gradebook.csv")));
  REQUIRE(rows.size() == 2 + ids.size());
  std::set<std::string> seen;
  for (size_t i = 2; i < rows.size(); i++) {
    CHECK(rows[i].size() == rows[0].size());
    seen.insert(rows[i][0]);
    CHECK(rows[i][2] == "17");
  }
  CHECK(seen == std::set<std::string>{"'=cmd|' -C calc'!A0", "a,b\"c", "'@SUM(1+1)", "'-1"});
}

TEST_CASE("batch: a roster names students, lists the missing, and canvas.csv is ready for Canvas's import", "[batch]") {
  shmtest::TempDir input, out, lists;
  fs::copy(kSamples / "correct_atomic", fs::path(input.path()) / "s1");
  fs::copy(kSamples / "unsynchronised", fs::path(input.path()) / "s2");
  fs::copy(kSamples / "correct_atomic", fs::path(input.path()) / "walk-in");
  std::ofstream(lists.file("roster.csv")) << "\xEF\xBB\xBFId,Name,Canvas_ID,SIS_User_ID,Section,Extra\n"
                                          << "s1,\"Doe, John\",101,U1,A,x\n"
                                          << "s2,Roe Ann,102,U2,B,x\n"
                                          << "s3,=Evil(),103,U3,A,x\n";
  auto r = batch(input.path(), out.path(), {"--roster", lists.file("roster.csv")});
  INFO(r.describe());
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::Contains("missing (on the roster, no submission): 1"));
  CHECK_THAT(r.err, Catch::Contains("walk-in is not on the roster"));
  CHECK(result_of(out.path(), "s1")["batch"]["name"] == "Doe, John");

  const auto book = parse_csv(read(out.file("gradebook.csv")));
  std::map<std::string, std::vector<std::string>> by_id;
  for (const auto& row : book) by_id[row[0]] = row;
  REQUIRE(by_id.count("s3"));
  CHECK(by_id["s3"][1] == "'=Evil()");
  CHECK(by_id["s3"][2] == "0");
  CHECK(by_id["s3"][6] == "missing");
  CHECK(by_id["s1"][1] == "Doe, John");

  const auto canvas = parse_csv(read(out.file("canvas.csv")));
  REQUIRE(canvas.size() == 2 + 4);
  CHECK(canvas[0] == std::vector<std::string>{"Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                                              "Shared counter in a mapped file"});
  CHECK(canvas[1][0] == "    Points Possible");
  CHECK(canvas[1][5] == "17");
  std::map<std::string, std::vector<std::string>> by_canvas_id;
  for (const auto& row : canvas) by_canvas_id[row[1]] = row;
  CHECK(by_canvas_id["101"] == std::vector<std::string>{"Doe, John", "101", "U1", "", "A", "17"});
  CHECK(by_canvas_id["103"][0] == "'=Evil()");
  CHECK(by_canvas_id["103"][5] == "0");
}

TEST_CASE("batch: a late policy costs what the newest file's time says, extensions move the due date", "[batch]") {
  shmtest::TempDir input, out, lists;
  for (const char* id : {"on_time", "two_hours", "five_days", "extended"})
    fs::copy(kSamples / "correct_atomic", fs::path(input.path()) / id);
  shell("touch -d '2026-11-20 23:00:00Z' " + input.path() + "/on_time/*");
  shell("touch -d '2026-11-21 02:00:00Z' " + input.path() + "/two_hours/*");
  shell("touch -d '2026-11-25 12:00:00Z' " + input.path() + "/five_days/* " + input.path() + "/extended/*");
  std::ofstream(lists.file("late.toml")) << "due = 2026-11-20T23:59:00Z\ngrace_minutes = 15\npenalty_per_day = 10\n"
                                            "cap = 25\nextensions = \"ext.csv\"\n";
  std::ofstream(lists.file("ext.csv")) << "id,due\nextended,2026-11-26T00:00:00Z\n";
  auto r = batch(input.path(), out.path(), {"--late", lists.file("late.toml")});
  INFO(r.describe());
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::Contains("late: 2"));
  CHECK(result_of(out.path(), "on_time")["batch"]["late_penalty_percent"] == 0);
  CHECK(result_of(out.path(), "two_hours")["batch"]["late_penalty_percent"] == 10);  // a day or part of one
  CHECK(result_of(out.path(), "two_hours")["batch"]["score_after_late"] == Approx(15.3));
  CHECK(result_of(out.path(), "two_hours")["batch"]["submitted"] == "2026-11-21T02:00:00Z");
  CHECK(result_of(out.path(), "five_days")["batch"]["late_penalty_percent"] == 25);  // the cap
  CHECK(result_of(out.path(), "extended")["batch"]["late_penalty_percent"] == 0);
  const auto book = parse_csv(read(out.file("gradebook.csv")));
  for (const auto& row : book)
    if (row[0] == "five_days") CHECK((row[2] == "12.75" && row[3] == "17" && row[4] == "25"));

  // A changed policy changes the penalties without grading anyone again.
  std::ofstream(lists.file("late.toml")) << "due = 2026-11-20T23:59:00Z\npenalty_per_hour = 1\n";
  auto again = batch(input.path(), out.path(), {"--late", lists.file("late.toml")});
  CHECK_THAT(again.out, Catch::Contains("graded 0, reused 4"));
  CHECK(result_of(out.path(), "two_hours")["batch"]["late_penalty_percent"] == 3);  // 2 h 1 min: 3 hours begun
}

TEST_CASE("batch: a broken roster or late policy is exit 2 naming the file, line and what is wrong", "[batch]") {
  shmtest::TempDir input, out, lists;
  fs::copy(kSamples / "correct_atomic", fs::path(input.path()) / "s1");
  const std::vector<std::pair<std::string, std::string>> rosters = {
      {"id,name\ns1,\"Doe\ns2,Roe\n", "roster.csv:2: a quoted cell is never closed"},
      {"name,email\nDoe,d@x\n", "roster.csv:1: no 'id' column"},
      {"id,name\ns1,Doe\ns1,Roe\n", "roster.csv:3: id 's1' appears twice (first on line 2)"},
      {"id\n\n,\n", "an empty id"}};
  auto check_refused = [&](const std::string& flag, const std::string& file, const auto& cases) {
    for (const auto& [text, message] : cases) {
      std::ofstream(lists.file(file), std::ios::trunc) << text;
      auto r = batch(input.path(), out.path(), {flag, lists.file(file)});
      INFO(text);
      CHECK(r.exit_code == 2);
      CHECK_THAT(r.err, Catch::Contains(message));
    }
  };
  check_refused("--roster", "roster.csv", rosters);
  const std::vector<std::pair<std::string, std::string>> policies = {
      {"due = 2026-11-20T23:59:00Z\ndew = 1\n", "late.toml:2: dew: unknown key"},
      {"due = 2026-11-20T23:59:00\n", "late.toml:1: due: a date-time with an offset"},
      {"grace_minutes = 5\n", "due: missing"},
      {"due = 2026-11-20T23:59:00Z\npenalty_per_day = -3\n", "late.toml:2: penalty_per_day: a number, 0 or more"},
      {"due = 2026-11-20T23:59:00Z\nextensions = \"none.csv\"\n", "cannot read"},
      {"due = [", "late.toml:1:"}};
  check_refused("--late", "late.toml", policies);
}

TEST_CASE("batch: report.html renders in headless Chromium, its charts' numbers are the gradebook's", "[batch][browser]") {
  if (!fs::exists("/usr/bin/chromium")) FAIL("chromium is not installed: ci/deps installs it for this test");
  shmtest::TempDir input, out, profile;
  make_class(input.path());
  REQUIRE(batch(input.path(), out.path()).exit_code == 1);
  const std::string page = "file://" + out.file("report.html");
  auto dom = chromium({"--dump-dom", page}, profile.path());
  INFO(dom.describe());
  REQUIRE(dom.exit_code == 0);
  CHECK_THAT(dom.out, Catch::Contains("<svg id=\"histogram\""));
  CHECK_THAT(dom.out, Catch::Contains("<svg id=\"pass-rates\""));
  CHECK(dom.out.find("http://") == std::string::npos);  // nothing fetched from anywhere
  CHECK(dom.out.find("https://") == std::string::npos);

  // The gradebook's rows (after the header and the points row): each student's score and each test's score.
  const auto book = parse_csv(read(out.file("gradebook.csv")));
  REQUIRE(book.size() == 7);
  const auto& header = book[0];
  const auto& possible = book[1];
  // Every histogram bar holds as many students as the gradebook has scores in its bin (one bin per point).
  std::regex bar(R"re(data-from="([0-9.]+)" data-to="([0-9.]+)" data-count="(\d+)")re");
  int bars = 0, counted = 0;
  for (std::sregex_iterator it(dom.out.begin(), dom.out.end(), bar), end; it != end; ++it) {
    const double from = std::stod((*it)[1]);
    int expected = 0;
    for (size_t r = 2; r < book.size(); r++) expected += std::floor(std::stod(book[r][2])) == from;
    INFO("bin " << from);
    CHECK(std::stoi((*it)[3]) == expected);
    counted += std::stoi((*it)[3]);
    bars++;
  }
  CHECK(bars == 18);  // 0..17
  CHECK(counted == 5);
  // Every test's pass rate is the number of students with its full points.
  std::regex rate(R"re(data-test="([^"]*)" data-passed="(\d+)" data-total="(\d+)")re");
  int tests = 0;
  for (std::sregex_iterator it(dom.out.begin(), dom.out.end(), rate), end; it != end; ++it) {
    const std::string name = (*it)[1];
    const size_t col = size_t(std::find(header.begin(), header.end(), name) - header.begin());
    REQUIRE(col < header.size());
    int passed = 0;
    for (size_t r = 2; r < book.size(); r++) passed += book[r][col] == possible[col];
    INFO(name);
    CHECK(std::stoi((*it)[2]) == passed);
    CHECK(std::stoi((*it)[3]) == 5);
    tests++;
  }
  CHECK(tests == 7);
  CHECK_THAT(dom.out, Catch::Contains("href=\"feedback/alice.md\""));

  auto shot = chromium({"--screenshot=" + out.file("report.png"), "--window-size=1200,1800", page}, profile.path());
  INFO(shot.describe());
  const std::string png = read(out.file("report.png"));
  REQUIRE(png.size() > 10000);
  CHECK(png.substr(1, 3) == "PNG");
}

TEST_CASE("batch: a changed spec regrades everyone and score-changes.csv says what it changed for whom", "[batch]") {
  shmtest::TempDir input, out, assignment;
  make_class(input.path());
  fs::copy(fs::path(SOURCE_DIR) / "assignments/counter", assignment.path(), fs::copy_options::recursive);
  auto first = shmtest::run({SHMGRADE_BIN, "batch", assignment.path(), input.path(), "--out", out.path()}, {.timeout_s = 300});
  REQUIRE(first.exit_code == 1);
  CHECK_FALSE(fs::exists(out.file("score-changes.csv")));
  // The instructor drops the injected-failure test.
  std::string spec = read(assignment.file("assignment.toml"));
  const size_t from = spec.find("[[test]]\nname = \"mmap failure is handled\"");
  REQUIRE(from != std::string::npos);
  spec.erase(from, spec.find("[[test]]", from + 1) - from);
  std::ofstream(assignment.file("assignment.toml"), std::ios::trunc) << spec;
  auto second = shmtest::run({SHMGRADE_BIN, "batch", assignment.path(), input.path(), "--out", out.path()}, {.timeout_s = 300});
  INFO(second.describe());
  CHECK_THAT(second.out, Catch::Contains("graded 5, reused 0"));
  CHECK_THAT(second.out, Catch::Contains("changed by the new spec or grader: 3"));  // bob and missing_ftruncate stay 0
  const auto rows = parse_csv(read(out.file("score-changes.csv")));
  REQUIRE(rows.size() == 1 + 3);
  CHECK(rows[0] == std::vector<std::string>{"id", "old_score", "new_score", "findings_added", "findings_removed"});
  CHECK(rows[1] == std::vector<std::string>{"alice", "10", "15", "", "map-failed-unchecked"});
  CHECK(rows[2] == std::vector<std::string>{"correct_atomic", "17", "15", "", ""});
  CHECK(rows[3] == std::vector<std::string>{"unsynchronised", "5", "3", "", ""});
}

TEST_CASE("batch: a Gradescope export takes ids, names and submission times from its metadata", "[batch]") {
  shmtest::TempDir input, out, lists;
  fs::copy(kSamples / "correct_atomic", fs::path(input.path()) / "submission_111");
  fs::copy(kSamples / "unsynchronised", fs::path(input.path()) / "submission_222");
  fs::copy(kSamples / "missing_ftruncate", fs::path(input.path()) / "submission_333");
  std::ofstream(input.file("submission_metadata.yml")) << R"(submission_111:
  :submitters:
  - :name: Jane Doe
    :sid: '2024001'
    :email: jane@example.com
  :created_at: 2026-11-21 01:00:00.000000000 -08:00
submission_222:
  :submitters:
  - :name: Li Lei
    :sid: '2024002'
    :email: li@example.com
  :created_at: 2026-11-20 10:00:00.000000000 +08:00
submission_333:
  :submitters:
  - :name: Jane Doe
    :sid: '2024001'
  :created_at: 2026-11-19 01:00:00.000000000 -08:00
submission_444:
  :submitters: []
  :created_at: 2026-11-19 01:00:00.000000000 -08:00
)";
  std::ofstream(lists.file("late.toml")) << "due = 2026-11-21T00:00:00Z\npenalty_per_day = 10\n";
  auto r = batch(input.path(), out.path(), {"--late", lists.file("late.toml")});
  INFO(r.describe());
  CHECK_THAT(r.out, Catch::Contains("students 2, graded 2"));  // Jane's newer submission only
  CHECK_THAT(r.err, Catch::Contains("submission_444 (in submission_metadata.yml, but no such folder)"));
  const auto jane = result_of(out.path(), "2024001");
  CHECK(jane["score"] == 17);  // submission_111, not the older submission_333
  CHECK(jane["batch"]["name"] == "Jane Doe");
  CHECK(jane["batch"]["submitted"] == "2026-11-21T09:00:00Z");
  CHECK(jane["batch"]["late_penalty_percent"] == 10);
  CHECK(result_of(out.path(), "2024002")["batch"]["submitted"] == "2026-11-20T02:00:00Z");
  CHECK(result_of(out.path(), "2024002")["batch"]["late_penalty_percent"] == 0);

  // Metadata made to exhaust the parser is that file's error, exit 2; the batch itself survives.
  std::ofstream(input.file("submission_metadata.yml"), std::ios::trunc) << std::string(200000, '[') << "\n";
  auto hostile = batch(input.path(), out.path());
  INFO(hostile.describe());
  CHECK(hostile.exit_code == 2);
  CHECK_THAT(hostile.err, Catch::Contains("submission_metadata.yml"));
}

TEST_CASE("batch: GitHub Classroom clones are students by user name, submitted at their last commit", "[batch]") {
  shmtest::TempDir input, out;
  const std::string git = "git -c user.name=s -c user.email=s@example.com";
  auto clone = [&](const std::string& user, const std::string& sample, const std::string& when) {
    const std::string dir = input.path() + "/counter-" + user;
    fs::create_directory(dir);
    fs::copy_file(kSamples / sample / "counter.c", dir + "/counter.c");
    shell("cd " + dir + " && git init -q && " + git + " add counter.c && GIT_AUTHOR_DATE='" + when +
          "' GIT_COMMITTER_DATE='" + when + "' " + git + " commit -qm 'my work'");
  };
  clone("alice", "correct_atomic", "2026-11-20T10:00:00Z");
  clone("bob-smith", "unsynchronised", "2026-11-22T10:00:00Z");
  // A clone whose config would run a program for git on the host (fsmonitor, a signature check's gpg).
  clone("mallory", "correct_atomic", "2026-11-20T11:00:00Z");
  std::ofstream(input.file("counter-mallory/.git/config"), std::ios::app)
      << "[core]\n\tfsmonitor = \"touch /tmp/hx-git-marker; false\"\n[log]\n\tshowSignature = true\n"
      << "[gpg]\n\tprogram = /tmp/hx-git-gpg\n";
  auto r = batch(input.path(), out.path());
  INFO(r.describe());
  CHECK_THAT(r.out, Catch::Contains("students 3, graded 3"));
  CHECK(result_of(out.path(), "alice")["score"] == 17);
  CHECK(result_of(out.path(), "alice")["batch"]["submitted"] == "2026-11-20T10:00:00Z");
  CHECK(result_of(out.path(), "bob-smith")["batch"]["submitted"] == "2026-11-22T10:00:00Z");
  CHECK(result_of(out.path(), "mallory")["score"] == 17);
  CHECK_FALSE(fs::exists("/tmp/hx-git-marker"));
  // A new commit's history alone (.git) is not a new submission: nothing is regraded.
  shell("cd " + input.path() + "/counter-alice && git tag v1");
  CHECK_THAT(batch(input.path(), out.path()).out, Catch::Contains("graded 0, reused 3"));
}

TEST_CASE("batch: the bundled class is a Canvas download of 32 students and --only grades just the ones asked for",
          "[batch]") {
  shmtest::TempDir out;
  const std::string dir = std::string(SOURCE_DIR) + "/assignments/counter/class";
  auto r = batch(dir + "/submissions.zip", out.path(),
                 {"--roster", dir + "/roster.csv", "--late", dir + "/late.toml", "--only", "1001", "1011", "1030", "1032"});
  INFO(r.describe());
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::Contains("students 32, graded 4, reused 0"));
  CHECK_THAT(r.out, Catch::Contains("missing (on the roster, no submission): 1"));
  CHECK(result_of(out.path(), "1001")["score"] == 17);
  const auto late = result_of(out.path(), "1011");
  CHECK(late["batch"]["marked_late"] == true);
  CHECK(late["batch"]["late_penalty_percent"] == 20);  // 30 hours late: two days begun
  CHECK(late["batch"]["score_after_late"] == Approx(13.6));
  CHECK(result_of(out.path(), "1030")["status"] == "rejected");  // notes.txt, no source
  CHECK_THAT(result_of(out.path(), "1032")["message"].get<std::string>(), Catch::Contains("refused ../counter.c"));
  std::map<std::string, std::string> status;
  for (const auto& row : parse_csv(read(out.file("gradebook.csv")))) status[row[0]] = row[6];
  CHECK(status.size() == 2 + 33);
  CHECK(status["1002"] == "not-graded");
  CHECK(status["2001"] == "missing");
  CHECK(status["1011"] == "graded");
  CHECK(fs::exists(out.file("canvas.csv")));
  CHECK(fs::exists(out.file("report.html")));
}

TEST_CASE("batch --format: each student's feedback in more formats, and a rerun asking for a new one grades again",
          "[batch]") {
  shmtest::TempDir input, out;
  make_class(input.path());
  auto first = batch(input.path(), out.path(), {"--format", "junit,sarif"});
  INFO(first.describe());
  REQUIRE(first.exit_code == 1);
  for (const char* id : {"alice", "bob", "correct_atomic", "missing_ftruncate", "unsynchronised"}) {
    INFO(id);
    shell("xmllint --noout " + out.file(std::string("feedback/") + id + ".junit.xml"));
    const auto sarif = nlohmann::json::parse(read(out.file(std::string("feedback/") + id + ".sarif")), nullptr, false);
    REQUIRE_FALSE(sarif.is_discarded());
    CHECK(sarif["version"] == "2.1.0");
    CHECK_FALSE(fs::exists(out.file(std::string("feedback/") + id + ".gradescope.json")));
  }
  // alice's null check failure is in her JUnit file as a failed test case.
  CHECK_THAT(read(out.file("feedback/alice.junit.xml")), Catch::Contains("<failure"));
  CHECK_THAT(batch(input.path(), out.path(), {"--format", "sarif"}).out, Catch::Contains("graded 0, reused 5"));
  auto more = batch(input.path(), out.path(), {"--format", "sarif", "--format", "gradescope"});
  CHECK_THAT(more.out, Catch::Contains("graded 5, reused 0"));
  const auto gs = nlohmann::json::parse(read(out.file("feedback/alice.gradescope.json")), nullptr, false);
  CHECK(gs["score"] == result_of(out.path(), "alice")["score"]);
  CHECK(batch(input.path(), out.path(), {"--format", "pdf"}).exit_code == 2);
}
