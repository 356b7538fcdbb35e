// Writes the reports of the synthetic sample run (tests/reports/report_sample.hpp) for the
// out-of-process checks: hdr-histogram-js reading the interval log, Chromium rendering the
// HTML, Python parsing the JUnit XML.
//
// Usage: report_emit html OUT.html [plain]    sample run, 2 fault windows, 2 steps, 40 intervals
//                                             (plain: ordinary names instead of hostile ones,
//                                             for docs/report-screenshot.png)
//        report_emit junit OUT.xml [empty]    sample run (or an empty run)
//        report_emit hdrlog OUT.hlog OUT.json the log, and per line the statistics faultline
//                                             computes: tag, start_s, length_s, count, max, p50, p99
#include <boost/json.hpp>

#include <fstream>
#include <iostream>
#include <string>

#include "reports/hdr_codec.hpp"
#include "reports/hdr_log.hpp"
#include "reports/html_report.hpp"
#include "reports/junit_report.hpp"
#include "tests/reports/report_sample.hpp"

namespace {

bool write(const std::string& path, const std::string& text) {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << text;
    if (file.flush()) return true;
    std::cerr << "cannot write " << path << '\n';
    return false;
}

boost::json::object stats(const std::string& tag, const faultline::IntervalResult& i, double length_s) {
    const auto h = faultline::decode_compressed_base64(i.hdr);
    return {{"tag", tag},
            {"start_s", i.t_s},
            {"length_s", length_s},
            {"count", h.total_count()},
            {"max", h.max()},
            {"p50", h.value_at_percentile(50)},
            {"p99", h.value_at_percentile(99)}};
}

boost::json::array expected_lines(const faultline::RunResult& r) {
    boost::json::array out;
    for (std::size_t n = 0; n < r.intervals.size(); ++n) {
        out.push_back(stats("", r.intervals[n], 1.0));
        for (const auto& s : r.steps) out.push_back(stats(faultline::hdr_log_tag(s.name), s.stats.intervals[n], 1.0));
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (argc < 3 || (mode == "hdrlog" && argc < 4)) {
        std::cerr << "usage: report_emit html|junit|hdrlog OUT [OUT.json|empty]\n";
        return 2;
    }
    // A clean run for the hdr log: its recovery and thresholds do not matter there.
    const auto r = faultline::test::make_sample_result({.intervals = mode == "hdrlog" ? 12 : 40});
    if (mode == "html" && argc > 3 && std::string(argv[3]) == "plain") {
        auto plain = faultline::test::make_sample_result({.step_b = "get item", .scenario = "checkout"});
        plain.info.url = "http://checkout.internal:8080/api/cart";
        plain.warnings.clear();
        return write(argv[2], faultline::render_html_report(plain)) ? 0 : 1;
    }
    if (mode == "html") return write(argv[2], faultline::render_html_report(r)) ? 0 : 1;
    if (mode == "junit") {
        const bool empty = argc > 3 && std::string(argv[3]) == "empty";
        return write(argv[2], faultline::render_junit(empty ? faultline::RunResult{} : r)) ? 0 : 1;
    }
    if (mode == "hdrlog") {
        const bool ok = write(argv[2], faultline::render_hdr_log(r)) &&
                        write(argv[3], boost::json::serialize(expected_lines(r)) + "\n");
        return ok ? 0 : 1;
    }
    std::cerr << "unknown mode " << mode << '\n';
    return 2;
}
