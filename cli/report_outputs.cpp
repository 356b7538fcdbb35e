#include "cli/report_outputs.hpp"

#include <boost/json/serialize.hpp>
#include <functional>

#include "reports/hdr_log.hpp"
#include "reports/html_report.hpp"
#include "reports/junit_report.hpp"
#include "reports/result_json.hpp"

namespace faultline {

std::vector<std::string> write_reports(const ReportPaths& paths, const RunResult& result) {
    std::vector<std::string> problems;
    const auto write = [&](const std::string& path, const std::function<std::string()>& render) {
        if (path.empty()) return;
        try {
            write_file_atomically(path, render());
        } catch (const std::exception& e) {
            problems.emplace_back(e.what());
        }
    };
    write(paths.json, [&] { return boost::json::serialize(result_to_json(result)) + "\n"; });
    write(paths.html, [&] { return render_html_report(result); });
    write(paths.junit, [&] { return render_junit(result); });
    write(paths.hdr_log, [&] { return render_hdr_log(result); });
    return problems;
}

}  // namespace faultline
