#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>

#include "process.hpp"
#include "shmref.h"

using namespace shmtest;

TEST_CASE("cow: a child's write to MAP_PRIVATE reaches neither the parent nor the file", "[reference][cow]") {
  TempDir dir;
  auto result = run({reference_program("cow"), dir.file("data")});
  INFO(result.describe());
  REQUIRE(result.ok());
  CHECK(result.out ==
        "child sees: child\n"
        "parent sees: original\n"
        "file holds: original\n"
        "parent wrote: parent\n"
        "file holds: original\n"
        "copy-on-write held\n");
}

TEST_CASE("copy-on-write invariants, checked directly against the helpers", "[reference][cow]") {
  TempDir dir;
  auto path = dir.file("data");
  std::ofstream(path) << "0123456789";
  shm_error err;
  char* priv = static_cast<char*>(shm_map_file_private(path.c_str(), 10, &err));
  REQUIRE(priv != nullptr);
  char* shared = static_cast<char*>(shm_map_file_shared(path.c_str(), 10, &err));
  REQUIRE(shared != nullptr);

  priv[0] = 'P';  // private page copied: the file and the shared view keep '0'
  CHECK(shared[0] == '0');
  shared[1] = 'S';  // the shared view writes the file ...
  CHECK(priv[1] == '1');  // ... but the private mapping's page was already copied
  char file_bytes[10];
  int fd = open(path.c_str(), O_RDONLY);
  REQUIRE(pread(fd, file_bytes, 10, 0) == 10);
  close(fd);
  CHECK(std::string(file_bytes, 10) == "0S23456789");

  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    priv[2] = 'C';
    _exit(priv[2] == 'C' ? 0 : 1);
  }
  int status;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(priv[2] == '2');
  munmap(priv, 10);
  munmap(shared, 10);
}
