#include "files.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <vector>

namespace shm {

namespace {

constexpr char kPartial[] = ".partial-";  // write_file_atomically's temporary files: PATH.partial-XXXXXX

// Removes the entry NAME in the directory DIRFD (whose path, for messages, is WHERE).
Status remove_entry(int dirfd, const std::string& name, const std::string& where) {
  const std::string path = where + "/" + name;
  struct stat st;
  if (fstatat(dirfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0) return errno == ENOENT ? ok() : errno_error("stat " + path);
  if (!S_ISDIR(st.st_mode)) {
    if (unlinkat(dirfd, name.c_str(), 0) < 0 && errno != ENOENT) return errno_error("unlink " + path);
    return ok();
  }
  // A directory (lstat said so, and the run that made it is over): our bits back, then its entries.
  if ((st.st_mode & 0700) != 0700) fchmodat(dirfd, name.c_str(), 0700, 0);
  const int fd = openat(dirfd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return errno_error("open " + path);
  DIR* dir = fdopendir(fd);
  if (!dir) {
    close(fd);
    return errno_error("open " + path);
  }
  std::vector<std::string> names;
  while (dirent* e = readdir(dir))
    if (std::string n = e->d_name; n != "." && n != "..") names.push_back(n);
  Status result = ok();
  for (const auto& n : names)
    if (auto s = remove_entry(::dirfd(dir), n, path); !s && result) result = s;
  closedir(dir);
  if (!result) return result;
  if (unlinkat(dirfd, name.c_str(), AT_REMOVEDIR) < 0 && errno != ENOENT) return errno_error("rmdir " + path);
  return ok();
}

}  // namespace

Status remove_tree(const std::filesystem::path& path) {
  const std::filesystem::path parent = path.has_parent_path() ? path.parent_path() : ".";
  const int dirfd = open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dirfd < 0) return errno == ENOENT ? ok() : errno_error("open " + parent.string());
  Status s = remove_entry(dirfd, path.filename().string(), parent.string());
  close(dirfd);
  return s;
}

Status write_kernel_file(const std::filesystem::path& path, const std::string& text) {
  const int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return errno_error("open " + path.string());
  const ssize_t n = write(fd, text.data(), text.size());
  const int err = errno;
  close(fd);
  if (n != ssize_t(text.size())) return Error{"write " + path.string(), err};
  return ok();
}

Result<std::filesystem::path> make_temp_dir(const std::string& kind) {
  const char* root = getenv("SHMGRADE_TMPDIR");
  std::string path = std::string(root && *root ? root : "/tmp") + "/shmgrade-" + kind + "-XXXXXX";
  if (!mkdtemp(path.data())) return errno_error("mkdtemp " + path);
  return std::filesystem::path(path);
}

Result<TempTree> TempTree::make(const std::string& kind) {
  auto made = make_temp_dir(kind);
  if (!made) return made.error();
  return TempTree(*made);
}

TempTree::~TempTree() {
  if (!path_.empty()) (void)remove_tree(path_);
}

Result<std::string> read_whole_file(const std::filesystem::path& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno_error("read " + path.string());
  std::string text;
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : 0;
      close(fd);
      if (err) return Error{"read " + path.string(), err};
      return text;
    }
    text.append(buf, size_t(n));
  }
}

void remove_interrupted_writes(const std::filesystem::path& dir) {
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    const size_t at = name.rfind(kPartial);
    if (at != std::string::npos && name.size() - at == std::strlen(kPartial) + 6) std::filesystem::remove(e.path(), ec);
  }
}

Status write_file_atomically(const std::filesystem::path& path, const std::string& text) {
  std::string tmp = path.string() + kPartial + "XXXXXX";
  const int fd = mkstemp(tmp.data());
  if (fd < 0) return errno_error("write " + path.string());
  bool written = true;
  for (size_t done = 0; written && done < text.size();) {
    const ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    written = n > 0;
    if (written) done += size_t(n);
  }
  const int err = written ? 0 : errno;
  if (written) fchmod(fd, 0644);  // mkstemp's 0600 would hide a result from its readers
  written = written && fsync(fd) == 0;  // on disk before the rename makes it the result: a crash leaves old or new
  if (close(fd) < 0 || !written || rename(tmp.c_str(), path.c_str()) < 0) {
    const Error e{"write " + path.string(), err ? err : errno};
    unlink(tmp.c_str());
    return e;
  }
  return ok();
}

}  // namespace shm
