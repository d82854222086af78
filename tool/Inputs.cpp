#include "tool/Inputs.h"

#include "matchers/kernel/VmallocApi.h"
#include "tool/ArchViews.h"
#include "tool/CompileFlags.h"
#include "tool/FileIO.h"
#include "tool/KconfigArch.h"
#include "tool/Options.h"

#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <regex>

namespace vmalloc_lint {

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

bool isSource(llvm::StringRef P) {
  return P.ends_with(".c") || P.ends_with(".h");
}

void collectInputs(const std::string &Input, std::vector<std::string> &Out,
                   std::vector<std::string> *Walked) {
  fs::file_status St;
  if (std::error_code EC = fs::status(Input, St))
    usageError("cannot access '" + Input + "': " + EC.message());
  if (fs::is_directory(St)) {
    std::error_code EC;
    std::vector<std::string> Found;
    // A regular file's real path is its directory's real path and its
    // name (a symbolic link is no regular file here), and so is a
    // directory's: realpath() once, for the input, and for each symbolic
    // link to a directory the walk follows (a warm sweep of 6.1 spent most
    // of its time resolving 73,000 paths, then 5,105 directories).
    llvm::StringMap<std::string> RealDirs;
    RealDirs[Input] = realAbsolutePath(Input);
    auto RealDir = [&RealDirs](llvm::StringRef Dir) -> const std::string & {
      auto [Real, New] = RealDirs.try_emplace(Dir);
      if (New)
        Real->second = realAbsolutePath(Dir.str());
      return Real->second;
    };
    for (fs::recursive_directory_iterator It(Input, EC), End; It != End;
         It.increment(EC)) {
      if (EC)
        usageError("cannot read directory '" + Input + "': " + EC.message());
      llvm::StringRef Name = path::filename(It->path());
      if (It->type() == fs::file_type::directory_file) {
        if (Name.starts_with("."))
          It.no_push();
        else
          RealDirs[It->path()] =
              RealDir(path::parent_path(It->path())) + "/" + Name.str();
        continue;
      }
      if (It->type() == fs::file_type::regular_file && isSource(It->path()))
        Found.push_back(RealDir(path::parent_path(It->path())) + "/" +
                        Name.str());
    }
    std::sort(Found.begin(), Found.end());
    Out.insert(Out.end(), Found.begin(), Found.end());
    if (Walked)
      Walked->push_back(RealDirs[Input]);
    return;
  }
  if (!fs::is_regular_file(St))
    usageError("'" + Input + "' is not a regular file or directory");
  Out.push_back(realAbsolutePath(Input));
}

std::unique_ptr<clang::tooling::CompilationDatabase>
loadCompileDatabase(const std::string &Json, std::string &Err) {
  // Validate first: the loader's YAML parser prints multi-line errors.
  llvm::ErrorOr<std::string> Buf = readWholeFile(Json);
  if (!Buf) {
    Err = "cannot read '" + Json + "': " + Buf.getError().message();
    return nullptr;
  }
  if (auto Parsed = llvm::json::parse(*Buf); !Parsed) {
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

CompileDatabases::CompileDatabases()
    : Finder(std::make_unique<DatabaseFinder>()) {}
CompileDatabases::~CompileDatabases() = default;

void CompileDatabases::useBuildPath(const std::string &BuildPath) {
  std::string Dir = BuildPath;
  if (path::filename(Dir) == "compile_commands.json")
    Dir = path::parent_path(Dir).str();
  if (!fs::is_directory(Dir))
    usageError("-p '" + BuildPath + "' is not a directory");
  std::string Json = Dir + "/compile_commands.json";
  if (!fs::exists(Json))
    usageError("no compile_commands.json in '" + Dir + "'");
  std::string Err;
  BuildPathDb = loadCompileDatabase(Json, Err);
  if (!BuildPathDb)
    usageError(Err);
}

std::vector<std::string> CompileDatabases::buildPathFiles() const {
  std::vector<std::string> Files;
  if (BuildPathDb)
    for (const std::string &F : BuildPathDb->getAllFiles())
      Files.push_back(realAbsolutePath(F));
  return Files;
}

std::vector<std::string> CompileDatabases::commandFor(const std::string &File) {
  clang::tooling::CompilationDatabase *Db =
      BuildPathDb ? BuildPathDb.get() : Finder->forFile(File);
  if (Db) {
    auto Cmds = Db->getCompileCommands(File);
    if (!Cmds.empty())
      return adjustDatabaseCommand(Cmds.front().CommandLine, File,
                                   Cmds.front().Directory);
  }
  return {};
}

std::vector<std::string> treeInputs(const std::vector<std::string> &Inputs,
                                    const CompileDatabases &Dbs,
                                    bool CountLines, unsigned &Lines,
                                    std::vector<std::string> &Walked) {
  std::vector<std::string> Files;
  for (const std::string &In : Inputs)
    collectInputs(In, Files, &Walked);
  if (Inputs.empty() && Dbs.hasBuildPath())
    Files = Dbs.buildPathFiles();
  if (Files.empty())
    usageError(Inputs.empty() ? "no input files (give files or directories, "
                                "or -p DIR; see --help)"
                              : "no .c or .h files in the inputs");
  llvm::StringSet<> Seen;
  Files.erase(std::remove_if(
                  Files.begin(), Files.end(),
                  [&](const std::string &F) { return !Seen.insert(F).second; }),
              Files.end());
  // Unreadable inputs are bad input; only checkpatch's view needs the
  // line count (reading a whole tree twice is not free).
  if (!CountLines) {
    // The first unreadable one, in the inputs' order.
    size_t Bad = Files.size();
    int Errno = 0;
    forEachInItsDirectory(Files, [&](int At, const char *Name, size_t I) {
      if (I < Bad && ::faccessat(At, Name, R_OK, 0) != 0) {
        Bad = I;
        Errno = errno;
      }
    });
    if (Bad < Files.size())
      usageError("cannot read '" + Files[Bad] + "': " +
                 std::error_code(Errno, std::generic_category()).message());
    return Files;
  }
  for (const std::string &F : Files) {
    llvm::ErrorOr<std::string> Buf = readWholeFile(F);
    if (!Buf)
      usageError("cannot read '" + F + "': " + Buf.getError().message());
    Lines += llvm::StringRef(*Buf).count('\n');
  }
  return Files;
}

namespace {

/// Where the plain defaults' clang looks for <...> headers (a file outside
/// any tree: the host's headers only; kernel headers are not among them,
/// /usr/include/linux holds only the uapi ones).
bool foundOnHostPath(const std::string &Header) {
  if (fs::exists(clangResourceDir() + "/include/" + Header) ||
      fs::exists("/usr/local/include/" + Header) ||
      fs::exists("/usr/include/" + Header))
    return true;
  std::error_code EC;
  for (fs::directory_iterator It("/usr/include", EC), End; !EC && It != End;
       It.increment(EC))
    if (llvm::StringRef(It->path()).contains("-linux-") &&
        fs::exists(It->path() + "/" + Header))
      return true;
  return false;
}

/// A file with no kernel tree and no compile database that calls the
/// vmalloc family and includes kernel headers the host does not have: its
/// analysis would see no declaration of the family and report nothing.
/// The first such header (linux/vmalloc.h), else "".
std::string missingKernelHeader(const std::string &File) {
  llvm::ErrorOr<std::string> Text = readWholeFile(File);
  if (!Text)
    return "";
  static const std::regex Call([] {
    std::string Names;
    for (const VmallocApiEntry &E : vmallocApi())
      Names += (Names.empty() ? "" : "|") + std::string(E.Name);
    return R"(\b()" + Names + R"()\s*\()";
  }());
  if (!std::regex_search(*Text, Call))
    return "";
  static const std::regex Include(
      R"(^[ \t]*#[ \t]*include[ \t]*<((linux|asm|asm-generic)/[^>]+)>)",
      std::regex::multiline);
  for (std::sregex_iterator It(Text->begin(), Text->end(), Include), End;
       It != End; ++It)
    if (!foundOnHostPath((*It)[1]))
      return (*It)[1];
  return "";
}

} // namespace

JobMaker::JobMaker(const std::optional<KernelTree> &Tree, CompileDatabases &Dbs,
                   AnalysisOptions Shared, bool ExportFacts,
                   std::optional<KernelVersion> ForcedVersion)
    : Tree(Tree), Dbs(Dbs), Shared(std::move(Shared)), ExportFacts(ExportFacts),
      ForcedVersion(ForcedVersion), TreeRoot(Tree ? Tree->Root : "") {}

FileJob JobMaker::make(const std::string &F) {
  FileJob J;
  J.File = F;
  J.Options = Shared;
  // Facts come from the kept .c units only: which units the header rule
  // parses, and whether a header is parsed alone, depends on the other
  // units of the shard; the kept .c units do not (the prefilter sees the
  // whole tree in every shard), so the shards' facts join to one run's.
  J.Options.ExportFacts = ExportFacts && !llvm::StringRef(F).ends_with(".h");
  std::optional<KernelTree> T = Tree ? Tree : findKernelTree(F);
  J.Command = Dbs.commandFor(F);
  if (J.Command.empty()) {
    if (T) {
      J.Command = kernelCompileCommand(*T, F);
      J.View = unitView(*T, F);
    } else {
      std::string Missing = missingKernelHeader(F);
      if (!Missing.empty())
        usageError("'" + F +
                   "' is in no kernel tree and no compile database, and its "
                   "<" +
                   Missing +
                   "> is not found (the vmalloc family it calls would be "
                   "undeclared): pass --kernel-tree DIR, -p DIR, or "
                   "--kernel-tree /lib/modules/$(uname -r)/build");
      J.Command = {"clang", "-std=gnu11", "-D__KERNEL__", F};
      if (llvm::StringRef(F).ends_with(".h"))
        J.Command.insert(J.Command.end() - 1, {"-x", "c"});
      addAnalysisFlags(J.Command);
    }
  }
  J.Options.Version = ForcedVersion ? *ForcedVersion
                      : T           ? T->Version
                                    : KernelVersion::newest();
  if (T) {
    J.Options.ArchFacts = T->ArchFacts;
    J.Options.Arch = unitArch(*T, F);
  }
  if (TreeRoot.empty() && T)
    TreeRoot = T->Root;
  Versions.insert(J.Options.Version.str());
  return J;
}

} // namespace vmalloc_lint
