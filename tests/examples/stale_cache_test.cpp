// The frontend's stale cache, the backend's key/value API and the frontend's pure policies.
#include <catch2/catch.hpp>

#include "examples/demo_target/frontend_policy.hpp"
#include "examples/demo_target/frontend_state.hpp"
#include "examples/demo_target/kv_api.hpp"
#include "examples/demo_target/stale_cache.hpp"

using namespace faultline;
using namespace faultline::demo;
using namespace std::chrono_literals;

namespace {
const Clock_tp t0{std::chrono::seconds(7)};
}

TEST_CASE("stale cache: returns the last stored value and its age", "[demo_system]") {
    StaleCache cache(10);
    CHECK_FALSE(cache.get("a", t0));
    cache.put("a", "v1", "application/json", t0);
    cache.put("a", "v2", "text/plain", t0 + 1s);
    const auto hit = cache.get("a", t0 + 3500ms);
    REQUIRE(hit);
    CHECK(hit->body == "v2");
    CHECK(hit->content_type == "text/plain");
    CHECK(hit->age == 2500ms);
    CHECK(cache.get("a", t0)->age == 0ns);  // never negative
    cache.erase("a");
    CHECK_FALSE(cache.get("a", t0));
    CHECK(cache.size() == 0);
}

TEST_CASE("stale cache: bounded, evicting the key first stored", "[demo_system]") {
    StaleCache cache(2);
    cache.put("a", "1", "", t0);
    cache.put("b", "2", "", t0);
    cache.put("a", "1b", "", t0 + 1s);  // a refresh keeps a's place
    cache.put("c", "3", "", t0 + 2s);
    CHECK(cache.size() == 2);
    CHECK_FALSE(cache.get("a", t0 + 2s));
    CHECK(cache.get("b", t0 + 2s));
    CHECK(cache.get("c", t0 + 2s));
    cache.erase("b");
    cache.put("d", "4", "", t0 + 3s);
    CHECK(cache.get("c", t0 + 3s));
    CHECK(cache.get("d", t0 + 3s));
}

TEST_CASE("kv api: seeded reads, writes, deletes and errors", "[demo_system]") {
    KvStore store(3);
    CHECK(store.size() == 3);
    auto r = kv_answer(store, "GET", "/kv/item2?x=1", "", "");
    CHECK(r.status == 200);
    CHECK(r.body == R"({"id":2,"name":"item 2","price":114})");
    CHECK(r.content_type == "application/json");
    CHECK(kv_answer(store, "GET", "/kv/item4", "", "").status == 404);
    CHECK(kv_answer(store, "PUT", "/kv/new", "text/plain", "hello").status == 204);
    r = kv_answer(store, "GET", "/kv/new", "", "");
    CHECK(r.body == "hello");
    CHECK(r.content_type == "text/plain");
    CHECK(kv_answer(store, "PUT", "/kv/raw", "", "x").status == 204);
    CHECK(kv_answer(store, "HEAD", "/kv/raw", "", "").content_type == "application/octet-stream");
    CHECK(kv_answer(store, "DELETE", "/kv/new", "", "").status == 204);
    CHECK(kv_answer(store, "DELETE", "/kv/new", "", "").status == 404);
    r = kv_answer(store, "POST", "/kv/item1", "", "");
    CHECK(r.status == 405);
    CHECK(header_of(r, "Allow") == "GET, HEAD, PUT, DELETE");
    CHECK(kv_answer(store, "GET", "/kv/", "", "").status == 400);
    CHECK(kv_answer(store, "GET", "/kv/a%20b", "", "").status == 400);
    CHECK(kv_answer(store, "GET", "/other", "", "").status == 404);
    CHECK(kv_answer(store, "GET", "/health", "", "").body == "ok\n");
    CHECK_FALSE(faults_apply("/health?x"));
    CHECK(faults_apply("/kv/item1"));
}

TEST_CASE("frontend policy: API key in X-API-Key or a bearer token", "[demo_system]") {
    CHECK(api_key_accepted("", "", ""));
    CHECK(api_key_accepted("s3cret", "s3cret", ""));
    CHECK(api_key_accepted("s3cret", "", "Bearer s3cret"));
    CHECK_FALSE(api_key_accepted("s3cret", "", ""));
    CHECK_FALSE(api_key_accepted("s3cret", "wrong", "Bearer wrong"));
    CHECK_FALSE(api_key_accepted("s3cret", "", "Basic s3cret"));
    CHECK_FALSE(api_key_accepted("s3cret", "s3cret2", "Bearer s3cre"));
    const auto r = unauthorized_reply();
    CHECK(r.status == 401);
    CHECK(header_of(r, "WWW-Authenticate") == "Bearer");
    CHECK(header_of(rate_limited_reply(3), "Retry-After") == "3");
}

TEST_CASE("frontend policy: --backend HOST:PORT", "[demo_system]") {
    CHECK(parse_host_port("127.0.0.1:8080")->port == 8080);
    CHECK(parse_host_port("localhost:1")->host == "localhost");
    CHECK(parse_host_port("[::1]:99")->host == "::1");
    for (const char* bad : {"", "8080", ":80", "host:", "host:0", "host:70000", "host:8x", "::1:80", "[]:80"}) {
        INFO(bad);
        CHECK_FALSE(parse_host_port(bad));
    }
}

TEST_CASE("frontend policy: failure replies, stale copies first", "[demo_system]") {
    const auto breaker = failure_reply(Failure::breaker_open, std::nullopt);
    CHECK(breaker.status == 503);
    CHECK(header_of(breaker, "X-Breaker") == "open");
    CHECK(header_of(breaker, "X-Served-By") == "frontend");
    const auto bulkhead = failure_reply(Failure::bulkhead_full, std::nullopt);
    CHECK(bulkhead.status == 503);
    CHECK(header_of(bulkhead, "X-Bulkhead") == "full");
    CHECK(failure_reply(Failure::timeout, std::nullopt).status == 504);
    CHECK(failure_reply(Failure::unreachable, std::nullopt).status == 502);
    CHECK(failure_reply(Failure::backend_error, std::nullopt, 500).status == 502);
    const auto stale = failure_reply(Failure::timeout, CachedValue{"{}", "application/json", 2700ms});
    CHECK(stale.status == 200);
    CHECK(stale.body == "{}");
    CHECK(header_of(stale, "X-Served-By") == "stale-cache");
    CHECK(header_of(stale, "Age") == "2");
    CHECK(header_of(stale, "Warning") == "110 - \"Response is Stale\"");
    CHECK(header_of(stale, "X-Breaker").empty());
}

TEST_CASE("frontend state: switched-off features admit everything", "[demo_system]") {
    FrontendState state(FrontendSettings{}, t0);
    CHECK(state.admit_rate(t0).allowed);
    CHECK(state.enter_bulkhead());
    CHECK(state.acquire_breaker(t0).allowed);
    state.remember("k", "v", "text/plain", t0);
    CHECK_FALSE(state.stale_for("k", t0));
    CHECK(state.breaker_admits(t0));
    CHECK(state.stats(t0).at("breaker").as_string() == "disabled");
}

TEST_CASE("frontend state: bulkhead, breaker and stale cache when switched on", "[demo_system]") {
    FrontendSettings settings;
    settings.bulkhead = 2;
    settings.breaker = true;
    settings.breaker_failures = 2;
    settings.stale_cache = true;
    FrontendState state(settings, t0);
    CHECK(state.enter_bulkhead());
    CHECK(state.enter_bulkhead());
    CHECK_FALSE(state.enter_bulkhead());
    state.leave_bulkhead();
    CHECK(state.enter_bulkhead());
    for (int i = 0; i < 2; ++i) state.record_attempt(state.acquire_breaker(t0), false, Failure::timeout, t0);
    CHECK_FALSE(state.acquire_breaker(t0).allowed);
    CHECK_FALSE(state.breaker_admits(t0));
    state.remember("k", "v", "text/plain", t0);
    CHECK(state.stale_for("k", t0 + 1s)->body == "v");
    const auto stats = state.stats(t0);
    CHECK(stats.at("rejected_bulkhead").to_number<std::uint64_t>() == 1);
    CHECK(stats.at("rejected_breaker").to_number<std::uint64_t>() == 1);
    CHECK(stats.at("timeouts").to_number<std::uint64_t>() == 2);
    CHECK(stats.at("stale_served").to_number<std::uint64_t>() == 1);
    CHECK(stats.at("breaker").as_string() == "open");
}
