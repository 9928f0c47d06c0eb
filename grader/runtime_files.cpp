#include "runtime_files.hpp"

namespace shm {

namespace fs = std::filesystem;

namespace {

struct Place {
  RuntimeFile file;
  const char* installed;  // relative to the prefix
  const char* built;      // the build tree's, compiled in
};

const Place kPlaces[] = {
    {RuntimeFile::Probe, "lib/shmgrade/shmgrade_probe.so", SHMGRADE_PROBE},
    {RuntimeFile::Xrace, "lib/shmgrade/libxrace.a", SHMGRADE_XRACE},
    {RuntimeFile::Unpack, "lib/shmgrade/shmgrade-unpack", SHMGRADE_UNPACK},
    {RuntimeFile::Assignments, "share/shmgrade/assignments", SHMGRADE_ASSIGNMENTS_DIR},
    {RuntimeFile::Dolos, "share/shmgrade/similarity", SHMGRADE_DOLOS_DIR},
};

}  // namespace

fs::path installed_prefix() {
  static const fs::path prefix = [] {
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec) return fs::path();
    const fs::path candidate = exe.parent_path().parent_path();  // PREFIX/bin/shmgrade
    return fs::exists(candidate / "lib/shmgrade/libxrace.a", ec) ? candidate : fs::path();
  }();
  return prefix;
}

fs::path runtime_file(RuntimeFile file) {
  for (const auto& place : kPlaces)
    if (place.file == file) return installed_prefix().empty() ? fs::path(place.built) : installed_prefix() / place.installed;
  return {};
}

}  // namespace shm
