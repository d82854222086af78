#include "tool/Runner.h"
#include "tool/RunnerPools.h"

#include "llvm/Support/MemoryBuffer.h"

#include <mutex>
#include <set>

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
    mergeResults(Report.Result, std::move(Results[I]));
  }
}

namespace {

void runBatch(const std::vector<const FileJob *> &Jobs, const RunOptions &Opt,
              RunReport &Report, std::set<std::string> &FilesRead) {
  if (Opt.Isolate)
    runBatchInProcesses(Jobs, Opt, Report, FilesRead);
  else
    runBatchInThreads(Jobs, Opt, Report, FilesRead);
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
  // Shared with worker threads that a timeout abandons: never freed.
  auto &FilesRead = *new std::set<std::string>();
  std::vector<const FileJob *> Sources, Headers;
  for (const FileJob &J : Jobs)
    (isHeader(J.File) ? Headers : Sources).push_back(&J);
  if (!Sources.empty())
    runBatch(Sources, Opt, Report, FilesRead);
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
      runBatch(More, Opt, Report, FilesRead);
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
    runBatch(Alone, Opt, Report, FilesRead);
  sortResults(Report.Result);
  return Report;
}

} // namespace vmalloc_lint
