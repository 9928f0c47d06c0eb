// The work dir: a submission is copied in file by file, refusing anything that is not a plain file or
// directory (a symlink could point at a host secret, a FIFO could hang the copy) and any tree too large.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>

#include "internal.hpp"

namespace shm::sandbox {

namespace fs = std::filesystem;

namespace {

constexpr uint64_t kMaxBytes = 32ull << 20;
constexpr int kMaxFiles = 2000, kMaxDepth = 16;

// A path as a message may show it: control characters escaped, so a file name cannot forge output.
std::string printable(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) {
      char buf[8];
      snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += char(c);
    }
  }
  return out;
}

struct Copier {
  uint64_t bytes = 0;
  int files = 0;

  Status refuse(const std::string& rel, const std::string& why) {
    return Error{"submission refused: " + printable(rel) + " " + why};
  }

  Status copy_file(int src_dir, int dst_dir, const char* name, const std::string& rel, const struct stat& st) {
    if (++files > kMaxFiles) return refuse(rel, "is one file too many (at most " + std::to_string(kMaxFiles) + ")");
    bytes += uint64_t(st.st_size);
    if (bytes > kMaxBytes) return refuse(rel, "takes the submission over " + std::to_string(kMaxBytes >> 20) + " MiB");
    int in = openat(src_dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (in < 0) return errno_error("open " + printable(rel));
    int out = openat(dst_dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, st.st_mode & 0755);
    if (out < 0) {
      close(in);
      return errno_error("create " + printable(rel));
    }
    Status status = ok();
    char buf[65536];
    for (ssize_t n; (n = read(in, buf, sizeof buf)) != 0;) {
      if (n < 0 || write(out, buf, size_t(n)) != n) {
        status = errno_error("copy " + printable(rel));
        break;
      }
    }
    close(in);
    close(out);
    return status;
  }

  Status copy_dir(int src_dir, int dst_dir, const std::string& rel, int depth) {
    if (depth > kMaxDepth) return refuse(rel, "is nested too deep");
    int fd = dup(src_dir);
    DIR* d = fdopendir(fd);
    if (!d) return errno_error("opendir " + printable(rel));
    Status status = ok();
    while (dirent* e = readdir(d)) {
      std::string name = e->d_name;
      if (name == "." || name == ".." || name == ".git") continue;
      std::string child = rel.empty() ? name : rel + "/" + name;
      struct stat st{};
      if (fstatat(src_dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0) {
        status = errno_error("stat " + printable(child));
      } else if (S_ISLNK(st.st_mode)) {
        status = refuse(child, "is a symbolic link; submit the file itself");
      } else if (S_ISREG(st.st_mode)) {
        status = copy_file(src_dir, dst_dir, name.c_str(), child, st);
      } else if (S_ISDIR(st.st_mode)) {
        status = copy_subdir(src_dir, dst_dir, name, child, depth);
      } else {
        status = refuse(child, S_ISFIFO(st.st_mode) ? "is a FIFO" : S_ISSOCK(st.st_mode) ? "is a socket"
                                                                                         : "is a device file");
      }
      if (!status) break;
    }
    closedir(d);
    return status;
  }

  Status copy_subdir(int src_dir, int dst_dir, const std::string& name, const std::string& rel, int depth) {
    int src = openat(src_dir, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (src < 0) return errno_error("open " + printable(rel));
    if (mkdirat(dst_dir, name.c_str(), 0755) < 0) {
      close(src);
      return errno_error("mkdir " + printable(rel));
    }
    int dst = openat(dst_dir, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    Status status = dst < 0 ? errno_error("open " + printable(rel)) : copy_dir(src, dst, rel, depth + 1);
    close(src);
    if (dst >= 0) close(dst);
    return status;
  }
};

}  // namespace

Status copy_submission(const fs::path& from, const fs::path& to) {
  struct stat st{};
  if (lstat(from.c_str(), &st) < 0) return errno_error("submission " + printable(from.string()));
  if (S_ISLNK(st.st_mode) || !S_ISDIR(st.st_mode))
    return Error{"submission refused: " + printable(from.string()) + " is not a directory"};
  int src = open(from.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  int dst = open(to.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  Copier copier;
  Status status = src < 0 || dst < 0 ? errno_error("open " + printable(from.string())) : copier.copy_dir(src, dst, "", 0);
  if (src >= 0) close(src);
  if (dst >= 0) close(dst);
  if (status && copier.files == 0)
    return Error{"submission refused: " + printable(from.string()) + " holds no files (empty submission)"};
  return status;
}

Status hand_over(const fs::path& dir, uid_t uid, gid_t gid) {
  if (lchown(dir.c_str(), uid, gid) < 0) return errno_error("chown " + dir.string());
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec))
    if (lchown(it->path().c_str(), uid, gid) < 0) return errno_error("chown " + it->path().string());
  return ec ? Error{"walk " + dir.string(), ec.value()} : ok();
}

bool disk_over(const fs::path& dir, uint64_t cap) {
  uint64_t used = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end; it.increment(ec)) {
    struct stat st{};
    if (lstat(it->path().c_str(), &st) == 0) used += std::max<uint64_t>(uint64_t(st.st_blocks) * 512, 1024);
    if (used > cap) return true;
  }
  return false;
}

}  // namespace shm::sandbox
