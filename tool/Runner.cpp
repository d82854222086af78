#include "tool/Runner.h"
#include "rewriters/HeaderMacroFixes.h"
#include "tool/ResultCache.h"
#include "tool/RunnerPools.h"

#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <thread>

namespace vmalloc_lint {

std::mutex &outputLock() {
  static std::mutex M;
  return M;
}

/// Results of a batch into the report, in input order (the output does not
/// depend on which worker finished first).
void mergeBatch(const std::vector<const FileJob *> &Jobs,
                const std::vector<RunOptions::Outcome> &How,
                std::vector<AnalysisResult> &Results, RunReport &Report) {
  for (size_t I = 0; I < Jobs.size(); ++I) {
    switch (How[I]) {
    case RunOptions::Outcome::TimedOut:
      Report.TimedOut.push_back(Jobs[I]->File);
      continue;
    case RunOptions::Outcome::Crashed:
      Report.Crashed.push_back(Jobs[I]->File);
      continue;
    case RunOptions::Outcome::OutOfMemory:
      Report.OutOfMemory.push_back(Jobs[I]->File);
      continue;
    case RunOptions::Outcome::FailedToStart:
      Report.FailedToStart.push_back(Jobs[I]->File);
      continue;
    case RunOptions::Outcome::Errors:
      ++Report.FilesWithErrors;
      break;
    case RunOptions::Outcome::Ok:
      break;
    }
    ++Report.Files;
    Report.Units.emplace_back(Jobs[I]->File,
                              How[I] == RunOptions::Outcome::Errors);
    mergeResults(Report.Result, std::move(Results[I]));
  }
}

namespace {

void runPool(const std::vector<const FileJob *> &Jobs, const RunOptions &Opt,
             RunReport &Report, const SharedFileSet &FilesRead,
             std::vector<RunOptions::Outcome> &How,
             std::vector<AnalysisResult> &Results) {
  if (Opt.Isolate)
    runBatchInProcesses(Jobs, Opt, Report, *FilesRead, How, Results);
  else
    runBatchInThreads(Jobs, Opt, Report, FilesRead, How, Results);
}

/// The units whose cache entries are up to date (looked up on Opt.Threads
/// threads): Hit set, their results and outcomes filled in, the files they
/// read folded into FilesRead at once (a unit reads ~1,500 headers: kept per
/// unit until the batch ends, the paths of a whole tree's hits took 0.5 GB).
void lookUp(const std::vector<const FileJob *> &Jobs, const RunOptions &Opt,
            std::vector<char> &Hit, std::vector<RunOptions::Outcome> &How,
            std::vector<AnalysisResult> &Results,
            std::set<std::string> &FilesRead) {
  std::atomic<size_t> Next{0};
  std::mutex FilesReadLock;
  auto Work = [&] {
    for (size_t I; (I = Next++) < Jobs.size();) {
      bool HadErrors = false;
      AnalysisResult &R = Results[I];
      if (Opt.Cache->lookup(*Jobs[I], Opt.Overlay, R, HadErrors)) {
        Hit[I] = 1;
        How[I] =
            HadErrors ? RunOptions::Outcome::Errors : RunOptions::Outcome::Ok;
        {
          std::lock_guard<std::mutex> G(FilesReadLock);
          FilesRead.insert(R.FilesRead.begin(), R.FilesRead.end());
        }
        std::vector<std::string>().swap(R.FilesRead);
        std::vector<uint64_t>().swap(R.FilesReadHashes);
        std::vector<std::string>().swap(R.FilesAbsent);
      }
    }
  };
  unsigned Threads = std::max(1u, std::min<unsigned>(Opt.Threads, Jobs.size()));
  std::vector<std::thread> Pool;
  for (unsigned T = 1; T < Threads; ++T)
    Pool.emplace_back(Work);
  Work();
  for (std::thread &T : Pool)
    T.join();
}

void runBatch(const std::vector<const FileJob *> &Jobs, const RunOptions &Opt,
              RunReport &Report, const SharedFileSet &FilesRead) {
  size_t N = Jobs.size();
  std::vector<RunOptions::Outcome> How(N, RunOptions::Outcome::Ok);
  std::vector<AnalysisResult> Results(N);
  std::vector<char> Hit(N, 0);
  if (Opt.Cache)
    lookUp(Jobs, Opt, Hit, How, Results, *FilesRead);
  std::vector<const FileJob *> Miss;
  std::vector<size_t> MissAt;
  for (size_t I = 0; I < N; ++I) {
    if (!Hit[I]) {
      Miss.push_back(Jobs[I]);
      MissAt.push_back(I);
      continue;
    }
    ++Report.FromCache;
    if (Opt.OnFileDone)
      Opt.OnFileDone(*Jobs[I], Results[I].Findings.size(), How[I]);
  }
  if (!Miss.empty()) {
    std::vector<RunOptions::Outcome> MissHow;
    std::vector<AnalysisResult> MissResults;
    runPool(Miss, Opt, Report, FilesRead, MissHow, MissResults);
    for (size_t K = 0; K < Miss.size(); ++K) {
      How[MissAt[K]] = MissHow[K];
      Results[MissAt[K]] = std::move(MissResults[K]);
    }
  }
  // In input order, hits and analysed units alike: the output does not
  // depend on which units came from the cache.
  mergeBatch(Jobs, How, Results, Report);
}

bool isHeader(const std::string &F) {
  return F.size() > 2 && F.compare(F.size() - 2, 2, ".h") == 0;
}

} // namespace

namespace {

uint64_t statusKB(llvm::StringRef Field) {
  uint64_t KB = 0;
  if (auto B = llvm::MemoryBuffer::getFileAsStream("/proc/self/status")) {
    llvm::StringRef St = (*B)->getBuffer();
    size_t P = St.find(Field);
    if (P != llvm::StringRef::npos)
      St.substr(P + Field.size()).ltrim().consumeInteger(10, KB);
  }
  return KB;
}

} // namespace

uint64_t peakRssKB() { return statusKB("VmHWM:"); }

uint64_t addressSpaceKB() { return statusKB("VmSize:"); }

RunReport runJobs(const std::vector<FileJob> &Jobs, const RunOptions &Opt) {
  RunReport Report;
  // Shared with the worker threads, which keep it alive when a timeout
  // abandons one of them.
  auto FilesReadByAll = std::make_shared<std::set<std::string>>();
  const std::set<std::string> &FilesRead = *FilesReadByAll;
  std::vector<const FileJob *> Sources, Headers;
  for (const FileJob &J : Jobs)
    (isHeader(J.File) ? Headers : Sources).push_back(&J);
  if (!Sources.empty())
    runBatch(Sources, Opt, Report, FilesReadByAll);
  if (Opt.SiteHeaders) {
    // A site header no parsed unit read: parse a unit that includes it (the
    // next candidate when the first did not read it, e.g. behind #ifdef).
    std::set<const FileJob *> Ran(Sources.begin(), Sources.end());
    for (int Round = 0; Round < 4; ++Round) {
      std::vector<const FileJob *> More;
      for (const SiteHeader &S : *Opt.SiteHeaders) {
        if (FilesRead.count(S.Header))
          continue;
        for (const FileJob *U : S.Units)
          if (!Ran.count(U)) {
            Ran.insert(U);
            More.push_back(U);
            break;
          }
      }
      if (More.empty())
        break;
      Report.ForHeaders += More.size();
      runBatch(More, Opt, Report, FilesReadByAll);
    }
  }
  std::vector<const FileJob *> Alone;
  for (const FileJob *J : Headers) {
    if (FilesRead.count(J->File))
      ++Report.HeadersCovered;
    else
      Alone.push_back(J);
  }
  if (!Alone.empty())
    runBatch(Alone, Opt, Report, FilesReadByAll);
  // A fix in a header macro's body: kept only when every expansion of the
  // macro in the tree is a vmalloc gfp argument the run fixes by it.
  HeaderMacroScope Scope;
  Scope.Root = Opt.TreeRoot;
  Scope.Overlay = Opt.Overlay;
  for (const FileJob &J : Jobs)
    Scope.Analysed.insert(J.File);
  decideHeaderMacroFixes(Report.Result.Findings, Scope);
  sortResults(Report.Result);
  return Report;
}

} // namespace vmalloc_lint
