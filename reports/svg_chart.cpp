#include "reports/svg_chart.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <fmt/format.h>
#include <iterator>

#include "reports/html_report_markup.hpp"

namespace faultline {
namespace {

// Plot geometry in SVG user units; the <svg> scales to its container (viewBox).
constexpr double kWidth = 960, kHeight = 280;
constexpr double kLeft = 64, kRight = 30, kTop = 40, kBottom = 34;
constexpr double kPlotW = kWidth - kLeft - kRight, kPlotH = kHeight - kTop - kBottom;
constexpr std::size_t kMaxMarkers = 150;  // hover dots per series; more would bloat the file

struct Axis {
    double lo = 0, hi = 1;
    bool log = false;
    std::vector<double> ticks;

    double frac(double v) const {
        if (log) return (std::log10(v) - std::log10(lo)) / (std::log10(hi) - std::log10(lo));
        return (v - lo) / (hi - lo);
    }
    double y(double v) const { return kTop + kPlotH * (1 - std::clamp(frac(v), 0.0, 1.0)); }
};

double nice_step(double range, int target_ticks) {
    const double raw = range / target_ticks;
    const double mag = std::pow(10, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (raw <= m * mag) return m * mag;
    return 10 * mag;
}

Axis linear_axis(double max_value, int target_ticks) {
    Axis a;
    if (!(max_value > 0)) max_value = 1;
    const double step = nice_step(max_value, target_ticks);
    a.hi = std::ceil(max_value / step - 1e-9) * step;
    for (int i = 0; i * step <= a.hi + step / 2; ++i) a.ticks.push_back(i * step);
    return a;
}

Axis log_axis(double min_value, double max_value) {
    Axis a;
    a.log = true;
    a.lo = std::pow(10, std::floor(std::log10(min_value)));
    a.hi = std::pow(10, std::ceil(std::log10(max_value)));
    if (a.hi <= a.lo) a.hi = a.lo * 10;
    for (double v = a.lo; v <= a.hi * 1.0001; v *= 10) a.ticks.push_back(v);
    return a;
}

Axis value_axis(const TimeChart& c) {
    double lo = INFINITY, hi = 0;
    for (const auto& s : c.series)
        for (const auto& v : s.values)
            if (v && std::isfinite(*v) && (!c.log_y || *v > 0)) {
                lo = std::min(lo, *v);
                hi = std::max(hi, *v);
            }
    if (c.log_y && hi > 0) return log_axis(lo, hi);
    return linear_axis(hi, 4);
}

double x_of(double t_s, double x_end_s) { return kLeft + kPlotW * std::clamp(t_s / x_end_s, 0.0, 1.0); }

void append_axes(std::string& out, const Axis& y, std::string_view y_unit) {
    auto o = std::back_inserter(out);
    for (double v : y.ticks) {
        const double py = y.y(v);
        fmt::format_to(o, "<line class=\"grid\" x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\"/>", kLeft,
                       kLeft + kPlotW, py, py);
        fmt::format_to(o, "<text class=\"tick y-tick\" x=\"{}\" y=\"{:.1f}\">{}</text>", kLeft - 6, py + 4,
                       xml_escape(format_number(v)));
    }
    fmt::format_to(o, "<text class=\"axis-unit\" x=\"{}\" y=\"{}\">{}</text>", 4, kTop - 26,
                   xml_escape(y_unit));
    fmt::format_to(o, "<rect class=\"frame\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>", kLeft, kTop, kPlotW,
                   kPlotH);
}

void append_time_ticks(std::string& out, double x_end_s) {
    auto o = std::back_inserter(out);
    const double step = nice_step(x_end_s, 8);
    for (double t = 0; t <= x_end_s + 1e-9; t += step) {
        const double px = x_of(t, x_end_s);
        fmt::format_to(o, "<text class=\"tick x-tick\" x=\"{:.1f}\" y=\"{}\">{}s</text>", px, kTop + kPlotH + 16,
                       xml_escape(format_number(t)));
    }
}

void append_band(std::string& out, const ChartBand& b, std::size_t i, double x_end_s) {
    auto o = std::back_inserter(out);
    const double x0 = x_of(b.start_s, x_end_s), x1 = x_of(std::max(b.end_s, b.start_s), x_end_s);
    // Alternating label rows keep adjacent windows' labels apart.
    const double label_y = kTop - (i % 2 == 0 ? 16 : 4);
    fmt::format_to(o, "<g class=\"fault\" data-fault=\"{}\">", i);
    fmt::format_to(o,
                   "<rect class=\"fault-band\" data-fault=\"{}\" x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" "
                   "height=\"{}\"><title>{}: {}s – {}s</title></rect>",
                   i, x0, kTop, std::max(1.0, x1 - x0), kPlotH, xml_escape(b.label), format_number(b.start_s),
                   format_number(b.end_s));
    fmt::format_to(o, "<text class=\"fault-label\" x=\"{:.1f}\" y=\"{}\">#{} {}</text>", x0 + 2, label_y, i + 1,
                   xml_escape(b.label));
    if (b.impact_at_s && *b.impact_at_s <= x_end_s) {
        const double px = x_of(*b.impact_at_s, x_end_s);
        fmt::format_to(o, "<line class=\"impact-mark\" data-fault=\"{}\" x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{}\" y2=\"{}\">"
                          "<title>impact at {}s</title></line>",
                       i, px, px, kTop, kTop + kPlotH, format_number(*b.impact_at_s));
    }
    if (b.recovered_at_s && *b.recovered_at_s <= x_end_s) {
        const double px = x_of(*b.recovered_at_s, x_end_s);
        fmt::format_to(o, "<line class=\"recovery-mark\" data-fault=\"{}\" x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{}\" "
                          "y2=\"{}\"><title>recovered at {}s</title></line>",
                       i, px, px, kTop, kTop + kPlotH, format_number(*b.recovered_at_s));
        fmt::format_to(o, "<text class=\"recovery-label\" x=\"{:.1f}\" y=\"{}\">recovered</text>", px + 3,
                       kTop + 12);
    }
    out += "</g>";
}

void append_series(std::string& out, const TimeChart& c, const ChartSeries& s, const Axis& y) {
    std::string d;
    bool pen_down = false;
    std::size_t drawn = 0;
    for (std::size_t i = 0; i < s.values.size() && i < c.t_s.size(); ++i) {
        const auto& v = s.values[i];
        if (!v || !std::isfinite(*v) || (y.log && *v <= 0)) {
            pen_down = false;
            continue;
        }
        fmt::format_to(std::back_inserter(d), "{}{:.1f},{:.1f}", pen_down ? " L" : (d.empty() ? "M" : " M"),
                       x_of(c.t_s[i] + c.interval_s / 2, c.x_end_s), y.y(*v));
        pen_down = true;
        ++drawn;
    }
    if (drawn == 0) return;
    auto o = std::back_inserter(out);
    fmt::format_to(o, "<path class=\"series\" data-series=\"{0}\" stroke=\"{1}\" d=\"{2}\"><title>{0}</title></path>",
                   xml_escape(s.name), xml_escape(s.color), d);
    if (drawn > kMaxMarkers) return;
    for (std::size_t i = 0; i < s.values.size() && i < c.t_s.size(); ++i) {
        const auto& v = s.values[i];
        if (!v || !std::isfinite(*v) || (y.log && *v <= 0)) continue;
        fmt::format_to(o, "<circle class=\"point\" cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"2.2\" fill=\"{}\"><title>{} at {}s: {} {}</title></circle>",
                       x_of(c.t_s[i] + c.interval_s / 2, c.x_end_s), y.y(*v), xml_escape(s.color),
                       xml_escape(s.name), format_number(c.t_s[i]), format_number(*v), xml_escape(c.y_unit));
    }
}

void append_legend(std::string& out, const std::vector<std::pair<std::string, std::string>>& entries) {
    out += "<span class=\"legend\">";
    for (const auto& [name, color] : entries)
        fmt::format_to(std::back_inserter(out),
                       "<span class=\"legend-item\"><i class=\"swatch\" style=\"background:{}\"></i>{}</span>",
                       xml_escape(color), xml_escape(name));
    out += "</span>";
}

void open_figure(std::string& out, std::string_view id, std::string_view title, std::string_view svg_class,
                 const std::vector<std::pair<std::string, std::string>>& legend) {
    auto o = std::back_inserter(out);
    fmt::format_to(o, "<figure class=\"chart-card\"><figcaption><span class=\"chart-title\">{}</span>",
                   xml_escape(title));
    append_legend(out, legend);
    fmt::format_to(o,
                   "</figcaption><svg class=\"{}\" data-chart=\"{}\" viewBox=\"0 0 {} {}\" role=\"img\" "
                   "aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">",
                   svg_class, xml_escape(id), kWidth, kHeight, xml_escape(title));
}

// Percentile spectrum: x = log10(1 / (1 - q)), so 0 is 0%, 1 is 90%, 2 is 99%, ...
constexpr int kSpectrumPointsPerDecade = 40;
constexpr int kSpectrumMaxDecades = 6;

std::string percentile_label(int decade) {
    if (decade == 0) return "0%";
    if (decade == 1) return "90%";
    if (decade == 2) return "99%";
    return "99." + std::string(static_cast<std::size_t>(decade - 2), '9') + "%";
}

void append_spectrum_x_ticks(std::string& out, int decades) {
    auto o = std::back_inserter(out);
    for (int d = 0; d <= decades; ++d) {
        const double px = kLeft + kPlotW * d / decades;
        fmt::format_to(o, "<line class=\"grid\" x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1}\" y2=\"{2}\"/>", px, kTop,
                       kTop + kPlotH);
        fmt::format_to(o, "<text class=\"tick x-tick\" x=\"{:.1f}\" y=\"{}\">{}</text>", px, kTop + kPlotH + 16,
                       percentile_label(d));
    }
}

// (x in decades, value in ms) pairs; the last point is the max at the axis end.
std::vector<std::pair<double, double>> spectrum_points(const Histogram& h, int decades) {
    std::vector<std::pair<double, double>> points;
    const int n = decades * kSpectrumPointsPerDecade;
    for (int i = 0; i < n; ++i) {
        const double x = static_cast<double>(i) / kSpectrumPointsPerDecade;
        const double q = 1 - std::pow(10, -x);
        points.emplace_back(x, static_cast<double>(h.value_at_percentile(q * 100)) / 1000.0);
    }
    points.emplace_back(decades, static_cast<double>(h.max()) / 1000.0);
    return points;
}

}  // namespace

std::string render_percentile_spectrum(const std::vector<SpectrumSeries>& series) {
    std::int64_t most = 0;
    double max_ms = 0;
    std::vector<std::pair<std::string, std::string>> legend;
    for (const auto& s : series) {
        if (!s.histogram || s.histogram->total_count() == 0) continue;
        most = std::max(most, s.histogram->total_count());
        max_ms = std::max(max_ms, static_cast<double>(s.histogram->max()) / 1000.0);
        legend.emplace_back(s.name, s.color);
    }
    // Beyond log10(count) decades every percentile is the max: nothing more to show.
    const int decades = std::clamp(static_cast<int>(std::ceil(std::log10(std::max<std::int64_t>(most, 10)))), 1,
                                   kSpectrumMaxDecades);
    std::string out;
    open_figure(out, "spectrum", "Latency by percentile (corrected)", "chart", legend);
    const Axis y = linear_axis(max_ms, 5);
    append_axes(out, y, "ms");
    append_spectrum_x_ticks(out, decades);
    auto o = std::back_inserter(out);
    for (const auto& s : series) {
        if (!s.histogram || s.histogram->total_count() == 0) continue;
        std::string d;
        for (const auto& [x, v] : spectrum_points(*s.histogram, decades))
            fmt::format_to(std::back_inserter(d), "{}{:.1f},{:.1f}", d.empty() ? "M" : " L",
                           kLeft + kPlotW * x / decades, y.y(v));
        fmt::format_to(o, "<path class=\"series\" data-series=\"{0}\" stroke=\"{1}\" d=\"{2}\"><title>{0}</title></path>",
                       xml_escape(s.name), xml_escape(s.color), d);
    }
    if (legend.empty())
        fmt::format_to(o, "<text class=\"empty-note\" x=\"{}\" y=\"{}\">no responses</text>", kLeft + kPlotW / 2,
                       kTop + kPlotH / 2);
    out += "</svg></figure>\n";
    return out;
}

std::string palette_color(std::size_t i) {
    static constexpr std::array<const char*, 10> kPalette = {"#2563eb", "#d97706", "#059669", "#7c3aed", "#db2777",
                                                             "#0891b2", "#65a30d", "#dc2626", "#4b5563", "#ca8a04"};
    return kPalette[i % kPalette.size()];
}

std::string render_time_chart(const TimeChart& c) {
    std::string out;
    std::vector<std::pair<std::string, std::string>> legend;
    for (const auto& s : c.series) legend.emplace_back(s.name, s.color);
    open_figure(out, c.id, c.title, "chart time-chart", legend);
    const Axis y = value_axis(c);
    const double x_end = c.x_end_s > 0 ? c.x_end_s : 1;
    append_axes(out, y, c.y_unit);
    append_time_ticks(out, x_end);
    for (std::size_t i = 0; i < c.bands.size(); ++i) append_band(out, c.bands[i], i, x_end);
    bool any = false;
    for (const auto& s : c.series) {
        const auto before = out.size();
        append_series(out, c, s, y);
        any = any || out.size() != before;
    }
    if (!any && !c.empty_note.empty())
        fmt::format_to(std::back_inserter(out), "<text class=\"empty-note\" x=\"{}\" y=\"{}\">{}</text>",
                       kLeft + kPlotW / 2, kTop + kPlotH / 2, xml_escape(c.empty_note));
    out += "</svg></figure>\n";
    return out;
}

}  // namespace faultline
