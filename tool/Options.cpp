#include "tool/Options.h"

#include "tool/FileIO.h"
#include "tool/FindingsJson.h"

#include "matchers/checks/CheckRegistry.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace vmalloc_lint {

void usageError(const std::string &Msg) {
  llvm::errs() << "vmalloc-lint: error: " << Msg << "\n";
  llvm::errs().flush();
  std::exit(2);
}

namespace {

namespace cl = llvm::cl;

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
cl::opt<std::string> ArchCache(
    "arch-cache", cl::value_desc("DIR"),
    cl::desc("Where other arches' views of a kernel tree are prepared and "
             "kept (default: $XDG_CACHE_HOME/vmalloc-lint/arch, else "
             "~/.cache/vmalloc-lint/arch). A file under arch/X/ of a tree "
             "configured for another arch is analysed as arch X: once per "
             "tree and arch, `make ARCH=X LLVM=-19 O=DIR/<tree>/X/obj "
             "defconfig prepare` over a symlink farm of the sources (the "
             "tree is not written; about 4 MB and 10 s to 3 min each). "
             "Clear it with rm -rf DIR"),
    cl::cat(Category));
cl::opt<bool> NoArchViews(
    "no-arch-views",
    cl::desc("Analyse other arches' files with the configured arch's flags "
             "(no prepared views, nothing written to the cache)"),
    cl::cat(Category));
cl::opt<std::string> KernelVersionOpt(
    "kernel-version", cl::value_desc("X.Y"),
    cl::desc("Apply the rules of this kernel version (default: VERSION and "
             "PATCHLEVEL of the tree's top Makefile; without a tree, the "
             "newest rules)"),
    cl::cat(Category));
cl::opt<std::string> MigrateToOpt(
    "migrate-to", cl::value_desc("X.Y"),
    cl::desc("Run vmalloc-api-migration: rewrite calls of the vmalloc API "
             "that kernel X.Y no longer has in their form (the code's own "
             "kernel: --kernel-version or the tree's). Without it that check "
             "is off (docs/api-migration.md)"),
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
                  cl::desc("Apply the fixes in place (atomically, keeping "
                           "the files' modes; files changed since they were "
                           "read, or whose mode forbids writing, are refused "
                           "and nothing is written)"),
                  cl::cat(Category));
cl::opt<bool> Diff("diff",
                   cl::desc("Print the fixes as a unified diff (git apply "
                            "at the tree root) instead of the findings. In "
                            "gate mode only the reported findings' fixes, "
                            "against the patched files"),
                   cl::cat(Category));
cl::opt<std::string> Series(
    "series", cl::value_desc("DIR"),
    cl::desc("Write the fixes as a git format-patch style series in DIR: "
             "0000-cover-letter.patch and one patch per MAINTAINERS "
             "section, subjects in the subsystem's style (git log), To/Cc "
             "from the tree's scripts/get_maintainer.pl, each patch checked "
             "with the tree's scripts/checkpatch.pl --strict (exit status "
             "1 if one is not clean)"),
    cl::cat(Category));
cl::opt<std::string> Signoff(
    "signoff", cl::value_desc("NAME <EMAIL>"),
    cl::desc("--series: the From: and Signed-off-by: identity (default: "
             "git's user.name and user.email)"),
    cl::cat(Category));
cl::opt<bool> SeriesBuild(
    "series-build",
    cl::desc("--series: compile every touched .c file with kbuild (make "
             "path/file.o at the tree root) with the fix and without it, "
             "and report new warnings (the file is restored afterwards; "
             "needs a configured tree)"),
    cl::cat(Category));
cl::opt<std::string> OutputFileOpt(
    "o", cl::value_desc("FILE"),
    cl::desc("Write the results (findings in any --format, the census, the "
             "--diff patch, --print-compile-commands' database) to FILE "
             "instead of stdout, also --output=FILE. FILE is replaced "
             "atomically when the run ends, after every input was read: -o "
             "compile_commands.json with the database being read works; "
             "on an error (exit status 2) it is left as it was. '-': stdout"),
    cl::cat(Category));
cl::alias OutputFileLong("output", cl::desc("Alias for -o"),
                         cl::aliasopt(OutputFileOpt), cl::cat(Category));
cl::opt<std::string> ExportFixes(
    "export-fixes", cl::value_desc("FILE"),
    cl::desc("Write the fixes as YAML for clang-apply-replacements"),
    cl::cat(Category));
// A string, checked in checkRun: llvm::cl's own error for a bad unsigned
// goes straight to stderr, and ours was empty.
cl::opt<std::string>
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
             "skipped because they cannot contain a call of interest, not "
             "fully compiled, crashed or timed out, "
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
             "goes on. A worker has about 258 MiB mapped before it reads a "
             "file (Clang's libraries): a limit at or below that is reported "
             "as the worker failing to start; the test corpus's units fit in "
             "259, real kernel units need more"),
    cl::cat(Category));
cl::opt<std::string>
    WorkerJob("worker", cl::value_desc("JOBFILE"), cl::Hidden,
              cl::desc("Internal: the worker process of --isolate"));
cl::opt<std::string> CacheOpt(
    "cache", cl::value_desc("DIR"),
    cl::desc("Keep each unit's results in DIR and reuse them while the unit, "
             "every file its parse read, its flags, the checks and the tool "
             "are unchanged (default: $VMALLOC_LINT_CACHE, else "
             "$XDG_CACHE_HOME/vmalloc-lint, else ~/.cache/vmalloc-lint; "
             "docs/cache.md)"),
    cl::cat(Category));
cl::opt<bool> NoCacheOpt("no-cache",
                         cl::desc("Neither read nor write the results cache"),
                         cl::cat(Category));
cl::opt<std::string> CacheSizeOpt(
    "cache-size", cl::value_desc("SIZE"),
    cl::desc("Bound of the results cache, in bytes or with K, M or G "
             "(default 2G): at the end of a run the least recently used "
             "entries are removed until it fits"),
    cl::cat(Category));
cl::opt<bool> CacheStatsOpt(
    "cache-stats",
    cl::desc("Print the results cache's counts on stderr at the end: hits, "
             "misses (stale, corrupt), entries stored, bytes read and "
             "written, the cache's entries and size, entries evicted"),
    cl::cat(Category));
cl::opt<bool> CompilerErrors(
    "compiler-errors",
    cl::desc("Print the compiler's errors (by default files with errors are "
             "analysed from their partial AST and only counted)"),
    cl::cat(Category));
cl::opt<bool> ListApiMigrations(
    "list-api-migrations",
    cl::desc("Print vmalloc-api-migration's table (matchers/kernel/"
             "ApiMigrations.cpp), one JSON object per row, and exit"),
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
cl::opt<bool> WarnUnusedNoLint(
    "warn-unused-nolint",
    cl::desc("Report each NOLINT, NOLINTNEXTLINE or NOLINTBEGIN of the "
             "analysed files that names only this tool's checks, all of them "
             "run, and suppresses no finding (a stale suppression): "
             "file:line:col: warning: ... [--warn-unused-nolint], after the "
             "text findings (other formats: on stderr); exit status 1, as "
             "for a finding. A bare NOLINT or one naming another tool's "
             "checks is never reported"),
    cl::cat(Category));
cl::opt<bool> LspOpt(
    "lsp",
    cl::desc("Run as a language server (LSP, JSON-RPC over stdio) next to "
             "clangd: the findings of a file when it is opened or saved, each "
             "fix as a quickfix code action; files compiled as in a tree run "
             "(-p, a compile_commands.json found upwards, --kernel-tree). "
             "Editor set-ups: docs/editors.md"),
    cl::cat(Category));
cl::opt<std::string> MinConfidence(
    "min-confidence", cl::value_desc("definite|likely|possible"),
    cl::init("likely"),
    cl::desc("Report pass-2 findings at least this sure (default: likely). "
             "definite: the memory on every path; likely: on some paths, "
             "through a field assigned elsewhere or another file's facts, "
             "or kvmalloc memory (vmalloc memory above a size); possible: "
             "through a field or global the unit also assigns other memory. "
             "Pass-1 findings are always reported"),
    cl::cat(Category));
cl::opt<bool> Werror("werror",
                     cl::desc("With --cc: exit 1 when there are findings"),
                     cl::cat(Category));

/// The check list of --help, from the core's check table: a name column,
/// then the summary, wrapped; pass 2 under its heading.
std::string checksHelp() {
  size_t Width = 0;
  for (const CheckRow &C : checkRegistry())
    Width = std::max(Width, std::strlen(C.Name));
  const size_t Columns = 79;
  std::string Out = "\nChecks (docs/checks/NAME.md):\n";
  bool PassTwo = false;
  for (const CheckRow &C : checkRegistry()) {
    if (C.Pass == 2 && !PassTwo) {
      Out += "  pass 2 (where the memory goes; docs/pass2.md):\n";
      PassTwo = true;
    }
    std::string Line = "  " + std::string(C.Name);
    Line.resize(2 + Width + 2, ' ');
    const size_t Indent = Line.size();
    llvm::SmallVector<llvm::StringRef, 16> Words;
    llvm::StringRef(C.Summary).split(Words, ' ', -1, /*KeepEmpty=*/false);
    for (llvm::StringRef W : Words) {
      if (Line.size() > Indent && Line.size() + 1 + W.size() > Columns) {
        Out += Line + "\n";
        Line = std::string(Indent, ' ');
      } else if (Line.size() > Indent) {
        Line += ' ';
      }
      Line += W.str();
    }
    Out += Line + "\n";
  }
  return Out;
}

const char *const Overview =
    "vmalloc-lint: find vmalloc-family call sites in Linux kernel "
    "source, classify their gfp flags, fix redundant __GFP_HIGHMEM; "
    "follow vmalloc memory to virt_to_phys, DMA, the wrong free and "
    "32-bit devices.\n\n"
    "Exit status: 0 no findings, 1 findings, 2 bad usage or input, "
    "3 a file crashed the analysis, timed out or ran out of memory. "
    "--diff and --fix exit 0 when they printed or applied the fixes, "
    "findings or not (so that `--diff ... > fix.patch && git apply "
    "fix.patch` works), 2 on an error, 3 on a crash. In "
    "gate mode "
    "(--patch, --git-range, --since): 1 when it reports anything, 0 "
    "when clean (also for an empty diff), 2 when the patch cannot be "
    "parsed or does not apply to the tree (the reason names the file "
    "and hunk).\n";

/// --cc: splits the command line into the tool's options and the
/// compiler's arguments (kbuild: $(CHECK) $(CHECKFLAGS) $(c_flags) file.c).
/// Every argument after --cc that is not a --name[=value] of ours is the
/// compiler's.
void splitCheckerArgs(int Argc, const char **Argv, int First,
                      std::vector<const char *> &ToolArgv,
                      std::vector<std::string> &CcArgs) {
  bool AfterCc = false;
  const auto &Registered = cl::getRegisteredOptions();
  for (int I = First; I < Argc; ++I) {
    llvm::StringRef A(Argv[I]);
    if (!AfterCc) {
      ToolArgv.push_back(Argv[I]);
      AfterCc = A == "--cc" || A == "-cc";
      continue;
    }
    llvm::StringRef Name = A.starts_with("--") ? A.drop_front(2) : "";
    Name = Name.split('=').first;
    auto It = Name.empty() ? Registered.end() : Registered.find(Name);
    if (It == Registered.end() || It->second->Categories.empty() ||
        llvm::find(It->second->Categories, &Category) ==
            It->second->Categories.end()) {
      CcArgs.push_back(Argv[I]);
      continue;
    }
    ToolArgv.push_back(Argv[I]);
    if (!A.contains('=') &&
        It->second->getValueExpectedFlag() == cl::ValueRequired && I + 1 < Argc)
      ToolArgv.push_back(Argv[++I]);
  }
}

bool parseFormat(llvm::StringRef F, OutputFormat &Out) {
  if (F == "text")
    Out = OutputFormat::Text;
  else if (F == "json")
    Out = OutputFormat::Json;
  else if (F == "checkpatch")
    Out = OutputFormat::Checkpatch;
  else if (F == "sarif")
    Out = OutputFormat::Sarif;
  else if (F == "github")
    Out = OutputFormat::Github;
  else
    return false;
  return true;
}

void checkFormat(CliOptions &O) {
  if (!parseFormat(Format, O.Format))
    usageError("--format must be text, json, checkpatch, sarif or github, "
               "not '" +
               Format + "'");
}

/// Whether X.Y is a kernel release: 2.6.x, 3.0-3.19, 4.0-4.20, 5.0-5.19,
/// 6.0 on (a later major of 6.x's length included).
bool isKernelRelease(const KernelVersion &V) {
  switch (V.Major) {
  case 2:
    return V.Minor == 6;
  case 3:
  case 5:
    return V.Minor <= 19;
  case 4:
    return V.Minor <= 20;
  default:
    return V.Major >= 6 && V.Major <= 9;
  }
}

void checkKernelVersion(CliOptions &O) {
  if (KernelVersionOpt.empty())
    return;
  O.ForcedVersion = KernelVersion::parse(KernelVersionOpt);
  llvm::StringRef T(KernelVersionOpt);
  T.consume_front("v");
  unsigned Major = 0, Minor = 0;
  auto [MajorText, Rest] = T.split('.');
  bool Numeric = !MajorText.getAsInteger(10, Major) && !Rest.empty() &&
                 !Rest.split('.').first.getAsInteger(10, Minor);
  if (Numeric && (!O.ForcedVersion || !isKernelRelease(*O.ForcedVersion)))
    usageError("--kernel-version '" + KernelVersionOpt +
               "' is not a kernel version (kernel releases are 2.6.x, "
               "3.0-3.19, 4.0-4.20, 5.0-5.19, 6.0 on)");
  if (!O.ForcedVersion)
    usageError("--kernel-version must look like 6.1, not '" + KernelVersionOpt +
               "'");
}

/// The edit distance from Glob to Name, a '*' matching any run for free
/// (plain Levenshtein for a name without '*').
unsigned globDistance(llvm::StringRef Glob, llvm::StringRef Name) {
  std::vector<unsigned> Prev(Name.size() + 1), Cur(Name.size() + 1);
  for (size_t J = 0; J <= Name.size(); ++J)
    Prev[J] = unsigned(J);
  for (size_t I = 1; I <= Glob.size(); ++I) {
    bool Star = Glob[I - 1] == '*';
    Cur[0] = Star ? Prev[0] : Prev[0] + 1;
    for (size_t J = 1; J <= Name.size(); ++J)
      Cur[J] = Star ? std::min(Prev[J], Cur[J - 1])
                    : std::min({Prev[J] + 1, Cur[J - 1] + 1,
                                Prev[J - 1] + (Glob[I - 1] != Name[J - 1])});
    std::swap(Prev, Cur);
  }
  return Prev[Name.size()];
}

/// Every name and glob of --checks names a check: an unknown name, or a glob
/// that matches none, is a typo (the closest known check is suggested).
void checkCheckNames() {
  std::vector<std::string> Names;
  for (const CheckRow &C : checkRegistry())
    Names.push_back(C.Name);
  llvm::SmallVector<llvm::StringRef, 8> Items;
  llvm::StringRef(Checks).split(Items, ',');
  for (llvm::StringRef Item : Items) {
    Item = Item.trim(" \t\n");
    if (Item.consume_front("-"))
      Item = Item.trim(" \t\n");
    if (Item.empty())
      continue;
    if (llvm::any_of(Names, [&](const std::string &N) {
          return globMatch(Item.str(), N);
        }))
      continue;
    // The closest name, also without the "vmalloc-" every name has (a user
    // who writes "stack-dma" means vmalloc-stack-dma); suggested only when
    // it is close enough to be the same word mistyped, as clang's typo
    // correction does, so that "foo" gets no arbitrary check.
    const std::string *Best = nullptr;
    unsigned BestDistance = ~0u;
    for (const std::string &N : Names) {
      llvm::StringRef Short = llvm::StringRef(N);
      Short.consume_front("vmalloc-");
      unsigned D = std::min(globDistance(Item, N), globDistance(Item, Short));
      if (D < BestDistance) {
        BestDistance = D;
        Best = &N;
      }
    }
    unsigned Close = std::max<unsigned>(2, (Item.size() + 2) / 3);
    usageError("--checks: " +
               std::string(Item.contains('*')
                               ? "'" + Item.str() + "' matches no check"
                               : "no check named '" + Item.str() + "'") +
               (Best && BestDistance <= Close
                    ? "; did you mean '" + *Best + "'?"
                    : std::string()) +
               " (see --list-checks)");
  }
}

/// --cc: the compiler arguments and the .c file among them.
void checkChecker(CliOptions &O, std::vector<std::string> Args) {
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
  O.CcFile = *Last;
  Args.erase(std::next(Last).base());
  O.CcArgs = std::move(Args);
  checkCheckNames();
  llvm::sys::fs::file_status St;
  if (std::error_code EC = llvm::sys::fs::status(O.CcFile, St))
    usageError("cannot access '" + O.CcFile + "': " + EC.message());
  checkKernelVersion(O);
}

void checkMerge(CliOptions &O) {
  if (Inputs.empty())
    usageError("merge: give the --format json outputs to merge");
  if (Census || Fix || Diff || !ExportFixes.empty() || !PatchFile.empty() ||
      !GitRange.empty() || !Since.empty() || !ShardOpt.empty() || CcMode ||
      !BuildPath.empty() || !KernelTreeDir.empty() || !FactsIn.empty())
    usageError("merge takes --format, --facts-out, --quiet and the files to "
               "merge");
  checkFormat(O);
}

/// A tree or gate run.
void checkRun(CliOptions &O) {
  checkFormat(O);
  bool Gate = !PatchFile.empty() || !GitRange.empty() || !Since.empty();
  if ((!PatchFile.empty()) + (!GitRange.empty()) + (!Since.empty()) > 1)
    usageError("--patch, --git-range and --since exclude each other");
  if (Gate && !Inputs.empty())
    usageError("inputs cannot be given with --patch, --git-range or --since: "
               "the change says what to analyse");
  if (Gate && Fix)
    usageError("--fix cannot be used in gate mode (the tree is never "
               "modified); --diff prints the fixes");
  // Options that would silently drop another's output.
  if (Census && (Diff || Fix || !ExportFixes.empty()))
    usageError(
        std::string("--census lists call sites and cannot be used with ") +
        (Diff  ? "--diff"
         : Fix ? "--fix"
               : "--export-fixes"));
  if (Series.empty() && (!Signoff.empty() || SeriesBuild))
    usageError(std::string(SeriesBuild ? "--series-build" : "--signoff") +
               " is for --series");
  if (!Series.empty() && (Gate || Diff || Fix || Census ||
                          !ExportFixes.empty() || PrintCompileCommands))
    usageError("--series cannot be used with " +
               std::string(Gate     ? "--patch, --git-range or --since"
                           : Diff   ? "--diff"
                           : Fix    ? "--fix"
                           : Census ? "--census"
                           : PrintCompileCommands ? "--print-compile-commands"
                                                  : "--export-fixes"));
  if (!Signoff.empty()) {
    llvm::StringRef S(Signoff);
    size_t Lt = S.find(" <");
    if (Lt == llvm::StringRef::npos || Lt == 0 || !S.ends_with(">") ||
        !S.substr(Lt).contains('@'))
      usageError("--signoff must be 'Name <email>', not '" + Signoff + "'");
  }
  if (Diff && Format != "text")
    usageError(
        "--diff prints a unified diff and cannot be used with --format " +
        Format);
  if (Census && Format != "text" && Format != "json")
    usageError("--census prints text or json, not " + Format);
  if (Gate && ShardOpt.getNumOccurrences())
    usageError("--shard cannot be used in gate mode");
  if (Gate && Census)
    usageError("--census cannot be used in gate mode");
  O.Mode = Gate ? CliMode::Gate : CliMode::Tree;
  if (!BaselineFile.empty()) {
    llvm::ErrorOr<std::string> B = readWholeFile(BaselineFile);
    if (!B)
      usageError("cannot read --baseline '" + BaselineFile +
                 "': " + B.getError().message());
    if (std::string Err = loadBaseline(*B, O.Baseline); !Err.empty())
      usageError("--baseline '" + BaselineFile + "': " + Err);
  }
  checkKernelVersion(O);
  if (ShardOpt.getNumOccurrences()) {
    auto [K, N] = llvm::StringRef(ShardOpt).split('/');
    if (K.getAsInteger(10, O.ShardK) || N.getAsInteger(10, O.ShardN) ||
        O.ShardN == 0 || O.ShardK == 0 || O.ShardK > O.ShardN)
      usageError("--shard must be K/N with 1 <= K <= N, not '" + ShardOpt +
                 "'");
  }
  if (TimeoutOpt.getNumOccurrences()) {
    llvm::StringRef T(TimeoutOpt);
    if (T.getAsInteger(10, O.TimeoutSeconds) || O.TimeoutSeconds == 0 ||
        O.TimeoutSeconds > 86400)
      usageError("--timeout-per-file must be a number of seconds from 1 to "
                 "86400, not '" +
                 TimeoutOpt + "'");
  }
  if (MemoryLimitOpt.getNumOccurrences()) {
    llvm::StringRef M(MemoryLimitOpt);
    if (M.getAsInteger(10, O.MemoryLimitMB) || O.MemoryLimitMB < 64 ||
        O.MemoryLimitMB > (1u << 24))
      usageError("--memory-limit must be a number of MiB from 64 to 16777216, "
                 "not '" +
                 MemoryLimitOpt + "'");
  }
  O.Isolate = IsolateOpt || O.MemoryLimitMB;
  checkCheckNames();
  std::vector<std::string> Names;
  for (const CheckRow &C : checkRegistry())
    Names.push_back(C.Name);
  if (O.Checks.select(Names).empty())
    usageError("--checks='" + Checks +
               "' enables no check (see --list-checks)");
  unsigned Jobs = 0;
  if (JobsOpt.getNumOccurrences() &&
      (llvm::StringRef(JobsOpt).getAsInteger(10, Jobs) || Jobs == 0 ||
       Jobs > 4096))
    usageError("-j/--jobs must be a number of parallel jobs from 1 to 4096, "
               "not '" +
               JobsOpt + "'");
  O.Threads = JobsOpt.getNumOccurrences()
                  ? std::max(1u, Jobs)
                  : std::max(1u, std::thread::hardware_concurrency());
}

} // namespace

CliOptions parseCommandLine(int Argc, const char **Argv) {
  // LLVM registers a --color of its own (WithColor's, a boolean, when the
  // command-line library starts: getRegisteredOptions does that); ours is
  // clang's auto|always|never, registered in its place.
  auto &Registered = cl::getRegisteredOptions();
  if (auto It = Registered.find("color"); It != Registered.end())
    It->second->removeArgument();
  static cl::opt<std::string> ColorOpt(
      "color", cl::value_desc("auto|always|never"), cl::init("auto"),
      cl::desc("Colours in the text findings, as clang's: file:line:col bold, "
               "warning: bold magenta with a bold message, note: bold, the "
               "caret green. auto (the default): when the findings go to a "
               "terminal (stdout; --cc: stderr), never with -o FILE"),
      cl::cat(Category));
  cl::HideUnrelatedOptions(Category);
  cl::SetVersionPrinter([](llvm::raw_ostream &OS) {
    OS << "vmalloc-lint 0.1 (Clang/LLVM 19)\n";
  });
  // cl::extrahelp keeps a pointer to its text: it must outlive the parse.
  static const std::string ExtraHelp =
      checksHelp() +
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
      "  vmalloc-lint merge --facts-out tree.facts s1.facts s2.facts ...\n";
  static cl::extrahelp ChecksHelp(ExtraHelp.c_str());

  // `vmalloc-lint merge FILE...`: the inputs are --format json results.
  bool MergeMode = Argc > 1 && llvm::StringRef(Argv[1]) == "merge";
  int First = MergeMode ? 2 : 1; // the arguments after `merge`
  std::vector<const char *> ToolArgv{Argv[0]};
  std::vector<std::string> CcArgs;
  splitCheckerArgs(Argc, Argv, First, ToolArgv, CcArgs);
  std::string ParseErrors;
  llvm::raw_string_ostream ErrOS(ParseErrors);
  if (!cl::ParseCommandLineOptions(int(ToolArgv.size()), ToolArgv.data(),
                                   Overview, &ErrOS)) {
    ErrOS.flush();
    std::string First = ParseErrors.substr(0, ParseErrors.find('\n'));
    // "vmalloc-lint: Unknown command line argument '--x'.  Try: ..."
    if (size_t P = First.find("  Try:"); P != std::string::npos)
      First = First.substr(0, P);
    if (First.rfind("vmalloc-lint: ", 0) == 0)
      First = First.substr(14);
    usageError(First);
  }

  CliOptions O;
  O.Argv0 = Argv[0];
  O.Inputs.assign(Inputs.begin(), Inputs.end());
  O.BuildPath = BuildPath;
  O.KernelTreeDir = KernelTreeDir;
  O.ArchCache = ArchCache;
  O.NoArchViews = NoArchViews;
  O.Checks = CheckGlob(Checks);
  if (!MigrateToOpt.empty()) {
    O.MigrateTo = KernelVersion::parse(MigrateToOpt);
    if (!O.MigrateTo || !isKernelRelease(*O.MigrateTo))
      usageError("--migrate-to must be a kernel release such as 5.8, not '" +
                 MigrateToOpt + "'");
  } else {
    // The migration has nothing to say without a target: off, so that the
    // prefilter and the parse are those of the other checks.
    CheckGlob Without(Checks + ",-vmalloc-api-migration");
    std::vector<std::string> Names;
    for (const CheckRow &C : checkRegistry())
      Names.push_back(C.Name);
    if (!O.Checks.select(Names).empty() && Without.select(Names).empty())
      usageError("vmalloc-api-migration needs --migrate-to X.Y (the kernel "
                 "to migrate to)");
    O.Checks = Without;
  }
  O.PatchFile = PatchFile;
  O.GitRange = GitRange;
  O.Since = Since;
  O.BaselineFile = BaselineFile;
  if (std::optional<Confidence> C = parseConfidence(MinConfidence))
    O.MinConfidence = *C;
  else
    usageError("--min-confidence must be definite, likely or possible, not '" +
               MinConfidence + "'");
  O.Census = Census;
  O.Diff = Diff;
  O.Fix = Fix;
  O.ExportFixes = ExportFixes;
  O.Series = Series;
  O.Signoff = Signoff;
  O.SeriesBuild = SeriesBuild;
  O.CommandLine = "vmalloc-lint";
  for (int I = 1; I < Argc; ++I) {
    std::string A = Argv[I];
    bool Plain = !A.empty() &&
                 A.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN"
                                     "OPQRSTUVWXYZ0123456789-_./=:,+@%") ==
                     std::string::npos;
    if (Plain) {
      O.CommandLine += " " + A;
      continue;
    }
    std::string Q;
    for (char C : A)
      Q += C == '\'' ? std::string("'\\''") : std::string(1, C);
    O.CommandLine += " '" + Q + "'";
  }
  if (OutputFileOpt.getNumOccurrences() && OutputFileOpt.empty())
    usageError("-o/--output needs a file name ('-': stdout)");
  O.OutputFile =
      OutputFileOpt == "-" ? std::string() : OutputFileOpt.getValue();
  if (ColorOpt == "auto")
    O.Color = ColorChoice::Auto;
  else if (ColorOpt == "always")
    O.Color = ColorChoice::Always;
  else if (ColorOpt == "never")
    O.Color = ColorChoice::Never;
  else
    usageError("--color must be auto, always or never, not '" + ColorOpt + "'");
  O.ListChecks = ListChecks;
  O.PrintCompileCommands = PrintCompileCommands;
  O.Quiet = Quiet;
  O.Progress = ProgressOpt;
  O.Summary = SummaryTable;
  O.CompilerErrors = CompilerErrors;
  O.Werror = Werror;
  O.WarnUnusedNoLint = WarnUnusedNoLint;
  O.NoPrefilter = NoPrefilter;
  O.NoSkipBodies = NoSkipBodies;
  O.WorkerJob = WorkerJob;
  O.FactsOut = FactsOut;
  O.FactsIn.assign(FactsIn.begin(), FactsIn.end());
  O.CacheDir = CacheOpt;
  O.NoCache = NoCacheOpt;
  O.CacheStats = CacheStatsOpt;
  if (CacheSizeOpt.getNumOccurrences()) {
    llvm::StringRef S(CacheSizeOpt);
    uint64_t N = 0, Unit = 1;
    if (S.consume_back_insensitive("k"))
      Unit = 1 << 10;
    else if (S.consume_back_insensitive("m"))
      Unit = 1 << 20;
    else if (S.consume_back_insensitive("g"))
      Unit = 1 << 30;
    if (S.getAsInteger(10, N) || N == 0 || N > (uint64_t(1) << 50) / Unit)
      usageError("--cache-size must be a number of bytes, or of K, M or G "
                 "(1K, 500M, 2G), not '" +
                 CacheSizeOpt + "'");
    O.CacheBytes = N * Unit;
  }
  if (O.NoCache && !O.CacheDir.empty())
    usageError("--no-cache and --cache DIR contradict each other");

  // Each mode checks what it uses, in the order it always has.
  if (!WorkerJob.empty()) {
    O.Mode = CliMode::Worker;
  } else if (CcMode) {
    O.Mode = CliMode::Checker;
    checkChecker(O, std::move(CcArgs));
  } else if (MergeMode) {
    O.Mode = CliMode::Merge;
    checkMerge(O);
  } else if (Werror) {
    usageError("--werror is for --cc (checker) mode");
  } else if (ListChecks) {
    O.Mode = CliMode::ListChecks;
  } else if (ListApiMigrations) {
    O.Mode = CliMode::ListApiMigrations;
  } else if (LspOpt) {
    if (!Inputs.empty())
      usageError("--lsp takes no inputs: the editor opens the files");
    O.Mode = CliMode::Lsp;
    checkKernelVersion(O);
    checkCheckNames();
  } else {
    checkRun(O);
  }
  return O;
}

} // namespace vmalloc_lint
