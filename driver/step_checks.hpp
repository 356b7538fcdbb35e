#pragma once
// PURE: what a scenario step's response means — its outcome class under the step's
// expectations, which checks failed, and the values its extractions pull out. Works on
// views of the captured response head and body; no I/O, no clock.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "reports/outcome.hpp"
#include "scenarios/scenario.hpp"

namespace faultline {

struct StepResponse {
    int status = 0;
    std::string_view head;  // status line and header lines as received (interim 1xx included)
    std::string_view body;  // decoded body (chunked framing removed), possibly capped
    Duration latency{0};    // corrected: from the intended send time
};

// Which expectations failed, as bits (a response may fail several).
enum CheckFailure : std::uint8_t {
    kCheckStatus = 1,
    kCheckBodyContains = 2,
    kCheckJson = 4,
    kCheckLatency = 8,
};

struct CheckVerdict {
    Outcome outcome = Outcome::success;
    std::uint8_t failed = 0;  // CheckFailure bits
};

// A 4xx/5xx status that expect.status does not list stays http_4xx/http_5xx; any other
// unexpected status, or a failed body/json/latency check, is `check`.
CheckVerdict evaluate_expectations(const Expectations& expect, const StepResponse& response);

// The value of the last `name:` header line of the final response in `head`
// (case-insensitive name, value trimmed); nullopt when absent.
std::optional<std::string_view> find_header(std::string_view head, std::string_view name);

// Runs one extraction; nullopt when nothing matched (the variable keeps its old value).
// JSON strings give their contents, other JSON values their compact serialisation.
std::optional<std::string> extract_value(const Extraction& extraction, const StepResponse& response);

}  // namespace faultline
