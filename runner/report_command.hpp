#pragma once
// `actsweep report DB`: runs grouped by settings and summarized over seeds
// (n, mean, std, 95% CI per metric), or a paired comparison of two values of
// one setting (--vs); `actsweep export DB`: one table or view as CSV or JSON.
// Both only read the database (results/report.hpp has the queries).

#include <CLI/CLI.hpp>
#include <iosfwd>
#include <string>

#include "results/plots.hpp"
#include "results/report.hpp"

namespace actsweep::runner {

struct ReportArguments {
  std::string database;
  results::ReportOptions options;
  std::string plotDirectory;  // empty: no plots
  // --layer-metric, --layer-epoch, --curve; `by`, `metric` and `where` come from `options`.
  results::PlotOptions plot;
};

void addReportOptions(CLI::App& command, ReportArguments& arguments);
// 2 (one line on err) for a missing or foreign database, an unknown column or
// metric, a --where or --vs that cannot be read.
int runReport(const ReportArguments& arguments, std::ostream& out, std::ostream& err);

struct ExportArguments {
  std::string database;
  std::string format = "csv";  // csv or json
  std::string table, view;     // exactly one
};

void addExportOptions(CLI::App& command, ExportArguments& arguments);
int runExport(const ExportArguments& arguments, std::ostream& out, std::ostream& err);

}  // namespace actsweep::runner
