#include <array>
#include <fmt/format.h>
#include <limits>

#include "scenarios/loader_parts.hpp"

namespace faultline {
namespace {

constexpr std::int64_t kMaxVus = 100'000;

// The model when `model:` is absent: VUs mean closed, anything else open.
LoadModel infer_model(YamlReader& rd, const YAML::Node& load) {
    if (const auto m = load["model"]) {
        auto v = rd.string(m, "load.model");
        if (v && *v == "closed") return LoadModel::closed;
        if (v && *v != "open") rd.error(m, fmt::format("load.model: expected open or closed, got '{}'", *v));
        return LoadModel::open;
    }
    if (load["vus"] || load["start_vus"]) return LoadModel::closed;
    if (const auto stages = load["stages"]; stages && stages.IsSequence() && stages.size() > 0 &&
                                            stages[0].IsMap() && stages[0]["vus"])
        return LoadModel::closed;
    return LoadModel::open;
}

// Keys that belong to the other model are errors rather than silently ignored.
void reject_other_model_keys(YamlReader& rd, const YAML::Node& load, LoadModel model) {
    const bool open = model == LoadModel::open;
    static constexpr std::array<const char*, 3> kOpenOnly{"rate", "start_rate", nullptr};
    static constexpr std::array<const char*, 3> kClosedOnly{"vus", "start_vus", "iterations"};
    for (const char* key : open ? kClosedOnly : kOpenOnly) {
        if (key == nullptr) continue;
        if (const auto n = load[key])
            rd.error(n, fmt::format("load.{}: not used by the {} model{}", key, open ? "open" : "closed",
                                    open ? " (set model: closed for virtual users)" : " (use vus)"));
    }
}

std::optional<Stage> load_stage(YamlReader& rd, const YAML::Node& node, const std::string& where, LoadModel model) {
    if (!rd.expect_map(node, where)) return std::nullopt;
    const bool open = model == LoadModel::open;
    rd.check_keys(node, {"duration", "rate", "vus"}, where);
    if (const auto other = node[open ? "vus" : "rate"]) {
        rd.error(other, fmt::format("{}.{}: stages of the {} model set '{}'", where, open ? "vus" : "rate",
                                    open ? "open" : "closed", open ? "rate" : "vus"));
        return std::nullopt;
    }
    Stage stage;
    bool ok = true;
    if (const auto d = node["duration"]) {
        auto v = rd.duration(d, where + ".duration");
        if (v && *v <= Duration::zero()) rd.error(d, where + ".duration: must be greater than zero");
        ok = v && *v > Duration::zero();
        if (ok) stage.duration = *v;
    } else {
        rd.error(node, where + ": missing 'duration'");
        ok = false;
    }
    const char* target_key = open ? "rate" : "vus";
    if (const auto t = node[target_key]) {
        if (open) {
            auto v = rd.rate(t, where + ".rate", true);
            ok = ok && v;
            if (v) stage.rate_per_s = *v;
        } else {
            auto v = rd.integer(t, where + ".vus", 0, kMaxVus);
            ok = ok && v;
            if (v) stage.vus = static_cast<int>(*v);
        }
    } else {
        rd.error(node, fmt::format("{}: missing '{}'", where, target_key));
        ok = false;
    }
    if (!ok) return std::nullopt;
    return stage;
}

void load_stages(YamlReader& rd, const YAML::Node& stages, LoadProfile& p) {
    if (!rd.expect_list(stages, "load.stages")) return;
    if (stages.size() == 0) rd.error(stages, "load.stages: empty list (give at least one stage)");
    for (std::size_t i = 0; i < stages.size(); ++i) {
        if (auto st = load_stage(rd, stages[i], fmt::format("load.stages[{}]", i), p.model))
            p.stages.push_back(*st);
    }
}

// `rate` + `duration`, or `vus` + `duration` and/or `iterations`: one constant stage.
void load_shorthand(YamlReader& rd, const YAML::Node& load, LoadProfile& p) {
    const bool open = p.model == LoadModel::open;
    Stage stage;
    if (const auto d = load["duration"]) {
        auto v = rd.duration(d, "load.duration");
        if (v && *v <= Duration::zero()) rd.error(d, "load.duration: must be greater than zero");
        else if (v) stage.duration = *v;
    } else if (open || !load["iterations"]) {
        rd.error(load, open ? "load: missing 'duration' (how long to keep the rate)"
                            : "load: missing 'duration' or 'iterations' (when the virtual users stop)");
    }
    if (open) {
        if (auto v = rd.rate(load["rate"], "load.rate", false)) stage.rate_per_s = *v;
    } else if (auto v = rd.integer(load["vus"], "load.vus", 1, kMaxVus)) {
        stage.vus = static_cast<int>(*v);
    }
    p.stages.push_back(stage);
}

}  // namespace

LoadProfile load_profile(YamlReader& rd, const YAML::Node& load) {
    LoadProfile p;
    if (!rd.expect_map(load, "load")) return p;
    rd.check_keys(load, {"model", "warmup", "stages", "start_rate", "start_vus", "rate", "vus", "duration",
                         "iterations"},
                  "load");
    p.model = infer_model(rd, load);
    reject_other_model_keys(rd, load, p.model);
    const bool open = p.model == LoadModel::open;
    if (const auto w = load["warmup"]) {
        if (auto v = rd.duration(w, "load.warmup")) p.warmup = *v;
    }
    if (const auto n = load["iterations"]; n && !open) {
        if (auto v = rd.integer(n, "load.iterations", 1, std::numeric_limits<std::int64_t>::max()))
            p.iterations = static_cast<std::uint64_t>(*v);
    }
    const auto shorthand_key = load[open ? "rate" : "vus"];
    if (const auto stages = load["stages"]) {
        if (shorthand_key) rd.error(shorthand_key, "load: give either stages or a constant rate/vus, not both");
        if (load["duration"]) rd.error(load["duration"], "load.duration: not used with stages (each stage has one)");
        load_stages(rd, stages, p);
        if (const auto n = load[open ? "start_rate" : "start_vus"]) {
            if (open) {
                if (auto v = rd.rate(n, "load.start_rate", true)) p.start_rate_per_s = *v;
            } else if (auto v = rd.integer(n, "load.start_vus", 0, kMaxVus)) {
                p.start_vus = static_cast<int>(*v);
            }
        }
    } else if (shorthand_key) {
        if (const auto n = load[open ? "start_rate" : "start_vus"])
            rd.error(n, fmt::format("load.{}: a start value ramps into the first stage, so it needs 'stages'",
                                    open ? "start_rate" : "start_vus"));
        load_shorthand(rd, load, p);
    } else {
        rd.error(load, open ? "load: no load given (use rate + duration, or stages)"
                            : "load: no load given (use vus + duration or iterations, or stages)");
    }
    return p;
}

}  // namespace faultline
