// Where a run's output first differs from what a test expects, as a student reads it.
#include <catch2/catch.hpp>

#include "engine/output_diff.hpp"

namespace en = shm::engine;

TEST_CASE("output diff: the first difference with its line, column and byte, a short excerpt of each side, "
          "runs of a non-printable byte counted", "[grade]") {
  // mapcat's fixed window: the text, then the rest of a page of NUL bytes.
  const std::string nuls = "hello, world\n" + std::string(87, '\0');
  CHECK(en::describe_difference(nuls, "hello, world\n") ==
        "the output goes on past what was expected at line 2, column 1 (byte 13): 87 bytes too many, 87 NUL bytes");
  CHECK(en::describe_difference("hello", "hello, world\n") ==
        "the output stops early at line 1, column 6 (byte 5): expected more, \"hello, world\\n\"; got 5 of 13 bytes");
  CHECK(en::describe_difference("1\n2\n9\n4\n", "1\n2\n3\n4\n") ==
        "the output differs at line 3, column 1 (byte 4): expected \"1\\n2\\n3\\n4\\n\", got \"1\\n2\\n9\\n4\\n\"");
  CHECK(en::describe_difference("", "4\n", "/work/count.txt") ==
        "/work/count.txt stops early at line 1, column 1 (byte 0): expected more, \"4\\n\"; got 0 of 2 bytes");
  // A long output: only a window around the difference, marked as cut.
  std::string expected, got;
  for (int i = 1; i <= 2000; i++) expected += std::to_string(i) + "\n";
  got = expected;
  got[5000] = 'X';
  const std::string long_diff = en::describe_difference(got, expected);
  CHECK_THAT(long_diff, Catch::StartsWith("the output differs at line 1222, column 3 (byte 5000): expected ... "));
  CHECK_THAT(long_diff, Catch::Contains("... ") && Catch::Contains(" ..."));
  CHECK(long_diff.size() < 400);
  CHECK(en::excerpt(std::string(3, '\0')) == "\"\\x00\\x00\\x00\"");  // a short run is spelt out
  CHECK(en::excerpt("a" + std::string(9, '\x01') + "b") == "\"a\" then 9 0x01 bytes then \"b\"");
  CHECK(en::excerpt(std::string(500, 'x')).size() < 200);
  CHECK(en::excerpt("") == "nothing");
}
