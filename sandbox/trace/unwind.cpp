// Call sites with elfutils' libdwfl: unwind the stopped thread's stack (CFI) until the first frame inside
// the student's executable (the one named, or each process's own when it has line tables: a server and a
// client a shell starts), and map that pc to file:line through the executable's DWARF (-g).
// The tracer runs in the program's own mount namespace, so the paths in /proc/PID/maps open as they are.
//
// Cached per call site: at one syscall instruction the wrapper's frame is always laid out alike, so when a
// full unwind finds the student's frame right above the wrapper, the offset of its return address from the
// stack pointer is remembered. The next stop there reads that one word and, if it is a return address a
// full unwind already resolved, reuses the answer; anything else takes the full unwind again.
//
// glibc's clone3 wrapper (posix_spawn, so system and popen) ends its unwind info before its syscall, and the
// unwind stops at its first frames. When an unwind ends without the student's frame, the stack is scanned for
// the first word that returns into the student's executable right after a call instruction: the line that
// called system.
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>

#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "tracer.hpp"

namespace shm::trace {

namespace {

const Dwfl_Callbacks kCallbacks = {
    .find_elf = dwfl_linux_proc_find_elf,
    .find_debuginfo = dwfl_standard_find_debuginfo,
    .section_address = nullptr,
    .debuginfo_path = nullptr,
};

class DwflCallSites : public CallSites {
 public:
  DwflCallSites(std::string student_exe, std::string source_root, std::set<std::string> provided,
                std::set<std::string> wrapper_calls)
      : student_exe_(std::move(student_exe)),
        source_root_(std::move(source_root)),
        provided_(std::move(provided)),
        wrapper_calls_(std::move(wrapper_calls)) {}
  ~DwflCallSites() override {
    for (auto& [tgid, dwfl] : dwfls_) dwfl_end(dwfl);
  }

  CallSite locate(pid_t tid, pid_t tgid, uint64_t pc, uint64_t sp) override {
    Cache& cache = caches_[tgid];
    if (auto slot = cache.return_slot.find(pc); slot != cache.return_slot.end()) {
      uint64_t ra = 0;
      if (read_word(tid, sp + slot->second, ra))
        if (auto hit = cache.by_return_address.find(ra); hit != cache.by_return_address.end()) return hit->second;
    }
    Dwfl* dwfl = session(tgid);
    if (!dwfl) return {};
    // Libraries mapped since the modules were last read (the loader maps libc after the first stops).
    if (!dwfl_addrmodule(dwfl, pc)) {
      dwfl_report_begin_add(dwfl);
      dwfl_linux_proc_report(dwfl, tgid);
      dwfl_report_end(dwfl, nullptr, nullptr);
    }
    Walk walk{.self = this, .dwfl = dwfl, .tgid = tgid};
    dwfl_getthread_frames(dwfl, tid, on_frame, &walk);
    if (!walk.site.in_student && walk.in_provided.in_student) walk.site = walk.in_provided;  // nothing called it
    if (walk.site.in_student && walk.depth == 2) remember(tid, pc, sp, walk.student_pc, walk.site, cache);
    if (!walk.site.in_student && walk.depth < 64) return scan_for_caller(tid, tgid, dwfl, sp, cache);
    return walk.site;
  }

  void forget(pid_t tgid) override {
    caches_.erase(tgid);
    exes_.erase(tgid);
    auto it = dwfls_.find(tgid);
    if (it == dwfls_.end()) return;
    dwfl_end(it->second);
    dwfls_.erase(it);
  }

 private:
  struct Walk {
    DwflCallSites* self;
    Dwfl* dwfl;
    pid_t tgid;
    CallSite site;
    CallSite in_provided;  // the first frame in a provided file, while the walk goes on to its caller
    int depth = 0;
    uint64_t student_pc = 0;  // the return address into the student's code, as found on the stack
  };

  struct Cache {
    std::map<uint64_t, uint64_t> return_slot;         // syscall pc -> offset of the return address from sp
    std::map<uint64_t, CallSite> by_return_address;  // return address -> its resolved call site
    std::optional<std::pair<uint64_t, uint64_t>> student_range;  // where the executable is mapped; {0, 0}: not
                                                                 //   at all (the test's shell), found once per exec
  };

  static bool read_word(pid_t tid, uint64_t addr, uint64_t& out) {
    iovec local{&out, sizeof out}, remote{reinterpret_cast<void*>(addr), sizeof out};
    return process_vm_readv(tid, &local, 1, &remote, 1, 0) == ssize_t(sizeof out);
  }

  // Find where on the stack the wrapper keeps its return address (the student's pc) and remember it.
  static void remember(pid_t tid, uint64_t pc, uint64_t sp, uint64_t ra, const CallSite& site, Cache& cache) {
    uint64_t words[64];
    iovec local{words, sizeof words}, remote{reinterpret_cast<void*>(sp), sizeof words};
    ssize_t n = process_vm_readv(tid, &local, 1, &remote, 1, 0);
    for (ssize_t i = 0; i < n / ssize_t(sizeof(uint64_t)); i++) {
      if (words[i] != ra) continue;
      cache.return_slot[pc] = uint64_t(i) * sizeof(uint64_t);
      cache.by_return_address[ra] = site;
      return;
    }
  }

  // The first return address into the student's executable on the stack above SP (see the top of the file).
  CallSite scan_for_caller(pid_t tid, pid_t tgid, Dwfl* dwfl, uint64_t sp, Cache& cache) const {
    if (!cache.student_range) cache.student_range = student_range(dwfl, tgid);
    const auto [low, high] = *cache.student_range;
    if (low == high) return {};  // another program (the test's shell): nothing of the student's
    uint64_t words[1024];  // 8 KiB: system's and posix_spawn's frames lie between
    iovec local{words, sizeof words}, remote{reinterpret_cast<void*>(sp), sizeof words};
    const ssize_t n = process_vm_readv(tid, &local, 1, &remote, 1, 0);  // short near the stack's top
    for (ssize_t i = 0; i < n / ssize_t(sizeof(uint64_t)); i++) {
      const uint64_t ra = words[i];
      if (ra <= low || ra > high) continue;
      Dwfl_Module* module = dwfl_addrmodule(dwfl, ra - 1);
      if (!module || !is_student(module, tgid) || !follows_call(tid, ra)) continue;
      Dwfl_Line* line = dwfl_module_getsrc(module, ra - 1);
      if (!line) continue;  // _start and other code without lines: not the student's call
      CallSite site;
      site.in_student = true;
      site.file = relative(dwfl_lineinfo(line, nullptr, &site.line, nullptr, nullptr, nullptr));
      return site;
    }
    return {};
  }

  std::pair<uint64_t, uint64_t> student_range(Dwfl* dwfl, pid_t tgid) const {
    struct Range {
      const DwflCallSites* self;
      pid_t tgid;
      Dwarf_Addr low = 0, high = 0;
    } found{this, tgid};
    dwfl_getmodules(
        dwfl,
        [](Dwfl_Module* m, void**, const char*, Dwarf_Addr, void* arg) -> int {
          auto* r = static_cast<Range*>(arg);
          if (!r->self->is_student(m, r->tgid)) return DWARF_CB_OK;
          dwfl_module_info(m, nullptr, &r->low, &r->high, nullptr, nullptr, nullptr, nullptr);
          return DWARF_CB_ABORT;
        },
        &found, 0);
    return {found.low, found.high};
  }

  // Whether the bytes before RA are a call: E8 rel32, FF /2 through a register, or FF 15 disp32 (rip-relative).
  static bool follows_call(pid_t tid, uint64_t ra) {
    uint8_t code[6];
    iovec local{code, sizeof code}, remote{reinterpret_cast<void*>(ra - sizeof code), sizeof code};
    if (process_vm_readv(tid, &local, 1, &remote, 1, 0) != ssize_t(sizeof code)) return false;
    return code[1] == 0xE8 || (code[4] == 0xFF && (code[5] & 0xF8) == 0xD0) || (code[0] == 0xFF && code[1] == 0x15);
  }

  // One libdwfl session per process: its modules (from /proc/PID/maps) and its attached threads.
  Dwfl* session(pid_t tgid) {
    auto it = dwfls_.find(tgid);
    if (it != dwfls_.end()) return it->second;
    Dwfl* dwfl = dwfl_begin(&kCallbacks);
    if (!dwfl) return nullptr;
    if (dwfl_linux_proc_report(dwfl, tgid) != 0 || dwfl_report_end(dwfl, nullptr, nullptr) != 0 ||
        dwfl_linux_proc_attach(dwfl, tgid, true /* the tracer keeps it stopped */) != 0) {
      dwfl_end(dwfl);
      return nullptr;
    }
    dwfls_[tgid] = dwfl;
    char exe[4096];
    const ssize_t n = readlink(("/proc/" + std::to_string(tgid) + "/exe").c_str(), exe, sizeof exe - 1);
    exes_[tgid] = n > 0 ? std::string(exe, size_t(n)) : std::string();
    return dwfl;
  }

  // The student's executable: the one named, or with none named, whichever program process TGID runs.
  bool is_student(Dwfl_Module* module, pid_t tgid) const {
    const char* name = dwfl_module_info(module, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr);
    if (!name) return false;
    if (!student_exe_.empty()) return student_exe_ == name;
    auto exe = exes_.find(tgid);
    return exe != exes_.end() && exe->second == name;
  }

  std::string relative(const char* path) const { return relative_source(path, source_root_); }

  // Whether the call at HERE gives way to its caller: it is in a helper file given to students (unpipc.c's
  // Mmap), or it is a wrapper's one call and the innermost place of the student's code.
  bool passed_over(const CallSite& here, bool innermost) const {
    return is_provided(provided_, here.file) ||
           (innermost && wrapper_calls_.count(here.file + ":" + std::to_string(here.line)));
  }

  // Where each function inlined at AT was called, innermost first: an -O2 build inlines a small wrapper into its
  // caller, where it has no frame of its own.
  std::vector<CallSite> inlined_callers(Dwfl_Module* module, Dwarf_Addr at) const {
    std::vector<CallSite> callers;
    Dwarf_Addr bias = 0;
    Dwarf_Die* unit = dwfl_module_addrdie(module, at, &bias);
    Dwarf_Die* scopes = nullptr;
    const int n = unit ? dwarf_getscopes(unit, at - bias, &scopes) : 0;
    Dwarf_Files* files = nullptr;
    if (n > 0 && dwarf_getsrcfiles(unit, &files, nullptr) == 0)
      for (int i = 0; i < n && dwarf_tag(&scopes[i]) != DW_TAG_subprogram; i++) {
        Dwarf_Attribute attr;
        Dwarf_Word file = 0, line = 0;
        if (dwarf_tag(&scopes[i]) != DW_TAG_inlined_subroutine ||
            dwarf_formudata(dwarf_attr(&scopes[i], DW_AT_call_file, &attr), &file) != 0 ||
            dwarf_formudata(dwarf_attr(&scopes[i], DW_AT_call_line, &attr), &line) != 0)
          continue;
        CallSite caller;
        caller.in_student = true;
        caller.file = relative(dwarf_filesrc(files, file, nullptr, nullptr));
        caller.line = int(line);
        callers.push_back(caller);
      }
    free(scopes);
    return callers;
  }

  static int on_frame(Dwfl_Frame* frame, void* arg) {
    auto* walk = static_cast<Walk*>(arg);
    Dwarf_Addr pc;
    bool activation = false;
    if (!dwfl_frame_pc(frame, &pc, &activation) || ++walk->depth > 64) return DWARF_CB_ABORT;
    const Dwarf_Addr at = activation ? pc : pc - 1;  // a return address points after the call
    Dwfl_Module* module = dwfl_addrmodule(walk->dwfl, at);
    if (!module || !walk->self->is_student(module, walk->tgid)) return DWARF_CB_OK;
    Dwfl_Line* line = dwfl_module_getsrc(module, at);
    // Every program mode: an executable without line tables (the test's shell) is not one of the student's. And
    // the caller of a helper is code with lines, not _start.
    if (!line && (walk->self->student_exe_.empty() || walk->in_provided.in_student)) return DWARF_CB_OK;
    CallSite here;
    here.in_student = true;
    if (line) {
      const char* file = dwfl_lineinfo(line, nullptr, &here.line, nullptr, nullptr, nullptr);
      here.file = walk->self->relative(file);
    }
    // A call that gives way to its caller: the caller is where it was inlined, else the next frame's.
    if (walk->self->passed_over(here, !walk->in_provided.in_student)) {
      if (!walk->in_provided.in_student) walk->in_provided = here;
      std::vector<CallSite> callers = walk->self->inlined_callers(module, at);
      auto caller = std::find_if(callers.begin(), callers.end(),
                                 [&](const CallSite& c) { return !walk->self->passed_over(c, false); });
      if (caller == callers.end()) return DWARF_CB_OK;
      here = *caller;
    }
    walk->site = here;
    if (walk->in_provided.in_student)
      walk->site.via = walk->in_provided.file + ":" + std::to_string(walk->in_provided.line);
    walk->student_pc = pc;
    return DWARF_CB_ABORT;
  }

  std::string student_exe_, source_root_;
  std::set<std::string> provided_;  // relative to source_root_, as sites are
  std::set<std::string> wrapper_calls_;  // "file:line", file as sites name it
  std::map<pid_t, Dwfl*> dwfls_;
  std::map<pid_t, Cache> caches_;
  std::map<pid_t, std::string> exes_;  // each process's executable, when no student_exe is named
};

}  // namespace

std::unique_ptr<CallSites> make_dwfl_call_sites(std::string student_exe, std::string source_root,
                                                std::vector<std::string> provided,
                                                std::vector<std::string> wrapper_calls) {
  return std::make_unique<DwflCallSites>(std::move(student_exe), std::move(source_root),
                                         std::set<std::string>(provided.begin(), provided.end()),
                                         std::set<std::string>(wrapper_calls.begin(), wrapper_calls.end()));
}

}  // namespace shm::trace
