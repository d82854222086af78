// The tree run (tool/TreeMode.cpp) and its gate variant (tool/GateMode.cpp):
// what they share. Both set up the same way (RunSetup), pick their files
// their own way (inputs and the prefilter; the change), then analyse and
// report through one analyseAndReport, the gate adding its view of the
// change (GateRun).
#ifndef VMALLOC_LINT_TREE_RUN_H
#define VMALLOC_LINT_TREE_RUN_H

#include "matchers/Finding.h"
#include "matchers/kernel/KernelTree.h"
#include "matchers/provenance/CrossFileFacts.h"
#include "matchers/text/BodySkipping.h"
#include "tool/Inputs.h"
#include "tool/Options.h"
#include "tool/Output.h"
#include "tool/PatchGate.h"
#include "tool/Prefilter.h"

#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vmalloc_lint {

/// What a run has before it picks its files, in the order it is set up
/// (each step's usage errors before the next): --kernel-tree, -p, the
/// current directory, --facts-out checked, --facts-in read.
struct RunSetup {
  std::optional<KernelTree> Tree;
  CompileDatabases Dbs;
  std::string Cwd; ///< real path: the views' display root
  std::shared_ptr<const CrossFileFacts> Imported;
};
void prepareRun(const CliOptions &O, RunSetup &S);

/// The units a run analyses and what chose them.
struct RunFiles {
  std::vector<std::string> Files; ///< kept by the prefilter and --shard
  std::string FirstInput;         ///< the first before either ("": none)
  /// The input directories, real paths: every .c and .h below them
  /// (outside hidden directories) is an input (collectInputs).
  std::vector<std::string> WalkedDirs;
  unsigned LinesInFiles = 0; ///< checkpatch's "lines checked"
  bool Prefiltered = false;
  PrefilterPlan Scan;
  std::shared_ptr<BodySkipping> Skipping;
  size_t NotInShard = 0;
};

/// What a gate run (--patch, --git-range, --since) looks at. Filled in
/// place by prepareGate (ByFile points into Changes): not copied.
struct GateRun {
  std::string Root;  ///< absolute; patch paths are relative to it
  std::string Name;  ///< the patch as checkpatch names it
  std::string Where; ///< where the analysed contents come from
  PatchSet Patch;
  GateChanges Changes;
  std::map<std::string, const TouchedFile *> ByFile; ///< absolute path
  std::map<std::string, std::string> Overlay; ///< absolute path -> post-image

  GateRun() = default;
  GateRun(const GateRun &) = delete;
  GateRun &operator=(const GateRun &) = delete;

  /// The .c and .h files the change leaves, absolute.
  std::vector<std::string> sources() const;
  /// The views' side of the change: the patched texts, the patch's name and
  /// hunk lines, where a line is in the patch.
  void describe(OutputContext &Ctx) const;
  /// The change adds or changes a line of F (touchesFinding).
  bool touches(const Finding &F) const;
  /// "vmalloc-lint: gate: ..." and its notes. InBaseline: with --baseline.
  void printSummary(llvm::raw_ostream &OS, size_t FilesAnalysed,
                    size_t Findings, size_t Unchanged,
                    const size_t *InBaseline) const;
};

/// Reads the change of --patch, --git-range or --since and checks it
/// against the tree (usage errors when it cannot be read, parsed or
/// applied).
void prepareGate(const CliOptions &O, GateRun &G,
                 const std::optional<KernelTree> &Tree, const std::string &Cwd);

/// The jobs of Files, run (or, with --print-compile-commands, printed), the
/// findings filtered (the gate's changed lines, --baseline), fixed or
/// viewed, the summaries, --facts-out: the exit status. Gate: the change of
/// a gate run, else null.
int analyseAndReport(const CliOptions &O, RunSetup &S, RunFiles &Files,
                     const GateRun *Gate,
                     std::chrono::steady_clock::time_point Start);

} // namespace vmalloc_lint

#endif
