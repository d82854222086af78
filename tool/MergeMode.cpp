// `vmalloc-lint merge FILE...`: --format json results (shards of one tree,
// or any runs) merged and printed in --format; facts files joined to
// --facts-out.
#include "matchers/provenance/CrossFileFacts.h"
#include "tool/FactsFiles.h"
#include "tool/FileIO.h"
#include "tool/FindingsJson.h"
#include "tool/Modes.h"
#include "tool/Output.h"
#include "tool/ResultOutput.h"

#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <tuple>

namespace vmalloc_lint {

/// `merge`: --format json outputs combined, printed in --format.
int runMergeMode(const CliOptions &O) {
  std::string Cwd = realCurrentDirectory();
  checkFactsOut(O);
  AnalysisResult R;
  std::string Version;
  CrossFileFacts Facts;
  std::vector<NotAnalysedFile> NotAnalysed;
  size_t FactsFiles = 0;
  for (const std::string &In : O.Inputs) {
    llvm::ErrorOr<std::string> B = readWholeFileOrStdin(In);
    if (!B)
      usageError("cannot read '" + In + "': " + B.getError().message());
    // Facts files (JSON lines with a header record) are joined, findings
    // JSON merged.
    if (looksLikeFacts(*B)) {
      if (std::string Err = readFactsJsonl(*B, Cwd, Facts); !Err.empty())
        usageError("merge: '" + In + "': " + Err);
      ++FactsFiles;
      continue;
    }
    if (std::string Err = mergeFindingsJson(*B, Cwd, R, Version, NotAnalysed);
        !Err.empty())
      usageError("merge: '" + In + "': " + Err);
  }
  if (FactsFiles && O.FactsOut.empty())
    usageError("merge: facts files need --facts-out FILE for the merged facts");
  if (!O.FactsOut.empty())
    writeFacts(O, Facts, Cwd);
  if (FactsFiles == O.Inputs.size())
    return 0;
  dropBelowConfidence(R.Findings, O.MinConfidence);
  sortResults(R);
  // One record per file and reason, in file order, as one run prints them.
  std::sort(NotAnalysed.begin(), NotAnalysed.end(),
            [](const NotAnalysedFile &A, const NotAnalysedFile &B) {
              return std::tie(A.File, A.Reason) < std::tie(B.File, B.Reason);
            });
  NotAnalysed.erase(
      std::unique(NotAnalysed.begin(), NotAnalysed.end(),
                  [](const NotAnalysedFile &A, const NotAnalysedFile &B) {
                    return A.File == B.File && A.Reason == B.Reason;
                  }),
      NotAnalysed.end());
  OutputContext Ctx;
  Ctx.DisplayRoot = Cwd;
  Ctx.KernelVersion = Version.empty() ? "none" : Version;
  Ctx.PatchName = "The input";
  Ctx.NotAnalysed = NotAnalysed;
  llvm::raw_ostream &Out = resultStream();
  Out.enable_colors(O.Format == OutputFormat::Text &&
                    wantColors(int(O.Color), Out));
  printFindings(Out, O.Format, R, Ctx);
  Out.enable_colors(false);
  if (!O.Quiet)
    llvm::errs() << "vmalloc-lint: merge: " << R.Findings.size() << " finding"
                 << (R.Findings.size() == 1 ? "" : "s") << " from "
                 << O.Inputs.size() - FactsFiles << " result"
                 << (O.Inputs.size() - FactsFiles == 1 ? "" : "s")
                 << (NotAnalysed.empty()
                         ? std::string()
                         : ", " + std::to_string(NotAnalysed.size()) +
                               " not analysed")
                 << "\n";
  // As the runs themselves: 3 when a file's results are missing.
  return !NotAnalysed.empty() ? 3 : R.Findings.empty() ? 0 : 1;
}

} // namespace vmalloc_lint
