// The Dockerfile, without a Docker engine: its stages, that each installs exactly a package
// list of scripts/ (the builder the `make deps-build` list), and that the runtime list
// covers every shared library the built programs load. Whether the image builds is not
// checked here (docs/kubernetes.md).
#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "tests/kubernetes/manifest_support.hpp"
#include "tests/support/paths.hpp"

using namespace faultline::test;

namespace {

struct Instruction {
    std::string keyword;  // upper case
    std::string text;     // the rest, continuation lines joined
};
using Stage = std::vector<Instruction>;  // starts with its FROM

std::vector<Stage> dockerfile_stages() {
    std::ifstream in(source_dir() / "Dockerfile");
    REQUIRE(in);
    std::vector<Stage> stages;
    std::string line, pending;
    while (std::getline(in, line)) {
        if (pending.empty() && (line.empty() || line[0] == '#')) continue;
        if (!line.empty() && line.back() == '\\') {
            pending += line.substr(0, line.size() - 1);
            continue;
        }
        pending += line;
        std::istringstream words(pending);
        Instruction i;
        words >> i.keyword;
        std::transform(i.keyword.begin(), i.keyword.end(), i.keyword.begin(), ::toupper);
        std::getline(words >> std::ws, i.text);
        pending.clear();
        if (i.keyword == "FROM") stages.emplace_back();
        REQUIRE_FALSE(stages.empty());
        stages.back().push_back(i);
    }
    return stages;
}

// The package list file a stage installs from: one COPY of scripts/<list> and one RUN whose
// `apt-get install` takes its packages from that file alone (`sed ... FILE | xargs apt-get
// install -y --no-install-recommends`). "" (with a failed check) otherwise.
std::string installed_list(const Stage& stage) {
    std::string copied;
    int installs = 0;
    const std::regex copy(R"(^scripts/(packages-[a-z]+\.txt) (/tmp/packages-[a-z]+\.txt)$)");
    const std::regex install(
        R"(sed -e 's/#\.\*//' (\S+) \| xargs apt-get install -y --no-install-recommends(\s+&&|\s*$))");
    std::string copied_to;
    bool from_list = false;
    for (const auto& i : stage) {
        std::smatch m;
        if (i.keyword == "COPY" && std::regex_match(i.text, m, copy)) {
            copied = m[1];
            copied_to = m[2];
        }
        if (i.keyword != "RUN") continue;
        for (auto p = i.text.find("apt-get install"); p != std::string::npos; p = i.text.find("apt-get install", p + 1))
            ++installs;
        if (std::regex_search(i.text, m, install)) from_list = m[1] == copied_to;
    }
    CHECK(installs == 1);
    CHECK(from_list);
    CHECK_FALSE(copied.empty());
    return copied;
}

std::set<std::string> as_set(const std::vector<std::string>& v) { return {v.begin(), v.end()}; }

// The Debian package that holds `path` ("" when none): dpkg knows /lib and /usr/lib paths
// apart even on merged-/usr systems, so both spellings are asked.
std::string package_of(const std::string& path) {
    for (const auto& candidate : {path, "/usr" + path, path.rfind("/usr", 0) == 0 ? path.substr(4) : path}) {
        const auto r = run_program({"dpkg-query", "-S", candidate});
        if (r.exit_code != 0) continue;
        auto package = r.out.substr(0, r.out.find(':'));
        return package;
    }
    return {};
}

std::set<std::string> shared_library_packages(const std::string& program) {
    const auto ldd = run_program({"ldd", program});
    REQUIRE(ldd.exit_code == 0);
    std::set<std::string> out;
    const std::regex lib(R"(=> (/\S+) \(0x)");
    for (std::sregex_iterator it(ldd.out.begin(), ldd.out.end(), lib), end; it != end; ++it) {
        const auto package = package_of((*it)[1]);
        INFO(program << ": " << (*it)[1]);
        CHECK_FALSE(package.empty());
        out.insert(package);
    }
    return out;
}

}  // namespace

TEST_CASE("image: the Dockerfile is a two-stage Debian 12 build with a non-root faultline entrypoint") {
    const auto stages = dockerfile_stages();
    REQUIRE(stages.size() == 2);
    CHECK(stages[0][0].text == "debian:bookworm-slim AS build");
    CHECK(stages[1][0].text == "debian:bookworm-slim");
    const auto& runtime = stages[1];
    std::string user, entrypoint;
    std::vector<std::string> copied_from_build;
    for (const auto& i : runtime) {
        if (i.keyword == "USER") user = i.text;
        if (i.keyword == "ENTRYPOINT") entrypoint = i.text;
        if (i.keyword == "COPY" && i.text.rfind("--from=build ", 0) == 0) copied_from_build.push_back(i.text);
    }
    const auto uid = user.substr(0, user.find(':'));
    CHECK(std::regex_match(uid, std::regex("[1-9][0-9]*")));  // numeric, so runAsNonRoot can verify it
    CHECK(entrypoint == R"(["faultline"])");
    CHECK(copied_from_build == std::vector<std::string>{
                                   "--from=build /src/build/release/faultline /usr/local/bin/faultline",
                                   "--from=build /src/build/release/examples/faultline-demo-target "
                                   "/usr/local/bin/faultline-demo-target"});
}

TEST_CASE("image: the builder installs the build list of make deps, the runtime stage the runtime list") {
    const auto stages = dockerfile_stages();
    REQUIRE(stages.size() == 2);
    CHECK(installed_list(stages[0]) == "packages-build.txt");
    CHECK(installed_list(stages[1]) == "packages-runtime.txt");
    // `make deps` = build + test lists; `make deps-build` = the build list alone.
    std::ifstream deps(source_dir() / "scripts" / "deps.sh");
    const std::string script((std::istreambuf_iterator<char>(deps)), std::istreambuf_iterator<char>());
    CHECK_THAT(script, Catch::Contains("packages-build.txt") && Catch::Contains("packages-test.txt"));
}

TEST_CASE("image: the package lists are disjoint and the test list carries the fuzzing toolchain") {
    const auto build = package_list("packages-build.txt");
    const auto test = package_list("packages-test.txt");
    const auto runtime = package_list("packages-runtime.txt");
    CHECK(as_set(build).size() == build.size());
    CHECK(as_set(test).size() == test.size());
    for (const auto& p : test) {
        INFO(p);
        CHECK(as_set(build).count(p) == 0);
    }
    for (const auto* p : {"clang", "libclang-rt-14-dev", "nodejs", "npm", "chromium", "catch2"})
        CHECK(as_set(test).count(p) == 1);
    for (const auto& p : build) CHECK(std::regex_match(p, std::regex("[a-z0-9][a-z0-9.+-]+")));
    CHECK_FALSE(runtime.empty());
}

TEST_CASE("image: the runtime list holds what the built programs load, and comes from the build list") {
    // In debian:bookworm-slim already: apt itself depends on them.
    const std::set<std::string> base = {"libc6", "libgcc-s1", "libstdc++6"};
    const auto runtime = as_set(package_list("packages-runtime.txt"));
    std::set<std::string> loaded;
    for (const auto* program : {FAULTLINE_BIN, FAULTLINE_DEMO_TARGET})
        for (const auto& p : shared_library_packages(program)) loaded.insert(p);
    // The image holds a release build. A sanitizer build loads other libraries (the sanitizer
    // runtimes, Boost.Container at -O1), so only the release pass compares them.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
    constexpr bool kReleaseBuild = false;
#else
    constexpr bool kReleaseBuild = true;
#endif
    for (const auto& p : kReleaseBuild ? loaded : std::set<std::string>{}) {
        INFO("loaded from " << p);
        CHECK((runtime.count(p) == 1 || base.count(p) == 1));
    }
    // Each runtime package is in the build list or a direct dependency of one of its
    // packages (libssl3 of libssl-dev, ...), so the two lists cannot drift apart.
    const auto build = package_list("packages-build.txt");
    std::string depends;
    for (const auto& p : build) depends += run_program({"dpkg-query", "-W", "-f=${Depends}\n", p}).out;
    for (const auto& p : runtime) {
        INFO("runtime package " << p);
        const bool in_build = std::find(build.begin(), build.end(), p) != build.end();
        const bool dependency = std::regex_search(depends, std::regex("(^|[ ,|])" + std::regex_replace(p, std::regex(R"([.+])"), R"(\$&)") + "( |,|$)", std::regex::multiline));
        CHECK((in_build || dependency));
        if (kReleaseBuild) CHECK((loaded.count(p) == 1 || p == "ca-certificates"));  // no library nothing loads
    }
}
