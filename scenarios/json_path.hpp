#pragma once
// The JSONPath subset scenarios use: `$`, `.key`, `['key']`, `[index]`, e.g. `$.a.b[0].c`.
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace faultline {

class JsonPath {
public:
    using Segment = std::variant<std::string, std::size_t>;  // object key or array index
    JsonPath() = default;
    // nullopt with a message in `error` when the text is not in the subset.
    static std::optional<JsonPath> parse(std::string_view text, std::string& error);
    // The value at this path, or null pointer when absent.
    const boost::json::value* find(const boost::json::value& root) const noexcept;
    const std::string& text() const noexcept { return text_; }
    const std::vector<Segment>& segments() const noexcept { return segments_; }

private:
    std::string text_;
    std::vector<Segment> segments_;
};

}  // namespace faultline
