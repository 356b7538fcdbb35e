#include "faults/api_json.hpp"
#include "common/text.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/stream_parser.hpp>
#include <cctype>
#include <cmath>
#include <fmt/format.h>
#include <limits>

namespace faultline::faults {

namespace {

// Go matches keys exactly first, then case-insensitively. Null counts as absent.
const json::value* field(const json::object& object, std::string_view key) {
    const json::value* found = object.if_contains(key);
    if (!found)
        for (const auto& kv : object)
            if (iequals(kv.key(), key)) found = &kv.value();
    return found && !found->is_null() ? found : nullptr;
}

std::string_view go_kind(const json::value& v) {
    if (v.is_string()) return "string";
    if (v.is_bool()) return "bool";
    if (v.is_array()) return "array";
    if (v.is_object()) return "object";
    return "number";
}

std::string type_error(const json::value& v, std::string_view go_field, std::string_view go_type) {
    return fmt::format("bad request body: json: cannot unmarshal {} into Go struct field {} of type {}", go_kind(v),
                       go_field, go_type);
}

std::string get_string(const json::object& o, std::string_view key, std::string_view owner,
                       std::optional<std::string>& out) {
    if (const auto* v = field(o, key)) {
        if (!v->is_string()) return type_error(*v, fmt::format("{}.{}", owner, key), "string");
        out = std::string(v->get_string());
    }
    return {};
}

}  // namespace

ParsedBody parse_body(std::string_view body) {
    json::stream_parser parser;
    boost::system::error_code ec;
    std::size_t used = 0;
    while (!ec && used < body.size() && !parser.done()) used += parser.write_some(body.data() + used, body.size() - used, ec);
    if (!ec && !parser.done()) parser.finish(ec);
    if (ec || !parser.done()) {
        const auto first = body.find_first_not_of(" \t\r\n");
        if (first == std::string_view::npos) return {{}, "bad request body: EOF"};
        if (ec == json::error::incomplete || !parser.done()) return {{}, "bad request body: unexpected EOF"};
        return {{}, fmt::format("bad request body: invalid character '{}' looking for beginning of value",
                                body[std::min(used, body.size() - 1)])};
    }
    return {parser.release(), {}};  // bytes after the first value are ignored, as in Go
}

std::string decode_proxy(const json::value& value, ProxyBody& out) {
    if (!value.is_object())
        return fmt::format("bad request body: json: cannot unmarshal {} into Go value of type proxy.Proxy", go_kind(value));
    const auto& o = value.get_object();
    for (auto [key, target] : {std::pair{"name", &out.name}, {"listen", &out.listen}, {"upstream", &out.upstream}})
        if (auto e = get_string(o, key, "Proxy", *target); !e.empty()) return e;
    if (const auto* v = field(o, "enabled")) {
        if (!v->is_bool()) return type_error(*v, "Proxy.enabled", "bool");
        out.enabled = v->get_bool();
    }
    out.toxics = field(o, "toxics");
    return {};
}

std::string decode_toxic(const json::value& value, ToxicBody& out) {
    if (!value.is_object())
        return fmt::format("bad request body: json: cannot unmarshal {} into Go value of type toxics.ToxicWrapper",
                           go_kind(value));
    const auto& o = value.get_object();
    for (auto [key, target] : {std::pair{"name", &out.name}, {"type", &out.type}, {"stream", &out.stream}})
        if (auto e = get_string(o, key, "ToxicWrapper", *target); !e.empty()) return e;
    if (const auto* v = field(o, "toxicity")) {
        if (!v->is_number()) return type_error(*v, "ToxicWrapper.toxicity", "float32");
        out.toxicity = v->to_number<double>();
    }
    out.attributes = field(o, "attributes");
    return {};
}

std::string decode_attributes(const ToxicType& type, const json::value* attributes, Attributes& values) {
    if (!attributes) return {};
    if (!attributes->is_object()) return type_error(*attributes, "ToxicWrapper.attributes", type.go_struct);
    for (auto& [name, current] : values) {
        const auto* v = field(attributes->get_object(), name);
        if (!v) continue;
        const auto go_field = fmt::format("{}.{}", type.go_struct, name);
        if (v->is_int64()) current = v->get_int64();
        else if (v->is_uint64()) return fmt::format("bad request body: json: cannot unmarshal number {} into Go struct field {} of type int64", v->get_uint64(), go_field);
        else if (v->is_double()) return fmt::format("bad request body: json: cannot unmarshal number {} into Go struct field {} of type int64", v->get_double(), go_field);
        else return type_error(*v, go_field, "int64");
    }
    return {};
}

ToxicBuild build_toxic(const ToxicBody& body, const ToxicRegistry& types,
                       const std::function<bool(std::string_view)>& name_taken) {
    ToxicBuild b;
    auto& t = b.spec;
    t.stream = body.stream.value_or("");
    if (t.stream.empty()) t.stream = "downstream";
    if (iequals(t.stream, "upstream")) t.direction = Direction::upstream;
    else if (iequals(t.stream, "downstream")) t.direction = Direction::downstream;
    else return {400, "stream was invalid, can be either upstream or downstream", {}};
    t.type = body.type.value_or("");
    t.name = body.name.value_or("");
    if (t.name.empty()) t.name = t.type + "_" + t.stream;
    const ToxicType* type = types.find(t.type);
    if (!type) return {400, "invalid toxic type", {}};
    if (name_taken(t.name)) return {409, "toxic already exists", {}};
    t.toxicity = static_cast<float>(body.toxicity.value_or(1.0));
    t.attributes = types.defaults(*type);
    if (auto e = decode_attributes(*type, body.attributes, t.attributes); !e.empty()) return {400, e, {}};
    auto made = type->make(t.attributes);
    if (!made.toxic) return {400, made.error, {}};
    t.impl = std::move(made.toxic);
    return b;
}

json::object toxic_json(const ToxicSpec& toxic) {
    json::object attributes;
    for (const auto& [name, value] : toxic.attributes) attributes[name] = value;
    json::object o;
    o["attributes"] = std::move(attributes);
    o["name"] = toxic.name;
    o["type"] = toxic.type;
    o["stream"] = toxic.stream;
    // float32 printed shortest (0.2, not 0.20000000298023224): the Node client compares exactly.
    o["toxicity"] = std::stod(fmt::format("{}", toxic.toxicity));
    return o;
}

json::object proxy_json(const Proxy& proxy) {
    json::object o;
    o["name"] = proxy.name();
    o["listen"] = proxy.listen();
    o["upstream"] = proxy.upstream();
    o["enabled"] = proxy.enabled();
    o["Logger"] = json::object{};  // an accident of Go's zerolog field; kept for fidelity
    json::array toxics;
    for (const auto* t : proxy.toxics()) toxics.push_back(toxic_json(*t));
    o["toxics"] = std::move(toxics);
    return o;
}

json::object error_json(std::string_view message, int status) {
    json::object o;
    o["error"] = message;
    o["status"] = status;
    return o;
}

std::string write_json(const json::value& value) {
    switch (value.kind()) {
    case json::kind::object: {
        std::string out = "{";
        for (const auto& kv : value.get_object()) {
            if (out.size() > 1) out += ',';
            out += json::serialize(json::string(kv.key())) + ":" + write_json(kv.value());
        }
        return out + "}";
    }
    case json::kind::array: {
        std::string out = "[";
        for (const auto& v : value.get_array()) {
            if (out.size() > 1) out += ',';
            out += write_json(v);
        }
        return out + "]";
    }
    case json::kind::double_: {
        const double d = value.get_double();
        if (!std::isfinite(d)) return "null";
        return fmt::format("{}", d);
    }
    default: return json::serialize(value);
    }
}

}  // namespace faultline::faults
