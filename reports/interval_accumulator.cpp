#include "reports/interval_accumulator.hpp"

#include "reports/hdr_codec.hpp"

namespace faultline {

void IntervalAccumulator::add(const ClosedInterval& piece) {
    requests_ += piece.requests;
    for (auto [code, n] : piece.status_codes) status_.count(code, n);
    errors_.add(piece.errors);
    latency_.add(decode_compressed(piece.hdr_compressed));
}

IntervalResult IntervalAccumulator::result(std::int64_t index, double interval_s) const {
    const auto ms = [](std::int64_t us) { return static_cast<double>(us) / 1000.0; };
    IntervalResult ir;
    ir.t_s = static_cast<double>(index) * interval_s;
    ir.requests = requests_;
    ir.status_codes = status_.sparse();
    for (auto [code, n] : ir.status_codes) ir.responses += n;
    ir.errors = errors_;
    ir.error_rate = error_rate(errors_, requests_);
    ir.p50_ms = ms(latency_.value_at_percentile(50));
    ir.p95_ms = ms(latency_.value_at_percentile(95));
    ir.p99_ms = ms(latency_.value_at_percentile(99));
    ir.max_ms = ms(latency_.max());
    ir.hdr = encode_compressed_base64(latency_);
    return ir;
}

}  // namespace faultline
