// What a binary's DWARF says, read from its file rather than a live process: the call sites of return
// addresses recorded elsewhere (xrace's reports), the sources it was built from, and the code of the functions
// given files define. And how a site names a file.
#include <elfutils/libdw.h>
#include <dwarf.h>
#include <elfutils/libdwfl.h>
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <functional>

#include "tracer.hpp"

namespace shm::trace {

std::string relative_source(const char* path, const std::string& source_root) {
  // "/work/./counter.c" (the build compiles "./counter.c") reads as "counter.c".
  std::string p = std::filesystem::path(path ? path : "").lexically_normal().string();
  const std::string prefix = source_root + "/";
  p = p.rfind(prefix, 0) == 0 ? p.substr(prefix.size()) : p;
  return p.rfind("./", 0) == 0 ? p.substr(2) : p;
}

bool is_provided(const std::set<std::string>& provided, const std::string& file) {
  return !file.empty() && (provided.count(file) || provided.count(std::filesystem::path(file).filename().string()));
}

namespace {

// Each compilation unit of BINARY's DWARF, with the Dwarf it belongs to.
void for_each_unit(const std::string& binary, const std::function<void(Dwarf_Die&)>& visit) {
  const int fd = open(binary.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  if (Dwarf* dw = dwarf_begin(fd, DWARF_C_READ)) {
    Dwarf_Off offset = 0, next = 0;
    size_t header = 0;
    while (dwarf_nextcu(dw, offset, &next, &header, nullptr, nullptr, nullptr) == 0) {
      Dwarf_Die unit;
      if (dwarf_offdie(dw, offset + header, &unit)) visit(unit);
      offset = next;
    }
    dwarf_end(dw);
  }
  close(fd);
}

}  // namespace

std::vector<std::string> sources_offline(const std::string& binary, const std::string& source_root) {
  std::set<std::string> sources;
  for_each_unit(binary, [&](Dwarf_Die& unit) {
    Dwarf_Files* files = nullptr;
    size_t count = 0;
    if (dwarf_getsrcfiles(&unit, &files, &count) != 0) return;
    for (size_t i = 0; i < count; i++) {
      const std::string rel = relative_source(dwarf_filesrc(files, i, nullptr, nullptr), source_root);
      if (!rel.empty() && rel[0] != '/' && rel.rfind("../", 0) != 0) sources.insert(rel);
    }
  });
  return {sources.begin(), sources.end()};
}

std::vector<std::pair<uint64_t, uint64_t>> code_ranges_offline(const std::string& binary,
                                                               const std::vector<std::string>& files,
                                                               const std::string& source_root) {
  const std::set<std::string> wanted(files.begin(), files.end());
  std::vector<std::pair<uint64_t, uint64_t>> ranges;
  for_each_unit(binary, [&](Dwarf_Die& unit) {
    Dwarf_Die die;
    if (dwarf_child(&unit, &die) != 0) return;
    do {
      Dwarf_Addr low = 0, high = 0;
      if (dwarf_tag(&die) == DW_TAG_subprogram && dwarf_lowpc(&die, &low) == 0 && dwarf_highpc(&die, &high) == 0 &&
          is_provided(wanted, relative_source(dwarf_decl_file(&die), source_root)))
        ranges.push_back({low, high});
    } while (dwarf_siblingof(&die, &die) == 0);
  });
  return ranges;
}

std::vector<CallSite> call_sites_offline(const std::string& binary, const std::vector<uint64_t>& return_offsets,
                                         const std::string& source_root) {
  static const Dwfl_Callbacks offline = {
      .find_elf = dwfl_build_id_find_elf,
      .find_debuginfo = dwfl_standard_find_debuginfo,
      .section_address = dwfl_offline_section_address,
      .debuginfo_path = nullptr,
  };
  std::vector<CallSite> sites(return_offsets.size());
  Dwfl* dwfl = dwfl_begin(&offline);
  if (!dwfl) return sites;
  Dwfl_Module* module = dwfl_report_offline(dwfl, "", binary.c_str(), -1);
  dwfl_report_end(dwfl, nullptr, nullptr);
  Dwarf_Addr base = 0;
  if (module) dwfl_module_info(module, nullptr, &base, nullptr, nullptr, nullptr, nullptr, nullptr);
  for (size_t i = 0; module && i < return_offsets.size(); i++) {
    sites[i].in_student = true;
    // A return address points after the call: the call is the byte before.
    if (Dwfl_Line* line = dwfl_module_getsrc(module, base + return_offsets[i] - 1)) {
      int lineno = 0;
      const char* file = dwfl_lineinfo(line, nullptr, &lineno, nullptr, nullptr, nullptr);
      sites[i].file = relative_source(file, source_root);
      sites[i].line = lineno;
    }
    if (const char* function = dwfl_module_addrname(module, base + return_offsets[i] - 1)) sites[i].function = function;
  }
  dwfl_end(dwfl);
  return sites;
}

}  // namespace shm::trace
