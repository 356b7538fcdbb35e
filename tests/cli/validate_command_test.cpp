#include "cli/validate_command.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <sstream>

#include "tests/support/paths.hpp"

using faultline::validate_command;

TEST_CASE("validate prints a summary and returns 0 for a good file", "[validate]") {
    std::ostringstream out, err;
    const auto file = (faultline::test::source_dir() / "examples/login_browse.yaml").string();
    CHECK(validate_command(file, {"TARGET=http://127.0.0.1:18080"}, out, err) == 0);
    CHECK(err.str().empty());
    CHECK(out.str().starts_with("login_browse (" + file + "): 1 flow, 4 steps (3 requests, 1 pause), data users"));
    CHECK(out.str().find("target http://127.0.0.1:18080") != std::string::npos);
}

TEST_CASE("validate prints every diagnostic and returns 2 for a bad file", "[validate]") {
    std::ostringstream out, err;
    const auto file = (faultline::test::source_dir() / "tests/data/scenarios/invalid/multiple_errors.yaml").string();
    CHECK(validate_command(file, {}, out, err) == 2);
    CHECK(out.str().empty());
    const std::string text = err.str();
    CHECK(std::count(text.begin(), text.end(), '\n') == 7);
    CHECK(text.starts_with(file + ":3:18: http.timeout: 'soon' is not a duration"));
}

TEST_CASE("validate rejects -e without NAME=VALUE", "[validate]") {
    std::ostringstream out, err;
    CHECK(validate_command("unused.yaml", {"TARGET"}, out, err) == 2);
    CHECK(err.str() == "-e: 'TARGET' is not NAME=VALUE\n");
}
