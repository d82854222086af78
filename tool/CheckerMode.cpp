// --cc: kbuild's checker hook (make C=1 CHECK="vmalloc-lint --cc"): one
// file, analysed with exactly the compiler arguments kbuild gives a checker;
// findings on stderr like compiler warnings.
#include "matchers/kernel/KernelTree.h"
#include "matchers/text/NoLint.h"
#include "tool/CompileFlags.h"
#include "tool/FactsFiles.h"
#include "tool/FileIO.h"
#include "tool/KconfigArch.h"
#include "tool/Modes.h"
#include "tool/Output.h"
#include "tool/ResultCache.h"
#include "tool/ResultOutput.h"
#include "tool/Runner.h"

#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/raw_ostream.h"

namespace vmalloc_lint {

int runCheckerMode(const CliOptions &O) {
  std::string Abs = realAbsolutePath(O.CcFile);
  FileJob J;
  J.File = Abs;
  J.Options.Checks = O.Checks;
  J.Options.MigrateTo = O.MigrateTo;
  J.Options.Imported = loadFacts(O, realCurrentDirectory());
  std::optional<KernelTree> T = findKernelTree(Abs);
  if (T) {
    J.Options.ArchFacts = T->ArchFacts;
    J.Options.Arch = unitArch(*T, Abs);
  }
  if (O.ForcedVersion)
    J.Options.Version = *O.ForcedVersion;
  else
    J.Options.Version = T ? T->Version : KernelVersion::newest();
  std::vector<std::string> Command{"gcc"};
  Command.insert(Command.end(), O.CcArgs.begin(), O.CcArgs.end());
  Command.push_back(Abs);
  J.Command = adjustDatabaseCommand(Command, Abs);
  std::vector<FileJob> Jobs{std::move(J)};
  if (O.PrintCompileCommands)
    return printCompileCommands(Jobs);
  llvm::CrashRecoveryContext::Enable();
  RunOptions Run;
  Run.ShowCompilerErrors = O.CompilerErrors;
  Run.TreeRoot = T ? T->Root : "";
  std::unique_ptr<ResultCache> Cache = openRunCache(O, realCurrentDirectory());
  Run.Cache = Cache.get();
  RunReport Report = runJobs(Jobs, Run);
  finishRunCache(O, Cache.get());
  NoLintFilter(noLintTextFromDisk(nullptr)).apply(Report.Result.Findings);
  dropBelowConfidence(Report.Result.Findings, O.MinConfidence);
  OutputContext Ctx;
  Ctx.DisplayRoot = realCurrentDirectory();
  Ctx.KernelVersion = Jobs.front().Options.Version.str();
  Ctx.Files = Report.Files;
  Ctx.FilesWithErrors = Report.FilesWithErrors;
  // Like a compiler's warnings, on stderr; with -o, in the file.
  llvm::raw_ostream &Out = resultFile().empty() ? llvm::errs() : resultStream();
  Out.enable_colors(wantColors(int(O.Color), Out));
  printFindingsText(Out, Report.Result, Ctx);
  Out.enable_colors(false);
  reportStartFailures(Report);
  reportCrashes(Report);
  return O.Werror && !Report.Result.Findings.empty() ? 1 : 0;
}

} // namespace vmalloc_lint
