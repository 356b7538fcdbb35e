#pragma once
// Reading examples/kubernetes for the manifest tests: every document of every *.yaml,
// lookups by kind and name, the faultline command lines inside, and running a program to
// capture its output.
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <string>
#include <vector>

namespace faultline::test {

struct Manifest {
    std::string file;  // name inside examples/kubernetes
    YAML::Node doc;
};

std::filesystem::path kubernetes_dir();
// Every non-empty document of every examples/kubernetes/*.yaml, in file name order.
const std::vector<Manifest>& manifests();
// The one document of `kind` named `name`; fails the test when there is not exactly one.
YAML::Node manifest(const std::string& kind, const std::string& name);

std::vector<std::string> strings(const YAML::Node& sequence);

// A program run by a container: argv[0] is the program (`faultline` when the container
// only gives args to the image's entrypoint), then its arguments.
struct Invocation {
    std::string where;  // "Job/faultline-load container load"
    std::vector<std::string> argv;
    YAML::Node container;
};
// Every container and init container of every Deployment and Job.
std::vector<Invocation> invocations();
// The invocation of the (only) main container of workload `kind`/`name`.
Invocation main_invocation(const std::string& kind, const std::string& name);

// The value of --flag (the token after it); "" when absent.
std::string flag_value(const std::vector<std::string>& argv, const std::string& flag);
bool has_token(const std::vector<std::string>& argv, const std::string& token);
// Tokens that are flags ("--shard", "-o"), with any "=value" cut off.
std::vector<std::string> flags(const std::vector<std::string>& args);
// True when `help` lists `flag` as an option (CLI11: "  -o,--output TEXT", "  --shard TEXT").
bool help_lists_flag(const std::string& help, const std::string& flag);

// Runs argv to completion (30 s at most); stdout then stderr.
struct RunOutput {
    int exit_code = -1;
    std::string out;
};
RunOutput run_program(const std::vector<std::string>& argv);

// Non-comment, non-empty first words of a package list in scripts/.
std::vector<std::string> package_list(const std::string& file_name);

}  // namespace faultline::test
