#include "scenarios/csv.hpp"

#include <catch2/catch.hpp>

using namespace faultline;

TEST_CASE("CSV: header, quoted fields, CRLF and LF", "[csv]") {
    CsvTable t;
    const auto errors = parse_csv("\xEF\xBB\xBFname,note\r\nalice,\"a, b\"\n\"bob \"\"b\"\"\",\"two\r\nlines\"\n\ncarol,\n", t);
    REQUIRE(errors.empty());
    CHECK(t.columns == std::vector<std::string>{"name", "note"});
    REQUIRE(t.rows.size() == 3);
    CHECK(t.rows[0] == std::vector<std::string>{"alice", "a, b"});
    CHECK(t.rows[1] == std::vector<std::string>{"bob \"b\"", "two\r\nlines"});
    CHECK(t.rows[2] == std::vector<std::string>{"carol", ""});
    CHECK(t.row_lines == std::vector<int>{2, 3, 6});
}

TEST_CASE("CSV: no trailing newline and a single column", "[csv]") {
    CsvTable t;
    REQUIRE(parse_csv("id\n1\n2", t).empty());
    CHECK(t.rows.size() == 2);
    CHECK(t.rows[1][0] == "2");
}

TEST_CASE("CSV: rows with the wrong field count are reported with their line", "[csv]") {
    CsvTable t;
    const auto errors = parse_csv("a,b\n1,2\n3\n4,5,6\n", t);
    REQUIRE(errors.size() == 2);
    CHECK(errors[0].line == 3);
    CHECK(errors[0].message == "row has 1 field, the header has 2");
    CHECK(errors[1].line == 4);
    CHECK(errors[1].message == "row has 3 fields, the header has 2");
    CHECK(t.rows.size() == 1);
}

TEST_CASE("CSV: syntax errors point at line and column", "[csv]") {
    const auto first = [](std::string_view text) {
        CsvTable t;
        auto errors = parse_csv(text, t);
        REQUIRE_FALSE(errors.empty());
        return errors[0];
    };
    auto e = first("a,b\n1,\"open\n");
    CHECK(e.line == 2);
    CHECK(e.column == 3);
    CHECK(e.message == "unterminated quoted field");
    e = first("a,b\n\"x\"y,2\n");
    CHECK(e.line == 2);
    CHECK(e.column == 4);
    CHECK(e.message == "unexpected character after a closing quote (a field must end there)");
    e = first("a,b\nx\"y,2\n");
    CHECK(e.column == 2);
    CHECK(e.message == "quote inside an unquoted field (quote the whole field)");
    CHECK(first("").message == "empty CSV file (the first row must name the columns)");
    CHECK(first("a,b\n").message == "no data rows after the header");
    CHECK(first("a,a\n1,2\n").message == "duplicate column name 'a'");
    CHECK(first("a,\n1,2\n").message == "empty column name in the header row");
}
