#include "matchers/refactor/ApiCalls.h"

#include "matchers/SourcePoints.h"
#include "matchers/kernel/ApiMigrations.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/Stmt.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

#include <algorithm>
#include <set>

using namespace clang;
using namespace clang::ast_matchers;

namespace vmalloc_lint {

namespace {

class Collector : public MatchFinder::MatchCallback {
public:
  Collector(ASTContext &Ctx) : Ctx(Ctx), SM(Ctx.getSourceManager()), P(SM) {}

  void run(const MatchFinder::MatchResult &R) override {
    const auto *CE = R.Nodes.getNodeAs<CallExpr>("call");
    const FunctionDecl *FD = CE ? CE->getDirectCallee() : nullptr;
    if (!FD || !FD->getIdentifier())
      return;
    SourceLocation Begin = CE->getBeginLoc();
    if (Begin.isInvalid())
      return;
    ApiCallSite S;
    S.Callee = FD->getName().str();
    // A call a macro body writes is reported where the macro is used.
    bool InBody = Begin.isMacroID() && !SM.isMacroArgExpansion(Begin);
    S.Where =
        P.at(InBody ? SM.getExpansionLoc(Begin) : SM.getSpellingLoc(Begin));
    if (!S.Where.valid() || !Seen.insert({S.Where.File, S.Where.Offset}).second)
      return;
    if (const auto *Fn = R.Nodes.getNodeAs<FunctionDecl>("fn"))
      if (Fn->getIdentifier())
        S.Function = Fn->getName().str();
    S.ArgCount = CE->getNumArgs();
    spell(CE, S);
    Sites.push_back(std::move(S));
  }

  std::vector<ApiCallSite> Sites;

private:
  /// The call's and its arguments' bytes; Editable when all are written in
  /// one file, not by a macro body.
  void spell(const CallExpr *CE, ApiCallSite &S) {
    const LangOptions &LO = Ctx.getLangOpts();
    // The callee token must be the file's, not a macro body's.
    if (!CE->getBeginLoc().isFileID() &&
        !SM.isMacroArgExpansion(CE->getBeginLoc()))
      return;
    CharSourceRange Call = Lexer::makeFileCharRange(
        CharSourceRange::getTokenRange(CE->getSourceRange()), SM, LO);
    if (Call.isInvalid())
      return;
    auto [FID, Off] = SM.getDecomposedLoc(Call.getBegin());
    auto [EndFID, EndOff] = SM.getDecomposedLoc(Call.getEnd());
    if (FID != EndFID || EndOff < Off)
      return;
    bool Invalid = false;
    StringRef Buf = SM.getBufferData(FID, &Invalid);
    if (Invalid || EndOff > Buf.size())
      return;
    for (const Expr *A : CE->arguments()) {
      if (isa<CXXDefaultArgExpr>(A))
        return;
      CharSourceRange R = Lexer::makeFileCharRange(
          CharSourceRange::getTokenRange(A->getSourceRange()), SM, LO);
      if (R.isInvalid())
        return;
      auto [AF, AB] = SM.getDecomposedLoc(R.getBegin());
      auto [AEF, AE] = SM.getDecomposedLoc(R.getEnd());
      if (AF != FID || AEF != FID || AB < Off || AE > EndOff || AE < AB)
        return;
      S.Args.push_back(Buf.substr(AB, AE - AB).str());
      S.ArgRanges.push_back({AB, AE});
    }
    S.File = filePathOf(FID, SM);
    if (S.File.empty())
      return;
    S.FileHash = contentHash(Buf);
    S.Offset = Off;
    S.Text = Buf.substr(Off, EndOff - Off).str();
    S.Editable = true;
    statement(CE, Buf, EndOff, S);
  }

  /// The call as a statement of a block: `f(x);`, and the bytes deleting
  /// it takes (the whole line when only blanks are around it).
  void statement(const CallExpr *CE, StringRef Buf, unsigned End,
                 ApiCallSite &S) {
    bool InBlock = false;
    for (const DynTypedNode &N : Ctx.getParents(*CE))
      InBlock |= N.get<CompoundStmt>() != nullptr;
    if (!InBlock)
      return;
    size_t Semi = End;
    while (Semi < Buf.size() && (Buf[Semi] == ' ' || Buf[Semi] == '\t'))
      ++Semi;
    if (Semi >= Buf.size() || Buf[Semi] != ';')
      return;
    unsigned Begin = S.Offset, Stop = Semi + 1;
    size_t LineStart = Begin;
    while (LineStart > 0 &&
           (Buf[LineStart - 1] == ' ' || Buf[LineStart - 1] == '\t'))
      --LineStart;
    size_t LineEnd = Stop;
    while (LineEnd < Buf.size() &&
           (Buf[LineEnd] == ' ' || Buf[LineEnd] == '\t'))
      ++LineEnd;
    if ((LineStart == 0 || Buf[LineStart - 1] == '\n') &&
        LineEnd < Buf.size() && Buf[LineEnd] == '\n') {
      Begin = LineStart;
      Stop = LineEnd + 1;
    } else {
      Stop = LineEnd; // and the blanks before what follows on the line
    }
    S.Statement = true;
    S.StatementOffset = Begin;
    S.StatementText = Buf.substr(Begin, Stop - Begin).str();
  }

  ASTContext &Ctx;
  const SourceManager &SM;
  SourcePoints P;
  std::set<std::pair<std::string, unsigned>> Seen;
};

} // namespace

std::vector<ApiCallSite> findApiCalls(ASTContext &Ctx) {
  std::set<std::string> Unique;
  for (const ApiMigration &M : apiMigrations())
    Unique.insert(M.Function);
  std::vector<std::string> Names(Unique.begin(), Unique.end());
  std::vector<StringRef> Refs(Names.begin(), Names.end());
  Collector C(Ctx);
  MatchFinder Finder;
  Finder.addMatcher(callExpr(callee(functionDecl(hasAnyName(Refs))),
                             optionally(forFunction(functionDecl().bind("fn"))))
                        .bind("call"),
                    &C);
  Finder.matchAST(Ctx);
  std::sort(C.Sites.begin(), C.Sites.end(),
            [](const ApiCallSite &A, const ApiCallSite &B) {
              return A.Where < B.Where;
            });
  return std::move(C.Sites);
}

} // namespace vmalloc_lint
