#pragma once
// The sections of a scenario file, each loaded by its own file. Internal to the loader:
// every function reports problems through the YamlReader and returns what it could load.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scenarios/scenario.hpp"
#include "scenarios/yaml_reader.hpp"

namespace faultline {

// settings_loader.cpp: `tls:` and `http:` (defaults that depend on the load are applied by
// finish_http_settings).
void load_tls(YamlReader& rd, const YAML::Node& tls, const std::filesystem::path& base_dir, Scenario& s);
void load_http(YamlReader& rd, const YAML::Node& http, Scenario& s);
void finish_http_settings(const YAML::Node& http, Scenario& s);

// data_loader.cpp: `variables:` become statics; `data:` feeds are read and become symbols.
void load_variables(YamlReader& rd, const YAML::Node& vars, TemplateSymbols& symbols);
void load_data(YamlReader& rd, const YAML::Node& data, const std::filesystem::path& base_dir, Scenario& s,
               TemplateSymbols& symbols);

// load_profile.cpp: `load:`.
LoadProfile load_profile(YamlReader& rd, const YAML::Node& load);

// flow_loader.cpp: `flow:` or `scenarios:`; steps via step_loader.cpp.
std::vector<std::string> collect_slot_names(const YAML::Node& root);
void load_flows(YamlReader& rd, const YAML::Node& root, const TemplateSymbols& symbols, Scenario& s);

// step_loader.cpp: one step of a flow. False if it had errors.
bool load_step(YamlReader& rd, const YAML::Node& node, const std::string& where, const TemplateSymbols& symbols,
               Step& out);

// step_checks.cpp: `expect:` and `extract:` of one step.
void load_expect(YamlReader& rd, const YAML::Node& node, const std::string& where, Expectations& out);
void load_extract(YamlReader& rd, const YAML::Node& node, const std::string& where,
                  const std::vector<std::string>& slots, std::vector<Extraction>& out);

// json_body.cpp: a YAML value as JSON text. Strings in a request body are templates;
// expected values in `expect.json` are not.
bool json_body_template(YamlReader& rd, const YAML::Node& node, const std::string& where,
                        const TemplateSymbols& symbols, Template& out);
std::string yaml_to_json(const YAML::Node& node);

// proxy_loader.cpp: `proxies:` and `toxiproxy:`. Loaded before `variables:`, so their
// templates may use env.NAME only; each declared proxy then becomes the static symbol
// `proxies.NAME.listen` (its `runtime` value when given, else the declared listen).
void load_proxies(YamlReader& rd, const YAML::Node& root,
                  const std::vector<std::pair<std::string, std::string>>& runtime, TemplateSymbols& symbols,
                  ChaosSpec& chaos);

// True when `text` (a template as written) names a proxy whose address is not known yet:
// port 0 and no runtime value. A URL or host:port built from it is not checked until the
// file is loaded again with the real address.
bool uses_unbound_proxy(std::string_view text, const TemplateSymbols& symbols);

// service_loader.cpp: `services:`. Templates may use statics only (variables, env.NAME,
// proxies.NAME.listen): a service starts once, so per-iteration values make no sense.
void load_services(YamlReader& rd, const YAML::Node& services, const std::filesystem::path& base_dir,
                   const TemplateSymbols& symbols, ChaosSpec& chaos);

// fault_loader.cpp: `faults:`, after proxies and services. Stored sorted by `at`.
void load_faults(YamlReader& rd, const YAML::Node& faults, ChaosSpec& chaos);

// toxic_loader.cpp: one fault's `toxic:`, attributes converted to Toxiproxy's raw units.
// False if it had errors.
bool load_toxic(YamlReader& rd, const YAML::Node& node, const std::string& where, ToxicDecl& out);

// slo_loader.cpp: `slo:` (after the flows: per-step limits name steps) and `abort:`.
// `check_steps` is false when the flows had errors, so step names cannot be trusted.
void load_slo(YamlReader& rd, const YAML::Node& slo, const Scenario& s, bool check_steps, SloSpec& out);
void load_abort(YamlReader& rd, const YAML::Node& abort, const SloSpec& slo, std::optional<AbortSpec>& out);

// "host:port" (host a name, IPv4 or [IPv6]; port 0..65535, or 1.. unless allow_port_zero):
// nothing when valid, else why not.
std::optional<std::string> host_port_error(std::string_view text, bool allow_port_zero);

// A percentile written as an slo latency key: "p95" 95, "p99.9" 99.9, "p999" 99.9,
// "max" 100; nothing for anything else.
std::optional<double> percentile_of(std::string_view key);

// True for names usable in templates: [A-Za-z_][A-Za-z0-9_]*.
bool is_identifier(std::string_view name);

}  // namespace faultline
