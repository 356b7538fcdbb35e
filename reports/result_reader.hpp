#pragma once
// Reads a result JSON (docs/result-schema.md) back into a RunResult, for `report html`,
// `report compare` and `merge`. What result_to_json() writes, read back and written again,
// gives the identical JSON. Histograms come from the `hdr` strings; summaries that are
// derived from them (`latency_ms`, `send_lag_ms`, ...) are not read. Unknown keys are
// ignored (later versions add keys). Pure apart from read_result_file().
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

#include "reports/run_result.hpp"

namespace faultline {

// Every message names the source and the field: "new.json: intervals[3].hdr: not valid
// base64 (...)", "base.json: requests: expected a non-negative integer".
class ResultReadError : public std::runtime_error {
public:
    using runtime_error::runtime_error;
};

// `source` names the text in messages (usually the file name). Throws ResultReadError.
RunResult read_result_json(std::string_view text, const std::string& source);

// Reads the file and parses it; the message names the path. Throws ResultReadError.
RunResult read_result_file(const std::filesystem::path& path);

}  // namespace faultline
