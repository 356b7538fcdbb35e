#include "faults/populate.hpp"

#include <fmt/format.h>

#include "faults/listen_address.hpp"

namespace faultline::faults {

namespace {

PopulateCheck fail(int status, std::size_t entry, std::string field, std::string reason, std::string api_error) {
    PopulateCheck c;
    c.status = status;
    c.entry = entry;
    c.field = std::move(field);
    c.reason = std::move(reason);
    c.error = std::move(api_error);
    return c;
}

// Validates an entry's toxics; an error names toxics[i] and what is wrong with it.
PopulateCheck check_toxics(const json::value& toxics, std::size_t entry, const ToxicRegistry& types,
                           std::vector<ToxicSpec>& out) {
    if (!toxics.is_array())
        return fail(400, entry, "toxics", "must be an array",
                    fmt::format("bad request body: toxics must be an array at proxy {}", entry));
    const auto& array = toxics.get_array();
    for (std::size_t i = 0; i < array.size(); ++i) {
        const auto field = fmt::format("toxics[{}]", i);
        ToxicBody body;
        auto error = decode_toxic(array[i], body);
        int status = 400;
        if (error.empty()) {
            auto built = build_toxic(body, types, [&](std::string_view name) {
                for (const auto& t : out)
                    if (t.name == name) return true;
                return false;
            });
            status = built.status;
            error = built.error;
            if (status == 0) out.push_back(std::move(built.spec));
        }
        if (!error.empty())
            return fail(status, entry, field, error, fmt::format("{} at proxy {} {}", error, entry, field));
    }
    return {};
}

}  // namespace

PopulateCheck validate_populate(const json::value& body, const ToxicRegistry& types) {
    if (!body.is_array())
        return fail(400, 0, "", "expected an array of proxies",
                    "bad request body: json: cannot unmarshal object into Go value of type []proxy.Proxy");
    PopulateCheck check;
    const auto& array = body.get_array();
    for (std::size_t i = 0; i < array.size(); ++i) {
        const std::size_t entry = i + 1;
        ProxyBody p;
        if (auto error = decode_proxy(array[i], p); !error.empty()) return fail(400, entry, "", error, error);
        if (p.name.value_or("").empty())
            return fail(400, entry, "name", "missing required field",
                        fmt::format("missing required field: name at proxy {}", entry));
        if (p.upstream.value_or("").empty())
            return fail(400, entry, "upstream", "missing required field",
                        fmt::format("missing required field: upstream at proxy {}", entry));
        PopulateItem item{*p.name, p.listen.value_or(""), *p.upstream, p.enabled.value_or(true), std::nullopt};
        if (p.toxics) {
            std::vector<ToxicSpec> toxics;
            auto c = check_toxics(*p.toxics, entry, types, toxics);
            if (c.status != 0) return c;
            item.toxics = std::move(toxics);
        }
        check.items.push_back(std::move(item));
    }
    return check;
}

PopulateResult apply_populate(ProxyRegistry& registry, const std::vector<PopulateItem>& items) {
    PopulateResult result;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const auto& item = items[i];
        auto proxy = registry.find(item.name);
        const bool same = proxy && canonical_listen(item.listen) == canonical_listen(proxy->listen()) &&
                          item.upstream == proxy->upstream();
        if (!same) {
            // Listen or upstream changed (or a new name): a fresh proxy, old toxics dropped.
            if (proxy) registry.remove(item.name);
            proxy = registry.add(item.name, item.listen, item.upstream);
            if (item.enabled) {
                if (auto error = proxy->start(); !error.empty()) {
                    registry.remove(item.name);
                    result.status = 500;
                    result.error = error;
                    result.entry = i + 1;
                    return result;
                }
            }
        }
        if (item.toxics) {
            proxy->remove_all_toxics();
            for (const auto& toxic : *item.toxics) proxy->add_toxic(toxic);
        }
        result.proxies.push_back(proxy);
    }
    return result;
}

}  // namespace faultline::faults
