#include "driver/http_response_parser.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <iterator>
#include <limits>

namespace faultline {
namespace {

// Indexed by Field - 1. Distinct lengths, each at least 8 (see classify_name).
constexpr std::string_view kFieldNames[] = {"content-length", "transfer-encoding", "connection"};

// Where a Content-Length value is (cl_state_).
constexpr std::uint8_t kClLeadingSpace = 0;
constexpr std::uint8_t kClDigits = 1;
constexpr std::uint8_t kClTrailingSpace = 2;

// A list element with whitespace inside ("keep alive"): matches nothing, but is not empty.
constexpr std::uint32_t kJunkWord = std::numeric_limits<std::uint32_t>::max();

// Header-name bytes: the lower-case form of a token character, 0 for anything else.
constexpr std::array<char, 256> make_name_table() {
    std::array<char, 256> table{};
    for (std::size_t c = '0'; c <= '9'; ++c) table[c] = static_cast<char>(c);
    for (std::size_t c = 'a'; c <= 'z'; ++c) table[c] = table[c - 'a' + 'A'] = static_cast<char>(c);
    for (char c : std::string_view("!#$%&'*+-.^_`|~")) table[static_cast<unsigned char>(c)] = c;
    return table;
}
constexpr std::array<char, 256> kNameChar = make_name_table();

char name_char(char c) noexcept { return kNameChar[static_cast<unsigned char>(c)]; }
bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_space(char c) noexcept { return c == ' ' || c == '\t'; }
char to_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c; }

constexpr std::array<std::int8_t, 256> make_hex_table() {
    std::array<std::int8_t, 256> table{};
    for (auto& v : table) v = -1;
    for (std::size_t c = '0'; c <= '9'; ++c) table[c] = static_cast<std::int8_t>(c - '0');
    for (std::size_t c = 'a'; c <= 'f'; ++c) table[c] = table[c - 'a' + 'A'] = static_cast<std::int8_t>(c - 'a' + 10);
    return table;
}
constexpr std::array<std::int8_t, 256> kHexValue = make_hex_table();

int hex_value(char c) noexcept { return kHexValue[static_cast<unsigned char>(c)]; }

// [p, end) shortened to at most `budget` bytes.
const char* clamp_end(const char* p, const char* end, std::uint64_t budget) noexcept {
    return static_cast<std::uint64_t>(end - p) > budget ? p + budget : end;
}

}  // namespace

std::string_view to_string(ParseError e) noexcept {
    switch (e) {
    case ParseError::none: return "no error";
    case ParseError::bad_status_line: return "bad status line";
    case ParseError::bad_header: return "bad header";
    case ParseError::header_too_large: return "header too large";
    case ParseError::bad_content_length: return "bad content-length";
    case ParseError::body_too_large: return "body too large";
    case ParseError::bad_chunk: return "bad chunk";
    case ParseError::unexpected_eof: return "unexpected eof";
    }
    return "unknown error";
}

HttpResponseParser::HttpResponseParser(HttpLimits limits) noexcept : limits_(limits) {}

void HttpResponseParser::reset(bool head_request) noexcept {
    // Every per-response field has a default initialiser, so a fresh object is the reset state.
    *this = HttpResponseParser(limits_);
    head_request_ = head_request;
}

ParseStatus HttpResponseParser::feed(const char* data, std::size_t n, std::size_t& consumed) noexcept {
    consumed = 0;
    if (status_ != ParseStatus::need_more || n == 0) return status_;
    started_ = true;
    const char* p = data;
    const char* const end = data + n;
    // Each parse_* returns when its phase ends, so a response spanning phases loops here.
    while (p < end && phase_ != Phase::done) {
        switch (phase_) {
        case Phase::head: p = parse_head(p, end); break;
        case Phase::body_length: p = parse_length(p, end); break;
        case Phase::body_chunked: p = parse_chunked(p, end); break;
        case Phase::body_until_close: p = parse_until_close(p, end); break;
        case Phase::done: break;
        }
    }
    consumed = static_cast<std::size_t>(p - data);
    return status_;
}

ParseStatus HttpResponseParser::finish_eof() noexcept {
    if (status_ != ParseStatus::need_more) return status_;
    if (phase_ == Phase::body_until_close) {
        complete();
    } else {
        fail(ParseError::unexpected_eof);
    }
    return status_;
}

void HttpResponseParser::complete() noexcept {
    phase_ = Phase::done;
    status_ = ParseStatus::complete;
}

void HttpResponseParser::fail(ParseError e) noexcept {
    phase_ = Phase::done;
    status_ = ParseStatus::error;
    error_ = e;
}

// ---- head: status line, header lines, and (reused) chunked trailers ----

const char* HttpResponseParser::parse_head(const char* p, const char* end) noexcept {
    // The cap is enforced by never showing the scanner more than the remaining budget, which
    // keeps per-byte counting out of the loops: a head still open at the edge of the budget,
    // with more bytes waiting beyond it, is too large.
    const char* const limit = clamp_end(p, end, limits_.max_header_bytes - header_bytes_);
    const char* const q = head_step(p, limit);
    header_bytes_ += static_cast<std::size_t>(q - p);
    if (status_ == ParseStatus::need_more && phase_ == Phase::head && q == limit && limit != end) {
        fail(ParseError::header_too_large);
    }
    return q;
}

// Runs until the head ends (phase changes), an error, or `end`. Returns the first unused byte.
const char* HttpResponseParser::head_step(const char* p, const char* end) noexcept {
    while (p < end && phase_ == Phase::head) {
        switch (head_state_) {
        case HeadState::status_line: p = status_line_step(p, end); break;
        case HeadState::status_lf:
            if (*p != '\n') {
                fail(ParseError::bad_status_line);
                return p;
            }
            head_state_ = HeadState::line_start;
            ++p;
            break;
        case HeadState::reason: {
            // The reason phrase carries nothing we need; a trailing CR is skipped with it.
            const void* lf = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
            if (lf == nullptr) return end;
            head_state_ = HeadState::line_start;
            p = static_cast<const char*>(lf) + 1;
            break;
        }
        case HeadState::line_start: p = line_start_step(p, end); break;
        case HeadState::name: p = name_step(p, end); break;
        case HeadState::value: p = value_step(p, end); break;
        case HeadState::blank_lf:
            if (*p != '\n') {
                fail(ParseError::bad_header);
                return p;
            }
            end_head();
            ++p;
            break;
        }
    }
    return p;
}

// "HTTP/1.x SSS" is matched one byte at a time so that it may be split anywhere; the common
// unsplit case takes a shortcut that ends in the same state.
const char* HttpResponseParser::status_line_step(const char* p, const char* end) noexcept {
    static constexpr std::string_view kPrefix = "HTTP/1.";
    if (index_ == 0 && end - p >= 12 && status_line_shortcut(p)) p += 12;
    for (; p < end; ++p, ++index_) {
        const char c = *p;
        bool ok = true;
        if (index_ < kPrefix.size()) {
            ok = c == kPrefix[index_];
        } else if (index_ == 7) {
            ok = is_digit(c);
            head_.http10 = c == '0';
        } else if (index_ == 8) {
            ok = c == ' ';
        } else if (index_ < 12) {
            ok = is_digit(c) && (index_ != 9 || c != '0');  // codes are 100..999
            if (ok) head_.status_code = head_.status_code * 10 + (c - '0');
        } else {
            // After the code: the reason phrase, or (tolerated) the line end without one.
            if (c == ' ') {
                head_state_ = HeadState::reason;
            } else if (c == '\r') {
                head_state_ = HeadState::status_lf;
            } else if (c == '\n') {
                head_state_ = HeadState::line_start;
            } else {
                ok = false;
            }
            if (ok) return p + 1;
        }
        if (!ok) {
            fail(ParseError::bad_status_line);
            return p;
        }
    }
    return p;
}

// The first 12 bytes at once; false leaves everything to the byte-wise path (and its errors).
bool HttpResponseParser::status_line_shortcut(const char* p) noexcept {
    const bool ok = std::memcmp(p, "HTTP/1.", 7) == 0 && is_digit(p[7]) && p[8] == ' ' && p[9] >= '1' && p[9] <= '9' &&
                    is_digit(p[10]) && is_digit(p[11]);
    if (!ok) return false;
    head_.http10 = p[7] == '0';
    head_.status_code = (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
    index_ = 12;
    return true;
}

const char* HttpResponseParser::line_start_step(const char* p, const char* end) noexcept {
    const char c = *p;
    if (c == '\r') {
        head_state_ = HeadState::blank_lf;
        return p + 1;
    }
    if (c == '\n') {
        end_head();
        return p + 1;
    }
    // Rejects obs-fold (leading whitespace) and empty names (":x") alike.
    if (name_char(c) == 0) {
        fail(ParseError::bad_header);
        return p;
    }
    word_len_ = 0;
    head_state_ = HeadState::name;
    return name_step(p, end);
}

// A name that arrives whole is recognised straight from the input. Only a name split across
// feeds is collected (lower-cased, first kWordCap bytes) into word_.
const char* HttpResponseParser::name_step(const char* p, const char* end) noexcept {
    const char* const start = p;
    while (p < end && name_char(*p) != 0) ++p;
    const bool whole = word_len_ == 0 && p < end;
    if (!whole) append_word(start, p);
    if (p == end) return p;
    if (*p != ':') {
        fail(ParseError::bad_header);  // whitespace before the colon, a line without one, ...
        return p;
    }
    field_ = Field::skip;
    // Trailers never change framing or connection handling, so nothing in them is matched.
    if (!in_trailers_) field_ = whole ? classify_name(start, static_cast<std::size_t>(p - start)) : classify_word();
    begin_value();
    return value_step(p + 1, end);
}

void HttpResponseParser::append_word(const char* p, const char* end) noexcept {
    std::uint32_t len = word_len_;  // a local: the char stores into word_ could alias a member
    for (; p < end && len < kWordCap; ++p, ++len) word_[len] = to_lower(*p);
    const auto rest = static_cast<std::uint64_t>(end - p);
    word_len_ = rest >= kJunkWord - len ? kJunkWord : len + static_cast<std::uint32_t>(rest);
}

HttpResponseParser::Field HttpResponseParser::classify_name(const char* name, std::size_t n) noexcept {
    // The three names differ in length, so the length picks the one candidate.
    Field field = Field::skip;
    switch (n) {
    case kFieldNames[0].size(): field = Field::content_length; break;
    case kFieldNames[1].size(): field = Field::transfer_encoding; break;
    case kFieldNames[2].size(): field = Field::connection; break;
    default: return Field::skip;
    }
    // Compared 8 bytes at a time (the last word overlaps). OR-ing 0x20 lower-cases letters and
    // maps no other token character onto a letter or '-', so this is an exact
    // case-insensitive compare for names already checked to be tokens.
    const std::string_view want = kFieldNames[static_cast<std::size_t>(field) - 1];
    constexpr std::uint64_t kLowerBits = 0x2020202020202020;
    for (std::size_t off = 0; off < n; off += 8) {
        const std::size_t at = std::min(off, n - 8);
        std::uint64_t got = 0, expect = 0;
        std::memcpy(&got, name + at, 8);
        std::memcpy(&expect, want.data() + at, 8);
        if ((got | kLowerBits) != expect) return Field::skip;
    }
    return field;
}

HttpResponseParser::Field HttpResponseParser::classify_word() const noexcept {
    for (std::size_t i = 0; i < std::size(kFieldNames); ++i) {
        if (word_is(kFieldNames[i])) return static_cast<Field>(i + 1);
    }
    return Field::skip;
}

bool HttpResponseParser::word_is(std::string_view lower) const noexcept {
    static_assert(kFieldNames[1].size() <= kWordCap, "the longest word must fit");
    return word_len_ == lower.size() && std::memcmp(word_, lower.data(), lower.size()) == 0;
}

void HttpResponseParser::begin_value() noexcept {
    cl_state_ = kClLeadingSpace;
    cl_value_ = 0;
    word_len_ = 0;
    word_ended_ = false;
    cr_seen_ = false;
    head_state_ = HeadState::value;
}

const char* HttpResponseParser::value_step(const char* p, const char* end) noexcept {
    const void* found = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
    const char* const lf = found != nullptr ? static_cast<const char*>(found) : end;
    if (field_ != Field::skip) {
        const char* q = framing_value_bytes(p, lf);
        if (status_ != ParseStatus::need_more) return q;
    }
    if (lf == end) return end;
    end_value();
    if (status_ != ParseStatus::need_more) return lf;
    head_state_ = HeadState::line_start;
    return lf + 1;
}

// Bytes of a Content-Length, Transfer-Encoding or Connection value, up to (not including) LF.
// A CR is allowed only right before the LF: anywhere else it could hide a second header.
// Other values are skipped whole, a stray CR included.
const char* HttpResponseParser::framing_value_bytes(const char* p, const char* stop) noexcept {
    if (p == stop) return p;
    if (cr_seen_) {
        fail(ParseError::bad_header);
        return p;
    }
    const char* q = field_ == Field::content_length ? content_length_bytes(p, stop) : list_bytes(p, stop);
    if (status_ != ParseStatus::need_more || q == stop) return q;
    if (q + 1 != stop) {  // q is at a CR
        fail(ParseError::bad_header);
        return q + 1;
    }
    cr_seen_ = true;
    return stop;
}

// Digits with optional whitespace around them. Stops at a CR.
const char* HttpResponseParser::content_length_bytes(const char* p, const char* stop) noexcept {
    constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
    std::uint8_t state = cl_state_;
    std::uint64_t value = cl_value_;
    for (; p < stop; ++p) {
        const char c = *p;
        const auto digit = static_cast<std::uint64_t>(c - '0');
        const bool fits = value < kMax / 10 || (value == kMax / 10 && digit <= kMax % 10);
        if (is_digit(c) && state != kClTrailingSpace && fits) {
            value = value * 10 + digit;
            state = kClDigits;
        } else if (is_space(c)) {
            if (state == kClDigits) state = kClTrailingSpace;
        } else if (c == '\r') {
            break;
        } else {
            fail(ParseError::bad_content_length);  // a non-digit, "1 2", or above 2^64-1
            break;
        }
    }
    cl_state_ = state;
    cl_value_ = value;
    return p;
}

void HttpResponseParser::end_content_length() noexcept {
    // Two different lengths mean the framing is ambiguous (a request-smuggling classic).
    if (cl_state_ == kClLeadingSpace || (head_.content_length_seen && head_.content_length != cl_value_)) {
        fail(ParseError::bad_content_length);
        return;
    }
    head_.content_length_seen = true;
    head_.content_length = cl_value_;
}

// A comma-separated list: each element is collected (lower-cased, first kWordCap bytes) into
// word_ and judged at its comma or at the line end. Whitespace around an element is ignored;
// whitespace or a non-token byte inside one spoils it. Stops at a CR.
const char* HttpResponseParser::list_bytes(const char* p, const char* stop) noexcept {
    std::uint32_t len = word_len_;  // locals: the char stores into word_ could alias members
    bool ended = word_ended_;
    for (; p < stop; ++p) {
        const char c = *p;
        const char lc = name_char(c);
        if (lc != 0 && !ended) {
            if (len < kWordCap) word_[len] = lc;
            if (len != kJunkWord) ++len;
        } else if (c == ',') {
            word_len_ = len;
            end_list_element();
            len = 0;
            ended = false;
        } else if (is_space(c)) {
            ended = len != 0;
        } else if (c == '\r') {
            break;
        } else {
            len = kJunkWord;  // not a token: parameters, quotes, a second word
        }
    }
    word_len_ = len;
    word_ended_ = ended;
    return p;
}

void HttpResponseParser::end_list_element() noexcept {
    if (field_ == Field::transfer_encoding) {
        // "a, , b" and an empty header carry no coding; only the last coding decides framing.
        if (word_len_ != 0) {
            head_.transfer_encoding_seen = true;
            head_.chunked = word_is("chunked");
        }
    } else if (word_is("close")) {
        head_.connection_close = true;
    } else if (word_is("keep-alive")) {
        head_.connection_keep_alive = true;
    }
    word_len_ = 0;
    word_ended_ = false;
}

void HttpResponseParser::end_value() noexcept {
    switch (field_) {
    case Field::content_length: end_content_length(); break;
    case Field::transfer_encoding:
    case Field::connection: end_list_element(); break;
    case Field::skip: break;
    }
}

void HttpResponseParser::end_head() noexcept {
    if (in_trailers_) {
        complete();
        return;
    }
    const int code = head_.status_code;
    if (code >= 100 && code < 200 && code != 101) {
        // Interim response: the real one follows on the same stream. Its head bytes stay
        // counted, so a stream of 1xx responses cannot dodge the header cap.
        head_ = {};
        index_ = 0;
        head_state_ = HeadState::status_line;
        return;
    }
    headers_done_ = true;
    keep_alive_ = head_.http10 ? head_.connection_keep_alive && !head_.connection_close : !head_.connection_close;
    start_body();
}

// Framing precedence follows RFC 9112 section 6.3.
void HttpResponseParser::start_body() noexcept {
    const int code = head_.status_code;
    if (head_request_ || code < 200 || code == 204 || code == 304) {
        if (code == 101) keep_alive_ = false;  // the connection now speaks another protocol
        complete();
        return;
    }
    if (head_.transfer_encoding_seen) {
        if (head_.chunked) {
            phase_ = Phase::body_chunked;
            chunk_state_ = ChunkState::size;
        } else {
            phase_ = Phase::body_until_close;
            keep_alive_ = false;
        }
        return;
    }
    if (!head_.content_length_seen) {
        phase_ = Phase::body_until_close;
        keep_alive_ = false;
        return;
    }
    if (head_.content_length > limits_.max_body_bytes) {
        fail(ParseError::body_too_large);
    } else if (head_.content_length == 0) {
        complete();
    } else {
        body_remaining_ = head_.content_length;
        phase_ = Phase::body_length;
    }
}

// ---- bodies ----

const char* HttpResponseParser::parse_length(const char* p, const char* end) noexcept {
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(body_remaining_, static_cast<std::uint64_t>(end - p)));
    on_body(p, n);
    body_remaining_ -= n;
    if (body_remaining_ == 0) complete();
    return p + n;
}

const char* HttpResponseParser::parse_until_close(const char* p, const char* end) noexcept {
    const char* const limit = clamp_end(p, end, limits_.max_body_bytes - body_bytes_);
    on_body(p, static_cast<std::size_t>(limit - p));
    if (limit != end) fail(ParseError::body_too_large);
    return limit;
}

const char* HttpResponseParser::parse_chunked(const char* p, const char* end) noexcept {
    while (p < end && phase_ == Phase::body_chunked) {
        switch (chunk_state_) {
        case ChunkState::data: p = chunk_data_step(p, end); break;
        case ChunkState::data_cr:
        case ChunkState::data_lf:
            // The CRLF after chunk data; a bare LF is accepted like everywhere else.
            if (*p == '\r' && chunk_state_ == ChunkState::data_cr) {
                chunk_state_ = ChunkState::data_lf;
            } else if (*p == '\n') {
                chunk_state_ = ChunkState::size;
                chunk_size_ = 0;
                chunk_has_digits_ = false;
                chunk_line_bytes_ = 0;
            } else {
                fail(ParseError::bad_chunk);
                return p;
            }
            ++p;
            break;
        default: p = chunk_size_line_step(p, end); break;
        }
    }
    return p;
}

// The size line is capped like the head: the scanner sees at most the remaining line budget.
const char* HttpResponseParser::chunk_size_line_step(const char* p, const char* end) noexcept {
    const char* const limit = clamp_end(p, end, kMaxChunkLineBytes - chunk_line_bytes_);
    const char* q = p;
    auto line_open = [this] { return phase_ == Phase::body_chunked && chunk_state_ != ChunkState::data; };
    while (q < limit && status_ == ParseStatus::need_more && line_open()) {
        if (chunk_state_ == ChunkState::size) {
            q = chunk_size_digits(q, limit);
        } else if (chunk_state_ == ChunkState::ext) {
            // Extensions are not interpreted; a CR before the LF is skipped with them.
            const void* lf = std::memchr(q, '\n', static_cast<std::size_t>(limit - q));
            q = lf != nullptr ? static_cast<const char*>(lf) : limit;
            if (lf != nullptr) chunk_state_ = ChunkState::size_lf;
        } else {
            q = chunk_size_byte(q);
        }
    }
    chunk_line_bytes_ += static_cast<std::size_t>(q - p);
    if (status_ == ParseStatus::need_more && line_open() && q == limit && limit != end) fail(ParseError::bad_chunk);
    return q;
}

// The hex digits of a size, then the byte after them.
const char* HttpResponseParser::chunk_size_digits(const char* p, const char* end) noexcept {
    std::uint64_t size = chunk_size_;
    bool any = chunk_has_digits_;
    for (; p < end; ++p) {
        const int digit = hex_value(*p);
        if (digit < 0) break;
        if ((size >> 60) != 0) {  // one more digit would overflow 64 bits
            fail(ParseError::bad_chunk);
            return p;
        }
        size = (size << 4) | static_cast<std::uint64_t>(digit);
        any = true;
    }
    chunk_size_ = size;
    chunk_has_digits_ = any;
    return p < end ? chunk_size_byte(p) : p;
}

// One byte after the digits of "<hex>[ws][;ext]CRLF". Returns the next byte, or `p` on error.
const char* HttpResponseParser::chunk_size_byte(const char* p) noexcept {
    const char c = *p;
    const bool before_ext = chunk_state_ == ChunkState::size || chunk_state_ == ChunkState::size_ws;
    if (!chunk_has_digits_) {
        fail(ParseError::bad_chunk);
    } else if (c == '\n') {
        end_chunk_size_line();
    } else if (chunk_state_ == ChunkState::size_lf) {
        fail(ParseError::bad_chunk);
    } else if (c == '\r') {
        chunk_state_ = ChunkState::size_lf;
    } else if (before_ext && is_space(c)) {
        chunk_state_ = ChunkState::size_ws;
    } else if (before_ext && c == ';') {
        chunk_state_ = ChunkState::ext;
    } else {
        fail(ParseError::bad_chunk);
    }
    return status_ == ParseStatus::need_more ? p + 1 : p;
}

void HttpResponseParser::end_chunk_size_line() noexcept {
    if (chunk_size_ == 0) {
        // Last chunk: trailer lines follow and are scanned (and capped) like header lines.
        in_trailers_ = true;
        phase_ = Phase::head;
        head_state_ = HeadState::line_start;
        return;
    }
    // A declared size is checked at once, so an oversized chunk is never read.
    if (chunk_size_ > limits_.max_body_bytes - body_bytes_) {
        fail(ParseError::body_too_large);
        return;
    }
    body_remaining_ = chunk_size_;
    chunk_state_ = ChunkState::data;
}

const char* HttpResponseParser::chunk_data_step(const char* p, const char* end) noexcept {
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(body_remaining_, static_cast<std::uint64_t>(end - p)));
    on_body(p, n);
    body_remaining_ -= n;
    if (body_remaining_ == 0) chunk_state_ = ChunkState::data_cr;
    return p + n;
}

}  // namespace faultline
