#include "tool/FactsFiles.h"

#include "tool/FileIO.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

namespace vmalloc_lint {

/// --facts-in: every file joined, origins numbered, shared by the jobs.
std::shared_ptr<const CrossFileFacts> loadFacts(const CliOptions &O,
                                                const std::string &Cwd) {
  if (O.FactsIn.empty())
    return nullptr;
  auto F = std::make_shared<CrossFileFacts>();
  for (const std::string &In : O.FactsIn) {
    llvm::ErrorOr<std::string> B = readWholeFileOrStdin(In);
    if (!B)
      usageError("cannot read --facts-in '" + In +
                 "': " + B.getError().message());
    if (std::string Err = readFactsJsonl(*B, Cwd, *F); !Err.empty())
      usageError("--facts-in '" + In + "': " + Err);
  }
  F->numberOrigins();
  return F;
}

/// --facts-out can be written (checked before any analysis).
void checkFactsOut(const CliOptions &O) {
  if (O.FactsOut.empty())
    return;
  // A new file of a unique name beside it, as the atomic write will make
  // (no file of the user's is touched); a device or FIFO is written in
  // place.
  llvm::sys::fs::file_status St;
  if (!llvm::sys::fs::status(O.FactsOut, St) && llvm::sys::fs::exists(St) &&
      !llvm::sys::fs::is_regular_file(St) && !llvm::sys::fs::is_directory(St))
    return;
  StagedFile Probe;
  std::error_code EC =
      stageFile(O.FactsOut, O.FactsOut + ".check-%%%%%%", "", Probe);
  discardStagedFile(Probe);
  if (EC)
    usageError("cannot write --facts-out '" + O.FactsOut +
               "': " + EC.message());
}

/// Writes the facts atomically: no half-written file.
void writeFacts(const CliOptions &O, const CrossFileFacts &F,
                const std::string &Cwd) {
  if (std::error_code EC =
          writeFileAtomically(O.FactsOut, writeFactsJsonl(F, Cwd)))
    usageError("cannot write --facts-out '" + O.FactsOut +
               "': " + EC.message());
  if (!O.Quiet)
    llvm::errs() << "vmalloc-lint: facts: " << F.records() << " record"
                 << (F.records() == 1 ? "" : "s") << " written to "
                 << O.FactsOut << "\n";
}

} // namespace vmalloc_lint
