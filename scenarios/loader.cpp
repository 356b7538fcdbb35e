#include "scenarios/loader.hpp"

#include <algorithm>
#include <cstdlib>
#include <tuple>
#include <fmt/format.h>
#include <fstream>
#include <sstream>

#include "scenarios/loader_parts.hpp"

namespace faultline {
namespace {

namespace fs = std::filesystem;

// -e values win over the environment, which is consulted only when allowed.
std::optional<std::string> lookup_env(const LoadOptions& options, std::string_view name) {
    for (auto it = options.env.rbegin(); it != options.env.rend(); ++it)
        if (it->first == name) return it->second;
    if (!options.use_process_env) return std::nullopt;
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
}

// Checks a target that is fully known now; one with per-iteration parts is checked per
// request by the driver, so here only its scheme is.
void check_target(YamlReader& rd, const YAML::Node& node, const Template& t, const TemplateSymbols& symbols) {
    if (t.is_literal()) {
        // A proxy on port 0 has no address before it listens; the run loads the file again then.
        if (uses_unbound_proxy(node.Scalar(), symbols)) return;
        if (auto url = parse_target_url(t.literal_text()); !url) rd.error(node, "target: " + url.error);
        return;
    }
    const auto& first = t.parts().front();
    if (first.kind != TemplatePart::Kind::literal ||
        !(first.text.starts_with("http://") || first.text.starts_with("https://")))
        rd.error(node, "target: must start with http:// or https://");
}

// An extract name that is also a variable would be shadowed by the variable everywhere.
void check_slot_names(YamlReader& rd, const YAML::Node& vars, const std::vector<std::string>& slots) {
    if (!vars || !vars.IsMap()) return;
    for (const auto& kv : vars) {
        const std::string name = kv.first.Scalar();
        if (std::find(slots.begin(), slots.end(), name) != slots.end())
            rd.error(kv.first, fmt::format("variable '{}' is also an extract name; rename one of them", name));
    }
}

// Problems in the scenario file come first, in file order; those in CSV files follow.
void sort_diagnostics(std::vector<Diagnostic>& diags, const std::string& file) {
    std::stable_sort(diags.begin(), diags.end(), [&](const Diagnostic& a, const Diagnostic& b) {
        return std::make_tuple(a.file != file, a.file, a.line, a.column) <
               std::make_tuple(b.file != file, b.file, b.line, b.column);
    });
}

void load_target(YamlReader& rd, const YAML::Node& root, const LoadOptions& options,
                 const TemplateSymbols& symbols, Scenario& s) {
    if (options.target_override) {
        if (auto url = parse_target_url(*options.target_override); !url)
            rd.diagnostics().push_back({"--target", 0, 0, url.error});
        s.target = Template::literal(*options.target_override);
        return;
    }
    const auto node = root["target"];
    if (!node) return;  // only steps with `url:` then; flow_loader checks
    if (auto t = rd.templ(node, "target", symbols)) {
        check_target(rd, node, *t, symbols);
        s.target = std::move(*t);
    }
}

// After the flows: services use every static symbol, and per-step limits name steps.
void load_chaos_and_slo(YamlReader& rd, const YAML::Node& root, const fs::path& base_dir,
                        const TemplateSymbols& symbols, bool flows_ok, Scenario& s) {
    if (const auto services = root["services"]) load_services(rd, services, base_dir, symbols, s.chaos);
    if (const auto faults = root["faults"]) load_faults(rd, faults, s.chaos);
    if (const auto slo = root["slo"]) load_slo(rd, slo, s, flows_ok, s.slo);
    if (const auto abort = root["abort"]) load_abort(rd, abort, s.slo, s.abort);
}

void load_sections(YamlReader& rd, const YAML::Node& root, const fs::path& base_dir, const LoadOptions& options,
                   Scenario& s) {
    rd.check_keys(root, {"name", "target", "tls", "http", "variables", "data", "load", "flow", "scenarios", "proxies",
                         "toxiproxy", "services", "faults", "slo", "abort"},
                  "the scenario");
    if (const auto name = root["name"]) {
        if (auto text = rd.string(name, "name")) s.name = *text;
    }
    TemplateSymbols symbols;
    symbols.env = [&options](std::string_view name) { return lookup_env(options, name); };
    // Proxies first: {{proxies.NAME.listen}} is a static that variables may use too.
    load_proxies(rd, root, options.runtime, symbols, s.chaos);
    if (const auto vars = root["variables"]) load_variables(rd, vars, symbols);
    if (const auto data = root["data"]) load_data(rd, data, base_dir, s, symbols);
    symbols.slots = collect_slot_names(root);
    s.slot_names = symbols.slots;
    check_slot_names(rd, root["variables"], symbols.slots);
    load_target(rd, root, options, symbols, s);
    if (const auto tls = root["tls"]) load_tls(rd, tls, base_dir, s);
    if (const auto http = root["http"]) load_http(rd, http, s);
    if (const auto load = root["load"]) s.load = load_profile(rd, load);
    else rd.error(root, "no load: add a 'load' section (e.g. load: { rate: 10/s, duration: 30s })");
    const std::size_t errors_before_flows = rd.diagnostics().size();
    load_flows(rd, root, symbols, s);
    const bool flows_ok = rd.diagnostics().size() == errors_before_flows;
    finish_http_settings(root["http"], s);
    load_chaos_and_slo(rd, root, base_dir, symbols, flows_ok, s);
}

}  // namespace

LoadResult load_scenario_text(std::string_view yaml, const std::string& file_name, const fs::path& base_dir,
                              const LoadOptions& options) {
    LoadResult result;
    YAML::Node root;
    try {
        root = YAML::Load(std::string(yaml));
    } catch (const YAML::Exception& e) {
        result.diagnostics.push_back({file_name, e.mark.line + 1, e.mark.column + 1, "invalid YAML: " + e.msg});
        return result;
    }
    YamlReader rd(file_name, yaml, result.diagnostics);
    if (!root.IsMap()) {
        result.diagnostics.push_back(
            {file_name, 1, 1, "a scenario must be a map with target, load and flow keys, got " + describe_node(root)});
        return result;
    }
    Scenario s;
    s.file = file_name;
    s.name = fs::path(file_name).stem().string();
    load_sections(rd, root, base_dir, options, s);
    sort_diagnostics(result.diagnostics, file_name);
    if (result.diagnostics.empty()) result.scenario = std::move(s);
    return result;
}

LoadResult load_scenario_file(const fs::path& file, const LoadOptions& options) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    if (in) text << in.rdbuf();
    if (!in || in.bad()) {
        LoadResult result;
        result.diagnostics.push_back({file.string(), 0, 0, "cannot read the scenario file"});
        return result;
    }
    return load_scenario_text(text.str(), file.string(), file.parent_path(), options);
}

}  // namespace faultline
