#pragma once
// `faultline run --html FILE`: one self-contained HTML page for people (docs/reports.md).
//
// Summary, thresholds (PASS/FAIL), fault windows with their impact and recovery, charts over
// time (latency P50/P95/P99, throughput, errors by class, status codes) with every fault
// window shaded and labelled, the latency percentile spectrum (log x axis), and a per-step
// table. Charts are inline SVG generated here; the page has no scripts and fetches nothing
// (no fonts, no images, no libraries), so it can be archived as a CI artifact and opened
// offline.
//
// Pure: a function of the result only (no clock, no I/O). Every string that comes from the
// result (scenario and step names, URLs, warnings, fault targets) is HTML-escaped. Runs
// without intervals, responses, steps or faults render with empty-state notes.
//
// Stable hooks for tests and tooling: <svg class="chart time-chart" data-chart="latency|
// throughput|errors|status">, <svg class="chart" data-chart="spectrum">, one
// <rect class="fault-band" data-fault="i"> per fault per time chart,
// <table class="thresholds"> with <tr class="threshold pass|fail">, <table class="steps">,
// <table class="faults">, <body data-verdict="pass|fail">.
#include <string>

#include "reports/run_result.hpp"

namespace faultline {

std::string render_html_report(const RunResult& r);

}  // namespace faultline
