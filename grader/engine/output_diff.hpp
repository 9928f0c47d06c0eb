// What a student reads when a run's output (or a file it wrote) is not what the test expects: where the two first
// differ, and a short excerpt of each side there, instead of both in full. Long runs of one non-printable byte are
// counted ("then 87 NUL bytes"), not spelt out.
#pragma once

#include <string>
#include <string_view>

namespace shm::engine {

// "the output differs at line 2, column 3 (byte 9): expected "…1\n1223\n…", got "…1\n9999\n…"", or that it stops
// early or goes on too long. WHAT names the output ("the output", "/work/count.bin").
std::string describe_difference(std::string_view got, std::string_view expected, const std::string& what = "the output");

// TEXT quoted for one line, capped, with runs of a repeated non-printable byte counted.
std::string excerpt(std::string_view text, size_t cap = 120);

}  // namespace shm::engine
