#include "reports/json_field.hpp"

#include <boost/json.hpp>
#include <cmath>
#include <fmt/format.h>

#include "reports/result_reader.hpp"

namespace faultline {

void JsonField::fail(std::string_view message) const {
    if (path_.empty()) throw ResultReadError(fmt::format("{}: {}", *source_, message));
    throw ResultReadError(fmt::format("{}: {}: {}", *source_, path_, message));
}

const boost::json::object& JsonField::object() const {
    if (!v_->is_object()) fail("expected an object");
    return v_->get_object();
}

namespace {
std::string child_path(const std::string& parent, std::string_view key) {
    return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}
}  // namespace

JsonField JsonField::operator[](std::string_view key) const {
    const auto* p = object().if_contains(key);
    JsonField f(p ? *p : *v_, child_path(path_, key), *source_);
    if (!p) f.fail("missing");
    if (p->is_null()) f.fail("must not be null");
    return f;
}

std::optional<JsonField> JsonField::find(std::string_view key) const {
    const auto* p = object().if_contains(key);
    if (!p || p->is_null()) return std::nullopt;
    return JsonField(*p, child_path(path_, key), *source_);
}

std::size_t JsonField::size() const {
    if (!v_->is_array()) fail("expected an array");
    return v_->get_array().size();
}

JsonField JsonField::operator[](std::size_t i) const {
    if (i >= size()) fail(fmt::format("no element {}", i));
    return JsonField(v_->get_array()[i], fmt::format("{}[{}]", path_, i), *source_);
}

double JsonField::number() const {
    if (!v_->is_number()) fail("expected a number");
    return v_->to_number<double>();
}

std::uint64_t JsonField::count() const {
    if (v_->is_uint64()) return v_->get_uint64();
    if (v_->is_int64() && v_->get_int64() >= 0) return static_cast<std::uint64_t>(v_->get_int64());
    // A count written by another tool may come as 3.0.
    if (v_->is_double() && v_->get_double() >= 0 && v_->get_double() < 1.8e19 &&
        v_->get_double() == std::floor(v_->get_double()))
        return static_cast<std::uint64_t>(v_->get_double());
    fail("expected a non-negative integer");
}

std::int64_t JsonField::integer() const {
    if (v_->is_int64()) return v_->get_int64();
    if (v_->is_uint64() && v_->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
        return static_cast<std::int64_t>(v_->get_uint64());
    if (v_->is_double() && std::abs(v_->get_double()) < 9e18 && v_->get_double() == std::floor(v_->get_double()))
        return static_cast<std::int64_t>(v_->get_double());
    fail("expected an integer");
}

bool JsonField::boolean() const {
    if (!v_->is_bool()) fail("expected true or false");
    return v_->get_bool();
}

std::string JsonField::string() const {
    if (!v_->is_string()) fail("expected a string");
    return std::string(v_->get_string());
}

std::vector<std::string> JsonField::strings() const {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < size(); ++i) out.push_back((*this)[i].string());
    return out;
}

}  // namespace faultline
