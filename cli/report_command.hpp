#pragma once
// `faultline report html|compare`: reports from saved result files.
#include <optional>
#include <string>

namespace faultline {

struct ReportHtmlOptions {
    std::string result_file;
    std::string output;  // -o
};

struct ReportCompareOptions {
    std::string base_file;
    std::string new_file;
    std::optional<std::string> max_regression;  // "p99=10%,error_rate=0.1pp"
    std::string json_path;                      // --json: the comparison as JSON
};

// Exit codes: 0 written / no regression, 1 regression, 2 unreadable input or bad flags,
// 3 the output could not be written.
int report_html_command(const ReportHtmlOptions& options);
int report_compare_command(const ReportCompareOptions& options);

}  // namespace faultline
