#include "scenarios/target_url.hpp"

#include <catch2/catch.hpp>

using faultline::parse_target_url;

TEST_CASE("URLs split into host, port, Host header and request target") {
    auto u = parse_target_url("http://127.0.0.1:8080/api/v1?x=1&y=2");
    REQUIRE(u);
    CHECK_FALSE(u->tls);
    CHECK(u->host == "127.0.0.1");
    CHECK(u->port == "8080");
    CHECK(u->host_header == "127.0.0.1:8080");
    CHECK(u->target == "/api/v1?x=1&y=2");

    auto s = parse_target_url("https://localhost");
    REQUIRE(s);
    CHECK(s->tls);
    CHECK(s->port == "443");
    CHECK(s->host_header == "localhost");
    CHECK(s->target == "/");

    auto v6 = parse_target_url("http://[::1]:9000/x");
    REQUIRE(v6);
    CHECK(v6->host == "::1");
    CHECK(v6->host_header == "[::1]:9000");

    auto default_port = parse_target_url("http://example.test:80/");
    REQUIRE(default_port);
    CHECK(default_port->host_header == "example.test");
}

TEST_CASE("unusable URLs are rejected with a reason") {
    CHECK_THAT(parse_target_url("ftp://x/").error, Catch::Contains("unsupported scheme"));
    CHECK_THAT(parse_target_url("127.0.0.1:8080").error, Catch::Contains("not a usable URL"));
    CHECK_THAT(parse_target_url("http://user:pw@host/").error, Catch::Contains("user info"));
    CHECK_FALSE(parse_target_url("http:///path"));
    CHECK_FALSE(parse_target_url("http://host:0/"));
    CHECK_FALSE(parse_target_url(""));
}
