#pragma once
// `faultline report html|compare|merge`: reports from saved result files.
#include <optional>
#include <string>
#include <vector>

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

struct ReportMergeOptions {
    std::vector<std::string> inputs;  // result JSON files
    std::string output;               // -o: the merged result JSON
    std::string html_path;            // --html
    std::string faults_file;          // --faults: a `run --faults-only` result
    bool force = false;
};

// Exit codes: 0 written / no regression, 1 regression, 2 unreadable input or bad flags,
// 3 the output could not be written.
int report_html_command(const ReportHtmlOptions& options);
int report_compare_command(const ReportCompareOptions& options);
// `report merge` (docs/distributed.md) exits like `run`: 0 every threshold of the merged
// result passed, 1 one failed (or an input was aborted), 2 an input is unreadable or the
// inputs cannot be merged, 3 an output could not be written.
int report_merge_command(const ReportMergeOptions& options);

}  // namespace faultline
