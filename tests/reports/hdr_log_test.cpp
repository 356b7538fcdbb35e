#include "reports/hdr_log.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <sstream>
#include <string>
#include <vector>

#include "reports/hdr_codec.hpp"
#include "tests/reports/report_sample.hpp"

namespace {

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

std::vector<std::string> split(const std::string& line, char sep) {
    std::vector<std::string> out;
    std::string field;
    std::istringstream in(line);
    while (std::getline(in, field, sep)) out.push_back(field);
    return out;
}

}  // namespace

TEST_CASE("hdr log: standard header lines, then one untagged and one tagged line per step per interval") {
    const auto r = faultline::test::make_sample_result({.intervals = 3});
    const auto lines = lines_of(faultline::render_hdr_log(r));
    REQUIRE(lines.size() == 5 + 3 * 3);
    CHECK(lines[0].rfind("#[Logged with faultline ", 0) == 0);
    CHECK(lines[1] == "#[Histogram log format version 1.3]");
    CHECK(lines[2] == "#[StartTime: 1700000000.123 (seconds since epoch), Tue Nov 14 22:13:20 UTC 2023]");
    CHECK(lines[3] == "#[BaseTime: 1700000000.123 (seconds since epoch)]");
    CHECK(lines[4] == "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"");
    CHECK(lines[5].rfind("0.000,1.000,", 0) == 0);
    CHECK(lines[6].rfind("Tag=login,0.000,1.000,", 0) == 0);
    CHECK(lines[7].rfind("Tag=get_item__page_2,0.000,1.000,", 0) == 0);
    CHECK(lines[8].rfind("1.000,1.000,", 0) == 0);
    CHECK(lines[13].rfind("Tag=get_item__page_2,2.000,1.000,", 0) == 0);
}

TEST_CASE("hdr log: each line's histogram and max (in ms) are the interval's") {
    const auto r = faultline::test::make_sample_result({.intervals = 12});
    const auto lines = lines_of(faultline::render_hdr_log(r));
    REQUIRE(lines.size() == 5 + 12 * 3);
    for (std::size_t n = 0; n < 12; ++n) {
        for (std::size_t k = 0; k < 3; ++k) {
            const auto& line = lines[5 + n * 3 + k];
            auto fields = split(line, ',');
            if (k > 0) fields.erase(fields.begin());
            REQUIRE(fields.size() == 4);
            const auto& expected = k == 0 ? r.intervals[n] : r.steps[k - 1].stats.intervals[n];
            CHECK(fields[3] == expected.hdr);
            const auto h = faultline::decode_compressed_base64(fields[3]);
            CHECK(fields[2] == fmt::format("{:.3f}", static_cast<double>(h.max()) / 1000.0));
            CHECK(std::stod(fields[2]) == Approx(expected.max_ms).margin(0.0005));
        }
    }
}

TEST_CASE("hdr log: empty intervals get an empty histogram, an empty run only the header") {
    faultline::RunResult r;
    r.intervals.resize(2);
    r.intervals[1].t_s = 1;
    auto lines = lines_of(faultline::render_hdr_log(r));
    REQUIRE(lines.size() == 7);
    CHECK(lines[2] == "#[StartTime: 0.000 (seconds since epoch), Thu Jan 01 00:00:00 UTC 1970]");
    const auto fields = split(lines[6], ',');
    REQUIRE(fields.size() == 4);
    CHECK(fields[0] == "1.000");
    CHECK(fields[2] == "0.000");
    CHECK(faultline::decode_compressed_base64(fields[3]).total_count() == 0);
    r.intervals.clear();
    CHECK(lines_of(faultline::render_hdr_log(r)).size() == 5);
}

TEST_CASE("hdr log: step names become tags without commas or whitespace") {
    CHECK(faultline::hdr_log_tag("login") == "login");
    CHECK(faultline::hdr_log_tag("get item, page 2") == "get_item__page_2");
    CHECK(faultline::hdr_log_tag("a\tb\nc\x7f") == "a_b_c_");
    CHECK(faultline::hdr_log_tag("") == "_");
    CHECK(faultline::hdr_log_tag("caf\xC3\xA9") == "caf\xC3\xA9");
}

TEST_CASE("hdr log: the interval length is the run's interval") {
    auto r = faultline::test::make_sample_result({.intervals = 2});
    r.info.interval = std::chrono::milliseconds(250);
    for (auto& i : r.intervals) i.t_s *= 0.25;
    for (auto& s : r.steps)
        for (auto& i : s.stats.intervals) i.t_s *= 0.25;
    const auto lines = lines_of(faultline::render_hdr_log(r));
    REQUIRE(lines.size() == 11);
    CHECK(lines[8].rfind("0.250,0.250,", 0) == 0);
    CHECK(lines[9].rfind("Tag=login,0.250,0.250,", 0) == 0);
}
