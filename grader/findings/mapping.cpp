// Findings about how mappings are made and unmade: missing-ftruncate, beyond-eof, unaligned-offset,
// munmap-misuse, private-mapping, missing-msync. Only the student's own calls count.
#include <signal.h>

#include <algorithm>
#include <map>
#include <set>

#include "analyze.hpp"
#include "spec/techniques.hpp"

namespace shm::findings {

namespace {

constexpr uint64_t kPage = trace::kPageSize;
using trace::page_round;

bool is_device(const std::string& path) { return path.rfind("/dev/", 0) == 0 && path.rfind("/dev/shm/", 0) != 0; }

// The techniques under which a writable private mapping defeats the test.
bool sharing_required(const RunView& view) {
  for (const auto& t : view.techniques)
    if (const spec::Technique* technique = spec::find_technique(t); technique && technique->shares_memory) return true;
  return false;
}

// The name a file goes by in the fd table (as the program opened it), or the mmap's resolved path.
std::string file_key(const trace::Event& e, const Before& before) {
  return before.fd ? before.fd->path : e.text_arg("path");
}

struct SharedFileMap {  // a student's writable MAP_SHARED mapping of a file, for missing-msync
  const trace::Event* mmap;
  uint64_t start, length;
  bool synced = false;
};

}  // namespace

void mapping_findings(const RunView& view, Findings& out) {
  const auto& events = view.run.outcome.events;
  if (events.empty()) return;
  // Every size a file is given during the run, by anyone: a later ftruncate still sizes an earlier mapping.
  std::map<std::string, int64_t> sized;
  std::set<std::string> created;
  for (size_t i = 0; i < events.size(); i++) {
    const auto& e = events[i];
    if (e.err) continue;
    if (e.syscall == "ftruncate") {
      auto& size = sized[file_key(e, view.before[i])];
      size = std::max(size, e.int_arg("length"));
    } else if ((e.syscall == "openat" || e.syscall == "open") && e.has_flag("flags", "O_CREAT")) {
      created.insert(e.text_arg("path"));
    }
  }
  const bool failed = view.run.status != engine::TestStatus::Passed;
  const bool sigbus = view.run.outcome.verdict == sandbox::Verdict::Signal && view.run.outcome.signal == SIGBUS;
  const bool forks = std::any_of(events.begin(), events.end(), [](const auto& e) { return e.syscall == "fork" || e.syscall == "vfork"; });
  std::vector<SharedFileMap> shared_files;

  for (size_t i = 0; i < events.size(); i++) {
    const auto& e = events[i];
    if (!by_student(e)) continue;
    const std::string& call = e.syscall;
    if (call == "mmap") {
      const bool anonymous = e.has_flag("flags", "MAP_ANONYMOUS");
      const bool shared = maps_shared(e);
      const bool writable = e.has_flag("prot", "PROT_WRITE");
      const std::string path = e.text_arg("path");
      const int64_t offset = e.int_arg("offset", 0), length = e.int_arg("length", 0);
      if (!anonymous && offset % int64_t(kPage) != 0) {
        auto f = make_finding("unaligned-offset", view, e.file, e.line);
        f.detail = {{"path", path.empty() ? "fd " + std::to_string(e.int_arg("fd")) : path},
                    {"offset", std::to_string(offset)}, {"page", std::to_string(kPage)}};
        out.push_back(f);
      }
      if (e.err) continue;
      if (!shared && writable && sharing_required(view) && (anonymous ? forks : path == "/dev/zero" || !is_device(path))) {
        auto f = make_finding("private-mapping", view, e.file, e.line);
        f.detail["what"] = anonymous ? "an anonymous mapping shared with forked children" : path;
        f.detail["what_zh"] = anonymous ? "与 fork 出的子进程共享的匿名映射" : path;
        out.push_back(f);
      }
      if (anonymous || !shared || path.empty() || is_device(path)) continue;
      if (writable && path.rfind("/dev/shm/", 0) != 0)  // a shm object has no disk to write back to
        shared_files.push_back({&e, uint64_t(e.result), uint64_t(length)});
      const std::string key = file_key(e, view.before[i]);
      const auto truncated = sized.find(key);
      const int64_t size = std::max(e.int_arg("file_size", 0), truncated == sized.end() ? 0 : truncated->second);
      const int64_t end = offset + length;
      if (int64_t(page_round(uint64_t(size))) >= end) continue;  // every page has file behind it
      const bool never_sized = e.int_arg("file_size", 0) == 0 && truncated == sized.end() &&
                               (created.count(key) || path.rfind("/dev/shm/", 0) == 0);
      if (never_sized) {
        auto f = make_finding("missing-ftruncate", view, e.file, e.line);
        f.detail = {{"path", path}, {"size", std::to_string(size)}, {"length", std::to_string(length)}};
        out.push_back(f);
      } else if (end - size > int64_t(kPage) && (sigbus || failed)) {
        auto f = make_finding("beyond-eof", view, e.file, e.line);
        f.detail = {{"path", path}, {"size", std::to_string(size)}, {"offset", std::to_string(offset)},
                    {"end", std::to_string(end)},
                    {"outcome", sigbus ? "SIGBUS" : view.run.why}};
        out.push_back(f);
      }
    } else if (call == "munmap" || call == "msync") {
      const uint64_t addr = e.addr_arg("addr");
      const uint64_t length = uint64_t(e.int_arg("length", 0));
      for (auto& m : shared_files)
        if (call == "msync" && !e.err && addr < m.start + m.length && m.start < addr + length) m.synced = true;
      // Legal, and not flagged: releasing part of a mapping, a range across adjacent mappings, a length that is
      // not a page multiple (the kernel rounds it up). Wrong: what the kernel refuses or what releases nothing.
      std::string problem, problem_zh;
      if (addr % kPage) {
        problem = "the address is not page-aligned (munmap and msync take a page boundary, such as mmap returned)";
        problem_zh = "该地址没有按页对齐（munmap 与 msync 需要页边界，例如 mmap 返回的地址）";
      } else if (call == "munmap" && length == 0) {
        problem = "a length of 0 releases nothing (the call fails with EINVAL)";
        problem_zh = "长度为 0 什么也不释放（调用以 EINVAL 失败）";
      } else if (call == "munmap" && !view.before[i].range_mapped) {
        problem = "nothing is mapped in this range";
        problem_zh = "该范围内没有任何映射";
      } else if (e.err == EINVAL) {
        problem = "the call failed with EINVAL";
        problem_zh = "调用以 EINVAL 失败";
      }
      if (problem.empty()) continue;
      auto f = make_finding("munmap-misuse", view, e.file, e.line);
      f.detail = {{"call", call}, {"addr", e.text_arg("addr")}, {"length", std::to_string(length)},
                  {"problem", problem}, {"problem_zh", problem_zh}};
      out.push_back(f);
    }
  }
  // Only a run that ended by itself had the chance to msync.
  const bool finished = sandbox::ended_by_itself(view.run.outcome.verdict);
  for (const auto& m : shared_files) {
    if (m.synced || !finished) continue;
    auto f = make_finding("missing-msync", view, m.mmap->file, m.mmap->line);
    f.detail["path"] = m.mmap->text_arg("path");
    out.push_back(f);
  }
}

}  // namespace shm::findings
