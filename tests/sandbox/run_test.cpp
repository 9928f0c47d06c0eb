// The sandbox library, called directly: verdicts, stdio, IPC leftovers, the limits table.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "process.hpp"
#include "internal.hpp"  // the seccomp policy's build-time and run-time forms
#include "sandbox.hpp"

namespace sb = shm::sandbox;

namespace {
sb::Outcome run_shell(const std::string& script, sb::Request req = {}) {
  req.argv = {"/bin/sh", "-c", script};
  auto outcome = sb::run(req);
  REQUIRE(outcome.ok());
  return outcome.value();
}
}  // namespace

TEST_CASE("sandbox: exit status, signal and stdin reach the verdict record", "[sandbox]") {
  CHECK(run_shell("exit 0").verdict == sb::Verdict::Ok);
  auto failed = run_shell("echo oops >&2; exit 3");
  CHECK(failed.verdict == sb::Verdict::RuntimeError);
  CHECK(failed.exit_code == 3);
  CHECK(failed.err == "oops\n");
  auto killed = run_shell("kill -SEGV $$");
  CHECK(killed.verdict == sb::Verdict::Signal);
  CHECK(killed.signal == 11);
  sb::Request req;
  req.stdin_data = "hello from stdin\n";
  auto echoed = run_shell("cat", req);
  CHECK(echoed.verdict == sb::Verdict::Ok);  // stdin reached EOF: no write end left open anywhere
  CHECK(echoed.out == "hello from stdin\n");
}

TEST_CASE("sandbox: the program sees its own pid namespace, hostname and an empty private /dev/shm", "[sandbox]") {
  auto r = run_shell("echo $$; hostname; ls -A /dev/shm | wc -l; pwd");
  CHECK(r.out == "2\nshmgrade\n0\n/work\n");  // pid 1 is the sandbox's init
}

TEST_CASE("sandbox: SysV, POSIX shm and named semaphores left behind are reported and removed", "[sandbox]") {
  shmtest::TempDir dir;
  const std::string src = dir.file("leak.c");
  std::ofstream(src) << R"(#include <fcntl.h>
#include <semaphore.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <unistd.h>
int main(void) {
  shmget(IPC_PRIVATE, 8192, IPC_CREAT | 0600);
  int fd = shm_open("/leaked-object", O_RDWR | O_CREAT, 0600);
  ftruncate(fd, 4096);
  sem_open("/leaked-sem", O_CREAT, 0600, 1);
  return 0;
}
)";
  sb::Request req;
  req.workdir = dir.path();
  req.argv = {"cc", "-D_DEFAULT_SOURCE", "leak.c", "-o", "leak", "-pthread", "-lrt"};
  auto built = sb::run(req);
  REQUIRE(built.ok());
  REQUIRE(built->verdict == sb::Verdict::Ok);
  req.argv = {"./leak"};
  auto r = sb::run(req);
  REQUIRE(r.ok());
  CHECK(r->verdict == sb::Verdict::Ok);
  std::set<std::string> kinds;
  for (const auto& l : r->leftovers) kinds.insert(l.kind + " " + (l.kind == "sysv-shm" ? "" : l.name));
  CHECK(kinds == std::set<std::string>{"sysv-shm ", "posix-shm /leaked-object", "posix-sem /leaked-sem"});
}

TEST_CASE("sandbox: a temporary work dir is removed, a given one is kept", "[sandbox]") {
  auto r = run_shell("echo data > file");
  CHECK_FALSE(std::filesystem::exists(r.workdir));
  shmtest::TempDir dir;
  sb::Request req;
  req.workdir = dir.path();
  run_shell("echo data > file", req);
  CHECK(std::filesystem::exists(dir.file("file")));
}

TEST_CASE("sandbox: read-only dirs are seen at their own paths, cannot be written, and /proc or /dev are refused",
          "[sandbox]") {
  shmtest::TempDir dir, sibling;
  std::ofstream(dir.file("tool.txt")) << "tool\n";
  std::ofstream(sibling.file("secret.txt")) << "secret\n";
  std::filesystem::permissions(dir.path(), std::filesystem::perms::others_read | std::filesystem::perms::others_exec,
                               std::filesystem::perm_options::add);  // as root the program runs as nobody
  sb::Request req;
  req.read_only_dirs = {dir.path()};
  auto r = run_shell("cat " + dir.file("tool.txt") + "; touch " + dir.file("new") + " 2>/dev/null || echo refused; "
                     "cat " + sibling.file("secret.txt") + " 2>/dev/null || echo unseen", req);
  CHECK(r.out == "tool\nrefused\nunseen\n");  // /tmp stays private: only the named dir is there
  CHECK_FALSE(std::filesystem::exists(dir.file("new")));
  for (const char* bad : {"/proc/1", "/dev", "relative/dir"}) {
    req.read_only_dirs = {bad};
    auto refused = sb::run([&] { req.argv = {"/bin/true"}; return req; }());
    INFO(bad);
    REQUIRE(refused.ok());
    CHECK(refused->verdict == sb::Verdict::InternalError);
    CHECK_THAT(refused->error, Catch::Contains("read-only dir"));
  }
}

TEST_CASE("sandbox: CPUs are shared between runs, not processes: a run of one beside a run of 24 gets its half",
          "[sandbox]") {
  const std::string mounts = [] {
    std::ifstream in("/proc/self/mounts");
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }();
  if (geteuid() != 0 || (mounts.find(",cpu,") == std::string::npos && mounts.find(",cpu ") == std::string::npos)) {
    WARN("skipped: needs root and cgroup v1's cpu controller (cgroup v2 shares CPUs between groups by itself)");
    return;
  }
  sb::Request crowd;
  crowd.argv = {"/bin/sh", "-c", "for i in $(seq 24); do (while :; do :; done) & done; sleep 3"};
  std::thread crowded([&] { (void)sb::run(crowd); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto alone = run_shell("timeout 2 sh -c 'while :; do :; done'; true");
  crowded.join();
  // Shared by process, the lone loop would get 2 CPUs / 25 processes: 0.16 s of its 2 s. Shared by run: 1 CPU.
  CHECK(alone.cpu_s > 0.8);
}

TEST_CASE("limits: one table, every limit with a flag and both profiles' defaults", "[sandbox]") {
  const auto& table = sb::limit_table();
  std::set<std::string> flags;
  for (size_t i = 0; i < table.size(); i++) {
    CHECK(size_t(table[i].limit) == i);  // indexed by the enum
    CHECK(table[i].run_default > 0);
    CHECK(table[i].compile_default > 0);
    flags.insert(table[i].flag);
  }
  CHECK(flags == std::set<std::string>{"time", "cpu", "memory", "procs", "files", "fsize", "disk", "output", "shm"});
  CHECK(sb::Limits::defaults(sb::Profile::Compile)[sb::Limit::WallTime] == 60000);
  CHECK(sb::Limits::defaults(sb::Profile::Compile)[sb::Limit::Memory] == 1024ull << 20);
}

TEST_CASE("shmgrade run --help lists every limit with its default", "[sandbox]") {
  auto help = shmtest::run({SHMGRADE_BIN, "run", "--help"});
  REQUIRE(help.ok());
  for (const auto& spec : sb::limit_table()) {
    INFO(spec.flag);
    CHECK_THAT(help.out, Catch::Contains(std::string("--") + spec.flag) && Catch::Contains("default"));
  }
}

namespace {
std::set<std::string> staged_copies() {  // the copies shmgrade makes of a program named by path
  std::set<std::string> dirs;
  for (const auto& entry : std::filesystem::directory_iterator("/tmp"))
    if (entry.path().filename().string().rfind("shmgrade-prog-", 0) == 0) dirs.insert(entry.path());
  return dirs;
}
}  // namespace

TEST_CASE("shmgrade run -- PATH: a program the sandbox cannot see is copied in, a system one runs in place",
          "[sandbox]") {
  const auto before = staged_copies();
  shmtest::TempDir dir;  // under /tmp, which the sandbox replaces with its own
  std::filesystem::copy_file("/bin/echo", dir.file("my echo"));
  auto copied = shmtest::run({SHMGRADE_BIN, "run", "--", dir.file("my echo"), "from", "the copy"});
  INFO(copied.describe());
  CHECK(copied.ok());
  CHECK(copied.out == "from the copy\n");
  auto system = shmtest::run({SHMGRADE_BIN, "run", "--", "/usr/bin/../bin/echo", "in place"});
  CHECK(system.out == "in place\n");

  auto missing = shmtest::run({SHMGRADE_BIN, "run", "--", dir.file("nothing")});
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::Contains(dir.file("nothing") + ": no such file"));
  auto directory = shmtest::run({SHMGRADE_BIN, "trace", "--", dir.path()});
  CHECK(directory.exit_code == 2);
  CHECK_THAT(directory.err, Catch::Contains("not a regular file"));
  CHECK(staged_copies() == before);  // each copy went with its run
}

TEST_CASE("seccomp: the BPF built into shmgrade is what libseccomp compiles from the policy table", "[sandbox]") {
  const sb::SeccompPolicy policy = GENERATE(from_range(std::begin(sb::kSeccompPolicies), std::end(sb::kSeccompPolicies)));
  INFO("policy " << int(policy));
  auto compiled = sb::compile_seccomp_policy(policy);
  REQUIRE(compiled.ok());
  auto built = sb::built_seccomp_policy(policy);
  REQUIRE(built.size() == compiled->size());
  CHECK(built.size() > 100);  // one check per allowed call, at least
  for (size_t i = 0; i < built.size(); i++) {
    INFO("instruction " << i);
    CHECK(built[i].code == (*compiled)[i].code);
    CHECK(built[i].k == (*compiled)[i].k);
    CHECK(built[i].jt == (*compiled)[i].jt);
    CHECK(built[i].jf == (*compiled)[i].jf);
  }
}

TEST_CASE("sandbox without namespaces: says so, still drops root, applies seccomp and ends every process",
          "[sandbox]") {
  sb::Request req;
  req.namespaces = false;
  // A setsid'd grandchild that would outlive the run if the fallback's teardown missed it.
  auto r = run_shell("id -u; id -g; setsid sh -c 'exec sleep 31337' & unshare -U true; echo after", req);
  CHECK(r.verdict == sb::Verdict::Violation);  // unshare(CLONE_NEWUSER), denied by the seccomp policy
  REQUIRE(r.violations.size() >= 1);
  CHECK(r.violations[0].syscall == "unshare");
  if (geteuid() == 0) CHECK_THAT(r.out, Catch::StartsWith("65534\n65534\n"));
  CHECK_THAT(r.out, Catch::EndsWith("after\n"));
  REQUIRE(r.notes.size() >= 1);
  CHECK_THAT(r.notes[0], Catch::Contains("namespaces not used"));
  bool sleeper_alive = false;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    std::ifstream cmdline(entry.path() / "cmdline");
    std::string text((std::istreambuf_iterator<char>(cmdline)), std::istreambuf_iterator<char>());
    if (text.find("31337") != std::string::npos && text.rfind("sleep", 0) == 0) sleeper_alive = true;
  }
  CHECK_FALSE(sleeper_alive);
}

TEST_CASE("cgroup: a group a killed supervisor left does not take a later run's name and is removed", "[sandbox]") {
  auto probe = sb::Cgroup::create(sb::Limits::defaults(sb::Profile::Run));
  if (!probe) {
    WARN("skipped: no cgroup can be made here (" << probe.error().message() << ")");
    return;
  }
  const std::filesystem::path parent = probe->dirs().front().parent_path();
  const pid_t dead = fork();  // its pid names a group nobody will remove
  if (dead == 0) _exit(0);
  waitpid(dead, nullptr, 0);
  const auto stale = parent / ("shmgrade-" + std::to_string(dead) + "-0");
  REQUIRE(mkdir(stale.c_str(), 0755) == 0);
  // A process whose first group's name is taken by a stale group of the same name, as after pid reuse.
  int ready[2];
  REQUIRE(pipe(ready) == 0);
  const pid_t later = fork();
  if (later == 0) {
    char go;
    if (read(ready[0], &go, 1) != 1) _exit(3);
    int code;
    {
      auto group = sb::Cgroup::create(sb::Limits::defaults(sb::Profile::Run));
      code = !group ? 1 : group->dirs().front().filename() == "shmgrade-" + std::to_string(getpid()) + "-1" ? 0 : 2;
    }  // removed, as at the end of a run
    _exit(code);
  }
  // The probe took name 0; the child counts on from its parent's count: its first group is name 1.
  const auto taken = parent / ("shmgrade-" + std::to_string(later) + "-1");
  REQUIRE(mkdir(taken.c_str(), 0755) == 0);
  REQUIRE(write(ready[1], "g", 1) == 1);
  int status = -1;
  waitpid(later, &status, 0);
  close(ready[0]);
  close(ready[1]);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);  // made under its own name all the same
  CHECK_FALSE(std::filesystem::exists(stale));  // the dead process's group is gone
  CHECK_FALSE(std::filesystem::exists(taken));  // and the later one's, removed with its run
}
