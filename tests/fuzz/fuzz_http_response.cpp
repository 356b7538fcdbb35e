// libFuzzer target: the driver's streaming HTTP/1.1 response parser
// (driver/http_response_parser.hpp), which reads whatever the system under test sends.
//
// Input: one control byte, then the bytes a server sent (several pipelined responses are
// parsed one after the other, as a keep-alive connection would). Control byte:
//   bit 0      the request was HEAD
//   bits 1-2   limits: default (64 KiB / 16 MiB), 256 B / 1 KiB, 40 B / 8 B, 1 KiB / 0 B
//   bits 3-7   how the stream is split: 0 = one byte at a time, else pseudo-random chunks of
//              1..(8 * value) bytes drawn from the value.
// The stream is parsed twice, in one piece and split, and every response must come out the
// same (the parser promises a response may be split at any byte). Also checked: the
// consumed counts, the sticky final status, the body limit and that the captured body
// matches body_bytes().
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "driver/http_response_parser.hpp"

namespace {

using faultline::HttpLimits;
using faultline::HttpResponseParser;
using faultline::ParseError;
using faultline::ParseStatus;

constexpr std::size_t kMaxResponses = 64;

struct Outcome {
    ParseStatus status;
    ParseError error;
    int status_code;
    bool keep_alive;
    bool headers_done;
    std::uint64_t body_bytes;
    std::size_t header_bytes;
    std::size_t consumed;  // bytes of the stream this response used
    std::string body;
    bool operator==(const Outcome&) const = default;
};

void require(bool ok) {
    if (!ok) std::abort();
}

HttpLimits limits_for(std::uint8_t control) {
    switch ((control >> 1) & 3) {
    case 1: return {256, 1024};
    case 2: return {40, 8};
    case 3: return {1024, 0};
    default: return {};
    }
}

// Splits the stream into the next piece: all of it, one byte, or a pseudo-random length.
class Splitter {
public:
    explicit Splitter(unsigned mode) : mode_(mode), state_(mode * 2654435761u + 1) {}
    std::size_t next(std::size_t left) {
        if (mode_ == kWhole) return left;
        if (mode_ == 0) return 1;
        state_ = state_ * 1103515245u + 12345u;
        const std::size_t n = 1 + (state_ >> 16) % (8 * mode_);
        return n < left ? n : left;
    }
    static constexpr unsigned kWhole = ~0u;

private:
    unsigned mode_;
    std::uint32_t state_;
};

Outcome finish(const HttpResponseParser& parser, ParseStatus status, std::size_t consumed, std::string& body,
               const HttpLimits& limits) {
    require(parser.body_bytes() <= limits.max_body_bytes);
    require(body.size() == parser.body_bytes());
    if (status == ParseStatus::complete) require(parser.headers_done() && parser.error() == ParseError::none);
    if (status == ParseStatus::error) require(parser.error() != ParseError::none);
    return {status,  parser.error(),        parser.status_code(), parser.keep_alive(), parser.headers_done(),
            parser.body_bytes(), parser.header_bytes(), consumed,     std::move(body)};
}

std::vector<Outcome> parse_stream(const char* data, std::size_t size, bool head, const HttpLimits& limits,
                                  unsigned split_mode) {
    std::vector<Outcome> out;
    HttpResponseParser parser(limits);
    Splitter splitter(split_mode);
    std::size_t pos = 0;
    while (out.size() < kMaxResponses) {
        std::string body;
        parser.reset(head);
        parser.capture_body(&body);
        ParseStatus status = ParseStatus::need_more;
        const std::size_t start = pos;
        while (status == ParseStatus::need_more && pos < size) {
            const std::size_t n = splitter.next(size - pos);
            std::size_t consumed = ~std::size_t{0};
            status = parser.feed(data + pos, n, consumed);
            require(consumed <= n);
            if (status == ParseStatus::need_more) require(consumed == n);
            pos += consumed;
        }
        if (status == ParseStatus::need_more) {
            if (!parser.started()) break;  // the stream ended between responses
            status = parser.finish_eof();
            require(status != ParseStatus::need_more);
        }
        std::size_t again = 1;  // complete and error are sticky until reset()
        require(parser.feed(data + pos, size - pos, again) == status && again == 0);
        out.push_back(finish(parser, status, pos - start, body, limits));
        if (status == ParseStatus::error || pos == size) break;
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::uint8_t control = data[0];
    const char* stream = reinterpret_cast<const char*>(data + 1);
    const bool head = control & 1;
    const HttpLimits limits = limits_for(control);
    const auto whole = parse_stream(stream, size - 1, head, limits, Splitter::kWhole);
    const auto split = parse_stream(stream, size - 1, head, limits, control >> 3);
    require(whole == split);
    return 0;
}
