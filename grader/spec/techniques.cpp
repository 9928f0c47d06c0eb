#include "techniques.hpp"

namespace shm::spec {

const std::vector<Technique>& techniques() {
  static const std::vector<Technique> kTechniques = {
      {"map-shared-file", "a MAP_SHARED mapping of the named file", "对指定文件的 MAP_SHARED 映射", true},
      {"map-anonymous-shared", "MAP_SHARED | MAP_ANONYMOUS with fd -1 (BSD)", "fd 为 -1 的 MAP_SHARED | MAP_ANONYMOUS（BSD 方式）",
       true},
      {"map-dev-zero", "a MAP_SHARED mapping of /dev/zero (SVR4)", "对 /dev/zero 的 MAP_SHARED 映射（SVR4 方式）", true},
      {"posix-shm", "a POSIX shared memory object (shm_open, then mmap MAP_SHARED)",
       "POSIX 共享内存对象（shm_open 后以 MAP_SHARED 映射）", true},
      {"sysv-shm", "a System V segment (shmget and shmat)", "System V 共享内存段（shmget 与 shmat）", false},
      {"no-read-of-input", "reading the file only through its mapping", "只通过映射读取文件", false},
      {"threads", "threads sharing one mapping", "多个线程共享同一个映射", false},
  };
  return kTechniques;
}

const Technique* find_technique(const std::string& id) {
  for (const auto& t : techniques())
    if (id == t.id) return &t;
  return nullptr;
}

}  // namespace shm::spec
