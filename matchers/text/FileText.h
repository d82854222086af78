// The file helpers every part of the project shares: the two ways to make a
// path absolute (lexical, or with symlinks resolved), one whole-file read.
// (The CLI's writes, atomic and staged, are tool/FileIO.h.)
#ifndef VMALLOC_LINT_FILE_TEXT_H
#define VMALLOC_LINT_FILE_TEXT_H

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/ErrorOr.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <string>

namespace vmalloc_lint {

/// P made absolute, with "." and ".." removed (symlinks kept).
inline std::string absolute(const std::string &P) {
  llvm::SmallString<256> S(P);
  llvm::sys::fs::make_absolute(S);
  llvm::sys::path::remove_dots(S, true);
  return std::string(S);
}

/// P made absolute, "." and ".." removed, and symlinks resolved when P
/// exists: one name per file (a file reached through a symlink or another
/// spelling is one input, one fix, one finding).
inline std::string realAbsolute(const std::string &P) {
  std::string S = absolute(P);
  llvm::SmallString<256> Real;
  if (!llvm::sys::fs::real_path(S, Real))
    return std::string(Real);
  return S;
}

/// P as written when it is absolute (or empty, or Root is), else
/// Root + "/" + P with nothing removed: paths of a findings or facts file,
/// relative to the directory of the run that wrote them.
inline std::string absoluteFrom(const std::string &Root, llvm::StringRef P) {
  if (P.empty() || llvm::sys::path::is_absolute(P) || Root.empty())
    return P.str();
  return Root + "/" + P.str();
}

inline bool exists(const std::string &P) { return llvm::sys::fs::exists(P); }

/// The bytes of the file at Path ("-" is a file named "-").
inline llvm::ErrorOr<std::string> readWholeFile(const std::string &Path) {
  auto B = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                       /*RequiresNullTerminator=*/false);
  if (!B)
    return B.getError();
  return (*B)->getBuffer().str();
}

/// The file's text, or "" when it cannot be read (optional files: a tree's
/// .config).
inline std::string readFile(const std::string &P) {
  llvm::ErrorOr<std::string> T = readWholeFile(P);
  return T ? std::move(*T) : std::string();
}

} // namespace vmalloc_lint

#endif
