// Where shmgrade's own files are: the build tree's when it runs from there, else beside the installed
// executable in FHS places (PREFIX/bin/shmgrade -> PREFIX/lib/shmgrade/, PREFIX/share/shmgrade/), so that a
// .deb, a Gradescope package or a copied prefix works wherever it is unpacked.
#pragma once

#include <filesystem>

namespace shm {

enum class RuntimeFile {
  Probe,        // lib/shmgrade/shmgrade_probe.so: preloaded into traced runs
  Xrace,        // lib/shmgrade/libxrace.a: linked into race builds
  Unpack,       // lib/shmgrade/shmgrade-unpack: libarchive, run in the sandbox
  Assignments,  // share/shmgrade/assignments: the bundled assignments
  Dolos,        // share/shmgrade/similarity: Dolos's script and lockfile (npm ci installs node_modules there)
};

std::filesystem::path runtime_file(RuntimeFile file);

// The installed prefix this executable runs from, or empty when it runs from the build tree.
std::filesystem::path installed_prefix();

}  // namespace shm
