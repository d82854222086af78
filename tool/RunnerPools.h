// Inside the runner (tool/Runner.cpp): the two ways it runs a batch of
// units, and what they share. Not for the modes: they call runJobs.
#ifndef VMALLOC_LINT_RUNNER_POOLS_H
#define VMALLOC_LINT_RUNNER_POOLS_H

#include "tool/Runner.h"

#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace vmalloc_lint {

/// The stack a unit is analysed on: each worker thread's (tool/ThreadPool.cpp)
/// and a worker process's main thread (RLIMIT_STACK, tool/WorkerMode.cpp).
/// Clang recurses once an operand in some semantic checks of a left-nested
/// expression (Sema::CheckCompletedExpr -> Expr::isKnownToHaveBooleanValue
/// on an OR chain: about 120 bytes an operand), so the 8 MiB a thread gets
/// by default (glibc: RLIMIT_STACK; 2 MiB if unlimited) overflows at about
/// 68,000 operands, and a stack overflow is a crash no CrashRecoveryContext
/// contains: the whole run was lost. clang's own cc1 asks for 8 MiB
/// (clang::DesiredStackSize); 64 MiB holds about 500,000 operands. Address
/// space reserved per thread, touched only as deep as a parse goes.
/// clang::noteBottomOfStack() is not called on these stacks, on purpose:
/// clang's isStackNearlyExhausted() measures against its own 8 MiB
/// (clang::DesiredStackSize), so with the bottom noted, Sema would warn
/// "stack nearly exhausted" and move its guarded recursions (template
/// instantiation and the like, rare in C) to new 8 MiB threads at 7.75 MiB
/// deep, an eighth of the way down ours. With the bottom unknown clang
/// never does: the 64 MiB is the bound, for clang's recursion and ours.
constexpr unsigned AnalysisStackBytes = 64u << 20;

/// The files the units of a run read, filled in batch by batch. Shared
/// with the worker threads: one a timeout abandons (still in its parse)
/// holds it until it returns.
using SharedFileSet = std::shared_ptr<std::set<std::string>>;

/// One batch of jobs on Opt.Threads worker threads (tool/ThreadPool.cpp):
/// per job, how it ended and its result (How, Results: one per job). The
/// files the units read go to FilesRead; each result analysed goes to
/// Opt.Cache.
void runBatchInThreads(const std::vector<const FileJob *> &Jobs,
                       const RunOptions &Opt, RunReport &Report,
                       const SharedFileSet &FilesRead,
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
