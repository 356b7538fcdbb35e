// Proxy faults end to end on loopback: the embedded engine in front of the demo target, and
// the same calls against an external `faultline proxy`. Times are measured against the
// run's origin and logged next to what was expected.
#include <catch2/catch.hpp>

#include <boost/json/parse.hpp>

#include <cerrno>

#include "chaos/chaos_session.hpp"
#include "tests/chaos/support/chaos_support.hpp"

using namespace faultline;
using namespace faultline::test::chaos;
using faultline::chaos::ChaosSession;
using faultline::chaos::SetupFailure;
using Read = RawConnection::Read;

namespace {

// max(10 ms, 1%) of the offset: the accuracy the issue asks of the fault timeline.
double start_tolerance_s(double offset_s) { return std::max(0.010, offset_s / 100); }

ProxyDecl proxy(const std::string& name, std::uint16_t upstream) {
    return ProxyDecl{name, "127.0.0.1:0", "127.0.0.1:" + std::to_string(upstream), {}};
}

FaultDecl latency(std::vector<std::string> proxies, Duration at, Duration duration, int latency_ms) {
    FaultDecl f;
    f.kind = FaultDecl::Kind::toxic;
    f.proxies = std::move(proxies);
    f.at = at;
    f.duration = duration;
    f.toxic.type = "latency";
    f.toxic.attributes = {{"latency", latency_ms}, {"jitter", 0}};
    return f;
}

FaultDecl proxy_fault(FaultDecl::Kind kind, std::vector<std::string> proxies, Duration at, Duration duration) {
    FaultDecl f;
    f.kind = kind;
    f.proxies = std::move(proxies);
    f.at = at;
    f.duration = duration;
    return f;
}

// Milliseconds a GET /health through `address` takes.
double timed_get_ms(const std::string& address) {
    const auto start = SteadyClock::instance().now();
    const auto reply = http_get(address, "/health");
    INFO(reply.error);
    REQUIRE(reply.status == 200);
    return std::chrono::duration<double, std::milli>(SteadyClock::instance().now() - start).count();
}

void check_applied(const FaultWindow& w, const std::string& what) {
    REQUIRE(w.applied_start_s);
    REQUIRE(w.applied_end_s);
    log_timing(what + " applied", *w.applied_start_s * 1000, w.start_s * 1000, start_tolerance_s(w.start_s) * 1000);
    log_timing(what + " removed", *w.applied_end_s * 1000, w.end_s * 1000, start_tolerance_s(w.end_s) * 1000);
    CHECK(*w.applied_start_s >= w.start_s);
    CHECK(*w.applied_start_s - w.start_s <= start_tolerance_s(w.start_s));
    CHECK(*w.applied_end_s >= w.end_s);
    CHECK(*w.applied_end_s - w.end_s <= start_tolerance_s(w.end_s));
}

// The latency scenario both modes run: 200 ms downstream latency from 0.3 s to 0.9 s.
Clock_tp run_latency_schedule(ChaosSession& session, const std::string& address) {
    const auto origin = SteadyClock::instance().now();
    session.start_faults(origin);
    const double before = timed_get_ms(address);
    CHECK(session.active_faults().empty());
    sleep_until(origin + 400ms);
    CHECK(session.active_faults() == "latency on db");
    const double during = timed_get_ms(address);
    sleep_until(origin + 1000ms);
    CHECK(session.active_faults().empty());
    const double after = timed_get_ms(address);
    log_timing("GET before the fault", before, 0, 50);
    log_timing("GET during 200 ms latency", during, 200, 30);
    log_timing("GET after the fault", after, 0, 50);
    CHECK(before < 50);
    CHECK(during >= 200);
    CHECK(during <= 230);
    CHECK(after < 50);
    check_applied(session.windows().at(0), "latency");
    return origin;
}

}  // namespace

TEST_CASE("chaos embedded: a latency toxic is applied and removed on schedule", "[socket]") {
    DemoTarget target;
    ChaosSpec spec;
    spec.proxies = {proxy("db", target.port())};
    spec.faults = {latency({"db"}, 300ms, 600ms, 200)};
    ChaosSession session(spec, make_temp_dir(), "run-", 1);
    const auto listens = session.start_proxies();
    REQUIRE(listens.size() == 1);
    CHECK(listens[0].first == "proxies.db.listen");
    CHECK(listens[0].second.starts_with("127.0.0.1:"));
    CHECK(listens[0].second != "127.0.0.1:0");
    run_latency_schedule(session, listens[0].second);
    session.shutdown();
    CHECK(session.warnings().empty());
    CHECK(RawConnection::connect_error(listens[0].second) == ECONNREFUSED);  // the proxy is gone
}

TEST_CASE("chaos embedded: a partition holds a live connection, then closes it when it ends", "[socket]") {
    DemoTarget target;
    ChaosSpec spec;
    spec.proxies = {proxy("db", target.port())};
    spec.faults = {proxy_fault(FaultDecl::Kind::partition, {"db"}, 200ms, 500ms)};
    ChaosSession session(spec, make_temp_dir(), "", 1);
    const auto address = session.start_proxies().at(0).second;
    RawConnection held(address);
    held.send_get("/health");
    REQUIRE(held.read_response(2s) == Read::response);  // keep-alive: works before

    const auto origin = SteadyClock::instance().now();
    session.start_faults(origin);
    sleep_until(origin + 300ms);
    CHECK(session.active_faults() == "partition on db");
    held.send_get("/health");
    // Dropped while the partition lasts: no reply, and the connection is not closed...
    CHECK(held.read_response(300ms) == Read::timeout);
    // ...until the partition ends (0.7 s), which closes it.
    CHECK(held.wait_closed(1s) == Read::closed);
    const double closed_at = since(origin);
    log_timing("partition: held connection closed", closed_at * 1000, 700, 30);
    CHECK(closed_at >= 0.7);
    CHECK(closed_at <= 0.73);
    CHECK(timed_get_ms(address) < 50);  // a new connection works again
    check_applied(session.windows().at(0), "partition");
}

TEST_CASE("chaos embedded: disabled closes connections and refuses new ones until it ends", "[socket]") {
    DemoTarget target;
    ChaosSpec spec;
    spec.proxies = {proxy("db", target.port())};
    spec.faults = {proxy_fault(FaultDecl::Kind::disabled, {"db"}, 200ms, 300ms)};
    ChaosSession session(spec, make_temp_dir(), "", 1);
    const auto address = session.start_proxies().at(0).second;
    RawConnection live(address);
    live.send_get("/health");
    REQUIRE(live.read_response(2s) == Read::response);

    const auto origin = SteadyClock::instance().now();
    session.start_faults(origin);
    CHECK(live.wait_closed(1s) == Read::closed);
    const double closed_at = since(origin);
    log_timing("disabled: live connection closed", closed_at * 1000, 200, 30);
    CHECK(closed_at >= 0.2);
    CHECK(closed_at <= 0.23);
    sleep_until(origin + 300ms);
    CHECK(RawConnection::connect_error(address) == ECONNREFUSED);
    sleep_until(origin + 550ms);
    CHECK(timed_get_ms(address) < 50);  // enabled again on the same port
    check_applied(session.windows().at(0), "disabled");
}

TEST_CASE("chaos embedded: an API error while applying a fault is a warning, not a crash", "[socket]") {
    DemoTarget target;
    ChaosSpec spec;
    spec.proxies = {proxy("db", target.port())};
    auto bogus = latency({"db"}, 50ms, 100ms, 0);
    bogus.toxic.type = "no_such_toxic";
    spec.faults = {bogus, latency({"db"}, 50ms, 100ms, 100)};
    ChaosSession session(spec, make_temp_dir(), "", 1);
    session.start_proxies();
    const auto origin = SteadyClock::instance().now();
    session.start_faults(origin);
    sleep_until(origin + 100ms);
    CHECK(session.active_faults() == "latency on db");
    sleep_until(origin + 250ms);
    const auto windows = session.windows();
    CHECK_FALSE(windows.at(0).applied_start_s);  // never started
    CHECK(windows.at(1).applied_end_s);
    const auto warnings = session.warnings();
    REQUIRE(warnings.size() == 1);
    CHECK_THAT(warnings[0], Catch::Contains("fault 1 (no_such_toxic on db at 0.05s)") &&
                                Catch::Contains("HTTP 400: invalid toxic type"));
}

TEST_CASE("chaos embedded: faults are removed when the run stops early, and a fault naming an unknown proxy fails setup",
          "[socket]") {
    DemoTarget target;
    ChaosSpec spec;
    spec.proxies = {proxy("db", target.port())};
    spec.faults = {latency({"db"}, 0ms, 60s, 300)};
    ChaosSession session(spec, make_temp_dir(), "", 1);
    const auto address = session.start_proxies().at(0).second;
    const auto origin = SteadyClock::instance().now();
    session.start_faults(origin);
    sleep_until(origin + 50ms);
    CHECK(session.active_faults() == "latency on db");
    session.remove_faults();  // e.g. Ctrl-C: the 60 s fault ends now
    session.remove_faults();  // idempotent
    CHECK(session.active_faults().empty());
    CHECK(timed_get_ms(address) < 50);
    const auto w = session.windows().at(0);
    REQUIRE(w.applied_end_s);
    CHECK(*w.applied_end_s < 1);

    ChaosSpec missing;
    missing.proxies = {proxy("db", target.port())};
    missing.faults = {latency({"cache"}, 1s, 1s, 10)};
    ChaosSession failing(missing, make_temp_dir(), "", 1);
    CHECK_THROWS_WITH(failing.start_proxies(),
                      Catch::Contains("proxy cache is not in `proxies:` and does not exist on embedded proxy"));
}

TEST_CASE("chaos external: the same calls against `faultline proxy`, and only our proxies and toxics are removed",
          "[socket]") {
    DemoTarget target;
    ProxyServer server;
    // A proxy somebody else made: faults may use it, faultline must leave it as it found it.
    REQUIRE(http_call(server.port(), "POST", "/proxies",
                      R"({"name":"theirs","listen":"127.0.0.1:0","upstream":"127.0.0.1:)" +
                          std::to_string(target.port()) + R"("})")
                .status == 201);
    ChaosSpec spec;
    spec.toxiproxy_url = server.url();
    spec.proxies = {proxy("db", target.port())};
    spec.faults = {latency({"db"}, 300ms, 600ms, 200), latency({"theirs"}, 1100ms, 60s, 50)};
    {
        ChaosSession session(spec, make_temp_dir(), "", 1);
        const auto listens = session.start_proxies();
        REQUIRE(listens.size() == 1);
        const auto db = boost::json::parse(http_call(server.port(), "GET", "/proxies/db").body).as_object();
        CHECK(db.at("listen").as_string() == listens[0].second);
        const auto origin = run_latency_schedule(session, listens[0].second);
        sleep_until(origin + 1200ms);
        CHECK(session.active_faults() == "latency on theirs");
        CHECK(http_call(server.port(), "GET", "/proxies/theirs/toxics").body.find("faultline_1_latency_downstream") !=
              std::string::npos);
        session.shutdown();
        CHECK(session.warnings().empty());
    }
    const auto after = boost::json::parse(http_call(server.port(), "GET", "/proxies").body).as_object();
    CHECK(after.size() == 1);
    REQUIRE(after.contains("theirs"));
    CHECK(after.at("theirs").as_object().at("toxics").as_array().empty());
}

TEST_CASE("chaos external: setup failures name the proxy or the URL and undo what was created", "[socket]") {
    DemoTarget target;
    ProxyServer server;
    REQUIRE(http_call(server.port(), "POST", "/proxies",
                      R"({"name":"theirs","listen":"127.0.0.1:0","upstream":"127.0.0.1:1"})")
                .status == 201);

    ChaosSpec taken;
    taken.toxiproxy_url = server.url();
    taken.proxies = {proxy("db", target.port()), proxy("theirs", target.port())};
    ChaosSession a(taken, make_temp_dir(), "", 1);
    CHECK_THROWS_WITH(a.start_proxies(), Catch::Contains("proxy theirs: a proxy with that name already exists on toxiproxy " +
                                                         server.url()));
    CHECK(http_call(server.port(), "GET", "/proxies/db").status == 404);  // ours was deleted again
    CHECK(http_call(server.port(), "GET", "/proxies/theirs").status == 200);

    ChaosSpec missing;
    missing.toxiproxy_url = server.url();
    missing.proxies = {proxy("db", target.port())};
    missing.faults = {proxy_fault(FaultDecl::Kind::partition, {"db", "cache"}, 1s, 1s)};
    ChaosSession b(missing, make_temp_dir(), "", 1);
    CHECK_THROWS_WITH(b.start_proxies(), Catch::Contains("proxy cache is not in `proxies:` and does not exist"));
    CHECK(http_call(server.port(), "GET", "/proxies/db").status == 404);

    ChaosSpec dead;
    dead.toxiproxy_url = "http://127.0.0.1:" + std::to_string(free_port());
    ChaosSession c(dead, make_temp_dir(), "", 1);
    const auto start = SteadyClock::instance().now();
    CHECK_THROWS_WITH(c.start_proxies(), Catch::Contains("cannot reach toxiproxy " + *dead.toxiproxy_url) &&
                                             Catch::Contains("Connection refused"));
    CHECK(since(start) < 3);

    ChaosSpec bad_url;
    bad_url.toxiproxy_url = "https://127.0.0.1:8474";
    ChaosSession d(bad_url, make_temp_dir(), "", 1);
    CHECK_THROWS_WITH(d.start_proxies(), Catch::Contains("only http:// is supported"));
}
