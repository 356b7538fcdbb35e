#pragma once
// The HTML report's charts, built from a RunResult (internal to html_report.cpp).
#include <string>

#include "reports/run_result.hpp"

namespace faultline {

// The four time charts (latency, throughput, errors, status codes), each with every fault
// window of r.faults shaded, then the percentile spectrum of the run and of each step.
std::string render_report_charts(const RunResult& r);

// "latency on api, db" / "kill on web": a fault window's type and target for labels.
std::string describe_fault_target(const FaultWindow& w);

}  // namespace faultline
