#include "scenarios/template.hpp"
#include "common/text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <fmt/format.h>

#include "scenarios/suggest.hpp"

namespace faultline {
namespace {

using Kind = TemplatePart::Kind;

void push_literal(std::vector<TemplatePart>& parts, std::string_view text) {
    if (text.empty()) return;
    if (!parts.empty() && parts.back().kind == Kind::literal) {
        parts.back().text.append(text);
        return;
    }
    TemplatePart p;
    p.text = std::string(text);
    parts.push_back(std::move(p));
}

bool parse_int(std::string_view text, std::int64_t& out) {
    text = trim(text);
    if (text.empty()) return false;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && end == text.data() + text.size();
}

bool parse_random_int(std::string_view expr, TemplatePart& part, std::string& error) {
    error = fmt::format("'{}': random_int takes two integers, random_int(a,b) with a <= b", expr);
    if (!expr.ends_with(')')) return false;
    const auto args = expr.substr(11, expr.size() - 12);  // between "random_int(" and ")"
    const auto comma = args.find(',');
    if (comma == std::string_view::npos) return false;
    part.kind = Kind::random_int;
    return parse_int(args.substr(0, comma), part.lo) && parse_int(args.substr(comma + 1), part.hi) &&
           part.lo <= part.hi;
}

std::vector<std::string> known_names(const TemplateSymbols& s) {
    std::vector<std::string> names{"uuid", "iteration", "vu"};
    for (const auto& [name, value] : s.statics) names.push_back(name);
    for (const auto& slot : s.slots) names.push_back(slot);
    for (const auto& feed : s.feeds)
        for (const auto& c : feed.columns) names.push_back(feed.name + "." + c);
    return names;
}

bool resolve_env(std::string_view name, const TemplateSymbols& s, std::vector<TemplatePart>& parts,
                 std::string& error) {
    std::optional<std::string> value;
    if (s.env) value = s.env(name);
    if (!value) {
        error = fmt::format("undefined environment variable '{}' (set it with -e {}=VALUE or in the environment)",
                            name, name);
        return false;
    }
    push_literal(parts, *value);
    return true;
}

bool resolve_feed(std::string_view expr, const TemplateSymbols& s, TemplatePart& part, std::string& error) {
    const auto dot = expr.find('.');
    const auto feed_name = expr.substr(0, dot);
    const auto column = expr.substr(dot + 1);
    for (std::size_t f = 0; f < s.feeds.size(); ++f) {
        if (s.feeds[f].name != feed_name) continue;
        const auto& cols = s.feeds[f].columns;
        if (cols.empty()) {  // its CSV file failed to load, which was already reported
            part.kind = Kind::data;
            part.index = static_cast<int>(f);
            return true;
        }
        for (std::size_t c = 0; c < cols.size(); ++c) {
            if (cols[c] != column) continue;
            part.kind = Kind::data;
            part.index = static_cast<int>(f);
            part.column = static_cast<int>(c);
            return true;
        }
        error = fmt::format("data '{}' has no column '{}'{}", feed_name, column, did_you_mean(column, cols));
        return false;
    }
    error = fmt::format("undefined variable '{}'{}", expr, did_you_mean(expr, known_names(s)));
    return false;
}

// Resolves the text between "{{" and "}}": statics fold into literal text now.
bool resolve(std::string_view expr, const TemplateSymbols& s, std::vector<TemplatePart>& parts,
             std::string& error) {
    TemplatePart part;
    if (expr.empty()) {
        error = "empty '{{}}'";
        return false;
    }
    for (const auto& [name, value] : s.statics) {
        if (name == expr) {
            push_literal(parts, value);
            return true;
        }
    }
    if (expr.starts_with("env.")) return resolve_env(expr.substr(4), s, parts, error);
    if (expr == "uuid") part.kind = Kind::uuid;
    else if (expr == "iteration") part.kind = Kind::iteration;
    else if (expr == "vu") part.kind = Kind::vu;
    else if (expr.starts_with("random_int(")) {
        if (!parse_random_int(expr, part, error)) return false;
    } else if (auto it = std::find(s.slots.begin(), s.slots.end(), expr); it != s.slots.end()) {
        part.kind = Kind::slot;
        part.index = static_cast<int>(it - s.slots.begin());
    } else if (expr.find('.') != std::string_view::npos) {
        if (!resolve_feed(expr, s, part, error)) return false;
    } else {
        error = fmt::format("undefined variable '{}'{}", expr, did_you_mean(expr, known_names(s)));
        return false;
    }
    parts.push_back(std::move(part));
    return true;
}

void append_json_escaped(std::string& out, std::string_view text) {
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += ch;
        } else if (c < 0x20) {
            constexpr std::array<char, 16> hex{'0', '1', '2', '3', '4', '5', '6', '7',
                                               '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            out += ch;
        }
    }
}

template <class Int>
void append_number(std::string& out, Int n) {
    std::array<char, 24> buf;
    auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), n);
    out.append(buf.data(), end);
}

void append_uuid(std::string& out, std::mt19937_64* rng) {
    std::uint64_t hi = rng ? (*rng)() : 0;
    std::uint64_t lo = rng ? (*rng)() : 0;
    hi = (hi & ~std::uint64_t{0xF000}) | 0x4000;                          // version 4
    lo = (lo & ~(std::uint64_t{3} << 62)) | (std::uint64_t{2} << 62);     // RFC 4122 variant
    const std::string hex = fmt::format("{:016x}{:016x}", hi, lo);
    out.append(hex, 0, 8).append(1, '-').append(hex, 8, 4).append(1, '-').append(hex, 12, 4);
    out.append(1, '-').append(hex, 16, 4).append(1, '-').append(hex, 20, 12);
}

void append_value(std::string& out, std::string_view value, bool json_escape) {
    if (json_escape) append_json_escaped(out, value);
    else out.append(value);
}

}  // namespace

Template Template::literal(std::string text) {
    Template t;
    push_literal(t.parts_, text);
    t.display_ = std::move(text);
    return t;
}

bool Template::compile(std::string_view text, const TemplateSymbols& symbols, Template& out,
                       std::vector<TemplateError>& errors) {
    const std::size_t errors_before = errors.size();
    std::vector<TemplatePart> parts;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto open = text.find("{{", pos);
        if (open == std::string_view::npos) break;
        push_literal(parts, text.substr(pos, open - pos));
        const auto close = text.find("}}", open + 2);
        if (close == std::string_view::npos) {
            errors.push_back({open, "unterminated '{{' (close it with '}}')"});
            pos = text.size();
            break;
        }
        std::string error;
        if (!resolve(trim(text.substr(open + 2, close - open - 2)), symbols, parts, error))
            errors.push_back({open, std::move(error)});
        pos = close + 2;
    }
    if (pos < text.size()) push_literal(parts, text.substr(pos));
    if (errors.size() != errors_before) return false;
    out.parts_ = std::move(parts);
    out.display_ = std::string(text);
    return true;
}

void Template::append(const Template& other) {
    for (const auto& part : other.parts_) {
        if (part.kind == Kind::literal) push_literal(parts_, part.text);
        else parts_.push_back(part);
    }
    display_ += other.display_;
}

void Template::append_literal(std::string_view text) {
    push_literal(parts_, text);
    display_ += text;
}

void Template::escape_json() {
    for (auto& part : parts_) {
        if (part.kind != Kind::literal) {
            part.json_escape = true;
            continue;
        }
        std::string escaped;
        append_json_escaped(escaped, part.text);
        part.text = std::move(escaped);
    }
}

bool Template::is_literal() const noexcept {
    return parts_.empty() || (parts_.size() == 1 && parts_[0].kind == Kind::literal);
}

const std::string& Template::literal_text() const noexcept {
    static const std::string empty;
    return is_literal() && !parts_.empty() ? parts_[0].text : empty;
}

void Template::render(std::string& out, const RenderContext& ctx) const {
    for (const auto& part : parts_) {
        switch (part.kind) {
        case Kind::literal: out.append(part.text); break;
        case Kind::slot: append_value(out, ctx.slots[static_cast<std::size_t>(part.index)], part.json_escape); break;
        case Kind::data: {
            const auto& row = *ctx.rows[static_cast<std::size_t>(part.index)];
            append_value(out, row[static_cast<std::size_t>(part.column)], part.json_escape);
            break;
        }
        case Kind::uuid: append_uuid(out, ctx.rng); break;
        case Kind::iteration: append_number(out, ctx.iteration); break;
        case Kind::vu: append_number(out, ctx.vu); break;
        case Kind::random_int: {
            std::int64_t n = part.lo;
            if (ctx.rng) n = std::uniform_int_distribution<std::int64_t>(part.lo, part.hi)(*ctx.rng);
            append_number(out, n);
            break;
        }
        }
    }
}

}  // namespace faultline
