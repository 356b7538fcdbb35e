#pragma once
// A scenario file, loaded and checked: plain values the driver runs. Names used in
// templates are resolved at load time into slots, data columns or built-ins, so running a
// step never looks a name up.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "common/clock.hpp"
#include "reports/slo.hpp"
#include "scenarios/chaos_spec.hpp"
#include "scenarios/json_path.hpp"
#include "scenarios/run_spec.hpp"
#include "scenarios/source_pos.hpp"
#include "scenarios/template.hpp"

namespace faultline {

struct Extraction {
    enum class From { json, header, regex };
    int slot = 0;  // index into Scenario::slot_names
    From from = From::json;
    JsonPath json;          // From::json
    std::string header;     // From::header, lower-case
    std::string pattern;    // From::regex: ECMAScript; group 1 if any, else the whole match
    std::shared_ptr<const std::regex> compiled;  // From::regex: `pattern`, compiled at load
};

struct JsonEquals {
    JsonPath path;
    std::string expected;  // the expected value, serialised as compact JSON
};

struct Expectations {
    std::vector<int> status;                   // empty: any 2xx/3xx
    std::optional<std::string> body_contains;
    std::vector<JsonEquals> json;
    std::optional<Duration> latency_below;     // corrected latency must be below this
    bool needs_body() const noexcept { return body_contains.has_value() || !json.empty(); }
};

struct HttpStep {
    std::string name;  // unique within the scenario; "GET /path" when not given
    SourcePos pos;
    std::string method = "GET";
    bool full_url = false;  // url is a whole URL; otherwise a path joined to the target
    Template url;
    std::vector<std::pair<std::string, Template>> headers;
    std::optional<Template> body;
    Expectations expect;
    std::vector<Extraction> extract;
    bool abort_on_fail = false;
    bool needs_body() const noexcept;
};

struct ThinkStep {
    Duration min{0};
    Duration max{0};  // uniform in [min, max]
};

using Step = std::variant<HttpStep, ThinkStep>;

struct Flow {
    std::string name;
    double weight = 1;
    std::vector<Step> steps;
};

struct Stage {
    Duration duration{0};   // 0 with LoadProfile::iterations: until the iterations are spent
    double rate_per_s = 0;  // open model: target rate at the end of the stage
    int vus = 0;            // closed model: target VUs at the end of the stage
};

struct LoadProfile {
    LoadModel model = LoadModel::open;
    Duration warmup{0};
    double start_rate_per_s = -1;  // open: rate at t=0; < 0 means the first stage's own rate
    int start_vus = -1;            // closed: VUs at t=0; < 0 means the first stage's own VUs
    std::vector<Stage> stages;
    std::optional<std::uint64_t> iterations;  // closed: stop after this many iterations
};

struct DataFeed {
    std::string name;
    std::vector<std::string> columns;
    std::vector<std::vector<std::string>> rows;  // every row has columns.size() fields
    bool random_order = false;                   // else sequential, wrapping around
};

struct Scenario {
    std::string name;
    std::string file;
    Template target;            // base URL for steps that give a path
    HttpSettings http;          // connections, timeouts, TLS, size caps
    bool keep_alive = true;
    Duration connect_timeout = std::chrono::seconds(5);
    LoadProfile load;
    std::vector<DataFeed> data;
    std::vector<Flow> flows;               // one flow named after the scenario when `flow:` was used
    std::vector<std::string> slot_names;   // per-iteration variables (extractions), by slot
    ChaosSpec chaos;                       // proxies, services, faults
    SloSpec slo;                           // thresholds; empty when `slo:` is absent
    std::optional<AbortSpec> abort;        // safety stop
};

}  // namespace faultline
