#include <algorithm>
#include <cctype>
#include <cmath>
#include <fmt/format.h>
#include <limits>

#include "common/units.hpp"
#include "scenarios/loader_parts.hpp"
#include "scenarios/suggest.hpp"

namespace faultline {
namespace {

// Toxiproxy's raw unit for each attribute (docs/scenarios.md, "Toxic attributes").
enum class Unit { ms, us, kb_per_s, bytes };

struct Attribute {
    std::string_view name;
    Unit unit;
};

struct ToxicType {
    std::string_view type;
    std::vector<Attribute> attributes;
};

const std::vector<ToxicType>& toxic_types() {
    static const std::vector<ToxicType> types{
        {"latency", {{"latency", Unit::ms}, {"jitter", Unit::ms}}},
        {"bandwidth", {{"rate", Unit::kb_per_s}}},
        {"slow_close", {{"delay", Unit::ms}}},
        {"timeout", {{"timeout", Unit::ms}}},
        {"reset_peer", {{"timeout", Unit::ms}}},
        {"slicer", {{"average_size", Unit::bytes}, {"size_variation", Unit::bytes}, {"delay", Unit::us}}},
        {"limit_data", {{"bytes", Unit::bytes}}},
        {"noop", {}},
    };
    return types;
}

std::optional<std::int64_t> checked_int(double value) {
    if (!(value >= 0) || value > static_cast<double>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
    return static_cast<std::int64_t>(value);
}

// A duration in whole ms (or us): Toxiproxy takes integers, and rounding would change
// what the user asked for without saying so.
std::optional<std::int64_t> whole_duration(YamlReader& rd, const YAML::Node& n, const std::string& what,
                                           const std::string& text, Unit unit) {
    const auto d = parse_duration(text);
    if (!d) {
        rd.error(n, fmt::format("{}: {}", what, d.error));
        return std::nullopt;
    }
    const std::int64_t per = unit == Unit::ms ? 1'000'000 : 1'000;
    if (d->count() % per != 0) {
        rd.error(n, fmt::format("{}: '{}' is not a whole number of {} (Toxiproxy's unit here)", what, text,
                                unit == Unit::ms ? "milliseconds" : "microseconds"));
        return std::nullopt;
    }
    return d->count() / per;
}

// "1MB/s" -> 1000 KB/s. KiB-based sizes cannot be exact in KB, so rates are rounded.
std::optional<std::int64_t> kb_per_s(YamlReader& rd, const YAML::Node& n, const std::string& what,
                                     const std::string& text) {
    if (!text.ends_with("/s")) {
        rd.error(n, fmt::format("{}: '{}' is not a rate: expected a size per second (e.g. 1MB/s, 500KB/s) or an "
                                "integer in KB/s",
                                what, text));
        return std::nullopt;
    }
    const auto bytes = parse_size(std::string_view(text).substr(0, text.size() - 2));
    if (!bytes) {
        rd.error(n, fmt::format("{}: {}", what, bytes.error));
        return std::nullopt;
    }
    const auto kb = checked_int(std::round(static_cast<double>(*bytes) / 1000.0));
    if (*bytes > 0 && kb == 0) {
        rd.error(n, fmt::format("{}: '{}' is below 1KB/s, Toxiproxy's unit (0 stalls the connection)", what, text));
        return std::nullopt;
    }
    return kb;
}

std::optional<std::int64_t> attribute_value(YamlReader& rd, const YAML::Node& n, const std::string& what, Unit unit) {
    long long raw = 0;
    if (n.IsScalar() && !is_quoted(n) && YAML::convert<long long>::decode(n, raw)) {
        if (raw >= 0) return raw;
        rd.error(n, fmt::format("{}: must not be negative, got {}", what, raw));
        return std::nullopt;
    }
    auto text = rd.string(n, what);
    if (!text) return std::nullopt;
    switch (unit) {
    case Unit::ms:
    case Unit::us: return whole_duration(rd, n, what, *text, unit);
    case Unit::kb_per_s: return kb_per_s(rd, n, what, *text);
    case Unit::bytes: break;
    }
    const auto bytes = parse_size(*text);
    if (!bytes) rd.error(n, fmt::format("{}: {}", what, bytes.error));
    if (!bytes) return std::nullopt;
    auto v = checked_int(static_cast<double>(*bytes));
    if (!v) rd.error(n, fmt::format("{}: '{}' is too large", what, *text));
    return v;
}

// The slicer splits forever with average_size 0 and can index out of its chunk when the
// variation is not below the average: both crash Toxiproxy, so they are load errors.
void check_slicer(YamlReader& rd, const YAML::Node& toxic, const std::string& where, const ToxicDecl& t) {
    const auto attrs = toxic["attributes"];
    const auto get = [&](const char* key) -> std::int64_t {
        const auto it = t.attributes.find(key);
        return it == t.attributes.end() ? 0 : it->value().as_int64();
    };
    const auto at = [&](const char* key) { return attrs && attrs[key] ? attrs[key] : attrs ? attrs : toxic; };
    const auto avg = get("average_size");
    if (avg <= 0) {
        rd.error(at("average_size"),
                 where + ".attributes.average_size: must be at least 1 byte (0 crashes the slicer)");
        return;
    }
    if (get("size_variation") >= avg)
        rd.error(at("size_variation"), where + ".attributes.size_variation: must be less than average_size");
}

void load_attributes(YamlReader& rd, const YAML::Node& node, const std::string& where, const ToxicType& type,
                     ToxicDecl& out) {
    std::vector<std::string> names;
    for (const auto& a : type.attributes) names.emplace_back(a.name);
    for (const auto& kv : node) {
        const std::string key = kv.first.Scalar();
        const auto it = std::find_if(type.attributes.begin(), type.attributes.end(),
                                     [&](const Attribute& a) { return a.name == key; });
        if (it == type.attributes.end()) {
            const auto hint = did_you_mean(key, names);
            rd.error(kv.first, fmt::format("{}: unknown attribute '{}' for a {} toxic{}", where, key, type.type,
                                           !hint.empty()       ? hint
                                           : names.empty()     ? " (it takes none)"
                                                               : fmt::format(" (expected one of: {})",
                                                                             fmt::join(names, ", "))));
            continue;
        }
        if (auto v = attribute_value(rd, kv.second, where + "." + key, it->unit)) out.attributes[key] = *v;
    }
}

void load_stream(YamlReader& rd, const YAML::Node& n, const std::string& where, ToxicDecl& out) {
    auto v = rd.string(n, where + ".stream");
    if (!v) return;
    if (*v == "upstream" || *v == "downstream") out.stream = *v;
    else {
        const std::vector<std::string> streams{"upstream", "downstream"};
        auto hint = did_you_mean(*v, streams);
        rd.error(n, fmt::format("{}.stream: expected upstream (client to server) or downstream (server to client), got "
                                "'{}'{}",
                                where, *v, hint));
    }
}

// Toxiproxy names are one URL path segment; keeping to these characters needs no escaping.
bool is_toxic_name(std::string_view name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
    });
}

}  // namespace

bool load_toxic(YamlReader& rd, const YAML::Node& node, const std::string& where, ToxicDecl& out) {
    const std::size_t errors_before = rd.diagnostics().size();
    if (!rd.expect_map(node, where)) return false;
    rd.check_keys(node, {"type", "stream", "toxicity", "name", "attributes"}, where);
    const ToxicType* type = nullptr;
    if (const auto t = node["type"]; !t) {
        rd.error(node, where + ": missing 'type' (latency, bandwidth, slow_close, timeout, reset_peer, slicer, "
                               "limit_data or noop)");
    } else if (auto v = rd.string(t, where + ".type")) {
        std::vector<std::string> names;
        for (const auto& tt : toxic_types()) {
            names.emplace_back(tt.type);
            if (tt.type == *v) type = &tt;
        }
        if (type) out.type = *v;
        else {
            auto hint = did_you_mean(*v, names);
            if (hint.empty()) hint = fmt::format(" (expected one of: {})", fmt::join(names, ", "));
            rd.error(t, fmt::format("{}.type: unknown toxic type '{}'{}", where, *v, hint));
        }
    }
    if (const auto n = node["stream"]) load_stream(rd, n, where, out);
    if (const auto n = node["toxicity"]) {
        auto v = rd.number(n, where + ".toxicity", 0);
        if (v && *v > 1) rd.error(n, fmt::format("{}.toxicity: must be between 0 and 1, got {}", where, n.Scalar()));
        else if (v) out.toxicity = *v;
    }
    if (const auto n = node["name"]) {
        auto v = rd.string(n, where + ".name");
        if (v && !is_toxic_name(*v))
            rd.error(n, fmt::format("{}.name: '{}' may only use letters, digits, '_', '-' and '.'", where, *v));
        else if (v) out.name = *v;
    }
    const auto attrs = node["attributes"];
    if (attrs && rd.expect_map(attrs, where + ".attributes") && type)
        load_attributes(rd, attrs, where + ".attributes", *type, out);
    if (rd.diagnostics().size() == errors_before && out.type == "slicer") check_slicer(rd, node, where, out);
    return rd.diagnostics().size() == errors_before;
}

}  // namespace faultline
