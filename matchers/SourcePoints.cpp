#include "matchers/SourcePoints.h"

#include "clang/Basic/SourceManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace clang;

namespace vmalloc_lint {

std::string filePathOf(FileID FID, const SourceManager &SM) {
  auto FE = SM.getFileEntryRefForID(FID);
  if (!FE)
    return "";
  llvm::SmallString<256> Real;
  if (!llvm::sys::fs::real_path(FE->getName(), Real))
    return std::string(Real);
  llvm::SmallString<256> Abs(FE->getName());
  llvm::sys::fs::make_absolute(Abs);
  llvm::sys::path::remove_dots(Abs, true);
  return std::string(Abs);
}

SourcePoint SourcePoints::at(SourceLocation L) {
  SourcePoint P;
  if (L.isInvalid())
    return P;
  auto [FID, Off] = SM.getDecomposedLoc(L);
  auto It = Paths.find(FID);
  if (It == Paths.end())
    It = Paths.try_emplace(FID, filePathOf(FID, SM)).first;
  P.File = It->second;
  if (P.File.empty())
    return P;
  P.Offset = Off;
  P.Line = SM.getLineNumber(FID, Off);
  P.Column = SM.getColumnNumber(FID, Off);
  return P;
}

} // namespace vmalloc_lint
