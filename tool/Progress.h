// Progress on stderr while files are analysed, and the summary table at the
// end of a run.
#ifndef VMALLOC_LINT_PROGRESS_H
#define VMALLOC_LINT_PROGRESS_H

#include "tool/Runner.h"

#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <map>
#include <string>

namespace vmalloc_lint {

/// Bar: one line redrawn in place (a terminal): files done/total, findings
/// so far, ETA. Lines: one plain line per file (not a terminal).
class Progress {
public:
  enum class Style { None, Bar, Lines };
  Progress(llvm::raw_ostream &OS, Style S, size_t Total);
  /// Callers serialise (RunOptions::OnFileDone is).
  void fileDone(const std::string &File, size_t Findings,
                RunOptions::Outcome O);
  /// Clears the bar.
  void finish();
  /// Runs may parse units they did not plan (for site headers).
  void addTotal(size_t N) { Total += N; }

private:
  void draw();
  llvm::raw_ostream &OS;
  Style S;
  size_t Total, Done = 0, Findings = 0;
  std::chrono::steady_clock::time_point Start, LastDraw;
  bool Drawn = false;
};

struct SummaryCounts {
  unsigned Analysed = 0, ForHeaders = 0, HeadersCovered = 0;
  unsigned SkippedByPrefilter = 0, NotInShard = 0;
  unsigned WithErrors = 0, Crashed = 0, TimedOut = 0, OutOfMemory = 0;
  unsigned FailedToStart = 0; ///< workers that could not start or load
  /// Worker processes (--isolate): how many, their CPU time, the largest
  /// peak resident set.
  unsigned WorkerProcesses = 0;
  double WorkerCpuSeconds = 0;
  uint64_t WorkerPeakRssKB = 0;
  uint64_t WorkerStartVmKB = 0; ///< a worker's address space at start-up
  uint64_t ParentPeakRssKB = 0; ///< this process (shown with the workers')
  /// With a kernel tree: the units by what the configuration builds of
  /// them, and the ones that did not fully compile by cause
  /// (OutputContext::UnitBuildCounts). Empty: no tree.
  std::map<std::string, unsigned> UnitsByBuild;
  std::map<std::string, unsigned> ErrorsByCause;
  std::map<std::string, unsigned> FindingsByCheck;
  unsigned Findings = 0;
  unsigned Suppressed = 0; ///< findings a NOLINT comment suppressed
  unsigned long BodiesParsed = 0, BodiesSkipped = 0; ///< 0, 0: not skipping
  unsigned long BodiesJumped = 0; ///< of BodiesSkipped, not preprocessed
  double WallSeconds = 0;
};
void printSummaryTable(llvm::raw_ostream &OS, const SummaryCounts &C);

} // namespace vmalloc_lint

#endif
