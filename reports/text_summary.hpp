#pragma once
// The end-of-run summary printed on stdout.
#include <string>

#include "reports/run_result.hpp"

namespace faultline {

std::string format_summary(const RunResult& r);

}  // namespace faultline
