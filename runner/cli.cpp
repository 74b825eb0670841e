#include "runner/cli.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <functional>
#include <iostream>
#include <vector>

#include "model/errors.hpp"
#include "runner/exit_codes.hpp"
#include "runner/merge_command.hpp"
#include "runner/plan_command.hpp"
#include "runner/report_command.hpp"
#include "runner/run_command.hpp"
#include "runner/settings_command.hpp"
#include "runner/slurm_command.hpp"
#include "runner/status_command.hpp"
#include "runner/sweep_arguments.hpp"
#include "runner/train_command.hpp"

namespace actsweep::runner {
namespace {

// An error message as printed: one line whatever it quotes (a line break in
// a --where, a YAML message over several lines), and not a screenful when it
// quotes a huge argument.
std::string oneLine(const std::string& message) {
  constexpr std::size_t kLongest = 1000;
  std::string line;
  for (const char c : message.substr(0, kLongest)) {
    if (c == '\n')
      line += "\\n";
    else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      line += ' ';
    else
      line += c;
  }
  if (message.size() > kLongest) line += fmt::format("... ({} characters)", message.size());
  return line;
}

// What a command wrote must have reached stdout: on a full disk (or
// /dev/full) the output is cut, and a script must not take a cut CSV for a
// whole one. Returns `code`, or kExitOutputFailed.
int checkOutput(int code, std::ostream& out, std::ostream& err, const std::string& command) {
  errno = 0;
  out.flush();
  if (out) return code;
  const int error = errno;
  fmt::print(err, "{}: cannot write standard output: {} (what it printed is incomplete)\n", command,
             error ? std::strerror(error) : "write error");
  return kExitOutputFailed;
}

// A subcommand: its options on the parser, and what runs it once parsed.
struct Command {
  CLI::App* app;
  std::function<int()> run;
};

// Every subcommand once, with the arguments its options fill: they live as
// long as the parser, and each command's run reads them.
class Commands {
 public:
  Commands(CLI::App& app, std::ostream& out, std::ostream& err);
  Commands(const Commands&) = delete;
  Commands& operator=(const Commands&) = delete;

  // The subcommand on the command line, for help and messages (null before parsing or without one).
  const Command* parsed() const {
    for (const Command& c : commands_)
      if (c.app->parsed()) return &c;
    return nullptr;
  }

  bool known(const std::string& name) const {
    return std::any_of(commands_.begin(), commands_.end(),
                       [&](const Command& c) { return c.app->check_name(name); });
  }

  std::string names() const {
    std::string names;
    for (const Command& c : commands_) names += (names.empty() ? "" : ", ") + c.app->get_name();
    return names;
  }

 private:
  template <class Arguments, class AddOptions, class RunCommand>
  void add(const char* name, const char* help, Arguments& arguments, AddOptions addOptions,
           RunCommand runCommand) {
    CLI::App* sub = app_.add_subcommand(name, help);
    addOptions(*sub, arguments);
    commands_.push_back({sub, [&arguments, runCommand, &out = out_, &err = err_] {
                           return runCommand(arguments, out, err);
                         }});
  }

  CLI::App& app_;
  std::ostream& out_;
  std::ostream& err_;
  std::vector<Command> commands_;
  TrainArguments trainArguments;
  PlanArguments planArguments;
  SpecArguments validateArguments;
  RunArguments runArguments;
  StatusArguments statusArguments;
  ReportArguments reportArguments;
  ExportArguments exportArguments;
  SlurmArguments slurmArguments;
  MergeArguments mergeArguments;
  SettingsArguments settingsArguments;
};

Commands::Commands(CLI::App& app, std::ostream& out, std::ostream& err) : app_(app), out_(out), err_(err) {
  add("train", "train one network and print its metrics per epoch", trainArguments, addTrainOptions,
      [](const TrainArguments& a, std::ostream& o, std::ostream& e) { return runTrain(a, o, e); });
  add("plan", "list the runs a sweep file names, with counts and a cost estimate", planArguments,
      addPlanOptions, runPlan);
  add("validate", "check a sweep file and every run it names", validateArguments, addSpecOptions,
      runValidate);
  add("run", "train every run of a sweep file and store the results (resumable)", runArguments, addRunOptions,
      [](const RunArguments& a, std::ostream& o, std::ostream& e) { return runSweep(a, o, e); });
  add("status", "runs by status, runs in flight and an ETA, of a results database", statusArguments,
      addStatusOptions, runStatus);
  add("report", "runs grouped by settings with mean, std and 95% CI over seeds, or --vs", reportArguments,
      addReportOptions, runReport);
  add("export", "one table or view of a results database as CSV or JSON", exportArguments, addExportOptions,
      runExport);
  add("slurm", "write (and --submit) a Slurm job array that runs a sweep in shards, then merges",
      slurmArguments, addSlurmOptions, runSlurm);
  add("merge", "merge the databases of a sweep's shards (run --shard I/K) into one", mergeArguments,
      addMergeOptions, runMerge);
  add("settings", "every setting a sweep file or train can name, as Markdown tables", settingsArguments,
      addSettingsOptions, runSettings);
}

// Parses the command line and runs the subcommand; every error is one line
// on err and its exit code (runner/exit_codes.hpp).
int parseAndRun(CLI::App& app, const Commands& commands, int argc, const char* const* argv, std::ostream& out,
                std::ostream& err) {
  std::string command = "actsweep";
  try {
    app.parse(argc, argv);
    const Command* parsed = commands.parsed();
    if (!parsed) return kExitBadInput;
    command = "actsweep " + parsed->app->get_name();
    return checkOutput(parsed->run(), out, err, command);
  } catch (const CLI::CallForHelp&) {
    out << (commands.parsed() ? commands.parsed()->app->help() : app.help());
    return checkOutput(kExitOk, out, err, command);
  } catch (const CLI::CallForVersion&) {
    out << "actsweep " << ACTSWEEP_VERSION << '\n';
    return checkOutput(kExitOk, out, err, command);
  } catch (const CLI::ParseError& e) {
    const Command* parsed = commands.parsed();
    fmt::print(err, "actsweep: {} (see actsweep {}--help)\n", oneLine(e.what()),
               parsed ? parsed->app->get_name() + " " : "");
    return kExitBadInput;
  } catch (const UserError& e) {
    // Input the user can fix (model/errors.hpp): a sweep file, an argument,
    // a data file, a database.
    for (const std::string& line : e.lines(command)) err << oneLine(line) << '\n';
    return e.exitCode();
  } catch (const std::filesystem::filesystem_error& e) {
    // A path the user gave that cannot be used: too long, not a directory, no permission.
    fmt::print(err, "{}: {}\n", command, oneLine(e.what()));
    return kExitBadInput;
  } catch (const std::exception& e) {
    fmt::print(err, "{}: internal error: {} (please report it)\n", command, oneLine(e.what()));
    return kExitRunsFailed;
  }
}

}  // namespace

int runCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"actsweep: experiment sweeps for activation-function studies", "actsweep"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("actsweep ") + ACTSWEEP_VERSION);
  const Commands commands(app, out, err);
  if (argc > 1 && argv[1][0] != '-' && !commands.known(argv[1])) {
    fmt::print(err, "actsweep: unknown command '{}' (commands: {}; see actsweep --help)\n", oneLine(argv[1]),
               commands.names());
    return kExitBadInput;
  }
  return parseAndRun(app, commands, argc, argv, out, err);
}

int runCli(int argc, char** argv) { return runCli(argc, argv, std::cout, std::cerr); }

}  // namespace actsweep::runner
