#pragma once
// `{{...}}` templates, compiled once against the names a scenario defines and rendered per
// request without looking names up. Compile errors (syntax, unknown names) are reported with
// the offset in the text so the loader can point at file:line:col.
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace faultline {

struct TemplatePart {
    enum class Kind { literal, slot, data, uuid, iteration, vu, random_int };
    Kind kind = Kind::literal;
    std::string text;         // literal
    int index = 0;            // slot index, or data feed index
    int column = 0;           // data feed column
    std::int64_t lo = 0, hi = 0;  // random_int bounds, inclusive
    bool json_escape = false;     // non-literal: rendered escaped for a JSON string (json: bodies)
};

// What rendering needs from the running iteration.
struct RenderContext {
    std::span<const std::string> slots;                   // extracted values, by slot
    std::span<const std::vector<std::string>* const> rows;  // current row per data feed
    std::uint64_t iteration = 0;
    std::uint64_t vu = 0;
    std::mt19937_64* rng = nullptr;
};

// The names a template may use, resolved at compile time.
struct TemplateSymbols {
    // Static values: scenario `variables` and `env.NAME` (filled from -e and the environment).
    std::vector<std::pair<std::string, std::string>> statics;
    std::vector<std::string> slots;  // per-iteration variables (extract names)
    struct Feed {
        std::string name;
        std::vector<std::string> columns;
    };
    std::vector<Feed> feeds;  // a feed with no columns (its CSV failed to load) accepts any column
    // `{{env.NAME}}` values not found in `statics` (as "env.NAME"); null: no environment.
    std::function<std::optional<std::string>(std::string_view name)> env;
};

struct TemplateError {
    std::size_t offset = 0;  // byte offset in the template text
    std::string message;
};

class Template {
public:
    Template() = default;
    // A template that renders to `text` literally.
    static Template literal(std::string text);
    // Compiles text; on failure returns false and appends to errors (all errors, not the first).
    static bool compile(std::string_view text, const TemplateSymbols& symbols, Template& out,
                        std::vector<TemplateError>& errors);

    // Appends another template's parts (adjacent literals merge).
    void append(const Template& other);
    void append_literal(std::string_view text);
    // For a template placed inside a JSON string: escapes the literal text now and marks the
    // other parts to be escaped when rendered.
    void escape_json();

    bool is_literal() const noexcept;
    // The text of a literal template (empty otherwise).
    const std::string& literal_text() const noexcept;
    // Appends the rendering to out (out keeps its capacity between requests). A null rng
    // renders random_int as its lower bound and uuid as the nil-version-4 UUID.
    void render(std::string& out, const RenderContext& ctx) const;
    const std::vector<TemplatePart>& parts() const noexcept { return parts_; }
    // The text to show in reports, logs and summaries: the template as written, so a value
    // that came from the environment appears as `{{env.NAME}}`, never as the value itself
    // (env is where secrets are passed). A literal template shows its text.
    const std::string& display_text() const noexcept { return display_; }

private:
    std::vector<TemplatePart> parts_;
    std::string display_;
};

}  // namespace faultline
