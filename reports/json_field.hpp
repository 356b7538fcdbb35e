#pragma once
// A JSON value together with where it sits ("intervals[3].hdr") and which file it came
// from, so a reader's every error names both: "new.json: intervals[3].hdr: not valid base64".
// A view: the value and the source string must outlive it.
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace faultline {

class JsonField {
public:
    // Throws ResultReadError (reports/result_reader.hpp) from every accessor on a type
    // mismatch or a missing member.
    JsonField(const boost::json::value& v, std::string path, const std::string& source)
        : v_(&v), path_(std::move(path)), source_(&source) {}

    const std::string& path() const noexcept { return path_; }
    const boost::json::value& value() const noexcept { return *v_; }

    // A required member.
    JsonField operator[](std::string_view key) const;
    // A member that may be absent or null.
    std::optional<JsonField> find(std::string_view key) const;
    // Array elements.
    std::size_t size() const;
    JsonField operator[](std::size_t i) const;

    const boost::json::object& object() const;
    double number() const;
    std::uint64_t count() const;  // a non-negative integer
    std::int64_t integer() const;
    bool boolean() const;
    std::string string() const;
    std::vector<std::string> strings() const;  // an array of strings

    [[noreturn]] void fail(std::string_view message) const;

private:
    const boost::json::value* v_;
    std::string path_;
    const std::string* source_;
};

}  // namespace faultline
