// Every route, status code and error string of the Toxiproxy API (reference sections 1.3-1.6),
// through Api::handle on a real registry (proxies bind 127.0.0.1 ephemeral ports).
#include <boost/asio/io_context.hpp>
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include "faults/api.hpp"

using faultline::faults::Api;
using faultline::faults::ApiReply;
using faultline::faults::ApiRequest;
namespace json = boost::json;

namespace {

struct ApiFixture {
    boost::asio::io_context io;
    faultline::faults::ProxyRegistry registry{io.get_executor(), faultline::faults::SteadySleepClock::instance(), 1};
    Api api{registry};

    ApiReply call(std::string_view method, std::string_view target, std::string_view body = "",
                  std::string_view agent = "curl/8") {
        auto reply = api.handle(ApiRequest{method, target, body, agent});
        io.poll();
        io.restart();
        return reply;
    }
    json::value call_json(std::string_view method, std::string_view target, std::string_view body = "") {
        auto reply = call(method, target, body);
        INFO(reply.body);
        return json::parse(reply.body);
    }
};

std::string error_body(std::string_view message, int status) {
    return "{\"error\":\"" + std::string(message) + "\",\"status\":" + std::to_string(status) + "}\n";
}

}  // namespace

TEST_CASE("proxy create, get, list, update, delete", "[socket]") {
    ApiFixture f;
    auto r = f.call("POST", "/proxies", R"({"name":"db","listen":"127.0.0.1:0","upstream":"localhost:6379"})");
    REQUIRE(r.status == 201);
    CHECK(r.content_type == "application/json");
    auto p = json::parse(r.body).as_object();
    CHECK(p["name"] == "db");
    CHECK(p["listen"].as_string() != "127.0.0.1:0");  // the real port
    CHECK(p["enabled"] == true);
    CHECK(r.body.find(R"("Logger":{},"toxics":[])") != std::string::npos);
    CHECK(f.call("POST", "/proxies", R"({"name":"db","upstream":"x:1"})").body == error_body("proxy already exists", 409));
    CHECK(f.call("POST", "/proxies", R"({"upstream":"x:1"})").body == error_body("missing required field: name", 400));
    CHECK(f.call("POST", "/proxies", R"({"name":"n"})").body == error_body("missing required field: upstream", 400));
    CHECK(f.call("POST", "/proxies", "").body == error_body("bad request body: EOF", 400));
    CHECK(f.call("GET", "/proxies/db").status == 200);
    CHECK(f.call("GET", "/proxies/nope").body == error_body("proxy not found", 404));
    CHECK(f.call_json("GET", "/proxies").as_object().size() == 1);

    auto disabled = f.call_json("PATCH", "/proxies/db", R"({"enabled":false})").as_object();
    CHECK(disabled["enabled"] == false);
    auto moved = f.call_json("POST", "/proxies/db", R"({"upstream":"somehost:12345"})").as_object();
    CHECK(moved["upstream"] == "somehost:12345");
    CHECK(moved["enabled"] == false);
    CHECK(f.call("PATCH", "/proxies/db", R"({"enabled":"yes"})").status == 400);
    auto del = f.call("DELETE", "/proxies/db");
    CHECK(del.status == 204);
    CHECK(del.body.empty());
    CHECK(f.call("DELETE", "/proxies/db").status == 404);
}

TEST_CASE("proxy created disabled reports listen as given, bind errors are 500", "[socket]") {
    ApiFixture f;
    auto p = f.call_json("POST", "/proxies", R"({"name":"d","listen":"localhost:3310","upstream":"u:1","enabled":false})");
    CHECK(p.as_object()["listen"] == "localhost:3310");
    auto a = f.call_json("POST", "/proxies", R"({"name":"a","listen":"127.0.0.1:0","upstream":"u:1"})");
    const std::string taken(a.as_object()["listen"].as_string());
    auto r = f.call("POST", "/proxies", R"({"name":"b","listen":")" + taken + R"(","upstream":"u:1"})");
    CHECK(r.status == 500);
    CHECK(r.body == error_body("listen tcp " + taken + ": bind: address already in use", 500));
    CHECK(f.call("GET", "/proxies/b").status == 404);  // not added
    CHECK(f.call("POST", "/proxies", R"({"name":"c","listen":"local373","upstream":"u:1"})").body ==
          error_body("address local373: missing port in address", 500));
}

TEST_CASE("JSON leniency: case-insensitive keys, unknown keys, null, trailing bytes", "[socket]") {
    ApiFixture f;
    CHECK(f.call("POST", "/proxies", R"({"NAME":"x","Upstream":"u:1","listen":"127.0.0.1:0","extra":1,"enabled":null} trailing)").status == 201);
    auto t = f.call_json("POST", "/proxies/x/toxics", R"({"Type":"bandwidth","Attributes":{"Rate":5},"name":null})").as_object();
    CHECK(t["name"] == "bandwidth_downstream");
    CHECK(t["attributes"].as_object()["rate"] == 5);
    for (const char* bad : {R"({"latency":1.5})", R"({"latency":1e3})", R"({"latency":"100"})", R"({"latency":true})"}) {
        auto r = f.call("POST", "/proxies/x/toxics", std::string(R"({"type":"latency","name":"l","attributes":)") + bad + "}");
        CHECK(r.status == 400);
        CHECK(r.body.find("bad request body: json: cannot unmarshal") != std::string::npos);
    }
    auto neg = f.call_json("POST", "/proxies/x/toxics", R"({"type":"latency","attributes":{"latency":-5}})").as_object();
    CHECK(neg["attributes"].as_object()["latency"] == -5);
}

TEST_CASE("toxic routes and errors", "[socket]") {
    ApiFixture f;
    f.call("POST", "/proxies", R"({"name":"p","listen":"127.0.0.1:0","upstream":"u:1"})");
    auto r = f.call("POST", "/proxies/p/toxics", R"({"type":"latency","stream":"UPSTREAM","toxicity":0.2,"attributes":{"latency":10}})");
    REQUIRE(r.status == 200);  // 200, not 201
    CHECK(r.body == R"({"attributes":{"latency":10,"jitter":0},"name":"latency_UPSTREAM","type":"latency","stream":"UPSTREAM","toxicity":0.2})");
    CHECK(f.call("POST", "/proxies/p/toxics", R"({"type":"latency","stream":"UPSTREAM"})").body == error_body("toxic already exists", 409));
    CHECK(f.call("POST", "/proxies/p/toxics", R"({"type":"latency","stream":"sideways"})").body ==
          error_body("stream was invalid, can be either upstream or downstream", 400));
    CHECK(f.call("POST", "/proxies/p/toxics", R"({"type":"down"})").body == error_body("invalid toxic type", 400));
    CHECK(f.call("POST", "/proxies/nope/toxics", R"({"type":"latency"})").body == error_body("proxy not found", 404));
    CHECK(f.call("POST", "/proxies/p/toxics", R"({"type":"noop","toxicity":2.5})").status == 200);
    CHECK(f.call("POST", "/proxies/p/toxics", R"({"type":"slicer"})").status == 400);  // average_size 0
    CHECK(f.call("POST", "/proxies/p/toxics", R"({"type":"bandwidth","attributes":{"rate":-1}})").status == 400);

    auto list = f.call_json("GET", "/proxies/p/toxics").as_array();
    REQUIRE(list.size() == 2);
    CHECK(list[0].as_object()["stream"] == "UPSTREAM");  // upstream first
    auto updated = f.call_json("PATCH", "/proxies/p/toxics/latency_UPSTREAM", R"({"attributes":{"jitter":3},"name":"ignored"})").as_object();
    CHECK(updated["attributes"].as_object()["latency"] == 10);
    CHECK(updated["attributes"].as_object()["jitter"] == 3);
    CHECK(updated["toxicity"].as_double() == Approx(0.2));
    CHECK(f.call("POST", "/proxies/p/toxics/latency_UPSTREAM", R"({"toxicity":1})").body.find(R"("toxicity":1})") != std::string::npos);
    CHECK(f.call("GET", "/proxies/p/toxics/none").body == error_body("toxic not found", 404));
    CHECK(f.call("DELETE", "/proxies/p/toxics/latency_UPSTREAM").status == 204);
    CHECK(f.call("DELETE", "/proxies/p/toxics/latency_UPSTREAM").status == 404);
}

TEST_CASE("populate, reset, version, metrics, router errors", "[socket]") {
    ApiFixture f;
    auto r = f.call("POST", "/populate", R"([{"name":"a","listen":"127.0.0.1:0","upstream":"u:1"},{"listen":"x"}])");
    CHECK(r.status == 400);
    CHECK(r.body.find("missing required field: name at proxy 2") != std::string::npos);
    CHECK(f.call_json("GET", "/proxies").as_object().empty());  // nothing applied
    auto ok = f.call("POST", "/populate",
                     R"([{"name":"a","listen":"127.0.0.1:0","upstream":"u:1","toxics":[{"type":"latency","attributes":{"latency":5}}]}])");
    CHECK(ok.status == 201);
    CHECK(f.call_json("GET", "/proxies/a/toxics").as_array().size() == 1);  // toxics applied (section 8)
    CHECK(f.call("POST", "/populate", "[]").body == R"({"proxies":[]})");
    auto reset = f.call("POST", "/reset");
    CHECK(reset.status == 204);
    CHECK(reset.body.empty());
    CHECK(f.call_json("GET", "/proxies/a/toxics").as_array().empty());

    auto v = f.call("GET", "/version");
    CHECK(v.body == "{\"version\": \"2.12.0\"}\n");
    CHECK(v.content_type == "application/json;charset=utf-8");
    auto m = f.call("GET", "/metrics");
    CHECK(m.status == 200);
    CHECK(m.body.find("toxiproxy_proxy_sent_bytes_total{direction=\"downstream\",listener=") != std::string::npos);
    CHECK(m.body.find("faultline_proxy_connections_active{proxy=\"a\"} 0") != std::string::npos);

    CHECK(f.call("GET", "/nothing").body == "404 page not found\n");
    CHECK(f.call("GET", "/proxies/").status == 404);
    CHECK(f.call("PUT", "/proxies").status == 405);
    CHECK(f.call("HEAD", "/version").status == 405);
    CHECK(f.call("GET", "/reset").status == 405);
    auto browser = f.call("GET", "/proxies", "", "Mozilla/5.0");
    CHECK(browser.status == 403);
    CHECK(browser.body == "User agent not allowed\n");
}
