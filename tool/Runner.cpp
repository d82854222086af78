#include "tool/Runner.h"

#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

using namespace clang;

namespace vmalloc_lint {

namespace {

std::mutex OutputLock;

/// Counts errors; prints them only when asked (--compiler-errors).
class CountingConsumer : public DiagnosticConsumer {
public:
  explicit CountingConsumer(bool Print) {
    if (Print)
      Printer = std::make_unique<TextDiagnosticPrinter>(
          llvm::errs(), new DiagnosticOptions());
  }
  void BeginSourceFile(const LangOptions &LO, const Preprocessor *PP) override {
    if (Printer)
      Printer->BeginSourceFile(LO, PP);
  }
  void EndSourceFile() override {
    if (Printer)
      Printer->EndSourceFile();
  }
  void HandleDiagnostic(DiagnosticsEngine::Level Level,
                        const Diagnostic &Info) override {
    DiagnosticConsumer::HandleDiagnostic(Level, Info);
    if (Printer && Level >= DiagnosticsEngine::Error) {
      std::lock_guard<std::mutex> G(OutputLock);
      Printer->HandleDiagnostic(Level, Info);
    }
  }

private:
  std::unique_ptr<TextDiagnosticPrinter> Printer;
};

} // namespace

namespace {

/// One batch of jobs on Threads workers; results merged in input order so
/// the output is deterministic.
/// The real file system, or the overlay's files over it (one per job: the
/// in-memory file system is not shared between threads).
llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem>
fileSystem(const std::map<std::string, std::string> *Overlay) {
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> Real =
      llvm::vfs::getRealFileSystem();
  if (!Overlay || Overlay->empty())
    return Real;
  auto Mem = llvm::makeIntrusiveRefCnt<llvm::vfs::InMemoryFileSystem>();
  for (const auto &[Path, Text] : *Overlay)
    Mem->addFile(Path, 0, llvm::MemoryBuffer::getMemBufferCopy(Text, Path));
  auto Over = llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(Real);
  Over->pushOverlay(Mem);
  return Over;
}

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

void runBatch(const std::vector<const FileJob *> &Jobs, const RunOptions &Opt,
              RunReport &Report, std::set<std::string> &FilesRead) {
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
  auto Worker = [St, Jobs, Show, Overlay, OnDone, &FilesRead] {
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
      llvm::CrashRecoveryContext CRC;
      bool Ok = CRC.RunSafely([&] {
        llvm::IntrusiveRefCntPtr<FileManager> Files(
            new FileManager(FileSystemOptions(), fileSystem(Overlay)));
        CountingConsumer Diags(Show);
        tooling::ToolInvocation Inv(
            J.Command, makeAnalysisAction(J.Options, Result), Files.get());
        Inv.setDiagnosticConsumer(&Diags);
        Inv.run();
        HadErrors = Diags.getNumErrors() > 0;
      });
      std::lock_guard<std::mutex> G(St->M);
      if (St->TimedOut[I])
        return; // abandoned by the watchdog: a new worker took our place
      St->Started[I].reset();
      // Fold the files read into the shared set now: a kernel file reads
      // ~1,500 headers, too many to keep per job until the batch ends.
      FilesRead.insert(Result.FilesRead.begin(), Result.FilesRead.end());
      std::vector<std::string>().swap(Result.FilesRead);
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
  std::vector<std::thread> Pool;
  for (unsigned T = 0; T < Threads; ++T)
    Pool.emplace_back(Worker);
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
        Pool.emplace_back(Worker);
      }
    }
  }
  // Every worker not stuck in an abandoned parse has returned or is about
  // to; the stuck ones are detached (they only touch the shared state).
  for (std::thread &T : Pool)
    if (Report.Abandoned)
      T.detach();
    else
      T.join();
  for (size_t I = 0; I < N; ++I) {
    ++Report.Files;
    if (St->TimedOut[I]) {
      Report.TimedOut.push_back(Jobs[I]->File);
      continue;
    }
    if (St->Crashed[I]) {
      Report.Crashed.push_back(Jobs[I]->File);
      continue;
    }
    if (St->HadErrors[I])
      ++Report.FilesWithErrors;
    mergeResults(Report.Result, std::move(St->Results[I]));
  }
}

bool isHeader(const std::string &F) {
  return F.size() > 2 && F.compare(F.size() - 2, 2, ".h") == 0;
}

} // namespace

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
