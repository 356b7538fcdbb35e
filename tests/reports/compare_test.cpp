#include "reports/compare.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using faultline::Comparison;
using faultline::RegressionLimit;
using faultline::RunResult;

namespace {

// Latencies exact in the histogram (below 2048 us): every value is `us`.
RunResult result(std::int64_t us, double error_rate, double rps) {
    RunResult r;
    r.latency.record(us, 100);
    r.error_rate = error_rate;
    r.rps = rps;
    return r;
}

std::vector<RegressionLimit> limits(std::string_view spec) {
    auto p = faultline::parse_max_regression(spec);
    REQUIRE(p);
    return *p;
}

const faultline::CompareRow& row(const Comparison& c, const std::string& metric) {
    for (const auto& r : c.rows)
        if (r.metric == metric) return r;
    FAIL("no row " << metric);
    throw;
}

}  // namespace

TEST_CASE("compare: --max-regression parses metrics and units") {
    const auto l = limits("p99=10%, error_rate=0.1pp,rps=5%,p999=25.5%");
    REQUIRE(l.size() == 4);
    CHECK(l[0].metric == "p99");
    CHECK(l[0].limit == Approx(0.10));
    CHECK(l[1].metric == "error_rate");
    CHECK(l[1].limit == Approx(0.001));
    CHECK(l[2].limit == Approx(0.05));
    CHECK(l[3].limit == Approx(0.255));
    CHECK(limits(faultline::kDefaultMaxRegression).size() == 2);
}

TEST_CASE("compare: a bad --max-regression names the bad item") {
    auto error = [](std::string_view spec) { return faultline::parse_max_regression(spec).error; };
    CHECK(error("p99=10%,p98=10%") ==
          "--max-regression: 'p98=10%': unknown metric 'p98' (use p50, p90, p95, p99, p999, max, mean, error_rate, rps)");
    CHECK(error("error_rate=0.1%") ==
          "--max-regression: 'error_rate=0.1%': '0.1%' is not percentage points (error_rate is absolute, e.g. 0.1pp)");
    CHECK(error("p99=10") == "--max-regression: 'p99=10': '10' is not a percentage (e.g. 10%)");
    CHECK(error("p99=-1%") == "--max-regression: 'p99=-1%': '-1%' is not a percentage (e.g. 10%)");
    CHECK(error("p99") == "--max-regression: 'p99': expected metric=limit, e.g. p99=10%");
    CHECK(error("p99=1%,p99=2%") == "--max-regression: 'p99=2%': 'p99' is given twice");
    CHECK(error("p99=1%,") == "--max-regression: '': expected metric=limit, e.g. p99=10%");
    CHECK(error(" ") == "--max-regression: empty (e.g. p99=10%,error_rate=0.1pp)");
}

TEST_CASE("compare: latency is relative, error rate absolute, rps a relative decrease") {
    const auto base = result(1000, 0.001, 100);
    const auto l = limits("p99=10%,error_rate=0.1pp,rps=5%");
    SECTION("at the limits: no regression") {
        const auto c = faultline::compare_results(base, result(1100, 0.002, 95), l);
        CHECK_FALSE(c.regressed);
        CHECK(row(c, "p99").change == "+10.0%");
        CHECK(row(c, "p99").limit == "+10%");
        CHECK(row(c, "error_rate").change == "+0.100pp");
        CHECK(row(c, "error_rate").limit == "+0.1pp");
        CHECK(row(c, "rps").change == "-5.0%");
        CHECK(row(c, "rps").limit == "-5%");
        CHECK(row(c, "p50").limit.empty());  // shown, not checked
    }
    SECTION("past each limit") {
        const auto c = faultline::compare_results(base, result(1101, 0.00201, 94.9), l);
        CHECK(c.regressed);
        CHECK(row(c, "p99").regressed);
        CHECK(row(c, "error_rate").regressed);
        CHECK(row(c, "rps").regressed);
        CHECK_FALSE(row(c, "p50").regressed);  // +10.1% but unchecked
    }
    SECTION("improvements never regress") {
        const auto c = faultline::compare_results(base, result(500, 0, 200), l);
        CHECK_FALSE(c.regressed);
        CHECK(row(c, "p99").change == "-50.0%");
    }
}

TEST_CASE("compare: the table, the verdict line and the JSON form") {
    auto base = result(1000, 0.001, 100);
    auto next = result(1500, 0.001, 100);
    faultline::StepResult s;
    s.name = "login";
    s.stats = result(1000, 0, 10);
    base.steps.push_back(s);
    s.stats = result(2000, 0, 10);
    next.steps.push_back(s);
    const auto c = faultline::compare_results(base, next, limits(faultline::kDefaultMaxRegression));
    CHECK(c.regressed);
    CHECK_FALSE(row(c, "steps.login.p99").regressed);  // steps are shown, not gated
    CHECK(row(c, "steps.login.p99").change == "+100.0%");
    const auto text = faultline::format_comparison(c, "base.json", "new.json");
    CHECK_THAT(text, Catch::StartsWith("base base.json\nnew  new.json\n"));
    CHECK_THAT(text, Catch::Contains("p99                                   1.000ms          1.500ms     +50.0%     +10%  REGRESSED\n"));
    CHECK_THAT(text, Catch::EndsWith("REGRESSION: p99 +50.0% (limit +10%)\n"));
    const auto j = faultline::comparison_to_json(c, "base.json", "new.json");
    CHECK(j.at("regressed").as_bool());
    const auto& first = j.at("rows").as_array().at(0).as_object();
    CHECK(first.at("metric").as_string() == "p50");
    CHECK(first.at("limit").is_null());
    CHECK(first.at("new").as_double() == 1.5);
    const auto ok = faultline::compare_results(base, base, limits(faultline::kDefaultMaxRegression));
    CHECK_THAT(faultline::format_comparison(ok, "a", "b"), Catch::EndsWith("no regression\n"));
}
