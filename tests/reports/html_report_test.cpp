#include "reports/html_report.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "reports/html_report_markup.hpp"
#include "reports/svg_chart.hpp"
#include "tests/reports/report_sample.hpp"

using faultline::render_html_report;

namespace {

std::size_t count(const std::string& haystack, const std::string& needle) {
    std::size_t n = 0;
    for (auto pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + needle.size()))
        ++n;
    return n;
}

}  // namespace

TEST_CASE("xml_escape makes result strings safe as HTML text and attributes") {
    CHECK(faultline::xml_escape("a<b>&\"c\"'d'") == "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;");
    CHECK(faultline::xml_escape("tab\tnl\n") == "tab\tnl\n");
    CHECK(faultline::xml_escape(std::string("x\x01y", 3)) == "x\xEF\xBF\xBDy");
    CHECK(faultline::xml_escape("caf\xC3\xA9") == "caf\xC3\xA9");
}

TEST_CASE("format_number writes short axis and table numbers") {
    CHECK(faultline::format_number(0) == "0");
    CHECK(faultline::format_number(0.25) == "0.25");
    CHECK(faultline::format_number(1200) == "1200");
    CHECK(faultline::format_number(12345) == "12345");
    CHECK(faultline::format_number(2.5e-5) == "2.5e-05");
    CHECK(faultline::format_percent(0) == "0%");
    CHECK(faultline::format_percent(0.00012) == "0.012%");
    CHECK(faultline::format_percent(0.125) == "12.5%");
}

TEST_CASE("the HTML report has every section, chart and fault band") {
    const auto r = faultline::test::make_sample_result();
    const std::string html = render_html_report(r);
    CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(count(html, "<svg class=\"chart") == 5);
    CHECK(count(html, "<svg class=\"chart time-chart\"") == 4);
    for (const char* id : {"latency", "throughput", "errors", "status", "spectrum"})
        CHECK(count(html, std::string("data-chart=\"") + id + "\"") == 1);
    // Both fault windows on each of the four time charts; only the first one recovered.
    CHECK(count(html, "<rect class=\"fault-band\"") == 2 * 4);
    CHECK(count(html, "<rect class=\"fault-band\" data-fault=\"1\"") == 4);
    CHECK(count(html, "<line class=\"recovery-mark\" data-fault=\"0\"") == 4);
    CHECK(count(html, "class=\"recovery-mark\" data-fault=\"1\"") == 0);
    CHECK(count(html, "<text class=\"fault-label\"") == 8);
    CHECK(html.find("#1 latency on api") != std::string::npos);
    CHECK(html.find("#2 kill on db &lt;primary&gt;") != std::string::npos);
    CHECK(count(html, "<tr class=\"threshold pass\"") == 2);
    CHECK(count(html, "<tr class=\"threshold fail\"") == 3);
    CHECK(count(html, "<tr class=\"step\"") == 2);
    CHECK(count(html, "<tr class=\"fault-row\"") == 2);
    CHECK(html.find("<body data-verdict=\"fail\">") != std::string::npos);
    CHECK(html.find("json: 3") != std::string::npos);
    // Percentile spectrum: log x axis labels as in HdrHistogram's plotter.
    for (const char* label : {">0%<", ">90%<", ">99%<", ">99.9%<"}) CHECK(html.find(label) != std::string::npos);
    // The time charts' series: P50/P95/P99, issued/succeeded, the 5xx class, 200 and 503.
    for (const char* series : {"P50", "P95", "P99", "issued", "succeeded", "http_5xx", "200", "503"})
        CHECK(html.find(std::string("data-series=\"") + series + "\"") != std::string::npos);
}

TEST_CASE("the HTML report escapes every user string and fetches nothing") {
    auto r = faultline::test::make_sample_result({.step_a = "<script>alert(1)</script>", .scenario = "a\"b<i>"});
    const std::string html = render_html_report(r);
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
    CHECK(html.find("a\"b<i>") == std::string::npos);
    CHECK(html.find("a&quot;b&lt;i&gt;") != std::string::npos);
    CHECK(html.find("<b>bold</b>") == std::string::npos);
    CHECK(html.find("q=&lt;x&gt;&amp;y=1") != std::string::npos);
    // Self-contained: no fetched resources of any kind.
    for (const char* fetch : {"src=", "href=", "@import", "url(", "<link", "<img", "<iframe"})
        CHECK(html.find(fetch) == std::string::npos);
}

TEST_CASE("an empty run renders with empty-state notes") {
    faultline::RunResult r;
    const std::string html = render_html_report(r);
    CHECK(count(html, "<svg class=\"chart") == 5);
    CHECK(html.find("no intervals recorded") != std::string::npos);
    CHECK(html.find("no responses") != std::string::npos);
    CHECK(html.find("No thresholds") != std::string::npos);
    CHECK(count(html, "<rect class=\"fault-band\"") == 0);
    CHECK(html.find("<body data-verdict=\"pass\">") != std::string::npos);
    CHECK(html.find("nan") == std::string::npos);
    CHECK(html.find("inf") == std::string::npos);
}

TEST_CASE("fault windows show even when the run has no intervals, and an aborted run fails") {
    auto r = faultline::test::make_sample_result({.intervals = 0});
    r.aborted = true;
    r.abort_reason = "error_rate > 5% for 10s";
    const std::string html = render_html_report(r);
    CHECK(count(html, "<rect class=\"fault-band\"") == 8);
    CHECK(html.find("Aborted by the safety stop: error_rate &gt; 5% for 10s") != std::string::npos);
    CHECK(html.find("<body data-verdict=\"fail\">") != std::string::npos);
}

TEST_CASE("the latency chart switches to a log axis when the tail dwarfs the median") {
    const auto r = faultline::test::make_sample_result();  // faults multiply latency by 25
    const std::string html = render_html_report(r);
    const auto latency = html.find("data-chart=\"latency\"");
    const auto end = html.find("</svg>", latency);
    const std::string chart = html.substr(latency, end - latency);
    CHECK(chart.find(">1<") != std::string::npos);
    CHECK(chart.find(">10<") != std::string::npos);
    CHECK(chart.find(">100<") != std::string::npos);
    CHECK(chart.find(">1000<") != std::string::npos);
}

TEST_CASE("the percentile spectrum spans the decades the histogram resolves") {
    faultline::Histogram h = faultline::Histogram::latency_us();
    for (int v = 1; v <= 1000; ++v) h.record(v * 10);
    const std::string svg = faultline::render_percentile_spectrum({{"all", "#000", &h}});
    CHECK(svg.find(">99.9%<") != std::string::npos);
    CHECK(svg.find(">99.99%<") == std::string::npos);
    CHECK(svg.find("data-series=\"all\"") != std::string::npos);
    CHECK(faultline::render_percentile_spectrum({}).find("no responses") != std::string::npos);
}
