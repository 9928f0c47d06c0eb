// shmgrade-unpack ARCHIVE DIR [MAX_BYTES MAX_FILES] — unpack a student's archive (zip, tar, tar.gz, ...) with libarchive into DIR,
// refusing what could reach outside it or exhaust the host. It runs inside the sandbox (see unpack.cpp), so a
// flaw in a decoder meets the sandbox's walls; these checks are what makes the result safe to grade.
// Output: nothing, exit 0; or "refused MEMBER: WHY" on stdout, exit 1 (nothing of the archive is kept then).
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

long long max_bytes = 32ll << 20;  // as much as a submission folder may hold (workdir.cpp)
long long max_files = 2000;

int refuse(const std::string& member, const std::string& why) {
  std::printf("refused %s: %s\n", member.c_str(), why.c_str());
  return 1;
}

// Why NAME may not be unpacked as a path below DIR, or "".
std::string bad_path(const std::string& name) {
  if (name.empty()) return "an empty name";
  if (name[0] == '/') return "an absolute path";
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('/', start);
    if (end == std::string::npos) end = name.size();
    const std::string part = name.substr(start, end - start);
    if (part == "..") return "a path that climbs out with '..'";
    start = end + 1;
  }
  if (name.find('\\') != std::string::npos) return "a backslash in its name (a Windows path)";
  return "";
}

// Folders an OS adds to archives by itself: not the student's work.
bool is_clutter(const std::string& name) {
  return name.rfind("__MACOSX/", 0) == 0 || name.find("/.DS_Store") != std::string::npos || name == ".DS_Store";
}

// Makes every parent folder of PATH below the current directory.
bool make_parents(const std::string& path) {
  for (size_t slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1))
    if (mkdir(path.substr(0, slash).c_str(), 0755) < 0 && errno != EEXIST) return false;
  return true;
}

int copy_data(archive* in, int fd, long long& total, const std::string& member) {
  const void* block;
  size_t size;
  la_int64_t offset;
  for (int r; (r = archive_read_data_block(in, &block, &size, &offset)) != ARCHIVE_EOF;) {
    if (r != ARCHIVE_OK) return refuse(member, archive_error_string(in) ? archive_error_string(in) : "unreadable");
    total += (long long)size;
    if (total > max_bytes)
      return refuse(member, "more than " + std::to_string(max_bytes >> 20) + " MiB unpacked (an archive bomb?)");
    if (pwrite(fd, block, size, offset) != ssize_t(size)) return refuse(member, "cannot write it");
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 && argc != 5) {
    std::fprintf(stderr, "usage: shmgrade-unpack ARCHIVE DIR [MAX_BYTES MAX_FILES]\n");
    return 2;
  }
  if (argc == 5) max_bytes = std::atoll(argv[3]), max_files = std::atoll(argv[4]);
  archive* in = archive_read_new();
  archive_read_support_format_all(in);
  archive_read_support_filter_all(in);
  if (archive_read_open_filename(in, argv[1], 1 << 16) != ARCHIVE_OK)
    return refuse(".", std::string("not an archive libarchive reads (") + archive_error_string(in) + ")");
  if (mkdir(argv[2], 0755) < 0 || chdir(argv[2]) < 0) return refuse(".", "cannot make the output folder");
  long long total = 0;
  int files = 0;
  archive_entry* entry;
  for (int r; (r = archive_read_next_header(in, &entry)) != ARCHIVE_EOF;) {
    if (r < ARCHIVE_WARN) return refuse("?", archive_error_string(in) ? archive_error_string(in) : "a damaged archive");
    std::string name = archive_entry_pathname(entry) ? archive_entry_pathname(entry) : "";
    while (name.rfind("./", 0) == 0) name.erase(0, 2);
    if (is_clutter(name)) continue;
    if (std::string why = bad_path(name); !why.empty()) return refuse(name, why);
    if (archive_entry_hardlink(entry)) return refuse(name, "a hard link");
    const mode_t type = archive_entry_filetype(entry);
    if (type == AE_IFDIR) {
      if (!make_parents(name + "/")) return refuse(name, "cannot make the folder");
      continue;
    }
    if (type == AE_IFLNK) return refuse(name, "a symbolic link");
    if (type != AE_IFREG) return refuse(name, "a device, FIFO or socket");
    if (++files > max_files) return refuse(name, "more than " + std::to_string(max_files) + " files");
    if (!make_parents(name)) return refuse(name, "cannot make its folder");
    // O_EXCL|O_NOFOLLOW: a second member of the same name, or a path through a link, is refused.
    const int fd = open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) return refuse(name, "a second member of that name");
    const int rc = copy_data(in, fd, total, name);
    if (archive_entry_mtime_is_set(entry)) {  // the submission time is the newest file's, when nothing else says
      const timespec times[2] = {{archive_entry_mtime(entry), 0}, {archive_entry_mtime(entry), 0}};
      futimens(fd, times);
    }
    close(fd);
    if (rc) return rc;
  }
  archive_read_free(in);
  return 0;
}
