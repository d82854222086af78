// RunOptions without Isolate: a batch on worker threads, each analysing one
// unit at a time (analyseJob) on a stack of AnalysisStackBytes; a watchdog
// abandons a parse over the timeout.
#include "tool/ResultCache.h"
#include "tool/Runner.h"
#include "tool/RunnerPools.h"

#include "llvm/Support/thread.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>

namespace vmalloc_lint {

namespace {

/// What a batch's workers share. Owned jointly by the batch and its
/// threads: a thread abandoned after a timeout may outlive the batch.
struct BatchState {
  std::mutex M;
  std::condition_variable Wake;
  size_t Next = 0, Done = 0;
  std::vector<AnalysisResult> Results;
  std::vector<char> HadErrors, Crashed, TimedOut;
  /// Per job: when its parse started (worker running it), or unset.
  std::vector<std::optional<std::chrono::steady_clock::time_point>> Started;
};

} // namespace

void runBatchInThreads(const std::vector<const FileJob *> &Jobs,
                       const RunOptions &Opt, RunReport &Report,
                       const SharedFileSet &FilesRead,
                       std::vector<RunOptions::Outcome> &How,
                       std::vector<AnalysisResult> &Results) {
  auto St = std::make_shared<BatchState>();
  size_t N = Jobs.size();
  St->Results.resize(N);
  St->HadErrors.assign(N, 0);
  St->Crashed.assign(N, 0);
  St->TimedOut.assign(N, 0);
  St->Started.resize(N);
  bool Show = Opt.ShowCompilerErrors;
  const auto *Overlay = Opt.Overlay;
  const auto *OnDone = Opt.OnFileDone ? &Opt.OnFileDone : nullptr;
  ResultCache *Cache = Opt.Cache;
  auto Worker = [St, Jobs, Show, Overlay, OnDone, Cache, FilesRead] {
    while (true) {
      size_t I;
      {
        std::lock_guard<std::mutex> G(St->M);
        if (St->Next >= Jobs.size())
          return;
        I = St->Next++;
        St->Started[I] = std::chrono::steady_clock::now();
      }
      const FileJob &J = *Jobs[I];
      AnalysisResult Result;
      bool HadErrors = false;
      bool Ok = analyseJob(J, Show, Overlay, Result, HadErrors);
      if (Ok && Cache)
        Cache->store(J, Result, HadErrors);
      std::lock_guard<std::mutex> G(St->M);
      if (St->TimedOut[I])
        return; // abandoned by the watchdog: a new worker took our place
      St->Started[I].reset();
      // Fold the files read into the shared set now: a kernel file reads
      // ~1,500 headers, too many to keep per job until the batch ends.
      FilesRead->insert(Result.FilesRead.begin(), Result.FilesRead.end());
      std::vector<std::string>().swap(Result.FilesRead);
      std::vector<uint64_t>().swap(Result.FilesReadHashes);
      std::vector<std::string>().swap(Result.FilesAbsent);
      St->Crashed[I] = !Ok;
      St->HadErrors[I] = HadErrors;
      if (OnDone)
        (*OnDone)(J, Ok ? Result.Findings.size() : 0,
                  !Ok         ? RunOptions::Outcome::Crashed
                  : HadErrors ? RunOptions::Outcome::Errors
                              : RunOptions::Outcome::Ok);
      St->Results[I] = std::move(Result);
      ++St->Done;
      St->Wake.notify_all();
    }
  };
  unsigned Threads = std::max(1u, std::min<unsigned>(Opt.Threads, N));
  // llvm::thread, not std::thread: the stack's size is ours to choose.
  const std::optional<unsigned> Stack = AnalysisStackBytes;
  std::vector<llvm::thread> Pool;
  for (unsigned T = 0; T < Threads; ++T)
    Pool.emplace_back(Stack, Worker);
  {
    std::unique_lock<std::mutex> L(St->M);
    while (St->Done < N) {
      if (!Opt.TimeoutSeconds) {
        St->Wake.wait(L);
        continue;
      }
      St->Wake.wait_for(L, std::chrono::milliseconds(200));
      auto Now = std::chrono::steady_clock::now();
      for (size_t I = 0; I < N; ++I) {
        if (!St->Started[I] ||
            Now - *St->Started[I] < std::chrono::seconds(Opt.TimeoutSeconds))
          continue;
        // The parse cannot be interrupted: abandon it, and let a new
        // worker go on with the queue.
        St->Started[I].reset();
        St->TimedOut[I] = 1;
        ++St->Done;
        Report.Abandoned = true;
        if (OnDone)
          (*OnDone)(*Jobs[I], 0, RunOptions::Outcome::TimedOut);
        Pool.emplace_back(Stack, Worker);
      }
    }
  }
  // Every worker not stuck in an abandoned parse has returned or is about
  // to; the stuck ones are detached (they only touch the shared state).
  for (llvm::thread &T : Pool)
    if (Report.Abandoned)
      T.detach();
    else
      T.join();
  How.assign(N, RunOptions::Outcome::Ok);
  Results.assign(N, AnalysisResult());
  std::lock_guard<std::mutex> G(St->M);
  for (size_t I = 0; I < N; ++I) {
    How[I] = St->TimedOut[I]    ? RunOptions::Outcome::TimedOut
             : St->Crashed[I]   ? RunOptions::Outcome::Crashed
             : St->HadErrors[I] ? RunOptions::Outcome::Errors
                                : RunOptions::Outcome::Ok;
    if (!St->TimedOut[I])
      Results[I] = std::move(St->Results[I]);
  }
}

} // namespace vmalloc_lint
