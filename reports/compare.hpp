#pragma once
// `faultline report compare BASE.json NEW.json [--max-regression SPEC]`: the nightly-CI gate
// (docs/reports.md, "compare"). Pure: takes two RunResults, returns rows and text.
//
// Latency limits are relative to the baseline (p99=10%: new P99 may be at most 1.1 x the
// base P99); the error-rate limit is absolute, in percentage points (error_rate=0.1pp: new
// may be at most base + 0.1 points); rps limits the relative decrease (rps=5%: new >=
// 0.95 x base). Without a spec the limits are p99=10%,error_rate=0.1pp.
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/units.hpp"
#include "reports/run_result.hpp"

namespace faultline {

// One limit of the spec. `limit` is a fraction: 0.10 for "10%", 0.001 for "0.1pp".
struct RegressionLimit {
    std::string metric;  // p50, p90, p95, p99, p999, max, mean, error_rate, rps
    double limit = 0;
};

inline constexpr std::string_view kDefaultMaxRegression = "p99=10%,error_rate=0.1pp";

// "p99=10%,error_rate=0.1pp": comma-separated metric=limit, latency and rps in %, error_rate
// in pp; a metric at most once. The error names the bad item: "--max-regression:
// 'p98=10%': unknown metric 'p98' (use p50, p90, p95, p99, p999, max, mean, error_rate, rps)".
Parsed<std::vector<RegressionLimit>> parse_max_regression(std::string_view spec);

struct CompareRow {
    std::string metric;              // "p99", "error_rate", "rps", ... or "steps.login.p99"
    std::string unit;                // "ms", "fraction", "per_s"
    double base = 0, next = 0;       // the baseline and the new value, in unit
    std::string change;              // "+12.3%", "-0.05pp", "n/a" (base 0)
    std::string limit;               // "+10%", "+0.1pp", "-5%"; "" when unchecked
    bool regressed = false;
};

struct Comparison {
    std::vector<CompareRow> rows;
    bool regressed = false;          // any row regressed
};

// Rows for every metric (p50, p90, p95, p99, p999, max, mean of the corrected latency,
// error_rate, rps), then the same for each step present in both results (by name); only
// metrics in `limits` can regress, steps by the same limits as the totals.
Comparison compare_results(const RunResult& base, const RunResult& next, const std::vector<RegressionLimit>& limits);

// A fixed-width table with a verdict line ("REGRESSION: p99 +25.0% (limit +10%)" or
// "no regression").
std::string format_comparison(const Comparison& c, std::string_view base_name, std::string_view new_name);

// {"base": name, "new": name, "regressed": bool, "rows": [{metric, unit, base, new, change,
// limit (null when unchecked), regressed}]}
boost::json::object comparison_to_json(const Comparison& c, std::string_view base_name, std::string_view new_name);

}  // namespace faultline
