// The worker process's side of RunOptions::Isolate (vmalloc-lint --worker
// JOBFILE): read the job, analyse it (analyseJob, as a worker thread does),
// write the result for the parent (tool/ProcessPool.cpp).
#include "tool/FileIO.h"
#include "tool/Modes.h"
#include "tool/Runner.h"
#include "tool/RunnerPools.h"
#include "tool/WorkerIO.h"

#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/raw_ostream.h"

#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <new>

namespace vmalloc_lint {

namespace {

[[noreturn]] void outOfMemory() { ::_exit(WorkerOutOfMemory); }

/// A worker analyses its unit on its main thread, whose stack grows on
/// demand up to RLIMIT_STACK (checked when it grows): the soft limit is
/// raised to AnalysisStackBytes, as clang's cc1_main raises it to its
/// 8 MiB, so that a unit parses as deep in a worker as on a worker thread.
/// Only what the parse touches is mapped (and counts for --memory-limit).
/// The kernel placed the mappings below the stack at exec with room for
/// the limit of then plus the range of the stack's randomisation (x86_64:
/// 16 GiB), or 128 MiB without it: room to grow in all but a rare layout,
/// where a parse that deep is the worker's crash, contained as before.
void raiseStackLimit() {
  struct rlimit L;
  if (::getrlimit(RLIMIT_STACK, &L) != 0 || L.rlim_cur == RLIM_INFINITY ||
      L.rlim_cur >= rlim_t(AnalysisStackBytes))
    return;
  L.rlim_cur = rlim_t(AnalysisStackBytes);
  if (L.rlim_max != RLIM_INFINITY && L.rlim_cur > L.rlim_max)
    L.rlim_cur = L.rlim_max;
  ::setrlimit(RLIMIT_STACK, &L);
}

/// The result file for the parent: 0, or WorkerFailed if it cannot be
/// written.
int writeResult(const WorkerJob &W, const WorkerResult &R) {
  std::string Err;
  // The parent knows the temporary's name: it removes it if it kills the
  // worker while it writes.
  StagedFile Out;
  std::error_code EC =
      stageFileAt(W.ResultPath, W.ResultPath + ".tmp", encodeResult(R), Out);
  if (EC || commitStagedFile(Out)) {
    if (EC)
      Err = "cannot write " + W.ResultPath + ".tmp: " + EC.message();
    llvm::errs() << "vmalloc-lint: worker: " << Err << "\n";
    discardStagedFile({W.ResultPath + ".tmp", W.ResultPath});
    return WorkerFailed;
  }
  return 0;
}

} // namespace

int runWorkerProcess(const std::string &JobFile) {
  // An allocation over the limit (RLIMIT_AS): say so by the exit status.
  std::set_new_handler(outOfMemory);
  llvm::install_bad_alloc_error_handler(
      [](void *, const char *, bool) { outOfMemory(); });
  std::string Err;
  std::string Data = readWholeFile(JobFile, Err);
  WorkerJob W;
  if (!Err.empty() || !decodeJob(Data, W, Err)) {
    llvm::errs() << "vmalloc-lint: worker: bad job file " << JobFile << ": "
                 << Err << "\n";
    return WorkerFailed;
  }
  // What this process has mapped already (the executable, libclang-cpp,
  // libLLVM, the job): a limit at or below it would fail every allocation
  // from here on, reading the rule file or writing the result included.
  uint64_t StartVmKB = addressSpaceKB();
  if (W.MemoryLimitMB && StartVmKB &&
      (uint64_t(W.MemoryLimitMB) << 10) <= StartVmKB) {
    WorkerResult R;
    R.StartVmKB = StartVmKB;
    R.LimitBelowStart = true;
    R.PeakRssKB = peakRssKB();
    return writeResult(W, R);
  }
  if (W.MemoryLimitMB) {
    // The whole address space (the shared libraries' mappings included),
    // not only the heap: llvm::sys::ExecuteNoWait's MemoryLimit sets
    // RLIMIT_DATA only.
    struct rlimit L;
    ::getrlimit(RLIMIT_AS, &L);
    L.rlim_cur = rlim_t(W.MemoryLimitMB) << 20;
    if (L.rlim_max != RLIM_INFINITY && L.rlim_cur > L.rlim_max)
      L.rlim_cur = L.rlim_max;
    if (::setrlimit(RLIMIT_AS, &L) != 0) {
      llvm::errs() << "vmalloc-lint: worker: cannot set RLIMIT_AS: "
                   << std::strerror(errno) << "\n";
      return WorkerFailed;
    }
  }
  if (!W.BodiesPath.empty()) {
    auto B = std::make_shared<BodySkipping>();
    std::string Text = readWholeFile(W.BodiesPath, Err);
    if (!Err.empty() || !decodeBodySkipping(Text, *B, Err)) {
      llvm::errs() << "vmalloc-lint: worker: bad rule file " << W.BodiesPath
                   << ": " << Err << "\n";
      return WorkerFailed;
    }
    W.Job.Options.SkipBodies = std::move(B);
  }
  if (!W.FactsPath.empty()) {
    auto F = std::make_shared<CrossFileFacts>();
    std::string Text = readWholeFile(W.FactsPath, Err);
    if (Err.empty())
      Err = readFactsJsonl(Text, "", *F);
    if (!Err.empty()) {
      llvm::errs() << "vmalloc-lint: worker: bad facts file " << W.FactsPath
                   << ": " << Err << "\n";
      return WorkerFailed;
    }
    F->numberOrigins();
    W.Job.Options.Imported = std::move(F);
  }
  raiseStackLimit();
  llvm::CrashRecoveryContext::Enable();
  WorkerResult R;
  R.Crashed = !analyseJob(W.Job, W.ShowCompilerErrors,
                          W.Overlay.empty() ? nullptr : &W.Overlay, R.Result,
                          R.HadErrors);
  if (R.Crashed)
    R.Result = AnalysisResult();
  R.PeakRssKB = peakRssKB();
  R.StartVmKB = StartVmKB;
  return writeResult(W, R);
}

int runWorkerMode(const CliOptions &O) { return runWorkerProcess(O.WorkerJob); }

} // namespace vmalloc_lint
