// The demo target's JSON API used by the scenario examples: pure handlers, then over a socket.
#include "examples/demo_target/api_routes.hpp"

#include "tests/examples/demo_target_fixture.hpp"

using namespace faultline::demo;
using namespace faultline::test::examples;

TEST_CASE("plan_route maps the API paths", "[demo_target]") {
    CHECK(plan_route("/login").kind == RouteKind::login);
    CHECK(plan_route("/cart?x=1").kind == RouteKind::cart);
    CHECK(plan_route("/items?page=2").kind == RouteKind::items);
    CHECK(plan_route("/items/1").kind == RouteKind::ok);
}

TEST_CASE("POST /login returns a token and a session cookie", "[demo_target]") {
    const auto ok = login_response("POST", R"({"user":"alice"})");
    CHECK(ok.status == 200);
    CHECK(boost::json::parse(ok.body).at("token") == "tok-alice");
    REQUIRE(ok.headers.size() == 1);
    CHECK(ok.headers[0].first == "Set-Cookie");
    CHECK(ok.headers[0].second == "session=sess-alice; Path=/");
    CHECK(login_response("POST", R"({"user":"a b;c"})").headers[0].second == "session=sess-a_b_c; Path=/");
    for (const char* bad : {"", "not json", "[]", "{}", R"({"user":""})", R"({"user":5})", R"({"name":"x"})"}) {
        INFO(bad);
        const auto r = login_response("POST", bad);
        CHECK(r.status == 400);
        CHECK(boost::json::parse(r.body).at("error").is_string());
    }
    const auto get = login_response("GET", "");
    CHECK(get.status == 405);
    CHECK(get.headers.at(0).second == "POST");
}

TEST_CASE("GET /cart needs a bearer token from /login", "[demo_target]") {
    const auto ok = cart_response("GET", "Bearer tok-alice");
    CHECK(ok.status == 200);
    const auto doc = boost::json::parse(ok.body);
    CHECK(doc.at("user") == "alice");
    CHECK(doc.at("items").at(0).at("name") == "apple");
    CHECK(doc.at("items").at(0).at("id") == 1);
    for (const char* bad : {"", "Bearer", "Bearer tok-", "Bearer xyz", "Basic tok-alice", "tok-alice"}) {
        INFO(bad);
        const auto r = cart_response("GET", bad);
        CHECK(r.status == 401);
        CHECK(r.headers.at(0).first == "WWW-Authenticate");
    }
    CHECK(cart_response("POST", "Bearer tok-a").status == 405);
}

TEST_CASE("GET /items lists items", "[demo_target]") {
    const auto r = items_response("GET");
    CHECK(r.status == 200);
    const auto items = boost::json::parse(r.body).at("items").as_array();
    REQUIRE(items.size() == 3);
    CHECK(items[2].at("name") == "cheese");
    CHECK(items_response("DELETE").status == 405);
}

TEST_CASE("demo target serves login, cart and items over HTTP", "[socket]") {
    DemoTarget target(quiet());
    PlainClient client(target.port());
    auto login = make_request(http::verb::post, "/login", R"({"user":"bob"})");
    login.set(http::field::content_type, "application/json");
    client.send(login);
    const auto res = client.receive();
    REQUIRE(res.result_int() == 200);
    CHECK(res[http::field::content_type] == "application/json");
    CHECK(res[http::field::set_cookie] == "session=sess-bob; Path=/");
    const std::string token(boost::json::parse(res.body()).at("token").as_string());
    CHECK(token == "tok-bob");

    auto cart = make_request(http::verb::get, "/cart");
    cart.set(http::field::authorization, "Bearer " + token);
    client.send(cart);
    const auto cart_res = client.receive();
    CHECK(cart_res.result_int() == 200);
    CHECK(cart_res.body().find("\"apple\"") != std::string::npos);

    CHECK(client.get("/cart").result_int() == 401);
    CHECK(client.get("/items").result_int() == 200);
    client.send(make_request(http::verb::post, "/login", "{}"));
    CHECK(client.receive().result_int() == 400);
}
