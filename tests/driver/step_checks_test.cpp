#include "driver/step_checks.hpp"

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using namespace faultline;

namespace {
JsonEquals json_eq(const char* path, const char* expected) {
    std::string error;
    auto p = JsonPath::parse(path, error);
    REQUIRE(p);
    return JsonEquals{*p, expected};
}
StepResponse response(int status, std::string_view body = "", Duration latency = 1ms) {
    return StepResponse{status, "HTTP/1.1 200 OK\r\n\r\n", body, latency};
}
}  // namespace

TEST_CASE("without expectations 2xx/3xx succeed and 4xx/5xx keep their classes") {
    Expectations none;
    CHECK(evaluate_expectations(none, response(200)).outcome == Outcome::success);
    CHECK(evaluate_expectations(none, response(304)).outcome == Outcome::success);
    CHECK(evaluate_expectations(none, response(404)).outcome == Outcome::http_4xx);
    CHECK(evaluate_expectations(none, response(503)).outcome == Outcome::http_5xx);
}

TEST_CASE("listed statuses succeed; unlisted 1xx-3xx are check failures, unlisted 4xx/5xx keep their class") {
    Expectations e;
    e.status = {200, 404};
    CHECK(evaluate_expectations(e, response(404)).outcome == Outcome::success);
    auto unexpected_ok = evaluate_expectations(e, response(201));
    CHECK(unexpected_ok.outcome == Outcome::check);
    CHECK(unexpected_ok.failed == kCheckStatus);
    const auto server_error = evaluate_expectations(e, response(500));
    CHECK(server_error.outcome == Outcome::http_5xx);
    CHECK(server_error.failed == 0);  // counted once, as http_5xx, not also as a failed check
    CHECK(evaluate_expectations(e, response(401)).outcome == Outcome::http_4xx);
    CHECK(evaluate_expectations(Expectations{}, response(503)).failed == 0);
}

TEST_CASE("body, json and latency checks each set their bit") {
    Expectations e;
    e.body_contains = "items";
    e.json = {json_eq("$.items[0].id", "1"), json_eq("$.owner", "\"ann\"")};
    e.latency_below = 250ms;
    const std::string good = R"({"items":[{"id":1.0}],"owner":"ann"})";
    CHECK(evaluate_expectations(e, response(200, good, 100ms)).outcome == Outcome::success);
    auto slow = evaluate_expectations(e, response(200, good, 250ms));
    CHECK(slow.outcome == Outcome::check);
    CHECK(slow.failed == kCheckLatency);
    auto wrong = evaluate_expectations(e, response(200, R"({"items":[{"id":2}],"owner":"ann"})"));
    CHECK(wrong.failed == kCheckJson);
    auto not_json = evaluate_expectations(e, response(200, "items but not json"));
    CHECK(not_json.failed == kCheckJson);
    auto empty = evaluate_expectations(e, response(200, "{}", 1s));
    CHECK(empty.failed == (kCheckBodyContains | kCheckJson | kCheckLatency));
}

TEST_CASE("headers are found case-insensitively in the final response head") {
    const std::string head =
        "HTTP/1.1 100 Continue\r\nX-Token: interim\r\n\r\n"
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nset-cookie: session=abc; Path=/\r\n"
        "X-Token:  final  \r\n\r\n";
    CHECK(find_header(head, "Set-Cookie") == std::optional<std::string_view>("session=abc; Path=/"));
    CHECK(find_header(head, "x-token") == std::optional<std::string_view>("final"));
    CHECK_FALSE(find_header(head, "Location"));
    CHECK(find_header("HTTP/1.1 200 OK\nA: 1\n\n", "a") == std::optional<std::string_view>("1"));
}

TEST_CASE("extractions read JSON, headers and regex groups") {
    StepResponse r{200, "HTTP/1.1 200 OK\r\nSet-Cookie: s=1\r\n\r\n", R"({"token":"t-42","n":7,"o":{"a":[1,2]}})", 1ms};
    std::string error;
    Extraction token{0, Extraction::From::json, *JsonPath::parse("$.token", error), {}, {}, nullptr};
    CHECK(extract_value(token, r) == std::optional<std::string>("t-42"));
    Extraction number{0, Extraction::From::json, *JsonPath::parse("$.n", error), {}, {}, nullptr};
    CHECK(extract_value(number, r) == std::optional<std::string>("7"));
    Extraction object{0, Extraction::From::json, *JsonPath::parse("$.o", error), {}, {}, nullptr};
    CHECK(extract_value(object, r) == std::optional<std::string>(R"({"a":[1,2]})"));
    Extraction missing{0, Extraction::From::json, *JsonPath::parse("$.nope", error), {}, {}, nullptr};
    CHECK_FALSE(extract_value(missing, r));
    Extraction header{0, Extraction::From::header, {}, "set-cookie", {}, nullptr};
    CHECK(extract_value(header, r) == std::optional<std::string>("s=1"));
    auto regex = [](const char* pattern) {
        return Extraction{0, Extraction::From::regex, {}, {}, pattern, std::make_shared<const std::regex>(pattern)};
    };
    Extraction group = regex(R"re("token":"([^"]+)")re");
    CHECK(extract_value(group, r) == std::optional<std::string>("t-42"));
    Extraction whole = regex("t-[0-9]+");
    CHECK(extract_value(whole, r) == std::optional<std::string>("t-42"));
    Extraction none = regex("zzz");
    CHECK_FALSE(extract_value(none, r));
}
