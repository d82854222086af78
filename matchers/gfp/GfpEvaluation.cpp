#include "matchers/gfp/GfpEvaluation.h"

#include "matchers/SourcePoints.h"
#include "matchers/kernel/VmallocApi.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/Basic/SourceManager.h"

#include <algorithm>

using namespace clang;

namespace vmalloc_lint {

// ---- values ----------------------------------------------------------------

GfpValue GfpValue::constant(uint64_t V) {
  GfpValue G;
  G.Must = G.May = V;
  G.Cleared = ~V;
  return G;
}

GfpValue GfpValue::unknown(std::string Symbol) {
  GfpValue G;
  G.Constant = false;
  G.May = ~uint64_t(0);
  if (!Symbol.empty())
    G.Symbols.push_back(std::move(Symbol));
  return G;
}

void GfpValue::absorbSymbols(const GfpValue &O) {
  for (const std::string &S : O.Symbols)
    if (std::find(Symbols.begin(), Symbols.end(), S) == Symbols.end())
      Symbols.push_back(S);
  for (const ParmVarDecl *P : O.Params)
    Params.insert(P);
  VarOrigins.insert(VarOrigins.end(), O.VarOrigins.begin(), O.VarOrigins.end());
}

GfpValue orValues(const GfpValue &A, const GfpValue &B) {
  GfpValue R;
  R.Must = A.Must | B.Must;
  R.May = A.May | B.May;
  R.Cleared = A.Cleared & B.Cleared;
  R.Constant = A.Constant && B.Constant;
  R.absorbSymbols(A);
  R.absorbSymbols(B);
  return R;
}

GfpValue joinValues(const GfpValue &A, const GfpValue &B) {
  GfpValue R;
  R.Must = A.Must & B.Must;
  R.May = A.May | B.May;
  R.Cleared = A.Cleared & B.Cleared;
  R.Constant = A.Constant && B.Constant && A.Must == B.Must;
  R.absorbSymbols(A);
  R.absorbSymbols(B);
  return R;
}

// ---- expressions -----------------------------------------------------------

GfpValue GfpEvaluator::eval(const Expr *E, const FunctionDecl *Fn, int Depth) {
  if (!E || Depth > 16)
    return GfpValue::unknown("");
  E = E->IgnoreParenCasts();
  if (E->containsErrors()) {
    // Recovered code: the operands of an OR that did compile still count
    // (GFP_KERNEL | __GFP_HIGHMEM | UNDECLARED has both flags).
    if (const auto *B = dyn_cast<BinaryOperator>(E);
        B && B->getOpcode() == BO_Or)
      return orValues(eval(B->getLHS(), Fn, Depth + 1),
                      eval(B->getRHS(), Fn, Depth + 1));
    return GfpValue::unknown("expression with errors");
  }
  if (!E->isValueDependent()) {
    Expr::EvalResult R;
    if (E->EvaluateAsInt(R, Ctx))
      return GfpValue::constant(R.Val.getInt().getZExtValue());
  }
  if (const auto *B = dyn_cast<BinaryOperator>(E)) {
    switch (B->getOpcode()) {
    case BO_Or:
      return orValues(eval(B->getLHS(), Fn, Depth + 1),
                      eval(B->getRHS(), Fn, Depth + 1));
    case BO_And: {
      GfpValue L = eval(B->getLHS(), Fn, Depth + 1);
      GfpValue R = eval(B->getRHS(), Fn, Depth + 1);
      if (!R.Constant && L.Constant)
        std::swap(L, R);
      if (R.Constant) {
        L.Must &= R.Must;
        L.May &= R.Must;
        L.Cleared |= ~R.Must;
        return L;
      }
      GfpValue Out = orValues(L, R);
      Out.Must = L.Must & R.Must;
      Out.May = L.May & R.May;
      return Out;
    }
    case BO_Comma:
      return eval(B->getRHS(), Fn, Depth + 1);
    default:
      return GfpValue::unknown("expression");
    }
  }
  if (const auto *C = dyn_cast<AbstractConditionalOperator>(E))
    return joinValues(eval(C->getTrueExpr(), Fn, Depth + 1),
                      eval(C->getFalseExpr(), Fn, Depth + 1));
  if (const auto *DR = dyn_cast<DeclRefExpr>(E)) {
    if (const auto *P = dyn_cast<ParmVarDecl>(DR->getDecl())) {
      GfpValue G = GfpValue::unknown("parameter '" + P->getName().str() + "'");
      G.Params.insert(P);
      return G;
    }
    if (const auto *V = dyn_cast<VarDecl>(DR->getDecl())) {
      if (V->hasLocalStorage() && Fn)
        return localValue(V, Fn, DR->getBeginLoc(), Depth);
      if (V->getType().isConstQualified() && V->getInit())
        return eval(V->getInit(), Fn, Depth + 1);
      return GfpValue::unknown("variable '" + V->getName().str() + "'");
    }
  }
  if (const auto *CE = dyn_cast<CallExpr>(E)) {
    if (const FunctionDecl *FD = CE->getDirectCallee())
      return GfpValue::unknown("call '" + FD->getName().str() + "()'");
    return GfpValue::unknown("call");
  }
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    return GfpValue::unknown("field '" + ME->getMemberDecl()->getName().str() +
                             "'");
  return GfpValue::unknown("expression");
}

namespace {
struct Def {
  const Expr *Value;
  BinaryOperatorKind Op; // BO_Assign for init / =
  bool TopLevel;
  SourceLocation Loc;
};

void collectDefs(const Stmt *S, const VarDecl *V, bool TopLevel,
                 std::vector<Def> &Out) {
  if (!S)
    return;
  if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : DS->decls())
      if (D == V && V->getInit())
        Out.push_back({V->getInit(), BO_Assign, TopLevel, V->getLocation()});
  } else if (const auto *B = dyn_cast<BinaryOperator>(S)) {
    if (B->isAssignmentOp()) {
      const auto *L = dyn_cast<DeclRefExpr>(B->getLHS()->IgnoreParenCasts());
      if (L && L->getDecl() == V)
        Out.push_back(
            {B->getRHS(), B->getOpcode(), TopLevel, B->getOperatorLoc()});
    }
  }
  for (const Stmt *Child : S->children())
    collectDefs(Child, V, false, Out);
}

} // namespace

GfpValue GfpEvaluator::localValue(const VarDecl *V, const FunctionDecl *Fn,
                                  SourceLocation Use, int Depth) {
  if (!VarsInProgress.insert(V).second)
    return GfpValue::unknown("variable '" + V->getName().str() + "'");
  std::vector<Def> Defs;
  if (const auto *Body = dyn_cast_or_null<CompoundStmt>(Fn->getBody()))
    for (const Stmt *S : Body->body())
      collectDefs(S, V, true, Defs);
  GfpValue Out;
  bool HaveBase = false;
  for (const Def &D : Defs) {
    // An unconditional definition after the use does not reach it.
    if (D.TopLevel &&
        Ctx.getSourceManager().isBeforeInTranslationUnit(Use, D.Loc))
      continue;
    GfpValue X = eval(D.Value, Fn, Depth + 1);
    if (X.Must)
      X.VarOrigins.push_back({X.Must, D.Loc});
    if (D.Op == BO_Assign) {
      if (D.TopLevel || !HaveBase)
        Out = HaveBase && !D.TopLevel ? joinValues(Out, X) : X;
      else
        Out = joinValues(Out, X);
      HaveBase = true;
    } else if (D.Op == BO_OrAssign) {
      GfpValue Or = orValues(Out, X);
      Out = D.TopLevel ? Or : joinValues(Out, Or);
    } else if (D.Op == BO_AndAssign && X.Constant) {
      if (D.TopLevel) {
        Out.Must &= X.Must;
        Out.May &= X.Must;
        Out.Cleared |= ~X.Must;
      }
    } else {
      Out = joinValues(
          Out, GfpValue::unknown("variable '" + V->getName().str() + "'"));
    }
  }
  VarsInProgress.erase(V);
  if (!HaveBase)
    return GfpValue::unknown("variable '" + V->getName().str() + "'");
  return Out;
}

// ---- the family ------------------------------------------------------------

bool VmallocFamily::isAllocator(const FunctionDecl *FD) {
  return lookupVmallocApi(FD->getName().str()) != nullptr;
}

const FamilyMember *VmallocFamily::member(const FunctionDecl *FD) {
  FD = FD->getCanonicalDecl();
  auto It = Members.find(FD);
  if (It != Members.end())
    return It->second.Row ? &It->second : nullptr;
  FamilyMember M;
  if (const VmallocApiEntry *Row = lookupVmallocApi(FD->getName().str())) {
    M.Row = Row;
    if (Row->Gfp == GfpArgument::Explicit)
      M.GfpParam = gfpParamIndex(FD);
  } else {
    importedWrapper(FD, M);
  }
  FamilyMember &Slot = Members[FD] = M;
  return Slot.Row ? &Slot : nullptr;
}

/// A function this unit declares but does not define, exported by another
/// unit as a gfp wrapper (--facts-in).
void VmallocFamily::importedWrapper(const FunctionDecl *FD, FamilyMember &M) {
  if (!Imported || FD->getDefinition() || !FD->getIdentifier() ||
      !FD->isExternallyVisible())
    return;
  auto It = Imported->Wrappers.find(FD->getName().str());
  if (It == Imported->Wrappers.end())
    return;
  const WrapperFact &W = It->second;
  const VmallocApiEntry *Row = lookupVmallocApi(W.Allocator);
  // The declaration must agree with the fact (same gfp_t parameter).
  if (!Row || gfpParamIndex(FD) != int(W.GfpParam))
    return;
  M.Row = Row;
  M.GfpParam = int(W.GfpParam);
  M.IsWrapper = true;
  M.Added = W.Added;
  M.Cleared = W.Cleared;
  M.Via = W.Via.empty() ? std::vector<std::string>{It->first} : W.Via;
  M.Imported = It->first;
  M.ImportedAt = W.Def;
}

void VmallocFamily::exportWrappers(CrossFileFacts &Out, SourcePoints &Points) {
  for (const auto &[FD, M] : Members) {
    if (!M.Row || !M.IsWrapper || M.GfpParam < 0 || !FD->getIdentifier() ||
        !FD->isExternallyVisible())
      continue;
    const FunctionDecl *Def = FD->getDefinition();
    if (!Def)
      continue;
    WrapperFact W;
    SourcePoint P =
        Points.at(Def->getASTContext().getSourceManager().getExpansionLoc(
            Def->getLocation()));
    W.Def = {P.File, P.Line, P.Column};
    W.GfpParam = unsigned(M.GfpParam);
    W.Allocator = M.Row->Name;
    W.Added = M.Added;
    W.Cleared = M.Cleared;
    W.Via = M.Via;
    if (W.Def.valid())
      Out.addWrapper(FD->getName().str(), W);
  }
}

void VmallocFamily::findWrappers(const std::vector<FamilyCall> &Calls) {
  for (int Round = 0; Round < 8; ++Round) {
    bool Changed = false;
    for (const FamilyCall &CC : Calls) {
      const FunctionDecl *Callee = CC.Call->getDirectCallee();
      const FamilyMember *M = member(Callee);
      if (!M || M->GfpParam < 0 ||
          unsigned(M->GfpParam) >= CC.Call->getNumArgs())
        continue;
      const FunctionDecl *F = CC.Caller->getCanonicalDecl();
      if (isAllocator(F) || member(F))
        continue;
      int Own = gfpParamIndex(CC.Caller);
      if (Own < 0)
        continue;
      GfpValue V = Eval.eval(CC.Call->getArg(M->GfpParam), CC.Caller);
      const ParmVarDecl *P = CC.Caller->getParamDecl(Own);
      if (!V.Params.count(P))
        continue;
      FamilyMember W;
      W.Row = M->Row;
      W.GfpParam = Own;
      W.IsWrapper = true;
      W.Added = (V.Must | M->Added) & ~M->Cleared;
      W.Cleared = V.Cleared | M->Cleared;
      W.Via.push_back(CC.Caller->getName().str());
      W.Via.insert(W.Via.end(), M->Via.begin(), M->Via.end());
      W.Imported = M->Imported;
      W.ImportedAt = M->ImportedAt;
      Members[F] = W;
      Changed = true;
    }
    if (!Changed)
      break;
  }
}

} // namespace vmalloc_lint
