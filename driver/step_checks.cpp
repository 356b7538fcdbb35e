#include "driver/step_checks.hpp"
#include "common/text.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <regex>

namespace faultline {
namespace json = boost::json;
namespace {

bool status_expected(const Expectations& expect, int status) {
    if (expect.status.empty()) return status >= 200 && status < 400;
    return std::find(expect.status.begin(), expect.status.end(), status) != expect.status.end();
}

std::optional<json::value> parse_json(std::string_view text) {
    boost::system::error_code ec;
    auto v = json::parse(text, ec);
    if (ec) return std::nullopt;
    return v;
}

// JSON equality where 1 and 1.0 are the same number, as a user writing YAML expects.
bool json_equal(const json::value& a, const json::value& b) {
    if (a.is_number() && b.is_number()) return a.to_number<double>() == b.to_number<double>();
    return a == b;
}

bool json_checks_pass(const Expectations& expect, std::string_view body) {
    if (expect.json.empty()) return true;
    const auto doc = parse_json(body);
    if (!doc) return false;
    for (const auto& check : expect.json) {
        const json::value* found = check.path.find(*doc);
        const auto want = parse_json(check.expected);
        if (!found || !want || !json_equal(*found, *want)) return false;
    }
    return true;
}

// The final response's head: drop the blank line that ends it, then everything up to the
// last blank line left, which ends an interim 1xx head.
std::string_view final_head(std::string_view head) {
    while (!head.empty() && (head.back() == '\n' || head.back() == '\r')) head.remove_suffix(1);
    std::size_t start = 0;
    if (const auto crlf = head.rfind("\n\r\n"); crlf != std::string_view::npos) start = crlf + 3;
    if (const auto lf = head.rfind("\n\n"); lf != std::string_view::npos) start = std::max(start, lf + 2);
    return head.substr(start);
}

}  // namespace

CheckVerdict evaluate_expectations(const Expectations& expect, const StepResponse& r) {
    CheckVerdict v;
    if (!status_expected(expect, r.status)) {
        // An unexpected 4xx/5xx keeps its own class and is not a failed check: each failed
        // request is counted once.
        if (r.status >= 400) {
            v.outcome = outcome_for_status(r.status);
            return v;
        }
        v.failed |= kCheckStatus;
    }
    if (expect.body_contains && r.body.find(*expect.body_contains) == std::string_view::npos) v.failed |= kCheckBodyContains;
    if (!json_checks_pass(expect, r.body)) v.failed |= kCheckJson;
    if (expect.latency_below && r.latency >= *expect.latency_below) v.failed |= kCheckLatency;
    if (v.failed) v.outcome = Outcome::check;
    return v;
}

std::optional<std::string_view> find_header(std::string_view head, std::string_view name) {
    std::optional<std::string_view> found;
    std::string_view rest = final_head(head);
    // Skip the status line, then look at each "Name: value" line.
    auto eol = rest.find('\n');
    while (eol != std::string_view::npos) {
        rest.remove_prefix(eol + 1);
        eol = rest.find('\n');
        const std::string_view line = rest.substr(0, eol);
        const auto colon = line.find(':');
        if (colon != std::string_view::npos && iequals(trim(line.substr(0, colon)), name))
            found = trim(line.substr(colon + 1));
    }
    return found;
}

std::optional<std::string> extract_value(const Extraction& e, const StepResponse& r) {
    switch (e.from) {
        case Extraction::From::header: {
            auto v = find_header(r.head, e.header);
            if (!v) return std::nullopt;
            return std::string(*v);
        }
        case Extraction::From::json: {
            const auto doc = parse_json(r.body);
            if (!doc) return std::nullopt;
            const json::value* v = e.json.find(*doc);
            if (!v) return std::nullopt;
            if (v->is_string()) return std::string(v->as_string());
            return json::serialize(*v);
        }
        case Extraction::From::regex: {
            if (!e.compiled) return std::nullopt;  // the loader compiles every pattern
            std::match_results<std::string_view::const_iterator> m;
            if (!std::regex_search(r.body.begin(), r.body.end(), m, *e.compiled)) return std::nullopt;
            return m.size() > 1 ? m[1].str() : m[0].str();
        }
    }
    return std::nullopt;
}

}  // namespace faultline
