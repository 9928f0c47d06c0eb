#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "suite_guard.hpp"

int main(int argc, char** argv) {
  int failed = Catch::Session().run(argc, argv);
  return failed ? failed : shmtest::broken_test_cases() ? 1 : 0;
}
