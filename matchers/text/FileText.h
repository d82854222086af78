// Small file helpers the kernel-tree lookup and the flag synthesis share.
#ifndef VMALLOC_LINT_FILE_TEXT_H
#define VMALLOC_LINT_FILE_TEXT_H

#include "llvm/ADT/SmallString.h"
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

inline bool exists(const std::string &P) { return llvm::sys::fs::exists(P); }

/// The file's text, or "" when it cannot be read.
inline std::string readFile(const std::string &P) {
  auto B = llvm::MemoryBuffer::getFile(P);
  return B ? (*B)->getBuffer().str() : std::string();
}

} // namespace vmalloc_lint

#endif
