#pragma once
// `faultline run --junit FILE`: the run's verdicts as JUnit XML for CI test reporters
// (docs/reports.md).
//
//   <testsuites name="faultline" tests= failures= time=>
//     <testsuite name="faultline: <scenario>" tests= failures= errors="0" skipped="0"
//                time="<duration_s>" timestamp="<start, ISO 8601 UTC>">
//       <testcase classname="thresholds" name="<threshold name>"/>   one per threshold,
//                 with <failure message="value X > limit Y"> when not ok
//       <testcase classname="steps" name="steps.<step>.checks"/>   one per step, failing
//                 when any of its checks failed (counts per kind in the message)
//       <testcase classname="run" name="aborted"/>                  failing when the
//                 `abort:` safety stop ended the run
//
// Pure; every string from the result is XML-escaped.
#include <string>

#include "reports/run_result.hpp"

namespace faultline {

std::string render_junit(const RunResult& r);

}  // namespace faultline
