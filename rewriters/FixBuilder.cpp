#include "rewriters/FixBuilder.h"

#include "rewriters/GfpFixes.h"
#include "rewriters/ReplaceCode.h"

#include <algorithm>

namespace vmalloc_lint {

std::optional<FixIt> buildFix(const FixRequest &R, std::string &WhyNot) {
  switch (R.What) {
  case FixRequest::Kind::DropGfpFlag:
    return dropGfpFlag(R.Gfp, R.FlagValue, R.Name, WhyNot);
  case FixRequest::Kind::AppendGfpFlag:
    return appendGfpFlag(R.Gfp, R.Name, WhyNot);
  case FixRequest::Kind::RenameHelper: {
    FixIt F;
    F.Description = "use " + R.Name + "()";
    F.Edits.push_back(R.Rename);
    return F;
  }
  case FixRequest::Kind::ReplaceCode:
    return replaceCode(R.Replace, R.Original, R.Name, WhyNot);
  }
  return std::nullopt;
}

void buildFixes(AnalysisResult &R) {
  auto Record = [&R](const FixIt &F) {
    for (const TextEdit &E : F.Edits)
      if (std::none_of(R.FileHashes.begin(), R.FileHashes.end(),
                       [&](const auto &H) { return H.first == E.File; }))
        R.FileHashes.push_back({E.File, E.FileHash});
  };
  for (Finding &F : R.Findings) {
    std::vector<FixRequest> Requests = std::move(F.FixRequests);
    F.FixRequests.clear();
    for (const FixRequest &Req : Requests) {
      std::string WhyNot;
      std::optional<FixIt> Fix = buildFix(Req, WhyNot);
      if (Fix) {
        Record(*Fix);
        if (!F.Fix)
          F.Fix = std::move(Fix);
        continue;
      }
      if (!Req.FromDuplicate)
        F.Notes.insert(F.Notes.begin() +
                           std::min<size_t>(Req.NoteIndex, F.Notes.size()),
                       {F.Where, "no fix: " + WhyNot});
    }
  }
}

} // namespace vmalloc_lint
