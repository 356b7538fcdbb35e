#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <fstream>
#include <sstream>

#include "scenarios/csv.hpp"
#include "scenarios/loader_parts.hpp"

namespace faultline {
namespace {

const std::vector<std::string> kBuiltins{"uuid", "iteration", "vu", "random_int", "env"};

bool is_builtin(std::string_view name) {
    return std::find(kBuiltins.begin(), kBuiltins.end(), name) != kBuiltins.end();
}

// Reads one CSV file; its problems point into the CSV file itself.
bool read_feed(YamlReader& rd, const YAML::Node& csv_node, const std::filesystem::path& path, DataFeed& feed) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        rd.error(csv_node, fmt::format("data.{}.csv: cannot read '{}'", feed.name, path.string()));
        return false;
    }
    std::ostringstream text;
    text << in.rdbuf();
    CsvTable table;
    const auto errors = parse_csv(text.str(), table);
    for (const auto& e : errors) rd.diagnostics().push_back({path.string(), e.line, e.column, e.message});
    if (!errors.empty()) return false;
    feed.columns = std::move(table.columns);
    feed.rows = std::move(table.rows);
    return true;
}

void load_feed(YamlReader& rd, const YAML::Node& key, const YAML::Node& spec,
               const std::filesystem::path& base_dir, Scenario& s, TemplateSymbols& symbols) {
    DataFeed feed;
    feed.name = key.Scalar();
    const std::string where = "data." + feed.name;
    if (!is_identifier(feed.name) || is_builtin(feed.name))
        rd.error(key, fmt::format("data name '{}' must be an identifier other than a built-in ({})", feed.name,
                                  fmt::join(kBuiltins, ", ")));
    if (!rd.expect_map(spec, where)) return;
    rd.check_keys(spec, {"csv", "order"}, where);
    if (const auto order = spec["order"]) {
        auto v = rd.string(order, where + ".order");
        if (v && *v == "random") feed.random_order = true;
        else if (v && *v != "sequential")
            rd.error(order, fmt::format("{}.order: expected sequential or random, got '{}'", where, *v));
    }
    const auto csv = spec["csv"];
    if (!csv) {
        rd.error(spec, where + ": missing 'csv' (the CSV file to read rows from)");
        return;
    }
    auto file = rd.string(csv, where + ".csv");
    if (!file || !read_feed(rd, csv, base_dir / *file, feed)) {
        // Known but column-less: templates using it are not reported a second time.
        symbols.feeds.push_back({feed.name, {}});
        return;
    }
    symbols.feeds.push_back({feed.name, feed.columns});
    s.data.push_back(std::move(feed));
}

}  // namespace

bool is_identifier(std::string_view name) {
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
    return std::all_of(name.begin(), name.end(),
                       [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

// Variables may use env.NAME and the variables above them; they are resolved now.
void load_variables(YamlReader& rd, const YAML::Node& vars, TemplateSymbols& symbols) {
    if (!rd.expect_map(vars, "variables")) return;
    for (const auto& kv : vars) {
        const std::string name = kv.first.Scalar();
        if (!is_identifier(name) || is_builtin(name)) {
            rd.error(kv.first, fmt::format("variable name '{}' must be an identifier other than a built-in", name));
            continue;
        }
        auto t = rd.templ(kv.second, "variables." + name, symbols);
        if (!t) continue;
        if (!t->is_literal()) {
            rd.error(kv.second, fmt::format("variables.{}: a variable may only use env.NAME and other variables; "
                                            "use the expression directly where it is needed",
                                            name));
            continue;
        }
        symbols.statics.emplace_back(name, t->literal_text());
    }
}

void load_data(YamlReader& rd, const YAML::Node& data, const std::filesystem::path& base_dir, Scenario& s,
               TemplateSymbols& symbols) {
    if (!rd.expect_map(data, "data")) return;
    for (const auto& kv : data) load_feed(rd, kv.first, kv.second, base_dir, s, symbols);
}

}  // namespace faultline
