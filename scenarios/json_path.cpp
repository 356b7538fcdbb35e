#include "scenarios/json_path.hpp"

#include <boost/json/value.hpp>
#include <cctype>
#include <charconv>

namespace faultline {
namespace {

bool is_key_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '$' ||
           static_cast<unsigned char>(c) >= 0x80;
}

// Parses "[...]" at text[i] (text[i] == '['); advances i past the ']'.
bool parse_bracket(std::string_view text, std::size_t& i, JsonPath::Segment& out, std::string& error) {
    const auto close = text.find(']', i);
    if (close == std::string_view::npos) {
        error = "unterminated '['";
        return false;
    }
    const auto inner = text.substr(i + 1, close - i - 1);
    i = close + 1;
    if (inner.size() >= 2 && (inner.front() == '\'' || inner.front() == '"') && inner.back() == inner.front()) {
        out = std::string(inner.substr(1, inner.size() - 2));
        return true;
    }
    std::size_t index = 0;
    auto [end, ec] = std::from_chars(inner.data(), inner.data() + inner.size(), index);
    if (inner.empty() || ec != std::errc{} || end != inner.data() + inner.size()) {
        error = "expected an array index or a quoted key inside [...], e.g. [0] or ['key']";
        return false;
    }
    out = index;
    return true;
}

}  // namespace

std::optional<JsonPath> JsonPath::parse(std::string_view text, std::string& error) {
    const auto bad = [&](std::string why) {
        error = "invalid JSONPath '" + std::string(text) + "': " + why;
        return std::nullopt;
    };
    if (text.empty() || text[0] != '$') return bad("it must start with '$' (e.g. $.token)");
    JsonPath path;
    path.text_ = std::string(text);
    std::size_t i = 1;
    while (i < text.size()) {
        if (text[i] == '.') {
            const std::size_t start = ++i;
            while (i < text.size() && is_key_char(text[i])) ++i;
            if (i == start) return bad("expected a key after '.'");
            path.segments_.emplace_back(std::string(text.substr(start, i - start)));
        } else if (text[i] == '[') {
            Segment seg;
            std::string why;
            if (!parse_bracket(text, i, seg, why)) return bad(why);
            path.segments_.push_back(std::move(seg));
        } else {
            return bad(std::string("unexpected '") + text[i] + "' (the subset is $, .key, ['key'] and [index])");
        }
    }
    return path;
}

const boost::json::value* JsonPath::find(const boost::json::value& root) const noexcept {
    const boost::json::value* v = &root;
    for (const auto& seg : segments_) {
        if (const auto* key = std::get_if<std::string>(&seg)) {
            const auto* obj = v->if_object();
            if (!obj) return nullptr;
            v = obj->if_contains(*key);
        } else {
            const auto* arr = v->if_array();
            const auto index = std::get<std::size_t>(seg);
            if (!arr || index >= arr->size()) return nullptr;
            v = &(*arr)[index];
        }
        if (!v) return nullptr;
    }
    return v;
}

}  // namespace faultline
