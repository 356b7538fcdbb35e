#pragma once
// The run result as JSON (docs/result-schema.md) and its atomic file writer.
#include <boost/json/value.hpp>
#include <filesystem>
#include <string>

#include "reports/run_result.hpp"

namespace faultline {

boost::json::value result_to_json(const RunResult& r);

// Writes text to path via a temporary file in the same directory and a rename, so readers
// never see a half-written file. Throws std::runtime_error naming the path on failure.
void write_file_atomically(const std::filesystem::path& path, const std::string& text);

}  // namespace faultline
