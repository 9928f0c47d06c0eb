#include "unpack.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include "files.hpp"
#include "sandbox.hpp"
#include "runtime_files.hpp"

namespace shm::batch {

namespace fs = std::filesystem;

bool is_archive_name(const fs::path& path) {
  std::string name = path.filename().string();
  for (char& c : name) c = char(tolower(static_cast<unsigned char>(c)));
  for (const char* ext : {".zip", ".tar", ".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.bz2", ".tbz2", ".7z"})
    if (name.size() > strlen(ext) && name.compare(name.size() - strlen(ext), strlen(ext), ext) == 0) return true;
  return false;
}

Status unpack_archive(const fs::path& archive, const fs::path& into, const UnpackCaps& caps) {
  std::error_code ec;
  // Like the grader's scratch dirs: the sandbox's user must be able to pass through to it.
  auto temp = TempTree::make("unpack");
  if (!temp) return temp.error();
  const fs::path work = temp->path();
  chmod(work.c_str(), 0711);
  fs::copy_file(archive, work / "archive", ec);
  if (!ec) fs::copy_file(runtime_file(RuntimeFile::Unpack), work / ".unpack", ec);
  if (ec) return Error{"copy " + archive.string() + " to unpack it: " + ec.message()};
  chmod((work / ".unpack").c_str(), 0755);

  sandbox::Request req;
  req.workdir = work.string();
  req.give_back_workdir = true;
  req.argv = {"/work/.unpack", "archive", "out", std::to_string(caps.bytes), std::to_string(caps.files)};
  req.limits = sandbox::Limits::defaults(sandbox::Profile::Compile);
  req.limits[sandbox::Limit::Disk] = caps.bytes * 2 + (64ull << 20);  // the archive and what it holds
  req.limits[sandbox::Limit::FileSize] = std::max<uint64_t>(caps.bytes, req.limits[sandbox::Limit::FileSize]);
  auto outcome = sandbox::run(req);
  if (!outcome) return Error{"unpack " + archive.filename().string() + ": " + outcome.error().message()};
  if (outcome->verdict != sandbox::Verdict::Ok) {
    std::string why = outcome->out.substr(0, outcome->out.find('\n'));
    if (why.empty())
      why = std::string("the unpacker ended with ") + sandbox::verdict_name(outcome->verdict) +
            (outcome->error.empty() ? "" : " (" + outcome->error + ")");
    return Error{archive.filename().string() + ": " + why};
  }
  fs::rename(work / "out", into, ec);
  if (ec.value() == EXDEV) {  // another file system: copied (the unpacker made no links to follow)
    ec.clear();
    fs::copy(work / "out", into, fs::copy_options::recursive, ec);
  }
  if (ec) return Error{"move what " + archive.filename().string() + " held to " + into.string() + ": " + ec.message()};
  return ok();
}

}  // namespace shm::batch
