// The API calls each fault kind is made of, byte for byte, and the small helpers around them.
#include <catch2/catch.hpp>

#include "chaos/fault_calls.hpp"

using faultline::FaultDecl;
using namespace faultline::chaos;

namespace {

FaultDecl latency_fault() {
    FaultDecl f;
    f.kind = FaultDecl::Kind::toxic;
    f.proxies = {"db", "cache"};
    f.toxic.type = "latency";
    f.toxic.stream = "downstream";
    f.toxic.attributes = {{"latency", 100}, {"jitter", 10}};
    return f;
}

}  // namespace

TEST_CASE("chaos calls: a toxic fault adds one named toxic per proxy and deletes it to revert") {
    const auto changes = proxy_changes(latency_fault(), 2);
    REQUIRE(changes.size() == 2);
    CHECK(changes[0].proxy == "db");
    CHECK(changes[0].apply == ApiCall{"POST", "/proxies/db/toxics",
                                      R"({"name":"faultline_2_latency_downstream","type":"latency","stream":"downstream",)"
                                      R"("toxicity":1,"attributes":{"latency":100,"jitter":10}})"});
    CHECK(changes[0].revert == ApiCall{"DELETE", "/proxies/db/toxics/faultline_2_latency_downstream", ""});
    CHECK(changes[1].apply.path == "/proxies/cache/toxics");
    CHECK(changes[1].revert == ApiCall{"DELETE", "/proxies/cache/toxics/faultline_2_latency_downstream", ""});
}

TEST_CASE("chaos calls: a toxic keeps its declared name, stream and fractional toxicity") {
    auto f = latency_fault();
    f.proxies = {"db"};
    f.toxic.name = "slow db";
    f.toxic.stream = "upstream";
    f.toxic.toxicity = 0.5;
    f.toxic.type = "bandwidth";
    f.toxic.attributes = {{"rate", 100}};
    const auto changes = proxy_changes(f, 0);
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].apply.body ==
          R"({"name":"slow db","type":"bandwidth","stream":"upstream","toxicity":5E-1,"attributes":{"rate":100}})");
    CHECK(changes[0].revert.path == "/proxies/db/toxics/slow%20db");
}

TEST_CASE("chaos calls: a partition is a timeout 0 toxic on both streams of each proxy") {
    FaultDecl f;
    f.kind = FaultDecl::Kind::partition;
    f.proxies = {"db", "cache"};
    const auto changes = proxy_changes(f, 1);
    REQUIRE(changes.size() == 4);
    CHECK(changes[0].apply == ApiCall{"POST", "/proxies/db/toxics",
                                      R"({"name":"faultline_1_partition_upstream","type":"timeout","stream":"upstream",)"
                                      R"("toxicity":1,"attributes":{"timeout":0}})"});
    CHECK(changes[0].revert == ApiCall{"DELETE", "/proxies/db/toxics/faultline_1_partition_upstream", ""});
    CHECK(changes[1].apply.body ==
          R"({"name":"faultline_1_partition_downstream","type":"timeout","stream":"downstream",)"
          R"("toxicity":1,"attributes":{"timeout":0}})");
    CHECK(changes[1].revert.path == "/proxies/db/toxics/faultline_1_partition_downstream");
    CHECK(changes[2].proxy == "cache");
    CHECK(changes[3].revert.path == "/proxies/cache/toxics/faultline_1_partition_downstream");
}

TEST_CASE("chaos calls: disabled turns the proxy off and on again") {
    FaultDecl f;
    f.kind = FaultDecl::Kind::disabled;
    f.proxies = {"db"};
    const auto changes = proxy_changes(f, 0);
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].apply == ApiCall{"POST", "/proxies/db", R"({"enabled":false})"});
    CHECK(changes[0].revert == ApiCall{"POST", "/proxies/db", R"({"enabled":true})"});
}

TEST_CASE("chaos calls: service faults make no API calls") {
    FaultDecl f;
    f.kind = FaultDecl::Kind::service;
    f.service = "api";
    f.action = faultline::ServiceAction::pause;
    CHECK(proxy_changes(f, 0).empty());
    CHECK(fault_label(f) == "pause on api");
    f.action = faultline::ServiceAction::restart;
    CHECK(fault_label(f) == "restart on api");
}

TEST_CASE("chaos calls: proxy create, get and delete calls") {
    faultline::ProxyDecl p{"db", "127.0.0.1:0", "127.0.0.1:5432", {}};
    CHECK(create_proxy_call(p) ==
          ApiCall{"POST", "/proxies", R"({"name":"db","listen":"127.0.0.1:0","upstream":"127.0.0.1:5432","enabled":true})"});
    CHECK(get_proxy_call("db") == ApiCall{"GET", "/proxies/db", ""});
    CHECK(delete_proxy_call("a/b") == ApiCall{"DELETE", "/proxies/a%2Fb", ""});
}

TEST_CASE("chaos calls: labels, reverts, listen addresses and error texts") {
    CHECK(fault_label(latency_fault()) == "latency on db,cache");
    const ApiCall del{"DELETE", "/proxies/db/toxics/x", ""};
    const ApiCall enable{"POST", "/proxies/db", R"({"enabled":true})"};
    CHECK(revert_done(del, 204));
    CHECK(revert_done(del, 404));  // already gone
    CHECK_FALSE(revert_done(del, 500));
    CHECK(revert_done(enable, 200));
    CHECK_FALSE(revert_done(enable, 404));  // the proxy is gone: it was not enabled again

    CHECK(connectable_listen("127.0.0.1:41234", "10.0.0.5") == "127.0.0.1:41234");
    CHECK(connectable_listen("[::]:41234", "127.0.0.1") == "127.0.0.1:41234");
    CHECK(connectable_listen("0.0.0.0:41234", "toxiproxy") == "toxiproxy:41234");
    CHECK(connectable_listen(":41234", "127.0.0.1") == "127.0.0.1:41234");
    CHECK(connectable_listen("[::1]:41234", "127.0.0.1") == "[::1]:41234");

    CHECK(api_error_text({409, "{\"error\":\"proxy already exists\",\"status\":409}\n"}) == "proxy already exists");
    CHECK(api_error_text({502, "Bad Gateway\n"}) == "Bad Gateway");
    CHECK(api_error_text({500, ""}) == "empty reply");
}
