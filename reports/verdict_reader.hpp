#pragma once
// Reads the verdict keys of a result JSON (the forms of verdict_json.hpp) back.
#include "reports/json_field.hpp"
#include "reports/run_result.hpp"

namespace faultline {

SloSpec read_slo(const JsonField& f);
// Fills r.slo, r.thresholds, r.faults, r.aborted, r.abort_reason, r.service_logs from the
// result object `root`; absent keys (files written before them) leave the defaults.
void read_verdict(const JsonField& root, RunResult& r);

}  // namespace faultline
