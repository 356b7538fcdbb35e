#include "faults/config_file.hpp"

#include <fmt/format.h>
#include <fstream>
#include <sstream>

namespace faultline::faults {

ConfigLoad load_config(const std::string& path, const ToxicRegistry& types) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return {{}, fmt::format("{}: cannot read the file", path)};
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = parse_body(text.str());
    if (!parsed.error.empty()) return {{}, fmt::format("{}: not valid JSON ({})", path, parsed.error)};
    auto check = validate_populate(parsed.value, types);
    if (check.status == 0) return {std::move(check.items), {}};
    if (check.entry == 0) return {{}, fmt::format("{}: {}", path, check.reason)};
    std::string name;
    if (parsed.value.is_array() && parsed.value.get_array()[check.entry - 1].is_object())
        if (const auto* v = parsed.value.get_array()[check.entry - 1].get_object().if_contains("name"); v && v->is_string())
            name = fmt::format(" (\"{}\")", std::string_view(v->get_string()));
    if (check.field.empty()) return {{}, fmt::format("{}: entry {}{}: {}", path, check.entry, name, check.reason)};
    return {{}, fmt::format("{}: entry {}{}: field {}: {}", path, check.entry, name, check.field, check.reason)};
}

}  // namespace faultline::faults
