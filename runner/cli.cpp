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
#include "runner/merge_command.hpp"
#include "runner/plan_command.hpp"
#include "runner/report_command.hpp"
#include "runner/run_command.hpp"
#include "runner/slurm_command.hpp"
#include "runner/status_command.hpp"
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

}  // namespace

int runCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"actsweep: experiment sweeps for activation-function studies", "actsweep"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("actsweep ") + ACTSWEEP_VERSION);

  // Every subcommand once: its options, and what runs it once parsed.
  struct Command {
    CLI::App* app;
    std::function<int()> run;
  };
  std::vector<Command> commands;
  const auto add = [&](const char* name, const char* help, auto& arguments, auto addOptions,
                       auto runCommand) {
    CLI::App* sub = app.add_subcommand(name, help);
    addOptions(*sub, arguments);
    commands.push_back(
        {sub, [&arguments, runCommand, &out, &err] { return runCommand(arguments, out, err); }});
  };
  TrainArguments trainArguments;
  PlanArguments planArguments;
  SpecArguments validateArguments;
  RunArguments runArguments;
  StatusArguments statusArguments;
  ReportArguments reportArguments;
  ExportArguments exportArguments;
  SlurmArguments slurmArguments;
  MergeArguments mergeArguments;
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

  // The subcommand on the command line, for help and messages (null before parsing or without one).
  const auto parsedCommand = [&]() -> const Command* {
    for (const Command& c : commands)
      if (c.app->parsed()) return &c;
    return nullptr;
  };

  std::string command = "actsweep";
  std::string names;
  bool known = false;
  for (const Command& c : commands) {
    names += (names.empty() ? "" : ", ") + c.app->get_name();
    known = known || (argc > 1 && c.app->check_name(argv[1]));
  }
  if (argc > 1 && argv[1][0] != '-' && !known) {
    fmt::print(err, "actsweep: unknown command '{}' (commands: {}; see actsweep --help)\n", oneLine(argv[1]),
               names);
    return kExitBadInput;
  }
  try {
    app.parse(argc, argv);
    const Command* parsed = parsedCommand();
    if (!parsed) return kExitBadInput;
    command = "actsweep " + parsed->app->get_name();
    return checkOutput(parsed->run(), out, err, command);
  } catch (const CLI::CallForHelp&) {
    out << (parsedCommand() ? parsedCommand()->app->help() : app.help());
    return checkOutput(kExitOk, out, err, command);
  } catch (const CLI::CallForVersion&) {
    out << "actsweep " << ACTSWEEP_VERSION << '\n';
    return checkOutput(kExitOk, out, err, command);
  } catch (const CLI::ParseError& e) {
    const Command* parsed = parsedCommand();
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

int runCli(int argc, char** argv) { return runCli(argc, argv, std::cout, std::cerr); }

}  // namespace actsweep::runner
