// vmalloc-lint: the command-line front end. Inputs, compile flags, the
// runner, and the views of the results; the analysis is in matchers/.
#include "matchers/VmallocAnalysis.h"
#include "tool/ApplyFixes.h"
#include "tool/CompileFlags.h"
#include "tool/Output.h"
#include "tool/Runner.h"

#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
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
cl::opt<std::string> Format("format", cl::value_desc("text|json"),
                            cl::init("text"),
                            cl::desc("Output format (default: text)"),
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
                            "at the tree root) instead of the findings"),
                   cl::cat(Category));
cl::opt<std::string> ExportFixes(
    "export-fixes", cl::value_desc("FILE"),
    cl::desc("Write the fixes as YAML for clang-apply-replacements"),
    cl::cat(Category));
cl::opt<unsigned> JobsOpt("j", cl::value_desc("N"), cl::Prefix,
                          cl::desc("Analyse N files in parallel (default: "
                                   "number of CPUs)"),
                          cl::cat(Category));
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
    "\nExamples:\n"
    "  vmalloc-lint --kernel-tree linux -j2 linux/drivers/md\n"
    "  vmalloc-lint --kernel-tree . --diff mm fs > fix.patch   (git apply at "
    "the tree root)\n"
    "  vmalloc-lint -p build --census --format json\n");

[[noreturn]] void usageError(const std::string &Msg) {
  llvm::errs() << "vmalloc-lint: error: " << Msg << "\n";
  llvm::errs().flush();
  std::exit(2);
}

std::string absolutePath(const std::string &P) {
  llvm::SmallString<256> S(P);
  fs::make_absolute(S);
  path::remove_dots(S, true);
  llvm::SmallString<256> Real;
  if (!fs::real_path(S, Real))
    return std::string(Real);
  return std::string(S);
}

bool isSource(llvm::StringRef P) {
  return P.ends_with(".c") || P.ends_with(".h");
}

void collectInputs(const std::string &Input, std::vector<std::string> &Out) {
  fs::file_status St;
  if (std::error_code EC = fs::status(Input, St))
    usageError("cannot access '" + Input + "': " + EC.message());
  if (fs::is_directory(St)) {
    std::error_code EC;
    std::vector<std::string> Found;
    for (fs::recursive_directory_iterator It(Input, EC), End; It != End;
         It.increment(EC)) {
      if (EC)
        usageError("cannot read directory '" + Input + "': " + EC.message());
      llvm::StringRef Name = path::filename(It->path());
      if (Name.starts_with(".") &&
          It->type() == fs::file_type::directory_file) {
        It.no_push();
        continue;
      }
      if (It->type() == fs::file_type::regular_file && isSource(It->path()))
        Found.push_back(absolutePath(It->path()));
    }
    std::sort(Found.begin(), Found.end());
    Out.insert(Out.end(), Found.begin(), Found.end());
    return;
  }
  if (!fs::is_regular_file(St))
    usageError("'" + Input + "' is not a regular file or directory");
  Out.push_back(absolutePath(Input));
}

/// compile_commands.json, or nullptr with a one-line reason.
std::unique_ptr<clang::tooling::CompilationDatabase>
loadCompileDatabase(const std::string &Json, std::string &Err) {
  // Validate first: the loader's YAML parser prints multi-line errors.
  auto Buf = llvm::MemoryBuffer::getFile(Json);
  if (!Buf) {
    Err = "cannot read '" + Json + "': " + Buf.getError().message();
    return nullptr;
  }
  if (auto Parsed = llvm::json::parse((*Buf)->getBuffer()); !Parsed) {
    Err = "cannot load compile database '" + Json +
          "': " + llvm::toString(Parsed.takeError());
    return nullptr;
  }
  std::string LoadErr;
  auto DB = clang::tooling::JSONCompilationDatabase::loadFromFile(
      Json, LoadErr, clang::tooling::JSONCommandLineSyntax::AutoDetect);
  if (!DB)
    Err = "cannot load compile database '" + Json +
          "': " + LoadErr.substr(0, LoadErr.find('\n'));
  return DB;
}

/// Without -p, clang tools look for compile_commands.json in the file's
/// directory and its parents (the kernel's gen_compile_commands.py writes
/// one at the tree root). One database per directory, loaded once.
class DatabaseFinder {
public:
  clang::tooling::CompilationDatabase *forFile(const std::string &File) {
    std::string Dir = path::parent_path(File).str();
    std::vector<std::string> Visited;
    clang::tooling::CompilationDatabase *Found = nullptr;
    while (!Dir.empty()) {
      auto It = ByDir.find(Dir);
      if (It != ByDir.end()) {
        Found = It->second;
        break;
      }
      Visited.push_back(Dir);
      std::string Json = Dir + "/compile_commands.json";
      if (fs::exists(Json)) {
        std::string Err;
        if (auto DB = loadCompileDatabase(Json, Err)) {
          Found = DB.get();
          Owned.push_back(std::move(DB));
        } else {
          llvm::errs() << "vmalloc-lint: warning: " << Err << "; ignored\n";
        }
        break;
      }
      std::string Parent = path::parent_path(Dir).str();
      if (Parent == Dir)
        break;
      Dir = Parent;
    }
    for (const std::string &D : Visited)
      ByDir[D] = Found;
    return Found;
  }

private:
  std::map<std::string, clang::tooling::CompilationDatabase *> ByDir;
  std::vector<std::unique_ptr<clang::tooling::CompilationDatabase>> Owned;
};

} // namespace

int main(int argc, const char **argv) {
  llvm::sys::PrintStackTraceOnErrorSignal(argv[0]);
  cl::HideUnrelatedOptions(Category);
  cl::SetVersionPrinter([](llvm::raw_ostream &OS) {
    OS << "vmalloc-lint 0.1 (Clang/LLVM 19)\n";
  });
  std::string ParseErrors;
  llvm::raw_string_ostream ErrOS(ParseErrors);
  if (!cl::ParseCommandLineOptions(
          argc, argv,
          "vmalloc-lint: find vmalloc-family call sites in Linux kernel "
          "source, classify their gfp flags, fix redundant __GFP_HIGHMEM.\n\n"
          "Exit status: 0 no findings, 1 findings, 2 bad usage or input, "
          "3 internal error (a file crashed the analysis).\n",
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

  if (ListChecks) {
    for (const CheckInfo &C : allChecks())
      llvm::outs() << C.Name << "\n    " << C.Summary << "\n";
    return 0;
  }
  if (Format != "text" && Format != "json")
    usageError("--format must be text or json, not '" + Format + "'");
  std::optional<KernelVersion> ForcedVersion;
  if (!KernelVersionOpt.empty()) {
    ForcedVersion = KernelVersion::parse(KernelVersionOpt);
    if (!ForcedVersion)
      usageError("--kernel-version must look like 6.1, not '" +
                 KernelVersionOpt + "'");
  }
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

  std::unique_ptr<clang::tooling::CompilationDatabase> DB;
  if (!BuildPath.empty()) {
    std::string Dir = BuildPath;
    if (path::filename(Dir) == "compile_commands.json")
      Dir = path::parent_path(Dir).str();
    if (!fs::is_directory(Dir))
      usageError("-p '" + BuildPath + "' is not a directory");
    std::string Json = Dir + "/compile_commands.json";
    if (!fs::exists(Json))
      usageError("no compile_commands.json in '" + Dir + "'");
    std::string Err;
    DB = loadCompileDatabase(Json, Err);
    if (!DB)
      usageError(Err);
  }

  std::vector<std::string> Files;
  for (const std::string &In : Inputs)
    collectInputs(In, Files);
  if (Inputs.empty() && DB)
    for (const std::string &F : DB->getAllFiles())
      Files.push_back(absolutePath(F));
  if (Files.empty())
    usageError(Inputs.empty() ? "no input files (give files or directories, "
                                "or -p DIR; see --help)"
                              : "no .c or .h files in the inputs");
  {
    std::set<std::string> Seen;
    Files.erase(std::remove_if(Files.begin(), Files.end(),
                               [&](const std::string &F) {
                                 return !Seen.insert(F).second;
                               }),
                Files.end());
  }
  for (const std::string &F : Files)
    if (auto Buf = llvm::MemoryBuffer::getFile(F); !Buf)
      usageError("cannot read '" + F + "': " + Buf.getError().message());

  // One job per file: its compile command and its kernel's rules.
  std::vector<FileJob> Jobs;
  std::set<std::string> Versions;
  DatabaseFinder Finder;
  std::string DiffRoot = Tree ? Tree->Root : "";
  for (const std::string &F : Files) {
    FileJob J;
    J.File = F;
    J.Options.Checks = Glob;
    std::optional<KernelTree> T = Tree ? Tree : findKernelTree(F);
    clang::tooling::CompilationDatabase *FileDB =
        DB ? DB.get() : Finder.forFile(F);
    if (FileDB) {
      auto Cmds = FileDB->getCompileCommands(F);
      if (!Cmds.empty())
        J.Command = adjustDatabaseCommand(Cmds.front().CommandLine, F);
    }
    if (J.Command.empty()) {
      if (T) {
        J.Command = kernelCompileCommand(*T, F);
      } else {
        J.Command = {"clang", "-std=gnu11", "-D__KERNEL__", F};
        if (llvm::StringRef(F).ends_with(".h"))
          J.Command.insert(J.Command.end() - 1, {"-x", "c"});
        addAnalysisFlags(J.Command);
      }
    }
    J.Options.Version = ForcedVersion ? *ForcedVersion
                        : T           ? T->Version
                                      : KernelVersion::newest();
    if (DiffRoot.empty() && T)
      DiffRoot = T->Root;
    Versions.insert(J.Options.Version.str());
    Jobs.push_back(std::move(J));
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

  unsigned Threads = JobsOpt.getNumOccurrences()
                         ? std::max(1u, unsigned(JobsOpt))
                         : std::max(1u, std::thread::hardware_concurrency());
  llvm::CrashRecoveryContext::Enable();
  RunReport Report = runJobs(Jobs, Threads, CompilerErrors);

  OutputContext Ctx;
  llvm::SmallString<256> Cwd;
  fs::current_path(Cwd);
  Ctx.DisplayRoot = absolutePath(std::string(Cwd));
  Ctx.KernelVersion = Versions.size() == 1 ? *Versions.begin() : "mixed";
  Ctx.Files = Report.Files;
  Ctx.FilesWithErrors = Report.FilesWithErrors;
  if (DiffRoot.empty())
    DiffRoot = Ctx.DisplayRoot;

  const AnalysisResult &R = Report.Result;
  FixPlan Plan;
  bool NeedPlan = Fix || Diff;
  if (NeedPlan)
    Plan = planFixes(R);
  for (const std::string &P : Plan.Problems)
    llvm::errs() << "vmalloc-lint: " << P << "\n";

  if (Diff) {
    llvm::outs() << unifiedDiff(Plan, DiffRoot);
  } else if (Census) {
    if (Format == "json")
      printCensusJson(llvm::outs(), R, Ctx);
    else
      printCensusText(llvm::outs(), R, Ctx);
  } else {
    if (Format == "json")
      printFindingsJson(llvm::outs(), R, Ctx);
    else
      printFindingsText(llvm::outs(), R, Ctx);
  }
  llvm::outs().flush();

  if (!ExportFixes.empty()) {
    std::string Yaml = exportFixesYaml(R, Files.front());
    std::string Tmp = ExportFixes + ".tmp";
    std::error_code EC;
    {
      llvm::raw_fd_ostream OS(Tmp, EC);
      if (!EC) {
        OS << Yaml;
        OS.close();
        if (OS.has_error())
          EC = std::make_error_code(std::errc::io_error);
      }
    }
    if (EC || fs::rename(Tmp, ExportFixes)) {
      fs::remove(Tmp);
      usageError("cannot write --export-fixes file '" + ExportFixes + "'");
    }
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
    llvm::errs() << ", kernel rules " << Ctx.KernelVersion;
    if (Fix)
      llvm::errs() << ", " << Fixed << " file" << (Fixed == 1 ? "" : "s")
                   << " fixed";
    llvm::errs() << "\n";
  }
  if (!Report.Crashed.empty()) {
    for (const std::string &F : Report.Crashed)
      llvm::errs() << "vmalloc-lint: internal error: the analysis crashed on "
                   << F << "\n";
    return 3;
  }
  return R.Findings.empty() ? 0 : 1;
}
