// File locations as the records' SourcePoints: absolute paths (looked up
// once per file) with line, column and byte offset.
#ifndef VMALLOC_LINT_SOURCE_POINTS_H
#define VMALLOC_LINT_SOURCE_POINTS_H

#include "matchers/Finding.h"

#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/DenseMap.h"

#include <string>

namespace clang {
class SourceManager;
} // namespace clang

namespace vmalloc_lint {

/// Absolute path of a FileID's file ("" for none): symlinks resolved when
/// the file exists, else made absolute with "." and ".." removed.
std::string filePathOf(clang::FileID FID, const clang::SourceManager &SM);

class SourcePoints {
public:
  explicit SourcePoints(const clang::SourceManager &SM) : SM(SM) {}
  /// The point of a file location (a spelling or expansion location: the
  /// caller chooses); an invalid point for an invalid location.
  SourcePoint at(clang::SourceLocation FileLoc);

private:
  const clang::SourceManager &SM;
  llvm::DenseMap<clang::FileID, std::string> Paths;
};

} // namespace vmalloc_lint

#endif
