#pragma once
// The HTML report's stylesheet (internal to html_report.cpp): system fonts only, no fetches.
#include <string_view>

namespace faultline {

extern const std::string_view kHtmlReportCss;

}  // namespace faultline
