#include "reports/html_report_style.hpp"

namespace faultline {

const std::string_view kHtmlReportCss = R"css(
:root { --fg: #111827; --muted: #6b7280; --line: #e5e7eb; --bg: #f6f7f9; --card: #fff;
        --pass: #047857; --pass-bg: #d1fae5; --fail: #b91c1c; --fail-bg: #fee2e2; --warn-bg: #fef3c7; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
       font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 20px 48px; }
header.top { display: flex; justify-content: space-between; align-items: flex-start; gap: 16px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 28px 0 10px; text-transform: uppercase; letter-spacing: .04em; color: #374151; }
.sub { color: var(--muted); word-break: break-all; }
.mono, td.num, .tick { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.verdict { font-weight: 700; padding: 6px 14px; border-radius: 6px; font-size: 15px; white-space: nowrap; }
.verdict.pass { background: var(--pass-bg); color: var(--pass); }
.verdict.fail { background: var(--fail-bg); color: var(--fail); }
.alert { padding: 8px 12px; border-radius: 6px; margin: 8px 0; background: var(--warn-bg); }
.alert.fail { background: var(--fail-bg); color: var(--fail); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px; margin-top: 16px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.card .k { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card .v { font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; width: 100%; background: var(--card); border: 1px solid var(--line);
        border-radius: 8px; overflow: hidden; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: #f9fafb; font-weight: 600; color: #374151; font-size: 12px; text-transform: uppercase; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr:last-child td { border-bottom: 0; }
.badge { font-weight: 700; font-size: 12px; padding: 2px 8px; border-radius: 4px; }
.badge.pass { background: var(--pass-bg); color: var(--pass); }
.badge.fail { background: var(--fail-bg); color: var(--fail); }
.badge.na { background: #e5e7eb; color: #374151; }
.empty { color: var(--muted); font-style: italic; }
.note { color: var(--muted); margin: 0 0 8px; font-size: 13px; }
figure.chart-card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; margin: 0 0 14px;
                    padding: 10px 12px 4px; }
figcaption { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 8px; font-weight: 600; }
.legend { font-weight: 400; color: #374151; font-size: 12px; }
.legend-item { margin-left: 12px; white-space: nowrap; }
.swatch { display: inline-block; width: 12px; height: 3px; margin-right: 5px; vertical-align: middle; }
svg.chart { width: 100%; height: auto; display: block; }
svg .frame { fill: none; stroke: #d1d5db; }
svg .grid { stroke: #eef0f3; }
svg .tick { font-size: 11px; fill: var(--muted); }
svg .y-tick { text-anchor: end; }
svg .x-tick { text-anchor: middle; }
svg .axis-unit { font-size: 11px; fill: var(--muted); }
svg .series { fill: none; stroke-width: 2; stroke-linejoin: round; stroke-linecap: round; }
svg .point { opacity: .85; }
svg .fault-band { fill: rgba(220, 38, 38, .10); stroke: rgba(220, 38, 38, .45); stroke-dasharray: 4 3; }
svg .fault-label { font-size: 11px; fill: #b91c1c; font-weight: 600; }
svg .impact-mark { stroke: #b91c1c; stroke-dasharray: 1 3; stroke-width: 1.5; }
svg .recovery-mark { stroke: #047857; stroke-dasharray: 6 3; stroke-width: 1.5; }
svg .recovery-label { font-size: 10px; fill: #047857; }
svg .empty-note { font-size: 13px; fill: var(--muted); text-anchor: middle; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
@media print { body { background: #fff; } figure.chart-card, table { break-inside: avoid; } }
)css";

}  // namespace faultline
