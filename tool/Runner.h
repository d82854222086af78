// Runs the analysis core over many files: one clang invocation per file, N
// worker threads (tool/ThreadPool.cpp) or worker processes
// (tool/ProcessPool.cpp), results merged and de-duplicated (a header site is
// one site however many translation units include it).
#ifndef VMALLOC_LINT_RUNNER_H
#define VMALLOC_LINT_RUNNER_H

#include "matchers/Finding.h"
#include "tool/FileJob.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace vmalloc_lint {

class ResultCache;

/// A header the prefilter found call-site text in, and the units that
/// include it (nearest first): when no parsed unit read the header, the
/// first of them not parsed yet is parsed for it.
struct SiteHeader {
  std::string Header;
  std::vector<const FileJob *> Units;
};

struct RunOptions {
  unsigned Threads = 1;
  bool ShowCompilerErrors = false;
  /// Absolute paths to the text the compiler reads instead of the disk's
  /// (a patch's post-image; files that do not exist on disk yet included).
  const std::map<std::string, std::string> *Overlay = nullptr;
  /// Headers with call-site text whose including units were not selected
  /// (the prefilter's header rule).
  const std::vector<SiteHeader> *SiteHeaders = nullptr;
  /// A file that takes longer is reported as timed out, its results are
  /// dropped and a new worker takes its place (0: no limit). A worker
  /// process is killed; a worker thread cannot be stopped: it finishes in
  /// the background and the caller must end the process with std::_Exit
  /// when RunReport::Abandoned is set.
  unsigned TimeoutSeconds = 0;
  /// Analyse each translation unit in a child process (WorkerExecutable
  /// --worker JOBFILE) instead of a thread: a crash, a stuck parse (killed
  /// at the timeout) or an allocation over MemoryLimitMB ends that process
  /// only.
  bool Isolate = false;
  /// Address-space limit of a worker process in MiB (RLIMIT_AS; 0: none).
  unsigned MemoryLimitMB = 0;
  /// This program (llvm::sys::fs::getMainExecutable), for Isolate.
  std::string WorkerExecutable;
  /// The results cache (tool/ResultCache.h), or null: a unit whose entry
  /// is up to date is not analysed; every unit analysed is stored.
  ResultCache *Cache = nullptr;
  /// Called (serialised) when a file is done: the file, its findings, and
  /// how it ended.
  /// FailedToStart: a worker process that could not start or load its job
  /// (exec failed, --memory-limit below what it has mapped at start-up,
  /// its job files unreadable): the file was not analysed.
  enum class Outcome {
    Ok,
    Errors,
    Crashed,
    TimedOut,
    OutOfMemory,
    FailedToStart
  };
  std::function<void(const FileJob &, size_t Findings, Outcome)> OnFileDone;
  /// The kernel tree whose files are searched for the other expansions of
  /// a header macro whose body a fix edits (rewriters/HeaderMacroFixes.h):
  /// --kernel-tree's root, else the jobs' tree. Empty: no such fix.
  std::string TreeRoot;
};

struct RunReport {
  AnalysisResult Result;
  unsigned Files = 0;           ///< translation units analysed (not those
                                ///< below, which were not)
  unsigned FromCache = 0;       ///< of them, results reused from the cache
  unsigned ForHeaders = 0;      ///< of them, parsed for a site header
  unsigned HeadersCovered = 0;  ///< headers not parsed alone: included by
                                ///< an analysed file
  unsigned FilesWithErrors = 0; ///< analysed from a partial AST
  /// The units analysed (Files of them), in input order, and whether each
  /// did not fully compile: the summary splits them by build state.
  std::vector<std::pair<std::string, bool>> Units;
  std::vector<std::string> Crashed;
  std::vector<std::string> TimedOut;
  std::vector<std::string> OutOfMemory;   ///< a worker over MemoryLimitMB
  std::vector<std::string> FailedToStart; ///< Outcome::FailedToStart
  /// Why a worker process failed, for the files in Crashed that have a
  /// reason beyond "crashed" (killed by a signal, unreadable result...)
  /// and for every file in FailedToStart.
  std::map<std::string, std::string> WorkerErrors;
  bool Abandoned = false; ///< a timed-out parse still runs in a thread
  /// Isolate: worker processes run, the largest peak resident set (KiB)
  /// of those that sent a result, and their CPU time (user + system).
  unsigned WorkerProcesses = 0;
  uint64_t WorkerPeakRssKB = 0;
  /// The largest address space (VmSize, KiB) a worker had mapped when it
  /// read its job: what --memory-limit must exceed for a worker to start.
  uint64_t WorkerStartVmKB = 0;
  double WorkerCpuSeconds = 0;
};

/// Runs the .c jobs, then the header jobs that no analysed file included
/// (a header-only wrapper is still analysed; one that .c files include is
/// not parsed twice). With SiteHeaders, between the two: units parsed for
/// site headers no parsed unit read.
RunReport runJobs(const std::vector<FileJob> &Jobs, const RunOptions &Opt);

/// Analyses one unit in this thread, crashes contained: false when the
/// analysis crashed. HadErrors: the unit did not fully compile. The one
/// place a unit is analysed (tool/AnalyseJob.cpp): the worker threads and
/// the worker processes (runWorkerProcess) both call it.
bool analyseJob(const FileJob &J, bool ShowCompilerErrors,
                const std::map<std::string, std::string> *Overlay,
                AnalysisResult &Out, bool &HadErrors);

/// This process's peak resident set in KiB (VmHWM of /proc/self/status; 0
/// if unknown).
uint64_t peakRssKB();
/// This process's address space in KiB (VmSize; 0 if unknown): what
/// RLIMIT_AS counts.
uint64_t addressSpaceKB();

} // namespace vmalloc_lint

#endif
