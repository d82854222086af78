// RunOptions::Isolate: a batch in worker processes (vmalloc-lint --worker
// JOBFILE, tool/WorkerMode.cpp), their job and result files in a private
// directory that is removed on every path (signals and crashes included).
#include "tool/FileIO.h"
#include "tool/ResultCache.h"
#include "tool/Runner.h"
#include "tool/RunnerPools.h"
#include "tool/WorkerIO.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/raw_ostream.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace vmalloc_lint {

namespace {

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

} // namespace

void runBatchInProcesses(const std::vector<const FileJob *> &Jobs,
                         const RunOptions &Opt, RunReport &Report,
                         std::set<std::string> &FilesRead,
                         std::vector<RunOptions::Outcome> &How,
                         std::vector<AnalysisResult> &Results) {
  size_t N = Jobs.size();
  How.assign(N, RunOptions::Outcome::Crashed);
  Results.assign(N, AnalysisResult());
  unsigned Slots = std::max(1u, std::min<unsigned>(Opt.Threads, N));
  auto Done = [&](size_t I, RunOptions::Outcome O, std::string Why) {
    How[I] = O;
    if (!Why.empty())
      Report.WorkerErrors[Jobs[I]->File] = std::move(Why);
    if (Opt.Cache &&
        (O == RunOptions::Outcome::Ok || O == RunOptions::Outcome::Errors))
      Opt.Cache->store(*Jobs[I], Results[I], O == RunOptions::Outcome::Errors);
    // As the threads do: fold the files read in now.
    FilesRead.insert(Results[I].FilesRead.begin(), Results[I].FilesRead.end());
    std::vector<std::string>().swap(Results[I].FilesRead);
    std::vector<uint64_t>().swap(Results[I].FilesReadHashes);
    std::vector<std::string>().swap(Results[I].FilesAbsent);
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
        Done(I, RunOptions::Outcome::FailedToStart,
             "cannot create a directory for the workers in " +
                 llvm::sys::path::parent_path(Tmp).str() + ": " + EC.message());
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
        Done(I, RunOptions::Outcome::FailedToStart,
             "cannot write the imported facts for the workers: " + Err);
      for (const std::string &F : {Clean.Bodies, Clean.Facts})
        if (!F.empty())
          ::unlink(F.c_str());
      ::rmdir(Clean.Dir.c_str());
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
      Done(I, RunOptions::Outcome::FailedToStart, Err);
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
      Done(I, RunOptions::Outcome::FailedToStart,
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
      std::lock_guard<std::mutex> G(outputLock());
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
        Report.WorkerStartVmKB = std::max(Report.WorkerStartVmKB, WR.StartVmKB);
        if (WR.LimitBelowStart) {
          O = RunOptions::Outcome::FailedToStart;
          Why = "--memory-limit " + std::to_string(Opt.MemoryLimitMB) +
                " is below what a worker needs to start (about " +
                std::to_string((WR.StartVmKB + 1023) >> 10) +
                " MiB of address space, Clang's libraries mapped, before "
                "it reads a file): raise it";
        } else if (!WR.Crashed) {
          Results[I] = std::move(WR.Result);
          O = WR.HadErrors ? RunOptions::Outcome::Errors
                           : RunOptions::Outcome::Ok;
        }
      }
    } else if (WIFEXITED(Status) && WEXITSTATUS(Status) == WorkerOutOfMemory) {
      O = RunOptions::Outcome::OutOfMemory;
    } else if (WIFEXITED(Status) && WEXITSTATUS(Status) == WorkerFailed) {
      // Before the analysis: its job, the run's rule or facts file could
      // not be read (under --memory-limit: no memory to map them).
      O = RunOptions::Outcome::FailedToStart;
      Why = "the worker could not read its job files or write its result "
            "(exit status " +
            std::to_string(WorkerFailed) + ", its reason above)";
      if (Opt.MemoryLimitMB)
        Why += ": raise --memory-limit " + std::to_string(Opt.MemoryLimitMB);
    } else if (WIFEXITED(Status) && WEXITSTATUS(Status) == 127) {
      // posix_spawn's child, or the dynamic loader, could not load it.
      O = RunOptions::Outcome::FailedToStart;
      Why = "the worker program " + Exe +
            " could not be loaded (exit status 127)";
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
}

} // namespace vmalloc_lint
