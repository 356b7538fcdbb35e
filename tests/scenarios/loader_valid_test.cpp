#include <catch2/catch.hpp>

#include "scenarios/loader.hpp"
#include "tests/support/paths.hpp"

using namespace faultline;
using namespace std::chrono_literals;

namespace {

std::filesystem::path valid_dir() { return test::source_dir() / "tests/data/scenarios/valid"; }

Scenario load_ok(const std::string& name, LoadOptions options = {}) {
    options.use_process_env = false;
    options.env.emplace_back("HOST", "h.test");
    auto r = load_scenario_file(valid_dir() / name, options);
    for (const auto& d : r.diagnostics) UNSCOPED_INFO(format(d));
    REQUIRE(r.ok());
    return std::move(*r.scenario);
}

std::string render(const Template& t, const RenderContext& ctx = {}) {
    std::string out;
    t.render(out, ctx);
    return out;
}

const HttpStep& http_step(const Flow& f, std::size_t i) { return std::get<HttpStep>(f.steps.at(i)); }

}  // namespace

TEST_CASE("full.yaml: settings, load and data", "[loader]") {
    const auto s = load_ok("full.yaml");
    CHECK(s.name == "checkout");
    REQUIRE(s.target.is_literal());
    CHECK(s.target.literal_text() == "http://h.test:8080");
    CHECK(s.http.insecure);
    CHECK(s.http.connections == 16);
    CHECK(s.http.timeout == 2s);
    CHECK(s.connect_timeout == 2s);  // 3s capped at the timeout
    CHECK_FALSE(s.keep_alive);
    CHECK(s.http.max_header_bytes == 8192);
    CHECK(s.http.max_body_bytes == 1u << 20);
    CHECK(s.http.max_pending == 251);  // one second of the highest rate, rounded up

    CHECK(s.load.model == LoadModel::open);
    CHECK(s.load.warmup == 5s);
    CHECK(s.load.start_rate_per_s == 10);
    REQUIRE(s.load.stages.size() == 2);
    CHECK(s.load.stages[0].duration == 30s);
    CHECK(s.load.stages[0].rate_per_s == 100);
    CHECK(s.load.stages[1].duration == 2min);
    CHECK(s.load.stages[1].rate_per_s == 250.5);

    REQUIRE(s.data.size() == 1);
    CHECK(s.data[0].name == "users");
    CHECK(s.data[0].random_order);
    CHECK(s.data[0].columns == std::vector<std::string>{"name", "password"});
    CHECK(s.data[0].rows[1] == std::vector<std::string>{"bob \"the builder\"", "secret"});
    CHECK(s.slot_names == std::vector<std::string>{"token", "session", "first"});
}

TEST_CASE("full.yaml: steps, templates, checks and extractions", "[loader]") {
    const auto s = load_ok("full.yaml");
    REQUIRE(s.flows.size() == 1);
    const Flow& f = s.flows[0];
    CHECK(f.name == "checkout");
    REQUIRE(f.steps.size() == 5);

    const auto& login = http_step(f, 0);
    CHECK(login.name == "login");
    CHECK(login.method == "POST");
    CHECK_FALSE(login.full_url);
    CHECK(login.url.literal_text() == "/v1/login");
    REQUIRE(login.headers.size() == 1);
    CHECK(login.headers[0].first == "Content-Type");
    CHECK(login.headers[0].second.literal_text() == "application/json");
    const std::vector<std::string> row{"al\"ice", "pw"};
    const std::vector<const std::vector<std::string>*> rows{&row};
    RenderContext ctx;
    ctx.rows = rows;
    ctx.vu = 3;
    REQUIRE(login.body);
    CHECK(render(*login.body, ctx) ==
          R"({"user":"al\"ice","client":"faultline","n":3,"ok":true,"none":null,"tags":["a","3"]})");
    CHECK(login.expect.status == std::vector<int>{200});
    REQUIRE(login.expect.json.size() == 2);
    CHECK(login.expect.json[0].path.text() == "$.ok");
    CHECK(login.expect.json[0].expected == "true");
    CHECK(login.expect.json[1].expected == "\"alice\"");
    REQUIRE(login.extract.size() == 2);
    CHECK(login.extract[0].slot == 0);
    CHECK(login.extract[0].from == Extraction::From::json);
    CHECK(login.extract[1].slot == 1);
    CHECK(login.extract[1].header == "set-cookie");
    CHECK(login.abort_on_fail);
    CHECK(login.needs_body());

    const auto& think = std::get<ThinkStep>(f.steps[1]);
    CHECK(think.min == 100ms);
    CHECK(think.max == 500ms);

    const auto& cart = http_step(f, 2);
    CHECK(cart.name == "GET {{api}}/cart");  // the default name shows the path as written
    const std::vector<std::string> slots{"tok", "sess", ""};
    ctx.slots = slots;
    ctx.iteration = 9;
    CHECK(render(cart.headers[0].second, ctx) == "Bearer tok");
    CHECK(render(cart.headers[1].second, ctx) == "faultline-9");
    CHECK(cart.expect.status == std::vector<int>{200, 304});
    CHECK(cart.expect.body_contains == "items");
    CHECK(cart.expect.latency_below == 250ms);
    CHECK(cart.extract[0].pattern == "\"id\":(\\d+)");
    CHECK(cart.extract[0].slot == 2);

    CHECK(std::get<ThinkStep>(f.steps[3]).min == 200ms);
    CHECK(std::get<ThinkStep>(f.steps[3]).max == 200ms);

    const auto& other = http_step(f, 4);
    CHECK(other.full_url);
    CHECK(other.method == "PUT");
    CHECK_FALSE(other.needs_body());
    CHECK(render(*other.body, ctx).starts_with("id="));
    CHECK(render(*other.body, ctx).ends_with("&t=tok"));
}

TEST_CASE("weighted flows and the closed model", "[loader]") {
    const auto s = load_ok("weighted.yaml");
    CHECK(s.name == "weighted");  // the file's stem when no name is given
    REQUIRE(s.flows.size() == 2);
    CHECK(s.flows[0].name == "browse");
    CHECK(s.flows[0].weight == 80);
    CHECK(s.flows[1].weight == 20);
    CHECK(s.load.model == LoadModel::closed);
    REQUIRE(s.load.stages.size() == 1);
    CHECK(s.load.stages[0].vus == 5);
    CHECK(s.load.stages[0].duration == 1min);
    CHECK(s.http.connections == 5);  // one per VU
    CHECK(s.http.max_pending == 0);
    CHECK(http_step(s.flows[1], 1).headers[0].second.parts().size() == 2);
}

TEST_CASE("closed stages with iterations, model inferred from vus", "[loader]") {
    const auto s = load_ok("closed_stages.yaml");
    CHECK(s.load.model == LoadModel::closed);
    CHECK(s.load.start_vus == 0);
    CHECK(s.load.iterations == 500u);
    CHECK(s.http.connections == 20);
}

TEST_CASE("-e wins over the environment; --target replaces the file's target", "[loader]") {
    ::setenv("FAULTLINE_TEST_VAR", "from-env", 1);
    const std::string yaml = "target: http://x.test/{{env.FAULTLINE_TEST_VAR}}\nload: {rate: 1/s, duration: 1s}\n"
                             "flow: [{request: {path: /}}]\n";
    LoadOptions options;
    auto r = load_scenario_text(yaml, "t.yaml", ".", options);
    REQUIRE(r.ok());
    CHECK(r.scenario->target.literal_text() == "http://x.test/from-env");
    options.env = {{"FAULTLINE_TEST_VAR", "a"}, {"FAULTLINE_TEST_VAR", "from-flag"}};
    r = load_scenario_text(yaml, "t.yaml", ".", options);
    REQUIRE(r.ok());
    CHECK(r.scenario->target.literal_text() == "http://x.test/from-flag");
    options = {};
    options.use_process_env = false;
    CHECK_FALSE(load_scenario_text(yaml, "t.yaml", ".", options).ok());
    options.target_override = "https://other.test:9443";
    r = load_scenario_text(yaml, "t.yaml", ".", options);
    REQUIRE(r.ok());
    CHECK(r.scenario->target.literal_text() == "https://other.test:9443");
    ::unsetenv("FAULTLINE_TEST_VAR");
}

TEST_CASE("variables may use env and earlier variables", "[loader]") {
    const std::string yaml = "variables: {host: '{{env.H}}', base: 'http://{{host}}:1', api: /v2}\n"
                             "target: '{{base}}'\nload: {rate: 1/s, duration: 1s}\n"
                             "flow: [{request: {path: '{{api}}/x', headers: {Content-Type: text/plain}, "
                             "json: {a: 1}}}]\n";
    LoadOptions options;
    options.env = {{"H", "h"}};
    const auto r = load_scenario_text(yaml, "t.yaml", ".", options);
    REQUIRE(r.ok());
    CHECK(r.scenario->target.literal_text() == "http://h:1");
    const auto& step = std::get<HttpStep>(r.scenario->flows[0].steps[0]);
    CHECK(step.url.literal_text() == "/v2/x");
    REQUIRE(step.headers.size() == 1);  // a Content-Type header given by the user is kept
    CHECK(step.headers[0].second.literal_text() == "text/plain");
}

TEST_CASE("the open model's default FIFO is capped for absurd rates", "[loader]") {
    // Found by fuzz_scenario_loader: ceil(1e108) converted to size_t was undefined.
    LoadOptions options;
    options.use_process_env = false;
    const auto r = load_scenario_text("target: http://h.test\n"
                                      "load: { rate: 2555555555555555555555555555555555555555555555555555555555555555555555555555"
                                      "555555555555555555555555555555555.5/s, duration: 1s }\n"
                                      "flow: [ { request: { path: / } } ]\n",
                                      "huge.yaml", valid_dir(), options);
    for (const auto& d : r.diagnostics) UNSCOPED_INFO(format(d));
    REQUIRE(r.ok());
    CHECK(r.scenario->http.max_pending == 1'000'000);
}
