// What a student controls reaches every report format as valid text: bytes that are not UTF-8 in the source
// (the compiler quotes them), in what the program prints, and in file names; and a program that any signal
// ends, real-time ones included, is graded like any crash.
#include <catch2/catch.hpp>

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "process.hpp"
#include "signals.hpp"
#include "text.hpp"

namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kFormats = {"text", "json", "junit", "gradescope", "sarif", "github"};

std::string random_bytes(std::mt19937& rng, size_t n) {
  std::string s;
  for (size_t i = 0; i < n; i++) s += char(rng() & 0xff);
  return s;
}

// Bytes a UTF-8 reader must refuse: lone continuation bytes, a truncated sequence, an overlong '/', a surrogate,
// GBK's "中文" — then random ones.
std::string hostile_bytes(std::mt19937& rng) {
  return std::string("\x80\xbf \xc3 \xc0\xaf \xed\xa0\x80 \xd6\xd0\xce\xc4 \xff\xfe ") + random_bytes(rng, 64);
}

std::string c_string_literal(const std::string& bytes) {
  std::string out = "\"";
  char hex[8];
  for (unsigned char c : bytes) snprintf(hex, sizeof hex, "\\%03o", c), out += hex;
  return out + "\"";
}

// Grades SUBMISSION in every format; each result must be well-formed in its format and valid UTF-8.
void graded_in_every_format(const std::string& submission) {
  shmtest::TempDir out;
  for (const auto& format : kFormats) {
    const std::string file = out.file("result." + format);
    auto r = shmtest::run({SHMGRADE_BIN, "grade", "counter", submission, "--format", format, "--out", file},
                          {.timeout_s = 180});
    INFO(format << ": " << r.describe());
    CHECK(r.exit_code == 1);
    std::ifstream in(file, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK_FALSE(text.empty());
    CHECK(shm::is_valid_utf8(text));
    if (format == "json" || format == "gradescope" || format == "sarif")  // nlohmann refuses JSON that is not UTF-8
      CHECK_NOTHROW(nlohmann::json::parse(text));
    if (format == "junit") CHECK(shmtest::run({"/usr/bin/xmllint", "--noout", file}).ok());
  }
}

}  // namespace

TEST_CASE("text: valid_utf8 keeps UTF-8 and replaces every byte that is not", "[text]") {
  CHECK(shm::valid_utf8("plain, 中文, ✓") == "plain, 中文, ✓");
  CHECK(shm::valid_utf8("a\xff" "b") == "a\xef\xbf\xbd" "b");
  CHECK(shm::valid_utf8("\xc0\xaf") == "\xef\xbf\xbd\xef\xbf\xbd");  // overlong
  CHECK(shm::valid_utf8("\xed\xa0\x80") == "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");  // a surrogate
  CHECK(shm::valid_utf8("\xe4\xb8") == "\xef\xbf\xbd\xef\xbf\xbd");  // cut short
  CHECK(shm::quoted_bytes("ok\n\x01\xff 中") == "\"ok\\n\\x01\\xff 中\"");
  const unsigned seed = Catch::rngSeed();
  INFO("seed " << seed);
  std::mt19937 rng(seed);
  for (int i = 0; i < 2000; i++) {
    const std::string bytes = random_bytes(rng, 1 + rng() % 40);
    CHECK(shm::is_valid_utf8(shm::valid_utf8(bytes)));
    CHECK(shm::is_valid_utf8(shm::quoted_bytes(bytes)));
    CHECK_NOTHROW(nlohmann::json::parse(shm::json_text(nlohmann::ordered_json(bytes))));
  }
}

TEST_CASE("grade: bytes that are not UTF-8 in source, output and file names give valid results in all six formats",
          "[grade][text]") {
  const unsigned seed = Catch::rngSeed();
  INFO("seed " << seed << " (rerun with --rng-seed " << seed << ")");
  std::mt19937 rng(seed);
  shmtest::TempDir sub;
  SECTION("random bytes as the source") {
    std::ofstream(sub.file("counter.c"), std::ios::binary) << hostile_bytes(rng) << "\n";
    graded_in_every_format(sub.path());
  }
  SECTION("a GBK comment on a line with a syntax error") {
    std::ofstream(sub.file("counter.c"), std::ios::binary)
        << "int main(void) { return 1 + ; /* \xd6\xd0\xce\xc4\xd7\xa2\xca\xcd */ }\n";
    graded_in_every_format(sub.path());
  }
  SECTION("a program that prints them, on stdout and stderr") {
    std::ofstream(sub.file("counter.c"), std::ios::binary)
        << "#include <stdio.h>\nint main(void) { const char s[] = " << c_string_literal(hostile_bytes(rng))
        << ";\n  fwrite(s, 1, sizeof s, stdout); fwrite(s, 1, sizeof s, stderr); return 3; }\n";
    graded_in_every_format(sub.path());
  }
  SECTION("a source file whose name is not UTF-8, with a compile error") {
    std::ofstream(sub.file("counter.c")) << "int main(void) { return 0; }\n";
    std::string name = "helper" + hostile_bytes(rng).substr(0, 12) + ".c";
    for (char& c : name)
      if (c == '/' || c == '\0') c = '_';
    std::ofstream(sub.file(name)) << "int f(void) { return }\n";
    graded_in_every_format(sub.path());
  }
}

TEST_CASE("signals: every signal 1..64 has one distinct name", "[signals]") {
  std::set<std::string> names;
  for (int sig = 1; sig <= 64; sig++) {
    const std::string name = shm::signal_name(sig);
    INFO(sig << " " << name);
    CHECK(name.rfind("SIG", 0) == 0);
    CHECK_FALSE(shm::signal_description(sig).empty());
    names.insert(name);
  }
  CHECK(names.size() == 64);
  CHECK(shm::signal_name(SIGSEGV) == "SIGSEGV");
  CHECK(shm::signal_name(SIGRTMIN) == "SIGRTMIN");
  CHECK(shm::signal_name(SIGRTMIN + 2) == "SIGRTMIN+2");
  CHECK(shm::signal_name(SIGRTMAX) == "SIGRTMAX");
  CHECK(shm::signal_name(SIGRTMAX - 3) == "SIGRTMAX-3");
  CHECK(shm::signal_name(0) == "signal 0");
}

TEST_CASE("grade: a program ended by any signal, real-time ones included, is a crash naming it", "[grade][signals]") {
  // One assignment with a test per signal that ends a process by default (not the stop and ignore ones, and not
  // SIGXFSZ: the kernel's signal for the file-size limit, which the sandbox reports as that limit). SIGXCPU and
  // SIGKILL are crashes here: the run used no CPU time to speak of, so no CPU limit sent them.
  shmtest::TempDir assignment, sub;
  std::ofstream spec(assignment.file("assignment.toml"));
  spec << "title = \"signals\"\nprogram = \"raiser\"\n";
  const std::set<int> not_fatal = {SIGCHLD, SIGCONT, SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU, SIGURG, SIGWINCH, SIGXFSZ};
  std::vector<int> fatal;
  for (int sig = 1; sig <= 64; sig++)
    if (!not_fatal.count(sig)) fatal.push_back(sig);
  for (int sig : fatal) spec << "[[test]]\nname = \"" << sig << "\"\nargs = [\"" << sig << "\"]\npoints = 1\n";
  spec.close();
  std::ofstream(sub.file("raiser.c")) << "#include <signal.h>\n#include <stdlib.h>\n#include <sys/syscall.h>\n"
                                         "#include <unistd.h>\n"
                                         "int main(int argc, char **argv) { (void)argc; int sig = atoi(argv[1]);\n"
                                         "  signal(sig, SIG_DFL); syscall(SYS_kill, getpid(), sig); return 0; }\n";
  shmtest::TempDir out;
  auto r = shmtest::run({SHMGRADE_BIN, "grade", assignment.path(), sub.path(), "--format", "json", "--out", out.file("r.json")},
                        {.timeout_s = 300});
  INFO(r.describe());
  CHECK(r.exit_code == 1);
  auto j = nlohmann::json::parse(std::ifstream(out.file("r.json")));
  REQUIRE(j["tests"].size() == fatal.size());
  for (size_t i = 0; i < fatal.size(); i++) {
    const auto& t = j["tests"][i];
    INFO(t.dump());
    CHECK(t["status"] == "crashed");
    CHECK(t["output"].get<std::string>().rfind("crashed: killed by " + shm::signal_name(fatal[i]) + " (", 0) == 0);
  }
}
