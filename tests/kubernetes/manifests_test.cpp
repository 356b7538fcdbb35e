// examples/kubernetes without a cluster: the key fields of the Jobs, how they share one
// start instant and one results directory, that every command line is accepted by the
// program it runs (its own --help), and that the scenario and the proxy config agree with
// the Services. What only a cluster can show (scheduling, the volume, the network) is
// listed in docs/kubernetes.md.
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <unistd.h>

#include "tests/kubernetes/manifest_support.hpp"
#include "tests/support/paths.hpp"

using namespace faultline::test;

namespace {

YAML::Node pod_spec(const YAML::Node& workload) { return workload["spec"]["template"]["spec"]; }

// "ConfigMap faultline-run key START_AT" for an env var taken from a ConfigMap.
std::string env_source(const YAML::Node& container, const std::string& name) {
    for (const auto& e : container["env"]) {
        if (e["name"].as<std::string>() != name) continue;
        const auto ref = e["valueFrom"]["configMapKeyRef"];
        if (ref) return "ConfigMap " + ref["name"].as<std::string>() + " key " + ref["key"].as<std::string>();
        return "value " + e["value"].as<std::string>("");
    }
    return {};
}

// The container's mount of `volume`; a null node when it has none.
YAML::Node mount(const YAML::Node& container, const std::string& volume) {
    for (const auto& m : container["volumeMounts"])
        if (m["name"].as<std::string>() == volume) return YAML::Node(m);
    return YAML::Node();
}

std::string name_of(const YAML::Node& doc) {
    return doc["metadata"] ? doc["metadata"]["name"].as<std::string>("") : std::string();
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (auto p = text.find(from); p != std::string::npos; p = text.find(from, p + to.size()))
        text.replace(p, from.size(), to);
    return text;
}

int completions_of_load_job() { return manifest("Job", "faultline-load")["spec"]["completions"].as<int>(); }

}  // namespace

TEST_CASE("kubernetes: the load is an Indexed Job whose pods run shard JOB_COMPLETION_INDEX/N") {
    const auto job = manifest("Job", "faultline-load");
    CHECK(job["spec"]["completionMode"].as<std::string>() == "Indexed");
    const int n = job["spec"]["completions"].as<int>();
    CHECK(n == 3);
    CHECK(job["spec"]["parallelism"].as<int>() == n);
    CHECK(pod_spec(job)["restartPolicy"].as<std::string>() == "Never");

    const auto load = main_invocation("Job", "faultline-load");
    const auto& argv = load.argv;
    REQUIRE(argv.size() >= 3);
    CHECK(argv[0] == "faultline");
    CHECK(argv[1] == "run");
    CHECK(argv[2] == "/etc/faultline/scenario.yaml");
    CHECK(flag_value(argv, "--shard") == "$(JOB_COMPLETION_INDEX)/" + std::to_string(n));
    CHECK(flag_value(argv, "--start-at") == "$(START_AT)");
    CHECK(has_token(argv, "--no-faults"));
    CHECK_FALSE(has_token(argv, "--faults-only"));
    CHECK(flag_value(argv, "--json") == "/results/shard-$(JOB_COMPLETION_INDEX).json");
    CHECK(flag_value(argv, "--metrics-listen") == "0.0.0.0:9464");
    REQUIRE(load.container["ports"].size() == 1);
    CHECK(load.container["ports"][0]["containerPort"].as<int>() == 9464);
    CHECK(load.container["ports"][0]["name"].as<std::string>() == "metrics");
}

TEST_CASE("kubernetes: the fault controller runs --faults-only on the load's clock") {
    const auto faults = main_invocation("Job", "faultline-faults");
    const auto load = main_invocation("Job", "faultline-load");
    CHECK(faults.argv[1] == "run");
    CHECK(faults.argv[2] == load.argv[2]);
    CHECK(has_token(faults.argv, "--faults-only"));
    CHECK_FALSE(has_token(faults.argv, "--no-faults"));
    CHECK_FALSE(has_token(faults.argv, "--shard"));
    CHECK(flag_value(faults.argv, "--start-at") == "$(START_AT)");
    // One instant for every pod: the same ConfigMap key, created at submit time.
    CHECK(env_source(faults.container, "START_AT") == "ConfigMap faultline-run key START_AT");
    CHECK(env_source(load.container, "START_AT") == "ConfigMap faultline-run key START_AT");
    CHECK(manifest("Job", "faultline-faults")["spec"]["backoffLimit"].as<int>() == 0);
}

TEST_CASE("kubernetes: the merge job waits for every shard and the fault windows, then merges them") {
    const int n = completions_of_load_job();
    const auto load = main_invocation("Job", "faultline-load");
    const auto faults = main_invocation("Job", "faultline-faults");
    const auto merge = main_invocation("Job", "faultline-merge");
    REQUIRE(merge.argv.size() > 3);
    CHECK(merge.argv[1] == "report");
    CHECK(merge.argv[2] == "merge");
    CHECK(flag_value(merge.argv, "-o") == "/results/merged.json");
    CHECK(flag_value(merge.argv, "--faults") == flag_value(faults.argv, "--json"));

    // Inputs: the positional arguments, exactly the files the shards write.
    const std::set<std::string> boolean_flags = {"--force"};
    std::vector<std::string> inputs;
    for (std::size_t i = 3; i < merge.argv.size(); ++i) {
        if (merge.argv[i][0] == '-') {
            if (!boolean_flags.count(merge.argv[i])) ++i;
            continue;
        }
        inputs.push_back(merge.argv[i]);
    }
    std::vector<std::string> expected;
    for (int i = 0; i < n; ++i)
        expected.push_back(replace_all(flag_value(load.argv, "--json"), "$(JOB_COMPLETION_INDEX)", std::to_string(i)));
    CHECK(inputs == expected);

    const auto init = pod_spec(manifest("Job", "faultline-merge"))["initContainers"];
    REQUIRE(init.size() == 1);
    const auto script = strings(init[0]["command"]).back();
    for (auto file : expected) {
        file = file.substr(file.rfind('/') + 1);
        CHECK_THAT(script, Catch::Contains(file));
    }
    CHECK_THAT(script, Catch::Contains("faults.json"));
}

TEST_CASE("kubernetes: every pod of a run shares one results directory on the ReadWriteMany claim") {
    CHECK(manifest("PersistentVolumeClaim", "faultline-results")["spec"]["accessModes"][0].as<std::string>() ==
          "ReadWriteMany");
    for (const auto& inv : invocations()) {
        const auto m = mount(inv.container, "results");
        if (!m.IsMap()) continue;
        INFO(inv.where);
        CHECK(m["mountPath"].as<std::string>() == "/results");
        CHECK(m["subPathExpr"].as<std::string>() == "$(RUN_ID)");
        CHECK(env_source(inv.container, "RUN_ID") == "ConfigMap faultline-run key RUN_ID");
    }
    for (const char* job : {"faultline-load", "faultline-faults", "faultline-merge"}) {
        bool claim = false;
        for (const auto& v : pod_spec(manifest("Job", job))["volumes"])
            if (v["persistentVolumeClaim"])
                claim = claim || v["persistentVolumeClaim"]["claimName"].as<std::string>() == "faultline-results";
        CHECK(claim);
    }
}

TEST_CASE("kubernetes: every $(VAR) in a command, argument or subPathExpr is defined for its container") {
    const std::regex reference(R"(\$\(([A-Za-z_][A-Za-z0-9_]*)\))");
    for (const auto& m : manifests()) {
        if (m.doc["kind"].as<std::string>("") != "Job" && m.doc["kind"].as<std::string>("") != "Deployment") continue;
        const bool indexed = m.doc["spec"]["completionMode"].as<std::string>("") == "Indexed";
        for (const char* list : {"initContainers", "containers"}) {
            for (const auto& c : pod_spec(m.doc)[list]) {
                std::vector<std::string> texts = strings(c["command"]);
                for (auto& a : strings(c["args"])) texts.push_back(a);
                for (const auto& vm : c["volumeMounts"]) texts.push_back(vm["subPathExpr"].as<std::string>(""));
                for (const auto& text : texts) {
                    for (std::sregex_iterator it(text.begin(), text.end(), reference), end; it != end; ++it) {
                        const auto name = (*it)[1].str();
                        INFO(m.file << ": container " << c["name"].as<std::string>() << ": " << text);
                        // Kubernetes sets JOB_COMPLETION_INDEX in the pods of Indexed Jobs only.
                        CHECK((!env_source(c, name).empty() || (indexed && name == "JOB_COMPLETION_INDEX")));
                    }
                }
            }
        }
    }
}

TEST_CASE("kubernetes: every flag in the manifests is in the --help of the program and subcommand it goes to") {
    int checked = 0;
    for (const auto& inv : invocations()) {
        const auto& argv = inv.argv;
        std::vector<std::string> help_argv;
        std::size_t first_arg = 1;
        if (argv[0] == "faultline") {
            REQUIRE(argv.size() > 1);
            help_argv = {FAULTLINE_BIN, argv[1]};
            first_arg = 2;
            if (argv[1] == "report") {
                REQUIRE(argv.size() > 2);
                help_argv.push_back(argv[2]);
                first_arg = 3;
            }
        } else if (argv[0] == "faultline-demo-target") {
            help_argv = {FAULTLINE_DEMO_TARGET};
        } else {
            CHECK(argv[0] == "sh");  // the merge job's wait loop; anything else must be checked
            continue;
        }
        help_argv.push_back("--help");
        const auto help = run_program(help_argv);
        INFO(inv.where << ": " << help_argv[1] << " --help exited " << help.exit_code << ":\n" << help.out);
        REQUIRE(help.exit_code == 0);
        for (const auto& flag : flags({argv.begin() + static_cast<std::ptrdiff_t>(first_arg), argv.end()})) {
            INFO("flag " << flag);
            CHECK(help_lists_flag(help.out, flag));
            ++checked;
        }
    }
    CHECK(checked >= 20);
}

TEST_CASE("kubernetes: the scenario in the ConfigMap is valid and agrees with the proxy and the Services") {
    const auto data = manifest("ConfigMap", "faultline-scenario")["data"];
    const auto dir = std::filesystem::temp_directory_path() / ("faultline_k8s_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto file = dir / "scenario.yaml";
    std::ofstream(file) << data["scenario.yaml"].as<std::string>();
    const auto validate = run_program({FAULTLINE_BIN, "validate", file.string()});
    INFO(validate.out);
    CHECK(validate.exit_code == 0);
    std::filesystem::remove_all(dir);

    const auto scenario = YAML::Load(data["scenario.yaml"].as<std::string>());
    const auto proxy_service = manifest("Service", "faultline-proxy")["spec"]["ports"];
    std::map<std::string, int> service_ports;
    for (const auto& p : proxy_service) service_ports[p["name"].as<std::string>()] = p["port"].as<int>();
    CHECK(scenario["toxiproxy"].as<std::string>() == "http://faultline-proxy:" + std::to_string(service_ports["admin"]));
    const auto frontend_port = manifest("Service", "demo-frontend")["spec"]["ports"][0]["port"].as<int>();
    CHECK(scenario["target"].as<std::string>() == "http://demo-frontend:" + std::to_string(frontend_port));

    // proxies.json (JSON is YAML): the proxy the faults name, on the Service's port,
    // forwarding to the backend Service; the frontend calls the backend through it.
    const auto proxies = YAML::Load(data["proxies.json"].as<std::string>());
    REQUIRE(proxies.size() == 1);
    const auto name = proxies[0]["name"].as<std::string>();
    for (const auto& f : scenario["faults"]) CHECK(f["proxy"].as<std::string>() == name);
    CHECK(proxies[0]["listen"].as<std::string>() == "0.0.0.0:" + std::to_string(service_ports[name]));
    const auto backend_port = manifest("Service", "demo-backend")["spec"]["ports"][0]["port"].as<int>();
    CHECK(proxies[0]["upstream"].as<std::string>() == "demo-backend:" + std::to_string(backend_port));
    const auto frontend = main_invocation("Deployment", "demo-frontend");
    CHECK(flag_value(frontend.argv, "--backend") == "faultline-proxy:" + std::to_string(service_ports[name]));
    const auto proxy = main_invocation("Deployment", "faultline-proxy");
    CHECK(flag_value(proxy.argv, "--port") == std::to_string(service_ports["admin"]));
    CHECK(flag_value(proxy.argv, "--config") == "/etc/faultline/proxies.json");
}

TEST_CASE("kubernetes: manifests are namespace-agnostic, non-root, and all listed in kustomization.yaml") {
    const auto kustomization = YAML::LoadFile((kubernetes_dir() / "kustomization.yaml").string());
    std::set<std::string> listed;
    for (const auto& r : strings(kustomization["resources"])) {
        CHECK(std::filesystem::exists(kubernetes_dir() / r));
        listed.insert(r);
    }
    for (const auto& m : manifests()) {
        INFO(m.file << ": " << m.doc["kind"].as<std::string>("") << "/" << name_of(m.doc));
        if (m.doc["metadata"]) CHECK_FALSE(m.doc["metadata"]["namespace"]);
        const auto kind = m.doc["kind"].as<std::string>("");
        // The PodMonitor needs the Prometheus Operator's CRDs: opt-in, see the kustomization.
        if (kind != "Kustomization" && kind != "PodMonitor") CHECK(listed.count(m.file) == 1);
        if (kind != "Job" && kind != "Deployment") continue;
        CHECK(pod_spec(m.doc)["securityContext"]["runAsNonRoot"].as<bool>());
        for (const char* list : {"initContainers", "containers"})
            for (const auto& c : pod_spec(m.doc)[list])
                CHECK(c["image"].as<std::string>() == kustomization["images"][0]["newName"].as<std::string>() + ":" +
                                                          kustomization["images"][0]["newTag"].as<std::string>());
    }
}
