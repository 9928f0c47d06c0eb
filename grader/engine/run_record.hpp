// A RunResult as one line of JSON and back: test runs happen in worker processes (see run_tests.cpp), and
// this is how their results come home.
#pragma once

#include <nlohmann/json.hpp>

#include "types.hpp"

namespace shm::engine {

nlohmann::ordered_json run_to_json(const RunResult& run);
RunResult run_from_json(const nlohmann::ordered_json& j);

}  // namespace shm::engine
