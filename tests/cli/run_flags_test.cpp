#include <catch2/catch.hpp>

#include "cli/run_command.hpp"

using faultline::RunOptions;
using faultline::RunSpec;

namespace {
RunOptions valid_open() {
    RunOptions o;
    o.url = "http://127.0.0.1:8080/";
    o.rate = "100/s";
    o.duration = "2s";
    return o;
}
std::vector<std::string> errors_of(const RunOptions& o) {
    RunSpec spec;
    return faultline::build_run_spec(o, spec);
}
}  // namespace

TEST_CASE("valid open-model flags become a spec with documented defaults") {
    RunSpec spec;
    REQUIRE(faultline::build_run_spec(valid_open(), spec).empty());
    CHECK(spec.load.model == faultline::LoadModel::open);
    CHECK(spec.load.rate_per_s == 100.0);
    CHECK(spec.http.connections == 64);
    CHECK(spec.http.max_pending == 100);  // one second of arrivals
    CHECK(spec.http.timeout == std::chrono::seconds(5));
    CHECK(spec.http.max_header_bytes == 64 * 1024);
    CHECK(spec.http.max_body_bytes == 16u * 1024 * 1024);
    CHECK(spec.threads == 1);
    CHECK(spec.interval == std::chrono::seconds(1));
}

TEST_CASE("closed-model connections default to the VUs") {
    RunOptions o;
    o.url = "http://127.0.0.1:8080/";
    o.vus = 10;
    o.requests = 1000;
    RunSpec spec;
    REQUIRE(faultline::build_run_spec(o, spec).empty());
    CHECK(spec.load.model == faultline::LoadModel::closed);
    CHECK(spec.http.connections == 10);
    CHECK(*spec.load.requests == 1000);
}

TEST_CASE("every bad flag is reported, each naming its flag") {
    RunOptions o;
    o.url = "ftp://x";
    o.rate = "0/s";
    o.vus = 3;
    o.timeout = "5";
    o.interval = "0";
    o.threads = 0;
    o.max_header = "12parsecs";
    o.max_body = "-1";
    o.headers = {"NoColon", "X-Ok: fine", "Bad Name: v"};
    o.method = "GE T";
    o.json_path = "/nonexistent-dir/r.json";
    const auto errors = errors_of(o);
    auto has = [&](std::string_view needle) {
        return std::any_of(errors.begin(), errors.end(), [&](const std::string& e) { return e.find(needle) != std::string::npos; });
    };
    CHECK(has("--url"));
    CHECK(has("exactly one of --rate"));
    CHECK(has("--rate"));
    CHECK(has("give --duration, --requests or both"));
    CHECK(has("--timeout"));
    CHECK(has("--interval"));
    CHECK(has("--threads"));
    CHECK(has("--max-header"));
    CHECK(has("--max-body"));
    CHECK(has("-H 'NoColon'"));
    CHECK(has("-H 'Bad Name: v'"));
    CHECK(has("--method"));
    CHECK(has("--json"));
    CHECK_FALSE(has("X-Ok"));
}

TEST_CASE("a closed model cannot share connections between VUs") {
    RunOptions o;
    o.url = "http://127.0.0.1:1/";
    o.vus = 4;
    o.connections = 2;
    o.duration = "1s";
    REQUIRE(errors_of(o).size() == 1);
    CHECK_THAT(errors_of(o)[0], Catch::Contains("--connections"));
}

TEST_CASE("more threads than connections is refused") {
    auto o = valid_open();
    o.connections = 2;
    o.threads = 3;
    REQUIRE(errors_of(o).size() == 1);
    CHECK_THAT(errors_of(o)[0], Catch::Contains("--threads"));
}
