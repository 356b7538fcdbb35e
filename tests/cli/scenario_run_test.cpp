// `faultline run FILE.yaml` and `faultline validate` end to end, against the demo target.
#include <catch2/catch.hpp>

#include "tests/cli/run_harness.hpp"
#include "tests/support/paths.hpp"

using namespace std::chrono_literals;
using namespace faultline::test;
namespace json = boost::json;

namespace {
std::string data(const char* name) { return (source_dir() / "tests" / "data" / "runs" / name).string(); }
std::string example(const char* name) { return (source_dir() / "examples" / name).string(); }
const json::object& step(const json::object& result, std::string_view name) {
    for (const auto& s : result.at("steps").as_array())
        if (s.at("name").as_string() == name) return s.as_object();
    FAIL("no step " << name);
    throw std::logic_error("unreachable");
}
}  // namespace

TEST_CASE("the login-then-browse example extracts the token and passes every check", "[socket]") {
    DemoTarget target;
    auto r = run_faultline({example("login_browse.yaml"), "-e", "TARGET=" + target.url(), "--duration", "2s"});
    INFO(r.out << r.err);
    REQUIRE(r.status == ExitStatus::exited(0));
    for (const char* name : {"login", "cart", "items"}) {
        const auto& s = step(r.result, name);
        INFO(name);
        CHECK(num(s.at("requests")) == 40);  // 20 iterations/s for 2 s
        CHECK(num(s.at("error_rate")) == 0);
        for (const auto& c : s.at("checks").as_object()) CHECK(num(c.value()) == 0);
    }
    // /cart answers 200 only to the token that /login returned.
    CHECK(num(step(r.result, "cart").at("status_codes").at("200")) == 40);
    CHECK(num(r.result.at("requests")) == 120);
}

TEST_CASE("the ab-style closed example sends exactly 1000 requests on fresh connections", "[socket]") {
    DemoTarget target;
    auto r = run_faultline({example("ab_closed.yaml"), "-e", "TARGET=" + target.url()});
    INFO(r.out << r.err);
    REQUIRE(r.status == ExitStatus::exited(0));
    CHECK(num(r.result.at("requests")) == 1000);
    CHECK(num(r.result.at("status_codes").at("200")) == 1000);
    CHECK(r.result.at("run").at("model").as_string() == "closed");
}

TEST_CASE("the smoke and ramp examples run with a shortened duration", "[socket]") {
    DemoTarget target;
    auto smoke = run_faultline({example("smoke.yaml"), "-e", "TARGET=" + target.url(), "--duration", "2s"});
    INFO(smoke.out << smoke.err);
    CHECK(smoke.status == ExitStatus::exited(0));
    CHECK(num(smoke.result.at("requests")) == 2);
    auto ramp = run_faultline({example("ramp_open.yaml"), "-e", "TARGET=" + target.url(), "--rate", "50/s",
                               "--duration", "1s"});
    INFO(ramp.out << ramp.err);
    CHECK(ramp.status == ExitStatus::exited(0));
    CHECK(num(ramp.result.at("requests")) == 50);  // the override replaces the stages
}

TEST_CASE("ramping stages and warm-up follow the schedule exactly, warm-up apart", "[socket]") {
    DemoTarget target;
    auto r = run_faultline({data("ramp_warmup.yaml"), "-e", "TARGET=" + target.url()});
    INFO(r.out << r.err);
    REQUIRE(r.status == ExitStatus::exited(0));
    CHECK(num(r.result.at("requests")) == 155);
    REQUIRE(r.result.contains("warmup"));
    CHECK(num(r.result.at("warmup").at("requests")) == 5);
    const auto& intervals = r.result.at("intervals").as_array();
    REQUIRE(intervals.size() == 2);
    CHECK(num(intervals[0].at("requests")) == 55);
    CHECK(num(intervals[1].at("requests")) == 100);
}

TEST_CASE("expectations classify failures: check, or the status class when a 4xx/5xx is unexpected", "[socket]") {
    DemoTarget target;
    auto r = run_faultline({data("checks.yaml"), "-e", "TARGET=" + target.url()});
    INFO(r.out << r.err);
    REQUIRE(r.status == ExitStatus::exited(0));
    const auto& wrong = step(r.result, "wrong_status");
    CHECK(num(wrong.at("errors").at("check")) == 20);
    CHECK(num(wrong.at("checks").at("status")) == 20);
    CHECK(num(step(r.result, "missing_text").at("checks").at("body_contains")) == 20);
    CHECK(num(step(r.result, "not_found_expected").at("error_rate")) == 0);
    const auto& server = step(r.result, "server_error");
    CHECK(num(server.at("errors").at("http_5xx")) == 20);
    CHECK(num(server.at("errors").at("check")) == 0);
    CHECK(num(server.at("checks").at("status")) == 0);
    CHECK(num(step(r.result, "slow").at("checks").at("latency")) == 20);
    CHECK(num(r.result.at("errors").at("check")) == 60);
}

TEST_CASE("weighted flows split iterations by weight", "[socket]") {
    DemoTarget target;
    auto r = run_faultline({data("weighted.yaml"), "-e", "TARGET=" + target.url()});
    INFO(r.out << r.err);
    REQUIRE(r.status == ExitStatus::exited(0));
    const double browse = num(step(r.result, "browse_items").at("requests"));
    const double buy = num(step(r.result, "buy_login").at("requests"));
    INFO("browse " << browse << ", buy " << buy << " of 400 iterations, expected about 320 / 80");
    CHECK(browse + buy == 400);
    CHECK(buy >= 50);
    CHECK(buy <= 115);
    CHECK(num(step(r.result, "buy_cart").at("status_codes").at("200")) == buy);
}

TEST_CASE("closed-model VUs ramp up over their stage", "[socket]") {
    DemoTarget target;
    auto r = run_faultline({data("closed_ramp.yaml"), "-e", "TARGET=" + target.url(), "--interval", "500ms"});
    INFO(r.out << r.err);
    REQUIRE(r.status == ExitStatus::exited(0));
    const auto& iv = r.result.at("intervals").as_array();
    REQUIRE(iv.size() >= 4);
    // About 0.5 VU on average in the first half second, 4 in the last second (25 req/s each).
    INFO("first interval " << num(iv[0].at("requests")) << ", third " << num(iv[2].at("requests")));
    CHECK(num(iv[0].at("requests")) < num(iv[2].at("requests")));
    CHECK(num(iv[2].at("requests")) >= 30);
    CHECK(num(r.result.at("run").at("vus")) == 4);
}

TEST_CASE("a bad scenario file exits 2 with file:line:col before sending", "[socket]") {
    auto r = run_faultline({data("bad.yaml"), "-e", "TARGET=http://127.0.0.1:1"}, 20s, false);
    CHECK(r.status == ExitStatus::exited(2));
    CHECK_THAT(r.err, Catch::Contains("bad.yaml:3:"));
    CHECK_THAT(r.err, Catch::Contains("bad.yaml:5:"));
    ChildProcess validate({FAULTLINE_BIN, "validate", data("bad.yaml"), "-e", "TARGET=http://127.0.0.1:1"});
    CHECK(validate.wait(20s) == ExitStatus::exited(2));
    ChildProcess good({FAULTLINE_BIN, "validate", example("login_browse.yaml"), "-e", "TARGET=http://127.0.0.1:1"});
    CHECK(good.wait(20s) == ExitStatus::exited(0));
}

TEST_CASE("a full url: step reaches a second service", "[socket]") {
    DemoTarget a, b;
    auto r = run_faultline({data("two_hosts.yaml"), "-e", "TARGET=" + a.url(), "-e", "OTHER=" + b.url()});
    INFO(r.out << r.err);
    REQUIRE(r.status == ExitStatus::exited(0));
    CHECK(num(step(r.result, "first").at("status_codes").at("201")) == 20);
    CHECK(num(step(r.result, "second").at("status_codes").at("202")) == 20);
}

TEST_CASE("abort_on_fail ends the iteration at the failed step", "[socket]") {
    DemoTarget target;
    auto r = run_faultline({data("abort.yaml"), "-e", "TARGET=" + target.url()});
    INFO(r.out << r.err);
    REQUIRE(r.status == ExitStatus::exited(0));
    CHECK(num(step(r.result, "gate").at("errors").at("check")) == 20);
    CHECK(num(step(r.result, "after_gate").at("requests")) == 0);
}
