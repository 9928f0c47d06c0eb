// shmgrade race on programs of one's own: a forking and a threaded counter with races found at their lines, a
// synchronised one clean, --stress counting in how many runs each race showed, JSON and SARIF, usage errors,
// and nothing left in /tmp.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "process.hpp"

namespace fs = std::filesystem;

namespace {

const std::string kSamples = std::string(SOURCE_DIR) + "/assignments/";

shmtest::ProcessResult race(std::vector<std::string> args) {
  args.insert(args.begin(), {SHMGRADE_BIN, "race"});
  return shmtest::run(args, {.timeout_s = 300});
}

std::set<std::string> race_dirs() {
  std::set<std::string> found;
  for (const auto& e : fs::directory_iterator("/tmp"))
    if (e.path().filename().string().rfind("shmgrade-race-", 0) == 0) found.insert(e.path().string());
  return found;
}

}  // namespace

TEST_CASE("race: a forking counter's lost update is found at its line, in text and JSON, a synchronised one is "
          "clean, and nothing is left in /tmp", "[race-command]") {
  const auto before = race_dirs();
  auto racy = race({kSamples + "counter/samples/unsynchronised/counter.c", "--", "count.bin", "4", "2000"});
  INFO(racy.describe());
  CHECK(racy.exit_code == 1);
  CHECK_THAT(racy.out, Catch::StartsWith("shmgrade race: counter, 1 run of ./counter count.bin 4 2000 (seed 1)\n"));
  CHECK_THAT(racy.out, Catch::Contains("data race on /work/count.bin at offset 0 (4 bytes), in 1 of 1 run:\n  counter.c:27  "));
  CHECK_THAT(racy.out, Catch::Contains("two processes accessed the same shared bytes"));
  CHECK_THAT(racy.out, Catch::Contains("  in main()\n"));

  auto json = race({kSamples + "counter/samples/unsynchronised/counter.c", "--format", "json", "--", "count.bin", "4", "2000"});
  INFO(json.describe());
  CHECK(json.exit_code == 1);
  const auto j = nlohmann::json::parse(json.out);
  CHECK(j["program"] == "counter");
  CHECK(j["runs"] == 1);
  REQUIRE(!j["races"].empty());
  const auto& r = j["races"][0];
  CHECK(r["object"] == "/work/count.bin");
  CHECK(r["access"]["file"] == "counter.c");
  CHECK(r["access"]["line"] == 27);
  CHECK(r["access"]["function"] == "main");  // from the race build's symbols
  CHECK(r["access"]["pid"] != r["other"]["pid"]);  // two processes
  CHECK(r["initialisation"] == false);  // increments: a lost update, not an initialisation

  auto clean = race({kSamples + "counter/samples/correct_atomic/counter.c", "--", "count.bin", "4", "2000"});
  INFO(clean.describe());
  CHECK(clean.exit_code == 0);
  CHECK_THAT(clean.out, Catch::EndsWith("no data race found\n"));

  // One program run by a script (sh -c): each run of it in turn, the second's processes racing among themselves.
  auto script = race({kSamples + "counter/samples/unsynchronised/counter.c", "--", "sh", "-c",
                      "./counter count.bin 1 10 > /dev/null && ./counter count.bin 4 2000"});
  INFO(script.describe());
  CHECK(script.exit_code == 1);
  CHECK_THAT(script.out, Catch::StartsWith("shmgrade race: counter, 1 run of ./counter count.bin 1 10 > /dev/null && "
                                           "./counter count.bin 4 2000 (seed 1)\n"));
  CHECK_THAT(script.out, Catch::Contains("  counter.c:27  "));
  CHECK(race_dirs() == before);
}

TEST_CASE("race: threads racing on a global are found by ThreadSanitizer's build, in SARIF too", "[race-command]") {
  const std::string source = kSamples + "anon/samples/threads_race_on_a_global/anon.c";
  auto text = race({source, "--", "threads", "4", "2000"});
  INFO(text.describe());
  CHECK(text.exit_code == 1);
  CHECK_THAT(text.out, Catch::Contains("anon.c:21") && Catch::Contains("two threads accessed"));
  auto sarif = race({source, "--format", "sarif", "--", "threads", "4", "2000"});
  INFO(sarif.describe());
  CHECK(sarif.exit_code == 1);
  const auto s = nlohmann::json::parse(sarif.out);
  bool found = false;
  for (const auto& result : s["runs"][0]["results"])
    found |= result["ruleId"] == "data-race" &&
             result["locations"][0]["physicalLocation"]["region"]["startLine"] == 21;
  CHECK(found);
}

TEST_CASE("race: --stress --runs 5 counts in how many runs each race showed, and prints its seed", "[race-command]") {
  auto r = race({kSamples + "counter/samples/unsynchronised/counter.c", "--stress", "--runs", "5", "--seed", "7",
                 "--format", "json", "--", "count.bin", "2", "100"});
  INFO(r.describe());
  CHECK(r.exit_code == 1);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["runs"] == 5);
  CHECK(j["seed"] == 7);
  CHECK(j["stress"] == true);
  REQUIRE(!j["races"].empty());
  for (const auto& race : j["races"]) CHECK((race["runs"] >= 1 && race["runs"] <= 5));
  CHECK(j["races"][0]["runs"] == 5);  // an unsynchronised increment races in every schedule
}

TEST_CASE("race: a server and a client one shell command starts are each a program, and the race between them is "
          "at each one's line, said to be an initialisation, and synchronised they are clean", "[race-command]") {
  // board.c has no main: it is linked into both. board.h is found beside the sources.
  const std::string pair = std::string(SOURCE_DIR) + "/tests/race/programs/pair/";
  const std::vector<std::string> sources = {pair + "server.c", pair + "client.c", pair + "board.c"};
  auto with = [&](std::vector<std::string> more) {
    std::vector<std::string> args = sources;
    args.insert(args.end(), more.begin(), more.end());
    return race(args);
  };
  const std::string name = shmtest::unique_shm_name("pair");
  auto racy = with({"--format", "json", "--", "sh", "-c", "./server " + name + " racy & ./client " + name + " racy; wait"});
  INFO(racy.describe());
  CHECK(racy.exit_code == 1);
  const auto j = nlohmann::json::parse(racy.out, nullptr, false);
  REQUIRE(j.is_object());
  CHECK(j["programs"] == nlohmann::json::array({"server", "client"}));
  CHECK(j["command"] == "./server " + name + " racy & ./client " + name + " racy; wait");
  REQUIRE(j["races"].size() == 1);
  const auto& r = j["races"][0];
  CHECK(r["object"] == "shm:" + name);
  CHECK(r["access"]["program"] == "client");  // the read, resolved through the client's build
  CHECK(r["access"]["file"] == "client.c");
  CHECK(r["access"]["line"] == 19);
  CHECK(r["access"]["write"] == false);
  CHECK(r["other"]["program"] == "server");  // the write, through the server's
  CHECK(r["other"]["file"] == "server.c");
  CHECK(r["other"]["line"] == 12);
  CHECK(r["access"]["pid"] != r["other"]["pid"]);
  CHECK(r["initialisation"] == true);  // the server's first write of the object it created

  auto text = with({"--", "sh", "-c", "./server " + name + " racy & ./client " + name + " racy; wait"});
  CHECK_THAT(text.out, Catch::StartsWith("shmgrade race: server, client, 1 run of ./server "));
  CHECK_THAT(text.out, Catch::Contains("  client.c:19  read   pid ") && Catch::Contains(" (client)  in main()\n"));
  CHECK_THAT(text.out, Catch::Contains("  server.c:12  write  pid ") && Catch::Contains(" (server)  in main()\n"));
  CHECK_THAT(text.out, Catch::Contains("the object was reachable by name before it was initialised: server.c:12 is its "
                                       "creator's first write") &&
                           Catch::Contains("posts a named semaphore after initialising"));

  for (int run = 0; run < 3; run++) {
    auto synced = with({"--", "sh", "-c", "./server " + name + " synced & ./client " + name + " synced; wait"});
    INFO(synced.describe());
    CHECK(synced.exit_code == 0);
    CHECK_THAT(synced.out, Catch::EndsWith("no data race found\n"));
  }
  auto no_command = race({pair + "server.c", pair + "client.c", pair + "board.c"});
  CHECK(no_command.exit_code == 2);
  CHECK_THAT(no_command.err, Catch::Contains("server.c and client.c each define main") &&
                                 Catch::Contains("the command that starts them"));
}

TEST_CASE("race: --input files are in each run's dir beside the program", "[race-command]") {
  shmtest::TempDir dir;
  std::ofstream(dir.file("hello.txt")) << "hello, world\n";
  const std::string mapcat = kSamples + "mapcat/samples/correct/mapcat.c";
  auto with = race({mapcat, "--input", dir.file("hello.txt"), "--", "hello.txt", "7", "6"});
  INFO(with.describe());
  CHECK(with.exit_code == 0);
  CHECK(with.out.find("wrong exit") == std::string::npos);
  auto without = race({mapcat, "--", "hello.txt", "7", "6"});  // mapcat cannot open it: said, not a race
  CHECK(without.exit_code == 0);
  CHECK_THAT(without.out, Catch::Contains("wrong exit in 1 of 1 run"));
  auto clash = race({mapcat, "--input", dir.file("hello.txt"), "--input", dir.file("hello.txt"), "--", "hello.txt"});
  CHECK(clash.exit_code == 2);
  CHECK_THAT(clash.err, Catch::Contains("hello.txt: --input files go into the run's dir by file name"));
}

TEST_CASE("race: usage errors exit 2 with a message saying what to give", "[race-command]") {
  shmtest::TempDir dir;
  auto args_first = race({"count.bin", "4"});  // the arguments without -- (or no source at all)
  CHECK(args_first.exit_code == 2);
  CHECK_THAT(args_first.err, Catch::Contains("count.bin is not a source file") && Catch::Contains("go after --"));
  CHECK(race({}).exit_code == 2);
  {
    std::ofstream(dir.file("a.c")) << "int main(void) { return 0; }\n";
    std::ofstream(dir.file("b.c")) << "int main(void) { return 1; }\n";
    std::ofstream(dir.file("broken.c")) << "int main(void) { return 0 }\n";
  }
  auto two = race({dir.file("a.c"), dir.file("b.c")});
  CHECK(two.exit_code == 2);
  CHECK_THAT(two.err, Catch::Contains("a.c and b.c each define main"));
  // Two programs whose names the race detector would cut to one.
  const std::string long_name = std::string(32, 'p');
  std::ofstream(dir.file(long_name + ".c")) << "int main(void) { return 0; }\n";
  auto too_long = race({dir.file("a.c"), dir.file(long_name + ".c"), "--", "sh", "-c", "./a; ./" + long_name});
  CHECK(too_long.exit_code == 2);
  CHECK_THAT(too_long.err, Catch::Contains(long_name + ".c: a program's name may be at most 31 characters"));
  auto broken = race({dir.file("broken.c")});
  CHECK(broken.exit_code == 2);
  CHECK_THAT(broken.err, Catch::Contains("broken does not build") && Catch::Contains("broken.c:1"));
  auto clean = race({dir.file("a.c")});  // no arguments: the program alone
  INFO(clean.describe());
  CHECK(clean.exit_code == 0);
}

TEST_CASE("race: a program forking 300 children runs to its end, and the output says which of them went unchecked",
          "[race-command]") {
  shmtest::TempDir dir;
  // Each child marks its own word of a shared array: no race, and more processes than xrace's table holds.
  std::ofstream(dir.file("many.c")) << R"(#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
int main(int argc, char **argv) {
    int n = atoi(argv[1]);
    int *marks = mmap(NULL, n * sizeof *marks, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (marks == MAP_FAILED) { perror("mmap"); return 1; }
    for (int i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid < 0) { perror("fork"); return 1; }
        if (pid == 0) { marks[i] = 1; _exit(0); }
    }
    while (wait(NULL) > 0) {}
    int total = 0;
    for (int i = 0; i < n; i++) total += marks[i];
    printf("%d\n", total);
    return total == n ? 0 : 1;
}
)";
  auto many = race({dir.file("many.c"), "--", "300"});
  INFO(many.describe());
  CHECK(many.exit_code == 0);
  CHECK_THAT(many.out, Catch::Contains("not all checked: the race detector checks the first 256 threads and processes "
                                       "of a run; 1 of 1 run went past that"));
  CHECK_THAT(many.out, Catch::EndsWith("no data race found\n"));
  auto json = race({dir.file("many.c"), "--format", "json", "--", "300"});
  const auto j = nlohmann::json::parse(json.out, nullptr, false);
  REQUIRE(j.is_object());
  CHECK(j["limits_reached"] == nlohmann::json::parse(R"([{"what": "threads and processes", "max": 256, "runs": 1}])"));
  auto few = race({dir.file("many.c"), "--", "20"});  // within the table: nothing said
  CHECK(few.exit_code == 0);
  CHECK(few.out.find("not all checked") == std::string::npos);
}

TEST_CASE("race: a race made in a --provided helper is placed at the line that called it, via the helper, between "
          "processes and between threads", "[race-command]") {
  const std::string dir = std::string(SOURCE_DIR) + "/tests/race/programs/helper/";
  auto marked = [&](const std::string& file, const std::string& what) {
    std::ifstream in(dir + file);
    std::string text;
    for (int n = 1; std::getline(in, text); n++)
      if (text.find("RACE-LINE: " + what + " */") != std::string::npos) return n;
    return -1;
  };
  const std::string helper = "helpers.c:" + std::to_string(marked("helpers.c", "helper"));
  for (const auto& [mode, caller] : {std::pair{"fork", marked("tally.c", "process caller")},
                                     std::pair{"threads", marked("tally.c", "thread caller")}}) {
    INFO(mode);
    auto provided = race({dir + "tally.c", "--provided", dir + "helpers.c", "--format", "json", "--", mode, "2000"});
    INFO(provided.describe());
    CHECK(provided.exit_code == 1);
    const auto j = nlohmann::json::parse(provided.out);
    REQUIRE(j["races"].size() == 1);
    for (const char* side : {"access", "other"}) {
      CHECK(j["races"][0][side]["file"] == "tally.c");
      CHECK(j["races"][0][side]["line"] == caller);
      CHECK(j["races"][0][side]["via"] == helper);
    }
    auto text = race({dir + "tally.c", "--provided", dir + "helpers.c", "--", mode, "2000"});
    CHECK_THAT(text.out, Catch::Contains("  tally.c:" + std::to_string(caller) + " via " + helper + "  "));
  }
  // Built in as any source, but not provided: the race is the helper's line.
  auto plain = race({dir + "tally.c", dir + "helpers.c", "--format", "json", "--", "fork", "2000"});
  INFO(plain.describe());
  const auto j = nlohmann::json::parse(plain.out);
  REQUIRE(j["races"].size() == 1);
  CHECK(j["races"][0]["access"]["file"].get<std::string>() + ":" + std::to_string(j["races"][0]["access"]["line"].get<int>()) == helper);
  CHECK(j["races"][0]["access"]["via"] == "");
  // A helper is not a program.
  auto with_main = race({dir + "helpers.c", "--provided", dir + "tally.c", "--", "fork", "10"});
  CHECK(with_main.exit_code == 2);
  CHECK_THAT(with_main.err, Catch::Contains("--provided") && Catch::Contains("tally.c defines main"));
}
