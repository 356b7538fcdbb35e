#include "driver/run_plan.hpp"

#include <boost/asio/io_context.hpp>
#include <fmt/format.h>

#include "driver/request_bytes.hpp"

namespace faultline {
namespace net = boost::asio;
using net::ip::tcp;

namespace {

std::unique_ptr<net::ssl::context> make_tls_context(const HttpSettings& http) {
    auto ctx = std::make_unique<net::ssl::context>(net::ssl::context::tls_client);
    ctx->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                     net::ssl::context::no_sslv3);
    if (http.insecure) {
        ctx->set_verify_mode(net::ssl::verify_none);
        return ctx;
    }
    boost::system::error_code ec;
    ctx->set_default_verify_paths(ec);
    if (!http.ca_file.empty()) {
        ctx->load_verify_file(http.ca_file, ec);
        if (ec) throw SetupError(fmt::format("tls: cannot load CA file '{}': {}", http.ca_file, ec.message()));
    }
    ctx->set_verify_mode(net::ssl::verify_peer);
    return ctx;
}

bool literal_url(const Scenario& s, const HttpStep& step) {
    return step.url.is_literal() && (step.full_url || s.target.is_literal());
}

bool literal_request(const HttpStep& step) {
    for (const auto& h : step.headers)
        if (!h.second.is_literal()) return false;
    return !step.body || step.body->is_literal();
}

std::string static_request(const Scenario& s, const HttpStep& step, const TargetUrl& url) {
    std::vector<HeaderView> headers;
    for (const auto& [name, value] : step.headers) headers.emplace_back(name, value.literal_text());
    std::string out;
    append_request(out, step.method, url, headers, step.body ? std::string_view(step.body->literal_text()) : "",
                   s.keep_alive);
    return out;
}

int host_index(RunPlan& plan, const TargetUrl& url) {
    const auto key = origin_key(url);
    for (std::size_t i = 0; i < plan.hosts.size(); ++i)
        if (plan.hosts[i].key == key) return static_cast<int>(i);
    plan.hosts.push_back(resolve_origin(url, url.tls ? plan.tls.get() : nullptr));
    return static_cast<int>(plan.hosts.size() - 1);
}

}  // namespace

HostTarget resolve_origin(const TargetUrl& url, net::ssl::context* tls) {
    net::io_context io;
    tcp::resolver resolver(io);
    boost::system::error_code ec;
    auto results = resolver.resolve(url.host, url.port, ec);
    if (ec || results.empty())
        throw SetupError(fmt::format("dns: cannot resolve '{}': {}", url.host, ec ? ec.message() : "no addresses"));
    HostTarget t{origin_key(url), url, {}, tls};
    for (const auto& r : results) t.endpoints.push_back(r.endpoint());
    return t;
}

void render_step_url(const Scenario& s, const HttpStep& step, const RenderContext& ctx, std::string& out) {
    out.clear();
    if (!step.full_url) {
        s.target.render(out, ctx);
        // "https://h/api/" + "/login": one slash between them.
        const std::size_t before = out.size();
        step.url.render(out, ctx);
        if (before > 0 && out.size() > before && out[before - 1] == '/' && out[before] == '/') out.erase(before, 1);
        else if (before > 0 && out.size() > before && out[before - 1] != '/' && out[before] != '/' && out[before] != '?')
            out.insert(before, "/");
        return;
    }
    step.url.render(out, ctx);
}

RunPlan make_run_plan(const Scenario& s, int threads, Duration interval) {
    RunPlan plan;
    plan.scenario = &s;
    plan.threads = threads;
    plan.interval = interval;
    plan.tls = make_tls_context(s.http);
    double weight = 0;
    for (const auto& flow : s.flows) {
        std::vector<int> indexes;
        for (const auto& step : flow.steps) {
            const auto* http = std::get_if<HttpStep>(&step);
            if (!http) {
                indexes.push_back(-1);
                continue;
            }
            PlannedStep p;
            p.step = http;
            p.index = static_cast<int>(plan.steps.size());
            p.capture = http->needs_body() || !http->extract.empty();
            p.head_request = http->method == "HEAD";
            if (literal_url(s, *http)) {
                std::string text;
                render_step_url(s, *http, RenderContext{}, text);
                auto url = parse_target_url(text);
                if (!url) throw SetupError(fmt::format("step '{}': {}", http->name, url.error));
                p.url = *url;
                p.host = host_index(plan, p.url);
                if (literal_request(*http)) {
                    p.is_static = true;
                    p.static_bytes = static_request(s, *http, p.url);
                }
            }
            indexes.push_back(p.index);
            plan.steps.push_back(std::move(p));
        }
        plan.flows.push_back(std::move(indexes));
        weight += flow.weight;
        plan.cumulative_weights.push_back(weight);
    }
    return plan;
}

}  // namespace faultline
