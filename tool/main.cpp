// vmalloc-lint: the command-line front end. The command line is parsed and
// validated once (tool/Options.h); each mode is a file of its own
// (tool/Modes.h). The analysis is in matchers/.
#include "matchers/checks/CheckRegistry.h"
#include "matchers/kernel/ApiMigrations.h"
#include "tool/ArchViews.h"
#include "tool/Modes.h"
#include "tool/Options.h"
#include "tool/ResultOutput.h"

#include "llvm/Support/JSON.h"
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
    for (const CheckRow &C : checkRegistry())
      resultStream() << C.Name << "\n    " << C.Summary << "\n";
    return 0;
  case CliMode::ListApiMigrations:
    for (const ApiMigration &M : apiMigrations()) {
      auto Str = [](const char *S) -> llvm::json::Value {
        return S ? llvm::json::Value(S) : llvm::json::Value(nullptr);
      };
      llvm::json::Object Row{
          {"since", M.Since.str()},
          {"function", M.Function},
          {"arity", M.Arity},
          {"new_form", Str(M.NewForm)},
          {"condition_arg", M.CondArg},
          {"condition_spelling", Str(M.CondSpelling)},
          {"otherwise", Str(M.Otherwise)},
          {"reason", M.Reason},
          {"fix_until", M.FixUntil.Major ? M.FixUntil.str() : ""},
          {"header", M.Header},
          {"old_decl", M.OldDecl},
          {"new_decl", M.NewDecl},
          {"upstream", M.Upstream}};
      llvm::outs() << llvm::json::Value(std::move(Row)) << "\n";
    }
    return 0;
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
