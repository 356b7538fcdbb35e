#include "driver/http_response_parser.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <iterator>
#include <chrono>
#include <cstdio>
#include <cstdint>
#include <ostream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

using faultline::HttpLimits;
using faultline::HttpResponseParser;
using faultline::ParseError;
using faultline::ParseStatus;

namespace {

struct Options {
    HttpLimits limits{};
    bool head_request = false;
    bool eof = false;  // call finish_eof() if the input ends with need_more
};

// Everything observable after parsing one input, so that differently split feeds can be
// compared field by field.
struct Outcome {
    ParseStatus status = ParseStatus::need_more;
    ParseError error = ParseError::none;
    std::size_t consumed = 0;
    int status_code = 0;
    bool keep_alive = false;
    std::uint64_t body_bytes = 0;
    std::size_t header_bytes = 0;
    bool headers_done = false;
    bool started = false;
    bool held_back = false;  // a need_more feed did not consume all of its bytes
    bool operator==(const Outcome&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Outcome& o) {
    return os << "{status=" << static_cast<int>(o.status) << " error=" << faultline::to_string(o.error)
              << " consumed=" << o.consumed << " code=" << o.status_code << " keep_alive=" << o.keep_alive
              << " body=" << o.body_bytes << " head=" << o.header_bytes << " headers_done=" << o.headers_done
              << " started=" << o.started << " held_back=" << o.held_back << "}";
}

// Feeds `first` bytes, then the rest in pieces of `piece` bytes, stopping at the first final status.
Outcome run(std::string_view wire, std::size_t first, std::size_t piece, const Options& opt) {
    HttpResponseParser parser(opt.limits);
    parser.reset(opt.head_request);
    Outcome out;
    std::size_t len = std::min(first, wire.size());
    ParseStatus status = ParseStatus::need_more;
    for (;;) {
        std::size_t used = 0;
        status = parser.feed(wire.data() + out.consumed, len, used);
        if (status == ParseStatus::need_more && used != len) out.held_back = true;
        out.consumed += used;
        if (status != ParseStatus::need_more || out.consumed == wire.size()) break;
        len = std::min(piece, wire.size() - out.consumed);
    }
    if (status == ParseStatus::need_more && opt.eof) status = parser.finish_eof();
    out.status = status;
    out.error = parser.error();
    out.status_code = parser.status_code();
    out.keep_alive = parser.keep_alive();
    out.body_bytes = parser.body_bytes();
    out.header_bytes = parser.header_bytes();
    out.headers_done = parser.headers_done();
    out.started = parser.started();
    return out;
}

// Parses `wire` whole, one byte at a time, and split in two at every index; all must agree.
Outcome parse(std::string_view wire, const Options& opt = {}) {
    const std::size_t n = wire.size();
    const Outcome whole = run(wire, n, n, opt);
    CHECK_FALSE(whole.held_back);
    const Outcome bytewise = run(wire, 1, 1, opt);
    CHECK(bytewise == whole);
    for (std::size_t i = 0; i <= n; ++i) {
        const Outcome split = run(wire, i, n, opt);
        if (!(split == whole)) {
            INFO("split at " << i << " of " << n << ": " << wire);
            CHECK(split == whole);
        }
    }
    return whole;
}

Outcome parse_eof(std::string_view wire, Options opt = {}) {
    opt.eof = true;
    return parse(wire, opt);
}

Outcome parse_head_request(std::string_view wire) {
    Options opt;
    opt.head_request = true;
    return parse(wire, opt);
}

Options with_limits(std::size_t max_header_bytes, std::uint64_t max_body_bytes) {
    Options opt;
    opt.limits.max_header_bytes = max_header_bytes;
    opt.limits.max_body_bytes = max_body_bytes;
    return opt;
}

ParseError error_of(std::string_view wire, const Options& opt = {}) {
    const Outcome o = parse_eof(wire, opt);
    CHECK(o.status == ParseStatus::error);
    return o.error;
}

std::string with_bare_lf(std::string s) {
    s.erase(std::remove(s.begin(), s.end(), '\r'), s.end());
    return s;
}

}  // namespace

TEST_CASE("content-length body completes exactly at its last byte") {
    const std::string head = "HTTP/1.1 200 OK\r\nServer: t\r\nContent-Length: 10\r\n\r\n";
    const Outcome o = parse(head + "0123456789");
    CHECK(o.status == ParseStatus::complete);
    CHECK(o.consumed == head.size() + 10);
    CHECK(o.status_code == 200);
    CHECK(o.keep_alive);
    CHECK(o.body_bytes == 10);
    CHECK(o.header_bytes == head.size());
    CHECK(o.headers_done);
    CHECK(o.error == ParseError::none);
}

TEST_CASE("a truncated content-length body needs more, then fails at eof") {
    const std::string wire = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01234";
    const Outcome more = parse(wire);
    CHECK(more.status == ParseStatus::need_more);
    CHECK(more.consumed == wire.size());
    CHECK(more.body_bytes == 5);
    const Outcome eof = parse_eof(wire);
    CHECK(eof.status == ParseStatus::error);
    CHECK(eof.error == ParseError::unexpected_eof);
}

TEST_CASE("header names are case-insensitive and zero length completes with the head") {
    const std::string wire = "HTTP/1.1 404 Not Found\r\ncOnTeNt-LeNgTh:0\r\n\r\n";
    const Outcome o = parse(wire);
    CHECK(o.status == ParseStatus::complete);
    CHECK(o.status_code == 404);
    CHECK(o.body_bytes == 0);
    CHECK(o.consumed == wire.size());
}

TEST_CASE("content-length tolerates whitespace and agreeing duplicates") {
    const Outcome o = parse("HTTP/1.1 200 OK\r\nContent-Length: \t3 \t\r\nContent-Length: 3\r\n\r\nabc");
    CHECK(o.status == ParseStatus::complete);
    CHECK(o.body_bytes == 3);
}

TEST_CASE("headers that only look like the interesting ones are skipped") {
    const std::string head =
        "HTTP/1.1 200 OK\r\nContent-Lengthy: x\r\nContent-Lengt: y\r\nConnections: close\r\n"
        "Transfer-Encodings: chunked\r\nX-Content-Length: 99\r\nContent-Length: 2\r\n\r\n";
    const Outcome o = parse(head + "ok");
    CHECK(o.status == ParseStatus::complete);
    CHECK(o.body_bytes == 2);
    CHECK(o.keep_alive);
    CHECK(o.header_bytes == head.size());
}

TEST_CASE("pipelined bytes after a complete response are left unconsumed") {
    const std::string first = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
    const std::string second = "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
    const std::string wire = first + second;
    const Outcome o = parse(wire);
    CHECK(o.status == ParseStatus::complete);
    CHECK(o.consumed == first.size());

    HttpResponseParser parser;
    std::size_t used = 0;
    REQUIRE(parser.feed(wire.data(), wire.size(), used) == ParseStatus::complete);
    REQUIRE(used == first.size());
    // Without reset() the parser stays complete and takes nothing more.
    std::size_t again = 99;
    CHECK(parser.feed(wire.data() + used, wire.size() - used, again) == ParseStatus::complete);
    CHECK(again == 0);
    parser.reset();
    CHECK_FALSE(parser.started());
    CHECK(parser.status_code() == 0);
    std::size_t used2 = 0;
    REQUIRE(parser.feed(wire.data() + used, wire.size() - used, used2) == ParseStatus::complete);
    CHECK(used2 == second.size());
    CHECK(parser.status_code() == 201);
    CHECK(parser.body_bytes() == 3);
}

TEST_CASE("chunked bodies with extensions and trailers") {
    const std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    const std::string chunks = "5\r\nhello\r\n1A;name=value;x=\"y\"\r\nabcdefghijklmnopqrstuvwxyz\r\n00c \t;ext\r\n0123456789ab\r\n";
    const std::string trailers = "Expires: never\r\nContent-Length: 999\r\n\r\n";
    const std::string wire = head + chunks + "0;last\r\n" + trailers;
    const Outcome o = parse(wire + "HTTP/1.1 200 OK\r\n");
    CHECK(o.status == ParseStatus::complete);
    CHECK(o.consumed == wire.size());
    CHECK(o.body_bytes == 5 + 26 + 12);
    CHECK(o.keep_alive);
    // Trailer lines count as head bytes; the "0" line itself is framing.
    CHECK(o.header_bytes == head.size() + trailers.size());
}

TEST_CASE("chunked without trailers and with a bare LF framing") {
    CHECK(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n").status == ParseStatus::complete);
    const Outcome lf = parse("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n4\nwxyz\nF\n0123456789abcde\n0\n\n");
    CHECK(lf.status == ParseStatus::complete);
    CHECK(lf.body_bytes == 19);
}

TEST_CASE("transfer-encoding decides framing: chunked last, and it beats content-length") {
    const std::string body = "3\r\nabc\r\n0\r\n\r\n";
    CHECK(parse("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n" + body).body_bytes == 3);
    CHECK(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, CHUNKED \r\n\r\n" + body).status == ParseStatus::complete);
    CHECK(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n" + body).body_bytes == 3);
    CHECK(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked,\r\n\r\n" + body).body_bytes == 3);

    // Chunked not last: the body runs until close.
    for (const char* te : {"chunked, gzip", "gzip", "chunked\r\nTransfer-Encoding: gzip", "chunk ed", "chunkeds"}) {
        INFO(te);
        const Outcome o = parse_eof(std::string("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: ") + te + "\r\n\r\n" + body);
        CHECK(o.status == ParseStatus::complete);
        CHECK(o.body_bytes == body.size());
        CHECK_FALSE(o.keep_alive);
    }
}

TEST_CASE("a body without length or chunking runs until the connection closes") {
    const std::string head = "HTTP/1.1 200 OK\r\nServer: old\r\n\r\n";
    const std::string wire = head + "all of this is body\r\n\r\nHTTP/1.1 200 OK\r\n";
    const Outcome more = parse(wire);
    CHECK(more.status == ParseStatus::need_more);
    CHECK(more.consumed == wire.size());
    CHECK(more.headers_done);
    CHECK_FALSE(more.keep_alive);
    const Outcome o = parse_eof(wire);
    CHECK(o.status == ParseStatus::complete);
    CHECK(o.body_bytes == wire.size() - head.size());
    CHECK(parse_eof(head).body_bytes == 0);
}

TEST_CASE("HEAD, 1xx, 204 and 304 responses have no body") {
    const std::string cl = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n";
    const Outcome head = parse_head_request(cl + "HTTP/1.1");
    CHECK(head.status == ParseStatus::complete);
    CHECK(head.consumed == cl.size());
    CHECK(head.body_bytes == 0);
    CHECK(head.keep_alive);
    const std::string chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    CHECK(parse_head_request(chunked + "0\r\n\r\n").consumed == chunked.size());
    const std::string none = "HTTP/1.1 200 OK\r\n\r\n";
    const Outcome until_close = parse_head_request(none + "x");
    CHECK(until_close.consumed == none.size());
    CHECK(until_close.keep_alive);
    // A HEAD response may announce a body larger than the cap: none is sent.
    CHECK(parse_head_request("HTTP/1.1 200 OK\r\nContent-Length: 999999999999\r\n\r\n").status == ParseStatus::complete);

    for (const char* code : {"204 No Content", "304 Not Modified"}) {
        INFO(code);
        const std::string wire = std::string("HTTP/1.1 ") + code + "\r\nContent-Length: 7\r\nTransfer-Encoding: chunked\r\n\r\n";
        const Outcome o = parse(wire + "HTTP/1.1 200 OK\r\n");
        CHECK(o.status == ParseStatus::complete);
        CHECK(o.consumed == wire.size());
        CHECK(o.keep_alive);
    }
}

TEST_CASE("interim 1xx responses are skipped and count toward the head") {
    const std::string interim = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\nContent-Length: 50\r\nConnection: close\r\n\r\n";
    const std::string final_head = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n";
    const Outcome o = parse(interim + final_head + "hi");
    CHECK(o.status == ParseStatus::complete);
    CHECK(o.status_code == 200);
    CHECK(o.body_bytes == 2);
    CHECK(o.keep_alive);  // the 103's "Connection: close" belonged to the 103
    CHECK(o.header_bytes == interim.size() + final_head.size());

    const Outcome waiting = parse("HTTP/1.1 100 Continue\r\n\r\n");
    CHECK(waiting.status == ParseStatus::need_more);
    CHECK_FALSE(waiting.headers_done);
}

TEST_CASE("101 switching protocols ends the HTTP exchange") {
    const std::string wire = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";
    const Outcome o = parse(wire + "\x81\x05hello");
    CHECK(o.status == ParseStatus::complete);
    CHECK(o.consumed == wire.size());
    CHECK(o.status_code == 101);
    CHECK_FALSE(o.keep_alive);
}

TEST_CASE("keep-alive follows the version and the Connection tokens") {
    struct Case {
        const char* head;
        bool keep_alive;
    };
    const Case cases[] = {
        {"HTTP/1.1 200 OK\r\n", true},
        {"HTTP/1.1 200 OK\r\nConnection: close\r\n", false},
        {"HTTP/1.1 200 OK\r\nconnection: Upgrade, CLOSE\r\n", false},
        {"HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nConnection: close\r\n", false},
        {"HTTP/1.1 200 OK\r\nConnection: closed, xclose, close-ish\r\n", true},
        {"HTTP/1.1 200 OK\r\nConnection: \r\n", true},
        {"HTTP/1.0 200 OK\r\n", false},
        {"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n", true},
        {"HTTP/1.0 200 OK\r\nConnection:Keep-Alive , TE\r\n", true},
        {"HTTP/1.0 200 OK\r\nConnection: keep-alive, close\r\n", false},
        {"HTTP/1.0 200 OK\r\nConnection: keep alive\r\n", false},
        {"HTTP/1.2 200 OK\r\n", true},
        {"HTTP/1.1 200 OK\r\nConnection: close;x, \"close\"\r\n", true},
        {"HTTP/1.1 200 OK\r\nConnection: ,,close,\r\n", false},
        {"HTTP/1.1 200 OK\r\nX-Connection: close\r\nConnectionX: close\r\n", true},
    };
    for (const Case& c : cases) {
        INFO(c.head);
        const Outcome o = parse(std::string(c.head) + "Content-Length: 1\r\n\r\nx");
        CHECK(o.status == ParseStatus::complete);
        CHECK(o.keep_alive == c.keep_alive);
    }
}

TEST_CASE("status lines without a reason phrase are accepted") {
    for (const char* line : {"HTTP/1.1 200\r\n", "HTTP/1.1 200 \r\n", "HTTP/1.1 200\n", "HTTP/1.1 503 Service   Unavailable \r\n"}) {
        INFO(line);
        const Outcome o = parse(std::string(line) + "Content-Length: 0\r\n\r\n");
        CHECK(o.status == ParseStatus::complete);
        CHECK(o.status_code == std::stoi(std::string(line).substr(9, 3)));
    }
}

TEST_CASE("bare LF line endings are accepted everywhere") {
    const std::string crlf =
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbody";
    const Outcome a = parse(crlf);
    const Outcome b = parse(with_bare_lf(crlf));
    CHECK(b.status == ParseStatus::complete);
    CHECK(b.body_bytes == 4);
    CHECK(b.keep_alive == a.keep_alive);
    CHECK(b.header_bytes == a.header_bytes - 6);  // six CRs fewer
}

TEST_CASE("malformed status lines") {
    for (const char* wire : {"HTTP/2 200 OK\r\n\r\n", "HTTP/2.0 200 OK\r\n\r\n", "http/1.1 200 OK\r\n\r\n", "HTTP/1.x 200 OK\r\n\r\n",
                             "HTTP/1.1 20 OK\r\n\r\n", "HTTP/1.1 099 Low\r\n\r\n", "HTTP/1.1  200 OK\r\n\r\n", "HTTP/1.1 200OK\r\n\r\n",
                             "HTTP/1.1 2000 OK\r\n\r\n", "HTTP/1.1 200\rX\r\n\r\n", "\r\nHTTP/1.1 200 OK\r\n\r\n", "<html>\r\n",
                             "SSH-2.0-OpenSSH_9.2\r\n", "HTTP/1.1\r\n\r\n"}) {
        INFO(wire);
        const Outcome o = parse_eof(wire);
        CHECK(o.status == ParseStatus::error);
        CHECK(o.error == ParseError::bad_status_line);
        CHECK_FALSE(o.headers_done);
    }
    // The error points at the offending byte.
    CHECK(parse("HTTP/1.1 2x0 OK\r\n").consumed == 10);
}

TEST_CASE("malformed header lines") {
    for (const char* lines : {"X-A: 1\r\n folded\r\n", "X-A: 1\r\n\tfolded\r\n", "NoColonHere\r\n", "Name : value\r\n", ": value\r\n",
                              "Bad Name: value\r\n", "X-A: 1\r\n\rX", "Content-Length: 5\rX\r\n", "Connection: close\r\r\n",
                              "Transfer-Encoding: chunked\r \r\n", "Na\"me: v\r\n", "X-A: 1\r\n\x01: b\r\n"}) {
        INFO(lines);
        CHECK(error_of(std::string("HTTP/1.1 200 OK\r\n") + lines + "\r\n") == ParseError::bad_header);
    }
    // A CR inside an uninteresting value is skipped with the value.
    CHECK(parse("HTTP/1.1 200 OK\r\nX-A: a\rb\r\nContent-Length: 0\r\n\r\n").status == ParseStatus::complete);
}

TEST_CASE("malformed content-length") {
    for (const char* value : {"abc", "-1", "+1", "", "   ", "5, 5", "1 2", "0x10", "1.0", "18446744073709551616",
                              "99999999999999999999999", "5\r\nContent-Length: 6"}) {
        INFO(value);
        CHECK(error_of(std::string("HTTP/1.1 200 OK\r\nContent-Length: ") + value + "\r\n\r\n") == ParseError::bad_content_length);
    }
    // The largest 64-bit value parses; it is then simply too large a body.
    CHECK(error_of("HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551615\r\n\r\n") == ParseError::body_too_large);
}

TEST_CASE("malformed chunks") {
    const std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (const char* body : {"zz\r\n", "\r\n", ";ext\r\n", " 5\r\nhello\r\n0\r\n\r\n", "5\r\nhelloX\r\n", "5\r\nhello\rX",
                             "5 6\r\nhello\r\n", "5\rX\r\n", "5\r\r\n", "-5\r\n", "0x5\r\n", "10000000000000000\r\n",
                             "00000000000000000000000000000000010000000000000000\r\n"}) {
        INFO(body);
        CHECK(error_of(head + body) == ParseError::bad_chunk);
    }
    // Leading zeros do not overflow; 2^64-1 parses and is then too large.
    CHECK(parse(head + "00000000000000000000000000000003\r\nabc\r\n0\r\n\r\n").body_bytes == 3);
    CHECK(error_of(head + "ffffffffffffffff\r\n") == ParseError::body_too_large);
}

TEST_CASE("malformed trailers") {
    const std::string wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n";
    CHECK(error_of(wire + "No colon\r\n\r\n") == ParseError::bad_header);
    CHECK(error_of(wire + "X: 1\r\n obs-fold\r\n\r\n") == ParseError::bad_header);
    // Trailers are not interpreted: a junk Content-Length there is ignored.
    CHECK(parse(wire + "Content-Length: junk\r\n\r\n").status == ParseStatus::complete);
}

TEST_CASE("eof anywhere but a read-until-close body is unexpected") {
    const std::string wire = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX: y\r\n\r\n";
    for (std::size_t cut = 0; cut < wire.size(); ++cut) {
        HttpResponseParser parser;
        std::size_t used = 0;
        REQUIRE(parser.feed(wire.data(), cut, used) == ParseStatus::need_more);
        CHECK(parser.started() == (cut > 0));
        CHECK(parser.finish_eof() == ParseStatus::error);
        CHECK(parser.error() == ParseError::unexpected_eof);
        CHECK(parser.finish_eof() == ParseStatus::error);  // stays failed
    }
    HttpResponseParser parser;
    std::size_t used = 0;
    REQUIRE(parser.feed(wire.data(), wire.size(), used) == ParseStatus::complete);
    CHECK(parser.finish_eof() == ParseStatus::complete);  // a complete response stays complete
}

TEST_CASE("a failed parser stays failed until reset") {
    HttpResponseParser parser;
    std::size_t used = 99;
    CHECK(parser.feed("JUNK", 4, used) == ParseStatus::error);
    CHECK(used == 0);
    CHECK(parser.error() == ParseError::bad_status_line);
    CHECK(parser.feed("HTTP/1.1 200 OK\r\n\r\n", 19, used) == ParseStatus::error);
    CHECK(used == 0);
    parser.reset();
    CHECK(parser.error() == ParseError::none);
    CHECK(parser.feed("HTTP/1.1 204 No Content\r\n\r\n", 27, used) == ParseStatus::complete);
    CHECK(used == 27);
}

TEST_CASE("the header cap passes at the limit and fails one byte over") {
    const std::string head = "HTTP/1.1 200 OK\r\nX-Pad: 0123456789\r\nContent-Length: 1\r\n\r\n";
    const Outcome at = parse(head + "x", with_limits(head.size(), 100));
    CHECK(at.status == ParseStatus::complete);
    CHECK(at.header_bytes == head.size());
    const Outcome over = parse(head + "x", with_limits(head.size() - 1, 100));
    CHECK(over.status == ParseStatus::error);
    CHECK(over.error == ParseError::header_too_large);
    CHECK(over.header_bytes == head.size() - 1);
    CHECK(over.consumed == head.size() - 1);
    // An endless header line is cut off at the cap too.
    CHECK(error_of("HTTP/1.1 200 OK\r\nX-Pad: " + std::string(200, 'a'), with_limits(100, 100)) == ParseError::header_too_large);
}

TEST_CASE("the header cap covers interim responses and trailers") {
    const std::string interim = "HTTP/1.1 100 Continue\r\n\r\n";
    const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    CHECK(parse(interim + head, with_limits(interim.size() + head.size(), 0)).status == ParseStatus::complete);
    CHECK(error_of(interim + head, with_limits(interim.size() + head.size() - 1, 0)) == ParseError::header_too_large);

    const std::string chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    const std::string trailers = "X-Checksum: abcdef\r\n\r\n";
    const std::string wire = chunked + "2\r\nab\r\n0\r\n" + trailers;
    const std::size_t total = chunked.size() + trailers.size();
    const Outcome at = parse(wire, with_limits(total, 100));
    CHECK(at.status == ParseStatus::complete);
    CHECK(at.header_bytes == total);
    CHECK(error_of(wire, with_limits(total - 1, 100)) == ParseError::header_too_large);
}

TEST_CASE("the content-length body cap passes at the limit and fails one byte over, before any body") {
    const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 16\r\n\r\n";
    const std::string wire = head + std::string(16, 'b');
    CHECK(parse(wire, with_limits(1024, 16)).status == ParseStatus::complete);
    const Outcome over = parse(wire, with_limits(1024, 15));
    CHECK(over.status == ParseStatus::error);
    CHECK(over.error == ParseError::body_too_large);
    CHECK(over.consumed == head.size());
    CHECK(over.body_bytes == 0);
}

TEST_CASE("the chunked body cap passes at the limit and fails one byte over") {
    const std::string wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\na\r\n0123456789\r\n0\r\n\r\n";
    const Outcome at = parse(wire, with_limits(1024, 16));
    CHECK(at.status == ParseStatus::complete);
    CHECK(at.body_bytes == 16);
    const Outcome over = parse(wire, with_limits(1024, 15));
    CHECK(over.error == ParseError::body_too_large);
    CHECK(over.body_bytes == 6);  // the second chunk is refused when its size is read
}

TEST_CASE("the until-close body cap passes at the limit and fails one byte over") {
    const std::string head = "HTTP/1.0 200 OK\r\n\r\n";
    const std::string wire = head + std::string(16, 'b');
    const Outcome at = parse_eof(wire, with_limits(1024, 16));
    CHECK(at.status == ParseStatus::complete);
    CHECK(at.body_bytes == 16);
    const Outcome over = parse_eof(wire + "b", with_limits(1024, 16));
    CHECK(over.error == ParseError::body_too_large);
    CHECK(over.body_bytes == 16);
    CHECK(over.consumed == wire.size());
}

TEST_CASE("the chunk-size line cap passes at the limit and fails one byte over") {
    const std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    const std::size_t cap = HttpResponseParser::kMaxChunkLineBytes;
    // "1;" + padding + "\r\n" is exactly the cap.
    const std::string at_line = "1;" + std::string(cap - 4, 'e') + "\r\n";
    REQUIRE(at_line.size() == cap);
    HttpResponseParser parser;
    std::size_t used = 0;
    const std::string ok = head + at_line + "x\r\n0\r\n\r\n";
    CHECK(parser.feed(ok.data(), ok.size(), used) == ParseStatus::complete);
    // One byte longer, also split one byte at a time.
    const std::string over_line = "1;" + std::string(cap - 3, 'e') + "\r\n";
    const std::string bad = head + over_line + "x\r\n0\r\n\r\n";
    const Outcome whole = run(bad, bad.size(), bad.size(), {});
    CHECK(whole.error == ParseError::bad_chunk);
    CHECK(whole.consumed == head.size() + cap);
    CHECK(run(bad, 1, 1, {}) == whole);
    CHECK(run(bad, head.size() + cap, 1, {}) == whole);
}

TEST_CASE("error texts are short and distinct") {
    CHECK(faultline::to_string(ParseError::header_too_large) == "header too large");
    CHECK(faultline::to_string(ParseError::bad_chunk) == "bad chunk");
    CHECK(faultline::to_string(ParseError::unexpected_eof) == "unexpected eof");
    CHECK(faultline::to_string(ParseError::none) == "no error");
}

// ---- naive reference: random valid responses whose expected results are known by construction ----

namespace {

struct Expected {
    std::size_t size = 0;  // wire bytes of this response
    int status = 0;
    std::uint64_t body = 0;
    std::size_t head = 0;
    bool keep_alive = false;
    bool head_request = false;
    bool until_close = false;
};

class ResponseGenerator {
public:
    explicit ResponseGenerator(std::uint32_t seed) : rng_(seed) {}

    // Appends one response to `wire`. until_close_allowed: this may be the stream's last response.
    Expected append(std::string& wire, bool until_close_allowed) {
        Expected e;
        const std::size_t start = wire.size();
        eol_ = pick(2) == 0 ? "\n" : "\r\n";
        if (pick(4) == 0) wire += "HTTP/1.1 100 Continue" + eol_ + eol_;
        const bool http10 = pick(4) == 0;
        static constexpr int kCodes[] = {200, 200, 200, 201, 204, 302, 304, 404, 500};
        e.status = kCodes[pick(std::size(kCodes))];
        e.head_request = pick(6) == 0;
        wire += std::string(http10 ? "HTTP/1.0 " : "HTTP/1.1 ") + std::to_string(e.status) + (pick(5) == 0 ? "" : " Reason Phrase") + eol_;
        const int framing = static_cast<int>(pick(until_close_allowed ? 3 : 2));  // 0 length, 1 chunked, 2 close
        const bool no_body = e.head_request || e.status == 204 || e.status == 304;
        const std::uint64_t length = pick(300);
        noise(wire);
        if (framing == 0) header(wire, "Content-Length", std::to_string(length));
        if (framing == 1) header(wire, "Transfer-Encoding", pick(2) == 0 ? "chunked" : "gzip, chunked");
        noise(wire);
        const int connection = static_cast<int>(pick(3));  // 0 none, 1 close, 2 keep-alive
        if (connection == 1) header(wire, "Connection", "close");
        if (connection == 2) header(wire, "Connection", "Keep-Alive");
        wire += eol_;
        e.head = wire.size() - start;
        e.until_close = framing == 2 && !no_body;
        e.keep_alive = (http10 ? connection == 2 : connection != 1) && !e.until_close;
        if (!no_body) body(wire, framing, length, e);
        e.size = wire.size() - start;
        return e;
    }

private:
    std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }

    std::string random_case(std::string_view s) {
        std::string out(s);
        for (char& c : out) {
            if (pick(2) == 0) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            else c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        return out;
    }

    void header(std::string& wire, std::string_view name, std::string_view value) {
        wire += random_case(name) + ":" + std::string(pick(3), ' ') + std::string(value) + std::string(pick(2), ' ') + eol_;
    }

    void noise(std::string& wire) {
        static constexpr std::string_view kNames[] = {"Server", "Date", "Content-Type", "X-Request-Id", "Content-Lengthy", "Connectio",
                                                      "Transfer-Encodings", "Cache-Control", "C", "T"};
        for (std::size_t i = pick(4); i > 0; --i) {
            std::string value;
            for (std::size_t j = pick(40); j > 0; --j) value += static_cast<char>(' ' + pick(95));
            header(wire, kNames[pick(std::size(kNames))], value);
        }
    }

    void body(std::string& wire, int framing, std::uint64_t length, Expected& e) {
        if (framing == 1) {
            for (std::size_t chunks = pick(4); chunks > 0; --chunks) {
                const std::size_t n = 1 + pick(200);
                char size[32];
                std::snprintf(size, sizeof size, pick(2) == 0 ? "%zx" : "%zX", n);
                wire += size + std::string(pick(3) == 0 ? ";ext=1" : "") + eol_ + std::string(n, 'c') + eol_;
                e.body += n;
            }
            wire += "0" + eol_;
            const std::size_t trailer_start = wire.size();
            if (pick(3) == 0) wire += "X-Trailer: t" + eol_;
            wire += eol_;
            e.head += wire.size() - trailer_start;
            return;
        }
        const std::size_t n = framing == 0 ? length : pick(500);
        wire += std::string(n, 'b');
        e.body = n;
    }

    std::mt19937 rng_;
    std::string eol_;
};

}  // namespace

TEST_CASE("random valid pipelined responses match what was generated, in random pieces") {
    for (std::uint32_t seed = 1; seed <= 20; ++seed) {
        INFO("seed " << seed);
        ResponseGenerator gen(seed);
        std::string wire;
        std::vector<Expected> expected;
        for (int i = 0; i < 200; ++i) expected.push_back(gen.append(wire, i == 199));

        std::mt19937 rng(seed * 7919u);
        HttpResponseParser parser;
        std::size_t index = 0, response_start = 0, pos = 0, mismatches = 0;
        parser.reset(expected[0].head_request);
        while (pos < wire.size() && index < expected.size()) {
            const std::size_t piece = std::min<std::size_t>(1 + rng() % 96, wire.size() - pos);
            const std::size_t piece_end = pos + piece;
            while (pos < piece_end && index < expected.size()) {
                std::size_t used = 0;
                const ParseStatus st = parser.feed(wire.data() + pos, piece_end - pos, used);
                pos += used;
                REQUIRE(st != ParseStatus::error);
                if (st == ParseStatus::need_more) break;
                const Expected& e = expected[index];
                if (pos - response_start != e.size || parser.status_code() != e.status || parser.body_bytes() != e.body ||
                    parser.header_bytes() != e.head || parser.keep_alive() != e.keep_alive) {
                    ++mismatches;
                    INFO("response " << index << ": " << wire.substr(response_start, e.size));
                    CHECK(pos - response_start == e.size);
                }
                response_start = pos;
                if (++index < expected.size()) parser.reset(expected[index].head_request);
            }
        }
        if (index + 1 == expected.size() && expected.back().until_close) {
            REQUIRE(parser.finish_eof() == ParseStatus::complete);
            CHECK(parser.body_bytes() == expected.back().body);
            ++index;
        }
        CHECK(index == expected.size());
        CHECK(mismatches == 0);
    }
}

TEST_CASE("mutated responses fail or pass the same however they are split") {
    // A cheap fuzz: damage valid responses with the bytes the parser cares about and check
    // that whole, byte-at-a-time and random two-way feeds agree (ASan/UBSan watch the rest).
    static constexpr char kBytes[] = {'\r', '\n', ' ', '\t', ':', ',', ';', '0', '9', 'a', 'F', 'x', '\0', '\x80', '\xff'};
    std::mt19937 rng(4242);
    int errors = 0;
    for (std::uint32_t round = 0; round < 400; ++round) {
        ResponseGenerator gen(round);
        std::string wire;
        gen.append(wire, true);
        for (unsigned k = 1 + rng() % 3; k > 0; --k) {
            const std::size_t at = rng() % wire.size();
            const char byte = kBytes[rng() % std::size(kBytes)];
            switch (rng() % 3) {
            case 0: wire[at] = byte; break;
            case 1: wire.insert(wire.begin() + static_cast<std::ptrdiff_t>(at), byte); break;
            default: wire.erase(at, 1); break;
            }
        }
        Options opt;
        opt.eof = rng() % 2 == 0;
        opt.head_request = rng() % 8 == 0;
        if (rng() % 2 == 0) opt.limits = HttpLimits{64 + rng() % 256, rng() % 400};
        const std::size_t n = wire.size();
        const Outcome whole = run(wire, n, n, opt);
        INFO("round " << round << ": " << wire);
        CHECK_FALSE(whole.held_back);
        CHECK(whole.consumed <= n);
        CHECK(run(wire, 1, 1, opt) == whole);
        for (int i = 0; i < 8; ++i) {
            const std::size_t cut = rng() % (n + 1);
            const Outcome split = run(wire, cut, 1 + rng() % 16, opt);
            if (!(split == whole)) {
                INFO("cut at " << cut);
                CHECK(split == whole);
            }
        }
        errors += whole.status == ParseStatus::error ? 1 : 0;
    }
    // Both outcomes occur, so the comparison covers accepting and rejecting paths.
    CHECK(errors > 50);
    CHECK(errors < 350);
}
