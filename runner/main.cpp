#include "runner/cli.hpp"

int main(int argc, char** argv) { return actsweep::runner::runCli(argc, argv); }
