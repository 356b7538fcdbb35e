#pragma once
// `faultline run --hdr-log FILE`: the run's interval histograms as an HdrHistogram interval
// log (shared/specs/hdrhistogram.md 6.4), readable by HistogramLogProcessor,
// HistogramLogAnalyzer and hdr-histogram-js's HistogramLogReader.
//
//   #[Logged with faultline <version>]
//   #[Histogram log format version 1.3]
//   #[StartTime: <start_unix_ms / 1000, 3 decimals> (seconds since epoch), <Java-style UTC date>]
//   #[BaseTime: <same> (seconds since epoch)]
//   "StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"
//   <t_s>,<interval_s>,<max_ms>,<base64>              all requests of the interval
//   Tag=<step>,<t_s>,<interval_s>,<max_ms>,<base64>   one line per step, in flow order
//
// Units: timestamps are seconds relative to BaseTime (the run's origin, start_unix_ms), with
// 3 decimals; every line's length is the run's --interval (the last interval too);
// histograms are the corrected latency in microseconds (compressed V2 base64, as in the
// result JSON); Interval_Max is the histogram's max divided by maxValueUnitRatio 1000, i.e.
// milliseconds with 3 decimals. Fields are comma-separated (hdr-histogram-js splits on
// commas only). Every interval is written, empty ones included.
//
// Tags cannot hold commas or whitespace in this format: step names are sanitised by
// hdr_log_tag(). Pure; throws HdrDecodeError when an interval's `hdr` is not a valid
// histogram (results made by faultline always are).
#include <string>
#include <string_view>

#include "reports/run_result.hpp"

namespace faultline {

std::string render_hdr_log(const RunResult& r);

// A step name as an interval-log tag: commas, spaces, control characters and DEL become
// '_'; an empty name becomes "_". Other bytes (UTF-8 included) are kept.
std::string hdr_log_tag(std::string_view step_name);

}  // namespace faultline
