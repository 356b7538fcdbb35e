#include "reports/junit_report.hpp"

#include <ctime>
#include <fmt/format.h>
#include <iterator>
#include <optional>

#include "reports/html_report_markup.hpp"

namespace faultline {
namespace {

struct TestCase {
    std::string classname;
    std::string name;
    std::optional<std::string> failure;  // message; unset when the case passed
    std::string detail;                  // failure body text
};

// Limits named availability* and throughput* are minimums; every other limit is a maximum.
bool is_minimum(const std::string& name) {
    return name.rfind("availability", 0) == 0 || name.rfind("throughput", 0) == 0;
}

std::string with_unit(double v, const std::string& unit) {
    if (unit == "fraction") return format_percent(v);
    return format_number(v, 6) + (unit.empty() || unit == "count" ? "" : " " + unit);
}

TestCase threshold_case(const ThresholdResult& t) {
    TestCase c{"thresholds", t.name, std::nullopt, {}};
    if (t.ok) return c;
    const std::string limit = t.limit ? with_unit(*t.limit, t.unit) : std::string("none");
    if (!t.value)
        c.failure = fmt::format("no value (nothing to measure), limit {}", limit);
    else
        c.failure = fmt::format("value {} {} limit {}", with_unit(*t.value, t.unit), is_minimum(t.name) ? "<" : ">",
                                limit);
    c.detail = fmt::format("threshold {}: unit {}, {}", t.name, t.unit.empty() ? "-" : t.unit, *c.failure);
    return c;
}

TestCase step_case(const StepResult& s) {
    TestCase c{"steps", "steps." + s.name + ".checks", std::nullopt, {}};
    const std::uint64_t total = s.checks_status + s.checks_body_contains + s.checks_json + s.checks_latency;
    if (total == 0) return c;
    c.failure = fmt::format("{} failed checks: status {}, body_contains {}, json {}, latency {}", total,
                            s.checks_status, s.checks_body_contains, s.checks_json, s.checks_latency);
    c.detail = fmt::format("step {}: {} requests, {}", s.name, s.stats.requests, *c.failure);
    return c;
}

std::string iso_utc(std::int64_t unix_ms) {
    const std::time_t secs = static_cast<std::time_t>(unix_ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    return buf;
}

void append_case(std::string& out, const TestCase& c) {
    auto o = std::back_inserter(out);
    fmt::format_to(o, "    <testcase classname=\"{}\" name=\"{}\" time=\"0\"", xml_escape(c.classname),
                   xml_escape(c.name));
    if (!c.failure) {
        out += "/>\n";
        return;
    }
    fmt::format_to(o, ">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>\n",
                   xml_escape(*c.failure), xml_escape(c.classname), xml_escape(c.detail));
}

}  // namespace

std::string render_junit(const RunResult& r) {
    std::vector<TestCase> cases;
    for (const auto& t : r.thresholds) cases.push_back(threshold_case(t));
    for (const auto& s : r.steps) cases.push_back(step_case(s));
    TestCase aborted{"run", "aborted", std::nullopt, {}};
    if (r.aborted) {
        aborted.failure = "the run was aborted: " + (r.abort_reason.empty() ? std::string("no reason given") : r.abort_reason);
        aborted.detail = *aborted.failure;
    }
    cases.push_back(std::move(aborted));
    std::size_t failures = 0;
    for (const auto& c : cases) failures += c.failure ? 1 : 0;

    const std::string suite = "faultline: " + (r.info.scenario.empty() ? std::string("adhoc") : r.info.scenario);
    const std::string time = fmt::format("{:.3f}", r.duration_s);
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    auto o = std::back_inserter(out);
    fmt::format_to(o, "<testsuites name=\"faultline\" tests=\"{}\" failures=\"{}\" errors=\"0\" time=\"{}\">\n",
                   cases.size(), failures, time);
    fmt::format_to(o, "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\" time=\"{}\"",
                   xml_escape(suite), cases.size(), failures, time);
    if (r.start_unix_ms > 0) fmt::format_to(o, " timestamp=\"{}\"", iso_utc(r.start_unix_ms));
    out += ">\n    <properties>\n";
    fmt::format_to(o, "      <property name=\"url\" value=\"{}\"/>\n", xml_escape(r.info.url));
    fmt::format_to(o, "      <property name=\"interrupted\" value=\"{}\"/>\n", r.interrupted ? "true" : "false");
    out += "    </properties>\n";
    for (const auto& c : cases) append_case(out, c);
    out += "  </testsuite>\n</testsuites>\n";
    return out;
}

}  // namespace faultline
