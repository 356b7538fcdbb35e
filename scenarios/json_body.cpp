#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <cmath>
#include <fmt/format.h>

#include "scenarios/loader_parts.hpp"

namespace faultline {
namespace {

std::string json_string(std::string_view text) { return boost::json::serialize(boost::json::string(text)); }

// A plain (unquoted) YAML scalar keeps its YAML type in JSON: null, booleans, numbers.
// Quoted scalars and anything else become strings. Returns nullopt for strings.
std::optional<std::string> typed_scalar(const YAML::Node& n) {
    if (n.IsNull()) return std::string("null");
    if (is_quoted(n)) return std::nullopt;
    const std::string& text = n.Scalar();
    if (text == "null" || text == "~") return std::string("null");
    if (text == "true" || text == "false") return text;
    long long i = 0;
    if (YAML::convert<long long>::decode(n, i)) return fmt::format("{}", i);
    double d = 0;
    if (YAML::convert<double>::decode(n, d) && std::isfinite(d)) return fmt::format("{}", d);
    return std::nullopt;
}

void build(YamlReader& rd, const YAML::Node& node, const std::string& where, const TemplateSymbols& symbols,
           Template& out, bool& ok) {
    if (node.IsMap()) {
        out.append_literal("{");
        bool first = true;
        for (const auto& kv : node) {
            out.append_literal(first ? "" : ",");
            first = false;
            out.append_literal(json_string(kv.first.Scalar()) + ":");
            build(rd, kv.second, where + "." + kv.first.Scalar(), symbols, out, ok);
        }
        out.append_literal("}");
    } else if (node.IsSequence()) {
        out.append_literal("[");
        for (std::size_t i = 0; i < node.size(); ++i) {
            out.append_literal(i == 0 ? "" : ",");
            build(rd, node[i], fmt::format("{}[{}]", where, i), symbols, out, ok);
        }
        out.append_literal("]");
    } else if (auto typed = typed_scalar(node)) {
        out.append_literal(*typed);
    } else {
        auto t = rd.templ(node, where, symbols);
        if (!t) {
            ok = false;
            return;
        }
        t->escape_json();
        out.append_literal("\"");
        out.append(*t);
        out.append_literal("\"");
    }
}

}  // namespace

bool json_body_template(YamlReader& rd, const YAML::Node& node, const std::string& where,
                        const TemplateSymbols& symbols, Template& out) {
    bool ok = true;
    out = Template();
    build(rd, node, where, symbols, out, ok);
    return ok;
}

std::string yaml_to_json(const YAML::Node& node) {
    if (node.IsMap()) {
        std::string s = "{";
        for (const auto& kv : node) {
            if (s.size() > 1) s += ',';
            s += json_string(kv.first.Scalar()) + ":" + yaml_to_json(kv.second);
        }
        return s + "}";
    }
    if (node.IsSequence()) {
        std::string s = "[";
        for (std::size_t i = 0; i < node.size(); ++i) s += (i ? "," : "") + yaml_to_json(node[i]);
        return s + "]";
    }
    if (auto typed = typed_scalar(node)) return *typed;
    return json_string(node.Scalar());
}

}  // namespace faultline
