// Untrusted bytes made safe to show: whatever a program printed, a compiler said or a file was named must be
// valid UTF-8 before it reaches JSON, XML or a terminal. One home for that, for dumping JSON that can never
// throw on what it holds, and for the "did you mean" of a mistyped name.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace shm {

// TEXT with every byte that is not part of a well-formed UTF-8 sequence replaced by U+FFFD.
std::string valid_utf8(std::string_view text);
bool is_valid_utf8(std::string_view text);
// TEXT as a quoted, one-line, valid-UTF-8 string: \n, \t and other control bytes escaped (\x01), bytes that are
// not UTF-8 shown as \xNN, so a student sees exactly what was printed.
std::string quoted_bytes(std::string_view text);
// WORD as a POSIX shell reads it back as one word: as it is when it is plain, else in single quotes.
std::string shell_word(const std::string& word);
// ARGV as one line a user types: SCRIPT for `sh -c SCRIPT` (sh or /bin/sh), else its words, each shell_word.
std::string shell_line(const std::vector<std::string>& argv);
bool is_shell_script(const std::vector<std::string>& argv);  // `sh -c SCRIPT`
// J as text; a string that is not UTF-8 (it should have been made valid before) is written with U+FFFD
// rather than throwing.
std::string json_text(const nlohmann::ordered_json& j, int indent = -1);
std::string json_text(const nlohmann::json& j, int indent = -1);
// The word of KNOWN nearest to WORD (fewest letters added, dropped or changed), if it is fewer than BELOW edits
// away; "" when none is.
std::string nearest_word(const std::string& word, const std::vector<std::string>& known, size_t below);

}  // namespace shm
