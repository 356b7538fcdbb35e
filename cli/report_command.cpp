#include "cli/report_command.hpp"

#include <boost/json/serialize.hpp>
#include <functional>
#include <iostream>
#include <optional>

#include "cli/exit_codes.hpp"
#include "reports/compare.hpp"
#include "reports/html_report.hpp"
#include "reports/merge.hpp"
#include "reports/result_json.hpp"
#include "reports/result_reader.hpp"
#include "reports/text_summary.hpp"
#include "reports/thresholds.hpp"

namespace faultline {

int report_html_command(const ReportHtmlOptions& options) {
    RunResult result;
    try {
        result = read_result_file(options.result_file);
    } catch (const std::exception& e) {
        std::cerr << "faultline report html: " << e.what() << '\n';
        return exit_code::bad_input;
    }
    try {
        write_file_atomically(options.output, render_html_report(result));
    } catch (const std::exception& e) {
        std::cerr << "faultline report html: " << e.what() << '\n';
        return exit_code::setup_failed;
    }
    std::cout << "report written to " << options.output << '\n';
    return exit_code::ok;
}

int report_compare_command(const ReportCompareOptions& options) {
    const auto limits = parse_max_regression(options.max_regression.value_or(std::string(kDefaultMaxRegression)));
    if (!limits) {
        std::cerr << "faultline report compare: " << limits.error << '\n';
        return exit_code::bad_input;
    }
    RunResult base, next;
    try {
        base = read_result_file(options.base_file);
        next = read_result_file(options.new_file);
    } catch (const std::exception& e) {
        std::cerr << "faultline report compare: " << e.what() << '\n';
        return exit_code::bad_input;
    }
    const Comparison c = compare_results(base, next, *limits);
    std::cout << format_comparison(c, options.base_file, options.new_file) << std::flush;
    if (!options.json_path.empty()) {
        try {
            write_file_atomically(options.json_path,
                                  boost::json::serialize(comparison_to_json(c, options.base_file, options.new_file)) + "\n");
        } catch (const std::exception& e) {
            std::cerr << "faultline report compare: " << e.what() << '\n';
            return exit_code::setup_failed;
        }
    }
    return c.regressed ? exit_code::threshold_failed : exit_code::ok;
}

int report_merge_command(const ReportMergeOptions& options) {
    constexpr const char* kWho = "faultline report merge: ";
    std::vector<NamedResult> inputs;
    std::optional<NamedResult> faults;
    try {
        for (const auto& file : options.inputs) inputs.push_back({file, read_result_file(file)});
        if (!options.faults_file.empty()) faults = NamedResult{options.faults_file, read_result_file(options.faults_file)};
    } catch (const std::exception& e) {
        std::cerr << kWho << e.what() << '\n';
        return exit_code::bad_input;
    }
    auto merged = merge_results(inputs, faults ? &*faults : nullptr, MergeOptions{options.force});
    if (!merged.ok()) {
        for (const auto& e : merged.errors) std::cerr << kWho << e << '\n';
        return exit_code::bad_input;
    }
    RunResult& result = merged.result;
    apply_verdicts(result, merged.windows);
    std::cout << format_summary(result) << std::flush;
    int code = passed(result) ? exit_code::ok : exit_code::threshold_failed;
    const auto write = [&](const std::string& path, const std::function<std::string()>& render) {
        if (path.empty()) return;
        try {
            write_file_atomically(path, render());
        } catch (const std::exception& e) {
            std::cerr << kWho << e.what() << '\n';
            code = exit_code::setup_failed;
        }
    };
    write(options.output, [&] { return boost::json::serialize(result_to_json(result)) + "\n"; });
    write(options.html_path, [&] { return render_html_report(result); });
    return code;
}

}  // namespace faultline
