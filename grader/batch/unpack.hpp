// Students' archives unpacked inside the sandbox by shmgrade-unpack (libarchive), never on the host directly.
#pragma once

#include <cstdint>
#include <filesystem>

#include "result.hpp"

namespace shm::batch {

struct UnpackCaps {
  uint64_t bytes = 32ull << 20;  // one submission, as a submission folder may hold (copy-in's cap)
  unsigned files = 2000;
};
constexpr UnpackCaps kClassExportCaps{2ull << 30, 200000};  // a whole LMS download

// Unpacks ARCHIVE into INTO (which must not exist). A refusal names the member and why ("refused
// ../x: a path that climbs out with '..'"); nothing is left in INTO then.
Status unpack_archive(const std::filesystem::path& archive, const std::filesystem::path& into,
                      const UnpackCaps& caps = {});

// Whether PATH's name says it is an archive we unpack (.zip, .tar, .tar.gz, .tgz, .tar.xz, .tar.bz2, .7z).
bool is_archive_name(const std::filesystem::path& path);

}  // namespace shm::batch
