#pragma once
// Incremental HTTP/1.1 response parser for the driver's hot path.
//
// It reads the status line and headers, works out how the body is delimited, and then counts
// the body bytes; it does not store headers or body. It keeps no line buffer: every state is a
// few fixed-size fields, so a response may arrive split at any byte boundary, feed() never
// allocates, and a parser built once per connection is reused with reset().
//
// What it accepts (RFC 9112, with the usual client-side tolerance):
// - Status line "HTTP/1.<digit> <3 digits>[ <reason>]". The reason phrase may be missing,
//   with or without the space before it. HTTP/1.0 gets HTTP/1.0 keep-alive rules; any other
//   minor version gets HTTP/1.1 rules. Anything else is bad_status_line.
// - Lines may end in CRLF or a bare LF (sloppy servers exist and a load generator should
//   measure them, not fail them). A CR not followed by LF is an error right after the status
//   code and in the three headers below; inside a reason phrase or any other header's value
//   it is skipped with the text.
// - Header lines "Name: value" with a token name, no space before the colon. A line starting
//   with whitespace (obs-fold) or without a colon is bad_header. Names are case-insensitive;
//   only Content-Length, Transfer-Encoding and Connection are interpreted, the rest are skipped
//   unread (one memchr per line).
// - Content-Length: digits with optional surrounding whitespace. Repeated headers must agree;
//   a list ("5, 5"), a non-digit, an empty value or a value above 2^64-1 is bad_content_length.
// - Transfer-Encoding: a comma list, repeated headers append. Chunked as the final coding means
//   chunked framing; any other final coding means the body runs until the server closes.
//   Transfer-Encoding wins over Content-Length.
// - Connection: a comma list; "close" and "keep-alive" tokens are recognised. In both lists
//   names are case-insensitive, whitespace around an element is ignored, and an element with
//   anything else in it ("keep alive", "chunked;x=1", "\"close\"") matches nothing.
// - No body for HEAD requests, 1xx, 204 and 304. Interim 1xx responses (100 Continue, 103
//   Early Hints, ...) are skipped; 101 Switching Protocols is final, has no body and the
//   connection is not kept alive (it no longer speaks HTTP).
// - Chunked: hex size, optional whitespace and ";extension" up to the line end, CRLF (or LF)
//   after each chunk's data, optional trailer lines after the last chunk.
//
// Limits:
// - header_bytes() counts the status line, header lines and the blank line of every interim
//   1xx response and of the final response, plus the trailer section of a chunked body (the
//   lines after the "0" chunk, including the final blank line). Going over max_header_bytes at
//   any point is header_too_large, so a server that streams endless 1xx responses or trailers
//   is cut off too.
// - body_bytes() counts decoded payload bytes (chunk framing excluded). A Content-Length or a
//   chunk size that would take the body above max_body_bytes fails as soon as it is read; a
//   body read until close fails on the first byte over the cap. Exactly max_body_bytes passes.
// - A chunk-size line (size, extensions and line end) longer than kMaxChunkLineBytes, or a
//   chunk size above 2^64-1, is bad_chunk.
//
// Thread safety: none; one parser per connection.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace faultline {

struct HttpLimits {
    std::size_t max_header_bytes = 64 * 1024;
    std::uint64_t max_body_bytes = 16u << 20;
};

enum class ParseStatus { need_more, complete, error };

enum class ParseError {
    none,
    bad_status_line,
    bad_header,
    header_too_large,
    bad_content_length,
    body_too_large,
    bad_chunk,
    unexpected_eof,
};

// Short lower-case text for reports, e.g. "header too large".
std::string_view to_string(ParseError e) noexcept;

class HttpResponseParser {
public:
    // Longest chunk-size line accepted, counting extensions and the line end.
    static constexpr std::size_t kMaxChunkLineBytes = 4096;

    explicit HttpResponseParser(HttpLimits limits = {}) noexcept;

    // Starts a new response. head_request: the request was HEAD, so the response has no body
    // whatever its headers say.
    void reset(bool head_request = false) noexcept;

    // Consumes bytes of the response; the stream may be split anywhere, down to single bytes.
    // `consumed` is set to how many bytes of [data, data + n) were used:
    // - need_more: all n (nothing is held back, the caller may reuse its buffer);
    // - complete: the bytes of this response; the rest belong to the next response;
    // - error: the bytes before the offending one.
    // Once complete or error, further calls return the same status and consume nothing until
    // reset(). Never allocates.
    ParseStatus feed(const char* data, std::size_t n, std::size_t& consumed) noexcept;

    // The peer closed the connection. Completes a body delimited by connection close;
    // otherwise the response is cut short: error unexpected_eof (also when no byte of the
    // response was seen; check started() to tell an idle close from a truncated response).
    // A response that is already complete or failed keeps its status. Returns complete or error.
    ParseStatus finish_eof() noexcept;

    // Final status code (interim 1xx responses are skipped); 0 before the status line.
    int status_code() const noexcept { return head_.status_code; }
    // Whether the connection may carry the next request. False for "Connection: close",
    // HTTP/1.0 without "Connection: keep-alive", 101, and bodies read until close.
    // Meaningful once headers_done().
    bool keep_alive() const noexcept { return keep_alive_; }
    // Payload bytes so far (decoded: chunk framing is not counted).
    std::uint64_t body_bytes() const noexcept { return body_bytes_; }
    // Head bytes so far; see "Limits" above for what counts.
    std::size_t header_bytes() const noexcept { return header_bytes_; }
    ParseError error() const noexcept { return error_; }
    // The final response's headers have been read (body framing is known).
    bool headers_done() const noexcept { return headers_done_; }
    // At least one byte of this response (including interim 1xx responses) was seen.
    bool started() const noexcept { return started_; }
    // Appends the decoded body of the response being parsed to *out (nullptr: count only).
    // Set after reset(); the caller clears the string.
    void capture_body(std::string* out) noexcept { body_capture_ = out; }

private:
    enum class Phase : std::uint8_t { head, body_length, body_chunked, body_until_close, done };
    // Where the head scanner is inside a line. Trailers reuse the header-line states.
    enum class HeadState : std::uint8_t {
        status_line,      // matching "HTTP/1.x SSS" byte by byte
        status_lf,        // after CR at the end of a reason-less status line
        reason,           // skipping the reason phrase up to LF
        line_start,       // first byte of a header line, or the blank line
        name,             // inside a header name
        value,            // inside a header value
        blank_lf,         // after the CR of the blank line that ends the head
    };
    // The header whose value is being read; skip means "not interesting".
    enum class Field : std::uint8_t { skip, content_length, transfer_encoding, connection };
    enum class ChunkState : std::uint8_t { size, size_ws, ext, size_lf, data, data_cr, data_lf };

    // What the current head (interim or final) said; cleared for each 1xx.
    struct HeadFields {
        int status_code = 0;
        bool http10 = false;
        bool connection_close = false;
        bool connection_keep_alive = false;
        bool content_length_seen = false;
        bool transfer_encoding_seen = false;
        bool chunked = false;  // "chunked" is the last transfer coding seen so far
        std::uint64_t content_length = 0;
    };

    const char* parse_head(const char* p, const char* end) noexcept;
    const char* head_step(const char* p, const char* end) noexcept;
    const char* status_line_step(const char* p, const char* end) noexcept;
    bool status_line_shortcut(const char* p) noexcept;
    const char* line_start_step(const char* p, const char* end) noexcept;
    const char* name_step(const char* p, const char* end) noexcept;
    void append_word(const char* p, const char* end) noexcept;
    static Field classify_name(const char* name, std::size_t n) noexcept;
    Field classify_word() const noexcept;
    bool word_is(std::string_view lower) const noexcept;
    void begin_value() noexcept;
    const char* value_step(const char* p, const char* end) noexcept;
    const char* framing_value_bytes(const char* p, const char* stop) noexcept;
    const char* content_length_bytes(const char* p, const char* stop) noexcept;
    void end_content_length() noexcept;
    const char* list_bytes(const char* p, const char* stop) noexcept;
    void end_list_element() noexcept;
    void end_value() noexcept;
    void end_head() noexcept;
    void start_body() noexcept;

    const char* parse_chunked(const char* p, const char* end) noexcept;
    const char* chunk_size_line_step(const char* p, const char* end) noexcept;
    const char* chunk_size_digits(const char* p, const char* end) noexcept;
    const char* chunk_size_byte(const char* p) noexcept;
    void end_chunk_size_line() noexcept;
    const char* chunk_data_step(const char* p, const char* end) noexcept;
    const char* parse_until_close(const char* p, const char* end) noexcept;
    const char* parse_length(const char* p, const char* end) noexcept;

    // Every payload byte passes through here exactly once, already de-chunked, so optional
    // body capture (into a caller-provided buffer) hooks in at this one point.
    void on_body(const char* p, std::size_t n) noexcept {
        body_bytes_ += n;
        // Bounded by max_body_bytes; the string keeps its capacity between responses.
        if (body_capture_) body_capture_->append(p, n);
    }
    std::string* body_capture_ = nullptr;
    void complete() noexcept;
    void fail(ParseError e) noexcept;

    HttpLimits limits_;

    // Per response; reset() restores all of these.
    ParseStatus status_ = ParseStatus::need_more;
    ParseError error_ = ParseError::none;
    Phase phase_ = Phase::head;
    HeadState head_state_ = HeadState::status_line;
    Field field_ = Field::skip;
    ChunkState chunk_state_ = ChunkState::size;
    bool head_request_ = false;
    bool started_ = false;
    bool headers_done_ = false;
    bool keep_alive_ = false;
    bool in_trailers_ = false;
    bool cr_seen_ = false;          // the framing value so far ended in CR; only LF may follow
    bool word_ended_ = false;       // list element: whitespace followed the word
    bool chunk_has_digits_ = false; // the chunk-size line has at least one hex digit
    std::uint32_t index_ = 0;       // bytes into the status line
    // Lower-cased start of the current header name or list element: enough to recognise the
    // few words that matter ("transfer-encoding" is the longest) without buffering lines.
    static constexpr std::size_t kWordCap = 17;
    char word_[kWordCap] = {};
    std::uint32_t word_len_ = 0;    // bytes in the word, which may exceed kWordCap
    HeadFields head_;
    std::uint8_t cl_state_ = 0;     // Content-Length value: 0 leading ws, 1 digits, 2 trailing ws
    std::uint64_t cl_value_ = 0;
    std::uint64_t chunk_size_ = 0;
    std::size_t chunk_line_bytes_ = 0;
    std::uint64_t body_remaining_ = 0;
    std::uint64_t body_bytes_ = 0;
    std::size_t header_bytes_ = 0;
};

}  // namespace faultline
