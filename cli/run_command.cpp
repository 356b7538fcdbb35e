#include "cli/run_command.hpp"
#include "common/text.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <iostream>

#include <boost/json/serialize.hpp>

#include "cli/distributed_flags.hpp"
#include "cli/exit_codes.hpp"
#include "cli/run_session.hpp"
#include "common/units.hpp"
#include "driver/driver.hpp"
#include "reports/result_json.hpp"
#include "reports/text_summary.hpp"
#include "scenarios/loader.hpp"

namespace faultline {
namespace {

bool is_token(std::string_view s) {
    // RFC 9110 tchar
    static constexpr std::string_view extra = "!#$%&'*+-.^_`|~";
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || extra.find(c) != std::string_view::npos;
    });
}

void parse_headers(const RunOptions& o, RunSpec& spec, std::vector<std::string>& errors) {
    for (const auto& h : o.headers) {
        const auto colon = h.find(':');
        const auto name = trim(std::string_view(h).substr(0, colon == std::string::npos ? h.size() : colon));
        if (colon == std::string::npos || !is_token(name)) {
            errors.push_back(fmt::format("-H '{}': expected 'Name: value'", h));
            continue;
        }
        const auto value = trim(std::string_view(h).substr(colon + 1));
        if (value.find_first_of("\r\n") != std::string_view::npos) {
            errors.push_back(fmt::format("-H '{}': a header value cannot contain a line break", name));
            continue;
        }
        spec.request.headers.emplace_back(std::string(name), std::string(value));
    }
}

void parse_load(const RunOptions& o, RunSpec& spec, std::vector<std::string>& errors) {
    if (o.rate.has_value() == o.vus.has_value())
        errors.push_back("give exactly one of --rate (open model) or --vus (closed model)");
    if (!o.duration && !o.requests) errors.push_back("give --duration, --requests or both");
    if (o.rate) {
        spec.load.model = LoadModel::open;
        if (auto r = parse_rate(*o.rate)) spec.load.rate_per_s = *r;
        else errors.push_back("--rate: " + r.error);
    }
    if (o.vus) {
        spec.load.model = LoadModel::closed;
        if (*o.vus < 1) errors.push_back("--vus: must be at least 1");
        spec.load.vus = std::max(1, *o.vus);
    }
    if (o.duration) {
        if (auto d = parse_duration(*o.duration); !d) errors.push_back("--duration: " + d.error);
        else if (d->count() <= 0) errors.push_back("--duration: must be greater than zero");
        else spec.load.duration = *d;
    }
    if (o.requests) {
        if (*o.requests < 1) errors.push_back("--requests: must be at least 1");
        else spec.load.requests = static_cast<std::uint64_t>(*o.requests);
    }
}

void parse_http(const RunOptions& o, RunSpec& spec, std::vector<std::string>& errors) {
    const bool open = spec.load.model == LoadModel::open;
    if (o.connections) {
        if (*o.connections < 1) errors.push_back("--connections: must be at least 1");
        else if (!open && o.vus && *o.connections != *o.vus)
            errors.push_back("--connections: in the closed model each VU holds one connection; leave it out or set it to --vus");
        spec.http.connections = *o.connections;
    } else {
        spec.http.connections = open ? 64 : spec.load.vus;
    }
    if (auto t = parse_duration(o.timeout); !t) errors.push_back("--timeout: " + t.error);
    else if (t->count() <= 0) errors.push_back("--timeout: must be greater than zero");
    else spec.http.timeout = *t;
    spec.http.insecure = o.insecure;
    spec.http.ca_file = o.ca_file;
    if (!o.ca_file.empty() && !std::filesystem::is_regular_file(o.ca_file))
        errors.push_back(fmt::format("--ca-file: '{}' is not a readable file", o.ca_file));
    if (o.max_pending && *o.max_pending < 0) errors.push_back("--max-pending: must be 0 or more");
    // Default: one second of arrivals may wait for a connection.
    spec.http.max_pending = o.max_pending ? static_cast<std::size_t>(std::max(0LL, *o.max_pending))
                                          : default_max_pending(spec.load.rate_per_s);
    if (auto s = parse_size(o.max_header); !s) errors.push_back("--max-header: " + s.error);
    else if (*s < 256) errors.push_back("--max-header: must be at least 256 bytes");
    else spec.http.max_header_bytes = static_cast<std::size_t>(*s);
    if (auto s = parse_size(o.max_body); !s) errors.push_back("--max-body: " + s.error);
    else spec.http.max_body_bytes = *s;
}

}  // namespace

std::vector<std::string> build_run_spec(const RunOptions& o, RunSpec& spec) {
    std::vector<std::string> errors;
    if (o.url.empty()) errors.push_back("give a scenario file or --url");
    else if (auto u = parse_target_url(o.url)) spec.request.url = *u;
    else errors.push_back("--url: " + u.error);
    if (!is_token(o.method)) errors.push_back(fmt::format("--method: '{}' is not an HTTP method", o.method));
    spec.request.method = o.method;
    spec.request.body = o.body;
    parse_headers(o, spec, errors);
    parse_load(o, spec, errors);
    parse_http(o, spec, errors);
    if (o.threads < 1) errors.push_back("--threads: must be at least 1");
    else if (o.threads > spec.http.connections)
        errors.push_back(fmt::format("--threads: {} threads need at least as many connections (have {})", o.threads,
                                     spec.http.connections));
    spec.threads = std::max(1, o.threads);
    if (auto i = parse_duration(o.interval); !i) errors.push_back("--interval: " + i.error);
    else if (*i < std::chrono::milliseconds(1)) errors.push_back("--interval: must be at least 1ms");
    else spec.interval = *i;
    if (!o.json_path.empty()) {
        const auto parent = std::filesystem::absolute(o.json_path).parent_path();
        if (!std::filesystem::is_directory(parent))
            errors.push_back(fmt::format("--json: directory '{}' does not exist", parent.string()));
    }
    return errors;
}

void apply_load_overrides(const RunOptions& o, Scenario& s, std::vector<std::string>& errors) {
    if (!o.rate && !o.vus && !o.duration && !o.requests) return;
    if (o.rate && o.vus) errors.push_back("give at most one of --rate or --vus");
    Duration total{0};
    for (const auto& st : s.load.stages) total += st.duration;
    Stage stage = s.load.stages.empty() ? Stage{} : s.load.stages.back();
    stage.duration = total;
    if (o.rate) {
        if (auto r = parse_rate(*o.rate)) {
            s.load.model = LoadModel::open;
            stage.rate_per_s = *r;
        } else {
            errors.push_back("--rate: " + r.error);
        }
    }
    if (o.vus) {
        if (*o.vus < 1) errors.push_back("--vus: must be at least 1");
        s.load.model = LoadModel::closed;
        stage.vus = std::max(1, *o.vus);
        if (!o.connections) s.http.connections = stage.vus;
    }
    if (o.duration) {
        if (auto d = parse_duration(*o.duration); !d || d->count() <= 0)
            errors.push_back("--duration: " + (d ? std::string("must be greater than zero") : d.error));
        else
            stage.duration = *d;
    }
    if (o.requests) {
        if (*o.requests < 1) errors.push_back("--requests: must be at least 1");
        else s.load.iterations = static_cast<std::uint64_t>(*o.requests);
        if (!o.duration) stage.duration = Duration::zero();  // until the budget is spent
    }
    if (s.load.model == LoadModel::open && stage.rate_per_s <= 0)
        errors.push_back("--vus/--rate: the open model needs a rate; give --rate");
    if (s.load.model == LoadModel::closed && stage.vus <= 0)
        errors.push_back("--rate/--vus: the closed model needs VUs; give --vus");
    s.load.stages = {stage};
    s.load.start_rate_per_s = -1;
    s.load.start_vus = -1;
    if (s.load.model == LoadModel::open && !o.max_pending)
        s.http.max_pending = default_max_pending(stage.rate_per_s);
}

namespace {

std::vector<std::pair<std::string, std::string>> parse_env(const std::vector<std::string>& assignments,
                                                           std::vector<std::string>& errors) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& a : assignments) {
        const auto eq = a.find('=');
        if (eq == std::string::npos || eq == 0) errors.push_back(fmt::format("-e '{}': expected NAME=VALUE", a));
        else out.emplace_back(a.substr(0, eq), a.substr(eq + 1));
    }
    return out;
}

// Scenario-file mode: load, apply overrides; nullopt after printing the problems.
std::optional<Scenario> load_for_run(const RunOptions& o, RunSettings& settings,
                                     const std::vector<std::pair<std::string, std::string>>& runtime = {}) {
    std::vector<std::string> errors;
    if (!o.url.empty()) errors.push_back("--url: give a scenario file or --url, not both");
    LoadOptions lo;
    lo.env = parse_env(o.env, errors);
    lo.target_override = o.target;
    lo.runtime = runtime;
    auto loaded = load_scenario_file(o.scenario_file, lo);
    for (const auto& d : loaded.diagnostics) std::cerr << format(d) << '\n';
    if (!loaded.ok()) return std::nullopt;
    Scenario s = std::move(*loaded.scenario);
    apply_load_overrides(o, s, errors);
    if (o.threads < 1) errors.push_back("--threads: must be at least 1");
    settings.threads = std::max(1, o.threads);
    if (auto i = parse_duration(o.interval); !i || *i < std::chrono::milliseconds(1))
        errors.push_back("--interval: " + (i ? std::string("must be at least 1ms") : i.error));
    else
        settings.interval = *i;
    apply_distribution(o, s, unix_time_ms(), settings, errors);
    for (const auto& e : errors) std::cerr << "faultline run: " << e << '\n';
    if (!errors.empty()) return std::nullopt;
    return s;
}

// --no-faults: the fault process owns proxies, services and faults; this one only sends
// load, to the proxies' addresses as the fault process creates them.
std::optional<Scenario> without_chaos(const RunOptions& options, Scenario scenario) {
    std::vector<std::string> unresolved;
    const auto runtime = shard_proxy_addresses(scenario.chaos, unresolved);
    for (const auto& name : unresolved)
        std::cerr << fmt::format("faultline run: --no-faults: proxy '{}' listens on port 0 (any free port), so its "
                                 "address is not known here; {{{{proxies.{}.listen}}}} renders as declared\n",
                                 name, name);
    if (!runtime.empty()) {
        RunSettings ignored;
        auto reloaded = load_for_run(options, ignored, runtime);
        if (!reloaded) return std::nullopt;
        scenario = std::move(*reloaded);
    }
    scenario.chaos = ChaosSpec{};
    return scenario;
}

void print_start(const RunOptions& o, const RunSettings& settings) {
    if (o.quiet) return;
    if (settings.shard.count > 1) std::cerr << fmt::format("faultline: shard {}/{}\n", settings.shard.index, settings.shard.count);
    if (settings.origin_unix_ms)
        std::cerr << fmt::format("faultline: starting at {} (in {:.1f} s)\n", *o.start_at,
                                 static_cast<double>(*settings.origin_unix_ms - unix_time_ms()) / 1000.0);
}

int run_scenario_file(const RunOptions& options, SignalWatch& watch) {
    RunSettings settings;
    auto scenario = load_for_run(options, settings);
    if (!scenario) return exit_code::bad_input;
    const std::string sha256 = scenario_file_sha256(options.scenario_file);
    const ScenarioReloader reload = [&](const std::vector<std::pair<std::string, std::string>>& runtime) {
        RunSettings ignored;
        return load_for_run(options, ignored, runtime);
    };
    if (options.faults_only) {
        if (!options.quiet)
            std::cerr << fmt::format("faultline: faults of scenario '{}' from {}, no load; Ctrl-C removes them\n",
                                     scenario->name, options.scenario_file);
        print_start(options, settings);
        return execute_faults_only(options, *scenario, settings, reload, sha256, watch);
    }
    if (options.no_faults) {
        scenario = without_chaos(options, std::move(*scenario));
        if (!scenario) return exit_code::bad_input;
    }
    if (!options.quiet)
        std::cerr << fmt::format("faultline: scenario '{}' from {}, Ctrl-C stops and keeps the partial result\n",
                                 scenario->name, options.scenario_file);
    print_start(options, settings);
    return execute_run(options, *scenario, settings, reload, sha256, watch);
}

}  // namespace

int run_command(const RunOptions& options) {
    // First of all, so that a Ctrl-C at any later moment ends in a written partial result.
    SignalWatch watch;
    if (!options.scenario_file.empty()) return run_scenario_file(options, watch);
    RunSpec spec;
    auto errors = build_run_spec(options, spec);
    if (options.faults_only) errors.push_back("--faults-only: needs a scenario file with `faults:`, not --url");
    RunSettings settings;
    settings.threads = spec.threads;
    settings.interval = spec.interval;
    const Scenario scenario = scenario_from_spec(spec);
    if (errors.empty()) apply_distribution(options, scenario, unix_time_ms(), settings, errors);
    if (!errors.empty()) {
        for (const auto& e : errors) std::cerr << "faultline run: " << e << '\n';
        return exit_code::bad_input;
    }
    // Before the start line: whoever sees that line may signal at once (the first digest
    // can take a few ms to load OpenSSL's providers).
    const std::string sha256 = adhoc_sha256(spec);
    if (!options.quiet)
        std::cerr << fmt::format("faultline: {} {} ({}), Ctrl-C stops and keeps the partial result\n",
                                 spec.request.method, spec.request.url.text,
                                 spec.load.model == LoadModel::open ? fmt::format("{:g} req/s", spec.load.rate_per_s)
                                                                    : fmt::format("{} VUs", spec.load.vus));
    print_start(options, settings);
    return execute_run(options, scenario, settings, {}, sha256, watch);
}

}  // namespace faultline
