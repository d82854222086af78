// The tree run: files, directories or -p's database, prefiltered and
// sharded, analysed, viewed, fixed. The gate (tool/GateMode.cpp) is the same
// run over the files a change touches: analyseAndReport serves both.
#include "matchers/Analysis.h"
#include "matchers/checks/CheckRegistry.h"
#include "matchers/text/NoLint.h"
#include "matchers/text/PrefilterNeeds.h"
#include "tool/ApplyFixes.h"
#include "tool/ArchViews.h"
#include "tool/CompileFlags.h"
#include "tool/ExportFixes.h"
#include "tool/FactsFiles.h"
#include "tool/FileIO.h"
#include "tool/KbuildObjects.h"
#include "tool/KconfigArch.h"
#include "tool/Modes.h"
#include "tool/Progress.h"
#include "tool/ResultCache.h"
#include "tool/ResultOutput.h"
#include "tool/Runner.h"
#include "tool/ScanCache.h"
#include "tool/SeriesMode.h"
#include "tool/TreeRun.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <map>
#include <set>

namespace vmalloc_lint {

namespace fs = llvm::sys::fs;

void reportCrashes(const RunReport &Report) {
  for (const std::string &F : Report.Crashed) {
    llvm::errs() << "vmalloc-lint: internal error: the analysis crashed on "
                 << F;
    auto It = Report.WorkerErrors.find(F);
    if (It != Report.WorkerErrors.end())
      llvm::errs() << " (" << It->second << ")";
    llvm::errs() << "\n";
  }
}

static std::vector<NotAnalysedFile> notAnalysed(const RunReport &Report,
                                                unsigned TimeoutSeconds,
                                                unsigned MemoryLimitMB) {
  std::vector<NotAnalysedFile> Out;
  auto Why = [&](const std::string &F) {
    auto It = Report.WorkerErrors.find(F);
    return It == Report.WorkerErrors.end() ? std::string() : It->second;
  };
  for (const std::string &F : Report.TimedOut)
    Out.push_back({F, "timed-out",
                   "the analysis timed out (--timeout-per-file " +
                       std::to_string(TimeoutSeconds) +
                       "): raise the timeout or leave the file out"});
  for (const std::string &F : Report.OutOfMemory)
    Out.push_back({F, "out-of-memory",
                   "the analysis ran out of memory (--memory-limit " +
                       std::to_string(MemoryLimitMB) +
                       "): raise the limit or leave the file out"});
  for (const std::string &F : Report.FailedToStart) {
    std::string W = Why(F);
    Out.push_back({F, "worker-failed-to-start",
                   W.empty() ? "the worker process could not start" : W});
  }
  for (const std::string &F : Report.Crashed) {
    std::string W = Why(F);
    Out.push_back({F, "crashed",
                   "internal error: the analysis crashed" +
                       (W.empty() ? std::string() : " (" + W + ")") +
                       ": please report it with the file"});
  }
  std::stable_sort(Out.begin(), Out.end(),
                   [](const NotAnalysedFile &A, const NotAnalysedFile &B) {
                     return A.File < B.File;
                   });
  return Out;
}

void reportStartFailures(const RunReport &Report) {
  for (const std::string &F : Report.FailedToStart) {
    llvm::errs() << "vmalloc-lint: error: " << F
                 << " was not analysed: the worker failed to start";
    auto It = Report.WorkerErrors.find(F);
    if (It != Report.WorkerErrors.end())
      llvm::errs() << " (" << It->second << ")";
    llvm::errs() << "\n";
  }
}

void prepareRun(const CliOptions &O, RunSetup &S) {
  if (!O.KernelTreeDir.empty()) {
    if (!fs::is_directory(O.KernelTreeDir))
      usageError("--kernel-tree '" + O.KernelTreeDir + "' is not a directory");
    S.Tree = openKernelTree(O.KernelTreeDir);
    if (!S.Tree)
      usageError("--kernel-tree '" + O.KernelTreeDir +
                 "' has no top Makefile with VERSION and PATCHLEVEL");
  }
  if (!O.BuildPath.empty())
    S.Dbs.useBuildPath(O.BuildPath);
  S.Cwd = realCurrentDirectory();
  checkFactsOut(O);
  S.Imported = loadFacts(O, S.Cwd);
}

namespace {

/// This program, for worker processes.
std::string workerExecutable(const char *Argv0) {
  static int Anchor;
  std::string Exe = fs::getMainExecutable(Argv0, &Anchor);
  if (Exe.empty())
    usageError("--isolate: cannot find this program's executable");
  return Exe;
}

/// --prefilter-plan FILE (hidden: for the bench and for comparing two
/// builds' decisions): the prefilter's plan written to FILE, then the run
/// stops, nothing parsed.
llvm::cl::opt<std::string> PrefilterPlanOut(
    "prefilter-plan", llvm::cl::Hidden, llvm::cl::value_desc("FILE"),
    llvm::cl::desc("Write the prefilter's decision (kept units, site headers "
                   "and the units that cover them, body names) to FILE and "
                   "stop before any parse"));

void writePrefilterPlan(const PrefilterPlan &P, const std::string &File) {
  std::error_code EC;
  llvm::raw_fd_ostream OS(File, EC);
  if (EC)
    usageError("--prefilter-plan: cannot write '" + File +
               "': " + EC.message());
  OS << "headers-scanned " << P.HeadersScanned << "\nkeywords " << P.Keywords
     << "\nskipped " << P.Skip.size() << "\n";
  for (const std::string &F : P.Keep)
    OS << "keep " << F << "\n";
  for (const std::string &F : P.Unreadable)
    OS << "unreadable " << F << "\n";
  for (const auto &[H, Units] : P.SiteHeaders) {
    OS << "site-header " << H;
    for (const std::string &U : Units)
      OS << " " << U;
    OS << "\n";
  }
  std::vector<std::string> Body = P.BodyNames;
  std::sort(Body.begin(), Body.end());
  for (const std::string &N : Body)
    OS << "body-name " << N << "\n";
  for (const std::string &N : P.KeywordNames)
    OS << "keyword " << N << "\n";
  OS.close();
  std::exit(OS.has_error() ? 2 : 0);
}

/// The prefilter: which inputs can hold what the selected checks look
/// for. Not in gate mode (a patch names few files) nor for
/// --print-compile-commands (every input is asked for). Then the function
/// bodies the checks cannot need, skipped by the parse.
void prefilter(const CliOptions &O, const RunSetup &S, RunFiles &F) {
  F.Prefiltered = !O.NoPrefilter && !O.PrintCompileCommands;
  if (F.Prefiltered) {
    PrefilterNeeds Needs = prefilterNeeds(O.Checks, O.Census, S.Imported.get(),
                                          !O.FactsOut.empty());
    std::optional<KernelTree> T =
        S.Tree ? S.Tree : findKernelTree(F.Files.front());
    if (T && !T->Arch.empty()) {
      Needs.PublicDirs = {T->Root + "/include/",
                          T->Root + "/arch/" + T->Arch + "/include/"};
      Needs.ForeignDirs.push_back(T->Root + "/tools/");
      std::error_code EC;
      for (fs::directory_iterator It(T->Root + "/arch", EC), End;
           !EC && It != End; It.increment(EC))
        if (llvm::sys::path::filename(It->path()) != T->Arch)
          Needs.ForeignDirs.push_back(It->path() + "/");
    }
    std::vector<std::string> Extra = headersToScan(
        F.Files, F.WalkedDirs, T ? T->Root : "", T ? T->Arch : "");
    // The last scan's plan when no scanned file changed (tool/ScanCache.h).
    std::optional<ScanCacheKey> Key;
    if (std::optional<std::string> Dir = runCacheDirectory(O, S.Cwd))
      Key = scanCacheKey(*Dir, F.Files, Extra, Needs);
    std::optional<PrefilterPlan> Kept;
    if (Key)
      Kept = loadScanPlan(*Key, F.Files, Extra);
    if (Kept) {
      F.Scan = std::move(*Kept);
    } else {
      double Start = std::chrono::duration<double>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
      F.Scan = planPrefilter(F.Files, Extra, Needs, O.Threads);
      bool Stored = Key && storeScanPlan(*Key, F.Files, Extra, F.Scan, Start);
      if (O.CacheStats && Key)
        llvm::errs() << "vmalloc-lint: prefilter scan: "
                     << (Stored ? "stored in the cache"
                                : "not stored (a file changed in the last "
                                  "seconds, or the cache cannot be written)")
                     << "\n";
    }
    if (O.CacheStats && Kept)
      llvm::errs() << "vmalloc-lint: prefilter scan: reused from the cache ("
                   << F.Files.size() + Extra.size() << " files unchanged)\n";
    if (!PrefilterPlanOut.empty())
      writePrefilterPlan(F.Scan, PrefilterPlanOut);
    F.Files = F.Scan.Keep;
  }
  // Not when writing facts: they describe every function of a unit, also
  // those whose bodies no selected check needs for its own findings.
  if (F.Prefiltered && !O.NoSkipBodies && O.FactsOut.empty()) {
    F.Skipping = std::make_shared<BodySkipping>();
    F.Skipping->Names = KeywordSet(F.Scan.BodyNames);
    bool Provenance = false;
    for (const CheckRow &C : checkRegistry())
      Provenance |= C.Sinks && O.Checks.enabled(C.Name);
    F.Skipping->KeepMainFile = Provenance;
    F.Skipping->FollowFields = Provenance;
  }
}

/// --shard K/N: a contiguous slice of the sorted units (merging the shards
/// in order keeps a direct run's order).
void shard(const CliOptions &O, RunFiles &F) {
  if (O.ShardN <= 1)
    return;
  std::sort(F.Files.begin(), F.Files.end());
  size_t N = F.Files.size();
  size_t Begin = N * (O.ShardK - 1) / O.ShardN, End = N * O.ShardK / O.ShardN;
  F.NotInShard = N - (End - Begin);
  F.Files =
      std::vector<std::string>(F.Files.begin() + Begin, F.Files.begin() + End);
}

/// The jobs of a run: one per kept file, and the units that include a site
/// header, parsed only if no kept unit reads it.
struct RunJobs {
  std::vector<FileJob> Jobs;
  std::deque<FileJob> HeaderUnits; ///< SiteHeaders point into it
  std::vector<SiteHeader> SiteHeaders;
};

void makeJobs(const RunFiles &F, JobMaker &Make, RunJobs &Out) {
  for (const std::string &File : F.Files)
    Out.Jobs.push_back(Make.make(File));
  std::map<std::string, const FileJob *> UnitJob;
  for (const auto &[Header, Units] : F.Scan.SiteHeaders) {
    SiteHeader S;
    S.Header = Header;
    for (const std::string &U : Units) {
      auto [It, New] = UnitJob.emplace(U, nullptr);
      if (New) {
        Out.HeaderUnits.push_back(Make.make(U));
        Out.HeaderUnits.back().Options.ExportFacts = false;
        It->second = &Out.HeaderUnits.back();
      }
      S.Units.push_back(It->second);
    }
    Out.SiteHeaders.push_back(std::move(S));
  }
}

/// The progress report of the run on stderr: a bar on a terminal, else
/// with --progress a line per file.
Progress progressFor(const CliOptions &O, const RunJobs &J, bool Tty) {
  return Progress(
      llvm::errs(),
      Tty          ? Progress::Style::Bar
      : O.Progress ? Progress::Style::Lines
                   : Progress::Style::None,
      std::count_if(J.Jobs.begin(), J.Jobs.end(), [](const FileJob &J) {
        return !llvm::StringRef(J.File).ends_with(".h");
      }));
}

/// How the jobs run. Like Prog, it outlives the run: a worker thread
/// abandoned at a timeout still holds it.
RunOptions runOptions(const CliOptions &O, const RunSetup &S, const RunFiles &F,
                      const RunJobs &J, const GateRun *Gate, Progress &Prog) {
  RunOptions Run;
  Run.Threads = O.Threads;
  Run.ShowCompilerErrors = O.CompilerErrors;
  Run.Overlay = Gate ? &Gate->Overlay : nullptr;
  Run.SiteHeaders = F.Prefiltered ? &J.SiteHeaders : nullptr;
  Run.TimeoutSeconds = O.TimeoutSeconds;
  Run.Isolate = O.Isolate;
  Run.MemoryLimitMB = O.MemoryLimitMB;
  if (O.Isolate)
    Run.WorkerExecutable = workerExecutable(O.Argv0.c_str());
  const std::string &Cwd = S.Cwd;
  Run.OnFileDone = [&Prog, &Cwd](const FileJob &J, size_t N,
                                 RunOptions::Outcome O) {
    llvm::StringRef F(J.File);
    if (F.starts_with(Cwd + "/"))
      F = F.drop_front(Cwd.size() + 1);
    Prog.fileDone(F.str(), N, O);
  };
  return Run;
}

/// The kernel rules the views name: the jobs' ("mixed" when they differ),
/// else those the inputs would have been analysed with ("none": no tree).
std::string kernelRules(const CliOptions &O, const RunSetup &S,
                        const RunFiles &F, const JobMaker &Make) {
  std::set<std::string> Versions = Make.versions();
  if (Versions.empty() && !F.FirstInput.empty()) {
    // Nothing parsed (the prefilter skipped every unit): the rules the
    // inputs would have been analysed with.
    std::optional<KernelTree> T =
        S.Tree ? S.Tree : findKernelTree(F.FirstInput);
    if (O.ForcedVersion || T)
      Versions.insert(O.ForcedVersion ? O.ForcedVersion->str()
                                      : T->Version.str());
  }
  return Versions.size() == 1 ? *Versions.begin()
         : Versions.empty()   ? "none"
                              : "mixed";
}

/// What the filtering of the findings counted.
struct Filtered {
  size_t Analysed = 0;   ///< findings of the analysed files
  size_t Unchanged = 0;  ///< gate: not on a line the change adds or changes
  size_t InBaseline = 0; ///< --baseline: already in it
  size_t Suppressed = 0; ///< by a NOLINT comment (matchers/text/NoLint.h)
  size_t LessSure = 0;   ///< pass 2, below --min-confidence
};

/// Drops the findings a NOLINT comment suppresses (in the files as analysed:
/// a gate's post-images), those a gate does not report (not on a changed
/// line) and those of the baseline.
Filtered filterFindings(const CliOptions &O, AnalysisResult &R,
                        const OutputContext &Ctx, const GateRun *Gate,
                        NoLintFilter &NoLint) {
  Filtered C;
  C.Suppressed = NoLint.apply(R.Findings);
  C.LessSure = dropBelowConfidence(R.Findings, O.MinConfidence);
  C.Analysed = R.Findings.size();
  std::vector<bool> OnChanged(R.Findings.size(), true);
  if (Gate)
    for (size_t I = 0; I < R.Findings.size(); ++I)
      OnChanged[I] = Gate->touches(R.Findings[I]);
  std::vector<bool> Known(R.Findings.size(), false);
  if (!O.BaselineFile.empty()) {
    // Every finding of the analysed files takes part, those the change does
    // not touch first: they are the old ones, so a new copy of an old line
    // is what stays unmatched.
    std::vector<size_t> Order;
    for (int Pass = 0; Pass < 2; ++Pass)
      for (size_t I = 0; I < R.Findings.size(); ++I)
        if (OnChanged[I] == (Pass == 1))
          Order.push_back(I);
    std::vector<FindingKey> Keys;
    for (size_t I : Order)
      Keys.push_back(keyOf(R.Findings[I], Ctx));
    std::vector<bool> Matched = matchBaseline(Keys, O.Baseline);
    for (size_t K = 0; K < Order.size(); ++K)
      Known[Order[K]] = Matched[K];
  }
  std::vector<Finding> Keep;
  for (size_t I = 0; I < R.Findings.size(); ++I) {
    if (!OnChanged[I])
      ++C.Unchanged;
    else if (Known[I])
      ++C.InBaseline;
    else
      Keep.push_back(std::move(R.Findings[I]));
  }
  R.Findings = std::move(Keep);
  return C;
}

/// --warn-unused-nolint: the analysed files' NOLINT directives for this
/// tool's checks that suppressed nothing, compiler style ("file:line:col:
/// warning: ... [--warn-unused-nolint]"). Returns how many.
size_t warnUnusedNoLints(llvm::raw_ostream &OS, const CliOptions &O,
                         const RunFiles &F, const NoLintFilter &NoLint,
                         const NoLintFilter::TextOf &TextOf,
                         const std::string &Root) {
  std::vector<std::string> Known;
  for (const CheckRow &C : checkRegistry())
    Known.push_back(C.Name);
  static const std::set<size_t> None;
  size_t N = 0;
  std::vector<std::string> Files = F.Files;
  std::sort(Files.begin(), Files.end());
  for (const std::string &File : Files) {
    const std::string *Text = TextOf(File);
    if (!Text)
      continue;
    auto It = NoLint.used().find(File);
    for (const NoLintToken &T :
         unusedNoLints(*Text, It == NoLint.used().end() ? None : It->second,
                       Known, [&](const std::string &Check) {
                         return O.Checks.enabled(Check);
                       })) {
      llvm::StringRef Before = llvm::StringRef(*Text).take_front(T.Pos);
      size_t LineStart = Before.rfind('\n');
      unsigned Line = 1 + Before.count('\n');
      unsigned Col =
          LineStart == llvm::StringRef::npos ? T.Pos + 1 : T.Pos - LineStart;
      static const char *const Names[] = {"NOLINT", "NOLINTNEXTLINE",
                                          "NOLINTBEGIN", "NOLINTEND"};
      OS << displayPath(File, Root) << ":" << Line << ":" << Col
         << ": warning: " << Names[int(T.What)] << "(" << T.Checks
         << ") suppresses no finding in this run [--warn-unused-nolint]\n";
      ++N;
    }
  }
  return N;
}

/// The arch view of File's arch when File is another arch's (null for the
/// configured arch's files, and with views switched off).
const ArchView *fileArchView(const std::string &File) {
  std::optional<KernelTree> T = findKernelTree(File);
  return T ? archView(*T, unitArch(*T, File)) : nullptr;
}

/// ", 3 of other arches analysed as their arch (arm64 2, riscv 1), 2 with
/// the configured arch's flags (parisc: no clang target ...)".
std::string archViewsNote(const std::vector<FileJob> &Jobs) {
  std::map<std::string, unsigned> Own, Fallback;
  unsigned NOwn = 0, NFallback = 0;
  for (const FileJob &J : Jobs) {
    const ArchView *V = fileArchView(J.File);
    if (!V)
      continue;
    if (V->Ready) {
      ++Own[V->Arch];
      ++NOwn;
    } else {
      ++Fallback[V->Why];
      ++NFallback;
    }
  }
  std::string Out;
  auto List = [](const std::map<std::string, unsigned> &M) {
    std::string S;
    for (const auto &[K, N] : M)
      S += (S.empty() ? "" : "; ") + K + ": " + std::to_string(N);
    return S;
  };
  if (NOwn)
    Out += ", " + std::to_string(NOwn) +
           " of other arches analysed as their arch (" + List(Own) + ")";
  if (NFallback)
    Out += ", " + std::to_string(NFallback) +
           " of other arches with the configured arch's flags (" +
           List(Fallback) + ")";
  return Out;
}

/// The one-line summary: findings, sites, files, what was skipped.
void printSummaryLine(const CliOptions &O, const RunFiles &F,
                      const RunReport &Report, const OutputContext &Ctx,
                      unsigned Fixed) {
  const AnalysisResult &R = Report.Result;
  unsigned Fixable = 0;
  for (const Finding &Fd : R.Findings)
    Fixable += Fd.Fix.has_value();
  llvm::errs() << "vmalloc-lint: " << R.Findings.size() << " finding"
               << (R.Findings.size() == 1 ? "" : "s") << " (" << Fixable
               << " with a fix), " << R.Sites.size() << " call site"
               << (R.Sites.size() == 1 ? "" : "s") << ", " << Report.Files
               << " file" << (Report.Files == 1 ? "" : "s") << " analysed";
  if (Report.FilesWithErrors)
    llvm::errs() << " (" << Report.FilesWithErrors
                 << " did not fully compile: analysed as far as they parse; "
                    "--compiler-errors shows why)";
  llvm::errs() << Ctx.ArchViewsNote;
  size_t NotAnalysed = Report.TimedOut.size() + Report.OutOfMemory.size() +
                       Report.FailedToStart.size() + Report.Crashed.size();
  if (NotAnalysed) {
    llvm::errs() << ", " << NotAnalysed << " not analysed (";
    const char *Sep = "";
    for (auto [N, What] :
         {std::pair<size_t, const char *>{Report.OutOfMemory.size(),
                                          "out of memory"},
          {Report.FailedToStart.size(), "worker failed to start"},
          {Report.Crashed.size(), "crashed"},
          {Report.TimedOut.size(), "timed out"}})
      if (N) {
        llvm::errs() << Sep << N << " " << What;
        Sep = ", ";
      }
    llvm::errs() << ")";
  }
  if (Report.HeadersCovered)
    llvm::errs() << ", " << Report.HeadersCovered << " header"
                 << (Report.HeadersCovered == 1 ? "" : "s")
                 << " covered by the files that include them";
  if (F.Prefiltered)
    llvm::errs() << ", " << F.Scan.Skip.size()
                 << " skipped: cannot contain a call of interest "
                    "(--no-prefilter parses them)";
  if (O.ShardN > 1)
    llvm::errs() << ", shard " << O.ShardK << "/" << O.ShardN << " ("
                 << F.NotInShard << " in other shards)";
  llvm::errs() << ", kernel rules " << Ctx.KernelVersion;
  if (O.Fix)
    llvm::errs() << ", " << Fixed << " file" << (Fixed == 1 ? "" : "s")
                 << " fixed";
  llvm::errs() << "\n";
}

/// The analysed units by build state, and those that did not fully compile
/// by cause: another arch's file without a view for want of a clang target
/// first, then a file the configuration does not build, then the rest.
OutputContext::UnitBuildCounts unitBuildCounts(
    const RunReport &Report,
    const std::function<std::string(const std::string &)> &BuildOf) {
  OutputContext::UnitBuildCounts U;
  for (const auto &[File, Errors] : Report.Units) {
    std::string B = BuildOf(File);
    ++U.ByBuild[B];
    if (!Errors)
      continue;
    ++U.WithErrors;
    const ArchView *V = fileArchView(File);
    const char *Cause =
        V && !V->Ready && V->Why.find("clang target") != std::string::npos
            ? "other-arch-no-clang-target"
        : B == "not-built" ? "not-built"
                           : "other";
    ++U.ErrorsByCause[Cause];
    if (llvm::StringRef(Cause) == "other")
      U.Rest.emplace_back(File, B);
  }
  llvm::sort(U.Rest);
  return U;
}

void printSummary(const RunFiles &F, const RunReport &Report, size_t Suppressed,
                  std::chrono::steady_clock::time_point Start,
                  const std::optional<OutputContext::UnitBuildCounts> &Units) {
  const AnalysisResult &R = Report.Result;
  SummaryCounts C;
  if (Units) {
    C.UnitsByBuild = Units->ByBuild;
    C.ErrorsByCause = Units->ErrorsByCause;
  }
  C.Analysed = Report.Files;
  C.ForHeaders = Report.ForHeaders;
  C.HeadersCovered = Report.HeadersCovered;
  C.SkippedByPrefilter = F.Scan.Skip.size();
  C.NotInShard = F.NotInShard;
  C.WithErrors = Report.FilesWithErrors;
  C.BodiesParsed = R.BodiesParsed;
  C.BodiesSkipped = R.BodiesSkipped;
  C.BodiesJumped = R.BodiesJumped;
  C.Crashed = Report.Crashed.size();
  C.TimedOut = Report.TimedOut.size();
  C.OutOfMemory = Report.OutOfMemory.size();
  C.FailedToStart = Report.FailedToStart.size();
  C.WorkerStartVmKB = Report.WorkerStartVmKB;
  C.WorkerProcesses = Report.WorkerProcesses;
  C.WorkerCpuSeconds = Report.WorkerCpuSeconds;
  C.WorkerPeakRssKB = Report.WorkerPeakRssKB;
  C.ParentPeakRssKB = peakRssKB();
  C.Findings = R.Findings.size();
  C.Suppressed = Suppressed;
  for (const Finding &Fd : R.Findings)
    ++C.FindingsByCheck[Fd.Check];
  C.WallSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - Start)
          .count();
  printSummaryTable(llvm::errs(), C);
}

} // namespace

int analyseAndReport(const CliOptions &O, RunSetup &S, RunFiles &F,
                     const GateRun *Gate,
                     std::chrono::steady_clock::time_point Start) {
  // One job per file: its compile command and its kernel's rules.
  AnalysisOptions Shared;
  Shared.Checks = O.Checks;
  Shared.MigrateTo = O.MigrateTo;
  Shared.SkipBodies = F.Skipping;
  Shared.Imported = S.Imported;
  JobMaker Make(S.Tree, S.Dbs, Shared, !O.FactsOut.empty(), O.ForcedVersion);
  RunJobs J;
  makeJobs(F, Make, J);
  if (O.PrintCompileCommands)
    return printCompileCommands(J.Jobs);

  bool Tty = llvm::sys::Process::StandardErrIsDisplayed();
  Progress Prog = progressFor(O, J, Tty);
  llvm::CrashRecoveryContext::Enable();
  RunReport Report;
  RunOptions Run = runOptions(O, S, F, J, Gate, Prog);
  Run.TreeRoot = Gate && !Gate->Root.empty() ? Gate->Root : Make.treeRoot();
  std::unique_ptr<ResultCache> Cache;
  if (!J.Jobs.empty())
    Cache = openRunCache(O, S.Cwd);
  Run.Cache = Cache.get();
  if (!J.Jobs.empty())
    Report = runJobs(J.Jobs, Run);
  Prog.finish();
  finishRunCache(O, Cache.get());
  if (Report.Abandoned)
    (void)Cache.release(); // a timed-out parse may still store its result

  OutputContext Ctx;
  Ctx.DisplayRoot = S.Cwd;
  Ctx.KernelVersion = kernelRules(O, S, F, Make);
  std::string DiffRoot = Make.treeRoot();
  Ctx.Files = Report.Files;
  Ctx.FilesWithErrors = Report.FilesWithErrors;
  Ctx.LinesChecked = F.LinesInFiles;
  Ctx.NotAnalysed = notAnalysed(Report, O.TimeoutSeconds, O.MemoryLimitMB);
  Ctx.PatchName = O.Inputs.size() == 1 ? O.Inputs.front() : "The input";
  if (Gate) {
    DiffRoot = Gate->Root;
    Gate->describe(Ctx);
  }
  if (DiffRoot.empty())
    DiffRoot = Ctx.DisplayRoot;
  Ctx.ArchViewsNote = archViewsNote(J.Jobs);
  bool SummaryTable = O.Summary || (Tty && !O.Quiet);
  std::function<std::string(const std::string &)> BuildOf;
  if ((O.Census || SummaryTable) && !Make.treeRoot().empty()) {
    // A make O=DIR build: the configuration is DIR's.
    std::optional<KernelTree> KT = openKernelTree(Make.treeRoot());
    std::string ConfigRoot =
        KT && !KT->ObjRoot.empty() ? KT->ObjRoot : Make.treeRoot();
    // -p DIR of a make O=DIR build: kbuild writes compile_commands.json in
    // the object tree, where the configuration is.
    if (!O.BuildPath.empty() &&
        !llvm::sys::fs::exists(ConfigRoot + "/include/config/auto.conf")) {
      std::string Db = absolute(O.BuildPath);
      if (llvm::sys::path::filename(Db) == "compile_commands.json")
        Db = llvm::sys::path::parent_path(Db).str();
      if (llvm::sys::fs::exists(Db + "/include/config/auto.conf"))
        ConfigRoot = Db;
    }
    auto Config = std::make_shared<KconfigValues>(readAutoConf(ConfigRoot));
    auto Known = std::make_shared<std::map<std::string, std::string>>();
    // A file of another arch with a prepared view: that view's
    // configuration builds it or not (kernelUnitBuild).
    BuildOf = [Root = Make.treeRoot(), KT, Config,
               Known](const std::string &File) {
      auto [It, New] = Known->emplace(File, "");
      if (New)
        It->second = kbuildBuildName(KT ? kernelUnitBuild(*KT, *Config, File)
                                        : kbuildFileBuild(Root, *Config, File));
      return It->second;
    };
    if (O.Census)
      Ctx.BuildOf = BuildOf;
  }
  std::optional<OutputContext::UnitBuildCounts> Units;
  if (SummaryTable && BuildOf)
    Units = unitBuildCounts(Report, BuildOf);
  if (O.Summary)
    Ctx.Units = Units;

  AnalysisResult &R = Report.Result;
  NoLintFilter::TextOf TextOf =
      noLintTextFromDisk(Gate ? &Gate->Overlay : nullptr);
  NoLintFilter NoLint(TextOf);
  Filtered Counts = filterFindings(O, R, Ctx, Gate, NoLint);

  FixPlan Plan;
  if (O.Fix || O.Diff || !O.Series.empty())
    Plan = planFixes(R, Gate ? &Gate->Overlay : nullptr);
  for (const std::string &P : Plan.Problems)
    llvm::errs() << "vmalloc-lint: " << P << "\n";
  // Notes, not errors: --quiet keeps stderr for what went wrong.
  if (!O.Quiet)
    for (const std::string &P : Plan.Dropped)
      llvm::errs() << "vmalloc-lint: " << P << "\n";

  llvm::raw_ostream &Out = resultStream();
  // Colours for the compiler-style text only (a patch must stay a patch).
  Out.enable_colors(!O.Diff && O.Format == OutputFormat::Text &&
                    wantColors(int(O.Color), Out));
  int SeriesStatus = 0;
  if (!O.Series.empty()) {
    if (Plan.Refused)
      usageError("--series: " + Plan.Problems.front());
    SeriesRequest Q;
    Q.Dir = O.Series;
    Q.Signoff = O.Signoff;
    Q.Build = O.SeriesBuild;
    Q.Root = DiffRoot;
    Q.Rules = Ctx.KernelVersion;
    Q.Command = O.CommandLine;
    Q.Units = F.Files;
    if (S.Tree && O.ForcedVersion && S.Tree->Version < *O.ForcedVersion)
      Q.TreeVersion = S.Tree->Version.str();
    SeriesStatus = writeSeries(Q, Plan, R);
  } else if (O.Diff) {
    Out << unifiedDiff(Plan, DiffRoot);
  } else if (O.Census) {
    if (O.Format == OutputFormat::Json)
      printCensusJson(Out, R, Ctx);
    else
      printCensusText(Out, R, Ctx);
  } else {
    printFindings(Out, O.Format, R, Ctx);
  }
  // Compiler style: after the text findings, else on stderr (the other
  // formats have no place for them).
  size_t UnusedNoLints =
      O.WarnUnusedNoLint
          ? warnUnusedNoLints(O.Format == OutputFormat::Text && !O.Diff &&
                                      !O.Census
                                  ? Out
                                  : llvm::errs(),
                              O, F, NoLint, TextOf, Ctx.DisplayRoot)
          : 0;
  Out.enable_colors(false);
  Out.flush();

  if (!O.ExportFixes.empty() && !F.Files.empty()) {
    if (writeFileAtomically(O.ExportFixes, exportFixesYaml(R, F.Files.front())))
      usageError("cannot write --export-fixes file '" + O.ExportFixes + "'");
  }

  unsigned Fixed = 0;
  if (O.Fix) {
    std::string Err = writeFixes(Plan);
    if (!Err.empty())
      usageError(Err);
    Fixed = Plan.Files.size();
  }

  if (!O.Quiet && Gate) {
    Gate->printSummary(llvm::errs(), F.Files.size(), Counts.Analysed,
                       Counts.Unchanged,
                       O.BaselineFile.empty() ? nullptr : &Counts.InBaseline);
  } else if (!O.Quiet && Counts.InBaseline) {
    llvm::errs() << "vmalloc-lint: " << Counts.InBaseline << " finding"
                 << (Counts.InBaseline == 1 ? "" : "s")
                 << " in the baseline not reported\n";
  }
  if (!O.Quiet && Counts.LessSure)
    llvm::errs() << "vmalloc-lint: " << Counts.LessSure << " pass-2 finding"
                 << (Counts.LessSure == 1 ? "" : "s")
                 << " less sure than --min-confidence="
                 << confidenceName(O.MinConfidence) << " not reported\n";
  if (!O.Quiet)
    printSummaryLine(O, F, Report, Ctx, Fixed);
  if (SummaryTable)
    printSummary(F, Report, Counts.Suppressed, Start, Units);
  if (!O.FactsOut.empty())
    writeFacts(O, Report.Result.Facts, S.Cwd);
  for (const std::string &File : Report.TimedOut)
    llvm::errs() << "vmalloc-lint: error: the analysis of " << File
                 << " timed out (--timeout-per-file " << O.TimeoutSeconds
                 << "); its results are not reported: raise the timeout or "
                    "leave the file out\n";
  for (const std::string &File : Report.OutOfMemory)
    llvm::errs() << "vmalloc-lint: error: the analysis of " << File
                 << " ran out of memory (--memory-limit " << O.MemoryLimitMB
                 << "); its results are not reported: raise the limit or "
                    "leave the file out\n";
  reportStartFailures(Report);
  reportCrashes(Report);
  for (const std::string &Fn : R.NotFollowed)
    llvm::errs() << "vmalloc-lint: note: pass 2 did not follow " << Fn
                 << "; nothing is reported inside it\n";
  int Status = !Report.Crashed.empty() || !Report.TimedOut.empty() ||
                       !Report.OutOfMemory.empty() ||
                       !Report.FailedToStart.empty()
                   ? 3
               // --diff and --fix did what was asked: `--diff > p && git
               // apply p` must work.
               : !O.Series.empty() ? SeriesStatus
               : (R.Findings.empty() && !UnusedNoLints) || O.Diff || O.Fix ? 0
                                                                           : 1;
  if (Report.Abandoned) {
    // A timed-out parse still runs in a thread that cannot be stopped.
    finishResults();
    llvm::errs().flush();
    std::_Exit(Status);
  }
  return Status;
}

int runTreeMode(const CliOptions &O,
                std::chrono::steady_clock::time_point Start) {
  RunSetup S;
  prepareRun(O, S);
  RunFiles F;
  F.Files = treeInputs(O.Inputs, S.Dbs, O.Format == OutputFormat::Checkpatch,
                       F.LinesInFiles, F.WalkedDirs);
  F.FirstInput = F.Files.front();
  prefilter(O, S, F);
  shard(O, F);
  return analyseAndReport(O, S, F, nullptr, Start);
}

} // namespace vmalloc_lint
