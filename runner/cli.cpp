#include "runner/cli.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <iostream>

#include "model/data/dataset.hpp"
#include "model/errors.hpp"
#include "runner/train_command.hpp"

namespace actsweep::runner {

int runCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"actsweep: experiment sweeps for activation-function studies", "actsweep"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("actsweep ") + ACTSWEEP_VERSION);

  TrainArguments trainArguments;
  CLI::App* train = app.add_subcommand("train", "train one network and print its metrics per epoch");
  addTrainOptions(*train, trainArguments);

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
    if (train->parsed()) {
      command = "actsweep train";
      return runTrain(trainArguments, out);
    }
    return kExitBadInput;
  } catch (const CLI::CallForHelp&) {
    out << (train->parsed() ? train->help() : app.help());
    return kExitOk;
  } catch (const CLI::CallForVersion&) {
    out << "actsweep " << ACTSWEEP_VERSION << '\n';
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    fmt::print(err, "actsweep: {} (see actsweep {}--help)\n", e.what(), train->parsed() ? "train " : "");
    return kExitBadInput;
  } catch (const model::ConfigError& e) {
    fmt::print(err, "{}: {}\n", command, e.what());
    return kExitBadInput;
  } catch (const data::DataError& e) {
    fmt::print(err, "{}: {}\n", command, e.what());
    return kExitBadInput;
  } catch (const std::exception& e) {
    fmt::print(err, "{}: internal error: {} (please report it)\n", command, e.what());
    return kExitRunsFailed;
  }
}

int runCli(int argc, char** argv) { return runCli(argc, argv, std::cout, std::cerr); }

}  // namespace actsweep::runner
