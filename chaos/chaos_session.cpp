#include "chaos/chaos_session.hpp"

#include <boost/json/parse.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <set>

#include "chaos/embedded_engine.hpp"
#include "chaos/fault_calls.hpp"
#include "chaos/fault_runner.hpp"
#include "chaos/ready_probe.hpp"
#include "chaos/service_process.hpp"
#include "chaos/toxiproxy_client.hpp"

namespace faultline::chaos {

namespace {

void log_problem(const std::string& what) { std::cerr << "faultline: chaos: " << what << "\n"; }

bool needs_proxies(const ChaosSpec& spec) {
    if (!spec.proxies.empty() || spec.toxiproxy_url) return true;
    return std::any_of(spec.faults.begin(), spec.faults.end(),
                       [](const FaultDecl& f) { return f.kind != FaultDecl::Kind::service; });
}

std::string listen_of(const ApiResponse& response) {
    boost::system::error_code ec;
    const auto value = boost::json::parse(response.body, ec);
    if (ec || !value.is_object()) return "";
    const auto* listen = value.as_object().if_contains("listen");
    return listen && listen->is_string() ? std::string(listen->as_string()) : "";
}

}  // namespace

ChaosSession::ChaosSession(ChaosSpec spec, std::filesystem::path log_dir, std::string log_prefix, std::uint64_t seed,
                           const Clock& clock)
    : spec_(std::move(spec)), log_dir_(std::move(log_dir)), log_prefix_(std::move(log_prefix)), seed_(seed), clock_(clock) {
    runner_ = std::make_unique<FaultRunner>(
        spec_.faults, [this](const std::string& name) { return find_service(name); }, clock_);
}

ChaosSession::~ChaosSession() { shutdown(); }

std::vector<std::pair<std::string, std::string>> ChaosSession::start_proxies() {
    std::vector<std::pair<std::string, std::string>> listens;
    if (!needs_proxies(spec_)) return listens;
    try {
        if (spec_.toxiproxy_url) {
            api_ = std::make_unique<ToxiproxyClient>(*spec_.toxiproxy_url);
            try {
                const auto version = api_->call({"GET", "/version", ""});
                if (version.status != 200)
                    throw SetupFailure(fmt::format("{}: GET /version: HTTP {}: not a Toxiproxy API?", api_->describe(),
                                                   version.status));
            } catch (const TransportError& error) {
                throw SetupFailure(std::string("cannot reach ") + error.what());
            }
        } else {
            auto engine = std::make_unique<EmbeddedEngine>(seed_);
            engine_ = engine.get();
            api_ = std::move(engine);
        }
        runner_->set_api(api_.get());
        create_proxies(listens);
        check_fault_proxies();
    } catch (const SetupFailure&) {
        delete_created_proxies();
        stop_engine();
        throw;
    } catch (const TransportError& error) {
        delete_created_proxies();
        stop_engine();
        throw SetupFailure(error.what());
    }
    return listens;
}

void ChaosSession::create_proxies(std::vector<std::pair<std::string, std::string>>& listens) {
    for (const auto& proxy : spec_.proxies) {
        const auto response = api_->call(create_proxy_call(proxy));
        if (response.status == 409)
            // Not ours: deleting or changing it could break whoever made it. docs/chaos.md.
            throw SetupFailure(fmt::format(
                "proxy {}: a proxy with that name already exists on {}; faultline only removes proxies it "
                "created: delete it first, or leave it out of `proxies:` to use it as it is",
                proxy.name, api_->describe()));
        if (response.status != 201)
            throw SetupFailure(fmt::format("proxy {}: cannot create it on {}: HTTP {}: {}", proxy.name,
                                           api_->describe(), response.status, api_error_text(response)));
        created_proxies_.push_back(proxy.name);
        const auto listen = listen_of(response);
        if (listen.empty())
            throw SetupFailure(fmt::format("proxy {}: {} replied without a listen address", proxy.name, api_->describe()));
        listens.emplace_back("proxies." + proxy.name + ".listen", connectable_listen(listen, api_->connect_host()));
    }
}

void ChaosSession::check_fault_proxies() {
    std::set<std::string> checked;
    for (const auto& proxy : spec_.proxies) checked.insert(proxy.name);
    for (std::size_t i = 0; i < spec_.faults.size(); ++i) {
        for (const auto& name : spec_.faults[i].proxies) {
            if (!checked.insert(name).second) continue;
            const auto response = api_->call(get_proxy_call(name));
            if (response.status == 404)
                throw SetupFailure(fmt::format("fault {} ({}): proxy {} is not in `proxies:` and does not exist on {}",
                                               i + 1, fault_label(spec_.faults[i]), name, api_->describe()));
            if (response.status != 200)
                throw SetupFailure(fmt::format("proxy {}: {}: HTTP {}: {}", name, api_->describe(), response.status,
                                               api_error_text(response)));
        }
    }
}

void ChaosSession::start_services(const std::vector<ServiceDecl>& services) {
    try {
        if (!services.empty()) std::filesystem::create_directories(log_dir_);
        for (const auto& decl : services) {
            if (cancel_) throw SetupFailure("setup cancelled");
            if (shut_down_) throw SetupFailure("the chaos session has been shut down");
            auto service = std::make_unique<ServiceProcess>(decl, log_dir_ / (log_prefix_ + decl.name + ".log"));
            auto* raw = service.get();
            {
                const std::lock_guard lock(services_mutex_);
                services_.push_back(std::move(service));
            }
            control_.run_sync([raw] { raw->spawn(); });  // forked by the thread that outlives it
            wait_until_ready(*raw, cancel_, clock_);
        }
    } catch (const std::filesystem::filesystem_error& error) {
        stop_services();
        throw SetupFailure(fmt::format("services: cannot create log directory {}: {}", log_dir_.string(),
                                       error.code().message()));
    } catch (...) {
        stop_services();
        throw;
    }
}

void ChaosSession::start_faults(Clock_tp origin) {
    const std::lock_guard lock(lifecycle_mutex_);
    if (faults_started_ || shut_down_) return;
    faults_started_ = true;
    control_.run_sync([&] { runner_->start(control_.context(), origin); });
}

std::string ChaosSession::active_faults() const { return runner_->active(); }

void ChaosSession::remove_faults() {
    const std::lock_guard lock(lifecycle_mutex_);
    remove_faults_locked();
}

void ChaosSession::remove_faults_locked() noexcept {
    if (shut_down_) return;
    try {
        runner_->request_stop();  // before queueing: a ready wait on the control thread gives up
        control_.run_sync([&] { runner_->revert_all(); });
    } catch (const std::exception& error) {
        log_problem(std::string("removing faults: ") + error.what());
    }
}

void ChaosSession::shutdown() {
    const std::lock_guard lock(lifecycle_mutex_);
    if (shut_down_) return;
    remove_faults_locked();
    shut_down_ = true;
    for (const auto& warning : runner_->warnings()) log_problem(warning);
    stop_services();
    delete_created_proxies();
    stop_engine();
    control_.stop();
}

void ChaosSession::stop_services() noexcept {
    std::vector<ServiceProcess*> services;
    {
        const std::lock_guard lock(services_mutex_);
        for (auto& s : services_) services.push_back(s.get());
    }
    // All at once: SIGTERM to every group, then one shared grace period, so shutdown takes at
    // most kStopGrace however many services there are.
    for (auto* s : services) s->begin_stop();
    const auto deadline = clock_.now() + kStopGrace;
    for (auto* s : services) {
        try {
            s->finish_stop(deadline, clock_);
        } catch (const std::exception& error) {
            log_problem("stopping service " + s->name() + ": " + error.what());
        }
    }
}

void ChaosSession::delete_created_proxies() noexcept {
    if (!api_) return;
    for (const auto& name : created_proxies_) {
        try {
            const auto response = api_->call(delete_proxy_call(name));
            if (response.status != 204 && response.status != 404)
                log_problem(fmt::format("deleting proxy {} on {}: HTTP {}: {}", name, api_->describe(),
                                        response.status, api_error_text(response)));
        } catch (const std::exception& error) {
            log_problem(fmt::format("deleting proxy {}: {}", name, error.what()));
        }
    }
    created_proxies_.clear();
}

void ChaosSession::stop_engine() noexcept {
    if (engine_) engine_->stop();
}

std::vector<FaultWindow> ChaosSession::windows() const { return runner_->windows(); }
std::vector<std::string> ChaosSession::warnings() const { return runner_->warnings(); }

std::vector<std::string> ChaosSession::service_logs() const {
    const std::lock_guard lock(services_mutex_);
    std::vector<std::string> out;
    for (const auto& s : services_) out.push_back(s->log_path().string());
    return out;
}

ServiceProcess* ChaosSession::find_service(const std::string& name) const {
    const std::lock_guard lock(services_mutex_);
    for (const auto& s : services_)
        if (s->name() == name) return s.get();
    return nullptr;
}

}  // namespace faultline::chaos
