// vmalloc-lint: the command-line front end. Inputs, compile flags, the
// runner, and the views of the results; the analysis is in matchers/.
#include "matchers/BodySkipping.h"
#include "matchers/CrossFileFacts.h"
#include "matchers/VmallocAnalysis.h"
#include "tool/ApplyFixes.h"
#include "tool/CiOutput.h"
#include "tool/CompileFlags.h"
#include "tool/ExportFixes.h"
#include "tool/FileIO.h"
#include "tool/FindingsJson.h"
#include "tool/Inputs.h"
#include "tool/Options.h"
#include "tool/Output.h"
#include "tool/PatchGate.h"
#include "tool/Prefilter.h"
#include "tool/PrefilterNeeds.h"
#include "tool/Progress.h"
#include "tool/Runner.h"
#include "tool/WorkerIO.h"

#include "llvm/Support/CommandLine.h"
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
namespace cl = llvm::cl;
namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

namespace {

cl::OptionCategory Category("vmalloc-lint options");

cl::list<std::string> Inputs(cl::Positional, cl::desc("<file or directory>..."),
                             cl::cat(Category));
cl::opt<std::string> BuildPath(
    "p", cl::value_desc("DIR"),
    cl::desc("Read compile_commands.json from DIR. Without -p, as clang "
             "tools do, the one in a file's directory or its parents is used. "
             "Without inputs, analyse every file DIR's database lists"),
    cl::cat(Category));
cl::opt<std::string> KernelTreeDir(
    "kernel-tree", cl::value_desc("DIR"),
    cl::desc("Kernel source tree (after make defconfig && make prepare): "
             "synthesise kbuild's compile flags for files no compile "
             "database covers, and take the kernel version from its Makefile"),
    cl::cat(Category));
cl::opt<std::string> KernelVersionOpt(
    "kernel-version", cl::value_desc("X.Y"),
    cl::desc("Apply the rules of this kernel version (default: VERSION and "
             "PATCHLEVEL of the tree's top Makefile; without a tree, the "
             "newest rules)"),
    cl::cat(Category));
cl::opt<std::string> Checks(
    "checks", cl::value_desc("GLOB[,-GLOB]"), cl::init("vmalloc-*"),
    cl::desc("Checks to run, clang-tidy syntax: comma-separated globs, '-' "
             "removes (default: vmalloc-*)"),
    cl::cat(Category));
cl::opt<std::string>
    Format("format", cl::value_desc("text|json|checkpatch|sarif|github"),
           cl::init("text"),
           cl::desc("Output format (default: text). checkpatch: like "
                    "scripts/checkpatch.pl; sarif: SARIF 2.1.0 for "
                    "code-scanning services; github: GitHub Actions "
                    "::warning annotations"),
           cl::cat(Category));
cl::opt<std::string> PatchFile(
    "patch", cl::value_desc("FILE|-"),
    cl::desc("Gate mode: analyse the .c/.h files a unified diff or git "
             "format-patch mail (or series) touches and report only findings "
             "on lines it adds or changes. The tree (--kernel-tree, else the "
             "current directory) may hold the patch already (analysed as it "
             "is) or not yet (the patched files are analysed in memory; "
             "nothing is written). Exit 2 if it does not apply"),
    cl::cat(Category));
cl::opt<std::string> GitRange(
    "git-range", cl::value_desc("A..B"),
    cl::desc("Gate mode on `git diff A..B` (A...B: from the merge base) of "
             "the repository holding the tree (or the current directory); "
             "files are analysed as they are in B"),
    cl::cat(Category));
cl::opt<std::string> Since(
    "since", cl::value_desc("REV"),
    cl::desc("Gate mode on `git diff REV`: what was committed since REV and "
             "what is changed in the work tree, analysed in the work tree"),
    cl::cat(Category));
cl::opt<std::string> BaselineFile(
    "baseline", cl::value_desc("FILE"),
    cl::desc("A previous --format json result: findings already in it "
             "(same check, file, code line and context, whatever the line "
             "number) are not reported"),
    cl::cat(Category));
cl::opt<bool> Census("census",
                     cl::desc("List every vmalloc-family call site with its "
                              "gfp argument, evaluated flags and class"),
                     cl::cat(Category));
cl::opt<bool> Fix("fix",
                  cl::desc("Apply the fixes in place (atomically; files "
                           "changed since they were read are refused)"),
                  cl::cat(Category));
cl::opt<bool> Diff("diff",
                   cl::desc("Print the fixes as a unified diff (git apply "
                            "at the tree root) instead of the findings. In "
                            "gate mode only the reported findings' fixes, "
                            "against the patched files"),
                   cl::cat(Category));
cl::opt<std::string> ExportFixes(
    "export-fixes", cl::value_desc("FILE"),
    cl::desc("Write the fixes as YAML for clang-apply-replacements"),
    cl::cat(Category));
cl::opt<unsigned>
    JobsOpt("j", cl::value_desc("N"), cl::Prefix,
            cl::desc("Analyse N files in parallel, also --jobs N (default: "
                     "number of CPUs)"),
            cl::cat(Category));
cl::alias JobsLong("jobs", cl::desc("Alias for -j"), cl::aliasopt(JobsOpt),
                   cl::cat(Category));
cl::opt<bool> NoPrefilter(
    "no-prefilter",
    cl::desc("Parse every input. By default a textual scan first skips the "
             ".c files that mention no name the selected checks look for "
             "(nor a header wrapper or macro around one); headers holding "
             "such names are analysed once, through a unit that includes "
             "them (docs/whole-tree.md)"),
    cl::cat(Category));
cl::opt<bool> NoSkipBodies(
    "no-skip-bodies",
    cl::desc("Parse every function body. By default, with the prefilter, "
             "the parse skips the bodies that mention no name the selected "
             "checks look for (nor a macro, wrapper or, for pass 2, struct "
             "member that leads to one): most of a kernel unit is header "
             "inline functions the checks cannot need (docs/whole-tree.md)"),
    cl::cat(Category));
cl::opt<bool> ProgressOpt(
    "progress",
    cl::desc("Report progress on stderr: a line per file when stderr is not "
             "a terminal (on a terminal a progress bar is always drawn)"),
    cl::cat(Category));
cl::opt<bool> SummaryTable(
    "summary",
    cl::desc("Print a summary table on stderr at the end (files analysed, "
             "skipped by the prefilter, with errors, crashed or timed out, "
             "findings per check, wall time); on by default when stderr is "
             "a terminal"),
    cl::cat(Category));
cl::opt<std::string> TimeoutOpt(
    "timeout-per-file", cl::value_desc("SECONDS"),
    cl::desc("A file whose analysis takes longer is reported as timed out "
             "(its results dropped, exit status 3) and the run goes on with "
             "a fresh worker (with --isolate the stuck worker process is "
             "killed; a thread cannot be: it runs on until the end)"),
    cl::cat(Category));
cl::opt<bool> IsolateOpt(
    "isolate",
    cl::desc("Analyse each translation unit in a worker process of its own "
             "instead of a thread: a crash ends that process only, a file "
             "over --timeout-per-file is killed (its parse stops), and "
             "--memory-limit bounds each worker"),
    cl::cat(Category));
cl::opt<std::string> MemoryLimitOpt(
    "memory-limit", cl::value_desc("MB"),
    cl::desc("Address-space limit of each worker process in MiB (RLIMIT_AS; "
             "implies --isolate): a file that needs more is reported as out "
             "of memory (its results dropped, exit status 3) and the run "
             "goes on"),
    cl::cat(Category));
cl::opt<std::string>
    WorkerJobFile("worker", cl::value_desc("JOBFILE"), cl::Hidden,
                  cl::desc("Internal: the worker process of --isolate"));
cl::opt<bool> CompilerErrors(
    "compiler-errors",
    cl::desc("Print the compiler's errors (by default files with errors are "
             "analysed from their partial AST and only counted)"),
    cl::cat(Category));
cl::opt<bool> ListChecks("list-checks", cl::desc("List the checks and exit"),
                         cl::cat(Category));
cl::opt<bool> PrintCompileCommands(
    "print-compile-commands",
    cl::desc("Print, as compile_commands.json, the command each input is "
             "analysed with (for clang-tidy and the plugin), and exit"),
    cl::cat(Category));
cl::opt<bool> Quiet("quiet", cl::desc("No summary line on stderr"),
                    cl::cat(Category));
cl::opt<bool> CcMode(
    "cc",
    cl::desc(
        "Checker mode, as kbuild runs sparse: make C=1 CHECK=\"vmalloc-lint "
        "--cc\" (C=2: every file, without building). Every argument "
        "after --cc that is not a vmalloc-lint --option (give those as "
        "--name=value) is a compiler argument; the last .c is the file, "
        "analysed with exactly those flags (gcc-only ones dropped). "
        "Findings go to stderr like compiler warnings and the exit "
        "status is 0, so that the build goes on, unless --werror"),
    cl::cat(Category));
cl::opt<std::string> ShardOpt(
    "shard", cl::value_desc("K/N"),
    cl::desc("Analyse only the K-th of N slices of the (sorted, prefiltered) "
             "translation units, so that N jobs of a CI matrix or batch "
             "system share a tree; combine their --format json outputs with "
             "`vmalloc-lint merge`"),
    cl::cat(Category));
cl::opt<std::string> FactsOut(
    "facts-out", cl::value_desc("FILE"),
    cl::desc("Write the cross-file facts of the analysed units (exported gfp "
             "wrappers, functions returning vmalloc memory, struct fields "
             "assigned it, functions whose parameter reaches a sink) to FILE "
             "as JSON lines (phase 1 of a whole-tree run; shards' facts are "
             "combined with `vmalloc-lint merge --facts-out`)"),
    cl::cat(Category));
cl::list<std::string> FactsIn(
    "facts-in", cl::value_desc("FILE"),
    cl::desc("Read cross-file facts (--facts-out files; repeatable, joined) "
             "and use them for what a unit calls or reads but does not "
             "define: callers of another file's gfp wrapper become call "
             "sites, return, parameter and field provenance crosses files "
             "(phase 2; the prefilter keeps units naming an imported "
             "function)"),
    cl::cat(Category));
cl::opt<bool> Werror("werror",
                     cl::desc("With --cc: exit 1 when there are findings"),
                     cl::cat(Category));

cl::extrahelp ChecksHelp(
    "\nChecks (docs/checks/NAME.md):\n"
    "  vmalloc-redundant-highmem  __GFP_HIGHMEM to vmalloc (>= 4.12); fix "
    "drops it\n"
    "  vmalloc-lowmem-gfp         no __GFP_HIGHMEM to __vmalloc* (< 4.12); fix "
    "adds it\n"
    "  vmalloc-zone-gfp           GFP_DMA/GFP_DMA32 to __vmalloc*, "
    "GFP_ZONE_BAD mixes\n"
    "  vmalloc-kvmalloc-highmem   __GFP_HIGHMEM/__GFP_DMA32 to kvmalloc*; fix "
    "drops highmem\n"
    "  vmalloc-unsupported-gfp    flags the kernel's vmalloc does not honour\n"
    "  pass 2 (where the memory goes; docs/pass2.md):\n"
    "  vmalloc-virt-to-phys       vmalloc/vmap/kvmalloc memory to "
    "virt_to_phys, "
    "__pa, virt_to_page...; fix: vmalloc_to_page/pfn\n"
    "  vmalloc-dma-map            such memory to dma_map_single, sg_init_one, "
    "sg_set_buf, USB transfers\n"
    "  vmalloc-dma32-device       page addresses of non-vmalloc_32 memory to "
    "MMIO or a 32-bit device's descriptors\n"
    "  vmalloc-free-mismatch      kfree of vmalloc memory, vfree of kmalloc "
    "memory, kvmalloc memory not to kvfree\n"
    "  vmalloc-stack-dma          a stack buffer (CONFIG_VMAP_STACK) at any of "
    "those sinks\n"
    "\nExamples:\n"
    "  vmalloc-lint --kernel-tree linux -j2 linux/drivers/md\n"
    "  vmalloc-lint --kernel-tree . --diff mm fs > fix.patch   (git apply at "
    "the tree root)\n"
    "  vmalloc-lint -p build --census --format json\n"
    "\nCI gate (only what a change adds or changes; docs/ci-gate.md):\n"
    "  vmalloc-lint --git-range origin/master..HEAD --format sarif > "
    "gate.sarif\n"
    "  git format-patch -3 --stdout | vmalloc-lint --patch - --format "
    "checkpatch\n"
    "  vmalloc-lint --since HEAD~1 --baseline old.json --diff > fix.patch\n"
    "\nWhole trees (docs/whole-tree.md):\n"
    "  vmalloc-lint -p BUILD_DIR --jobs 8 --summary   (make "
    "compile_commands.json)\n"
    "  make C=2 CHECK=\"vmalloc-lint --cc\" drivers/md/   (kbuild checker "
    "hook)\n"
    "  vmalloc-lint --kernel-tree linux --shard 2/4 --format json linux > "
    "s2.json\n"
    "  vmalloc-lint merge [--format F] s1.json s2.json ...   (shards' "
    "results, in shard order)\n"
    "\nCross-file facts (map, then reduce):\n"
    "  vmalloc-lint --kernel-tree linux --facts-out tree.facts linux\n"
    "  vmalloc-lint --kernel-tree linux --facts-in tree.facts linux\n"
    "  vmalloc-lint merge --facts-out tree.facts s1.facts s2.facts ...\n");

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

void prepareGate(GateRun &G, const std::optional<KernelTree> &Tree,
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
  if (!PatchFile.empty()) {
    G.Root = realAbsolutePath(Base);
    G.Name = PatchFile == "-" ? "Your patch" : PatchFile.getValue();
    llvm::ErrorOr<std::string> B = readWholeFileOrStdin(PatchFile);
    if (!B)
      usageError("cannot read --patch '" + PatchFile +
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
    if (!GitRange.empty()) {
      llvm::StringRef R = GitRange;
      size_t Dots = R.find("..");
      if (Dots == llvm::StringRef::npos)
        usageError("--git-range must look like A..B or A...B, not '" +
                   GitRange + "'");
      std::string A = R.substr(0, Dots).str();
      llvm::StringRef Rest = R.substr(Dots + 2);
      Rest.consume_front(".");
      std::string B = Rest.empty() ? "HEAD" : Rest.str();
      if (A.empty())
        usageError("--git-range '" + GitRange + "' has no start revision");
      gitRev(G.Root, A);
      std::string BSha = gitRev(G.Root, B);
      DiffArgs.push_back(GitRange);
      G.Name = GitRange;
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
      gitRev(G.Root, Since);
      DiffArgs.push_back(Since);
      G.Name = Since + "..work tree";
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
std::shared_ptr<const CrossFileFacts> loadFacts(const std::string &Cwd) {
  if (FactsIn.empty())
    return nullptr;
  auto F = std::make_shared<CrossFileFacts>();
  for (const std::string &In : FactsIn) {
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
void checkFactsOut() {
  if (FactsOut.empty())
    return;
  std::string Tmp = FactsOut + ".tmp";
  if (std::error_code EC = writeFile(Tmp, ""))
    usageError("cannot write --facts-out '" + FactsOut + "': " + EC.message());
  fs::remove(Tmp);
}

/// Writes the facts atomically: no half-written file.
void writeFacts(const CrossFileFacts &F, const std::string &Cwd) {
  if (std::error_code EC =
          writeFileAtomically(FactsOut, writeFactsJsonl(F, Cwd)))
    usageError("cannot write --facts-out '" + FactsOut + "': " + EC.message());
  if (!Quiet)
    llvm::errs() << "vmalloc-lint: facts: " << F.records() << " record"
                 << (F.records() == 1 ? "" : "s") << " written to " << FactsOut
                 << "\n";
}

/// `merge`: --format json outputs combined, printed in --format.
int runMerge() {
  if (Inputs.empty())
    usageError("merge: give the --format json outputs to merge");
  if (Census || Fix || Diff || !ExportFixes.empty() || !PatchFile.empty() ||
      !GitRange.empty() || !Since.empty() || !ShardOpt.empty() || CcMode ||
      !BuildPath.empty() || !KernelTreeDir.empty() || !FactsIn.empty())
    usageError("merge takes --format, --facts-out, --quiet and the files to "
               "merge");
  if (Format != "text" && Format != "json" && Format != "checkpatch" &&
      Format != "sarif" && Format != "github")
    usageError("--format must be text, json, checkpatch, sarif or github, "
               "not '" +
               Format + "'");
  llvm::SmallString<256> CwdBuf;
  fs::current_path(CwdBuf);
  std::string Cwd = realAbsolutePath(std::string(CwdBuf));
  checkFactsOut();
  AnalysisResult R;
  std::string Version;
  CrossFileFacts Facts;
  size_t FactsFiles = 0;
  for (const std::string &In : Inputs) {
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
  if (FactsFiles && FactsOut.empty())
    usageError("merge: facts files need --facts-out FILE for the merged facts");
  if (!FactsOut.empty())
    writeFacts(Facts, Cwd);
  if (FactsFiles == Inputs.size())
    return 0;
  sortResults(R);
  OutputContext Ctx;
  Ctx.DisplayRoot = Cwd;
  Ctx.KernelVersion = Version.empty() ? "none" : Version;
  Ctx.PatchName = "The input";
  if (Format == "json")
    printFindingsJson(llvm::outs(), R, Ctx);
  else if (Format == "checkpatch")
    printFindingsCheckpatch(llvm::outs(), R, Ctx);
  else if (Format == "sarif")
    printFindingsSarif(llvm::outs(), R, Ctx);
  else if (Format == "github")
    printFindingsGithub(llvm::outs(), R, Ctx);
  else
    printFindingsText(llvm::outs(), R, Ctx);
  llvm::outs().flush();
  if (!Quiet)
    llvm::errs() << "vmalloc-lint: merge: " << R.Findings.size() << " finding"
                 << (R.Findings.size() == 1 ? "" : "s") << " from "
                 << Inputs.size() - FactsFiles << " result"
                 << (Inputs.size() - FactsFiles == 1 ? "" : "s") << "\n";
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
int runChecker(std::vector<std::string> Args) {
  if (!Inputs.empty())
    usageError("--cc takes compiler arguments and one .c file, not inputs");
  if (Args.empty())
    usageError("--cc: no compiler arguments and no .c file");
  auto Last =
      std::find_if(Args.rbegin(), Args.rend(), [](const std::string &A) {
        return llvm::StringRef(A).ends_with(".c");
      });
  if (Last == Args.rend())
    usageError("--cc: no .c file among the compiler arguments");
  std::string File = *Last;
  Args.erase(std::next(Last).base());
  fs::file_status St;
  if (std::error_code EC = fs::status(File, St))
    usageError("cannot access '" + File + "': " + EC.message());
  CheckGlob Glob(Checks);
  std::string Abs = realAbsolutePath(File);
  FileJob J;
  J.File = Abs;
  J.Options.Checks = Glob;
  {
    llvm::SmallString<256> Here;
    fs::current_path(Here);
    J.Options.Imported = loadFacts(realAbsolutePath(std::string(Here)));
  }
  std::optional<KernelTree> T = findKernelTree(Abs);
  if (!KernelVersionOpt.empty()) {
    std::optional<KernelVersion> V = KernelVersion::parse(KernelVersionOpt);
    if (!V)
      usageError("--kernel-version must look like 6.1, not '" +
                 KernelVersionOpt + "'");
    J.Options.Version = *V;
  } else {
    J.Options.Version = T ? T->Version : KernelVersion::newest();
  }
  std::vector<std::string> Command{"gcc"};
  Command.insert(Command.end(), Args.begin(), Args.end());
  Command.push_back(Abs);
  J.Command = adjustDatabaseCommand(Command, Abs);
  if (PrintCompileCommands) {
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
  Run.ShowCompilerErrors = CompilerErrors;
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
  return Werror && !Report.Result.Findings.empty() ? 1 : 0;
}

} // namespace

int main(int argc, const char **argv) {
  auto StartTime = std::chrono::steady_clock::now();
  llvm::sys::PrintStackTraceOnErrorSignal(argv[0]);
  cl::HideUnrelatedOptions(Category);
  cl::SetVersionPrinter([](llvm::raw_ostream &OS) {
    OS << "vmalloc-lint 0.1 (Clang/LLVM 19)\n";
  });
  // `vmalloc-lint merge FILE...`: the inputs are --format json results.
  bool MergeMode = argc > 1 && llvm::StringRef(argv[1]) == "merge";
  int First = MergeMode ? 2 : 1; // the arguments after `merge`
  // --cc: split the command line into the tool's options and the
  // compiler's arguments (kbuild: $(CHECK) $(CHECKFLAGS) $(c_flags) file.c).
  std::vector<const char *> ToolArgv{argv[0]};
  std::vector<std::string> CcArgs;
  {
    bool AfterCc = false;
    const auto &Registered = cl::getRegisteredOptions();
    for (int I = First; I < argc; ++I) {
      llvm::StringRef A(argv[I]);
      if (!AfterCc) {
        ToolArgv.push_back(argv[I]);
        AfterCc = A == "--cc" || A == "-cc";
        continue;
      }
      llvm::StringRef Name = A.starts_with("--") ? A.drop_front(2) : "";
      Name = Name.split('=').first;
      auto It = Name.empty() ? Registered.end() : Registered.find(Name);
      if (It == Registered.end() || It->second->Categories.empty() ||
          llvm::find(It->second->Categories, &Category) ==
              It->second->Categories.end()) {
        CcArgs.push_back(argv[I]);
        continue;
      }
      ToolArgv.push_back(argv[I]);
      if (!A.contains('=') &&
          It->second->getValueExpectedFlag() == cl::ValueRequired &&
          I + 1 < argc)
        ToolArgv.push_back(argv[++I]);
    }
  }
  std::string ParseErrors;
  llvm::raw_string_ostream ErrOS(ParseErrors);
  if (!cl::ParseCommandLineOptions(
          int(ToolArgv.size()), ToolArgv.data(),
          "vmalloc-lint: find vmalloc-family call sites in Linux kernel "
          "source, classify their gfp flags, fix redundant __GFP_HIGHMEM; "
          "follow vmalloc memory to virt_to_phys, DMA, the wrong free and "
          "32-bit devices.\n\n"
          "Exit status: 0 no findings, 1 findings, 2 bad usage or input, "
          "3 a file crashed the analysis, timed out or ran out of memory. In "
          "gate mode "
          "(--patch, --git-range, --since): 1 when it reports anything, 0 "
          "when clean (also for an empty diff), 2 when the patch cannot be "
          "parsed or does not apply to the tree (the reason names the file "
          "and hunk).\n",
          &ErrOS)) {
    ErrOS.flush();
    std::string First = ParseErrors.substr(0, ParseErrors.find('\n'));
    // "vmalloc-lint: Unknown command line argument '--x'.  Try: ..."
    if (size_t P = First.find("  Try:"); P != std::string::npos)
      First = First.substr(0, P);
    if (First.rfind("vmalloc-lint: ", 0) == 0)
      First = First.substr(14);
    usageError(First);
  }

  if (!WorkerJobFile.empty())
    return runWorkerProcess(WorkerJobFile);
  if (CcMode)
    return runChecker(CcArgs);
  if (MergeMode)
    return runMerge();
  if (Werror)
    usageError("--werror is for --cc (checker) mode");
  if (ListChecks) {
    for (const CheckInfo &C : allChecks())
      llvm::outs() << C.Name << "\n    " << C.Summary << "\n";
    return 0;
  }
  if (Format != "text" && Format != "json" && Format != "checkpatch" &&
      Format != "sarif" && Format != "github")
    usageError("--format must be text, json, checkpatch, sarif or github, "
               "not '" +
               Format + "'");
  bool Gate = !PatchFile.empty() || !GitRange.empty() || !Since.empty();
  if ((!PatchFile.empty()) + (!GitRange.empty()) + (!Since.empty()) > 1)
    usageError("--patch, --git-range and --since exclude each other");
  if (Gate && !Inputs.empty())
    usageError("inputs cannot be given with --patch, --git-range or --since: "
               "the change says what to analyse");
  if (Gate && Fix)
    usageError("--fix cannot be used in gate mode (the tree is never "
               "modified); --diff prints the fixes");
  if (Census && Format != "text" && Format != "json")
    usageError("--census prints text or json, not " + Format);
  if (Gate && ShardOpt.getNumOccurrences())
    usageError("--shard cannot be used in gate mode");
  if (Gate && Census)
    usageError("--census cannot be used in gate mode");
  std::vector<FindingKey> Baseline;
  if (!BaselineFile.empty()) {
    llvm::ErrorOr<std::string> B = readWholeFile(BaselineFile);
    if (!B)
      usageError("cannot read --baseline '" + BaselineFile +
                 "': " + B.getError().message());
    if (std::string Err = loadBaseline(*B, Baseline); !Err.empty())
      usageError("--baseline '" + BaselineFile + "': " + Err);
  }
  std::optional<KernelVersion> ForcedVersion;
  if (!KernelVersionOpt.empty()) {
    ForcedVersion = KernelVersion::parse(KernelVersionOpt);
    if (!ForcedVersion)
      usageError("--kernel-version must look like 6.1, not '" +
                 KernelVersionOpt + "'");
  }
  unsigned ShardK = 1, ShardN = 1;
  if (ShardOpt.getNumOccurrences()) {
    auto [K, N] = llvm::StringRef(ShardOpt).split('/');
    if (K.getAsInteger(10, ShardK) || N.getAsInteger(10, ShardN) ||
        ShardN == 0 || ShardK == 0 || ShardK > ShardN)
      usageError("--shard must be K/N with 1 <= K <= N, not '" + ShardOpt +
                 "'");
  }
  unsigned TimeoutSeconds = 0;
  if (TimeoutOpt.getNumOccurrences()) {
    llvm::StringRef T(TimeoutOpt);
    if (T.getAsInteger(10, TimeoutSeconds) || TimeoutSeconds == 0 ||
        TimeoutSeconds > 86400)
      usageError("--timeout-per-file must be a number of seconds from 1 to "
                 "86400, not '" +
                 TimeoutOpt + "'");
  }
  unsigned MemoryLimitMB = 0;
  if (MemoryLimitOpt.getNumOccurrences()) {
    llvm::StringRef M(MemoryLimitOpt);
    if (M.getAsInteger(10, MemoryLimitMB) || MemoryLimitMB < 64 ||
        MemoryLimitMB > (1u << 24))
      usageError("--memory-limit must be a number of MiB from 64 to 16777216, "
                 "not '" +
                 MemoryLimitOpt + "'");
  }
  bool Isolate = IsolateOpt || MemoryLimitMB;
  CheckGlob Glob(Checks);
  {
    std::vector<std::string> Names;
    for (const CheckInfo &C : allChecks())
      Names.push_back(C.Name);
    if (Glob.select(Names).empty())
      usageError("--checks='" + Checks +
                 "' enables no check (see --list-checks)");
  }

  std::optional<KernelTree> Tree;
  if (!KernelTreeDir.empty()) {
    if (!fs::is_directory(KernelTreeDir))
      usageError("--kernel-tree '" + KernelTreeDir + "' is not a directory");
    Tree = openKernelTree(KernelTreeDir);
    if (!Tree)
      usageError("--kernel-tree '" + KernelTreeDir +
                 "' has no top Makefile with VERSION and PATCHLEVEL");
  }

  CompileDatabases Dbs;
  if (!BuildPath.empty())
    Dbs.useBuildPath(BuildPath);

  llvm::SmallString<256> CwdBuf;
  fs::current_path(CwdBuf);
  std::string Cwd = realAbsolutePath(std::string(CwdBuf));
  checkFactsOut();
  std::shared_ptr<const CrossFileFacts> Imported = loadFacts(Cwd);

  std::vector<std::string> Files;
  GateRun G;
  unsigned LinesInFiles = 0;
  if (Gate) {
    prepareGate(G, Tree, Cwd);
    for (const TouchedFile &T : G.Changes.Files)
      if (isSource(T.Path))
        Files.push_back(G.Root + "/" + T.Path);
  } else {
    Files = treeInputs(Inputs, Dbs, Format == "checkpatch", LinesInFiles);
  }

  unsigned Threads = JobsOpt.getNumOccurrences()
                         ? std::max(1u, unsigned(JobsOpt))
                         : std::max(1u, std::thread::hardware_concurrency());
  // The prefilter: which inputs can hold what the selected checks look
  // for. Not in gate mode (a patch names few files) nor for
  // --print-compile-commands (every input is asked for).
  bool Prefilter = !Gate && !NoPrefilter && !PrintCompileCommands;
  PrefilterPlan Scan;
  const std::string FirstInput = Files.empty() ? "" : Files.front();
  if (Prefilter) {
    PrefilterNeeds Needs =
        prefilterNeeds(Glob, Census, Imported.get(), !FactsOut.empty());
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
  if (Prefilter && !NoSkipBodies && FactsOut.empty()) {
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
  JobMaker MakeJob(Tree, Dbs, Shared, !FactsOut.empty(), ForcedVersion);
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

  if (PrintCompileCommands) {
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
                Tty           ? Progress::Style::Bar
                : ProgressOpt ? Progress::Style::Lines
                              : Progress::Style::None,
                std::count_if(Jobs.begin(), Jobs.end(), [](const FileJob &J) {
                  return !llvm::StringRef(J.File).ends_with(".h");
                }));
  llvm::CrashRecoveryContext::Enable();
  RunReport Report;
  RunOptions Run;
  Run.Threads = Threads;
  Run.ShowCompilerErrors = CompilerErrors;
  Run.Overlay = Gate ? &G.Overlay : nullptr;
  Run.SiteHeaders = Prefilter ? &SiteHeaders : nullptr;
  Run.TimeoutSeconds = TimeoutSeconds;
  Run.Isolate = Isolate;
  Run.MemoryLimitMB = MemoryLimitMB;
  if (Isolate)
    Run.WorkerExecutable = workerExecutable(argv[0]);
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
  Ctx.PatchName = Inputs.size() == 1 ? Inputs.front() : "The input";
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
  if (!BaselineFile.empty()) {
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
  bool NeedPlan = Fix || Diff;
  if (NeedPlan)
    Plan = planFixes(R, Gate ? &G.Overlay : nullptr);
  for (const std::string &P : Plan.Problems)
    llvm::errs() << "vmalloc-lint: " << P << "\n";

  if (Diff) {
    llvm::outs() << unifiedDiff(Plan, DiffRoot);
  } else if (Census) {
    if (Format == "json")
      printCensusJson(llvm::outs(), R, Ctx);
    else
      printCensusText(llvm::outs(), R, Ctx);
  } else if (Format == "json") {
    printFindingsJson(llvm::outs(), R, Ctx);
  } else if (Format == "checkpatch") {
    printFindingsCheckpatch(llvm::outs(), R, Ctx);
  } else if (Format == "sarif") {
    printFindingsSarif(llvm::outs(), R, Ctx);
  } else if (Format == "github") {
    printFindingsGithub(llvm::outs(), R, Ctx);
  } else {
    printFindingsText(llvm::outs(), R, Ctx);
  }
  llvm::outs().flush();

  if (!ExportFixes.empty() && !Files.empty()) {
    if (writeFileAtomically(ExportFixes, exportFixesYaml(R, Files.front())))
      usageError("cannot write --export-fixes file '" + ExportFixes + "'");
  }

  unsigned Fixed = 0;
  if (Fix) {
    std::string Err = writeFixes(Plan);
    if (!Err.empty())
      usageError(Err);
    Fixed = Plan.Files.size();
  }

  unsigned Fixable = 0;
  for (const Finding &F : R.Findings)
    Fixable += F.Fix.has_value();
  if (!Quiet && Gate) {
    unsigned Touched = G.Changes.Files.size() + G.Changes.Deleted;
    llvm::errs() << "vmalloc-lint: gate: " << G.Name << ": " << Touched
                 << " file" << (Touched == 1 ? "" : "s") << " touched, "
                 << Files.size() << " .c/.h analysed (" << G.Where << "); "
                 << Analysed << " finding" << (Analysed == 1 ? "" : "s")
                 << " in them, " << Unchanged << " not on changed lines";
    if (!BaselineFile.empty())
      llvm::errs() << ", " << InBaseline << " in the baseline";
    llvm::errs() << "\n";
    for (const std::string &S : G.Changes.Skipped)
      llvm::errs() << "vmalloc-lint: note: " << S
                   << ": binary change, not checked\n";
    if (G.Patch.Files.empty())
      llvm::errs() << "vmalloc-lint: note: the patch changes no file; "
                      "nothing to check\n";
  } else if (!Quiet && InBaseline) {
    llvm::errs() << "vmalloc-lint: " << InBaseline << " finding"
                 << (InBaseline == 1 ? "" : "s")
                 << " in the baseline not reported\n";
  }
  if (!Quiet) {
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
    if (Fix)
      llvm::errs() << ", " << Fixed << " file" << (Fixed == 1 ? "" : "s")
                   << " fixed";
    llvm::errs() << "\n";
  }
  if (SummaryTable || (Tty && !Quiet)) {
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
  if (!FactsOut.empty())
    writeFacts(Report.Result.Facts, Cwd);
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
