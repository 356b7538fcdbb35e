#pragma once
// RFC 4180 CSV with a header row: quoted fields (with "" for a quote, and line breaks
// inside quotes), CRLF or LF line ends, an optional UTF-8 BOM. Blank lines are skipped.
#include <string>
#include <string_view>
#include <vector>

namespace faultline {

struct CsvTable {
    std::vector<std::string> columns;            // the header row
    std::vector<std::vector<std::string>> rows;  // each has columns.size() fields
    std::vector<int> row_lines;                  // 1-based line where each row starts
};

struct CsvError {
    int line = 0;    // 1-based
    int column = 0;  // 1-based, in bytes
    std::string message;
};

// Parses `text` into `out`; returns every error found (empty on success). Rows with the
// wrong number of fields are reported and left out.
std::vector<CsvError> parse_csv(std::string_view text, CsvTable& out);

}  // namespace faultline
