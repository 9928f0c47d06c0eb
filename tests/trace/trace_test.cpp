// The tracer, through the sandbox API: decoding, process trees, threads, vfork + exec, fault injection
// reaching only the student's call, exact file:line, untraced calls never stopping, and nothing left alive.
#include <catch2/catch.hpp>

#include <algorithm>

#include <fcntl.h>
#include <signal.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "process.hpp"
#include "internal.hpp"
#include "sandbox.hpp"
#include "trace/decode.hpp"
#include "trace/syscall_table.hpp"
#include "trace/wrappers.hpp"

namespace sb = shm::sandbox;
namespace tr = shm::trace;
namespace fs = std::filesystem;

namespace {

sb::Outcome trace_fixture(const std::string& name, const std::vector<std::string>& injections = {},
                          uint64_t wall_ms = 20000) {
  shmtest::TempDir dir;
  fs::copy_file(std::string(FIXTURE_BIN_DIR) + "/" + name, dir.file(name));
  sb::Request req;
  req.workdir = dir.path();
  req.argv = {"./" + name};
  req.trace = true;
  req.limits[sb::Limit::WallTime] = wall_ms;
  for (const auto& spec : injections) {
    auto injection = tr::parse_injection(spec);
    REQUIRE(injection.ok());
    req.trace_options.injections.push_back(*injection);
  }
  auto outcome = sb::run(req);
  REQUIRE(outcome.ok());
  UNSCOPED_INFO("verdict " << sb::verdict_name(outcome->verdict) << ", exit " << outcome->exit_code << ", signal "
                           << outcome->signal << ", error '" << outcome->error << "', stderr: " << outcome->err);
  CHECK(outcome->verdict != sb::Verdict::InternalError);
  return outcome.value();
}

std::vector<tr::Event> named(const sb::Outcome& o, const std::string& syscall) {
  std::vector<tr::Event> out;
  for (const auto& e : o.events)
    if (e.syscall == syscall) out.push_back(e);
  return out;
}

std::string text_of(const tr::Value* v) { return v && std::holds_alternative<std::string>(*v) ? std::get<std::string>(*v) : ""; }

// The line of FIXTURE's source that carries the marker comment "TRACE-LINE: WHAT".
int marked_line(const std::string& fixture, const std::string& what) {
  std::ifstream in(std::string(FIXTURE_SRC_DIR) + "/" + fixture);
  std::string line;
  for (int n = 1; std::getline(in, line); n++)
    if (line.find("TRACE-LINE: " + what) != std::string::npos) return n;
  return -1;
}

}  // namespace

TEST_CASE("trace decode: flags, enumerations, paths and POSIX IPC names", "[trace]") {
  CHECK(tr::decode_flags(tr::Arg::Prot, PROT_READ | PROT_WRITE) == "PROT_READ|PROT_WRITE");
  CHECK(tr::decode_flags(tr::Arg::Prot, 0) == "PROT_NONE");
  CHECK(tr::decode_flags(tr::Arg::MapFlags, MAP_SHARED | MAP_ANONYMOUS) == "MAP_SHARED|MAP_ANONYMOUS");
  CHECK(tr::decode_flags(tr::Arg::IpcGetFlags, IPC_CREAT | IPC_EXCL | 0666) == "IPC_CREAT|IPC_EXCL|0666");
  CHECK(tr::decode_flags(tr::Arg::IpcGetFlags, 0) == "0");
  CHECK(tr::decode_flags(tr::Arg::MapFlags, MAP_PRIVATE | 0x8000000) == "MAP_PRIVATE|0x8000000");
  CHECK(tr::decode_flags(tr::Arg::MsyncFlags, MS_SYNC) == "MS_SYNC");
  CHECK(tr::decode_flags(tr::Arg::OpenFlags, O_RDWR | O_CREAT | O_EXCL) == "O_RDWR|O_CREAT|O_EXCL");
  CHECK(tr::decode_flags(tr::Arg::OpenFlags, O_CLOEXEC) == "O_RDONLY|O_CLOEXEC");
  CHECK(std::get<std::string>(tr::decode_arg(tr::Arg::IpcKey, 0, {})) == "IPC_PRIVATE");
  CHECK(std::get<std::string>(tr::decode_arg(tr::Arg::IpcCmd, 0, {})) == "IPC_RMID");
  CHECK(std::get<std::string>(tr::decode_arg(tr::Arg::Mode, 0644, {})) == "0644");
  CHECK(std::get<std::string>(tr::decode_arg(tr::Arg::Signal, 9, {})) == "SIGKILL");
  CHECK(std::get<std::string>(tr::decode_arg(tr::Arg::Addr, 0x1000, {})) == "0x1000");
  CHECK(std::get<int64_t>(tr::decode_arg(tr::Arg::Fd, uint64_t(-1), {})) == -1);
  CHECK(std::get<std::string>(tr::decode_arg(tr::Arg::Path, 0x10, [](uint64_t) { return std::string("/x"); })) == "/x");
  CHECK(tr::ipc_object_of("/dev/shm/sem.lock") == "sem:/lock");
  CHECK(tr::ipc_object_of("/dev/shm/ring") == "shm:/ring");
  CHECK(tr::ipc_object_of("/tmp/ring").empty());
  CHECK(tr::errno_from_name("ENOMEM") == ENOMEM);
  CHECK(tr::errno_name(EINVAL) == "EINVAL");
}

TEST_CASE("trace table: every row is a real call with named arguments, on the seccomp allowlist, injectable by "
          "its name, and injection specs parse", "[trace]") {
  std::set<std::string> names;
  const auto kinds = tr::injection_kind_names();
  for (auto* row = tr::syscall_table_begin(); row != tr::syscall_table_end(); ++row) {
    INFO(row->name);
    CHECK(tr::find_syscall(row->nr) == row);
    CHECK(tr::find_syscall(row->name) == row);
    CHECK(row->args[0].name != nullptr);
    CHECK(shm::sandbox::seccomp_allows(row->name));
    CHECK(std::count(kinds.begin(), kinds.end(), row->name) == 1);
    names.insert(row->name);
  }
  CHECK_FALSE(shm::sandbox::seccomp_allows("ptrace"));
  for (const char* kind : {"mmap:shared", "mmap:private", "mmap:anonymous", "shm_open", "sem_open", "shm_unlink",
                           "sem_unlink", "dup"})
    CHECK(std::count(kinds.begin(), kinds.end(), kind) == 1);
  // An event's kinds come from its row's Effect: its name, then what it does.
  auto kinds_of = [](const std::string& call, const std::string& flags, const std::string& object) {
    tr::Event e;
    e.syscall = call;
    e.args.emplace_back("flags", flags);
    e.object = object;
    return tr::injection_kinds(e);
  };
  using Kinds = std::vector<std::string>;
  CHECK(kinds_of("mmap", "MAP_SHARED_VALIDATE|MAP_FIXED", "") == Kinds{"mmap", "mmap:shared"});
  CHECK(kinds_of("mmap", "MAP_PRIVATE|MAP_ANONYMOUS", "") == Kinds{"mmap", "mmap:private", "mmap:anonymous"});
  CHECK(kinds_of("openat", "O_RDWR|O_CREAT", "sem:/lock") == Kinds{"openat", "sem_open"});
  CHECK(kinds_of("open", "O_RDONLY", "") == Kinds{"open"});
  CHECK(kinds_of("unlinkat", "", "shm:/ring") == Kinds{"unlinkat", "shm_unlink"});
  CHECK(kinds_of("dup2", "", "") == Kinds{"dup2", "dup"});
  CHECK(kinds_of("dup", "", "") == Kinds{"dup"});
  CHECK(kinds_of("futex", "", "") == Kinds{"futex"});
  for (const char* required : {"mmap", "munmap", "mremap", "mprotect", "msync", "madvise", "ftruncate", "open",
                               "openat", "creat", "close", "dup", "dup2", "dup3", "unlink", "unlinkat", "shmget",
                               "shmat", "shmdt", "shmctl", "wait4", "waitid", "kill"})
    CHECK(names.count(required) == 1);
  auto inj = tr::parse_injection("mmap:shared:2:ENOMEM");
  REQUIRE(inj.ok());
  CHECK(inj->kind == "mmap:shared");
  CHECK(inj->nth == 2);
  CHECK(inj->err == ENOMEM);
  CHECK_FALSE(tr::parse_injection("mmap:0:ENOMEM").ok());
  CHECK_FALSE(tr::parse_injection("mmap:1:EWHATEVER").ok());
  CHECK_FALSE(tr::parse_injection("teleport:1:ENOMEM").ok());
}

TEST_CASE("trace: a shared mapping of a shm object, decoded, with the fixture's exact file:line", "[trace]") {
  auto o = trace_fixture("mmap_shared_checked");
  REQUIRE(o.verdict == sb::Verdict::Ok);
  CHECK(o.out == "ok 42\n");
  auto opens = named(o, "openat");
  REQUIRE_FALSE(opens.empty());
  CHECK(opens.back().object == "shm:/fixture");
  std::vector<tr::Event> shared;
  for (const auto& e : named(o, "mmap"))
    if (text_of(e.arg("flags")) == "MAP_SHARED") shared.push_back(e);
  REQUIRE(shared.size() == 1);
  const auto& m = shared[0];
  CHECK(text_of(m.arg("prot")) == "PROT_READ|PROT_WRITE");
  CHECK(text_of(m.arg("path")) == "/dev/shm/fixture");
  CHECK(std::get<int64_t>(*m.arg("file_size")) == 4096);
  CHECK(fs::path(m.file).filename() == "mmap_shared_checked.c");
  CHECK(m.line == marked_line("mmap_shared_checked.c", "mmap"));
  CHECK(m.err == 0);
  CHECK(named(o, "ftruncate").size() == 1);
  CHECK(named(o, "munmap").back().result == 0);
}

TEST_CASE("trace inject: the student's MAP_SHARED mmap fails, the loader's mmaps do not", "[trace]") {
  auto spec = GENERATE(as<std::string>{}, "mmap:shared:1:ENOMEM", "mmap:1:ENOMEM");
  INFO(spec);
  auto o = trace_fixture("mmap_shared_checked", {spec});
  CHECK(o.verdict == sb::Verdict::RuntimeError);  // the program noticed MAP_FAILED and exited 1
  CHECK(o.out == "mmap failed: Cannot allocate memory\n");
  int injected = 0;
  for (const auto& e : named(o, "mmap")) {
    if (!e.injected) continue;
    injected++;
    CHECK(e.err == ENOMEM);
    CHECK(e.line == marked_line("mmap_shared_checked.c", "mmap"));
  }
  CHECK(injected == 1);
}

TEST_CASE("trace: a fork tree three levels deep is followed to the last process", "[trace]") {
  auto o = trace_fixture("fork_tree");
  REQUIRE(o.verdict == sb::Verdict::Ok);
  auto forks = named(o, "fork");
  REQUIRE(forks.size() == 3);
  // Each fork comes from the previous fork's child.
  CHECK(forks[1].pid == forks[0].result);
  CHECK(forks[2].pid == forks[1].result);
  std::set<int> mapping_pids;
  for (const auto& e : named(o, "mmap"))
    if (text_of(e.arg("flags")) == "MAP_PRIVATE|MAP_ANONYMOUS" && e.line) mapping_pids.insert(e.pid);
  CHECK(mapping_pids == std::set<int>{int(forks[0].result), int(forks[1].result), int(forks[2].result)});
  CHECK(named(o, "exit").size() == 4);
}

TEST_CASE("trace: threads are followed and their calls attributed to each thread", "[trace]") {
  auto o = trace_fixture("threads_mmap");
  REQUIRE(o.verdict == sb::Verdict::Ok);
  CHECK(named(o, "thread").size() == 4);
  std::set<int> tids;
  for (const auto& e : named(o, "mmap"))
    if (text_of(e.arg("flags")) == "MAP_SHARED|MAP_ANONYMOUS") tids.insert(e.pid);
  CHECK(tids.size() == 4);
  int unmapped = 0;
  for (const auto& e : named(o, "munmap")) unmapped += e.line > 0 && e.result == 0;
  CHECK(unmapped == 4);
}

TEST_CASE("trace: vfork then exec of another program", "[trace]") {
  auto o = trace_fixture("vfork_exec");
  REQUIRE(o.verdict == sb::Verdict::Ok);
  auto vforks = named(o, "vfork");
  REQUIRE(vforks.size() == 1);
  auto execs = named(o, "exec");
  REQUIRE(execs.size() == 2);
  CHECK(execs[1].pid == vforks[0].result);
  CHECK(text_of(execs[1].arg("path")) == "/usr/bin/true");
  CHECK(named(o, "wait4").size() == 1);
}

TEST_CASE("trace: a million untraced calls produce no event", "[trace]") {
  auto o = trace_fixture("getppid_loop");
  REQUIRE(o.verdict == sb::Verdict::Ok);
  CHECK(o.out == "1\n");
  CHECK(o.events.size() < 100);  // exec, the loader's maps, exit: nothing per getppid
  for (const auto& e : o.events) CHECK(e.syscall != "getppid");
}

TEST_CASE("trace: a signal arriving during stops is delivered", "[trace]") {
  auto o = trace_fixture("signal_during_stop");
  REQUIRE(o.verdict == sb::Verdict::Ok);
  CHECK(o.out == "got 1\n");
}

TEST_CASE("trace: tracees killed at the time limit leave nothing behind", "[trace]") {
  auto o = trace_fixture("spin_with_children", {}, 1000);
  CHECK(o.verdict == sb::Verdict::Timeout);
  CHECK(named(o, "fork").size() == 3);
  bool alive = false;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    std::ifstream comm(entry.path() / "comm");
    std::string name;
    alive |= comm >> name && name == "spin_with_child";  // comm keeps 15 characters
  }
  CHECK_FALSE(alive);
}

TEST_CASE("trace: a process still running when the program exits is killed with the run, and says so", "[trace]") {
  auto o = trace_fixture("orphan_still_running");
  CHECK(o.verdict == sb::Verdict::Ok);
  CHECK(o.wall_s < 30);  // the child's minute of sleep did not hold the run
  auto forks = named(o, "fork");
  REQUIRE(forks.size() == 1);
  auto killed = named(o, "killed");
  REQUIRE(killed.size() == 1);
  CHECK(killed[0].pid == int(forks[0].result));
  CHECK(killed[0].text_arg("reason") == "run ended");
  CHECK(killed[0].text_arg("signal") == "SIGKILL");
  // The program's own exit names it among the children it never waited for.
  auto exits = named(o, "exit");
  REQUIRE_FALSE(exits.empty());
  CHECK(exits.back().text_arg("unwaited_children") == std::to_string(forks[0].result));
}

TEST_CASE("trace: a SIGBUS is located: its address, its code and the line that made the access", "[trace]") {
  auto o = trace_fixture("bus_error_past_eof");
  CHECK(o.verdict == sb::Verdict::Signal);
  CHECK(o.signal == SIGBUS);
  auto killed = named(o, "killed");
  REQUIRE(killed.size() == 1);
  CHECK(killed[0].text_arg("signal") == "SIGBUS");
  CHECK(killed[0].text_arg("code") == "BUS_ADRERR");
  CHECK_THAT(killed[0].text_arg("addr"), Catch::StartsWith("0x"));
  CHECK(fs::path(killed[0].file).filename() == "bus_error_past_eof.c");
  CHECK(killed[0].line == marked_line("bus_error_past_eof.c", "fault"));
}

TEST_CASE("trace: every call in the table is stopped on and decoded", "[trace]") {
  auto o = trace_fixture("every_traced_call");
  REQUIRE(o.verdict == sb::Verdict::Ok);
  REQUIRE(o.out == "done\n");
  // The program's own calls are those with a line in the fixture.
  std::map<std::string, tr::Event> seen;
  for (const auto& e : o.events)
    if (e.line > 0 && !seen.count(e.syscall)) seen[e.syscall] = e;
  for (auto* row = tr::syscall_table_begin(); row != tr::syscall_table_end(); ++row) {
    INFO(row->name);
    CHECK(seen.count(row->name) == 1);
  }
  auto arg = [&](const std::string& call, const std::string& name) { return seen[call].arg(name); };
  CHECK(text_of(arg("open", "path")) == "file.bin");
  CHECK(text_of(arg("open", "flags")) == "O_RDWR|O_CREAT|O_TRUNC");
  CHECK(text_of(arg("open", "mode")) == "0644");
  CHECK(text_of(arg("creat", "mode")) == "0600");
  CHECK(std::get<int64_t>(*arg("ftruncate", "length")) == 8192);
  CHECK(text_of(arg("mmap", "flags")) == "MAP_SHARED");
  CHECK(text_of(arg("mmap", "path")).ends_with("/file.bin"));
  CHECK(std::get<int64_t>(*arg("mmap", "file_size")) == 8192);
  CHECK(std::get<int64_t>(*arg("mremap", "new_length")) == 4096);
  CHECK(text_of(arg("mprotect", "prot")) == "PROT_READ");
  CHECK(text_of(arg("msync", "flags")) == "MS_SYNC");
  CHECK(seen["msync"].result == 0);
  CHECK(text_of(arg("madvise", "advice")) == "MADV_WILLNEED");
  CHECK(std::get<int64_t>(*arg("dup2", "new_fd")) == 20);
  CHECK(std::get<int64_t>(*arg("pread64", "offset")) == 0);
  CHECK(std::get<int64_t>(*arg("readv", "iovcnt")) == 1);
  CHECK_FALSE(seen["read"].result_known);  // one stop only: the result is not waited for
  CHECK(text_of(arg("futex", "op")) == "FUTEX_WAKE|FUTEX_PRIVATE_FLAG");
  CHECK(text_of(arg("dup3", "flags")) == "O_RDONLY|O_CLOEXEC");
  CHECK(text_of(arg("unlinkat", "dirfd")) == "AT_FDCWD");
  CHECK(text_of(arg("shmget", "key")) == "IPC_PRIVATE");
  CHECK(text_of(arg("shmget", "flags")) == "IPC_CREAT|0600");  // permission bits in octal, as chmod writes them
  CHECK(text_of(arg("shmctl", "cmd")) == "IPC_RMID");
  CHECK(text_of(arg("kill", "signal")) == "0");
  CHECK(text_of(arg("waitid", "options")) == "WEXITED");
  CHECK(text_of(arg("openat", "path")) == "other.bin");
  CHECK(text_of(arg("openat", "flags")) == "O_RDONLY");
  CHECK(text_of(arg("link", "new_path")) == "linked.bin");
  CHECK(text_of(arg("linkat", "new_dirfd")) == "AT_FDCWD");
  CHECK(text_of(arg("renameat2", "new_path")) == "renamed3.bin");
  CHECK(seen["wait4"].result > 0);
  for (const auto& [name, e] : seen) CHECK(e.err == 0);
}

TEST_CASE("shmgrade trace: JSON lines with the required fields, text with file:line, the program's exit status",
          "[trace]") {
  shmtest::TempDir dir;
  const std::string program = std::string(FIXTURE_BIN_DIR) + "/mmap_shared_checked";
  auto json = shmtest::run({SHMGRADE_BIN, "trace", "--events-json", "--all", "--events", dir.file("events.jsonl"),
                            "--json", dir.file("verdict.json"), "--", program});
  INFO(json.describe());
  CHECK(json.exit_code == 0);
  CHECK(json.out == "ok 42\n");
  std::ifstream in(dir.file("events.jsonl"));
  int lines = 0, mmaps_with_line = 0;
  for (std::string line; std::getline(in, line); lines++) {
    auto j = nlohmann::json::parse(line);
    for (const char* field : {"pid", "seq", "syscall", "args", "result", "file", "line"}) CHECK(j.contains(field));
    mmaps_with_line += j["syscall"] == "mmap" && j["line"].is_number();
  }
  CHECK(lines > 10);
  CHECK(mmaps_with_line == 1);
  std::ifstream verdict(dir.file("verdict.json"));
  CHECK(nlohmann::json::parse(verdict, nullptr, false)["verdict"] == "ok");

  // What the program left in /dev/shm is said in the text too, not only in the verdict record.
  auto leaky = shmtest::run({SHMGRADE_BIN, "trace", "--", "/bin/sh", "-c", "echo x > /dev/shm/left-by-trace-test"});
  INFO(leaky.describe());
  CHECK_THAT(leaky.err, Catch::Contains("shmgrade trace: left behind: posix-shm ") && Catch::Contains("left-by-trace-test") &&
                            Catch::Contains("never removed by the program (the sandbox removed it)"));
  CHECK_FALSE(fs::exists("/dev/shm/left-by-trace-test"));

  // Events that cannot be written are an error said as such, not lost.
  auto unwritable = shmtest::run({SHMGRADE_BIN, "trace", "--events", dir.file("no/such/dir/events.txt"), "--", program});
  INFO(unwritable.describe());
  CHECK(unwritable.exit_code == 3);
  CHECK_THAT(unwritable.err, Catch::Contains("cannot write the events to " + dir.file("no/such/dir/events.txt")));

  // By default the loader's and libc's start-up calls are left out and counted: the first event shown is the
  // program's own (after the exec that started it).
  auto quiet = shmtest::run({SHMGRADE_BIN, "trace", "--", program});
  INFO(quiet.describe());
  CHECK(quiet.exit_code == 0);
  CHECK_THAT(quiet.err, Catch::Contains("events of the loader and libc's start-up hidden (--all shows them)"));
  const size_t second = quiet.err.find('\n') + 1;
  CHECK_THAT(quiet.err.substr(0, second), Catch::StartsWith("[pid 2] exec("));
  CHECK_THAT(quiet.err.substr(second, quiet.err.find('\n', second) - second),
             Catch::StartsWith("[pid 2] openat(") && Catch::Contains("mmap_shared_checked.c:9>"));
  CHECK(std::count(quiet.err.begin(), quiet.err.end(), '\n') < lines);

  auto text = shmtest::run({SHMGRADE_BIN, "trace", "--inject", "mmap:shared:1:ENOMEM", "--", program});
  CHECK(text.exit_code == 1);  // the program's own status: it saw MAP_FAILED and exited 1
  CHECK_THAT(text.err, Catch::Contains("= -1 ENOMEM (injected) <") && Catch::Contains("mmap_shared_checked.c:"));

  auto bad = shmtest::run({SHMGRADE_BIN, "trace", "--inject", "mmap:first:ENOMEM", "--", program});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("--inject mmap:first:ENOMEM"));
  auto unknown = shmtest::run({SHMGRADE_BIN, "trace", "--inject", "mmap:shard:1:ENOMEM", "--", program});
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.err, Catch::Contains("unknown kind 'mmap:shard'; the kinds: ") && Catch::Contains("openat") &&
                              Catch::Contains("futex") && Catch::Contains("mmap:shared"));

  // Every traced call by the name its events print, not only the aliases.
  for (const char* kind : {"openat", "ftruncate", "close", "munmap"}) {
    auto named = shmtest::run({SHMGRADE_BIN, "trace", "--inject", std::string(kind) + ":1:EIO", "--", program});
    INFO(kind << ": " << named.describe());
    CHECK(named.exit_code != 2);
    CHECK_THAT(named.err, Catch::Contains(std::string(kind) + "(") && Catch::Contains("= -1 EIO (injected)"));
  }
  // --output is the output limit in KiB here as in run, --json the verdict record.
  auto capped = shmtest::run({SHMGRADE_BIN, "trace", "--output", "1", "--", program});
  CHECK(capped.exit_code == 0);
}

TEST_CASE("trace: a process's exit reports unwaited children, open descriptors and live shared mappings",
          "[trace]") {
  auto o = trace_fixture("exit_with_loose_ends");
  REQUIRE(o.verdict == sb::Verdict::Ok);
  auto forks = named(o, "fork");
  REQUIRE(forks.size() == 2);
  CHECK(fs::path(forks[1].file).filename() == "exit_with_loose_ends.c");  // a fork names its line too
  CHECK(forks[1].line == marked_line("exit_with_loose_ends.c", "fork"));
  auto waitids = named(o, "waitid");
  REQUIRE(waitids.size() == 1);
  CHECK(std::get<int64_t>(*waitids[0].arg("reaped")) == forks[0].result);
  const tr::Event* parent_exit = nullptr;
  for (const auto& e : o.events)
    if (e.syscall == "exit" && e.pid == forks[0].pid) parent_exit = &e;
  REQUIRE(parent_exit != nullptr);
  CHECK(text_of(parent_exit->arg("unwaited_children")) == std::to_string(forks[1].result));
  CHECK(std::get<int64_t>(*parent_exit->arg("open_fds")) == 4);  // 0, 1, 2 and notes.txt (the dup was closed)
  CHECK(std::get<int64_t>(*parent_exit->arg("shared_mappings")) == 1);
  // A child inherits its parent's mappings, never its parent's children: the second child, forked while the
  // first was still unwaited, must not report it.
  int children_seen = 0;
  for (const auto& e : o.events)
    if ((e.syscall == "exit" || e.syscall == "killed") && e.pid != forks[0].pid && e.arg("unwaited_children")) {
      children_seen++;
      CHECK(text_of(e.arg("unwaited_children")).empty());
    }
  CHECK(children_seen == 2);
}

TEST_CASE("trace: a named semaphore carries its own name from sem_open on, and its leak is located there", "[trace]") {
  auto o = trace_fixture("named_semaphore");
  REQUIRE(o.verdict == sb::Verdict::Ok);
  std::set<std::string> objects;
  for (const auto& e : o.events)
    if (!e.object.empty()) objects.insert(e.object);
  CHECK(objects == std::set<std::string>{"sem:/kept", "sem:/gone"});  // never glibc's temporary sem.XXXXXX
  const tr::Event* created = nullptr;
  for (const auto& e : o.events)
    if (e.object == "sem:/kept" && e.has_flag("flags", "O_CREAT")) created = created ? created : &e;
  REQUIRE(created);
  CHECK(created->line == marked_line("named_semaphore.c", "kept"));
  // glibc's unlink of the temporary name removes a name, not the semaphore: only sem_unlink("/gone") is one
  std::vector<std::string> removed;
  for (const auto& e : named(o, "unlink")) removed.push_back(e.object);
  CHECK(std::count(removed.begin(), removed.end(), "sem:/gone") == 1);
  CHECK(std::count(removed.begin(), removed.end(), "sem:/kept") == 0);
  for (const auto& e : named(o, "unlink"))
    if (e.object == "sem:/gone") CHECK(e.line == marked_line("named_semaphore.c", "removed"));
  CHECK(named(o, "link").size() == 2);
  REQUIRE(o.leftovers.size() == 1);
  CHECK(o.leftovers[0].name == "/kept");
}

TEST_CASE("trace inject: sem_unlink:1 fails the student's sem_unlink, not sem_open's unlink of its temporary name",
          "[trace]") {
  auto o = trace_fixture("named_semaphore", {"sem_unlink:1:EACCES"});
  CHECK(o.exit_code == 1);
  std::vector<tr::Event> injected;
  for (const auto& e : o.events)
    if (e.injected) injected.push_back(e);
  REQUIRE(injected.size() == 1);
  CHECK(injected[0].object == "sem:/gone");
  CHECK(injected[0].line == marked_line("named_semaphore.c", "removed"));
}

TEST_CASE("trace: the vfork inside system() is located at the line that called system", "[trace]") {
  auto o = trace_fixture("system_call");
  REQUIRE(o.verdict == sb::Verdict::Ok);
  CHECK(o.out == "3\n");
  auto forks = named(o, "vfork");
  for (const auto& e : named(o, "clone")) forks.push_back(e);
  REQUIRE(forks.size() == 1);
  CHECK(fs::path(forks[0].file).filename() == "system_call.c");
  CHECK(forks[0].line == marked_line("system_call.c", "system"));
}

TEST_CASE("trace: every program a shell starts is located in its own source, the shell in none", "[trace]") {
  // No student_exe named (shmgrade trace sh -c '...'): each process's own executable, when it has line tables.
  shmtest::TempDir dir;
  for (const char* name : {"mmap_shared_checked", "named_semaphore"})
    fs::copy_file(std::string(FIXTURE_BIN_DIR) + "/" + name, dir.file(name));
  sb::Request req;
  req.workdir = dir.path();
  req.argv = {"/bin/sh", "-c", "./mmap_shared_checked & ./named_semaphore; wait"};
  req.trace = true;
  auto o = sb::run(req);
  REQUIRE(o.ok());
  INFO("stderr: " << o->err);
  REQUIRE(o->verdict == sb::Verdict::Ok);
  // sem_open maps its semaphore MAP_SHARED too: the mapping looked at is mmap_shared_checked's, by its pid.
  int checked_pid = -1;
  for (const auto& e : o->events)
    if (e.syscall == "exec" && fs::path(text_of(e.arg("path"))).filename() == "mmap_shared_checked") checked_pid = e.pid;
  const tr::Event *mapped = nullptr, *created = nullptr;
  for (const auto& e : o->events) {
    if (e.syscall == "mmap" && e.pid == checked_pid && text_of(e.arg("flags")) == "MAP_SHARED") mapped = &e;
    if (e.object == "sem:/kept" && e.has_flag("flags", "O_CREAT") && !created) created = &e;
  }
  REQUIRE(mapped);
  CHECK(fs::path(mapped->file).filename() == "mmap_shared_checked.c");
  CHECK(mapped->line == marked_line("mmap_shared_checked.c", "mmap"));
  REQUIRE(created);
  CHECK(fs::path(created->file).filename() == "named_semaphore.c");
  CHECK(created->line == marked_line("named_semaphore.c", "kept"));
  size_t shell_waits = 0;  // the shell's own calls (its waits) have no line of anyone's
  for (const auto& e : o->events)
    if (e.syscall == "wait4" && e.pid == o->events.front().pid) {
      shell_waits++;
      CHECK(e.file.empty());
    }
  CHECK(shell_waits > 0);
}

TEST_CASE("trace: a call made in a provided helper file is placed at its caller, via the helper", "[trace]") {
  for (const bool provided : {true, false}) {
    INFO("provided " << provided);
    shmtest::TempDir dir;
    fs::copy_file(std::string(FIXTURE_BIN_DIR) + "/wrapper_call", dir.file("wrapper_call"));
    sb::Request req;
    req.workdir = dir.path();
    req.argv = {"./wrapper_call"};
    req.trace = true;
    if (provided) req.trace_options.provided = {"wrappers.inc"};  // by file name, as a helper in the submission
    auto o = sb::run(req);
    REQUIRE(o.ok());
    REQUIRE(o->verdict == sb::Verdict::Ok);
    CHECK(o->out == "7\n");
    const tr::Event* mapped = nullptr;
    for (const auto& e : o->events)
      if (e.syscall == "mmap" && text_of(e.arg("flags")) == "MAP_SHARED|MAP_ANONYMOUS") mapped = &e;
    REQUIRE(mapped);
    const std::string wrapper = ":" + std::to_string(marked_line("wrappers.inc", "wrapper"));
    if (provided) {
      CHECK(fs::path(mapped->file).filename() == "wrapper_call.c");
      CHECK(mapped->line == marked_line("wrapper_call.c", "caller"));
      CHECK_THAT(mapped->via, Catch::EndsWith("wrappers.inc" + wrapper));
      CHECK_THAT(tr::to_text(*mapped), Catch::EndsWith(" via " + mapped->via + ">"));
    } else {
      CHECK(fs::path(mapped->file).filename() == "wrappers.inc");
      CHECK(mapped->line == marked_line("wrappers.inc", "wrapper"));
      CHECK(mapped->via.empty());
    }
  }
}

TEST_CASE("trace: wrappers by shape are one call and its error check, nothing else", "[trace]") {
  auto found = [](const std::string& source) {
    std::vector<std::string> out;
    for (const auto& w : tr::find_wrappers(source))
      out.push_back(w.function + ":" + std::to_string(w.first_line) + "-" + std::to_string(w.last_line));
    return out;
  };
  using V = std::vector<std::string>;
  // The book's style: K&R layout, the call inside the if, return(ptr).
  CHECK(found("void *\nMmap(void *addr, size_t len, int prot, int flags, int fd, off_t offset)\n{\n\tvoid\t*ptr;\n\n"
              "\tif ( (ptr = mmap(addr, len, prot, flags, fd, offset)) == ((void *) -1))\n\t\terr_sys(\"mmap error\");\n"
              "\treturn(ptr);\n}\n") == V{"Mmap:6-6"});
  // Assigned then tested, a block that reports and exits; the call over two lines; a comment with braces.
  CHECK(found("static int *map_counter(int fd) {\n  /* { not code } */\n  int *p = mmap(NULL, 4,\n    PROT_READ, MAP_SHARED, fd, 0);\n"
              "  if (p == MAP_FAILED) { perror(\"mmap {\"); exit(1); }\n  return p;\n}\n") == V{"map_counter:3-4"});
  // A returned call with no check, and an if/else whose branches only report and return.
  CHECK(found("int Open(const char *n) { return shm_open(n, O_RDWR, 0); }\n"
              "int Close(int fd) {\n#define CLOSE_FAILED \\\n  -1\n\n  if (close(fd) == -1) {\n    errExit(\"close\");\n"
              "    return -1;\n  } else\n    return 0;\n}\n") == V{"Open:1-1", "Close:6-6"});
  // Not wrappers: two calls; a loop; work besides the call; unconditional output; main; a struct's braces.
  CHECK(found("void bump(long *p, sem_t *s) { sem_wait(s); (*p)++; sem_post(s); }\n"
              "void spin(int *p) { while (!__atomic_load_n(p, 0)) ; }\n"
              "int *setup(int fd) { int *p = mmap(0, 4, 3, 1, fd, 0); if (p == MAP_FAILED) exit(1); *p = 0; return p; }\n"
              "int *noisy(int fd) { puts(\"mapping\"); return mmap(0, 4, 3, 1, fd, 0); }\n"
              "int main(void) { if (close(0) == -1) perror(\"close\"); return 0; }\n"
              "struct s { int a; };\nint table[] = { 1, 2 };\n")
            .empty());
  // Whatever it is given, it ends (an unclosed body, a stray bracket).
  CHECK(found("int f(void) { if (x(") .empty());
  CHECK(found("int g(void) ) { } } (").empty());
  // What a hostile file could hold: a megabyte of brackets is read in linear time, and blocks or ifs nested
  // 200,000 deep in a body with one call do not take the reader's stack.
  std::string brackets;
  for (int i = 0; i < 200000; i++) brackets += "()){}";
  CHECK(found(brackets).empty());
  std::string ifs = "int f(void) { g(); ";
  for (int i = 0; i < 200000; i++) ifs += "if (x) ";
  CHECK(found(ifs + "; }").empty());
  CHECK(found("int h(void) { g(); " + std::string(200000, '{') + std::string(200000, '}') + " }").empty());
}

TEST_CASE("shmgrade trace: a call made through a wrapper of the student's is placed at its caller, via the wrapper",
          "[trace]") {
  const std::string program = std::string(FIXTURE_BIN_DIR) + "/wrapper_call";
  // Run from the sources' directory, as a student does: the program's DWARF names them there.
  auto r = shmtest::run({"/bin/sh", "-c", "cd \"$0\" && exec \"$1\" trace -- \"$2\"", FIXTURE_SRC_DIR, SHMGRADE_BIN, program});
  INFO(r.describe());
  CHECK(r.exit_code == 0);
  const std::string caller = "wrapper_call.c:" + std::to_string(marked_line("wrapper_call.c", "caller"));
  const std::string wrapper = "wrappers.inc:" + std::to_string(marked_line("wrappers.inc", "wrapper"));
  CHECK_THAT(r.err, Catch::Contains("<" + caller + " via " + wrapper + ">"));
  // Started by a shell, which has no sources: the executables in the work dir are read for them.
  shmtest::TempDir dir;
  for (const char* source : {"wrapper_call.c", "wrappers.inc"})
    fs::copy_file(std::string(FIXTURE_SRC_DIR) + "/" + source, dir.file(source));
  auto built = shmtest::run({"/usr/bin/cc", "-g", "-O0", "-o", dir.file("wrapper_call"), dir.file("wrapper_call.c")});
  REQUIRE(built.exit_code == 0);
  auto shell = shmtest::run({SHMGRADE_BIN, "trace", "--workdir", dir.path(), "--", "/bin/sh", "-c", "./wrapper_call"});
  INFO(shell.describe());
  CHECK(shell.exit_code == 0);
  CHECK_THAT(shell.err, Catch::Contains("<" + caller + " via " + wrapper + ">"));
}
