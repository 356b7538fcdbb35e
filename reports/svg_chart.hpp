#pragma once
// Inline SVG charts for the HTML report (reports/html_report.hpp): time series with fault
// windows shaded, and HdrHistogram's percentile spectrum. Pure functions of their inputs;
// no scripts, no external resources. Output is an HTML fragment:
//
//   <figure class="chart-card"><figcaption>title, legend</figcaption>
//     <svg class="chart time-chart" data-chart="<id>" ...>
//       <g class="fault" data-fault="i"><rect class="fault-band" data-fault="i"/> label,
//         <line class="impact-mark"/>, <line class="recovery-mark"/></g> ...
//       <path class="series" data-series="<name>"/> ...
//     </svg></figure>
//
// The class names and data attributes are a contract with the browser test
// (tests/reports/html_browser_check.py): keep them stable.
#include <optional>
#include <string>
#include <vector>

#include "reports/histogram.hpp"

namespace faultline {

struct ChartSeries {
    std::string name;   // legend text (escaped by the renderer)
    std::string color;  // a CSS colour
    std::vector<std::optional<double>> values;  // one per TimeChart::t_s; nullopt breaks the line
};

// A fault window on a time chart. Times in seconds from the run's origin.
struct ChartBand {
    double start_s = 0, end_s = 0;
    std::string label;                   // "latency → api" (escaped by the renderer)
    std::optional<double> impact_at_s;   // first unhealthy moment (absolute time)
    std::optional<double> recovered_at_s;  // recovery end (absolute time); unset: not recovered
};

struct TimeChart {
    std::string id;      // data-chart value, e.g. "latency"
    std::string title;
    std::string y_unit;  // axis unit, e.g. "ms", "req/s"
    bool log_y = false;  // log10 axis; values <= 0 are not drawn
    double x_end_s = 1;  // the axis covers 0 .. x_end_s
    double interval_s = 1;  // points sit at the middle of their interval
    std::vector<double> t_s;  // interval starts
    std::vector<ChartSeries> series;
    std::vector<ChartBand> bands;  // every band is drawn (clipped to the axis), even when empty
    std::string empty_note;        // shown when there is nothing to plot
};

std::string render_time_chart(const TimeChart& chart);

struct SpectrumSeries {
    std::string name;
    std::string color;
    const Histogram* histogram = nullptr;  // microseconds; plotted in ms
};

// Latency by percentile, x = log10(1 / (1 - q)) labelled 0%, 90%, 99%, 99.9%, ... as in
// HdrHistogram's plotter, up to the percentile the largest histogram resolves (at most
// 99.9999%). data-chart="spectrum".
std::string render_percentile_spectrum(const std::vector<SpectrumSeries>& series);

// A qualitative palette for series without a meaning of their own (i-th colour, cycles).
std::string palette_color(std::size_t i);

}  // namespace faultline
