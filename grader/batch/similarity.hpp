// Submissions -> Similarity: the pairs of students whose code is suspiciously alike, as Dolos finds them
// (npm @dodona/dolos-lib: tree-sitter tokens, winnowed fingerprints; the assignment's starter code is its
// template and does not count). Dolos runs in the sandbox on copies of the students' sources; it reads
// their code and never runs it. We do not compute similarity ourselves.
#pragma once

#include <cstddef>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "result.hpp"
#include "spec/assignment_spec.hpp"

namespace shm::batch {

struct CodeExcerpt {
  std::string file;        // the student's file name
  int first = 0, last = 0;  // 1-based lines
  std::string text;         // those lines (the first kExcerptLines of them)
};

struct SharedFragment {
  size_t kgrams = 0;  // how long the fragment is, in Dolos's k-grams
  CodeExcerpt left, right;
};

struct SimilarPair {
  std::string left, right;  // student ids, left < right
  double similarity = 0;    // Dolos's: the share of both files covered by shared fingerprints, 0..1
  size_t longest = 0;       // the longest shared fragment, in k-grams
  std::vector<SharedFragment> fragments;  // the longest few
};

struct Similarity {
  size_t submissions = 0;          // analysed (those with at least one source file)
  std::vector<SimilarPair> pairs;  // most alike first; the top kTopPairs
  std::vector<std::string> warnings;
};

constexpr size_t kTopPairs = 100, kFragmentsPerPair = 5;

struct StudentSources {
  std::string id;
  std::filesystem::path dir;         // the student's collected files
  std::vector<std::string> sources;  // the files the build compiles, in order
};

// Where Dolos is installed: $SHMGRADE_DOLOS_DIR, else runtime_file(Dolos) (the source tree's
// grader/batch/similarity, which ci/deps fills from its lockfile). An error says how to install it.
Result<std::filesystem::path> dolos_dir();

Result<Similarity> find_similar(const spec::AssignmentSpec& spec, const std::filesystem::path& assignment_dir,
                                const std::vector<StudentSources>& students);

// similarity.csv: one row per pair, cells neutralised for spreadsheets; similarity.json: all of it.
std::string similarity_csv(const Similarity& similarity);
nlohmann::json to_json(const Similarity& similarity);

}  // namespace shm::batch
