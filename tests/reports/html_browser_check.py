#!/usr/bin/env python3
"""Loads faultline's HTML report in headless Chromium and checks what a person would see.

Usage: html_browser_check.py CHROMIUM REPORT.html [--screenshot OUT.png]

A copy of the report gets a small script appended that measures every chart, fault band
and table after layout and writes the results into <body data-layout="...">; Chromium's
--dump-dom prints the DOM after scripts ran. (The report itself has no scripts.)
Asserts: at least 4 svg.chart elements, every time chart has a fault band per fault
window (bands = faults x time charts), every chart and band has a non-zero rendered box,
the thresholds table has rows. Exit status 0 on success, 1 on a failed check, 2 when
Chromium is missing or fails to run: a missing browser must fail the test, not skip it.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser

PROBE = """
<script>
addEventListener('load', () => {
  const box = (e) => { const r = e.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height)]; };
  const charts = [...document.querySelectorAll('svg.chart')].map((svg) => ({
    chart: svg.dataset.chart,
    time: svg.classList.contains('time-chart'),
    box: box(svg),
    bands: [...svg.querySelectorAll('rect.fault-band')].map(box),
    series: svg.querySelectorAll('path.series').length,
  }));
  const rows = document.querySelectorAll('table.thresholds tr.threshold').length;
  document.body.setAttribute('data-layout', JSON.stringify({ charts, rows }));
});
</script>
"""


class DomCounter(HTMLParser):
    """Counts the report's hooks in the dumped DOM."""

    def __init__(self):
        super().__init__()
        self.charts = []  # data-chart of each svg.chart
        self.time_charts = 0
        self.bands = 0
        self.threshold_rows = 0
        self.layout = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "svg" and "chart" in classes:
            self.charts.append(a.get("data-chart"))
            self.time_charts += "time-chart" in classes
        if tag == "rect" and "fault-band" in classes:
            self.bands += 1
        if tag == "tr" and "threshold" in classes:
            self.threshold_rows += 1
        if tag == "body" and "data-layout" in a:
            self.layout = json.loads(a["data-layout"])


def run_chromium(chromium, args, profile):
    cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           f"--user-data-dir={profile}", "--virtual-time-budget=5000"] + args
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as e:
        print(f"cannot run {chromium}: {e}", file=sys.stderr)
        sys.exit(2)


def check_dom(dom, faults):
    problems = []
    c = DomCounter()
    c.feed(dom)
    if len(c.charts) < 4:
        problems.append(f"{len(c.charts)} svg.chart elements, want at least 4")
    if c.time_charts < 4:
        problems.append(f"{c.time_charts} time charts, want 4")
    if c.bands != faults * c.time_charts:
        problems.append(f"{c.bands} fault bands, want {faults} faults x {c.time_charts} time charts")
    if c.threshold_rows == 0:
        problems.append("no threshold rows")
    if c.layout is None:
        problems.append("the layout probe did not run (no data-layout on <body>)")
        return problems
    for chart in c.layout["charts"]:
        if chart["box"][0] < 200 or chart["box"][1] < 50:
            problems.append(f"chart {chart['chart']} rendered at {chart['box']}")
        if chart["time"] and len(chart["bands"]) != faults:
            problems.append(f"chart {chart['chart']}: {len(chart['bands'])} bands, want {faults}")
        if any(w <= 0 or h <= 0 for w, h in chart["bands"]):
            problems.append(f"chart {chart['chart']}: an empty fault band {chart['bands']}")
        if chart["series"] == 0:
            problems.append(f"chart {chart['chart']}: no series drawn")
    if c.layout["rows"] != c.threshold_rows:
        problems.append(f"layout saw {c.layout['rows']} threshold rows, the DOM has {c.threshold_rows}")
    return problems


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    chromium, report = sys.argv[1], sys.argv[2]
    screenshot = sys.argv[4] if len(sys.argv) > 4 and sys.argv[3] == "--screenshot" else None
    if not shutil.which(chromium):
        print(f"{chromium}: not found; install Debian's chromium (scripts/deps.sh)", file=sys.stderr)
        return 2
    html = open(report, encoding="utf-8").read()
    faults = len(set(re.findall(r'<tr class="fault-row" data-fault="(\d+)"', html)))
    with tempfile.TemporaryDirectory() as tmp:
        probed = os.path.join(tmp, "report.html")
        with open(probed, "w", encoding="utf-8") as f:
            f.write(html.replace("</body>", PROBE + "</body>"))
        out = run_chromium(chromium, ["--window-size=1280,2000", "--dump-dom", "file://" + probed],
                           os.path.join(tmp, "profile"))
        if out.returncode != 0 or "<html" not in out.stdout:
            print(f"chromium failed ({out.returncode}): {out.stderr[-2000:]}", file=sys.stderr)
            return 2
        problems = check_dom(out.stdout, faults)
        if screenshot:
            shot = run_chromium(chromium, [f"--screenshot={os.path.abspath(screenshot)}", "--window-size=1280,2000",
                                           "file://" + os.path.abspath(report)], os.path.join(tmp, "profile2"))
            if shot.returncode != 0 or not os.path.exists(screenshot):
                problems.append(f"screenshot failed: {shot.stderr[-1000:]}")
    if problems:
        print("FAIL\n  " + "\n  ".join(problems))
        return 1
    print(f"ok: {faults} fault windows on every time chart, layout checked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
