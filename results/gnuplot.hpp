#pragma once
// gnuplot for results/plots.hpp (internal to results/): running it, text made
// safe for its scripts and data files, and the styles every plot shares
// (colours, dashes, markers, the legend).

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace actsweep::results::plot {

// %g-like: 0.01, 64, 1e-05.
std::string numberText(double number);

// A gnuplot string made inert: text from a database or the command line
// (an activation name, a config value) is data, never code. gnuplot runs
// `backquoted` text inside double-quoted strings, but takes a single-quoted
// string literally; the only escape there is '' for a quote. A line break would end the command and start
// another, so control characters become '?'.
std::string gnuplotString(const std::string& text);

// A label on a `#` comment line of a .dat file: one line, whatever it holds.
std::string commentText(const std::string& text);

// Closes a written file; a full disk or a lost directory is an error, not a plot of half the data.
void closeChecked(std::ofstream& file, const std::filesystem::path& path);

// The program `name` on PATH, as an absolute path ("" when none). Relative
// and empty PATH entries are skipped: the program runs in the plot folder,
// where a file called gnuplot must not be the one run.
std::string findProgram(const std::string& name);

// Runs `program arguments...` found on PATH (findProgram), without a shell, in `directory`
// (when not empty), its stdout and stderr into `logPath` (/dev/null when
// empty). Returns whether it ran and exited 0.
bool runProgram(const std::vector<std::string>& command, const std::string& directory,
                const std::string& logPath);

// The terminal of the PNG images: pngcairo where gnuplot has it.
std::string pngTerminal();

// "lc rgb "#1f77b4" lw 2 dt 1": the colour and dash pattern of data set
// `plotIndex`. Ten distinct colours (matplotlib's tab10) for groups; more
// groups cycle them with a different dash pattern, so the eleventh is not
// mistaken for the first.
std::string lineStyle(std::size_t plotIndex);
// "lc rgb "#1f77b4"": the colour alone (a band under a line).
std::string colourOf(std::size_t plotIndex);

// The legend above the plot, in columns: a legend beside it squeezes the
// plot to half its width once labels name two or three settings, and one
// inside it covers curves.
std::string keyPlacement(const std::vector<std::string>& labels);

// Appends one data set to a gnuplot `plot` command.
void addClause(std::string& plot, const std::string& clause);
// Marker shape of a data set: 13 shapes, in turn.
std::string pointType(std::size_t plotIndex);

// Where data set `block` of `count` goes, sideways, in units of the distance
// between neighbouring x values: groups often coincide (every tanh and elu
// layer at 0 dead; the same accuracy at an lr), so each is shifted a little
// and none hides another's points and bars.
double sidewaysShift(std::size_t block, std::size_t count);

// A log y axis, its tics as plain numbers.
inline constexpr const char* kLogYAxis = "set logscale y\nset format y \"%g\"\n";

}  // namespace actsweep::results::plot
