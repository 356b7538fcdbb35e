#include "tests/kubernetes/manifest_support.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <regex>
#include <sstream>

#include "tests/support/child_process.hpp"
#include "tests/support/paths.hpp"

namespace faultline::test {

using namespace std::chrono_literals;

std::filesystem::path kubernetes_dir() { return source_dir() / "examples" / "kubernetes"; }

const std::vector<Manifest>& manifests() {
    static const std::vector<Manifest> all = [] {
        std::vector<std::filesystem::path> files;
        for (const auto& entry : std::filesystem::directory_iterator(kubernetes_dir()))
            if (entry.path().extension() == ".yaml") files.push_back(entry.path());
        std::sort(files.begin(), files.end());
        std::vector<Manifest> out;
        for (const auto& file : files)
            for (const auto& doc : YAML::LoadAllFromFile(file.string()))
                if (doc.IsMap()) out.push_back({file.filename().string(), doc});
        return out;
    }();
    return all;
}

YAML::Node manifest(const std::string& kind, const std::string& name) {
    std::vector<YAML::Node> found;
    for (const auto& m : manifests())
        if (m.doc["kind"].as<std::string>("") == kind && m.doc["metadata"]["name"].as<std::string>("") == name)
            found.push_back(m.doc);
    INFO(kind << "/" << name);
    REQUIRE(found.size() == 1);
    return found.front();
}

std::vector<std::string> strings(const YAML::Node& sequence) {
    std::vector<std::string> out;
    if (sequence && sequence.IsSequence())
        for (const auto& item : sequence) out.push_back(item.as<std::string>());
    return out;
}

namespace {

std::string image_name(const std::string& image) {
    auto name = image.substr(0, image.find(':'));
    const auto slash = name.rfind('/');
    return slash == std::string::npos ? name : name.substr(slash + 1);
}

}  // namespace

std::vector<Invocation> invocations() {
    std::vector<Invocation> out;
    for (const auto& m : manifests()) {
        const auto kind = m.doc["kind"].as<std::string>("");
        if (kind != "Job" && kind != "Deployment") continue;
        const auto spec = m.doc["spec"]["template"]["spec"];
        for (const char* list : {"initContainers", "containers"}) {
            for (const auto& c : spec[list]) {
                Invocation inv;
                inv.where = kind + "/" + m.doc["metadata"]["name"].as<std::string>() + " container " +
                            c["name"].as<std::string>();
                inv.container = YAML::Node(c);
                inv.argv = strings(c["command"]);
                if (inv.argv.empty()) inv.argv.push_back(image_name(c["image"].as<std::string>()));
                for (auto& a : strings(c["args"])) inv.argv.push_back(a);
                out.push_back(inv);
            }
        }
    }
    return out;
}

Invocation main_invocation(const std::string& kind, const std::string& name) {
    const auto doc = manifest(kind, name);
    REQUIRE(doc["spec"]["template"]["spec"]["containers"].size() == 1);
    const auto c = doc["spec"]["template"]["spec"]["containers"][0];
    for (auto& inv : invocations())
        if (inv.where == kind + "/" + name + " container " + c["name"].as<std::string>()) return inv;
    FAIL("no invocation for " << kind << "/" << name);
    return {};
}

std::string flag_value(const std::vector<std::string>& argv, const std::string& flag) {
    for (std::size_t i = 0; i + 1 < argv.size(); ++i)
        if (argv[i] == flag) return argv[i + 1];
    return {};
}

bool has_token(const std::vector<std::string>& argv, const std::string& token) {
    return std::find(argv.begin(), argv.end(), token) != argv.end();
}

std::vector<std::string> flags(const std::vector<std::string>& args) {
    std::vector<std::string> out;
    for (const auto& a : args)
        if (a.size() > 1 && a[0] == '-' && !std::isdigit(static_cast<unsigned char>(a[1])))
            out.push_back(a.substr(0, a.find('=')));
    return out;
}

bool help_lists_flag(const std::string& help, const std::string& flag) {
    const std::regex option("(^|[\\s,])" + flag + "(?=[\\s,=]|$)", std::regex::multiline);
    return std::regex_search(help, option);
}

RunOutput run_program(const std::vector<std::string>& argv) {
    ChildProcess child(argv);
    const auto status = child.wait(30s);
    child.wait_for_output_end(5s);
    RunOutput r;
    r.exit_code = status && status->exit_code ? *status->exit_code : -1;
    r.out = child.stdout_text() + child.stderr_text();
    return r;
}

std::vector<std::string> package_list(const std::string& file_name) {
    std::ifstream in(source_dir() / "scripts" / file_name);
    REQUIRE(in);
    std::vector<std::string> out;
    std::string line;
    while (std::getline(in, line)) {
        line = line.substr(0, line.find('#'));
        std::istringstream words(line);
        std::string first;
        if (words >> first) out.push_back(first);
    }
    return out;
}

}  // namespace faultline::test
