#include "driver/request_bytes.hpp"

#include <catch2/catch.hpp>

TEST_CASE("a GET request is serialised once with the default headers") {
    faultline::RequestSpec spec;
    spec.url = *faultline::parse_target_url("http://127.0.0.1:8080/a?b=c");
    const auto bytes = faultline::serialize_request(spec);
    CHECK(bytes.rfind("GET /a?b=c HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: faultline/", 0) == 0);
    CHECK(bytes.find("Accept: */*\r\n") != std::string::npos);
    CHECK(bytes.find("Content-Length") == std::string::npos);
    CHECK(bytes.substr(bytes.size() - 4) == "\r\n\r\n");
}

TEST_CASE("user headers replace defaults and bodies get a length") {
    faultline::RequestSpec spec;
    spec.method = "POST";
    spec.url = *faultline::parse_target_url("http://h/x");
    spec.headers = {{"host", "other"}, {"Content-Type", "application/json"}};
    spec.body = "{\"a\":1}";
    const auto bytes = faultline::serialize_request(spec);
    CHECK(bytes.find("Host: h") == std::string::npos);
    CHECK(bytes.find("host: other\r\n") != std::string::npos);
    CHECK(bytes.find("Content-Length: 7\r\n\r\n{\"a\":1}") != std::string::npos);
    faultline::RequestSpec empty_post;
    empty_post.method = "POST";
    empty_post.url = spec.url;
    CHECK(faultline::serialize_request(empty_post).find("Content-Length: 0\r\n") != std::string::npos);
}
