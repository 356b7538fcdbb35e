#pragma once
// `--metrics-listen HOST:PORT`: a tiny HTTP/1.1 server with one page, GET /metrics, that
// returns the text last given to update() (Prometheus text format 0.0.4,
// reports/prometheus_text.hpp). It runs on its own io_context thread so a scrape never
// waits on the load's control loop; any other path is 404, another method on /metrics 405.
#include <memory>
#include <string>

namespace faultline {

class MetricsServer {
public:
    // Binds `listen` ("127.0.0.1:9464", "0.0.0.0:9464", "[::1]:9464", "localhost:9464";
    // port 0 picks a free one) and starts serving. Throws std::runtime_error naming the
    // address when it is malformed, does not resolve or cannot be bound (the CLI exits 3).
    explicit MetricsServer(const std::string& listen);
    // Stops accepting, closes every connection and joins the thread.
    ~MetricsServer();
    MetricsServer(const MetricsServer&) = delete;
    MetricsServer& operator=(const MetricsServer&) = delete;

    // Replaces the page. Thread-safe; the page is empty until the first call.
    void update(std::string text);
    // The bound port (the real one when `listen` asked for port 0).
    unsigned short port() const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace faultline
