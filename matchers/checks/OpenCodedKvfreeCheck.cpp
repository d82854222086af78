// vmalloc-open-coded-kvfree: a free that picks vfree() or kfree() by
// is_vmalloc_addr() of the pointer it frees, inline or as the whole body of
// a local helper.
//
// kvfree() (mm/util.c, since v3.15) is that very choice; v4.5's "tree wide:
// use kvfree() than conditional kfree()/vfree()" (1d5cfdb07628) replaced
// the open-coded copies of the time. The shape is found by the AST matchers
// of matchers/refactor/OpenCodedFree.cpp (no dataflow: the pointer's memory
// does not matter, kvfree() takes both). The fix replaces the whole
// statement with `kvfree(p);`; for a helper whose body it is, the body
// becomes that call. Such a helper, and a function whose body is
// `kvfree(p);` and nothing else (cxgb4's t4_free_mem(), 4.11), is a
// wrapper upstream removed in v4.12: each call of it, in its unit or
// (through the cross-file facts) in another, becomes a kvfree() call.
#include "matchers/checks/RefactorCheck.h"

namespace vmalloc_lint::checks {

namespace {

class OpenCodedKvfree : public RefactorCheck {
public:
  std::optional<Finding> judge(const FreeChoiceSite &S) const override {
    const FreeChoice &C = *S.Choice;
    if (S.Form == FreeChoiceSite::Shape::WrapperCall)
      return wrapperCall(S);
    std::string Helper = std::string(C.Helper) + "(" + S.Pointer + ")";
    std::string Choice = std::string(C.WhenTrue) + "() or " + C.WhenFalse +
                         "() picked by " + C.Guard + "(" + S.Pointer + ")";
    Finding F;
    F.Where = S.Where;
    F.Class = "open-coded";
    F.Callee = C.Guard;
    if (S.WholeBody)
      F.Message = S.Function + "() is an open-coded " + C.Helper +
                  "(): its body is " + Choice + "; make it " + Helper +
                  " (each call of it is reported too)";
    else
      F.Message = "open-coded " + std::string(C.Helper) + "(): " + Choice +
                  "; use " + Helper;
    FixRequest R;
    R.What = FixRequest::Kind::ReplaceCode;
    R.Name = C.Helper;
    R.Replace = {S.File, S.Offset, (unsigned)S.Text.size(), Helper + ";",
                 S.FileHash};
    R.Original = S.Text;
    R.NoteIndex = F.Notes.size();
    F.FixRequests.push_back(std::move(R));
    return F;
  }

private:
  static Finding wrapperCall(const FreeChoiceSite &S) {
    const FreeChoice &C = *S.Choice;
    Finding F;
    F.Where = S.Where;
    F.Class = "wrapper-call";
    F.Callee = S.Wrapper;
    F.Message = S.Wrapper + "() is " + C.Helper + "(): its whole body is " +
                C.Helper + "() of its parameter; call " + C.Helper + "(" +
                S.Pointer + ")";
    std::string Static = "static " + S.Wrapper + "()";
    if (S.FixedWithLine) {
      F.Message += "; the fix of the call at line " +
                   std::to_string(S.FixedWithLine) + " converts this one";
      return F;
    }
    if (S.LeavesWrapperUnused && S.MoreEdits.empty()) {
      F.Message += "; no fix: with every call converted, " + Static +
                   " would be unused (-Wunused-function), and its definition "
                   "cannot be removed with them: " +
                   S.NoRemoval +
                   "; convert its calls and remove it together by hand";
      return F;
    }
    if (S.LeavesWrapperUnused)
      F.Message += "; the fix converts every call of " + Static +
                   " and removes it, which would be unused";
    auto Piece = [&](unsigned Offset, const std::string &Old,
                     const std::string &New) {
      FixRequest R;
      R.What = FixRequest::Kind::ReplaceCode;
      R.Name = C.Helper;
      R.Replace = {S.File, Offset, (unsigned)Old.size(), New, S.FileHash};
      // A removal keeps nothing of the old code, its comments included.
      R.Original = New.empty() ? "" : Old;
      R.NoteIndex = F.Notes.size();
      R.Joined = !F.FixRequests.empty();
      F.FixRequests.push_back(std::move(R));
    };
    Piece(S.Offset, S.Text, C.Helper);
    for (const FreeChoiceSite::Edit &E : S.MoreEdits)
      Piece(E.Offset, E.Old, E.New);
    return F;
  }
};

} // namespace

const RefactorCheck &openCodedKvfree() {
  static const OpenCodedKvfree C;
  return C;
}

} // namespace vmalloc_lint::checks
