// The JSON result (schema "shmgrade-result/1"), the format the other writers and course platforms start from.
#pragma once

#include <nlohmann/json.hpp>

#include "engine/types.hpp"

namespace shm::report {
nlohmann::ordered_json to_json(const engine::Grade& grade);
}
