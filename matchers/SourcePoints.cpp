#include "matchers/SourcePoints.h"

#include "matchers/text/FileText.h"

#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace vmalloc_lint {

std::string filePathOf(FileID FID, const SourceManager &SM) {
  auto FE = SM.getFileEntryRefForID(FID);
  return FE ? realAbsolute(FE->getName().str()) : "";
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
