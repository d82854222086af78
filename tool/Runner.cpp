#include "tool/Runner.h"
#include "tool/FileIO.h"
#include "tool/WorkerIO.h"

#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <new>
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

/// Results of a batch into the report, in input order (the output does not
/// depend on which worker finished first).
void mergeBatch(const std::vector<const FileJob *> &Jobs,
                const std::vector<RunOptions::Outcome> &How,
                std::vector<AnalysisResult> &Results, RunReport &Report) {
  for (size_t I = 0; I < Jobs.size(); ++I) {
    ++Report.Files;
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
    case RunOptions::Outcome::Errors:
      ++Report.FilesWithErrors;
      break;
    case RunOptions::Outcome::Ok:
      break;
    }
    mergeResults(Report.Result, std::move(Results[I]));
  }
}

void runBatchInThreads(const std::vector<const FileJob *> &Jobs,
                       const RunOptions &Opt, RunReport &Report,
                       std::set<std::string> &FilesRead) {
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
      bool Ok = analyseJob(J, Show, Overlay, Result, HadErrors);
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
  std::vector<RunOptions::Outcome> How(N);
  for (size_t I = 0; I < N; ++I)
    How[I] = St->TimedOut[I]    ? RunOptions::Outcome::TimedOut
             : St->Crashed[I]   ? RunOptions::Outcome::Crashed
             : St->HadErrors[I] ? RunOptions::Outcome::Errors
                                : RunOptions::Outcome::Ok;
  mergeBatch(Jobs, How, St->Results, Report);
}

/// The files of one worker slot in the private directory: the slot's job,
/// its result (written as .tmp, then renamed) and its stderr.
struct SlotFiles {
  std::string Job, Result, ResultTmp, Stderr;
};

/// What a signal handler needs to clean up while worker processes run:
/// fixed before the handlers are installed, only the pids change (atomics).
struct PoolCleanup {
  std::string Dir;
  std::string Bodies; ///< the run's function-body rule, if any
  std::string Facts;  ///< the run's imported facts, if any
  std::vector<SlotFiles> Slots;
  std::unique_ptr<std::atomic<pid_t>[]> Pids;
};
std::atomic<PoolCleanup *> ActivePool{nullptr};

/// Kills the live workers and removes the private directory. Async-signal
/// safe (kill, waitpid, unlink, rmdir).
void cleanupPool(PoolCleanup &P) {
  for (size_t I = 0; I < P.Slots.size(); ++I)
    if (pid_t Pid = P.Pids[I].exchange(0)) {
      ::kill(Pid, SIGKILL);
      ::waitpid(Pid, nullptr, 0);
    }
  for (const SlotFiles &F : P.Slots)
    for (const std::string *Path : {&F.Job, &F.Result, &F.ResultTmp, &F.Stderr})
      ::unlink(Path->c_str());
  if (!P.Bodies.empty())
    ::unlink(P.Bodies.c_str());
  if (!P.Facts.empty())
    ::unlink(P.Facts.c_str());
  ::rmdir(P.Dir.c_str());
}

struct sigaction OldActions[3];
constexpr int InterruptSignals[3] = {SIGINT, SIGTERM, SIGHUP};

void onInterrupt(int Sig) {
  if (PoolCleanup *P = ActivePool.exchange(nullptr))
    cleanupPool(*P);
  for (int I = 0; I < 3; ++I)
    if (InterruptSignals[I] == Sig)
      ::sigaction(Sig, &OldActions[I], nullptr);
  ::raise(Sig); // the previous handler (LLVM's: removes its files) or death
}

/// A crash of this process (LLVM's handler runs the callbacks).
void onCrash(void *) {
  if (PoolCleanup *P = ActivePool.exchange(nullptr))
    cleanupPool(*P);
}

/// RunOptions::Isolate: one child process per unit, at most Opt.Threads at
/// a time, polled from this thread.
void runBatchInProcesses(const std::vector<const FileJob *> &Jobs,
                         const RunOptions &Opt, RunReport &Report,
                         std::set<std::string> &FilesRead) {
  size_t N = Jobs.size();
  std::vector<RunOptions::Outcome> How(N, RunOptions::Outcome::Crashed);
  std::vector<AnalysisResult> Results(N);
  unsigned Slots = std::max(1u, std::min<unsigned>(Opt.Threads, N));
  auto Done = [&](size_t I, RunOptions::Outcome O, std::string Why) {
    How[I] = O;
    if (!Why.empty())
      Report.WorkerErrors[Jobs[I]->File] = std::move(Why);
    // As the threads do: fold the files read in now.
    FilesRead.insert(Results[I].FilesRead.begin(), Results[I].FilesRead.end());
    std::vector<std::string>().swap(Results[I].FilesRead);
    if (Opt.OnFileDone)
      Opt.OnFileDone(*Jobs[I],
                     O == RunOptions::Outcome::Ok ||
                             O == RunOptions::Outcome::Errors
                         ? Results[I].Findings.size()
                         : 0,
                     O);
  };

  // A private directory for the job and result files, removed on every
  // path: here at the end, by the handlers on a signal or a crash.
  PoolCleanup Clean;
  {
    llvm::SmallString<256> Tmp;
    llvm::sys::path::system_temp_directory(/*ErasedOnReboot=*/true, Tmp);
    llvm::sys::path::append(Tmp, "vmalloc-lint-workers");
    llvm::SmallString<256> Dir;
    if (std::error_code EC = llvm::sys::fs::createUniqueDirectory(Tmp, Dir)) {
      for (size_t I = 0; I < N; ++I)
        Done(I, RunOptions::Outcome::Crashed,
             "cannot create a directory for the workers in " +
                 llvm::sys::path::parent_path(Tmp).str() + ": " + EC.message());
      mergeBatch(Jobs, How, Results, Report);
      return;
    }
    Clean.Dir = std::string(Dir);
  }
  for (unsigned S = 0; S < Slots; ++S) {
    std::string Base = Clean.Dir + "/" + std::to_string(S);
    Clean.Slots.push_back(
        {Base + ".job", Base + ".result", Base + ".result.tmp", Base + ".err"});
  }
  // The function-body rule the jobs share (one per run), written once.
  const BodySkipping *Bodies = nullptr;
  for (const FileJob *J : Jobs)
    if (J->Options.SkipBodies) {
      Bodies = J->Options.SkipBodies.get();
      break;
    }
  if (Bodies) {
    std::string Path = Clean.Dir + "/bodies", Err;
    Clean.Bodies = Path;
    if (!writeFile(Path, encodeBodySkipping(*Bodies), Err))
      Bodies = nullptr; // the workers parse every body: slower, same results
  }
  // The imported facts the jobs share, written once.
  const CrossFileFacts *Imported = nullptr;
  for (const FileJob *J : Jobs)
    if (J->Options.Imported) {
      Imported = J->Options.Imported.get();
      break;
    }
  if (Imported) {
    std::string Path = Clean.Dir + "/facts", Err;
    Clean.Facts = Path;
    if (!writeFile(Path, writeFactsJsonl(*Imported, ""), Err)) {
      for (size_t I = 0; I < N; ++I)
        Done(I, RunOptions::Outcome::Crashed,
             "cannot write the imported facts for the workers: " + Err);
      for (const std::string &F : {Clean.Bodies, Clean.Facts})
        if (!F.empty())
          ::unlink(F.c_str());
      ::rmdir(Clean.Dir.c_str());
      mergeBatch(Jobs, How, Results, Report);
      return;
    }
  }
  Clean.Pids.reset(new std::atomic<pid_t>[Slots]);
  for (unsigned S = 0; S < Slots; ++S)
    Clean.Pids[S] = 0;
  static bool CrashCallback = [] {
    llvm::sys::AddSignalHandler(onCrash, nullptr);
    return true;
  }();
  (void)CrashCallback;
  ActivePool = &Clean;
  struct sigaction Act = {};
  Act.sa_handler = onInterrupt;
  sigemptyset(&Act.sa_mask);
  for (int I = 0; I < 3; ++I)
    ::sigaction(InterruptSignals[I], &Act, &OldActions[I]);

  struct Running {
    size_t Job;
    pid_t Pid = 0;
    std::chrono::steady_clock::time_point Start;
  };
  std::vector<std::optional<Running>> Live(Slots);
  size_t Next = 0, Finished = 0;
  std::string Exe = Opt.WorkerExecutable;

  auto Start = [&](unsigned S, size_t I) {
    const SlotFiles &F = Clean.Slots[S];
    WorkerJob W;
    W.Job = *Jobs[I];
    W.ShowCompilerErrors = Opt.ShowCompilerErrors;
    if (Opt.Overlay)
      W.Overlay = *Opt.Overlay;
    W.MemoryLimitMB = Opt.MemoryLimitMB;
    if (Bodies && W.Job.Options.SkipBodies.get() == Bodies)
      W.BodiesPath = Clean.Bodies;
    if (W.Job.Options.Imported) {
      if (W.Job.Options.Imported.get() != Imported) {
        Done(I, RunOptions::Outcome::Crashed,
             "one run's jobs import different facts");
        ++Finished;
        return;
      }
      W.FactsPath = Clean.Facts;
    }
    W.ResultPath = F.Result;
    std::string Err;
    if (!writeFile(F.Job, encodeJob(W), Err)) {
      Done(I, RunOptions::Outcome::Crashed, Err);
      ++Finished;
      return;
    }
    llvm::StringRef Args[] = {Exe, "--worker", F.Job};
    std::optional<llvm::StringRef> Redirects[] = {
        llvm::StringRef(), llvm::StringRef(),
        Opt.ShowCompilerErrors ? llvm::StringRef(F.Stderr) : llvm::StringRef()};
    bool Failed = false;
    llvm::sys::ProcessInfo PI =
        llvm::sys::ExecuteNoWait(Exe, Args, std::nullopt, Redirects,
                                 /*MemoryLimit=*/0, &Err, &Failed);
    if (Failed || PI.Pid <= 0) {
      ::unlink(F.Job.c_str());
      Done(I, RunOptions::Outcome::Crashed,
           "cannot start a worker process: " + Err);
      ++Finished;
      return;
    }
    Clean.Pids[S] = PI.Pid;
    Live[S] = Running{I, PI.Pid, std::chrono::steady_clock::now()};
    ++Report.WorkerProcesses;
  };

  // A worker that ended: its status, its result file.
  auto Reap = [&](unsigned S, int Status, const struct rusage &RU,
                  bool TimedOut) {
    const SlotFiles &F = Clean.Slots[S];
    size_t I = Live[S]->Job;
    Live[S].reset();
    Clean.Pids[S] = 0;
    ++Finished;
    Report.WorkerCpuSeconds +=
        RU.ru_utime.tv_sec + RU.ru_stime.tv_sec +
        (RU.ru_utime.tv_usec + RU.ru_stime.tv_usec) / 1e6;
    if (Opt.ShowCompilerErrors) {
      std::string Err;
      std::string Text = readWholeFile(F.Stderr, Err);
      std::lock_guard<std::mutex> G(OutputLock);
      llvm::errs() << Text;
    }
    std::string Why;
    RunOptions::Outcome O = RunOptions::Outcome::Crashed;
    if (TimedOut) {
      O = RunOptions::Outcome::TimedOut;
    } else if (WIFEXITED(Status) && WEXITSTATUS(Status) == 0) {
      std::string Err;
      std::string Data = readWholeFile(F.Result, Err);
      WorkerResult WR;
      if (Err.empty() && !decodeResult(Data, WR, Err))
        Err = "unreadable result file: " + Err;
      if (!Err.empty()) {
        Why = "the worker's " + Err;
      } else {
        Report.WorkerPeakRssKB = std::max(Report.WorkerPeakRssKB, WR.PeakRssKB);
        if (!WR.Crashed) {
          Results[I] = std::move(WR.Result);
          O = WR.HadErrors ? RunOptions::Outcome::Errors
                           : RunOptions::Outcome::Ok;
        }
      }
    } else if (WIFEXITED(Status) && WEXITSTATUS(Status) == WorkerOutOfMemory) {
      O = RunOptions::Outcome::OutOfMemory;
    } else if (WIFEXITED(Status)) {
      Why = "the worker process exited with status " +
            std::to_string(WEXITSTATUS(Status));
    } else if (WIFSIGNALED(Status)) {
      Why = "the worker process was killed by signal " +
            std::to_string(WTERMSIG(Status)) + " (" +
            ::strsignal(WTERMSIG(Status)) + ")";
    }
    for (const std::string *Path : {&F.Job, &F.Result, &F.ResultTmp, &F.Stderr})
      ::unlink(Path->c_str());
    Done(I, O, std::move(Why));
  };

  while (Finished < N) {
    for (unsigned S = 0; S < Slots && Next < N; ++S)
      if (!Live[S])
        Start(S, Next++);
    bool Any = false;
    auto Now = std::chrono::steady_clock::now();
    for (unsigned S = 0; S < Slots; ++S) {
      if (!Live[S])
        continue;
      int Status = 0;
      struct rusage RU = {};
      pid_t R = ::wait4(Live[S]->Pid, &Status, WNOHANG, &RU);
      if (R == Live[S]->Pid) {
        Reap(S, Status, RU, false);
        Any = true;
      } else if (R < 0 && errno != EINTR) {
        // Not our child any more (cannot happen unless someone reaped it).
        Reap(S, 0, RU, false);
        Any = true;
      } else if (Opt.TimeoutSeconds &&
                 Now - Live[S]->Start >=
                     std::chrono::seconds(Opt.TimeoutSeconds)) {
        ::kill(Live[S]->Pid, SIGKILL);
        while (::wait4(Live[S]->Pid, &Status, 0, &RU) < 0 && errno == EINTR)
          ;
        Reap(S, Status, RU, true);
        Any = true;
      }
    }
    if (!Any)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }

  for (int I = 0; I < 3; ++I)
    ::sigaction(InterruptSignals[I], &OldActions[I], nullptr);
  if (ActivePool.exchange(nullptr))
    cleanupPool(Clean);
  mergeBatch(Jobs, How, Results, Report);
}

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

bool analyseJob(const FileJob &J, bool ShowCompilerErrors,
                const std::map<std::string, std::string> *Overlay,
                AnalysisResult &Out, bool &HadErrors) {
  llvm::CrashRecoveryContext CRC;
  return CRC.RunSafely([&] {
    llvm::IntrusiveRefCntPtr<FileManager> Files(
        new FileManager(FileSystemOptions(), fileSystem(Overlay)));
    CountingConsumer Diags(ShowCompilerErrors);
    tooling::ToolInvocation Inv(J.Command, makeAnalysisAction(J.Options, Out),
                                Files.get());
    Inv.setDiagnosticConsumer(&Diags);
    Inv.run();
    HadErrors = Diags.getNumErrors() > 0;
  });
}

namespace {

[[noreturn]] void outOfMemory() { ::_exit(WorkerOutOfMemory); }

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
  llvm::CrashRecoveryContext::Enable();
  WorkerResult R;
  R.Crashed = !analyseJob(W.Job, W.ShowCompilerErrors,
                          W.Overlay.empty() ? nullptr : &W.Overlay, R.Result,
                          R.HadErrors);
  if (R.Crashed)
    R.Result = AnalysisResult();
  R.PeakRssKB = peakRssKB();
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

uint64_t peakRssKB() {
  uint64_t KB = 0;
  if (auto B = llvm::MemoryBuffer::getFileAsStream("/proc/self/status")) {
    llvm::StringRef St = (*B)->getBuffer();
    size_t P = St.find("VmHWM:");
    if (P != llvm::StringRef::npos)
      St.substr(P + 6).ltrim().consumeInteger(10, KB);
  }
  return KB;
}

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
