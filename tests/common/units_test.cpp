#include "common/units.hpp"

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using faultline::parse_duration;
using faultline::parse_rate;
using faultline::parse_size;

TEST_CASE("durations parse with every unit") {
    CHECK(*parse_duration("250ms") == 250ms);
    CHECK(*parse_duration("1.5s") == 1500ms);
    CHECK(*parse_duration("2m") == 120s);
    CHECK(*parse_duration("1h") == 3600s);
    CHECK(*parse_duration("500us") == 500us);
    CHECK(*parse_duration("7ns") == 7ns);
    CHECK(*parse_duration(" 5s ") == 5s);
    CHECK(*parse_duration("0") == 0s);
}

TEST_CASE("bad durations say why") {
    for (const char* bad : {"", "5", "s", "-1s", "5x", "1e3s", "five seconds", "..s"}) {
        INFO(bad);
        auto r = parse_duration(bad);
        CHECK_FALSE(r);
        CHECK_THAT(r.error, Catch::Contains("is not a duration"));
    }
}

TEST_CASE("sizes parse decimal and binary units") {
    CHECK(*parse_size("64KiB") == 65536);
    CHECK(*parse_size("16MiB") == 16u * 1024 * 1024);
    CHECK(*parse_size("1MB") == 1000000);
    CHECK(*parse_size("1kb") == 1000);
    CHECK(*parse_size("100") == 100);
    CHECK(*parse_size("2k") == 2048);
    CHECK(*parse_size("0.5KiB") == 512);
    CHECK_FALSE(parse_size("1.3B"));
    CHECK_FALSE(parse_size("10 parsecs"));
    CHECK_FALSE(parse_size("-5"));
}

TEST_CASE("rates are per second") {
    CHECK(*parse_rate("100/s") == 100.0);
    CHECK(*parse_rate("600/m") == 10.0);
    CHECK(*parse_rate("3600/h") == 1.0);
    CHECK(*parse_rate("250") == 250.0);
    CHECK_FALSE(parse_rate("0/s"));
    CHECK_FALSE(parse_rate("10/d"));
    CHECK_FALSE(parse_rate("fast"));
}

TEST_CASE("durations format back the way users write them") {
    CHECK(faultline::format_duration(250ms) == "250ms");
    CHECK(faultline::format_duration(2s) == "2s");
    CHECK(faultline::format_duration(120s) == "2m");
    CHECK(faultline::format_duration(1500ms) == "1500ms");
    CHECK(faultline::format_duration(0s) == "0s");
}
