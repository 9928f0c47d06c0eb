// mode-mismatch: the technique a test requires (assignment.toml's techniques), checked from the student's own
// system calls.
#include "analyze.hpp"
#include "spec/techniques.hpp"

namespace shm::findings {

namespace {

struct Seen {  // what the student's calls did, as the techniques need it
  bool shared_file = false, shared_anonymous = false, dev_zero_opened = false, dev_zero_mapped = false;
  bool shm_opened = false, shm_mapped = false, shmget = false, shmat = false, threads = false, forks = false;
  const trace::Event* dev_zero_open = nullptr;
  const trace::Event* first_fork = nullptr;
  const trace::Event* file_read = nullptr;  // a read-family call on a regular file
  std::string read_path;
};

Seen observe(const RunView& view) {
  Seen s;
  const auto& events = view.run.outcome.events;
  for (size_t i = 0; i < events.size(); i++) {
    const auto& e = events[i];
    if (e.syscall == "thread") s.threads = true;
    if (!by_student(e) || e.err) continue;
    if (e.syscall == "mmap" && maps_shared(e)) {
      const std::string path = e.text_arg("path");
      if (e.has_flag("flags", "MAP_ANONYMOUS")) s.shared_anonymous = true;
      else if (path == "/dev/zero") s.dev_zero_mapped = true;
      else if (path.rfind("/dev/shm/", 0) == 0) s.shm_mapped = true;
      else if (!path.empty() && path.rfind("/dev/", 0) != 0) s.shared_file = true;
    } else if ((e.syscall == "openat" || e.syscall == "open") && e.text_arg("path") == "/dev/zero") {
      s.dev_zero_opened = true;
      if (!s.dev_zero_open) s.dev_zero_open = &e;
    } else if ((e.syscall == "openat" || e.syscall == "open") && e.object.rfind("shm:", 0) == 0) {
      s.shm_opened = true;
    } else if (e.syscall == "shmget") {
      s.shmget = true;
    } else if (e.syscall == "shmat") {
      s.shmat = true;
    } else if (e.syscall == "fork" || e.syscall == "vfork") {
      s.forks = true;
      if (!s.first_fork) s.first_fork = &e;
    } else if (const auto* row = trace::find_syscall(e.syscall); row && row->family == trace::Family::Read && !s.file_read) {
      const auto& fd = view.before[i].fd;
      if (fd && fd->path.rfind("/dev/", 0) != 0 && fd->path.rfind("/proc/", 0) != 0) {
        s.file_read = &e;
        s.read_path = fd->path;
      }
    }
  }
  return s;
}

struct Mismatch {
  std::string observed, observed_zh;
  const trace::Event* at = nullptr;
};

// Whether SEEN satisfies TECHNIQUE; if not, what the program did instead.
std::optional<Mismatch> check(const std::string& technique, const Seen& s) {
  if (technique == "map-shared-file" && !s.shared_file)
    return Mismatch{"made no MAP_SHARED mapping of a file", "没有对任何文件做 MAP_SHARED 映射"};
  if (technique == "map-anonymous-shared" && !s.shared_anonymous)
    return s.dev_zero_opened ? Mismatch{"opened /dev/zero (the SVR4 way) instead", "打开了 /dev/zero（SVR4 方式）", s.dev_zero_open}
                             : Mismatch{"made no shared anonymous mapping", "没有建立共享的匿名映射"};
  if (technique == "map-dev-zero" && !s.dev_zero_mapped)
    return Mismatch{s.shared_anonymous ? "used MAP_ANONYMOUS (the BSD way) instead" : "never mapped /dev/zero",
                    s.shared_anonymous ? "使用了 MAP_ANONYMOUS（BSD 方式）" : "从未映射 /dev/zero"};
  if (technique == "posix-shm" && !(s.shm_opened && s.shm_mapped))
    return Mismatch{s.shm_opened ? "never mapped the object it opened" : "never called shm_open",
                    s.shm_opened ? "从未映射它打开的对象" : "从未调用 shm_open"};
  if (technique == "sysv-shm" && !(s.shmget && s.shmat))
    return Mismatch{s.shmget ? "never attached the segment with shmat" : "never called shmget",
                    s.shmget ? "从未用 shmat 附加该段" : "从未调用 shmget"};
  if (technique == "threads" && (!s.threads || s.forks))
    return Mismatch{s.forks ? "forked processes instead" : "started no thread", s.forks ? "fork 了进程" : "没有启动任何线程",
                    s.first_fork};
  if (technique == "no-read-of-input" && s.file_read)
    return Mismatch{"read " + s.read_path + " with " + s.file_read->syscall,
                    "用 " + s.file_read->syscall + " 读取了 " + s.read_path, s.file_read};
  return std::nullopt;
}

}  // namespace

void technique_findings(const RunView& view, Findings& out) {
  // Only a run that did the job shows how it was done: not a usage-error test, not a crash.
  if (view.techniques.empty() || view.run.outcome.events.empty() || view.test.exit_status != 0 ||
      !sandbox::ended_by_itself(view.run.outcome.verdict))
    return;
  const Seen seen = observe(view);
  for (const auto& technique : view.techniques) {
    auto m = check(technique, seen);
    const spec::Technique* wanted = spec::find_technique(technique);
    if (!m || !wanted) continue;
    auto f = make_finding("mode-mismatch", view, m->at ? m->at->file : "", m->at ? m->at->line : 0);
    f.detail = {{"technique", wanted->wanted}, {"technique_zh", wanted->wanted_zh},
                {"observed", m->observed}, {"observed_zh", m->observed_zh}};
    out.push_back(f);
  }
}

}  // namespace shm::findings
