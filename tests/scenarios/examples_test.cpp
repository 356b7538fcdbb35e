// Every examples/*.yaml must load cleanly with TARGET pointing at a demo target (and the
// failover rehearsal's ports and program given, as scripts/demo.sh gives them).
#include <catch2/catch.hpp>

#include "scenarios/loader.hpp"
#include "tests/support/paths.hpp"

using namespace faultline;

TEST_CASE("every example scenario loads without diagnostics", "[loader][examples]") {
    int count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(test::source_dir() / "examples")) {
        if (entry.path().extension() != ".yaml") continue;
        ++count;
        LoadOptions options;
        options.use_process_env = false;
        options.env = {{"TARGET", "http://127.0.0.1:18080"},
                       {"FRONTEND_PORT", "18080"},
                       {"BACKEND_PORT", "18081"},
                       {"DEMO_TARGET", "/usr/local/bin/faultline-demo-target"}};
        const auto r = load_scenario_file(entry.path(), options);
        INFO(entry.path().string());
        for (const auto& d : r.diagnostics) UNSCOPED_INFO(format(d));
        CHECK(r.ok());
        if (r.ok()) CHECK(r.scenario->target.literal_text() == "http://127.0.0.1:18080");
    }
    CHECK(count >= 4);
}

TEST_CASE("the ab -n 1000 -c 10 example is a closed model of 10 VUs and 1000 iterations", "[loader][examples]") {
    LoadOptions options;
    options.env = {{"TARGET", "http://127.0.0.1:18080"}};
    const auto r = load_scenario_file(test::source_dir() / "examples/ab_closed.yaml", options);
    REQUIRE(r.ok());
    CHECK(r.scenario->load.model == LoadModel::closed);
    CHECK(r.scenario->load.stages.at(0).vus == 10);
    CHECK(r.scenario->load.iterations == 1000u);
    CHECK(r.scenario->http.connections == 10);
    CHECK_FALSE(r.scenario->keep_alive);
}
