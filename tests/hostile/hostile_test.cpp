// The hostile suite: programs and submissions that attack the sandbox, each run through `shmgrade run` as
// a user would. Every case asserts its verdict and containment: the run's processes are gone, nothing was
// written outside the work dir, no host secret leaked, and the next run works. (The suite guard checks
// /dev/shm and the SysV tables around every case.) It is built twice: HOSTILE_MODE "root" runs the CLI
// as root, "unprivileged" as nobody, through user namespaces and without cgroups.
#include <catch2/catch.hpp>

#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "process.hpp"

using namespace shmtest;
namespace fs = std::filesystem;

namespace {

constexpr uid_t kNobody = 65534;

bool unprivileged() { return std::string(HOSTILE_MODE) == "unprivileged"; }

struct Run {
  ProcessResult process;
  nlohmann::json record;
  std::string verdict() const { return record.value("verdict", "<no record>"); }
};

// A scratch area the CLI's user can use: the shmgrade binary, the work dir, the JSON record.
struct Scratch {
  TempDir dir;
  std::string shmgrade = dir.file("shmgrade");
  std::string work = dir.file("work");
  std::string json = dir.file("record.json");
  Scratch() {
    fs::copy_file(std::string(SHMGRADE_BIN), shmgrade);
    fs::create_directory(work);
    if (unprivileged())
      for (const auto& p : {dir.path(), work}) REQUIRE(chown(p.c_str(), kNobody, kNobody) == 0);
    chmod(dir.path().c_str(), 0755);
  }
  // Place a hostile program (built with the suite) in the work dir.
  void add_program(const std::string& name) {
    auto target = work + "/" + name;
    fs::copy_file(std::string(HOSTILE_BIN_DIR) + "/" + name, target);
    if (unprivileged()) REQUIRE(chown(target.c_str(), kNobody, kNobody) == 0);
  }
  // In the work dir (the default), or in a fresh one the sandbox makes and removes (FRESH).
  Run run(const std::vector<std::string>& command, const std::vector<std::string>& options = {}, bool fresh = false) {
    std::vector<std::string> argv;
    if (unprivileged()) argv = {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"};
    argv.insert(argv.end(), {shmgrade, "run", "--json", json});
    if (!fresh) argv.insert(argv.end(), {"--workdir", work});
    argv.insert(argv.end(), options.begin(), options.end());
    argv.push_back("--");
    argv.insert(argv.end(), command.begin(), command.end());
    Run r{shmtest::run(argv, {.timeout_s = 120}), {}};
    std::ifstream in(json);
    if (in) r.record = nlohmann::json::parse(in, nullptr, false);
    return r;
  }
};

// Processes of the hostile programs still alive anywhere on the host (their names start with "hx_").
std::vector<std::string> hostile_processes() {
  std::vector<std::string> alive;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    std::ifstream comm(entry.path() / "comm");
    std::string name;
    if (comm >> name && name.rfind("hx_", 0) == 0) alive.push_back(entry.path().filename().string() + " " + name);
  }
  return alive;
}

// The checks every case ends with.
void check_contained(Scratch& s, const Run& r) {
  INFO(r.process.describe());
  CHECK(r.process.signal == 0);  // the supervisor itself survived
  CHECK_FALSE(r.process.timed_out);
  CHECK(r.record.is_object());
  CHECK(hostile_processes().empty());
  for (const char* marker : {"/tmp/hx-marker", "/etc/hx-marker", "/hx-marker"}) CHECK_FALSE(fs::exists(marker));
  CHECK_FALSE(fs::exists(s.dir.file("hx-marker")));  // the work dir's parent
  auto next = s.run({"/bin/true"});
  CHECK(next.verdict() == "ok");
}

// Build each run as the program named by the test, with options; returns its run after containment checks.
Run attack(const std::string& program, const std::vector<std::string>& options = {},
           const std::vector<std::string>& args = {}) {
  Scratch s;
  s.add_program(program);
  std::vector<std::string> command = {"./" + program};
  command.insert(command.end(), args.begin(), args.end());
  Run r = s.run(command, options);
  check_contained(s, r);
  return r;
}

bool one_of(const std::string& v, std::set<std::string> allowed) { return allowed.count(v) > 0; }

// The calls the run's violations name.
std::set<std::string> violated_calls(const Run& r) {
  std::set<std::string> calls;
  for (const auto& v : r.record["violations"]) calls.insert(v["syscall"].get<std::string>());
  return calls;
}

}  // namespace

// Without cgroups (the unprivileged build) rlimits refuse instead of kill; the verdicts must be the same.
TEST_CASE("hostile: fork bomb ends at the process limit", "[hostile]") {
  auto r = attack("hx_fork_bomb", {"--time", "2"});
  CHECK(r.verdict() == "process-limit");
  CHECK(r.record["limit_hit"] == "procs");
}

TEST_CASE("hostile: memory bomb ends at the memory limit", "[hostile]") {
  auto r = attack("hx_memory_bomb", {"--memory", "128"});
  CHECK(r.verdict() == "memory-limit");
  CHECK(r.record["limit_hit"] == "memory");
}

TEST_CASE("limits: a 400 MiB array and a refused 512 MiB allocation are memory-limit, exit 124", "[hostile][limits]") {
  for (const char* program : {"hx_big_array", "hx_big_allocation"}) {
    INFO(program);
    auto r = attack(program);
    CHECK(r.verdict() == "memory-limit");
    CHECK(r.record["limit_hit"] == "memory");
    CHECK(r.process.exit_code == 124);
  }
}

TEST_CASE("limits: a program that copes with a refused allocation is ok", "[hostile][limits]") {
  auto r = attack("hx_copes_with_enomem");
  CHECK(r.verdict() == "ok");
  CHECK(r.record["limit_hit"].is_null());
}

TEST_CASE("hostile: /dev/shm filler is capped and its objects are reported and removed", "[hostile]") {
  auto r = attack("hx_devshm_filler", {"--shm", "16", "--time", "5"});
  CHECK(one_of(r.verdict(), {"ok", "runtime-error", "signal", "memory-limit"}));
  REQUIRE(r.record["ipc_leftovers"].is_array());
  CHECK(r.record["ipc_leftovers"].size() >= 1);
  CHECK(r.record["ipc_leftovers"][0]["kind"] == "posix-shm");
}

TEST_CASE("hostile: SysV bomb is stopped and its segments are removed", "[hostile]") {
  auto r = attack("hx_sysv_bomb", {"--time", "5"});
  CHECK(r.verdict() == "memory-limit");
  REQUIRE(r.record["ipc_leftovers"].is_array());
  CHECK(r.record["ipc_leftovers"].size() >= 1);
}

TEST_CASE("hostile: endless output is cut at the output limit", "[hostile]") {
  auto r = attack("hx_endless_output", {"--output", "64"});
  CHECK(r.verdict() == "output-limit");
  CHECK(r.record["stdout_truncated"] == true);
  CHECK(r.process.out.size() <= 64 * 1024);
}

TEST_CASE("hostile: disk filler ends at the file-size limit", "[hostile]") {
  auto r = attack("hx_disk_filler", {"--fsize", "8"});
  CHECK(r.verdict() == "file-size-limit");
}

TEST_CASE("hostile: many files, each under the file-size limit, end at the disk limit", "[hostile]") {
  auto r = attack("hx_many_files", {"--fsize", "8", "--disk", "64"});
  CHECK(r.verdict() == "file-size-limit");
  CHECK(r.record["limit_hit"] == "disk");
}

TEST_CASE("hostile: an empty-file flood ends at the disk limit too", "[hostile]") {
  // Past 64 files of 7 MiB it makes empty ones: with a 512 MiB limit, only the 1 KiB each counts stops it.
  // --cpu 60: making half a million files takes about 10 s of system time, the default CPU limit.
  auto r = attack("hx_many_files", {"--fsize", "8", "--disk", "512", "--time", "60", "--cpu", "60"});
  CHECK(r.verdict() == "file-size-limit");
  CHECK(r.record["limit_hit"] == "disk");
}

TEST_CASE("hostile: a spin that ignores SIGTERM times out", "[hostile]") {
  auto r = attack("hx_spin_ignoring_sigterm", {"--time", "1"});
  CHECK(r.verdict() == "timeout");
  CHECK(r.record["wall_s"].get<double>() < 10);
}

TEST_CASE("hostile: a setsid double-fork daemon dies with the run", "[hostile]") {
  Scratch s;
  s.add_program("hx_setsid_daemon");
  auto r = s.run({"./hx_setsid_daemon"});
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // past the daemon's sleep
  CHECK_FALSE(fs::exists(s.work + "/daemon-marker"));
  CHECK(r.verdict() == "ok");
  check_contained(s, r);
}

TEST_CASE("hostile: TCP connect and listen are refused", "[hostile]") {
  for (const char* program : {"hx_tcp_connect", "hx_tcp_listen"}) {
    auto r = attack(program);
    CHECK(r.process.out == "blocked\n");
    CHECK(r.verdict() == "ok");
  }
}

TEST_CASE("hostile: /etc/shadow, /root and a sibling submission cannot be read", "[hostile]") {
  TempDir sibling;
  std::ofstream(sibling.file("secret.c")) << "int secret;\n";
  auto r = attack("hx_read_secrets", {}, {sibling.file("secret.c"), "../" + fs::path(sibling.path()).filename().string()});
  CHECK(r.process.out == "blocked\n");
}

TEST_CASE("hostile: writes to /tmp, /etc, / and ../ stay inside or fail", "[hostile]") {
  TempDir outside;
  auto r = attack("hx_write_outside", {}, {outside.file("hx-marker")});
  CHECK(r.process.out == "blocked\n");
  CHECK_FALSE(fs::exists(outside.file("hx-marker")));
}

TEST_CASE("hostile: kill(-1) and kill(getppid()) reach nothing outside", "[hostile]") {
  auto r = attack("hx_kill_everyone");
  CHECK(r.verdict() == "ok");
  CHECK(r.process.out == "still here\n");
}

TEST_CASE("hostile: ptrace, clone(CLONE_UNTRACED) and unshare(CLONE_NEWUSER) are violations", "[hostile]") {
  for (auto [program, syscall] : {std::pair{"hx_ptrace_parent", "ptrace"}, {"hx_clone_untraced", "clone"},
                                  {"hx_unshare_user", "unshare"}}) {
    auto r = attack(program);
    INFO(program);
    CHECK(r.process.out == "blocked\n");
    CHECK(r.verdict() == "violation");
    REQUIRE(r.record["violations"].size() >= 1);
    CHECK(r.record["violations"][0]["syscall"] == syscall);
  }
}

namespace {
Run compile(Scratch& s, const std::string& submission, const std::vector<std::string>& limits = {}) {
  std::vector<std::string> options = {"--profile", "compile", "--copy-in", submission};
  options.insert(options.end(), limits.begin(), limits.end());
  return s.run({"cc", "-std=gnu17", "-O2", "-c", "main.c", "-o", "main.o"}, options);
}
// A bundled hostile submission, copied into S's scratch dir: nobody may not be able to enter the checkout (a
// clone under /root, or any mode-700 folder), and the sandbox reads the submission as the CLI's user.
std::string submission(Scratch& s, const std::string& name) {
  const fs::path copy = fs::path(s.dir.path()) / name;
  fs::copy(fs::path(HOSTILE_SUBMISSIONS) / name, copy, fs::copy_options::recursive);
  fs::permissions(copy, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec | fs::perms::others_read |
                            fs::perms::others_exec);
  for (const auto& entry : fs::recursive_directory_iterator(copy))
    fs::permissions(entry.path(), fs::perms::group_read | fs::perms::others_read |
                                      (entry.is_directory() ? fs::perms::group_exec | fs::perms::others_exec : fs::perms::none),
                    fs::perm_options::add);
  return copy.string();
}
}  // namespace

TEST_CASE("hostile: a compile-time #include of a host secret shows no host content", "[hostile][compile]") {
  Scratch s;
  auto r = compile(s, submission(s, "include_secret"));
  check_contained(s, r);
  CHECK(r.verdict() == "runtime-error");  // the compiler fails: the files are not there
  CHECK_THAT(r.process.err, Catch::Contains("No such file or directory"));
  std::ifstream shadow("/etc/shadow");
  std::string first_line;
  if (std::getline(shadow, first_line) && !first_line.empty()) CHECK_THAT(r.process.err + r.process.out, !Catch::Contains(first_line));
}

TEST_CASE("hostile: a preprocessor bomb ends at a resource limit", "[hostile][compile]") {
  Scratch s;
  auto r = compile(s, submission(s, "preprocessor_bomb"), {"--time", "5", "--memory", "256"});
  check_contained(s, r);
  INFO(r.record.dump());
  bool limit = one_of(r.verdict(), {"timeout", "memory-limit", "output-limit", "file-size-limit"});
  bool out_of_memory = r.verdict() == "runtime-error" && r.process.err.find("memory exhausted") != std::string::npos;
  CHECK((limit || (unprivileged() && out_of_memory)));
}

TEST_CASE("hostile: a symlinked source is refused at copy-in, naming it", "[hostile][compile]") {
  Scratch s;
  TempDir sub;
  std::ofstream(sub.file("main.c")) << "int main(void) { return 0; }\n";
  fs::create_symlink("/etc/passwd", sub.file("util.c"));
  if (unprivileged()) chmod(sub.path().c_str(), 0755);
  auto r = compile(s, sub.path());
  CHECK(r.process.exit_code == 2);
  CHECK_THAT(r.process.err, Catch::Contains("util.c is a symbolic link"));
  CHECK_FALSE(fs::exists(s.work + "/util.c"));
}

TEST_CASE("hostile: an empty submission is refused", "[hostile][compile]") {
  Scratch s;
  TempDir sub;
  if (unprivileged()) chmod(sub.path().c_str(), 0755);
  auto r = compile(s, sub.path());
  CHECK(r.process.exit_code == 2);
  CHECK_THAT(r.process.err, Catch::Contains("empty submission"));
}

TEST_CASE("hostile: binary garbage as source fails to compile and harms nothing", "[hostile][compile]") {
  Scratch s;
  TempDir sub;
  std::string garbage;
  uint32_t x = 12345;  // fixed seed: the same garbage every run
  for (int i = 0; i < 20000; i++) garbage += char((x = x * 1103515245 + 12345) >> 16);
  std::ofstream(sub.file("main.c"), std::ios::binary) << garbage;
  if (unprivileged()) chmod(sub.path().c_str(), 0755), chmod(sub.file("main.c").c_str(), 0644);
  auto r = compile(s, sub.path());
  check_contained(s, r);
  CHECK(one_of(r.verdict(), {"runtime-error", "output-limit"}));  // gcc may complain past the output cap
  CHECK(r.process.err.size() <= 1024 * 1024 + 4096);  // the cap, plus shmgrade run's own notes
}

// From here: attacks found by outside testing (exec from memory, /proc and handle escapes, terminals, devices,
// chroot, kernel interfaces, floods of denied calls, other ABIs, unremovable work dirs, signals).

TEST_CASE("hostile: a program executed from a memfd runs only as the sandbox allows", "[hostile]") {
  auto r = attack("hx_exec_memfd");
  CHECK(r.verdict() == "ok");  // /bin/true ran: executing from memory is no way out, the filter still holds
}

TEST_CASE("hostile: /proc/1/exe, open_by_handle_at, /proc/sys and /proc/sysrq-trigger are closed", "[hostile]") {
  auto r = attack("hx_proc_escapes");
  CHECK(r.process.out == "blocked\n");
  CHECK(r.verdict() == "violation");  // open_by_handle_at is on no list
  CHECK(r.record["violations"][0]["syscall"] == "open_by_handle_at");
}

TEST_CASE("hostile: TIOCSTI reaches no terminal", "[hostile]") {
  auto r = attack("hx_tiocsti");
  CHECK(r.process.out == "blocked\n");
  CHECK(r.verdict() == "ok");
}

TEST_CASE("hostile: mknod of a block device and a chroot escape fail", "[hostile]") {
  auto r = attack("hx_devices_and_chroot");
  CHECK(r.process.out == "blocked\n");
  CHECK(r.verdict() == "violation");
  CHECK(violated_calls(r).count("chroot") == 1);
}

TEST_CASE("hostile: io_uring, userfaultfd and perf_event_open are violations", "[hostile]") {
  auto r = attack("hx_kernel_interfaces");
  CHECK(r.process.out == "blocked\n");
  CHECK(r.verdict() == "violation");
  CHECK(violated_calls(r) == std::set<std::string>{"io_uring_setup", "userfaultfd", "perf_event_open"});
}

TEST_CASE("hostile: 64,000 denied calls from 32 threads are all answered, counted and the record bounded",
          "[hostile]") {
  auto r = attack("hx_denied_flood", {"--time", "60"});
  const int threads = atoi(r.process.out.c_str());
  CHECK(threads >= 16);
  if (!unprivileged()) CHECK(threads == 32);  // as nobody, RLIMIT_NPROC counts the user's other processes too
  CHECK(r.verdict() == "violation");
  CHECK(r.process.exit_code == 0);  // denied calls fail with EPERM: the program went on and exited by itself
  CHECK(r.record["violation_count"] == 2000 * threads);
  CHECK(r.record["violations_truncated"] == true);
  CHECK(r.record["violations"].size() == 100);
  for (const auto& v : r.record["violations"]) CHECK(v["pid"].get<int>() < 100);  // the sandbox's own pids
}

// Whether this kernel serves the i386 ABI at all: one built or booted without it (IA32 emulation off) answers
// int 0x80 with SIGSEGV everywhere, sandbox or not, and there is nothing for the sandbox to refuse.
bool kernel_has_i386_abi() {
  return shmtest::run({std::string(HOSTILE_BIN_DIR) + "/hx_other_abis", "i386"}).signal == 0;
}

TEST_CASE("hostile: calls through the i386 and x32 ABIs are recorded violations naming the ABI", "[hostile]") {
  for (const char* abi : {"i386", "x32"}) {
    auto r = attack("hx_other_abis", {}, {abi});
    INFO(abi << " " << r.record.dump());
    if (std::string(abi) == "i386" && !kernel_has_i386_abi()) {
      WARN("skipped the i386 half: this kernel has no i386 ABI (int 0x80 is SIGSEGV outside the sandbox too); "
           "checked only that the call did not run");
      CHECK(r.process.out.empty());
      CHECK(r.verdict() == "signal");
      continue;
    }
    CHECK(r.process.out == "blocked\n");
    CHECK(r.verdict() == "violation");
    REQUIRE(r.record["violations"].size() == 1);
    CHECK(r.record["violations"][0]["abi"] == abi);
    CHECK(r.record["violations"][0]["syscall"] == "getpid");
  }
}

TEST_CASE("hostile: a work dir made unremovable (mode 000 on /work, a subdirectory, a file) is removed all the same",
          "[hostile]") {
  for (const char* what : {"workdir", "subdir", "file"}) {
    // A copied program runs in a work dir of its own, removed after the run.
    Scratch s;
    s.add_program("hx_lock_workdir");
    auto r = s.run({s.work + "/hx_lock_workdir", what}, {}, true);
    INFO(what << " " << r.record.dump());
    check_contained(s, r);
    CHECK(r.process.out == "locked\n");
    CHECK(r.verdict() == "ok");
    REQUIRE(r.record["workdir"].is_string());
    CHECK_FALSE(fs::exists(r.record["workdir"].get<std::string>()));
    CHECK(r.record["left_behind"] == false);
    CHECK(r.process.exit_code == 0);
  }
  // A program the sandbox shows as it is runs in the sandbox's own temporary work dir.
  Scratch s;
  auto r = s.run({"/bin/sh", "-c", "mkdir -p d/e && echo x > d/e/f && chmod 0 d/e d /work"}, {}, true);
  INFO(r.record.dump());
  CHECK(r.verdict() == "ok");
  CHECK(r.record["left_behind"] == false);
  REQUIRE(r.record["workdir"].is_string());
  CHECK_FALSE(fs::exists(r.record["workdir"].get<std::string>()));
}

TEST_CASE("hostile: a real-time signal ends the program with its number and name", "[hostile]") {
  auto r = attack("hx_realtime_signal");
  CHECK(r.verdict() == "signal");
  CHECK(r.record["signal"] == SIGRTMIN + 2);
  CHECK(r.process.exit_code == 128 + SIGRTMIN + 2);
}

TEST_CASE("hostile: kill(1) and pidfd_send_signal at the sandbox's init change nothing", "[hostile]") {
  auto r = attack("hx_signal_init");
  CHECK(r.process.out == "still here\n");
  CHECK(r.verdict() == "ok");
}

TEST_CASE("hostile: /proc shows no host path: init's command line, the cgroup, the kernel's command line", "[hostile]") {
  Scratch s;
  s.add_program("hx_host_details");
  auto r = s.run({"./hx_host_details"});
  check_contained(s, r);
  INFO(r.process.out);
  CHECK(r.verdict() == "ok");
  std::istringstream lines(r.process.out);
  std::string line;
  std::getline(lines, line);
  CHECK(line.substr(0, line.find_last_not_of(' ') + 1) == "/proc/1/cmdline: shmgrade-init");
  // Every cgroup line ends at the namespace's root, "/" (v2: "0::/", v1: "4:memory:/").
  bool in_cgroup = false;
  while (std::getline(lines, line)) {
    if (line.rfind("/proc/cmdline", 0) == 0) break;
    if (line.rfind("/proc/self/cgroup: ", 0) == 0) in_cgroup = true, line = line.substr(19);
    if (in_cgroup && !line.empty()) CHECK(line.substr(line.rfind(':')) == ":/");
  }
  CHECK(in_cgroup);
  CHECK_THAT(r.process.out, Catch::Contains("/proc/cmdline: \n"));
  CHECK_THAT(r.process.out, Catch::Contains("/proc/kcore: \n"));
  for (const std::string& host : {s.json, s.dir.path(), std::string(SHMGRADE_BIN)}) CHECK_THAT(r.process.out, !Catch::Contains(host));
  std::ifstream kernel("/proc/cmdline");
  std::string cmdline;
  std::getline(kernel, cmdline);
  if (!cmdline.empty()) CHECK_THAT(r.process.out, !Catch::Contains(cmdline));
}

// Each limit ends a run with its verdict, limit_hit and exit status 124, as README's table says.
TEST_CASE("limits: --cpu ends a spinning program as a CPU timeout, exit 124", "[hostile][limits]") {
  auto r = attack("hx_spin_ignoring_sigterm", {"--cpu", "1", "--time", "20"});
  CHECK(r.verdict() == "timeout");
  CHECK(r.record["limit_hit"] == "cpu");
  CHECK(r.process.exit_code == 124);
}

TEST_CASE("limits: --shm ends a program that maps past it as memory-limit 'shm', exit 124", "[hostile][limits]") {
  auto r = attack("hx_devshm_mapper", {"--shm", "8", "--memory", "512"});
  CHECK(r.verdict() == "memory-limit");
  CHECK(r.record["limit_hit"] == "shm");
  CHECK(r.process.exit_code == 124);
}

TEST_CASE("run: --keep keeps a copied program's work dir, --workdir goes back to its owner, an unwritable --json "
          "is an error", "[hostile]") {
  Scratch s;
  s.add_program("hx_realtime_signal");
  struct stat before{};
  REQUIRE(stat(s.work.c_str(), &before) == 0);
  s.run({"/bin/true"});
  struct stat after{};
  REQUIRE(stat(s.work.c_str(), &after) == 0);
  CHECK(after.st_uid == before.st_uid);  // as root it was lent to nobody for the run only
  CHECK(after.st_gid == before.st_gid);

  std::vector<std::string> prefix;
  if (unprivileged()) prefix = {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"};
  auto with = [&](std::vector<std::string> args) {
    args.insert(args.begin(), prefix.begin(), prefix.end());
    return shmtest::run(args);
  };
  auto kept = with({s.shmgrade, "run", "--keep", "--", s.work + "/hx_realtime_signal"});
  const std::string marker = "work dir kept: ";
  const size_t at = kept.err.find(marker);
  REQUIRE(at != std::string::npos);
  const std::string dir = kept.err.substr(at + marker.size(), kept.err.find('\n', at) - at - marker.size());
  CHECK(fs::exists(dir + "/hx_realtime_signal"));
  std::error_code ec;
  fs::remove_all(dir, ec);

  auto unwritable = with({s.shmgrade, "run", "--json", s.dir.file("no/such/dir/record.json"), "--", "/bin/true"});
  CHECK(unwritable.exit_code == 3);
  CHECK_THAT(unwritable.err, Catch::Contains("no/such/dir/record.json"));
}
