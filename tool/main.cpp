// vmalloc-lint: the command-line front end. The command line is parsed and
// validated once (tool/Options.h); each mode is a file of its own
// (tool/Modes.h). The analysis is in matchers/.
#include "matchers/checks/CheckRegistry.h"
#include "tool/ArchViews.h"
#include "tool/Modes.h"
#include "tool/Options.h"

#include "llvm/Support/Signals.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

using namespace vmalloc_lint;

int main(int argc, const char **argv) {
  auto Start = std::chrono::steady_clock::now();
  llvm::sys::PrintStackTraceOnErrorSignal(argv[0]);
  CliOptions O = parseCommandLine(argc, argv);
  setArchViewSettings({!O.NoArchViews, O.ArchCache});
  switch (O.Mode) {
  case CliMode::Worker:
    return runWorkerMode(O);
  case CliMode::Checker:
    return runCheckerMode(O);
  case CliMode::Merge:
    return runMergeMode(O);
  case CliMode::ListChecks:
    for (const CheckRow &C : checkRegistry())
      llvm::outs() << C.Name << "\n    " << C.Summary << "\n";
    return 0;
  case CliMode::Gate:
    return runGateMode(O, Start);
  case CliMode::Tree:
    break;
  }
  return runTreeMode(O, Start);
}
