#include "matchers/CallSites.h"

#include "matchers/kernel/MemoryApi.h"
#include "matchers/kernel/VmallocApi.h"

#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "llvm/ADT/StringSet.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace vmalloc_lint {

int gfpParamIndex(const FunctionDecl *FD) {
  for (unsigned I = 0; I < FD->getNumParams(); ++I) {
    QualType T = FD->getParamDecl(I)->getType();
    for (int Guard = 0; Guard < 16; ++Guard) {
      const auto *TT = T->getAs<TypedefType>();
      if (!TT)
        break;
      if (TT->getDecl()->getName() == "gfp_t")
        return I;
      T = TT->desugar();
    }
  }
  return -1;
}

namespace {

// ---- matchers over the tables ----------------------------------------------

/// The function's name is in a table (a hash lookup: the tables hold about
/// a hundred names, each also with the `_noprof` suffix of 6.10+ memory
/// allocation profiling).
AST_MATCHER_P(FunctionDecl, hasNameInTable, const llvm::StringSet<> *, Names) {
  return Node.getIdentifier() && Names->contains(Node.getName());
}

/// The function takes a gfp_t (it may be a wrapper of the family).
AST_MATCHER(FunctionDecl, hasGfpParameter) { return gfpParamIndex(&Node) >= 0; }

/// The declaration has a body written in this translation unit.
AST_MATCHER(FunctionDecl, hasBodyHere) {
  return Node.doesThisDeclarationHaveABody();
}

llvm::StringSet<> withNoprof(const std::vector<std::string> &Names) {
  llvm::StringSet<> S;
  for (const std::string &N : Names) {
    S.insert(N);
    S.insert(N + "_noprof");
  }
  return S;
}

const llvm::StringSet<> &familyNames() {
  static const llvm::StringSet<> S = [] {
    std::vector<std::string> N;
    for (const VmallocApiEntry &E : vmallocApi())
      N.push_back(E.Name);
    return withNoprof(N);
  }();
  return S;
}

const llvm::StringSet<> &memoryNames() {
  static const llvm::StringSet<> S = [] {
    std::vector<std::string> N = memoryApiNames();
    for (const VmallocApiEntry &E : vmallocApi())
      N.push_back(E.Name);
    return withNoprof(N);
  }();
  return S;
}

// ---- pass 1 ----------------------------------------------------------------

class FamilyCallback : public MatchFinder::MatchCallback {
public:
  std::vector<FamilyCall> Calls;
  void run(const MatchFinder::MatchResult &R) override {
    Calls.push_back({R.Nodes.getNodeAs<CallExpr>("call"),
                     R.Nodes.getNodeAs<FunctionDecl>("caller")});
  }
};

// ---- pass 2 ----------------------------------------------------------------

class MemoryCallback : public MatchFinder::MatchCallback {
public:
  MemoryCalls Calls;
  void run(const MatchFinder::MatchResult &R) override {
    const auto *CE = R.Nodes.getNodeAs<CallExpr>("call");
    std::string Name = CE->getDirectCallee()->getName().str();
    MemoryCallee C;
    C.Family = lookupVmallocApi(Name);
    C.Source = lookupMemorySource(Name);
    C.Sink = lookupMemorySink(Name);
    C.Guard = lookupMemoryGuard(Name);
    C.MaskSetter = lookupDmaMaskSetter(Name);
    C.PageLookup = isVmallocPageLookup(Name);
    if (C.MaskSetter)
      Calls.MaskSetters.push_back(CE);
    Calls.ByCall[CE] = C;
  }
};

} // namespace

std::vector<FamilyCall> findFamilyCalls(ASTContext &Ctx) {
  // The enclosing function is bound from above (forEachDescendant of each
  // definition), not searched from below: no parent map is built.
  MatchFinder Finder;
  FamilyCallback CB;
  Finder.addMatcher(
      functionDecl(
          hasBodyHere(),
          forEachDescendant(
              callExpr(callee(functionDecl(anyOf(hasNameInTable(&familyNames()),
                                                 hasGfpParameter()))))
                  .bind("call")))
          .bind("caller"),
      &CB);
  Finder.matchAST(Ctx);
  return std::move(CB.Calls);
}

MemoryCalls findMemoryCalls(ASTContext &Ctx) {
  MatchFinder Finder;
  MemoryCallback CB;
  Finder.addMatcher(
      callExpr(callee(functionDecl(hasNameInTable(&memoryNames()))))
          .bind("call"),
      &CB);
  Finder.matchAST(Ctx);
  return std::move(CB.Calls);
}

} // namespace vmalloc_lint
