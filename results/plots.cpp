#include "results/plots.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <unordered_map>

#include "model/format.hpp"
#include "results/open.hpp"
#include "results/report.hpp"
#include "results/statistics.hpp"

namespace actsweep::results {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kLayerMetrics = {"dead_fraction", "zero_fraction", "act_mean",   "act_std",
                                                "grad_norm",     "weight_norm",   "prelu_alpha"};
const std::vector<std::string> kCurveMetrics = {"test_acc",  "test_loss", "train_loss",
                                                "train_acc", "val_acc",   "val_loss"};
// Settings whose values are numbers: what a vs-plot can put on its x axis.
const std::vector<std::string> kNumericSettings = {"alpha", "lr", "depth", "width", "batch_size", "epochs"};
// Layer metrics that can span orders of magnitude across layers (the
// activation std of a deep net at init shrinks or grows geometrically with
// depth): they get a log y axis when they do.
const std::vector<std::string> kLogScaleLayerMetrics = {"act_std", "grad_norm", "weight_norm"};
// What a column shows, in words, for titles and axis labels.
const std::map<std::string, std::string> kDescriptions = {{"dead_fraction", "dead fraction"},
                                                          {"zero_fraction", "zero fraction"},
                                                          {"act_mean", "activation mean"},
                                                          {"act_std", "activation std"},
                                                          {"grad_norm", "gradient norm"},
                                                          {"weight_norm", "weight norm"},
                                                          {"prelu_alpha", "learned prelu slope"},
                                                          {"test_acc", "test accuracy"},
                                                          {"test_loss", "test loss"},
                                                          {"train_acc", "training accuracy"},
                                                          {"train_loss", "training loss"},
                                                          {"val_acc", "validation accuracy"},
                                                          {"val_loss", "validation loss"},
                                                          {"born_dead", "fraction of runs born dead"},
                                                          {"final_test_acc", "final test accuracy"},
                                                          {"final_test_loss", "final test loss"},
                                                          {"final_train_loss", "final training loss"},
                                                          {"best_val_acc", "best validation accuracy"},
                                                          {"wall_seconds", "seconds per run"},
                                                          {"diverged_epoch", "epoch of divergence"}};

const char* kGnuplotMissing = "gnuplot not found: install gnuplot-nox (scripts/install-deps does)";

using model::joined;

bool contains(const std::vector<std::string>& words, const std::string& word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

bool endsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// "activation std": what a column shows, for a title; the column itself when
// it has no description.
std::string words(const std::string& column) {
  const auto found = kDescriptions.find(column);
  return found == kDescriptions.end() ? column : found->second;
}

// "activation std (act_std)": the words, and the column to look up.
std::string described(const std::string& column) {
  return kDescriptions.count(column) ? words(column) + " (" + column + ")" : column;
}

// The columns a plot may group by: what `report --by` takes.
const std::vector<std::string>& groupColumns() {
  static const std::vector<std::string> columns = [] {
    std::vector<std::string> all = {"sweep_id"};
    all.insert(all.end(), settingColumns().begin(), settingColumns().end());
    return all;
  }();
  return columns;
}

void requireOneOf(const std::string& what, const std::string& value,
                  const std::vector<std::string>& allowed) {
  if (!contains(allowed, value))
    throw ReportError("unknown " + what + " " + shownText(value) + ": use one of " + joined(allowed));
}

// Names end up in SQL: each is checked against its whitelist first.
void checkOptions(const PlotOptions& options) {
  for (const auto& column : options.by)
    if (!isConfigKey(column)) requireOneOf("plot column", column, groupColumns());
  requireOneOf("plot metric", options.metric, reportMetrics());
  requireOneOf("layer metric", options.layerMetric, kLayerMetrics);
  requireOneOf("learning curve metric", options.curve, kCurveMetrics);
  if (options.layerEpoch && *options.layerEpoch < 0)
    throw ReportError("layer epoch " + std::to_string(*options.layerEpoch) +
                      ": use 0 (the initial network) or a later epoch");
}

// One value of a setting column: NULL sorts first, then numbers, then text.
struct Setting {
  int kind = 0;  // 0 NULL, 1 number, 2 text
  double number = 0;
  std::string text;

  bool operator<(const Setting& other) const {
    if (kind != other.kind) return kind < other.kind;
    if (kind == 1) return number < other.number;
    return text < other.text;
  }
  bool operator==(const Setting& other) const { return !(*this < other) && !(other < *this); }
};

Setting settingOf(const SQLite::Column& column) {
  Setting setting;
  if (column.isNull()) return setting;
  if (column.isInteger() || column.isFloat()) {
    setting.kind = 1;
    setting.number = column.getDouble();
  } else {
    setting.kind = 2;
    setting.text = column.getString();
  }
  return setting;
}

// %g-like: 0.01, 64, 1e-05.
std::string numberText(double number) {
  std::ostringstream text;
  text << number;
  return text.str();
}

// NULL means "does not apply" (docs/schema.md): alpha of relu, for one.
std::string settingText(const Setting& setting) {
  if (setting.kind == 0) return "n/a";
  if (setting.kind == 2) return setting.text;
  return numberText(setting.number);
}

using GroupKey = std::vector<Setting>;  // one value per `by` column

std::string groupLabel(const std::vector<std::string>& by, const GroupKey& key) {
  if (by.empty()) return "all runs";
  std::string label;
  for (std::size_t i = 0; i < by.size(); ++i) label += (i ? " " : "") + by[i] + "=" + settingText(key[i]);
  return label;
}

struct MeanStd {
  double mean = 0, std = 0;  // std: sample standard deviation (n - 1), 0 for one value
  std::size_t n = 0;
};

// One run has no spread: its std is drawn as 0 (no band), not left out.
MeanStd meanStd(const std::vector<double>& values) {
  const Summary summary = summarize(values);
  return {summary.mean, summary.n < 2 ? 0.0 : summary.std, static_cast<std::size_t>(summary.n)};
}

// max / min of values all > 0; 0 when one is not (a log axis cannot show it).
double positiveSpan(const std::vector<double>& values) {
  if (values.empty()) return 0;
  const auto [low, high] = std::minmax_element(values.begin(), values.end());
  return *low > 0 ? *high / *low : 0;
}

// A gnuplot string made inert: text from a database or the command line
// (an activation name, a config value) is data, never code. gnuplot runs
// `backquoted` text inside double-quoted strings, but takes a single-quoted
// string literally; the only escape there is '' for a quote. A line break would end the command and start
// another, so control characters become '?'.
std::string gnuplotString(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f)
      quoted += '?';
    else
      quoted += c == '\'' ? std::string("''") : std::string(1, c);
  }
  return quoted + "'";
}

// A label on a `#` comment line of a .dat file: one line, whatever it holds.
std::string commentText(const std::string& text) {
  std::string line = text;
  for (char& c : line)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return line;
}

// Closes a written file; a full disk or a lost directory is an error, not a plot of half the data.
void closeChecked(std::ofstream& file, const fs::path& path) {
  file.close();
  if (!file) throw std::runtime_error(path.string() + ": cannot write (disk full? directory removed?)");
}

// The program `name` on PATH, as an absolute path ("" when none). Relative
// and empty PATH entries are skipped: the program runs in the plot folder,
// where a file called gnuplot must not be the one run.
std::string findProgram(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::istringstream directories(path ? path : "");
  for (std::string directory; std::getline(directories, directory, ':');) {
    if (directory.empty() || directory.front() != '/') continue;
    const std::string candidate = directory + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

// Runs `program arguments...` found on PATH (findProgram), without a shell, in `directory`
// (when not empty), its stdout and stderr into `logPath` (/dev/null when
// empty). Returns whether it ran and exited 0.
bool runProgram(const std::vector<std::string>& command, const std::string& directory,
                const std::string& logPath) {
  const std::string program = findProgram(command.front());
  if (program.empty()) return false;
  std::vector<char*> argv;
  for (const std::string& word : command) argv.push_back(const_cast<char*>(word.c_str()));
  argv.push_back(nullptr);
  const char* log = logPath.empty() ? "/dev/null" : logPath.c_str();
  const pid_t child = fork();
  if (child < 0) return false;
  if (child == 0) {
    // Only async-signal-safe calls between fork and exec. The log's own
    // descriptor may be 1 or 2 (when those were closed): closed only when it is not.
    const int output = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (output < 0 || dup2(output, STDOUT_FILENO) < 0 || dup2(output, STDERR_FILENO) < 0) _exit(127);
    if (output > STDERR_FILENO) close(output);
    if (!directory.empty() && chdir(directory.c_str()) != 0) _exit(127);
    execv(program.c_str(), argv.data());
    _exit(127);
  }
  int status = 0;
  while (waitpid(child, &status, 0) < 0)
    if (errno != EINTR) return false;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// The runs the plots draw: status done (and diverged, when asked) and every
// --where filter, read by report's parseWhere so that plots and tables show
// the same runs. `sql` is a condition on `runs r`, its columns qualified
// because epochs and layer_stats have columns of the same names (lr,
// dead_fraction); the values are bound.
struct Selection {
  RunFilters filters;
  std::string sql;

  Selection(SQLite::Database& db, const std::vector<std::string>& where, bool withDiverged)
      : filters(runFilters(db, where, "r.")),
        sql((withDiverged ? "r.status IN ('done', 'diverged')" : "r.status = 'done'") + filters.sql) {}

  // `query` with the filter values bound: its only ? must be those of `sql`.
  SQLite::Statement bound(SQLite::Database& db, const std::string& query) const {
    SQLite::Statement statement(db, query);
    filters.bind(statement);
    return statement;
  }

  // `query` bound and stepped to its first row: for the one row of an aggregate.
  SQLite::Statement single(SQLite::Database& db, const std::string& query) const {
    SQLite::Statement statement = bound(db, query);
    statement.executeStep();
    return statement;
  }
};

// Per group (index into PlotData::labels), per whole-number x (epoch or
// layer): one value per run.
using Series = std::vector<std::map<int, std::vector<double>>>;

// Everything the plots need, aggregated per group.
struct PlotData {
  std::vector<std::string> by;
  std::vector<GroupKey> keys;
  std::vector<std::string> labels;
  std::string curve;                                // the epochs column of the learning curves
  Series curves;                                    // [group][epoch]
  Series layers;                                    // [group][layer]: the layer metric at the layer epoch
  std::vector<std::pair<GroupKey, double>> finals;  // each run with a finite final metric: its key, the value
};

std::vector<std::string> variedColumns(SQLite::Database& db, const Selection& selection) {
  std::vector<std::string> varied;
  for (const auto& column : settingColumns()) {
    // quote() turns NULL into the text NULL, so "absent" counts as a value.
    const auto distinct = selection.single(
        db, "SELECT count(DISTINCT quote(r." + column + ")) FROM runs r WHERE " + selection.sql);
    if (distinct.getColumn(0).getInt() > 1) varied.push_back(column);
  }
  return varied;
}

// Reads the selected runs into data.keys and data.labels (groups in sorted
// order of their settings, so legends read in order) and data.finals.
// Returns each run's group.
std::unordered_map<std::int64_t, std::size_t> readRuns(SQLite::Database& db, const Selection& selection,
                                                       const std::string& metric, PlotData& data) {
  // Column names come from the whitelists (checkOptions), never from the user as such.
  std::string select = "SELECT r.run_id, r." + metric;
  for (const auto& column : data.by)
    select += ", " + (isConfigKey(column) ? configValueSql("r", column) : "r." + column);
  SQLite::Statement runs = selection.bound(db, select + " FROM runs r WHERE " + selection.sql);
  std::map<GroupKey, std::size_t> groupOf;
  std::vector<std::pair<std::int64_t, GroupKey>> runKeys;
  while (runs.executeStep()) {
    GroupKey key;
    for (std::size_t i = 0; i < data.by.size(); ++i) key.push_back(settingOf(runs.getColumn(int(i) + 2)));
    groupOf.emplace(key, 0);
    runKeys.emplace_back(runs.getColumn(0).getInt64(), key);
    // An infinite loss has no mean worth drawing; NULL was not measured.
    if (!runs.getColumn(1).isNull() && std::isfinite(runs.getColumn(1).getDouble()))
      data.finals.emplace_back(key, runs.getColumn(1).getDouble());
  }
  for (auto& [key, index] : groupOf) {
    index = data.keys.size();
    data.keys.push_back(key);
    data.labels.push_back(groupLabel(data.by, key));
  }
  std::unordered_map<std::int64_t, std::size_t> groupOfRun;
  for (const auto& [runId, key] : runKeys) groupOfRun[runId] = groupOf.at(key);
  return groupOfRun;
}

// `query` selects run_id, x, value of the selected runs; each value lands in
// its run's group. NULL (not measured) and non-finite values are left out: an
// infinite loss has no place on a linear axis.
Series readSeries(SQLite::Database& db, const Selection& selection, const std::string& query,
                  const std::unordered_map<std::int64_t, std::size_t>& groupOfRun, std::size_t groups) {
  Series series(groups);
  SQLite::Statement rows = selection.bound(db, query);
  while (rows.executeStep()) {
    if (rows.getColumn(2).isNull()) continue;
    const double value = rows.getColumn(2).getDouble();
    if (std::isfinite(value))
      series[groupOfRun.at(rows.getColumn(0).getInt64())][rows.getColumn(1).getInt()].push_back(value);
  }
  return series;
}

// The learning curves' column: `curve`, or, for an accuracy no selected run
// measured (a regression data set), the loss of the same split.
std::string curveColumn(SQLite::Database& db, const Selection& selection, const std::string& curve) {
  if (!endsWith(curve, "_acc")) return curve;
  const auto measured =
      selection.single(db, "SELECT count(e." + curve +
                               ") FROM epochs e JOIN runs r ON r.run_id = e.run_id WHERE " + selection.sql);
  if (measured.getColumn(0).getInt64() > 0) return curve;
  return curve.substr(0, curve.size() - 4) + "_loss";
}

// A layer epoch no selected run reached would leave the profile empty
// without saying why: refused instead.
void checkLayerEpoch(SQLite::Database& db, const Selection& selection, const std::optional<int>& epoch) {
  if (!epoch) return;
  const auto last = selection.single(
      db, "SELECT max(l.epoch) FROM layer_stats l JOIN runs r ON r.run_id = l.run_id WHERE " + selection.sql);
  if (!last.getColumn(0).isNull() && *epoch > last.getColumn(0).getInt())
    throw ReportError("layer epoch " + std::to_string(*epoch) +
                      ": the selected runs have layer statistics up to epoch " +
                      std::to_string(last.getColumn(0).getInt()));
}

// The layer_stats rows of the profile: one epoch, or each run's last.
std::string layerEpochCondition(const std::optional<int>& epoch) {
  return epoch ? "l.epoch = " + std::to_string(*epoch)
               : "l.epoch = (SELECT max(epoch) FROM layer_stats WHERE run_id = l.run_id)";
}

PlotData readPlotData(const std::string& database, const PlotOptions& options) {
  if (!fs::exists(database))
    throw ReportError(database + ": no such database (run a sweep first: actsweep run)");

  SQLite::Database db = openForReading(database);
  const Selection selection(db, options.where, options.withDiverged);
  PlotData data;
  data.by = options.by.empty() ? variedColumns(db, selection) : options.by;
  const auto groupOfRun = readRuns(db, selection, options.metric, data);
  if (groupOfRun.empty())
    throw ReportError(database + ": no " + (options.withDiverged ? "done or diverged" : "done") +
                      " runs to plot" + (options.where.empty() ? "" : " that pass --where"));
  for (std::size_t i = 0; i < data.by.size(); ++i) {
    // A misspelt config key would draw every run as one group: refused.
    const bool absent = std::all_of(data.keys.begin(), data.keys.end(),
                                    [&](const GroupKey& key) { return key[i].kind == 0; });
    if (isConfigKey(data.by[i]) && absent)
      throw ReportError("plot column " + data.by[i] +
                        ": no selected run has this config key (see runs.config_json)");
  }

  data.curve = curveColumn(db, selection, options.curve);
  data.curves = readSeries(db, selection,
                           "SELECT e.run_id, e.epoch, e." + data.curve +
                               " FROM epochs e JOIN runs r ON r.run_id = e.run_id WHERE " + selection.sql,
                           groupOfRun, data.keys.size());
  checkLayerEpoch(db, selection, options.layerEpoch);
  data.layers = readSeries(db, selection,
                           "SELECT l.run_id, l.layer, l." + options.layerMetric +
                               " FROM layer_stats l JOIN runs r ON r.run_id = l.run_id WHERE " +
                               selection.sql + " AND " + layerEpochCondition(options.layerEpoch),
                           groupOfRun, data.keys.size());
  return data;
}

// Ten distinct colours (matplotlib's tab10) for groups; more groups cycle them
// with a different dash pattern, so the eleventh is not mistaken for the first.
const char* kPalette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                          "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
constexpr int kPaletteSize = 10;

std::string lineStyle(std::size_t plotIndex) {
  std::ostringstream style;
  style << "lc rgb \"" << kPalette[plotIndex % kPaletteSize] << "\" lw 2 dt "
        << (plotIndex / kPaletteSize) % 5 + 1;
  return style.str();
}

std::string colourOf(std::size_t plotIndex) {
  return std::string("lc rgb \"") + kPalette[plotIndex % kPaletteSize] + "\"";
}

// The legend above the plot, in columns: a legend beside it squeezes the
// plot to half its width once labels name two or three settings, and one
// inside it covers curves.
std::string keyPlacement(const std::vector<std::string>& labels) {
  std::size_t longest = 0;
  for (const auto& label : labels) longest = std::max(longest, label.size());
  const int columns = longest <= 24 ? 3 : longest <= 40 ? 2 : 1;
  return "set key outside center top horizontal Left reverse noenhanced samplen 2 spacing 1.1 maxcols " +
         std::to_string(columns) + "\n";
}

// Appends one data set to a gnuplot `plot` command.
void addClause(std::string& plot, const std::string& clause) {
  plot += (plot.empty() ? "plot " : ", \\\n     ") + clause;
}

// Marker shape of a data set: 13 shapes, in turn.
std::string pointType(std::size_t plotIndex) { return " pt " + std::to_string(plotIndex % 13 + 1); }

// Where data set `block` of `count` goes, sideways, in units of the distance
// between neighbouring x values: groups often coincide (every tanh and elu
// layer at 0 dead; the same accuracy at an lr), so each is shifted a little
// and none hides another's points and bars.
double sidewaysShift(std::size_t block, std::size_t count) {
  if (count < 2) return 0;
  const double spread = std::min(0.3, 0.04 * static_cast<double>(count - 1));
  return -spread / 2 + spread * static_cast<double>(block) / static_cast<double>(count - 1);
}

std::vector<std::string> labelsOf(const PlotData& data, const std::vector<std::size_t>& groups) {
  std::vector<std::string> labels;
  for (const std::size_t group : groups) labels.push_back(data.labels[group]);
  return labels;
}

// What writeBlocks wrote.
struct Blocks {
  std::vector<std::size_t> groups;  // the group of each block, in block order
  int maxX = 0;
  std::vector<MeanStd> points;  // every point of every block

  // Whether the means, all positive, span more than a factor of 100: only a
  // log axis then shows every one of them.
  bool meansSpanDecades() const {
    std::vector<double> means;
    for (const MeanStd& point : points) means.push_back(point.mean);
    return positiveSpan(means) > 100;
  }
};

const char* const kLogYAxis = "set logscale y\nset format y \"%g\"\n";

// `path`: a `title` line, then one block per group with values ("x mean std
// runs"), blocks separated by two blank lines (gnuplot's `index`). No file
// when no group has a value: a plot not drawn leaves no data behind.
Blocks writeBlocks(const fs::path& path, const std::string& title, const PlotData& data, const Series& series,
                   const std::string& x) {
  Blocks blocks;
  if (std::all_of(series.begin(), series.end(), [](const auto& group) { return group.empty(); }))
    return blocks;
  std::ofstream file(path);
  file << "# " << title << "\n";
  for (std::size_t group = 0; group < series.size(); ++group) {
    if (series[group].empty()) continue;
    file << "# " << commentText(data.labels[group]) << "\n# " << x << " mean std runs\n";
    for (const auto& [at, values] : series[group]) {
      const auto summary = meanStd(values);
      file << at << ' ' << summary.mean << ' ' << summary.std << ' ' << summary.n << '\n';
      blocks.maxX = std::max(blocks.maxX, at);
      blocks.points.push_back(summary);
    }
    file << "\n\n";
    blocks.groups.push_back(group);
  }
  closeChecked(file, path);
  return blocks;
}

// learning_curves.dat: one block per plotted group ("epoch mean std runs").
// Returns the plot body, or "" when no group has a value.
std::string learningCurves(const PlotData& data, const fs::path& directory) {
  const std::string quantity = described(data.curve);
  const Blocks blocks =
      writeBlocks(directory / "learning_curves.dat", quantity + " per epoch, over the runs of each group",
                  data, data.curves, "epoch");
  if (blocks.groups.empty()) return "";
  // A loss that blows up by orders of magnitude (a run that diverges slowly,
  // its loss still finite) would flatten every other curve to 0 on a linear
  // axis: a log axis then, and the band's lower edge, where mean - std is not
  // positive, drawn at the mean.
  const bool logScale = !endsWith(data.curve, "_acc") && blocks.meansSpanDecades();
  const std::string lower = logScale ? "($2-$3 > 0 ? $2-$3 : $2)" : "($2-$3)";
  std::string plot;
  for (std::size_t block = 0; block < blocks.groups.size(); ++block) {
    const std::string index = " index " + std::to_string(block);
    addClause(plot, "\"learning_curves.dat\"" + index + " using 1:" + lower + ":($2+$3) with filledcurves " +
                        colourOf(block) + " fs transparent solid 0.18 noborder notitle, \\\n     \"\"" +
                        index + " using 1:2 with lines " + lineStyle(block) + " title " +
                        gnuplotString(data.labels[blocks.groups[block]]));
  }
  // Epochs are whole numbers: a tic per epoch while they fit. Losses start
  // at 0 on a linear axis (non-finite ones were left out when read).
  const std::string xtics = blocks.maxX <= 20 ? "set xtics 1\n" : "set xtics autofreq\n";
  const std::string yAxis = logScale                       ? kLogYAxis
                            : endsWith(data.curve, "_acc") ? "set yrange [*:*]\n"
                                                           : "set yrange [0:*]\n";
  return "set title " + gnuplotString(words(data.curve) + " per epoch: mean over seeds, band +-1 std") +
         "\n" + "set xlabel \"epoch\"\nset ylabel " +
         gnuplotString(quantity + (logScale ? " (log scale)" : "")) + "\n" +
         keyPlacement(labelsOf(data, blocks.groups)) + xtics +
         "set grid\nset xrange [0:" + std::to_string(std::max(1, blocks.maxX)) + "]\n" + yAxis + plot + "\n";
}

// "at epoch 0 (initial network)", "at epoch 5", "at the last epoch".
std::string epochText(const std::optional<int>& epoch) {
  if (!epoch) return "at the last epoch";
  return "at epoch " + std::to_string(*epoch) + (*epoch == 0 ? " (initial network)" : "");
}

// The y axis of a layer profile: fractions from 0 (not stretched to 1 when
// every value is small); a log axis for a metric that spans more than a
// factor of 100 across layers; otherwise gnuplot's choice.
std::string layerAxis(const std::string& metric, const Blocks& blocks, bool logScale) {
  if (logScale) return kLogYAxis;
  if (!endsWith(metric, "_fraction")) return "set yrange [*:*]\n";
  double maxValue = 0;
  for (const auto& point : blocks.points) maxValue = std::max(maxValue, point.mean + point.std);
  return "set yrange [0:" + numberText(std::min(1.0, std::max(0.05, maxValue * 1.15))) + "]\n";
}

// <metric>_by_layer.dat: one block per plotted group ("layer mean std runs").
std::string layerProfile(const PlotData& data, const PlotOptions& options, const std::string& name,
                         const fs::path& directory) {
  const std::string quantity = described(options.layerMetric);
  const std::string where = " per hidden layer " + epochText(options.layerEpoch);
  const Blocks blocks =
      writeBlocks(directory / (name + ".dat"), quantity + where + ", over the runs of each group", data,
                  data.layers, "layer");
  if (blocks.groups.empty()) return "";
  const bool logScale = contains(kLogScaleLayerMetrics, options.layerMetric) && blocks.meansSpanDecades();

  std::string plot;
  const std::size_t count = blocks.groups.size();
  for (std::size_t block = 0; block < count; ++block) {
    addClause(plot, gnuplotString(name + ".dat") + " index " + std::to_string(block) + " using ($1+" +
                        numberText(sidewaysShift(block, count)) + "):2:3 with yerrorlines " +
                        lineStyle(block) + pointType(block) + " ps 1.3 title " +
                        gnuplotString(data.labels[blocks.groups[block]]));
  }
  // The title in words (long enough already), the column in the y label.
  return "set title " + gnuplotString(words(options.layerMetric) + where + ": mean over runs, bars +-1 std") +
         "\nset xlabel \"hidden layer\"\nset ylabel " +
         gnuplotString(quantity + (logScale ? " (log scale)" : "")) + "\n" +
         keyPlacement(labelsOf(data, blocks.groups)) +
         "set xtics 1\nunset mxtics\nset grid\nset xrange [0.5:" + numberText(blocks.maxX + 0.5) + "]\n" +
         layerAxis(options.layerMetric, blocks, logScale) + plot + "\n";
}

// A final metric that lies in [0, 1] (born_dead is 0 or 1 per run).
bool isFraction(const std::string& metric) { return endsWith(metric, "_fraction") || metric == "born_dead"; }

// heatmap.dat: block 0 "x y mean runs" for every (by[0], by[1]) pair with a
// value, block 1 "x y" for the pairs of the grid no run has (grey cells).
std::string heatmap(const PlotData& data, const std::string& metric, const fs::path& directory) {
  if (data.by.size() < 2 || data.finals.empty()) return "";
  std::map<std::pair<Setting, Setting>, std::vector<double>> cells;
  for (const auto& [key, value] : data.finals) cells[{key[0], key[1]}].push_back(value);
  std::vector<Setting> xs, ys;
  for (const auto& [pair, values] : cells) {
    xs.push_back(pair.first);
    ys.push_back(pair.second);
  }
  std::sort(xs.begin(), xs.end());
  xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
  std::sort(ys.begin(), ys.end());
  ys.erase(std::unique(ys.begin(), ys.end()), ys.end());

  std::ofstream file(directory / "heatmap.dat");
  file << "# " << data.by[0] << " " << data.by[1] << " mean(" << metric << ") runs\n";
  std::ostringstream missing;
  double highest = 0;
  for (std::size_t y = 0; y < ys.size(); ++y)
    for (std::size_t x = 0; x < xs.size(); ++x) {
      const auto found = cells.find({xs[x], ys[y]});
      if (found == cells.end()) {
        missing << x << ' ' << y << '\n';
        continue;
      }
      const auto summary = meanStd(found->second);
      highest = std::max(highest, summary.mean);
      file << x << ' ' << y << ' ' << summary.mean << ' ' << summary.n << '\n';
    }
  const bool anyMissing = !missing.str().empty();
  if (anyMissing) file << "\n\n# x y without runs\n" << missing.str();
  closeChecked(file, directory / "heatmap.dat");

  std::string xtics = "set xtics (", ytics = "set ytics (";
  for (std::size_t x = 0; x < xs.size(); ++x)
    xtics += (x ? ", " : "") + gnuplotString(settingText(xs[x])) + " " + std::to_string(x);
  for (std::size_t y = 0; y < ys.size(); ++y)
    ytics += (y ? ", " : "") + gnuplotString(settingText(ys[y])) + " " + std::to_string(y);
  std::ostringstream ranges;
  ranges << "set xrange [-0.5:" << xs.size() - 0.5 << "]\nset yrange [-0.5:" << ys.size() - 0.5 << "]\n";
  std::string plot =
      "plot \"heatmap.dat\" index 0 using 1:2:(0.5):(0.5):3 with boxxyerror fc palette fs solid 1.0 "
      "noborder, \\\n"
      "     \"\" index 0 using 1:2:(sprintf(\"%.3g\", $3)) with labels tc rgb \"black\"";
  if (anyMissing)
    plot +=
        ", \\\n     \"\" index 1 using 1:2:(0.5):(0.5) with boxxyerror fc rgb \"#d9d9d9\" fs solid 1.0 "
        "noborder, \\\n"
        "     \"\" index 1 using 1:2:(\"no runs\") with labels tc rgb \"#555555\"";
  // Light-to-medium green, never dark: the black value labels stay legible.
  return "set title " +
         gnuplotString(described(metric) + ": mean over runs, by " + data.by[0] + " and " + data.by[1]) +
         "\nset xlabel " + gnuplotString(data.by[0]) + "\nset ylabel " + gnuplotString(data.by[1]) +
         "\nset cblabel " + gnuplotString(described(metric)) + "\n" + xtics + ") scale 0\n" + ytics +
         ") scale 0\nunset mxtics\nunset mytics\nunset grid\nunset key\n" + ranges.str() +
         // A fraction's colours start at 0, the palette's palest: a cell of
         // 0 reads as none, even when every cell is 0.
         (isFraction(metric) ? "set cbrange [0:" + numberText(highest > 0 ? highest : 1) + "]\n" : "") +
         "set palette defined (0 \"#f7fcf5\", 0.5 \"#a1d99b\", 1 \"#41ab5d\")\n" + plot + "\n";
}

// The vs-plot's file name without extension, "" when there is none: the
// first `by` column must hold numbers to be an x axis.
std::string vsPlotName(const PlotData& data, const std::string& metric) {
  if (data.by.empty() || !contains(kNumericSettings, data.by[0])) return "";
  return metric + "_vs_" + data.by[0];
}

// Tics at the x values themselves while they are few (0.001, 0.01, 0.1 of a
// learning-rate sweep read better than gnuplot's round numbers). On a linear
// axis a value closer than 4% of the span to the last labelled one keeps its
// tic but no label (alpha 0 and 0.01 of 0..0.5 would print over each other).
std::string valueTics(const std::vector<double>& xs, bool logScale) {
  if (xs.size() > 10) return "";
  const auto position = [&](double x) { return logScale ? std::log(x) : x; };
  const double minimumGap = 0.04 * (position(xs.back()) - position(xs.front()));
  std::string tics = "set xtics (";
  double lastLabelled = -INFINITY;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const bool labelled = position(xs[i]) - lastLabelled >= minimumGap;
    if (labelled) lastLabelled = position(xs[i]);
    tics += (i ? ", " : "") + gnuplotString(labelled ? numberText(xs[i]) : "") + " " + numberText(xs[i]);
  }
  return tics + ")\nunset mxtics\n";
}

// The x of data set `block` of `count` in a gnuplot `using`: the value, moved
// sideways by a fraction of the mean distance between neighbouring values
// `xs` (sorted, distinct): a factor on a log axis, a difference on a linear one.
std::string shiftedX(std::size_t block, std::size_t count, const std::vector<double>& xs, bool logScale) {
  const double gaps = static_cast<double>(std::max<std::size_t>(1, xs.size() - 1));
  const double shift = sidewaysShift(block, count) / gaps;
  if (logScale) return "($1*" + numberText(std::pow(xs.back() / xs.front(), shift)) + ")";
  return "($1+" + numberText(shift * (xs.back() - xs.front())) + ")";
}

// <metric>_vs_<column>.dat: one block per combination of the other `by`
// columns ("x mean ci_low ci_high runs"), the 95% t CI of the mean over runs
// (results::summarize); one run has no interval: ci_low = ci_high = mean.
// Runs whose x is NULL (alpha of relu) have no place on the axis.
std::string metricVsSetting(const PlotData& data, const std::string& metric, const std::string& name,
                            const fs::path& directory) {
  if (name.empty()) return "";
  std::map<GroupKey, std::map<double, std::vector<double>>> lines;
  std::vector<double> xs;
  for (const auto& [key, value] : data.finals)
    if (key[0].kind == 1) {
      lines[GroupKey(key.begin() + 1, key.end())][key[0].number].push_back(value);
      xs.push_back(key[0].number);
    }
  if (lines.empty()) return "";
  std::sort(xs.begin(), xs.end());
  xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
  // A learning-rate sweep spans decades: even steps on a log axis.
  const bool logScale = positiveSpan(xs) >= 100;

  const std::vector<std::string> lineBy(data.by.begin() + 1, data.by.end());
  std::ofstream file(directory / (name + ".dat"));
  file << "# " << metric << " against " << data.by[0] << ": mean over runs, 95% t confidence interval\n";
  std::string plot;
  std::vector<std::string> titles;
  double highest = 0;  // the top of the highest bar
  for (const auto& [lineKey, points] : lines) {
    const std::size_t block = titles.size();
    titles.push_back(groupLabel(lineBy, lineKey));
    file << "# " << commentText(titles.back()) << "\n# " << data.by[0] << " mean ci_low ci_high runs\n";
    for (const auto& [x, values] : points) {
      const Summary summary = summarize(values);
      const bool interval = summary.n >= 2;
      highest = std::max(highest, interval ? summary.ciHigh : summary.mean);
      file << x << ' ' << summary.mean << ' ' << (interval ? summary.ciLow : summary.mean) << ' '
           << (interval ? summary.ciHigh : summary.mean) << ' ' << summary.n << '\n';
    }
    file << "\n\n";
    addClause(plot, gnuplotString(name + ".dat") + " index " + std::to_string(block) + " using " +
                        shiftedX(block, lines.size(), xs, logScale) + ":2:3:4 with yerrorlines " +
                        lineStyle(block) + pointType(block) + " ps 1.3 title " +
                        gnuplotString(titles.back()));
  }
  closeChecked(file, directory / (name + ".dat"));
  return "set title " +
         gnuplotString(described(metric) + " against " + data.by[0] + ": mean over runs, bars 95% CI") +
         "\nset xlabel " + gnuplotString(data.by[0] + (logScale ? " (log scale)" : "")) + "\nset ylabel " +
         gnuplotString(described(metric)) + "\n" + (lineBy.empty() ? "unset key\n" : keyPlacement(titles)) +
         (logScale ? "set logscale x\n" : "") + valueTics(xs, logScale) +
         // A fraction lies in [0, 1]: a t interval reaching beyond is cut at the axis.
         (isFraction(metric)
              ? "set yrange [0:" + numberText(std::min(1.0, std::max(0.05, highest * 1.08))) + "]\n"
              : "") +
         // The x range ends at the first and last value, not the next round tic, plus a margin.
         "set autoscale xfix\nset offsets graph 0.05, graph 0.05, graph 0.05, graph 0.05\nset grid\n" + plot +
         "\n";
}

std::string pngTerminal() {
  // gnuplot-nox has pngcairo (antialiased, same fonts as svg); plain png otherwise.
  if (runProgram({"gnuplot", "-e", "set terminal pngcairo"}, "", ""))
    return "set terminal pngcairo size 900,600 font \"Sans,12\" noenhanced background rgb \"white\"\n";
  return "set terminal png size 900,600 noenhanced background rgb \"white\"\n";
}

}  // namespace

bool gnuplotAvailable() { return !findProgram("gnuplot").empty(); }

const std::vector<std::string>& layerMetrics() { return kLayerMetrics; }

const std::vector<std::string>& curveMetrics() { return kCurveMetrics; }

std::optional<int> parseLayerEpoch(const std::string& text) {
  if (text == "last") return std::nullopt;
  int epoch = -1;
  const char* end = text.data() + text.size();
  const auto [last, error] = std::from_chars(text.data(), end, epoch);
  if (text.empty() || error != std::errc() || last != end || epoch < 0)
    throw ReportError("--layer-epoch " + shownText(text) +
                      ": use an epoch number (0: the initial network) or last");
  return epoch;
}

std::vector<std::string> writePlots(const std::string& database, const PlotOptions& options,
                                    const std::string& directory) {
  checkOptions(options);
  if (!gnuplotAvailable()) throw std::runtime_error(kGnuplotMissing);
  const PlotData data = readPlotData(database, options);
  const fs::path outputDirectory(directory);
  fs::create_directories(outputDirectory);

  const std::string layerName = options.layerMetric + "_by_layer";
  const std::string vsName = vsPlotName(data, options.metric);
  const std::vector<std::pair<std::string, std::string>> bodies = {
      {"learning_curves", learningCurves(data, outputDirectory)},
      {layerName, layerProfile(data, options, layerName, outputDirectory)},
      {"heatmap", heatmap(data, options.metric, outputDirectory)},
      {vsName, metricVsSetting(data, options.metric, vsName, outputDirectory)}};

  const std::string svgTerminal =
      "set terminal svg size 900,600 font \"Sans,12\" noenhanced background rgb \"white\"\n";
  const std::string png = pngTerminal();
  std::ofstream script(outputDirectory / "plots.gp");
  script << "# Written by actsweep (results/plots.cpp); run `gnuplot plots.gp` in this directory.\n";
  std::vector<std::string> written;
  for (const auto& [name, body] : bodies) {
    if (body.empty()) continue;
    for (const auto& [terminal, extension] : {std::pair{svgTerminal, ".svg"}, std::pair{png, ".png"}}) {
      script << "\nreset\n" << terminal << "set output " << gnuplotString(name + extension) << "\n" << body;
      written.push_back((outputDirectory / (name + extension)).string());
    }
  }
  script << "\nunset output\n";
  closeChecked(script, outputDirectory / "plots.gp");

  const auto log = outputDirectory / "gnuplot.log";
  if (!runProgram({"gnuplot", "plots.gp"}, outputDirectory.string(), log.string())) {
    std::ifstream logFile(log);
    std::string line, last;
    while (std::getline(logFile, line))
      if (!line.empty()) last = line;
    throw std::runtime_error("gnuplot failed on " + (outputDirectory / "plots.gp").string() + ": " + last +
                             " (see " + log.string() + ")");
  }
  return written;
}

}  // namespace actsweep::results
