#pragma once
// The sections of a scenario file, each loaded by its own file. Internal to the loader:
// every function reports problems through the YamlReader and returns what it could load.
#include <filesystem>
#include <string>
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

// True for names usable in templates: [A-Za-z_][A-Za-z0-9_]*.
bool is_identifier(std::string_view name);

}  // namespace faultline
