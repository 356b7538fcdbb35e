#pragma once
// The verdict part of the result JSON: `slo`, `thresholds`, `faults`, `aborted`,
// `abort_reason`, `service_logs` (docs/result-schema.md, "Verdict"). result_reader.cpp reads
// the same forms back.
#include <boost/json/object.hpp>

#include "reports/run_result.hpp"

namespace faultline {

// Optional limits are written as null; latency limits as an array, in file order:
//   {"latency": [{"key": "p99", "percentile": 99, "limit_ms": 250}], "error_rate": 0.001,
//    "availability": null, "recovery_time_s": 30, "recovery_intervals": 5, "errors": null,
//    "throughput_per_s": null, "steps": [{"step": "login", "latency": [...], "error_rate": 0.01}]}
boost::json::object slo_to_json(const SloSpec& slo);
boost::json::object threshold_to_json(const ThresholdResult& t);
boost::json::object fault_to_json(const FaultImpact& f);

// Adds every verdict key to a result object; all are present in every result.
void add_verdict_json(boost::json::object& o, const RunResult& r);

}  // namespace faultline
