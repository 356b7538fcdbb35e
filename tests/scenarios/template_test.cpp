#include "scenarios/template.hpp"

#include <catch2/catch.hpp>
#include <regex>

using namespace faultline;

namespace {

TemplateSymbols symbols() {
    TemplateSymbols s;
    s.statics = {{"api", "/v1"}, {"env.HOST", "example.test"}};
    s.slots = {"token", "session"};
    s.feeds = {{"users", {"name", "password"}}};
    s.env = [](std::string_view name) -> std::optional<std::string> {
        if (name == "PORT") return std::string("8080");
        return std::nullopt;
    };
    return s;
}

Template compile_ok(std::string_view text) {
    Template t;
    std::vector<TemplateError> errors;
    INFO(text);
    REQUIRE(Template::compile(text, symbols(), t, errors));
    REQUIRE(errors.empty());
    return t;
}

std::vector<TemplateError> compile_errors(std::string_view text) {
    Template t;
    std::vector<TemplateError> errors;
    CHECK_FALSE(Template::compile(text, symbols(), t, errors));
    return errors;
}

}  // namespace

TEST_CASE("static names fold into one literal at compile time", "[template]") {
    const auto t = compile_ok("http://{{ env.HOST }}:{{env.PORT}}{{api}}/x");
    CHECK(t.is_literal());
    CHECK(t.literal_text() == "http://example.test:8080/v1/x");
    CHECK(compile_ok("").is_literal());
    CHECK(compile_ok("no braces } here {").literal_text() == "no braces } here {");
}

TEST_CASE("slots, data columns and built-ins render from the context", "[template]") {
    const auto t = compile_ok("{{api}}/u/{{users.name}}?t={{token}}&i={{iteration}}&v={{vu}}");
    CHECK_FALSE(t.is_literal());
    CHECK(t.literal_text().empty());
    const std::vector<std::string> slots{"abc", "sess"};
    const std::vector<std::string> row{"alice", "pw"};
    const std::vector<const std::vector<std::string>*> rows{&row};
    RenderContext ctx{slots, rows, 42, 7, nullptr};
    std::string out = "prefix:";
    t.render(out, ctx);
    CHECK(out == "prefix:/v1/u/alice?t=abc&i=42&v=7");
}

TEST_CASE("random_int and uuid use the rng", "[template]") {
    const auto t = compile_ok("{{random_int(-2, 3)}}");
    std::mt19937_64 rng(1);
    RenderContext ctx;
    ctx.rng = &rng;
    for (int i = 0; i < 50; ++i) {
        std::string out;
        t.render(out, ctx);
        const int n = std::stoi(out);
        CHECK(n >= -2);
        CHECK(n <= 3);
    }
    std::string nil;
    compile_ok("{{random_int(5,9)}}").render(nil, RenderContext{});
    CHECK(nil == "5");

    std::string id;
    compile_ok("{{uuid}}").render(id, ctx);
    CHECK(std::regex_match(id, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
}

TEST_CASE("json escaping applies to literal text now and to values when rendered", "[template]") {
    auto t = compile_ok("say \"{{token}}\"");
    t.escape_json();
    const std::vector<std::string> slots{"a\"b\\c\n", ""};
    RenderContext ctx;
    ctx.slots = slots;
    std::string out;
    t.render(out, ctx);
    CHECK(out == R"(say \"a\"b\\c\u000a\")");
}

TEST_CASE("append merges adjacent literals", "[template]") {
    Template t = Template::literal("a");
    t.append_literal("b");
    t.append(compile_ok("c{{token}}d"));
    REQUIRE(t.parts().size() == 3);
    CHECK(t.parts()[0].text == "abc");
}

TEST_CASE("compile reports every unknown name with its offset and a suggestion", "[template]") {
    const auto errors = compile_errors("/{{tokn}}/{{users.nmae}}/{{env.NOPE}}/{{orders.id}}");
    REQUIRE(errors.size() == 4);
    CHECK(errors[0].offset == 1);
    CHECK(errors[0].message == "undefined variable 'tokn'; did you mean 'token'?");
    CHECK(errors[1].offset == 10);
    CHECK(errors[1].message == "data 'users' has no column 'nmae'; did you mean 'name'?");
    CHECK(errors[2].message ==
          "undefined environment variable 'NOPE' (set it with -e NOPE=VALUE or in the environment)");
    CHECK(errors[3].message == "undefined variable 'orders.id'");
}

TEST_CASE("compile rejects malformed expressions", "[template]") {
    CHECK(compile_errors("a {{token")[0].message == "unterminated '{{' (close it with '}}')");
    CHECK(compile_errors("{{ }}")[0].message == "empty '{{}}'");
    for (const char* bad : {"{{random_int(1)}}", "{{random_int(3,1)}}", "{{random_int(a,b)}}"}) {
        INFO(bad);
        const auto errors = compile_errors(bad);
        REQUIRE(errors.size() == 1);
        CHECK(errors[0].message.find("random_int takes two integers") != std::string::npos);
    }
}

TEST_CASE("a feed without columns accepts any column", "[template]") {
    TemplateSymbols s;
    s.feeds = {{"broken", {}}};
    Template t;
    std::vector<TemplateError> errors;
    CHECK(Template::compile("{{broken.x}}", s, t, errors));
}
