// Zero heap allocations per request in steady state, for a static request in the open and
// the closed model: the real driver against the demo target (another process, so only the
// driver's allocations are counted) for 7 s, counting every malloc made on the driver's
// worker threads from the close of interval 2 to the close of interval 5 (warm-up over:
// lanes, connections and pools have reached their peak).
//
// Allocations that do happen in that window belong to intervals, not requests (closing an
// interval stores its compressed histogram): they are bounded per interval, and the same at
// a low and at a high request rate.
#include <catch2/catch.hpp>

#include <algorithm>
#include <mutex>

#include "driver/driver.hpp"
#include "tests/driver_alloc/counting_malloc.hpp"
#include "tests/support/child_process.hpp"

namespace faultline {
namespace {
using namespace std::chrono_literals;

class DemoTarget {
public:
    DemoTarget()
        : process_(std::vector<std::string>{FAULTLINE_DEMO_TARGET, "--port", "0", "--latency", "0", "--jitter", "0",
                                            "--error-rate", "0"}) {
        auto line = process_.read_line_until("listening on ", 15s);
        if (!line) FAIL("the demo target did not start: " << process_.stderr_text());
        url_ = line->substr(std::string_view("listening on ").size());
    }
    const std::string& url() const noexcept { return url_; }

private:
    test::ChildProcess process_;
    std::string url_;
};

struct Window {
    std::uint64_t allocations = 0;
    std::uint64_t requests = 0;   // requests intended in the counted intervals
    std::uint64_t intervals = 0;  // interval boundaries inside the window
};

// Counts from the moment interval `first` is published until interval `last` is.
Window count_steady_state(const RunSpec& spec, std::int64_t first, std::int64_t last) {
    test::exclude_this_thread_from_counting();
    Window w;
    bool window_closed = false;
    RunSettings settings;
    settings.threads = 1;
    settings.interval = spec.interval;
    settings.hooks.on_interval = [&](const IntervalResult& r, RunControl&) {
        const auto index = static_cast<std::int64_t>(r.t_s / std::chrono::duration<double>(spec.interval).count() + 0.5);
        if (index == first) test::start_counting_allocations();
        if (index > first && index <= last) w.requests += r.requests;
        if (index == last) {
            test::stop_counting_allocations();
            w.allocations = test::counted_allocations();
            window_closed = true;
        }
    };
    const RunResult result = run_scenario(scenario_from_spec(spec), settings);
    test::stop_counting_allocations();
    // Both ends of the window were seen while the run went on: nothing was counted vacuously.
    REQUIRE(window_closed);
    w.intervals = static_cast<std::uint64_t>(last - first);
    UNSCOPED_INFO("run: " << result.requests << " requests, " << result.errors.total() << " errors " << result.no_response_reason);
    REQUIRE(result.requests > 0);
    CHECK(result.errors.failures() == 0);
    return w;
}

RunSpec static_get(const std::string& url) {
    RunSpec spec;
    auto parsed = parse_target_url(url + "/");
    REQUIRE(parsed);
    spec.request.url = *parsed.value;
    spec.load.duration = 7s;
    spec.interval = 1s;
    return spec;
}

void log_window(const char* what, const Window& w) {
    WARN(what << ": " << w.allocations << " allocations on worker threads over " << w.requests << " requests in "
              << w.intervals << " intervals (" << static_cast<double>(w.allocations) / static_cast<double>(std::max<std::uint64_t>(w.requests, 1))
              << " per request; expected 0 per request, at most a few per interval)");
}

// Closing an interval encodes its histogram (zlib's buffers, the encoded bytes), stores its
// status list and publishes it to the live series, for the totals and for each step:
// measured about 50 allocations per interval, never per request.
constexpr std::uint64_t kAllowedPerInterval = 100;
// Growth is allowed once per connection: when a stall of the VM puts the open model behind,
// it opens more lanes and connections (frames, a read buffer, a socket) up to the pool's
// limit, and keeps them. With a limit of 16 the 4000 req/s window counted 147-570; with 4
// (the test's limit now) 143-149, the same as at 500 req/s.
constexpr std::uint64_t kAllowedGrowthPerConnection = 25;

}  // namespace

TEST_CASE("driver: no heap allocation per request in the open model (static request)", "[socket]") {
    DemoTarget target;
    RunSpec low = static_get(target.url());
    low.load.model = LoadModel::open;
    low.load.rate_per_s = 500;
    low.http.connections = 4;  // at 4000 req/s about one request is in flight; stalls queue in the FIFO
    low.http.max_pending = default_max_pending(low.load.rate_per_s);
    RunSpec high = low;
    high.load.rate_per_s = 4000;
    high.http.max_pending = default_max_pending(high.load.rate_per_s);

    const Window a = count_steady_state(low, 2, 5);
    log_window("open model, 500 req/s", a);
    const Window b = count_steady_state(high, 2, 5);
    log_window("open model, 4000 req/s", b);

    REQUIRE(b.requests >= 6 * a.requests);
    CHECK(a.allocations <= kAllowedPerInterval * a.intervals);
    const auto growth = kAllowedGrowthPerConnection * static_cast<std::uint64_t>(high.http.connections);
    CHECK(b.allocations <= kAllowedPerInterval * b.intervals + growth);
    // Eight times the requests, hardly more allocations: none of them is per request. What
    // differs is per interval (a busier interval encodes a larger histogram, whose buffers
    // grow a few more times) or growth (a burst on a loaded machine raises the peak number
    // of lanes and connections, each created once): measured 30-75 more for 10,500 more
    // requests. One allocation per request would be 10,500 more.
    CHECK(b.allocations <= a.allocations + (b.requests - a.requests) / 50 + growth);
}

TEST_CASE("driver: no heap allocation per request in the closed model (static request)", "[socket]") {
    DemoTarget target;
    RunSpec spec = static_get(target.url());
    spec.load.model = LoadModel::closed;
    spec.load.vus = 8;
    spec.http.connections = 8;
    const Window w = count_steady_state(spec, 2, 5);
    log_window("closed model, 8 VUs", w);
    REQUIRE(w.requests >= 3000);
    CHECK(w.allocations <= kAllowedPerInterval * w.intervals);
    // Thousands of requests per interval: one allocation per request would be far above.
    CHECK(w.allocations * 100 < w.requests);
}

}  // namespace faultline
