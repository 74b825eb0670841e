#include "runner/report_command.hpp"

#include <SQLiteCpp/Exception.h>
#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <ostream>

#include "results/plots.hpp"
#include "results/store.hpp"
#include "results/stored_json.hpp"
#include "runner/exit_codes.hpp"

namespace actsweep::runner {
namespace {

using nlohmann::json;

// Two renderings of one result: `cells` for csv and json (full precision,
// typed), `text` for table and markdown (4 significant digits, CI as
// [low, high]). Their columns differ: the text merges a CI into one column.
struct Output {
  std::vector<std::string> columns;
  std::vector<std::vector<json>> cells;
  std::vector<std::string> textColumns;
  std::vector<std::vector<std::string>> text;
};

json numberOrNull(double value) { return std::isfinite(value) ? json(value) : json(nullptr); }

std::string short4(double value) { return std::isfinite(value) ? fmt::format("{:.4g}", value) : "-"; }
std::string interval(double low, double high) {
  return std::isfinite(low) && std::isfinite(high) ? fmt::format("[{:.4g}, {:.4g}]", low, high) : "-";
}
// A setting's value as given: relu, 0.01, - for NULL.
std::string settingText(const json& value) {
  if (value.is_null()) return "-";
  return results::terminalText(value.is_string() ? value.get<std::string>() : results::jsonText(value));
}

Output groupOutput(const results::GroupReport& report) {
  Output output;
  output.columns = report.by;
  output.textColumns = report.by;
  output.columns.push_back("n");
  output.textColumns.push_back("n");
  for (const std::string& metric : report.metrics) {
    for (const char* part : {"_n", "_mean", "_std", "_ci_low", "_ci_high"})
      output.columns.push_back(metric + part);
    output.textColumns.insert(output.textColumns.end(), {metric, "std", "95% CI"});
  }
  for (const results::GroupRow& row : report.rows) {
    std::vector<json> cells = row.key;
    std::vector<std::string> text;
    for (const json& value : row.key) text.push_back(settingText(value));
    cells.push_back(row.runs);
    text.push_back(std::to_string(row.runs));
    for (const results::Summary& summary : row.metrics) {
      cells.insert(cells.end(), {json(summary.n), numberOrNull(summary.mean), numberOrNull(summary.std),
                                 numberOrNull(summary.ciLow), numberOrNull(summary.ciHigh)});
      // A metric some runs did not measure says over how many it is.
      text.push_back(short4(summary.mean) + (summary.n == row.runs ? "" : fmt::format(" (n={})", summary.n)));
      text.push_back(short4(summary.std));
      text.push_back(interval(summary.ciLow, summary.ciHigh));
    }
    output.cells.push_back(std::move(cells));
    output.text.push_back(std::move(text));
  }
  return output;
}

// The runs without a partner in the group of `row`, of side a and of side b.
std::pair<long, long> unpairedIn(const results::VsReport& report, const std::vector<json>& group) {
  for (const results::UnpairedRuns& unpaired : report.unpaired)
    if (unpaired.group == group) return {unpaired.a, unpaired.b};
  return {0, 0};
}

// One row per group (--by), context and metric; the --by columns first when given.
Output vsOutput(const results::VsReport& report) {
  Output output;
  output.columns = report.by;
  output.textColumns = report.by;
  output.columns.insert(output.columns.end(),
                        {"a", "b", "context", "metric", "pairs", "mean_difference", "ci_low", "ci_high",
                         "t_statistic", "t_p_value", "wilcoxon_w", "wilcoxon_p_value", "sd_difference", "d_z",
                         "t_p_holm", "wilcoxon_p_holm", "unpaired_a", "unpaired_b"});
  output.textColumns.insert(output.textColumns.end(), {"context", "metric", "pairs", "B - A", "95% CI", "t p",
                                                       "Wilcoxon p", "d_z", "Holm t p", "Holm W p"});
  for (const results::PairedRow& row : report.rows) {
    const results::PairedComparison& c = row.comparison;
    const auto [unpairedA, unpairedB] = unpairedIn(report, row.group);
    std::vector<json> cells = row.group;
    cells.insert(cells.end(),
                 {report.a, report.b, row.context, row.metric, c.n, numberOrNull(c.meanDifference),
                  numberOrNull(c.ciLow), numberOrNull(c.ciHigh), numberOrNull(c.tStatistic),
                  numberOrNull(c.tPValue), numberOrNull(c.wilcoxonW), numberOrNull(c.wilcoxonPValue),
                  numberOrNull(c.sdDifference), numberOrNull(c.effectDz), numberOrNull(row.tPHolm),
                  numberOrNull(row.wilcoxonPHolm), unpairedA, unpairedB});
    output.cells.push_back(std::move(cells));
    std::vector<std::string> text;
    for (const json& value : row.group) text.push_back(settingText(value));
    text.insert(text.end(), {row.context.empty() ? "-" : row.context, row.metric, std::to_string(c.n),
                             short4(c.meanDifference), interval(c.ciLow, c.ciHigh), short4(c.tPValue),
                             short4(c.wilcoxonPValue), short4(c.effectDz), short4(row.tPHolm),
                             short4(row.wilcoxonPHolm)});
    output.text.push_back(std::move(text));
  }
  return output;
}

// What the columns of a --vs table are, under its first line.
std::string vsMethodNote(const results::VsReport& report) {
  return fmt::format(
      "B - A: mean paired difference with its 95% t interval; d_z: mean / sd of the differences (Cohen's "
      "d_z); "
      "t p: paired t test, Wilcoxon p: signed-rank test, both two-sided; Holm: step-down adjusted over the "
      "{} comparison{} shown\n",
      report.rows.size(), report.rows.size() == 1 ? "" : "s");
}

// "unpaired runs, left out of the comparisons: ..." per group; at most
// kShownUnpaired runs named per group.
std::string unpairedNote(const results::VsReport& report) {
  constexpr std::size_t kShownUnpaired = 10;
  if (report.unpaired.empty()) return "0 runs without a partner\n";
  std::string note = "runs without a partner equal in every other setting and the seed (left out):\n";
  for (const results::UnpairedRuns& unpaired : report.unpaired) {
    std::string group;
    for (std::size_t i = 0; i < report.by.size(); ++i)
      group += fmt::format("{}{}={}", i ? " " : "", report.by[i], settingText(unpaired.group[i]));
    note += fmt::format("  {}{}{} with {}, {} with {}:", group, group.empty() ? "" : ": ", unpaired.a,
                        report.a, unpaired.b, report.b);
    for (std::size_t i = 0; i < unpaired.runs.size() && i < kShownUnpaired; ++i)
      note += (i ? "; " : " ") + results::terminalText(unpaired.runs[i]);
    if (unpaired.runs.size() > kShownUnpaired)
      note += fmt::format("; and {} more", unpaired.runs.size() - kShownUnpaired);
    note += '\n';
  }
  return note;
}

Output relationOutput(const results::Relation& relation) { return {relation.columns, relation.rows, {}, {}}; }

// RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled.
std::string csvField(const json& value) {
  if (value.is_null()) return "";
  if (value.is_number_float()) return fmt::format("{}", value.get<double>());  // shortest exact text
  const std::string text = value.is_string() ? value.get<std::string>() : results::jsonText(value);
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (const char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

void writeCsv(const Output& output, std::ostream& out) {
  for (std::size_t i = 0; i < output.columns.size(); ++i)
    out << (i ? "," : "") << csvField(output.columns[i]);
  out << '\n';
  for (const auto& row : output.cells) {
    for (std::size_t i = 0; i < row.size(); ++i) out << (i ? "," : "") << csvField(row[i]);
    out << '\n';
  }
}

void writeJson(const Output& output, std::ostream& out) {
  json rows = json::array();
  for (const auto& row : output.cells) {
    json object = json::object();
    for (std::size_t i = 0; i < row.size(); ++i) object[output.columns[i]] = row[i];
    rows.push_back(std::move(object));
  }
  out << results::jsonText(rows) << '\n';
}

// Columns padded to their widest cell; text left-aligned, the rest right-aligned.
void writeAligned(const Output& output, std::ostream& out) {
  std::vector<std::size_t> widths;
  for (const std::string& column : output.textColumns) widths.push_back(column.size());
  for (const auto& row : output.text)
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  const auto numeric = [](const std::string& text) {
    return !text.empty() &&
           (std::isdigit(static_cast<unsigned char>(text[0])) || text[0] == '-' || text[0] == '[');
  };
  const auto line = [&](const std::vector<std::string>& cells, bool header) {
    std::string text;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const bool right = !header && numeric(cells[i]);
      text += (i ? "  " : "") + (right ? fmt::format("{:>{}}", cells[i], widths[i])
                                       : fmt::format("{:<{}}", cells[i], widths[i]));
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out << text << '\n';
  };
  line(output.textColumns, true);
  for (const auto& row : output.text) line(row, false);
}

void writeMarkdown(const Output& output, std::ostream& out) {
  const auto line = [&](const std::vector<std::string>& cells) {
    out << '|';
    for (const std::string& cell : cells) {
      std::string escaped;
      for (const char c : cell) escaped += c == '|' ? std::string("\\|") : std::string(1, c);
      out << ' ' << escaped << " |";
    }
    out << '\n';
  };
  line(output.textColumns);
  out << '|';
  for (std::size_t i = 0; i < output.textColumns.size(); ++i) out << "---|";
  out << '\n';
  for (const auto& row : output.text) line(row);
}

void write(const Output& output, const std::string& format, std::ostream& out) {
  if (format == "csv") return writeCsv(output, out);
  if (format == "json") return writeJson(output, out);
  if (format == "markdown") return writeMarkdown(output, out);
  writeAligned(output, out);
}

bool isText(const std::string& format) { return format == "table" || format == "markdown"; }

std::string exclusionNote(long excluded) {
  return fmt::format("{} run{} excluded: not done (pending, running, failed, diverged or interrupted)",
                     excluded, excluded == 1 ? "" : "s");
}

// With --where: "; 3 runs excluded by --where, 3 of them only because alpha
// is NULL there ...": every run the filters excluded, whatever its status,
// NULLs included (results::whereExclusions); "" without --where.
std::string whereNote(const std::vector<std::string>& where, const results::WhereExclusions& excluded) {
  if (where.empty()) return "";
  std::string note =
      fmt::format("; {} run{} excluded by --where", excluded.runs, excluded.runs == 1 ? "" : "s");
  if (excluded.onlyNull > 0 && !excluded.nullKeys.empty())
    note += fmt::format(
        ", {} of them only because {} is NULL (a comparison or IN with NULL is never true; --where \"{} IS "
        "NULL\" selects them)",
        excluded.onlyNull, fmt::join(excluded.nullKeys, " or "), excluded.nullKeys.front());
  return note;
}

// "learning_curves, dead_fraction_by_layer": the plots among the files written.
std::string plotNames(const std::vector<std::string>& files) {
  std::vector<std::string> names;
  for (const std::string& file : files) {
    const std::string name = std::filesystem::path(file).stem().string();
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  return fmt::format("{}", fmt::join(names, ", "));
}

// --plot DIR: the plots of the runs the report selected (same --by, first
// --metric, --where). `notes` is out for a text report, err for csv and json
// (their output stays parseable).
int reportPlots(const ReportArguments& arguments, std::ostream& notes, std::ostream& err) {
  results::PlotOptions plotOptions = arguments.plot;
  plotOptions.by = arguments.options.by;
  plotOptions.where = arguments.options.where;
  if (!arguments.options.metrics.empty()) plotOptions.metric = arguments.options.metrics.front();
  try {
    const std::vector<std::string> files =
        results::writePlots(arguments.database, plotOptions, arguments.plotDirectory);
    fmt::print(notes, "plots in {}: {} (SVG, PNG)\n", arguments.plotDirectory, plotNames(files));
  } catch (const std::runtime_error& e) {
    // gnuplot missing or failing, a plot file that cannot be written: named with the folder.
    fmt::print(err, "actsweep report: --plot {}: {}\n", results::shownText(arguments.plotDirectory),
               e.what());
    return kExitBadInput;
  }
  return kExitOk;
}

int reportOrThrow(const ReportArguments& arguments, std::ostream& out, std::ostream& err) {
  const results::ReportOptions& options = arguments.options;
  const bool text = isText(options.format);
  if (!options.vs.empty()) {
    const results::VsReport report = results::compareSides(arguments.database, options);
    if (report.rows.empty()) {
      // csv and json stay parseable (a header, an empty array); the reason goes to err.
      if (text) {
        out << report.noPairs << '\n';
        if (!report.unpaired.empty()) out << unpairedNote(report);
      } else {
        write(vsOutput(report), options.format, out);
        err << "actsweep report: " << report.noPairs << '\n';
      }
      return kExitOk;
    }
    if (text)
      fmt::print(out,
                 "{} vs {}: difference B - A over pairs equal in every other setting and the seed{}\n{}\n",
                 report.a, report.b,
                 report.by.empty() ? "" : fmt::format(", one comparison per {}", fmt::join(report.by, ", ")),
                 vsMethodNote(report));
    write(vsOutput(report), options.format, out);
    if (text)
      out << '\n'
          << unpairedNote(report) << exclusionNote(report.excludedNotDone)
          << whereNote(options.where, report.excludedByWhere) << '\n';
    else if (!report.unpaired.empty())
      err << "actsweep report: " << unpairedNote(report);
  } else {
    const results::GroupReport report = results::summarizeGroups(arguments.database, options);
    write(groupOutput(report), options.format, out);
    if (text)
      out << '\n'
          << fmt::format("{} done run{} in {} group{}; ", report.doneRuns, report.doneRuns == 1 ? "" : "s",
                         report.rows.size(), report.rows.size() == 1 ? "" : "s")
          << exclusionNote(report.excludedNotDone) << whereNote(options.where, report.excludedByWhere)
          << '\n';
  }
  if (!arguments.plotDirectory.empty()) return reportPlots(arguments, text ? out : err, err);
  return kExitOk;
}

}  // namespace

void addReportOptions(CLI::App& command, ReportArguments& a) {
  command.add_option("db", a.database, "the results database")->required();
  command
      .add_option("--by", a.options.by,
                  "grouping columns, comma-separated: sweep_id, activation, alpha, init, norm, depth, width, "
                  "dataset, optimizer, lr, batch_size, epochs, or config keys such as data.raw_pixels "
                  "(default: the settings that vary)")
      ->delimiter(',');
  command
      .add_option("--metric", a.options.metrics,
                  "final_test_acc (default), final_test_loss, final_train_loss, best_val_acc, dead_fraction, "
                  "born_dead, wall_seconds, diverged_epoch; repeat or comma-separate for several")
      ->delimiter(',');
  command.add_option(
      "--where", a.options.where,
      "keep runs with `column OP value` (OP: = != < <= > >=), `column IS [NOT] NULL` or `column [NOT] IN "
      "(a, b)`; column: a column of runs or a config key such as data.raw_pixels; a comparison or IN on a "
      "NULL column excludes the run (the footer counts it); repeat to AND");
  command.add_option(
      "--vs", a.options.vs,
      "paired comparison of two values of one setting, e.g. activation=relu,activation=leaky_relu; with "
      "--by, one comparison per group (docs/statistics.md)");
  command.add_option("--format", a.options.format, "table (default), csv, json or markdown")
      ->check(CLI::IsMember({"table", "csv", "json", "markdown"}));
  CLI::Option* plot = command.add_option(
      "--plot", a.plotDirectory,
      "also draw plots (gnuplot) into this directory: learning curves, a layer profile, a heatmap of the "
      "first --metric over the first two --by columns, and that metric against the first --by column when "
      "it is numeric");
  // The plot options mean nothing without --plot: refused rather than ignored.
  command
      .add_option("--layer-metric", a.plot.layerMetric,
                  "the layer profile's layer_stats column (default: dead_fraction)")
      ->check(CLI::IsMember(results::layerMetrics()))
      ->needs(plot);
  command
      .add_option_function<std::string>(
          "--layer-epoch",
          [&a](const std::string& text) {
            try {
              a.plot.layerEpoch = results::parseLayerEpoch(text);
            } catch (const std::invalid_argument& e) {
              throw CLI::ValidationError(e.what());  // a usage error: exit 2 with this line
            }
          },
          "the layer profile's epoch: 0 (the initial network), a later epoch, or last (default: each "
          "run's last)")
      ->needs(plot);
  command.add_option("--curve", a.plot.curve, "the learning curves' epochs column (default: test_acc)")
      ->check(CLI::IsMember(results::curveMetrics()))
      ->needs(plot);
  command
      .add_flag(
          "--with-diverged", a.plot.withDiverged,
          "plots: also draw diverged runs (their epochs before divergence, their layers), not only done ones")
      ->needs(plot);
}

int runReport(const ReportArguments& arguments, std::ostream& out, std::ostream& err) {
  try {
    return reportOrThrow(arguments, out, err);
  } catch (const SQLite::Exception& e) {
    fmt::print(err, "actsweep report: {}: {}\n", arguments.database, e.what());
  }
  return kExitBadInput;
}

void addExportOptions(CLI::App& command, ExportArguments& a) {
  command.add_option("db", a.database, "the results database")->required();
  command.add_option("--format", a.format, "csv (default) or json (an array of objects)")
      ->check(CLI::IsMember({"csv", "json"}));
  CLI::Option* table = command.add_option("--table", a.table, "meta, sweeps, runs, epochs or layer_stats");
  CLI::Option* view = command.add_option("--view", a.view, "run_summary, group_summary or layer_summary");
  table->excludes(view);
  view->excludes(table);
}

int runExport(const ExportArguments& arguments, std::ostream& out, std::ostream& err) {
  const bool isTable = !arguments.table.empty();
  const std::string& name = isTable ? arguments.table : arguments.view;
  const std::vector<std::string>& allowed =
      isTable ? results::exportableTables() : results::exportableViews();
  try {
    if (name.empty()) throw results::ReportError("name a --table or a --view");
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      std::string list;
      for (const std::string& n : allowed) list += (list.empty() ? "" : ", ") + n;
      throw results::ReportError(fmt::format("unknown {} {}: use one of {}", isTable ? "table" : "view",
                                             results::shownText(name), list));
    }
    write(relationOutput(results::readRelation(arguments.database, name)), arguments.format, out);
    return kExitOk;
  } catch (const SQLite::Exception& e) {
    fmt::print(err, "actsweep export: {}: {}\n", arguments.database, e.what());
  }
  return kExitBadInput;
}

}  // namespace actsweep::runner
