#include "scenarios/suggest.hpp"

#include <catch2/catch.hpp>

using namespace faultline;

TEST_CASE("edit distance", "[suggest]") {
    CHECK(edit_distance("", "") == 0);
    CHECK(edit_distance("flow", "flwo") == 2);
    CHECK(edit_distance("kitten", "sitting") == 3);
    CHECK(edit_distance("abc", "") == 3);
}

TEST_CASE("suggestions: close typos and prefixes only", "[suggest]") {
    const std::vector<std::string> keys{"connections", "timeout", "connect_timeout", "keep_alive"};
    CHECK(suggest("conections", keys) == "connections");
    CHECK(suggest("timeuot", keys) == "timeout");
    CHECK(suggest("keep", keys) == "keep_alive");
    CHECK_FALSE(suggest("zebra", keys));
    CHECK_FALSE(suggest("x", std::vector<std::string>{"y"}));
    CHECK(did_you_mean("timout", keys) == "; did you mean 'timeout'?");
    CHECK(did_you_mean("zebra", keys).empty());
}
