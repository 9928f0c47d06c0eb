// Option checks whose messages a newcomer can act on (CLI11's PositiveNumber answers "--time 0" with a range
// ending in DBL_MAX's 309 digits).
#pragma once

#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstdlib>
#include <string>

namespace shm::cli {

inline CLI::Validator positive_number() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        char* end = nullptr;
        errno = 0;
        const double value = strtod(text.c_str(), &end);
        if (text.empty() || *end || errno || !(value > 0)) return "must be a number above 0, not '" + text + "'";
        return "";
      },
      "NUMBER>0");
}

}  // namespace shm::cli
