// The analyzers on hand-made runs: each finding family from the events that show it, and no finding from the
// events that do not; de-duplication, points, and the compiler's first error.
#include <catch2/catch.hpp>

#include <signal.h>

#include "findings/analyze.hpp"
#include "report/report.hpp"
#include "race/reports.hpp"

namespace fd = shm::findings;
namespace ct = shm::catalogue;
namespace en = shm::engine;
namespace tr = shm::trace;

namespace {

using Args = std::vector<std::pair<std::string, tr::Value>>;

struct Run {
  shm::spec::AssignmentSpec spec;
  en::RunResult result;
  Run() {
    spec.name = "t";
    spec.tests.push_back({});
    spec.tests[0].name = "the test";
    result.outcome.verdict = shm::sandbox::Verdict::Ok;
    result.outcome.exit_code = 0;
  }
  // Appends an event; FILE set means the student's own code.
  Run& ev(int pid, const std::string& call, Args args, int64_t result = 0, int line = 0, int err = 0) {
    tr::Event e;
    e.seq = this->result.outcome.events.size();
    e.pid = pid;
    e.syscall = call;
    e.args = std::move(args);
    e.result = err ? -err : result;
    e.err = err;
    if (line) {
      e.file = "s.c";
      e.line = line;
    }
    if ((call == "openat") && e.text_arg("path").rfind("/dev/shm/", 0) == 0) e.object = "shm:/" + e.text_arg("path").substr(9);
    this->result.outcome.events.push_back(e);
    return *this;
  }
  fd::Findings analyze(std::vector<std::string> techniques = {}) {
    spec.tests[0].techniques = std::move(techniques);
    return fd::analyze(spec, {result}, ".");
  }
};

std::vector<std::string> ids(const fd::Findings& found) {
  std::vector<std::string> out;
  for (const auto& f : found) out.push_back(f.id + "@" + std::to_string(f.line));
  return out;
}

Args mmap_args(int64_t length, const char* flags, int64_t fd = -1, const char* path = "", int64_t size = 0,
               int64_t offset = 0, const char* prot = "PROT_READ|PROT_WRITE") {
  Args a = {{"addr", std::string("0x0")}, {"length", length}, {"prot", std::string(prot)}, {"flags", std::string(flags)},
            {"fd", fd}, {"offset", offset}};
  if (*path) {
    a.push_back({"path", std::string(path)});
    a.push_back({"file_size", size});
  }
  return a;
}

constexpr int64_t A = 0x7f0000000000;
const std::string kA = "0x7f0000000000";

}  // namespace

TEST_CASE("findings: munmap of part of a mapping, across adjacent mappings or with a length that is not a page "
          "multiple is legal, an unaligned address, a length of 0 or an unmapped range is munmap-misuse", "[findings]") {
  Run legal;
  legal.ev(2, "mmap", mmap_args(8192, "MAP_SHARED|MAP_ANONYMOUS"), A, 10)
      .ev(2, "munmap", {{"addr", std::string("0x7f0000001000")}, {"length", int64_t(4096)}}, 0, 11)  // the second page
      .ev(2, "munmap", {{"addr", kA}, {"length", int64_t(100)}}, 0, 12)                              // rounded up: the first
      .ev(2, "mmap", mmap_args(4096, "MAP_SHARED|MAP_ANONYMOUS"), A + 0x10000, 13)
      .ev(2, "mmap", mmap_args(4096, "MAP_PRIVATE|MAP_ANONYMOUS"), A + 0x11000, 14)
      .ev(2, "munmap", {{"addr", std::string("0x7f0000010000")}, {"length", int64_t(8192)}}, 0, 15);  // both at once
  CHECK(ids(legal.analyze()).empty());

  Run wrong;
  wrong.ev(2, "mmap", mmap_args(8192, "MAP_SHARED|MAP_ANONYMOUS"), A, 10)
      .ev(2, "munmap", {{"addr", std::string("0x7f0000000008")}, {"length", int64_t(8192)}}, 0, 11, EINVAL)
      .ev(2, "munmap", {{"addr", kA}, {"length", int64_t(0)}}, 0, 12, EINVAL)
      .ev(2, "munmap", {{"addr", kA}, {"length", int64_t(8192)}}, 0, 13)
      .ev(2, "munmap", {{"addr", kA}, {"length", int64_t(8192)}}, 0, 14);  // again: released already
  auto found = wrong.analyze();
  REQUIRE(ids(found) == std::vector<std::string>{"munmap-misuse@11", "munmap-misuse@12", "munmap-misuse@14"});
  CHECK_THAT(found[0].detail["problem"], Catch::StartsWith("the address is not page-aligned"));
  CHECK_THAT(found[1].detail["problem"], Catch::StartsWith("a length of 0 releases nothing"));
  CHECK(found[2].detail["problem"] == "nothing is mapped in this range");
  CHECK(found[0].points == 3);  // the kind's default, charged once
  CHECK(found[1].points == 0);
}

TEST_CASE("findings: a private futex on a shared mapping is mutex-not-pshared, a futex on private memory across processes sync-not-shared", "[findings]") {
  Run pshared;
  pshared.ev(2, "mmap", mmap_args(4096, "MAP_SHARED|MAP_ANONYMOUS"), A, 5)
      .ev(2, "fork", {{"child", int64_t(3)}}, 3, 6)
      .ev(3, "futex", {{"uaddr", std::string("0x7f0000000010")}, {"op", std::string("FUTEX_WAIT|FUTEX_PRIVATE_FLAG")}}, 0, 7);
  auto found = pshared.analyze();
  REQUIRE(ids(found) == std::vector<std::string>{"mutex-not-pshared@7"});
  CHECK(found[0].detail["backing"] == "anonymous");
  // Not the lock's address, which moves with the address-space layout from one grading to the next.
  CHECK_THAT(ct::render(*ct::find_kind("mutex-not-pshared"), found[0].detail, ct::Lang::En),
             Catch::StartsWith("the lock at this line lies in a shared mapping (anonymous)"));

  Run shared_ok;  // the same wait without FUTEX_PRIVATE_FLAG: a process-shared lock
  shared_ok.ev(2, "mmap", mmap_args(4096, "MAP_SHARED|MAP_ANONYMOUS"), A, 5)
      .ev(2, "fork", {{"child", int64_t(3)}}, 3, 6)
      .ev(3, "futex", {{"uaddr", std::string("0x7f0000000010")}, {"op", std::string("FUTEX_WAIT")}}, 0, 7);
  CHECK(ids(shared_ok.analyze()).empty());

  Run private_copy;  // a lock in a global: each process has its own after fork
  private_copy.ev(2, "fork", {{"child", int64_t(3)}}, 3, 6)
      .ev(3, "futex", {{"uaddr", std::string("0x5555000010")}, {"op", std::string("FUTEX_WAIT")}}, 0, 8);
  auto copies = private_copy.analyze();
  REQUIRE(ids(copies) == std::vector<std::string>{"sync-not-shared@8"});
  CHECK_THAT(ct::render(*ct::find_kind("sync-not-shared"), copies[0].detail, ct::Lang::Zh), Catch::Contains("此行"));

  Run threads;  // threads share private memory: no finding
  threads.ev(2, "thread", {{"child", int64_t(3)}}, 3, 6)
      .ev(3, "futex", {{"uaddr", std::string("0x5555000010")}, {"op", std::string("FUTEX_WAIT|FUTEX_PRIVATE_FLAG")}}, 0, 8);
  CHECK(ids(threads.analyze()).empty());
}

TEST_CASE("findings: a written shared file mapping never msync'd is a missing-msync warning", "[findings]") {
  auto run_with = [](bool sync, const char* path) {
    Run r;
    r.ev(2, "openat", {{"dirfd", std::string("AT_FDCWD")}, {"path", std::string(path)}, {"flags", std::string("O_RDWR|O_CREAT")}}, 3, 4)
        .ev(2, "ftruncate", {{"fd", int64_t(3)}, {"length", int64_t(4)}}, 0, 5)
        .ev(2, "mmap", mmap_args(4, "MAP_SHARED", 3, path, 4), A, 6);
    if (sync) r.ev(2, "msync", {{"addr", kA}, {"length", int64_t(4)}, {"flags", std::string("MS_SYNC")}}, 0, 7);
    r.ev(2, "munmap", {{"addr", kA}, {"length", int64_t(4)}}, 0, 8);
    return r.analyze();
  };
  auto found = run_with(false, "/work/c.bin");
  REQUIRE(ids(found) == std::vector<std::string>{"missing-msync@6"});
  CHECK(found[0].severity == ct::Severity::Warning);
  CHECK(found[0].points == 0);
  CHECK(ids(run_with(true, "/work/c.bin")).empty());
  CHECK(ids(run_with(false, "/dev/shm/ring")).empty());  // memory only: nothing to write back
}

TEST_CASE("findings: missing-ftruncate, beyond-eof and unaligned-offset from the mapping and the file's size", "[findings]") {
  Run unsized;
  unsized.ev(2, "openat", {{"path", std::string("/dev/shm/ring")}, {"flags", std::string("O_RDWR|O_CREAT|O_EXCL")}}, 3, 4)
      .ev(2, "mmap", mmap_args(4096, "MAP_SHARED", 3, "/dev/shm/ring", 0), A, 6);
  CHECK(ids(unsized.analyze()) == std::vector<std::string>{"missing-ftruncate@6"});

  Run sized_later;  // ftruncate after mmap, before touching: fine
  sized_later.ev(2, "openat", {{"path", std::string("/dev/shm/ring")}, {"flags", std::string("O_RDWR|O_CREAT")}}, 3, 4)
      .ev(2, "mmap", mmap_args(4096, "MAP_SHARED", 3, "/dev/shm/ring", 0), A, 6)
      .ev(2, "ftruncate", {{"fd", int64_t(3)}, {"length", int64_t(4096)}}, 0, 7);
  CHECK(ids(sized_later.analyze()).empty());

  auto window = [](int64_t length, bool sigbus) {
    Run r;
    r.ev(2, "openat", {{"path", std::string("f.txt")}, {"flags", std::string("O_RDONLY")}}, 3, 4)
        .ev(2, "mmap", mmap_args(length, "MAP_SHARED", 3, "/work/f.txt", 13, 0, "PROT_READ"), A, 9);
    if (sigbus) {
      r.result.outcome.verdict = shm::sandbox::Verdict::Signal;
      r.result.outcome.signal = SIGBUS;
      r.result.status = en::TestStatus::Crashed;
    }
    return r.analyze();
  };
  CHECK(ids(window(4096, false)).empty());  // past end of file but within its last page: reads zeros
  CHECK(ids(window(3 * 4096, true)) == std::vector<std::string>{"beyond-eof@9"});

  Run unaligned;
  unaligned.ev(2, "mmap", mmap_args(100, "MAP_PRIVATE", 3, "/work/f.txt", 9000, 5000, "PROT_READ"), 0, 12, EINVAL);
  auto found = unaligned.analyze();
  REQUIRE(ids(found) == std::vector<std::string>{"unaligned-offset@12"});
  CHECK(ct::render(*ct::find_kind("unaligned-offset"), found[0].detail, ct::Lang::En) ==
        "mmap of /work/f.txt at offset 5000, which is not a multiple of the page size (4096): the call fails with EINVAL");
}

TEST_CASE("findings: techniques are checked from the student's calls", "[findings]") {
  Run forked;
  forked.ev(2, "mmap", mmap_args(4, "MAP_SHARED|MAP_ANONYMOUS"), A, 5).ev(2, "fork", {{"child", int64_t(3)}}, 3, 6);
  CHECK(ids(forked.analyze({"threads"})) == std::vector<std::string>{"mode-mismatch@6"});
  CHECK(ids(forked.analyze({"map-anonymous-shared"})).empty());
  CHECK(ids(forked.analyze({"map-dev-zero"})) == std::vector<std::string>{"mode-mismatch@0"});

  Run reads;
  reads.ev(2, "openat", {{"path", std::string("/dev/urandom")}, {"flags", std::string("O_RDONLY")}}, 3, 4)
      .ev(2, "read", {{"fd", int64_t(3)}}, 0, 5)
      .ev(2, "openat", {{"path", std::string("n.txt")}, {"flags", std::string("O_RDONLY")}}, 4, 6)
      .ev(2, "read", {{"fd", int64_t(4)}}, 0, 7);  // the loader's read of a library: no line, not the student's
  reads.result.outcome.events.back().file.clear();
  CHECK(ids(reads.analyze({"no-read-of-input"})).empty());
  reads.ev(2, "pread64", {{"fd", int64_t(4)}}, 0, 8);
  auto found = reads.analyze({"no-read-of-input"});
  REQUIRE(ids(found) == std::vector<std::string>{"mode-mismatch@8"});
  CHECK(found[0].detail["observed"] == "read n.txt with pread64");

  Run usage;  // a run that exits 2 on purpose shows no technique and is not held to one
  usage.spec.tests[0].exit_status = 2;
  usage.result.outcome.exit_code = 2;
  usage.ev(2, "exit", {{"status", int64_t(2)}});
  CHECK(ids(usage.analyze({"map-shared-file"})).empty());
}

TEST_CASE("findings: unwaited children point at the fork, leftovers at the call that made them", "[findings]") {
  Run r;
  r.ev(2, "fork", {{"child", int64_t(3)}}, 3, 20)
      .ev(2, "shmget", {{"key", std::string("IPC_PRIVATE")}}, 7, 21)
      .ev(2, "exit", {{"status", int64_t(0)}, {"unwaited_children", std::string("3")}});
  r.result.outcome.leftovers.push_back({"sysv-shm", "id 7 key 0x00000000", 4096});
  auto found = r.analyze();
  REQUIRE(ids(found) == std::vector<std::string>{"unwaited-children@20", "ipc-leak@21"});
  CHECK(found[0].detail["children"] == "3");
  CHECK(ct::render(*ct::find_kind("ipc-leak"), found[1].detail, ct::Lang::Zh) ==
        "运行结束后 System V 共享内存段 id 7 key 0x00000000 仍然存在：程序从未删除它");

  // Left only in the run where the grader made a call fail: the message names that path.
  Run injected;
  injected.spec.tests[0].injections.push_back(*tr::parse_injection("shmat:1:ENOMEM"));
  injected.result.status = en::TestStatus::Failed;
  injected.ev(2, "shmget", {{"key", std::string("IPC_PRIVATE")}}, 7, 21)
      .ev(2, "shmat", {{"shmid", int64_t(7)}}, -ENOMEM, 22, ENOMEM)
      .ev(2, "exit", {{"status", int64_t(1)}});
  injected.result.outcome.leftovers.push_back({"sysv-shm", "id 7 key 0x00000000", 4096});
  const auto leak = injected.analyze();
  auto it = std::find_if(leak.begin(), leak.end(), [](const auto& f) { return f.id == "ipc-leak"; });
  REQUIRE(it != leak.end());
  CHECK(ct::render(*ct::find_kind("ipc-leak"), it->detail, ct::Lang::En) ==
        "the System V segment id 7 key 0x00000000 was still there after the run: in the run where the 1st shmat fails "
        "with ENOMEM, the program exited without removing it (the error path must remove what was made before the "
        "failure)");

  r.ev(3, "killed", {{"signal", std::string("SIGBUS")}});  // cut short by a crash: its clean-up never ran
  CHECK(ids(r.analyze()) == std::vector<std::string>{"unwaited-children@20"});
}

TEST_CASE("findings: an unwaited child still running when the program ended is named as killed with the run, and is "
          "no crash", "[findings]") {
  Run r;
  r.ev(2, "fork", {{"child", int64_t(3)}}, 3, 20)
      .ev(2, "fork", {{"child", int64_t(4)}}, 4, 20)
      .ev(2, "shmget", {{"key", std::string("IPC_PRIVATE")}}, 7, 21)
      .ev(4, "exit", {{"status", int64_t(0)}})
      .ev(2, "exit", {{"status", int64_t(0)}, {"unwaited_children", std::string("3,4")}})
      .ev(3, "killed", {{"signal", std::string("SIGKILL")}, {"reason", std::string("run ended")}});
  r.result.outcome.leftovers.push_back({"sysv-shm", "id 7 key 0x00000000", 4096});
  auto found = r.analyze();
  REQUIRE(ids(found) == std::vector<std::string>{"unwaited-children@20", "ipc-leak@21"});  // the leak still counts
  CHECK(found[0].detail["children"] == "3 (still running when the program ended: killed with the run), 4");
  CHECK(found[0].detail["children_zh"] == "3（程序结束时仍在运行，随运行一起被杀死）、4");
}

TEST_CASE("findings: how a run ended, once per distinct message, dropped when a located error explains it", "[findings]") {
  Run r;
  r.spec.limits[shm::sandbox::Limit::WallTime] = 10000;
  r.result.status = en::TestStatus::Timeout;
  r.result.outcome.verdict = shm::sandbox::Verdict::Timeout;
  r.result.outcome.limit_hit = "time";
  auto found = r.analyze();
  REQUIRE(ids(found) == std::vector<std::string>{"timeout@0"});
  CHECK(found[0].detail["limit"] == "time 10 s");

  r.result.status = en::TestStatus::Failed;
  r.result.outcome.verdict = shm::sandbox::Verdict::Violation;
  r.result.outcome.violations = {{3, "socket"}, {3, "mount"}, {4, "socket"}};
  CHECK(r.analyze()[0].detail["syscall"] == "mount, socket");

  r.spec.finding_points["mutex-not-pshared"] = 8;  // the assignment's price, not the default
  r.ev(2, "mmap", mmap_args(4096, "MAP_SHARED|MAP_ANONYMOUS"), A, 5)
      .ev(2, "fork", {{"child", int64_t(3)}}, 3, 6)
      .ev(2, "fork", {{"child", int64_t(4)}}, 4, 6)
      .ev(3, "futex", {{"uaddr", kA}, {"op", std::string("FUTEX_WAIT|FUTEX_PRIVATE_FLAG")}}, 0, 7)
      .ev(4, "futex", {{"uaddr", kA}, {"op", std::string("FUTEX_WAIT|FUTEX_PRIVATE_FLAG")}}, 0, 7);
  r.result.outcome.verdict = shm::sandbox::Verdict::Timeout;
  found = r.analyze();
  REQUIRE(ids(found) == std::vector<std::string>{"mutex-not-pshared@7"});  // once, and the timeout is explained
  CHECK(found[0].points == 8);
}

TEST_CASE("findings: an assignment's own hint replaces the catalogue's, in both languages", "[findings]") {
  Run r;
  r.result.status = en::TestStatus::Failed;
  r.result.why = "the output differs at line 1";
  auto found = r.analyze();
  REQUIRE(ids(found) == std::vector<std::string>{"wrong-output@0"});
  const std::string general = shm::report::hint_of(found[0], {});
  CHECK_THAT(general, Catch::Contains("byte for byte"));
  r.spec.finding_hints["wrong-output"] = {"print the window only", "只打印窗口"};
  found = r.analyze();
  CHECK(shm::report::hint_of(found[0], {}) == "print the window only");
  CHECK(shm::report::hint_of(found[0], {.lang = ct::Lang::Zh}) == "只打印窗口");
  CHECK(shm::report::message_of(found[0], {}) == "the output differs at line 1");  // the message is the catalogue's
}

TEST_CASE("findings: a crash the tracer located sits at the faulting line, and a located cause still explains it",
          "[findings]") {
  Run r;
  r.result.status = en::TestStatus::Crashed;
  r.result.outcome.verdict = shm::sandbox::Verdict::Signal;
  r.result.outcome.signal = SIGSEGV;
  r.ev(2, "killed", {{"signal", std::string("SIGSEGV")}, {"addr", std::string("0x10")}, {"code", std::string("SEGV_MAPERR")}},
       0, 31);
  auto found = r.analyze();
  REQUIRE(ids(found) == std::vector<std::string>{"crash@31"});
  CHECK_THAT(found[0].detail["description"], Catch::EndsWith(", SEGV_MAPERR at this line"));

  // The mapping that had no file behind it explains the SIGBUS: the crash is not listed beside it.
  Run bus;
  bus.result.status = en::TestStatus::Crashed;
  bus.result.outcome.verdict = shm::sandbox::Verdict::Signal;
  bus.result.outcome.signal = SIGBUS;
  bus.ev(2, "openat", {{"dirfd", std::string("AT_FDCWD")}, {"path", std::string("/work/c.bin")}, {"flags", std::string("O_RDWR|O_CREAT")}}, 3, 18)
      .ev(2, "mmap", mmap_args(4096, "MAP_SHARED", 3, "/work/c.bin", 0), A, 19)
      .ev(2, "killed", {{"signal", std::string("SIGBUS")}, {"code", std::string("BUS_ADRERR")}}, 0, 25);
  CHECK(ids(bus.analyze()) == std::vector<std::string>{"missing-ftruncate@19"});
}

TEST_CASE("findings: the compiler's first error at its file:line", "[findings]") {
  en::BuildResult b;
  b.command = {"cc", "-O2", "./counter.c"};
  b.message = "./counter.c: In function 'main':\n./counter.c:12:5: error: expected ';' before 'return'\n"
              "./counter.c:14:1: error: second\n";
  auto f = fd::compile_finding(b);
  CHECK(f.file == "counter.c");
  CHECK(f.line == 12);
  CHECK(f.detail["message"] == "expected ';' before 'return'");
  CHECK(f.detail["flags"] == "cc -O2 ./counter.c");
  b.message = "/usr/bin/ld: undefined reference to `shm_open'\n";
  f = fd::compile_finding(b);
  CHECK(f.file.empty());
  CHECK(f.detail["message"] == "/usr/bin/ld: undefined reference to `shm_open'");
}

TEST_CASE("findings: ThreadSanitizer's reports become races at the submission's lines, library-only ones dropped", "[findings]") {
  const std::string text = R"(==================
WARNING: ThreadSanitizer: data race (pid=2)
  Read of size 4 at 0x55c4552dd0cc by thread T2:
    #0 thread_main anon.c:20 (anon.tsan+0x1313)

  Previous write of size 4 at 0x55c4552dd0cc by thread T1:
    #0 memcpy ../../../../src/libsanitizer/sanitizer_common/sanitizer_common_interceptors.inc:827 (libtsan.so.2+0x1)
    #1 thread_main /work/./anon.c:21 (anon.tsan+0x1333)

  Location is global 'private_total' of size 4 at 0x55c4552dd0cc (anon.tsan+0x40cc)

SUMMARY: ThreadSanitizer: data race anon.c:20 in thread_main
==================
==================
WARNING: ThreadSanitizer: data race (pid=2)
  Write of size 8 at 0x7b0400000000 by thread T1:
    #0 free /usr/lib/x86_64-linux-gnu/libc.so.6 (libc.so.6+0x1)

  Previous write of size 8 at 0x7b0400000000 by main thread:
    #0 malloc ../../../../src/libsanitizer/tsan/tsan_interceptors.cpp:1 (libtsan.so.2+0x1)

SUMMARY: ThreadSanitizer: data race
==================
)";
  auto races = shm::race::parse_tsan_reports(text);
  REQUIRE(races.size() == 1);
  CHECK(races[0].access.file == "anon.c");
  CHECK(races[0].access.line == 20);
  CHECK_FALSE(races[0].access.write);
  CHECK(races[0].previous.file == "anon.c");  // past the library frame, "/work/./" dropped
  CHECK(races[0].previous.line == 21);
  CHECK(races[0].access.function == "thread_main");
  CHECK(races[0].previous.function == "thread_main");  // the frame in the submission, not libtsan's memcpy
  CHECK(races[0].previous.write);
  CHECK(races[0].object == "global 'private_total'");
  CHECK(races[0].threads_only);
  CHECK(races[0].access.pid == races[0].previous.pid);

  // The log lies in the program's work dir: a line it made 4 MiB long (std::regex recurses per character of
  // `.*`) is skipped, and the real report after it still counts.
  const std::string forged = "WARNING: ThreadSanitizer: data race (pid=3)\n  Read of size 4 at 0x1 by " +
                             std::string(4 << 20, 'x') + ":\n";
  auto after_forged = shm::race::parse_tsan_reports(forged + text);
  REQUIRE(after_forged.size() == 1);
  CHECK(after_forged[0].access.line == 20);
}

TEST_CASE("findings: a race-detector capacity a run reached is said once, in both languages, and costs nothing",
          "[findings]") {
  Run r;
  r.spec.tests[0].mode = shm::spec::TestMode::Race;
  r.result.race_limits = {{"threads and processes", 256}};
  en::RunResult again = r.result;
  again.repeat = 1;
  auto found = fd::analyze(r.spec, {r.result, again}, ".");
  REQUIRE(ids(found) == std::vector<std::string>{"race-check-incomplete@0"});
  CHECK(found[0].points == 0);
  CHECK(found[0].severity == ct::Severity::Info);
  const ct::FindingKind* kind = ct::find_kind("race-check-incomplete");
  REQUIRE(kind);
  CHECK(ct::render(*kind, found[0].detail, ct::Lang::En) ==
        "the race detector checked only the first 256 threads and processes of this run: accesses past them were not "
        "checked, so finding no race there proves nothing");
  CHECK_THAT(ct::render(*kind, found[0].detail, ct::Lang::Zh), Catch::Contains("前 256 个线程和进程"));
}

TEST_CASE("findings: an output test a race decided says nothing of its own output, a test the race did not decide does",
          "[findings]") {
  Run r;
  r.spec.tests[0].race_test = "no data race";
  r.spec.tests.push_back({.name = "no data race", .mode = shm::spec::TestMode::Race});
  r.spec.tests.push_back({.name = "one process", .args = {"1"}});
  r.result.status = en::TestStatus::Failed;
  r.result.why = "the output differs at line 1";  // this grading's schedule lost an update
  r.ev(2, "close", {{"fd", int64_t(5)}});         // traced runs: an untraced one is explained by any located error
  en::RunResult race_run, alone = r.result;
  race_run.test = 1;
  alone.test = 2;
  alone.why = "the output differs at line 2";
  CHECK(ids(fd::analyze(r.spec, {r.result, race_run, alone}, ".")) ==
        std::vector<std::string>{"wrong-output@0", "wrong-output@0"});  // no race found: both are the program's
  race_run.races.resize(1);
  race_run.races[0].access = {1, true, "s.c", 9};
  race_run.races[0].previous = {2, true, "s.c", 9};
  const auto found = fd::analyze(r.spec, {r.result, race_run, alone}, ".");
  REQUIRE(ids(found) == std::vector<std::string>{"data-race@9", "wrong-output@0"});
  CHECK(found[1].test == "one process");
  CHECK(fd::decided_by_race(r.spec, {r.result, race_run, alone}) == std::vector<bool>{true, true, false});
}

TEST_CASE("findings: a race on an object's initialisation says it was reachable by name before it was initialised, "
          "and how to publish it, in both languages",
          "[findings]") {
  Run r;
  r.spec.tests[0].mode = shm::spec::TestMode::Race;
  r.result.races.resize(1);
  auto& race = r.result.races[0];
  race.object = "shm:/board";
  race.access = {7, false, "client.c", 19};
  race.previous = {6, true, "server.c", 12};
  const ct::FindingKind* kind = ct::find_kind("data-race");
  REQUIRE(kind);
  auto found = fd::analyze(r.spec, {r.result}, ".");
  REQUIRE(ids(found) == std::vector<std::string>{"data-race@19"});
  CHECK_THAT(ct::render(*kind, found[0].detail, ct::Lang::En),
             Catch::Contains("neither is ordered before the other") && !Catch::Contains("initialised"));
  race.initialisation = true;
  found = fd::analyze(r.spec, {r.result}, ".");
  REQUIRE(ids(found) == std::vector<std::string>{"data-race@19"});
  const std::string en = ct::render(*kind, found[0].detail, ct::Lang::En);
  CHECK_THAT(en, Catch::Contains("on shm:/board: the object was reachable by name before it was initialised: server.c:12 "
                                 "is its creator's first write"));
  CHECK_THAT(en, Catch::Contains("publish the object only once it is initialised"));
  CHECK_THAT(ct::render(*kind, found[0].detail, ct::Lang::Zh),
             Catch::Contains("初始化完成之前就能按名字打开：server.c:12") && Catch::Contains("rename"));
}
