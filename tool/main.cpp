// vmalloc-lint: the command-line front end. Inputs, compile flags, the
// runner, and the views of the results; the analysis is in matchers/.
#include "matchers/BodySkipping.h"
#include "matchers/CrossFileFacts.h"
#include "matchers/VmallocAnalysis.h"
#include "tool/ApplyFixes.h"
#include "tool/CiOutput.h"
#include "tool/CompileFlags.h"
#include "tool/FileIO.h"
#include "tool/FindingsJson.h"
#include "tool/ExportFixes.h"
#include "tool/Inputs.h"
#include "tool/Options.h"
#include "tool/Output.h"
#include "tool/PatchGate.h"
#include "tool/Prefilter.h"
#include "tool/PrefilterNeeds.h"
#include "tool/Progress.h"
#include "tool/Runner.h"
#include "tool/WorkerIO.h"

#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/raw_ostream.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <deque>
#include <map>
#include <set>
#include <thread>

using namespace vmalloc_lint;
namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

namespace {

/// Runs git with Args in Dir; stdout in Out, the first line of stderr in
/// Err. Temporary files are removed.
int runGit(const std::string &Dir, const std::vector<std::string> &Args,
           std::string &Out, std::string &Err) {
  static std::string Git;
  if (Git.empty()) {
    auto P = llvm::sys::findProgramByName("git");
    if (!P)
      usageError("git not found in PATH (needed by --git-range and --since)");
    Git = *P;
  }
  llvm::SmallString<128> OutFile, ErrFile;
  if (fs::createTemporaryFile("vmalloc-lint-git", "out", OutFile) ||
      fs::createTemporaryFile("vmalloc-lint-git", "err", ErrFile))
    usageError("cannot create a temporary file");
  llvm::FileRemover RemoveOut(OutFile), RemoveErr(ErrFile);
  std::vector<llvm::StringRef> Argv{"git", "-C", Dir};
  for (const std::string &A : Args)
    Argv.push_back(A);
  std::optional<llvm::StringRef> Redirects[] = {llvm::StringRef(),
                                                OutFile.str(), ErrFile.str()};
  std::string ExecErr;
  int RC = llvm::sys::ExecuteAndWait(Git, Argv, std::nullopt, Redirects, 0, 0,
                                     &ExecErr);
  llvm::ErrorOr<std::string> O = readWholeFile(std::string(OutFile));
  llvm::ErrorOr<std::string> E = readWholeFile(std::string(ErrFile));
  Out = O ? std::move(*O) : "";
  std::string Errs = E ? std::move(*E) : ExecErr;
  Err = llvm::StringRef(Errs).trim().split('\n').first.str();
  return RC;
}

/// What a gate run (--patch, --git-range, --since) looks at.
struct GateRun {
  std::string Root;  ///< absolute; patch paths are relative to it
  std::string Name;  ///< the patch as checkpatch names it
  std::string Where; ///< where the analysed contents come from
  PatchSet Patch;
  GateChanges Changes;
  std::map<std::string, const TouchedFile *> ByFile; ///< absolute path
  std::map<std::string, std::string> Overlay; ///< absolute path -> post-image
};

std::string gitRev(const std::string &Dir, const std::string &Rev) {
  std::string Out, Err;
  if (runGit(Dir, {"rev-parse", "--verify", "--quiet", Rev + "^{commit}"}, Out,
             Err))
    usageError("unknown revision '" + Rev + "' in the repository at " + Dir);
  return llvm::StringRef(Out).trim().str();
}

void prepareGate(const CliOptions &O, GateRun &G,
                 const std::optional<KernelTree> &Tree,
                 const std::string &Cwd) {
  std::string Text;
  ApplyOptions Opt;
  TreeReader Read;
  std::string Base = Tree ? Tree->Root : Cwd;
  auto ReadDisk = [&G](const std::string &Rel) -> std::optional<std::string> {
    std::string P = G.Root + "/" + Rel;
    if (!fs::is_regular_file(P))
      return std::nullopt;
    llvm::ErrorOr<std::string> B = readWholeFile(P);
    if (!B)
      return std::nullopt;
    return std::move(*B);
  };
  if (!O.PatchFile.empty()) {
    G.Root = realAbsolutePath(Base);
    G.Name = O.PatchFile == "-" ? "Your patch" : O.PatchFile;
    llvm::ErrorOr<std::string> B = readWholeFileOrStdin(O.PatchFile);
    if (!B)
      usageError("cannot read --patch '" + O.PatchFile +
                 "': " + B.getError().message());
    Text = std::move(*B);
    Read = ReadDisk;
  } else {
    std::string Out, Err;
    if (runGit(Base, {"rev-parse", "--show-toplevel"}, Out, Err))
      usageError("'" + Base + "' is not in a git repository (" + Err + ")");
    G.Root = realAbsolutePath(llvm::StringRef(Out).trim().str());
    std::vector<std::string> DiffArgs{
        "diff", "--no-color",      "--no-ext-diff",  "--no-textconv",
        "-M",   "--src-prefix=a/", "--dst-prefix=b/"};
    Opt.AllowForward = false;
    Opt.BinaryIsError = false;
    if (!O.GitRange.empty()) {
      llvm::StringRef R = O.GitRange;
      size_t Dots = R.find("..");
      if (Dots == llvm::StringRef::npos)
        usageError("--git-range must look like A..B or A...B, not '" +
                   O.GitRange + "'");
      std::string A = R.substr(0, Dots).str();
      llvm::StringRef Rest = R.substr(Dots + 2);
      Rest.consume_front(".");
      std::string B = Rest.empty() ? "HEAD" : Rest.str();
      if (A.empty())
        usageError("--git-range '" + O.GitRange + "' has no start revision");
      gitRev(G.Root, A);
      std::string BSha = gitRev(G.Root, B);
      DiffArgs.push_back(O.GitRange);
      G.Name = O.GitRange;
      G.Where = "as in " + B;
      std::string Root = G.Root;
      Read = [Root,
              BSha](const std::string &Rel) -> std::optional<std::string> {
        std::string O, E;
        if (runGit(Root, {"cat-file", "blob", BSha + ":" + Rel}, O, E))
          return std::nullopt;
        return O;
      };
    } else {
      gitRev(G.Root, O.Since);
      DiffArgs.push_back(O.Since);
      G.Name = O.Since + "..work tree";
      G.Where = "as in the work tree";
      Read = ReadDisk;
    }
    DiffArgs.push_back("--");
    if (runGit(G.Root, DiffArgs, Text, Err))
      usageError("git diff failed: " + Err);
  }
  if (std::string Err = parsePatch(Text, G.Patch); !Err.empty())
    usageError("cannot parse the patch " + G.Name + ": " + Err);
  for (const FilePatch &F : G.Patch.Files)
    for (const std::string &P : {F.OldPath, F.NewPath})
      if (llvm::StringRef(P).starts_with("/") || P == ".." ||
          llvm::StringRef(P).starts_with("../") ||
          llvm::StringRef(P).contains("/../"))
        usageError("the patch " + G.Name + " names '" + P + "' (patch line " +
                   std::to_string(F.InputLine) + "), outside the tree");
  if (std::string Err = resolveChanges(G.Patch, Read, Opt, G.Changes);
      !Err.empty())
    usageError(Err);
  if (G.Where.empty())
    G.Where = G.Changes.AlreadyApplied ? "as they are in the tree"
                                       : "patched in memory";
  for (const TouchedFile &T : G.Changes.Files) {
    std::string Abs = G.Root + "/" + T.Path;
    G.ByFile[Abs] = &T;
    G.Overlay[Abs] = T.Content;
  }
}

/// --facts-in: every file joined, origins numbered, shared by the jobs.
std::shared_ptr<const CrossFileFacts> loadFacts(const CliOptions &O,
                                                const std::string &Cwd) {
  if (O.FactsIn.empty())
    return nullptr;
  auto F = std::make_shared<CrossFileFacts>();
  for (const std::string &In : O.FactsIn) {
    llvm::ErrorOr<std::string> B = readWholeFileOrStdin(In);
    if (!B)
      usageError("cannot read --facts-in '" + In +
                 "': " + B.getError().message());
    if (std::string Err = readFactsJsonl(*B, Cwd, *F); !Err.empty())
      usageError("--facts-in '" + In + "': " + Err);
  }
  F->numberOrigins();
  return F;
}

/// --facts-out can be written (checked before any analysis).
void checkFactsOut(const CliOptions &O) {
  if (O.FactsOut.empty())
    return;
  std::string Tmp = O.FactsOut + ".tmp";
  if (std::error_code EC = writeFile(Tmp, ""))
    usageError("cannot write --facts-out '" + O.FactsOut +
               "': " + EC.message());
  fs::remove(Tmp);
}

/// Writes the facts atomically: no half-written file.
void writeFacts(const CliOptions &O, const CrossFileFacts &F,
                const std::string &Cwd) {
  if (std::error_code EC =
          writeFileAtomically(O.FactsOut, writeFactsJsonl(F, Cwd)))
    usageError("cannot write --facts-out '" + O.FactsOut +
               "': " + EC.message());
  if (!O.Quiet)
    llvm::errs() << "vmalloc-lint: facts: " << F.records() << " record"
                 << (F.records() == 1 ? "" : "s") << " written to "
                 << O.FactsOut << "\n";
}

/// `merge`: --format json outputs combined, printed in --format.
int runMerge(const CliOptions &O) {
  llvm::SmallString<256> CwdBuf;
  fs::current_path(CwdBuf);
  std::string Cwd = realAbsolutePath(std::string(CwdBuf));
  checkFactsOut(O);
  AnalysisResult R;
  std::string Version;
  CrossFileFacts Facts;
  size_t FactsFiles = 0;
  for (const std::string &In : O.Inputs) {
    llvm::ErrorOr<std::string> B = readWholeFileOrStdin(In);
    if (!B)
      usageError("cannot read '" + In + "': " + B.getError().message());
    // Facts files (JSON lines with a header record) are joined, findings
    // JSON merged.
    if (looksLikeFacts(*B)) {
      if (std::string Err = readFactsJsonl(*B, Cwd, Facts); !Err.empty())
        usageError("merge: '" + In + "': " + Err);
      ++FactsFiles;
      continue;
    }
    if (std::string Err = mergeFindingsJson(*B, Cwd, R, Version); !Err.empty())
      usageError("merge: '" + In + "': " + Err);
  }
  if (FactsFiles && O.FactsOut.empty())
    usageError("merge: facts files need --facts-out FILE for the merged facts");
  if (!O.FactsOut.empty())
    writeFacts(O, Facts, Cwd);
  if (FactsFiles == O.Inputs.size())
    return 0;
  sortResults(R);
  OutputContext Ctx;
  Ctx.DisplayRoot = Cwd;
  Ctx.KernelVersion = Version.empty() ? "none" : Version;
  Ctx.PatchName = "The input";
  printFindings(llvm::outs(), O.Format, R, Ctx);
  llvm::outs().flush();
  if (!O.Quiet)
    llvm::errs() << "vmalloc-lint: merge: " << R.Findings.size() << " finding"
                 << (R.Findings.size() == 1 ? "" : "s") << " from "
                 << O.Inputs.size() - FactsFiles << " result"
                 << (O.Inputs.size() - FactsFiles == 1 ? "" : "s") << "\n";
  return R.Findings.empty() ? 0 : 1;
}

/// This program, for worker processes.
std::string workerExecutable(const char *Argv0) {
  static int Anchor;
  std::string Exe = fs::getMainExecutable(Argv0, &Anchor);
  if (Exe.empty())
    usageError("--isolate: cannot find this program's executable");
  return Exe;
}

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

/// --cc: one file, with the compiler arguments kbuild gives a checker.
int runChecker(const CliOptions &O) {
  std::string File = O.CcFile;
  std::vector<std::string> Args = O.CcArgs;
  const CheckGlob &Glob = O.Checks;
  std::string Abs = realAbsolutePath(File);
  FileJob J;
  J.File = Abs;
  J.Options.Checks = Glob;
  {
    llvm::SmallString<256> Here;
    fs::current_path(Here);
    J.Options.Imported = loadFacts(O, realAbsolutePath(std::string(Here)));
  }
  std::optional<KernelTree> T = findKernelTree(Abs);
  if (O.ForcedVersion)
    J.Options.Version = *O.ForcedVersion;
  else
    J.Options.Version = T ? T->Version : KernelVersion::newest();
  std::vector<std::string> Command{"gcc"};
  Command.insert(Command.end(), Args.begin(), Args.end());
  Command.push_back(Abs);
  J.Command = adjustDatabaseCommand(Command, Abs);
  if (O.PrintCompileCommands) {
    llvm::SmallString<256> Dir;
    fs::current_path(Dir);
    llvm::json::Array Db;
    Db.push_back(
        llvm::json::Object{{"directory", std::string(Dir)},
                           {"file", J.File},
                           {"arguments", llvm::json::Array(J.Command)}});
    llvm::outs() << llvm::formatv("{0:2}", llvm::json::Value(std::move(Db)))
                 << "\n";
    return 0;
  }
  llvm::CrashRecoveryContext::Enable();
  std::vector<FileJob> Jobs{std::move(J)};
  RunOptions Run;
  Run.ShowCompilerErrors = O.CompilerErrors;
  RunReport Report = runJobs(Jobs, Run);
  llvm::SmallString<256> CwdBuf;
  fs::current_path(CwdBuf);
  OutputContext Ctx;
  Ctx.DisplayRoot = realAbsolutePath(std::string(CwdBuf));
  Ctx.KernelVersion = Jobs.front().Options.Version.str();
  Ctx.Files = Report.Files;
  Ctx.FilesWithErrors = Report.FilesWithErrors;
  printFindingsText(llvm::errs(), Report.Result, Ctx);
  reportCrashes(Report);
  return O.Werror && !Report.Result.Findings.empty() ? 1 : 0;
}

} // namespace

int main(int argc, const char **argv) {
  auto StartTime = std::chrono::steady_clock::now();
  llvm::sys::PrintStackTraceOnErrorSignal(argv[0]);
  CliOptions O = parseCommandLine(argc, argv);
  switch (O.Mode) {
  case CliMode::Worker:
    return runWorkerProcess(O.WorkerJob);
  case CliMode::Checker:
    return runChecker(O);
  case CliMode::Merge:
    return runMerge(O);
  case CliMode::ListChecks:
    for (const CheckInfo &C : allChecks())
      llvm::outs() << C.Name << "\n    " << C.Summary << "\n";
    return 0;
  case CliMode::Tree:
  case CliMode::Gate:
    break;
  }
  bool Gate = O.Mode == CliMode::Gate;
  const std::vector<FindingKey> &Baseline = O.Baseline;
  const std::optional<KernelVersion> &ForcedVersion = O.ForcedVersion;
  unsigned ShardK = O.ShardK, ShardN = O.ShardN;
  unsigned TimeoutSeconds = O.TimeoutSeconds;
  unsigned MemoryLimitMB = O.MemoryLimitMB;
  bool Isolate = O.Isolate;
  const CheckGlob &Glob = O.Checks;

  std::optional<KernelTree> Tree;
  if (!O.KernelTreeDir.empty()) {
    if (!fs::is_directory(O.KernelTreeDir))
      usageError("--kernel-tree '" + O.KernelTreeDir + "' is not a directory");
    Tree = openKernelTree(O.KernelTreeDir);
    if (!Tree)
      usageError("--kernel-tree '" + O.KernelTreeDir +
                 "' has no top Makefile with VERSION and PATCHLEVEL");
  }

  CompileDatabases Dbs;
  if (!O.BuildPath.empty())
    Dbs.useBuildPath(O.BuildPath);

  llvm::SmallString<256> CwdBuf;
  fs::current_path(CwdBuf);
  std::string Cwd = realAbsolutePath(std::string(CwdBuf));
  checkFactsOut(O);
  std::shared_ptr<const CrossFileFacts> Imported = loadFacts(O, Cwd);

  std::vector<std::string> Files;
  GateRun G;
  unsigned LinesInFiles = 0;
  if (Gate) {
    prepareGate(O, G, Tree, Cwd);
    for (const TouchedFile &T : G.Changes.Files)
      if (isSource(T.Path))
        Files.push_back(G.Root + "/" + T.Path);
  } else {
    Files = treeInputs(O.Inputs, Dbs, O.Format == OutputFormat::Checkpatch,
                       LinesInFiles);
  }

  unsigned Threads = O.Threads;
  // The prefilter: which inputs can hold what the selected checks look
  // for. Not in gate mode (a patch names few files) nor for
  // --print-compile-commands (every input is asked for).
  bool Prefilter = !Gate && !O.NoPrefilter && !O.PrintCompileCommands;
  PrefilterPlan Scan;
  const std::string FirstInput = Files.empty() ? "" : Files.front();
  if (Prefilter) {
    PrefilterNeeds Needs =
        prefilterNeeds(Glob, O.Census, Imported.get(), !O.FactsOut.empty());
    std::optional<KernelTree> T = Tree ? Tree : findKernelTree(Files.front());
    if (T && !T->Arch.empty()) {
      Needs.ForeignDirs.push_back(T->Root + "/tools/");
      std::error_code EC;
      for (fs::directory_iterator It(T->Root + "/arch", EC), End;
           !EC && It != End; It.increment(EC))
        if (llvm::sys::path::filename(It->path()) != T->Arch)
          Needs.ForeignDirs.push_back(It->path() + "/");
    }
    Scan = planPrefilter(
        Files, headersToScan(Files, T ? T->Root : "", T ? T->Arch : ""), Needs,
        Threads);
    Files = Scan.Keep;
  }
  // Function bodies the checks cannot need: skipped by the parse.
  std::shared_ptr<BodySkipping> Skipping;
  // Not when writing facts: they describe every function of a unit, also
  // those whose bodies no selected check needs for its own findings.
  if (Prefilter && !O.NoSkipBodies && O.FactsOut.empty()) {
    Skipping = std::make_shared<BodySkipping>();
    Skipping->Names = KeywordSet(Scan.BodyNames);
    std::vector<std::string> PassTwo;
    for (const CheckInfo &C : passTwoChecks())
      PassTwo.push_back(C.Name);
    bool Provenance = !Glob.select(PassTwo).empty();
    Skipping->KeepMainFile = Provenance;
    Skipping->FollowFields = Provenance;
  }

  // --shard K/N: a contiguous slice of the sorted units (merging the
  // shards in order keeps a direct run's order).
  size_t NotInShard = 0;
  if (ShardN > 1) {
    std::sort(Files.begin(), Files.end());
    size_t N = Files.size();
    size_t Begin = N * (ShardK - 1) / ShardN, End = N * ShardK / ShardN;
    NotInShard = N - (End - Begin);
    Files =
        std::vector<std::string>(Files.begin() + Begin, Files.begin() + End);
  }

  // One job per file: its compile command and its kernel's rules.
  AnalysisOptions Shared;
  Shared.Checks = Glob;
  Shared.SkipBodies = Skipping;
  Shared.Imported = Imported;
  JobMaker MakeJob(Tree, Dbs, Shared, !O.FactsOut.empty(), ForcedVersion);
  std::vector<FileJob> Jobs;
  for (const std::string &F : Files)
    Jobs.push_back(MakeJob.make(F));
  // Units that include a site header, parsed only if no kept unit reads it.
  std::deque<FileJob> HeaderUnits;
  std::vector<SiteHeader> SiteHeaders;
  {
    std::map<std::string, const FileJob *> UnitJob;
    for (const auto &[Header, Units] : Scan.SiteHeaders) {
      SiteHeader S;
      S.Header = Header;
      for (const std::string &U : Units) {
        auto [It, New] = UnitJob.emplace(U, nullptr);
        if (New) {
          HeaderUnits.push_back(MakeJob.make(U));
          HeaderUnits.back().Options.ExportFacts = false;
          It->second = &HeaderUnits.back();
        }
        S.Units.push_back(It->second);
      }
      SiteHeaders.push_back(std::move(S));
    }
  }

  if (O.PrintCompileCommands) {
    llvm::SmallString<256> Dir;
    fs::current_path(Dir);
    llvm::json::Array Db;
    for (const FileJob &J : Jobs)
      Db.push_back(
          llvm::json::Object{{"directory", std::string(Dir)},
                             {"file", J.File},
                             {"arguments", llvm::json::Array(J.Command)}});
    llvm::outs() << llvm::formatv("{0:2}", llvm::json::Value(std::move(Db)))
                 << "\n";
    return 0;
  }

  bool Tty = llvm::sys::Process::StandardErrIsDisplayed();
  Progress Prog(llvm::errs(),
                Tty          ? Progress::Style::Bar
                : O.Progress ? Progress::Style::Lines
                             : Progress::Style::None,
                std::count_if(Jobs.begin(), Jobs.end(), [](const FileJob &J) {
                  return !llvm::StringRef(J.File).ends_with(".h");
                }));
  llvm::CrashRecoveryContext::Enable();
  RunReport Report;
  RunOptions Run;
  Run.Threads = Threads;
  Run.ShowCompilerErrors = O.CompilerErrors;
  Run.Overlay = Gate ? &G.Overlay : nullptr;
  Run.SiteHeaders = Prefilter ? &SiteHeaders : nullptr;
  Run.TimeoutSeconds = TimeoutSeconds;
  Run.Isolate = Isolate;
  Run.MemoryLimitMB = MemoryLimitMB;
  if (Isolate)
    Run.WorkerExecutable = workerExecutable(O.Argv0.c_str());
  Run.OnFileDone = [&Prog, &Cwd](const FileJob &J, size_t N,
                                 RunOptions::Outcome O) {
    llvm::StringRef F(J.File);
    if (F.starts_with(Cwd + "/"))
      F = F.drop_front(Cwd.size() + 1);
    Prog.fileDone(F.str(), N, O);
  };
  if (!Jobs.empty())
    Report = runJobs(Jobs, Run);
  Prog.finish();

  OutputContext Ctx;
  Ctx.DisplayRoot = Cwd;
  std::set<std::string> Versions = MakeJob.versions();
  std::string DiffRoot = MakeJob.treeRoot();
  if (Versions.empty() && !FirstInput.empty()) {
    // Nothing parsed (the prefilter skipped every unit): the rules the
    // inputs would have been analysed with.
    std::optional<KernelTree> T = Tree ? Tree : findKernelTree(FirstInput);
    if (ForcedVersion || T)
      Versions.insert(ForcedVersion ? ForcedVersion->str() : T->Version.str());
  }
  Ctx.KernelVersion = Versions.size() == 1 ? *Versions.begin()
                      : Versions.empty()   ? "none"
                                           : "mixed";
  Ctx.Files = Report.Files;
  Ctx.FilesWithErrors = Report.FilesWithErrors;
  Ctx.LinesChecked = LinesInFiles;
  Ctx.PatchName = O.Inputs.size() == 1 ? O.Inputs.front() : "The input";
  if (Gate) {
    DiffRoot = G.Root;
    Ctx.Contents = &G.Overlay;
    Ctx.PatchName = G.Name;
    Ctx.LinesChecked = G.Patch.HunkLines;
    Ctx.PatchLineOf =
        [&G](const std::string &File,
             unsigned Line) -> std::optional<OutputContext::PatchLineRef> {
      auto It = G.ByFile.find(File);
      if (It == G.ByFile.end() || Line == 0 ||
          Line > It->second->Origins.size())
        return std::nullopt;
      const PatchOrigin &O = It->second->Origins[Line - 1];
      if (!O.InputLine)
        return std::nullopt;
      llvm::StringRef Text = It->second->Content;
      for (unsigned L = 1; L < Line; ++L)
        Text = Text.split('\n').second;
      OutputContext::PatchLineRef Ref;
      Ref.InputLine = O.InputLine;
      Ref.Raw = std::string(1, O.Kind) + Text.split('\n').first.str();
      Ref.Changed = It->second->Changed.count(Line) > 0;
      return Ref;
    };
  }
  if (DiffRoot.empty())
    DiffRoot = Ctx.DisplayRoot;

  AnalysisResult &R = Report.Result;
  size_t Analysed = R.Findings.size(), Unchanged = 0, InBaseline = 0;
  std::vector<bool> OnChanged(R.Findings.size(), true);
  if (Gate)
    for (size_t I = 0; I < R.Findings.size(); ++I)
      OnChanged[I] = touchesFinding(
          R.Findings[I], [&G](const std::string &File) -> const TouchedFile * {
            auto It = G.ByFile.find(File);
            return It == G.ByFile.end() ? nullptr : It->second;
          });
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
    std::vector<bool> Matched = matchBaseline(Keys, Baseline);
    for (size_t K = 0; K < Order.size(); ++K)
      Known[Order[K]] = Matched[K];
  }
  {
    std::vector<Finding> Keep;
    for (size_t I = 0; I < R.Findings.size(); ++I) {
      if (!OnChanged[I])
        ++Unchanged;
      else if (Known[I])
        ++InBaseline;
      else
        Keep.push_back(std::move(R.Findings[I]));
    }
    R.Findings = std::move(Keep);
  }

  FixPlan Plan;
  bool NeedPlan = O.Fix || O.Diff;
  if (NeedPlan)
    Plan = planFixes(R, Gate ? &G.Overlay : nullptr);
  for (const std::string &P : Plan.Problems)
    llvm::errs() << "vmalloc-lint: " << P << "\n";

  if (O.Diff) {
    llvm::outs() << unifiedDiff(Plan, DiffRoot);
  } else if (O.Census) {
    if (O.Format == OutputFormat::Json)
      printCensusJson(llvm::outs(), R, Ctx);
    else
      printCensusText(llvm::outs(), R, Ctx);
  } else {
    printFindings(llvm::outs(), O.Format, R, Ctx);
  }
  llvm::outs().flush();

  if (!O.ExportFixes.empty() && !Files.empty()) {
    if (writeFileAtomically(O.ExportFixes, exportFixesYaml(R, Files.front())))
      usageError("cannot write --export-fixes file '" + O.ExportFixes + "'");
  }

  unsigned Fixed = 0;
  if (O.Fix) {
    std::string Err = writeFixes(Plan);
    if (!Err.empty())
      usageError(Err);
    Fixed = Plan.Files.size();
  }

  unsigned Fixable = 0;
  for (const Finding &F : R.Findings)
    Fixable += F.Fix.has_value();
  if (!O.Quiet && Gate) {
    unsigned Touched = G.Changes.Files.size() + G.Changes.Deleted;
    llvm::errs() << "vmalloc-lint: gate: " << G.Name << ": " << Touched
                 << " file" << (Touched == 1 ? "" : "s") << " touched, "
                 << Files.size() << " .c/.h analysed (" << G.Where << "); "
                 << Analysed << " finding" << (Analysed == 1 ? "" : "s")
                 << " in them, " << Unchanged << " not on changed lines";
    if (!O.BaselineFile.empty())
      llvm::errs() << ", " << InBaseline << " in the baseline";
    llvm::errs() << "\n";
    for (const std::string &S : G.Changes.Skipped)
      llvm::errs() << "vmalloc-lint: note: " << S
                   << ": binary change, not checked\n";
    if (G.Patch.Files.empty())
      llvm::errs() << "vmalloc-lint: note: the patch changes no file; "
                      "nothing to check\n";
  } else if (!O.Quiet && InBaseline) {
    llvm::errs() << "vmalloc-lint: " << InBaseline << " finding"
                 << (InBaseline == 1 ? "" : "s")
                 << " in the baseline not reported\n";
  }
  if (!O.Quiet) {
    llvm::errs() << "vmalloc-lint: " << R.Findings.size() << " finding"
                 << (R.Findings.size() == 1 ? "" : "s") << " (" << Fixable
                 << " with a fix), " << R.Sites.size() << " call site"
                 << (R.Sites.size() == 1 ? "" : "s") << ", " << Report.Files
                 << " file" << (Report.Files == 1 ? "" : "s") << " analysed";
    if (Report.FilesWithErrors)
      llvm::errs() << " (" << Report.FilesWithErrors
                   << " from partial ASTs: they did not fully compile)";
    if (Report.HeadersCovered)
      llvm::errs() << ", " << Report.HeadersCovered << " header"
                   << (Report.HeadersCovered == 1 ? "" : "s")
                   << " covered by the files that include them";
    if (Prefilter)
      llvm::errs() << ", " << Scan.Skip.size() << " skipped by the prefilter";
    if (ShardN > 1)
      llvm::errs() << ", shard " << ShardK << "/" << ShardN << " ("
                   << NotInShard << " in other shards)";
    llvm::errs() << ", kernel rules " << Ctx.KernelVersion;
    if (O.Fix)
      llvm::errs() << ", " << Fixed << " file" << (Fixed == 1 ? "" : "s")
                   << " fixed";
    llvm::errs() << "\n";
  }
  if (O.Summary || (Tty && !O.Quiet)) {
    SummaryCounts C;
    C.Analysed = Report.Files;
    C.ForHeaders = Report.ForHeaders;
    C.HeadersCovered = Report.HeadersCovered;
    C.SkippedByPrefilter = Scan.Skip.size();
    C.NotInShard = NotInShard;
    C.WithErrors = Report.FilesWithErrors;
    C.BodiesParsed = Report.Result.BodiesParsed;
    C.BodiesSkipped = Report.Result.BodiesSkipped;
    C.Crashed = Report.Crashed.size();
    C.TimedOut = Report.TimedOut.size();
    C.OutOfMemory = Report.OutOfMemory.size();
    C.WorkerProcesses = Report.WorkerProcesses;
    C.WorkerCpuSeconds = Report.WorkerCpuSeconds;
    C.WorkerPeakRssKB = Report.WorkerPeakRssKB;
    C.ParentPeakRssKB = peakRssKB();
    C.Findings = R.Findings.size();
    for (const Finding &F : R.Findings)
      ++C.FindingsByCheck[F.Check];
    C.WallSeconds = std::chrono::duration<double>(
                        std::chrono::steady_clock::now() - StartTime)
                        .count();
    printSummaryTable(llvm::errs(), C);
  }
  if (!O.FactsOut.empty())
    writeFacts(O, Report.Result.Facts, Cwd);
  for (const std::string &F : Report.TimedOut)
    llvm::errs() << "vmalloc-lint: error: the analysis of " << F
                 << " timed out (--timeout-per-file " << TimeoutSeconds
                 << "); its results are not reported\n";
  for (const std::string &F : Report.OutOfMemory)
    llvm::errs() << "vmalloc-lint: error: the analysis of " << F
                 << " ran out of memory (--memory-limit " << MemoryLimitMB
                 << "); its results are not reported\n";
  reportCrashes(Report);
  int Status = !Report.Crashed.empty() || !Report.TimedOut.empty() ||
                       !Report.OutOfMemory.empty()
                   ? 3
               : R.Findings.empty() ? 0
                                    : 1;
  if (Report.Abandoned) {
    // A timed-out parse still runs in a thread that cannot be stopped.
    llvm::outs().flush();
    llvm::errs().flush();
    std::_Exit(Status);
  }
  return Status;
}
