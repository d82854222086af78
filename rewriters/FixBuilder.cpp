#include "rewriters/FixBuilder.h"

#include "rewriters/CallLayout.h"
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
  case FixRequest::Kind::ReplaceCode: {
    TextEdit E = R.Replace;
    E.Text =
        layoutCall(R.LineHead, E.Text, R.CallBegin, R.CallLength, R.LineTail);
    return replaceCode(E, R.Original, R.Name, WhyNot);
  }
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
    for (size_t I = 0; I < Requests.size();) {
      // A request and the pieces joined to it: one fix, or none.
      size_t End = I + 1;
      while (End < Requests.size() && Requests[End].Joined)
        ++End;
      std::optional<FixIt> Fix;
      std::string WhyNot;
      for (size_t J = I; J < End; ++J) {
        std::optional<FixIt> Piece = buildFix(Requests[J], WhyNot);
        if (!Piece) {
          Fix.reset();
          break;
        }
        if (!Fix)
          Fix = std::move(Piece);
        else
          Fix->Edits.insert(Fix->Edits.end(), Piece->Edits.begin(),
                            Piece->Edits.end());
      }
      const FixRequest &Req = Requests[I];
      I = End;
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
