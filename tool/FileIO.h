// The front end's file helpers beyond the shared ones of
// matchers/text/FileText.h (absolute, absoluteFrom, readWholeFile): paths
// with symlinks resolved, reads of standard input, and the two ways a file
// is replaced atomically (one file through llvm::writeToOutput; several
// staged first, then renamed). LLVM Support only.
#ifndef VMALLOC_LINT_FILE_IO_H
#define VMALLOC_LINT_FILE_IO_H

#include "matchers/text/FileText.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/ErrorOr.h"

#include <string>
#include <system_error>
#include <vector>

namespace vmalloc_lint {

/// P made absolute (against the current directory), "." and ".." removed,
/// and symlinks resolved when P exists: one name per file for the inputs
/// (a file reached through a symlink or another spelling is one input) and
/// for the current directory and a gate's repository root, which must be
/// spelled like the inputs for the views to print paths relative to them.
std::string realAbsolutePath(const std::string &P);

/// Fn(At, Name, I) for each Paths[I]: At a descriptor of its directory
/// (O_PATH, each directory opened once) and Name its last component, for a
/// *at() call that resolves one name instead of the whole path (stat'ing a
/// tree's 55,000 files by their absolute paths was most of a warm run's
/// system time). Where the directory cannot be opened, or the path has no
/// directory, At is AT_FDCWD and Name the whole path. Directory by
/// directory, in no promised order.
void forEachInItsDirectory(
    const std::vector<std::string> &Paths,
    llvm::function_ref<void(int At, const char *Name, size_t I)> Fn);

/// The current directory, as realAbsolutePath spells it.
std::string realCurrentDirectory();

/// readWholeFile (FileText.h), but "-" is standard input (--patch -, --facts-in
/// -, merge -).
llvm::ErrorOr<std::string> readWholeFileOrStdin(const std::string &Path);

/// readWholeFile with the reason as a phrase: the text, or "" and "cannot read
/// PATH: reason" in Err (left as it is on success).
std::string readWholeFile(const std::string &Path, std::string &Err);

/// Writes Data to Path in place (created or truncated): files nobody
/// else reads while they are written (a worker's job).
std::error_code writeFile(const std::string &Path, llvm::StringRef Data);
/// writeFile with the reason as a phrase: false and "cannot write PATH:
/// reason" in Err.
bool writeFile(const std::string &Path, llvm::StringRef Data, std::string &Err);

/// Replaces Path with Data atomically: a temporary file next to Path,
/// renamed over it when complete, removed on failure or when the process
/// dies of a signal (llvm::writeToOutput). "-" is a file of that name, as
/// the callers have always written. A Path that exists and is not a regular
/// file (/dev/null, a FIFO) is written to in place, never replaced.
std::error_code writeFileAtomically(const std::string &Path,
                                    llvm::StringRef Data);

/// A file written in full next to its target, to be renamed over it later:
/// many files are staged before the first rename (--fix: a failure before
/// the renames leaves every file as it was), or the temporary has a name
/// another process knows (a worker's result, removed by the parent if it
/// kills the worker while it writes).
struct StagedFile {
  std::string Temp;   ///< the temporary file, empty if it was not created
  std::string Target; ///< what commitStagedFile replaces
};

/// Writes Data to a new temporary file for Target, named TempModel with
/// every '%' replaced by a random character (llvm::sys::fs::createUniqueFile:
/// no existing file is touched). On failure the temporary is removed; S.Temp
/// still names it if it had been created (empty: it could not be).
std::error_code stageFile(const std::string &Target,
                          const std::string &TempModel, llvm::StringRef Data,
                          StagedFile &S);
/// The same with a temporary of a fixed name, created or truncated.
std::error_code stageFileAt(const std::string &Target, const std::string &Temp,
                            llvm::StringRef Data, StagedFile &S);
/// Renames S.Temp over S.Target.
std::error_code commitStagedFile(const StagedFile &S);
/// Removes S.Temp (committed or not).
void discardStagedFile(const StagedFile &S);

} // namespace vmalloc_lint

#endif
