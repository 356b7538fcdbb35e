#include "scenarios/json_path.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

using faultline::JsonPath;

namespace {
JsonPath parse_ok(std::string_view text) {
    std::string error;
    auto p = JsonPath::parse(text, error);
    INFO(text << ": " << error);
    REQUIRE(p);
    return *p;
}
std::string parse_error(std::string_view text) {
    std::string error;
    CHECK_FALSE(JsonPath::parse(text, error));
    return error;
}
}  // namespace

TEST_CASE("JSONPath parses the subset into segments", "[json_path]") {
    const auto p = parse_ok("$.a.b[0]['c d'][\"e\"]");
    REQUIRE(p.segments().size() == 5);
    CHECK(std::get<std::string>(p.segments()[0]) == "a");
    CHECK(std::get<std::size_t>(p.segments()[2]) == 0);
    CHECK(std::get<std::string>(p.segments()[3]) == "c d");
    CHECK(std::get<std::string>(p.segments()[4]) == "e");
    CHECK(p.text() == "$.a.b[0]['c d'][\"e\"]");
    CHECK(parse_ok("$").segments().empty());
}

TEST_CASE("JSONPath finds values and reports absence", "[json_path]") {
    const auto doc = boost::json::parse(R"({"token":"t1","items":[{"id":1,"name":"apple"},{"id":2}],"n":null})");
    CHECK(boost::json::serialize(*parse_ok("$.token").find(doc)) == "\"t1\"");
    CHECK(parse_ok("$.items[0].name").find(doc)->as_string() == "apple");
    CHECK(parse_ok("$.items[1].id").find(doc)->as_int64() == 2);
    CHECK(parse_ok("$.n").find(doc)->is_null());
    CHECK(parse_ok("$").find(doc) == &doc);
    CHECK(parse_ok("$.items[2]").find(doc) == nullptr);
    CHECK(parse_ok("$.token.x").find(doc) == nullptr);
    CHECK(parse_ok("$.items.x").find(doc) == nullptr);
    CHECK(parse_ok("$[0]").find(doc) == nullptr);
    CHECK(parse_ok("$.missing").find(doc) == nullptr);
}

TEST_CASE("JSONPath rejects text outside the subset", "[json_path]") {
    CHECK(parse_error("token") == "invalid JSONPath 'token': it must start with '$' (e.g. $.token)");
    CHECK(parse_error("$.") == "invalid JSONPath '$.': expected a key after '.'");
    CHECK(parse_error("$.a[0") == "invalid JSONPath '$.a[0': unterminated '['");
    CHECK(parse_error("$.a[*]").find("expected an array index or a quoted key") != std::string::npos);
    CHECK(parse_error("$.a..b").find("expected a key after '.'") != std::string::npos);
    CHECK(parse_error("$x").find("unexpected 'x'") != std::string::npos);
}
