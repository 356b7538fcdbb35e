#pragma once
// Writes a run's result files (--json, --html, --junit, --hdr-log), each atomically.
#include <string>
#include <vector>

#include "reports/run_result.hpp"

namespace faultline {

struct ReportPaths {
    std::string json;
    std::string html;
    std::string junit;
    std::string hdr_log;
};

// Writes every file asked for; returns one message per file that could not be written.
std::vector<std::string> write_reports(const ReportPaths& paths, const RunResult& result);

}  // namespace faultline
