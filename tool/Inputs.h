// What a run analyses and how: the input files (directories walked), the
// compile databases (-p, or the compile_commands.json above a file), and
// one FileJob per file with its compile command and kernel rules. Usage
// errors (exit 2) as usageError says them.
#ifndef VMALLOC_LINT_INPUTS_H
#define VMALLOC_LINT_INPUTS_H

#include "matchers/Analysis.h"
#include "matchers/kernel/KernelTree.h"
#include "matchers/kernel/KernelVersion.h"
#include "tool/FileJob.h"

#include "llvm/ADT/StringRef.h"

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace clang::tooling {
class CompilationDatabase;
} // namespace clang::tooling

namespace vmalloc_lint {

/// A .c or .h file.
bool isSource(llvm::StringRef P);

/// Adds Input (a file) or the .c and .h files under it (a directory, sorted,
/// hidden directories skipped), as real absolute paths. A directory's real
/// path is added to Walked (when given): every .c and .h below it, outside
/// hidden directories, is in Out.
void collectInputs(const std::string &Input, std::vector<std::string> &Out,
                   std::vector<std::string> *Walked = nullptr);

/// compile_commands.json at Json, or nullptr with a one-line reason.
std::unique_ptr<clang::tooling::CompilationDatabase>
loadCompileDatabase(const std::string &Json, std::string &Err);

class DatabaseFinder;

/// Where files' compile commands come from: -p's database for every file,
/// else, as clang tools do, the compile_commands.json in the file's
/// directory or its parents (the kernel's gen_compile_commands.py writes
/// one at the tree root).
class CompileDatabases {
public:
  CompileDatabases();
  ~CompileDatabases();
  CompileDatabases(const CompileDatabases &) = delete;
  CompileDatabases &operator=(const CompileDatabases &) = delete;

  /// -p DIR (or DIR/compile_commands.json): that database for every file.
  void useBuildPath(const std::string &BuildPath);
  bool hasBuildPath() const { return BuildPathDb != nullptr; }
  /// Every file -p's database lists, as real absolute paths.
  std::vector<std::string> buildPathFiles() const;
  /// The first command a database has for File, adjusted for the analysis
  /// (tool/CompileFlags.h); empty when no database has one.
  std::vector<std::string> commandFor(const std::string &File);

private:
  std::unique_ptr<clang::tooling::CompilationDatabase> BuildPathDb;
  std::unique_ptr<DatabaseFinder> Finder;
};

/// The tree run's files: those of Inputs (collectInputs), or without inputs
/// every file -p's database lists; each once, each readable. With
/// CountLines, their lines are added to Lines (checkpatch's "lines
/// checked": only then is every file read). The directories among Inputs
/// go to Walked (see collectInputs).
std::vector<std::string> treeInputs(const std::vector<std::string> &Inputs,
                                    const CompileDatabases &Dbs,
                                    bool CountLines, unsigned &Lines,
                                    std::vector<std::string> &Walked);

/// One job per file: its compile command (a database's, else kbuild's flags
/// from the kernel tree, else plain defaults) and its kernel's rules.
class JobMaker {
public:
  /// Tree: --kernel-tree (else each file's own tree, findKernelTree).
  /// Shared: the options every job has (checks, body skipping, imported
  /// facts). ExportFacts: --facts-out (the .c jobs export facts).
  JobMaker(const std::optional<KernelTree> &Tree, CompileDatabases &Dbs,
           AnalysisOptions Shared, bool ExportFacts,
           std::optional<KernelVersion> ForcedVersion);
  FileJob make(const std::string &File);
  /// The rules of the jobs made ("6.1"...).
  const std::set<std::string> &versions() const { return Versions; }
  /// --kernel-tree's root, else the tree of the first job in one ("": none):
  /// where --diff's paths are relative to.
  const std::string &treeRoot() const { return TreeRoot; }

private:
  const std::optional<KernelTree> &Tree;
  CompileDatabases &Dbs;
  AnalysisOptions Shared;
  bool ExportFacts;
  std::optional<KernelVersion> ForcedVersion;
  std::set<std::string> Versions;
  std::string TreeRoot;
};

} // namespace vmalloc_lint

#endif
