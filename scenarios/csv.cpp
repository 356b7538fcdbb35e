#include "scenarios/csv.hpp"

#include <fmt/format.h>
#include <set>

namespace faultline {
namespace {

struct Record {
    std::vector<std::string> fields;
    int line = 0;
};

// A cursor over the text that knows its line and column, so errors can point at them.
class Scanner {
public:
    explicit Scanner(std::string_view text) : text_(text) {}
    bool done() const { return pos_ >= text_.size(); }
    char peek() const { return text_[pos_]; }
    int line() const { return line_; }
    int column() const { return static_cast<int>(pos_ - line_start_) + 1; }
    // Consumes one line end (LF or CRLF) if there is one.
    bool eat_newline() {
        if (text_.substr(pos_).starts_with("\r\n")) ++pos_;
        else if (done() || peek() != '\n') return false;
        ++pos_;
        ++line_;
        line_start_ = pos_;
        return true;
    }
    void advance() {
        if (peek() == '\n') {
            ++line_;
            line_start_ = pos_ + 1;
        }
        ++pos_;
    }

private:
    std::string_view text_;
    std::size_t pos_ = 0;
    std::size_t line_start_ = 0;
    int line_ = 1;
};

bool at_field_end(Scanner& s) {
    return s.done() || s.peek() == ',' || s.peek() == '\n' || s.peek() == '\r';
}

// Reads a quoted field starting at the opening quote.
bool read_quoted(Scanner& s, std::string& field, std::vector<CsvError>& errors) {
    const int open_line = s.line(), open_column = s.column();
    s.advance();
    for (;;) {
        if (s.done()) {
            errors.push_back({open_line, open_column, "unterminated quoted field"});
            return false;
        }
        const char c = s.peek();
        s.advance();
        if (c != '"') {
            field += c;
        } else if (!s.done() && s.peek() == '"') {
            field += '"';
            s.advance();
        } else {
            break;
        }
    }
    if (at_field_end(s)) return true;
    errors.push_back({s.line(), s.column(), "unexpected character after a closing quote (a field must end there)"});
    return false;
}

// Reads one record; false after a syntax error (the rest of the text is not trusted).
bool read_record(Scanner& s, Record& rec, std::vector<CsvError>& errors) {
    rec.line = s.line();
    for (;;) {
        std::string field;
        if (!s.done() && s.peek() == '"') {
            if (!read_quoted(s, field, errors)) return false;
        } else {
            while (!at_field_end(s)) {
                if (s.peek() == '"') {
                    errors.push_back({s.line(), s.column(), "quote inside an unquoted field (quote the whole field)"});
                    return false;
                }
                field += s.peek();
                s.advance();
            }
        }
        rec.fields.push_back(std::move(field));
        if (s.done()) return true;
        if (s.peek() == ',') {
            s.advance();
            continue;
        }
        if (!s.eat_newline()) {  // a lone CR
            errors.push_back({s.line(), s.column(), "carriage return without a line feed"});
            return false;
        }
        return true;
    }
}

void check_header(const Record& header, std::vector<CsvError>& errors) {
    std::set<std::string_view> seen;
    for (const auto& name : header.fields) {
        if (name.empty()) errors.push_back({header.line, 1, "empty column name in the header row"});
        else if (!seen.insert(name).second)
            errors.push_back({header.line, 1, fmt::format("duplicate column name '{}'", name)});
    }
}

}  // namespace

std::vector<CsvError> parse_csv(std::string_view text, CsvTable& out) {
    std::vector<CsvError> errors;
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    Scanner s(text);
    bool have_header = false;
    while (!s.done()) {
        if (s.eat_newline()) continue;  // blank line
        Record rec;
        if (!read_record(s, rec, errors)) return errors;
        if (!have_header) {
            check_header(rec, errors);
            out.columns = std::move(rec.fields);
            have_header = true;
        } else if (rec.fields.size() != out.columns.size()) {
            errors.push_back({rec.line, 1, fmt::format("row has {} field{}, the header has {}", rec.fields.size(),
                                                       rec.fields.size() == 1 ? "" : "s", out.columns.size())});
        } else {
            out.rows.push_back(std::move(rec.fields));
            out.row_lines.push_back(rec.line);
        }
    }
    if (!have_header) errors.push_back({1, 1, "empty CSV file (the first row must name the columns)"});
    else if (out.rows.empty() && errors.empty()) errors.push_back({1, 1, "no data rows after the header"});
    return errors;
}

}  // namespace faultline
