#include "results/gnuplot.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

namespace actsweep::results::plot {
namespace {

namespace fs = std::filesystem;

const char* kPalette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                          "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
constexpr int kPaletteSize = 10;

}  // namespace

std::string numberText(double number) {
  std::ostringstream text;
  text << number;
  return text.str();
}

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

std::string commentText(const std::string& text) {
  std::string line = text;
  for (char& c : line)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return line;
}

void closeChecked(std::ofstream& file, const fs::path& path) {
  file.close();
  if (!file) throw std::runtime_error(path.string() + ": cannot write (disk full? directory removed?)");
}

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

std::string pngTerminal() {
  // gnuplot-nox has pngcairo (antialiased, same fonts as svg); plain png otherwise.
  if (runProgram({"gnuplot", "-e", "set terminal pngcairo"}, "", ""))
    return "set terminal pngcairo size 900,600 font \"Sans,12\" noenhanced background rgb \"white\"\n";
  return "set terminal png size 900,600 noenhanced background rgb \"white\"\n";
}

std::string lineStyle(std::size_t plotIndex) {
  std::ostringstream style;
  style << "lc rgb \"" << kPalette[plotIndex % kPaletteSize] << "\" lw 2 dt "
        << (plotIndex / kPaletteSize) % 5 + 1;
  return style.str();
}

std::string colourOf(std::size_t plotIndex) {
  return std::string("lc rgb \"") + kPalette[plotIndex % kPaletteSize] + "\"";
}

std::string keyPlacement(const std::vector<std::string>& labels) {
  std::size_t longest = 0;
  for (const auto& label : labels) longest = std::max(longest, label.size());
  const int columns = longest <= 24 ? 3 : longest <= 40 ? 2 : 1;
  return "set key outside center top horizontal Left reverse noenhanced samplen 2 spacing 1.1 maxcols " +
         std::to_string(columns) + "\n";
}

void addClause(std::string& plot, const std::string& clause) {
  plot += (plot.empty() ? "plot " : ", \\\n     ") + clause;
}

std::string pointType(std::size_t plotIndex) { return " pt " + std::to_string(plotIndex % 13 + 1); }

double sidewaysShift(std::size_t block, std::size_t count) {
  if (count < 2) return 0;
  const double spread = std::min(0.3, 0.04 * static_cast<double>(count - 1));
  return -spread / 2 + spread * static_cast<double>(block) / static_cast<double>(count - 1);
}

}  // namespace actsweep::results::plot
