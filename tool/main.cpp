// vmalloc-lint: the command-line front end. The command line is parsed and
// validated once (tool/Options.h); each mode is a file of its own
// (tool/Modes.h). The analysis is in matchers/.
#include "tool/ArchViews.h"
#include "tool/Modes.h"
#include "tool/Options.h"
#include "tool/ResultOutput.h"

#include "llvm/Support/Signals.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <csignal>

using namespace vmalloc_lint;

namespace {

int runMode(const CliOptions &O, std::chrono::steady_clock::time_point Start) {
  switch (O.Mode) {
  case CliMode::Worker:
    return runWorkerMode(O);
  case CliMode::Checker:
    return runCheckerMode(O);
  case CliMode::Merge:
    return runMergeMode(O);
  case CliMode::ListChecks:
    return listChecks();
  case CliMode::ListApiMigrations:
    return listApiMigrations();
  case CliMode::Gate:
    return runGateMode(O, Start);
  case CliMode::Lsp:
    return runLspMode(O);
  case CliMode::Tree:
    break;
  }
  return runTreeMode(O, Start);
}

} // namespace

int main(int argc, const char **argv) {
  auto Start = std::chrono::steady_clock::now();
  llvm::sys::PrintStackTraceOnErrorSignal(argv[0]);
  // A write beyond RLIMIT_FSIZE (`ulimit -f`) fails with EFBIG, reported
  // as any failed write, instead of killing the process in the middle of
  // --fix's writes.
  std::signal(SIGXFSZ, SIG_IGN);
  CliOptions O = parseCommandLine(argc, argv);
  setArchViewSettings({!O.NoArchViews, O.ArchCache});
  setResultFile(O.OutputFile);
  int Status = runMode(O, Start);
  // -o FILE: written now, when everything the run reads has been read.
  finishResults();
  return Status;
}
