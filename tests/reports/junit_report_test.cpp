#include "reports/junit_report.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "tests/reports/report_sample.hpp"

namespace {

std::size_t count(const std::string& haystack, const std::string& needle) {
    std::size_t n = 0;
    for (auto pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + needle.size()))
        ++n;
    return n;
}

}  // namespace

TEST_CASE("JUnit: one testcase per threshold, per step and for the abort") {
    const auto r = faultline::test::make_sample_result();
    const std::string xml = faultline::render_junit(r);
    CHECK(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites", 0) == 0);
    // 5 thresholds + 2 steps + aborted; 3 thresholds and the second step fail.
    CHECK(xml.find("<testsuites name=\"faultline\" tests=\"8\" failures=\"4\" errors=\"0\" time=\"40.000\">") !=
          std::string::npos);
    CHECK(xml.find("<testsuite name=\"faultline: checkout &lt;chaos&gt; &amp; &quot;friends&quot;\" tests=\"8\" "
                   "failures=\"4\" errors=\"0\" skipped=\"0\" time=\"40.000\" timestamp=\"2023-11-14T22:13:20\">") !=
          std::string::npos);
    CHECK(count(xml, "<testcase ") == 8);
    CHECK(count(xml, "<failure ") == 4);
    CHECK(xml.find("<testcase classname=\"thresholds\" name=\"error_rate\" time=\"0\"/>") != std::string::npos);
    CHECK(xml.find("<testcase classname=\"thresholds\" name=\"recovery_time.0\" time=\"0\"/>") != std::string::npos);
    CHECK(xml.find("<testcase classname=\"steps\" name=\"steps.login.checks\" time=\"0\"/>") != std::string::npos);
    CHECK(xml.find("<testcase classname=\"run\" name=\"aborted\" time=\"0\"/>") != std::string::npos);
    CHECK(xml.find("name=\"steps.get item, page 2.checks\" time=\"0\">\n      <failure message=\"4 failed checks: "
                   "status 1, body_contains 0, json 3, latency 0\"") != std::string::npos);
    CHECK(xml.find("<failure message=\"value 50 ms &gt; limit 5 ms\"") == std::string::npos);
    CHECK(xml.find("name=\"latency.p99\" time=\"0\">\n      <failure message=\"value ") != std::string::npos);
    CHECK(xml.find("ms &gt; limit 250 ms\" type=\"thresholds\">") != std::string::npos);
    CHECK(xml.find("<failure message=\"no value (nothing to measure), limit 5 s\"") != std::string::npos);
    CHECK(xml.find("<property name=\"url\" value=\"http://127.0.0.1:8080/api?q=&lt;x&gt;&amp;y=1\"/>") !=
          std::string::npos);
}

TEST_CASE("JUnit: minimum limits fail with <, aborted runs fail the aborted case") {
    faultline::RunResult r;
    r.thresholds = {{"throughput", 100.0, 80.5, "per_s", false}, {"availability", 0.99, 0.9, "fraction", false}};
    r.aborted = true;
    r.abort_reason = "latency.p99 > 1s for 10s";
    const std::string xml = faultline::render_junit(r);
    CHECK(xml.find("<failure message=\"value 80.5 per_s &lt; limit 100 per_s\"") != std::string::npos);
    CHECK(xml.find("<failure message=\"value 90.0% &lt; limit 99.0%\"") != std::string::npos);
    CHECK(xml.find("<failure message=\"the run was aborted: latency.p99 &gt; 1s for 10s\"") != std::string::npos);
    CHECK(xml.find("tests=\"3\" failures=\"3\"") != std::string::npos);
    CHECK(xml.find("faultline: adhoc") != std::string::npos);
    CHECK(xml.find("timestamp=") == std::string::npos);  // no start time known
}

TEST_CASE("JUnit: an empty run has only the aborted case, passing") {
    const std::string xml = faultline::render_junit(faultline::RunResult{});
    CHECK(count(xml, "<testcase ") == 1);
    CHECK(xml.find("tests=\"1\" failures=\"0\"") != std::string::npos);
}
