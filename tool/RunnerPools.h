// Inside the runner (tool/Runner.cpp): the two ways it runs a batch of
// units, and what they share. Not for the modes: they call runJobs.
#ifndef VMALLOC_LINT_RUNNER_POOLS_H
#define VMALLOC_LINT_RUNNER_POOLS_H

#include "tool/Runner.h"

#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace vmalloc_lint {

/// One batch of jobs on Opt.Threads worker threads (tool/ThreadPool.cpp):
/// per job, how it ended and its result (How, Results: one per job). The
/// files the units read go to FilesRead; each result analysed goes to
/// Opt.Cache.
void runBatchInThreads(const std::vector<const FileJob *> &Jobs,
                       const RunOptions &Opt, RunReport &Report,
                       std::set<std::string> &FilesRead,
                       std::vector<RunOptions::Outcome> &How,
                       std::vector<AnalysisResult> &Results);

/// RunOptions::Isolate: one child process per unit, at most Opt.Threads at
/// a time, polled from this thread (tool/ProcessPool.cpp).
void runBatchInProcesses(const std::vector<const FileJob *> &Jobs,
                         const RunOptions &Opt, RunReport &Report,
                         std::set<std::string> &FilesRead,
                         std::vector<RunOptions::Outcome> &How,
                         std::vector<AnalysisResult> &Results);

/// Results of a batch into the report, in input order (the output does not
/// depend on which worker finished first).
void mergeBatch(const std::vector<const FileJob *> &Jobs,
                const std::vector<RunOptions::Outcome> &How,
                std::vector<AnalysisResult> &Results, RunReport &Report);

/// Serialises what the workers print on stderr (compiler errors).
std::mutex &outputLock();

} // namespace vmalloc_lint

#endif
