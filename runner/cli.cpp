#include "runner/cli.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <iostream>

#include "model/data/dataset.hpp"
#include "model/errors.hpp"
#include "results/store.hpp"
#include "runner/expand.hpp"
#include "runner/merge_command.hpp"
#include "runner/plan_command.hpp"
#include "runner/report_command.hpp"
#include "runner/run_command.hpp"
#include "runner/slurm_command.hpp"
#include "runner/spec.hpp"
#include "runner/status_command.hpp"
#include "runner/train_command.hpp"

namespace actsweep::runner {

int runCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"actsweep: experiment sweeps for activation-function studies", "actsweep"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("actsweep ") + ACTSWEEP_VERSION);

  TrainArguments trainArguments;
  CLI::App* train = app.add_subcommand("train", "train one network and print its metrics per epoch");
  addTrainOptions(*train, trainArguments);

  PlanArguments planArguments;
  CLI::App* plan =
      app.add_subcommand("plan", "list the runs a sweep file names, with counts and a cost estimate");
  addPlanOptions(*plan, planArguments);

  RunArguments runArguments;
  CLI::App* run = app.add_subcommand("run", "train every run of a sweep file and store the results (resumable)");
  addRunOptions(*run, runArguments);

  StatusArguments statusArguments;
  CLI::App* status = app.add_subcommand("status", "runs by status, runs in flight and an ETA, of a results database");
  addStatusOptions(*status, statusArguments);

  ReportArguments reportArguments;
  CLI::App* report =
      app.add_subcommand("report", "runs grouped by settings with mean, std and 95% CI over seeds, or --vs");
  addReportOptions(*report, reportArguments);

  ExportArguments exportArguments;
  CLI::App* exportCommand = app.add_subcommand("export", "one table or view of a results database as CSV or JSON");
  addExportOptions(*exportCommand, exportArguments);

  SlurmArguments slurmArguments;
  CLI::App* slurm =
      app.add_subcommand("slurm", "write (and --submit) a Slurm job array that runs a sweep in shards, then merges");
  addSlurmOptions(*slurm, slurmArguments);

  MergeArguments mergeArguments;
  CLI::App* merge = app.add_subcommand("merge", "merge the databases of a sweep's shards (run --shard I/K) into one");
  addMergeOptions(*merge, mergeArguments);

  SpecArguments validateArguments;
  CLI::App* validate = app.add_subcommand("validate", "check a sweep file and every run it names");
  addSpecOptions(*validate, validateArguments);

  // The subcommand on the command line, for help and messages (null before parsing or without one).
  const auto parsedCommand = [&]() -> CLI::App* {
    for (CLI::App* sub : {train, run, status, report, exportCommand, plan, validate, slurm, merge})
      if (sub->parsed()) return sub;
    return nullptr;
  };

  std::string command = "actsweep";
  std::string commands;
  bool known = false;
  for (CLI::App* sub : app.get_subcommands({})) {
    commands += (commands.empty() ? "" : ", ") + sub->get_name();
    known = known || (argc > 1 && sub->check_name(argv[1]));
  }
  if (argc > 1 && argv[1][0] != '-' && !known) {
    fmt::print(err, "actsweep: unknown command '{}' (commands: {}; see actsweep --help)\n", argv[1], commands);
    return kExitBadInput;
  }
  try {
    app.parse(argc, argv);
    if (const CLI::App* sub = parsedCommand()) command = "actsweep " + sub->get_name();
    if (train->parsed()) return runTrain(trainArguments, out);
    if (run->parsed()) return runSweep(runArguments, out, err);
    if (status->parsed()) return runStatus(statusArguments, out, err);
    if (report->parsed()) return runReport(reportArguments, out, err);
    if (exportCommand->parsed()) return runExport(exportArguments, out, err);
    if (plan->parsed()) return runPlan(planArguments, out, err);
    if (validate->parsed()) return runValidate(validateArguments, out, err);
    if (slurm->parsed()) return runSlurm(slurmArguments, out, err);
    if (merge->parsed()) return runMerge(mergeArguments, out, err);
    return kExitBadInput;
  } catch (const CLI::CallForHelp&) {
    out << (parsedCommand() ? parsedCommand()->help() : app.help());
    return kExitOk;
  } catch (const CLI::CallForVersion&) {
    out << "actsweep " << ACTSWEEP_VERSION << '\n';
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    const CLI::App* sub = parsedCommand();
    fmt::print(err, "actsweep: {} (see actsweep {}--help)\n", e.what(), sub ? sub->get_name() + " " : "");
    return kExitBadInput;
  } catch (const SpecErrors& e) {
    for (const SpecError& error : e.errors()) err << error.format() << '\n';
    return kExitBadInput;
  } catch (const SweepTooLarge& e) {
    fmt::print(err, "{}: {}\n", command, e.what());
    return kExitBadInput;
  } catch (const model::ConfigError& e) {
    fmt::print(err, "{}: {}\n", command, e.what());
    return kExitBadInput;
  } catch (const data::DataError& e) {
    fmt::print(err, "{}: {}\n", command, e.what());
    return kExitBadInput;
  } catch (const results::StoreError& e) {
    // The database cannot be used (not ours, newer, locked): bad input, not a bug.
    fmt::print(err, "{}: {}\n", command, e.what());
    return kExitBadInput;
  } catch (const std::exception& e) {
    fmt::print(err, "{}: internal error: {} (please report it)\n", command, e.what());
    return kExitRunsFailed;
  }
}

int runCli(int argc, char** argv) { return runCli(argc, argv, std::cout, std::cerr); }

}  // namespace actsweep::runner
