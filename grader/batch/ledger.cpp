#include "ledger.hpp"

#include "files.hpp"

#include <nettle/sha2.h>

#include <algorithm>
#include <fstream>

namespace shm::batch {

namespace fs = std::filesystem;

nlohmann::ordered_json LedgerKey::to_json() const {
  return {{"submission_sha256", submission_sha256},
          {"spec_sha256", spec_sha256},
          {"grader_version", grader_version},
          {"seed", seed}};
}

namespace {

// SHA-256 of a sequence of byte strings, each framed by its length so that no two sequences hash alike.
class Sha256 {
 public:
  Sha256() { sha256_init(&ctx_); }
  void add(const std::string& bytes) {
    const std::string framed = std::to_string(bytes.size()) + ":" + bytes;
    sha256_update(&ctx_, framed.size(), reinterpret_cast<const uint8_t*>(framed.data()));
  }
  Status add_file(const fs::path& path) {
    std::error_code ec;
    if (fs::is_symlink(path, ec)) {  // its target's text, never what it points at
      add("link " + fs::read_symlink(path, ec).string());
      return ok();
    }
    auto text = read_whole_file(path);
    if (!text) return text.error();
    add(*text);
    return ok();
  }
  std::string hex() {
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_digest(&ctx_, sizeof digest, digest);
    static const char kHex[] = "0123456789abcdef";
    std::string out;
    for (uint8_t b : digest) out += {kHex[b >> 4], kHex[b & 15]};
    return out;
  }

 private:
  sha256_ctx ctx_;
};

}  // namespace

std::string sha256_hex(const std::string& bytes) {
  Sha256 sha;
  sha.add(bytes);
  return sha.hex();
}

Result<std::string> tree_sha256(const fs::path& dir, const std::vector<std::string>& skip) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    const fs::path rel = it->path().lexically_relative(dir);
    if (it.depth() == 0 && std::find(skip.begin(), skip.end(), rel.string()) != skip.end()) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_directory(ec) || it->is_symlink(ec)) files.push_back(rel);
  }
  if (ec) return Error{dir.string() + ": " + ec.message()};
  std::sort(files.begin(), files.end());
  Sha256 sha;
  for (const auto& rel : files) {
    sha.add(rel.string());
    if (auto s = sha.add_file(dir / rel); !s) return s.error();
  }
  return sha.hex();
}

Result<std::string> paths_sha256(const std::vector<fs::path>& paths) {
  Sha256 sha;
  std::error_code ec;
  for (const auto& path : paths) {
    sha.add(path.filename().string());
    if (fs::is_directory(path, ec) && !fs::is_symlink(path, ec)) {
      auto tree = tree_sha256(path, {".git"});  // a clone's history is not the submission
      if (!tree) return tree.error();
      sha.add(*tree);
    } else if (auto s = sha.add_file(path); !s) {
      return s.error();
    }
  }
  return sha.hex();
}

std::optional<LedgerKey> recorded_key(const fs::path& result_file) {
  std::ifstream in(result_file);
  if (!in) return std::nullopt;
  const auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("batch") || !j["batch"].contains("key")) return std::nullopt;
  if (j.value("status", "") == "internal-error") return std::nullopt;  // the grader's failure: graded again
  const auto& k = j["batch"]["key"];
  try {
    return LedgerKey{k.at("submission_sha256"), k.at("spec_sha256"), k.at("grader_version"), k.at("seed")};
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

}  // namespace shm::batch
