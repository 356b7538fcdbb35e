// CLI11 wiring for the faultline binary: flags to option structs, outcomes to exit codes.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/exit_codes.hpp"
#include "cli/proxy_command.hpp"
#include "cli/report_command.hpp"
#include "cli/run_command.hpp"
#include "cli/validate_command.hpp"

namespace {

void add_run_command(CLI::App& app, faultline::RunOptions& o) {
    auto* run = app.add_subcommand("run", "Run a scenario file, or send HTTP load to one URL, and report");
    run->add_option("scenario", o.scenario_file, "Scenario file (YAML); or use --url for a one-URL run");
    run->add_option("--url", o.url, "Target URL (http:// or https://) of a one-URL run");
    run->add_option("-e,--env", o.env, "NAME=VALUE for {{env.NAME}} in the scenario (repeatable)");
    run->add_option("--target", o.target, "Replace the scenario's target URL");
    auto* rate = run->add_option("--rate", o.rate, "Open model: arrivals per second (e.g. 500 or 500/s, 600/m)");
    auto* vus = run->add_option("--vus", o.vus, "Closed model: virtual users, each sending when its last request completes");
    rate->excludes(vus);
    run->add_option("--duration", o.duration, "Stop issuing requests after this long (e.g. 30s, 2m)");
    run->add_option("--requests", o.requests, "Stop after exactly this many requests");
    run->add_option("--connections", o.connections, "Connection pool size (open model default 64; closed model: --vus)");
    run->add_option("--method", o.method, "HTTP method")->capture_default_str();
    run->add_option("-H,--header", o.headers, "Request header 'Name: value' (repeatable)");
    run->add_option("--body", o.body, "Request body");
    run->add_option("--timeout", o.timeout, "Per-request timeout, connect included")->capture_default_str();
    run->add_flag("--insecure", o.insecure, "Do not verify TLS certificates or host names");
    run->add_option("--ca-file", o.ca_file, "Also trust the CA certificates in this PEM file");
    run->add_option("--json", o.json_path, "Write the result as JSON to this file");
    run->add_option("--html", o.html_path, "Write a self-contained HTML report to this file");
    run->add_option("--junit", o.junit_path, "Write JUnit XML (one testcase per threshold and check) to this file");
    run->add_option("--hdr-log", o.hdr_log_path, "Write an HdrHistogram interval log (per interval, per step) to this file");
    run->add_option("--threads", o.threads, "Driver threads, each with its own event loop")->capture_default_str();
    run->add_option("--interval", o.interval, "Length of the per-interval series")->capture_default_str();
    run->add_option("--max-pending", o.max_pending,
                    "Open model: requests that may wait for a busy pool before arrivals are dropped (default: one second of arrivals)");
    run->add_option("--max-header", o.max_header, "Largest accepted response header")->capture_default_str();
    run->add_option("--max-body", o.max_body, "Largest accepted response body")->capture_default_str();
    run->add_flag("-q,--quiet", o.quiet, "No progress line; print only the summary");
    run->add_option("--shard", o.shard, "Run shard I of N (0-based, e.g. 1/3): 1/N of the load, interleaved (docs/distributed.md)");
    run->add_option("--start-at", o.start_at,
                    "Start the schedule at this instant: RFC 3339 (2026-11-27T10:00:00Z) or Unix ms; the same for every shard");
    auto* faults_only = run->add_flag("--faults-only", o.faults_only,
                                      "Run only the scenario's proxies, services and faults, no load (needs --start-at)");
    auto* no_faults = run->add_flag("--no-faults", o.no_faults, "Run only the load: no proxies, services or faults (shards)");
    faults_only->excludes(no_faults);
    run->add_option("--metrics-listen", o.metrics_listen,
                    "Serve live Prometheus metrics at http://HOST:PORT/metrics during the run (docs/metrics.md)");
}

void add_validate_command(CLI::App& app, std::string& file, std::vector<std::string>& env) {
    auto* validate = app.add_subcommand("validate", "Check a scenario file without sending anything");
    validate->add_option("scenario", file, "Scenario file (YAML)")->required();
    validate->add_option("-e,--env", env, "NAME=VALUE for {{env.NAME}} (repeatable)");
}

void add_proxy_command(CLI::App& app, faultline::ProxyOptions& o) {
    auto* proxy = app.add_subcommand("proxy", "Run the Toxiproxy-compatible fault proxy (HTTP admin API)");
    proxy->add_option("--host", o.host, "Admin API bind address")->capture_default_str();
    proxy->add_option("--port", o.port, "Admin API port (0 picks a free one)")->capture_default_str();
    proxy->add_option("--config", o.config, "Populate from this JSON file (the /populate body) at start");
    proxy->add_option("--seed", o.seed, "Seed for toxicity and jitter draws (reproducible runs)");
    proxy->add_option("--api-token", o.api_token,
                      "Require 'Authorization: Bearer TOKEN' on every admin API request (or set FAULTLINE_API_TOKEN)");
    proxy->add_flag("--version", o.version, "Print the version and exit");
    proxy->add_flag("--proxy-metrics", o.proxy_metrics, "Accepted for toxiproxy-server compatibility (/metrics is always on)");
    proxy->add_flag("--runtime-metrics", o.runtime_metrics, "Accepted for toxiproxy-server compatibility");
}

struct ReportCommands {
    CLI::App* html = nullptr;
    CLI::App* compare = nullptr;
    CLI::App* merge = nullptr;
};

ReportCommands add_report_command(CLI::App& app, faultline::ReportHtmlOptions& h, faultline::ReportCompareOptions& c,
                                  faultline::ReportMergeOptions& m) {
    auto* report = app.add_subcommand("report", "Reports from saved result files");
    report->require_subcommand(1);
    auto* html = report->add_subcommand("html", "Render the HTML report of a saved result (--json output)");
    html->add_option("result", h.result_file, "Result JSON written by `faultline run --json`")->required();
    html->add_option("-o,--output", h.output, "HTML file to write")->required();
    auto* compare = report->add_subcommand("compare", "Compare a result with a baseline; exit 1 on regression");
    compare->add_option("base", c.base_file, "Baseline result JSON")->required();
    compare->add_option("new", c.new_file, "New result JSON")->required();
    compare->add_option("--max-regression", c.max_regression,
                        "Allowed regressions, e.g. p99=10%,error_rate=0.1pp (default p99=10%,error_rate=0.1pp)");
    compare->add_option("--json", c.json_path, "Also write the comparison as JSON to this file");
    auto* merge = report->add_subcommand("merge", "Merge the results of shards (or runs) into one exact result");
    merge->add_option("results", m.inputs, "Result JSON files written by `faultline run --json`")->required();
    merge->add_option("-o,--output", m.output, "Merged result JSON to write")->required();
    merge->add_option("--html", m.html_path, "Also write the merged HTML report to this file");
    merge->add_option("--faults", m.faults_file, "Result of `faultline run --faults-only`: its fault windows are analysed");
    merge->add_flag("--force", m.force, "Merge different scenarios, mismatched shards or misaligned starts anyway");
    return {html, compare, merge};
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"faultline: load testing and fault injection for HTTP services"};
    app.set_version_flag("--version", "faultline " FAULTLINE_VERSION);
    app.require_subcommand(1);
    faultline::RunOptions run_options;
    add_run_command(app, run_options);
    std::string validate_file;
    std::vector<std::string> validate_env;
    add_validate_command(app, validate_file, validate_env);
    faultline::ProxyOptions proxy_options;
    add_proxy_command(app, proxy_options);
    faultline::ReportHtmlOptions report_html;
    faultline::ReportCompareOptions report_compare;
    faultline::ReportMergeOptions report_merge;
    const auto report = add_report_command(app, report_html, report_compare, report_merge);
    // toxiproxy-server's single-dash flags (-host, -port, ...) become long flags first.
    auto args = faultline::rewrite_toxiproxy_flags(std::vector<std::string>(argv, argv + argc));
    std::vector<char*> rewritten;
    for (auto& arg : args) rewritten.push_back(arg.data());
    try {
        app.parse(static_cast<int>(rewritten.size()), rewritten.data());
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? faultline::exit_code::ok : faultline::exit_code::bad_input;
    }
    if (app.got_subcommand("run")) return faultline::run_command(run_options);
    if (app.got_subcommand("validate")) return faultline::validate_command(validate_file, validate_env);
    if (app.got_subcommand("proxy")) return faultline::proxy_command(proxy_options);
    if (report.html->parsed()) return faultline::report_html_command(report_html);
    if (report.compare->parsed()) return faultline::report_compare_command(report_compare);
    if (report.merge->parsed()) return faultline::report_merge_command(report_merge);
    return faultline::exit_code::bad_input;
}
