#include "watch.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>

#include <cerrno>

namespace shm::cli {

namespace fs = std::filesystem;

namespace {

volatile sig_atomic_t g_interrupted = 0;

void on_interrupt(int) { g_interrupted = 1; }

constexpr uint32_t kChanges = IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE;
constexpr int kDepth = 3;          // folders under the submission that are watched too
constexpr int kQuietMs = 300;      // an editor's save, or a checkout, is over when nothing came for this long

bool ignored(const std::string& name) { return name.empty() || name[0] == '.' || name.back() == '~'; }

}  // namespace

void catch_interrupts() {
  struct sigaction sa{};
  sa.sa_handler = on_interrupt;  // no SA_RESTART: poll returns EINTR
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

bool interrupted() { return g_interrupted != 0; }

Result<FolderWatch> FolderWatch::open(const fs::path& dir) {
  FolderWatch w;
  w.inotify_ = sandbox::Fd(inotify_init1(IN_CLOEXEC | IN_NONBLOCK));
  if (w.inotify_.fd < 0) return errno_error("inotify_init1");
  if (inotify_add_watch(w.inotify_.fd, dir.c_str(), kChanges) < 0) return errno_error("inotify: " + dir.string());
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it.depth() >= kDepth || ignored(it->path().filename().string())) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (it->is_directory(ec) && !it->is_symlink(ec)) inotify_add_watch(w.inotify_.fd, it->path().c_str(), kChanges);
  }
  return w;
}

std::optional<std::string> FolderWatch::next_change() {
  std::string changed;
  for (int timeout = -1;;) {  // forever until the first change, then until the folder is quiet
    pollfd p{inotify_.fd, POLLIN, 0};
    const int n = poll(&p, 1, timeout);
    if (interrupted()) return std::nullopt;
    if (n < 0 && errno != EINTR) return std::nullopt;
    if (n == 0) return changed;
    alignas(inotify_event) char buf[16384];
    for (ssize_t got; (got = read(inotify_.fd, buf, sizeof buf)) > 0;)
      for (char* at = buf; at < buf + got;) {
        const auto* e = reinterpret_cast<const inotify_event*>(at);
        at += sizeof(inotify_event) + e->len;
        const std::string name = e->len ? e->name : "";
        if (ignored(name)) continue;
        if (changed.empty()) changed = name;
        timeout = kQuietMs;
      }
  }
}

}  // namespace shm::cli
