#include "matchers/gfp/GfpChain.h"

#include "matchers/SourcePoints.h"
#include "matchers/kernel/GfpFlags.h"
#include "matchers/text/CIdentifier.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/MacroInfo.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/Support/Path.h"

#include <algorithm>

using namespace clang;

namespace vmalloc_lint {

bool ChainLeaf::isIdentifier() const { return isCIdentifier(Text); }

SourceLocation normalizeArgLoc(SourceLocation L, const SourceManager &SM) {
  while (L.isMacroID() && SM.isMacroArgExpansion(L))
    L = SM.getImmediateSpellingLoc(L);
  return L;
}

FileID callArgumentContext(const CallExpr *Call, const SourceManager &SM) {
  return SM.getFileID(normalizeArgLoc(Call->getRParenLoc(), SM));
}

namespace {

/// Lifts L (a token location anywhere in the expansion tree) to the token in
/// Context that produced it. Invalid if it is not from Context.
SourceLocation liftTo(SourceLocation L, FileID Context, const SourceManager &SM,
                      bool AtEnd) {
  for (int Guard = 0; Guard < 256 && L.isValid(); ++Guard) {
    L = normalizeArgLoc(L, SM);
    if (SM.getFileID(L) == Context)
      return L;
    if (L.isFileID())
      return SourceLocation();
    CharSourceRange R = SM.getImmediateExpansionRange(L);
    L = AtEnd ? R.getEnd() : R.getBegin();
  }
  return SourceLocation();
}

class ChainBuilder {
public:
  ChainBuilder(ASTContext &Ctx, FileID Context)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), Context(Context) {}

  GfpChain build(const Expr *E) {
    Chain.Context = Context;
    Chain.Valid = true;
    // A macro expansion has a FileID too: the chain is in a macro body when
    // its context is an expansion entry.
    Chain.InMacroBody = SM.getSLocEntry(Context).isExpansion();
    walk(E);
    if (Chain.Leaves.empty())
      Chain.Valid = false;
    return std::move(Chain);
  }

private:
  bool inContext(SourceLocation L) {
    return L.isValid() && SM.getFileID(normalizeArgLoc(L, SM)) == Context;
  }

  void walk(const Expr *E) {
    if (!Chain.Valid)
      return;
    E = E->IgnoreImpCasts();
    if (const auto *P = dyn_cast<ParenExpr>(E)) {
      if (inContext(P->getLParen()) && inContext(P->getRParen())) {
        walk(P->getSubExpr());
        return;
      }
    }
    if (const auto *B = dyn_cast<BinaryOperator>(E)) {
      if (B->getOpcode() == BO_Or && inContext(B->getOperatorLoc())) {
        walk(B->getLHS());
        walk(B->getRHS());
        return;
      }
    }
    leaf(E);
  }

  void leaf(const Expr *E) {
    ChainLeaf L;
    L.E = E;
    L.Begin = liftTo(E->getBeginLoc(), Context, SM, false);
    L.End = liftTo(E->getEndLoc(), Context, SM, true);
    if (L.Begin.isInvalid() || L.End.isInvalid()) {
      Chain.Valid = false;
      return;
    }
    SourceLocation SB = SM.getSpellingLoc(L.Begin);
    SourceLocation SE = SM.getSpellingLoc(L.End);
    auto [FB, OB] = SM.getDecomposedLoc(SB);
    auto [FE, OE] = SM.getDecomposedLoc(SE);
    if (FB != FE || OE < OB) {
      Chain.Valid = false;
      return;
    }
    if (Chain.Leaves.empty())
      Chain.SpellingFile = FB;
    else if (Chain.SpellingFile != FB) {
      Chain.Valid = false;
      return;
    }
    unsigned Len = Lexer::MeasureTokenLength(SE, SM, Ctx.getLangOpts());
    L.BeginOffset = OB;
    L.EndOffset = OE + Len;
    llvm::StringRef Buf = SM.getBufferData(FB);
    if (L.EndOffset > Buf.size()) {
      Chain.Valid = false;
      return;
    }
    L.Text = Buf.substr(L.BeginOffset, L.EndOffset - L.BeginOffset).str();
    Expr::EvalResult R;
    if (!E->isValueDependent() && E->EvaluateAsInt(R, Ctx))
      L.Value = R.Val.getInt().getZExtValue();
    Chain.Leaves.push_back(std::move(L));
  }

  ASTContext &Ctx;
  const SourceManager &SM;
  FileID Context;
  GfpChain Chain;
};

} // namespace

GfpChain spellChain(const Expr *E, FileID Context, ASTContext &Ctx) {
  return ChainBuilder(Ctx, Context).build(E);
}

GfpChain spellMacroBodyChain(const ChainLeaf &Leaf, ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  // The leaf expression's own tokens come from the macro's expansion: find
  // the expansion whose macro-name token is the leaf.
  const Expr *E = Leaf.E->IgnoreImpCasts();
  SourceLocation L = E->getBeginLoc();
  for (int Guard = 0; Guard < 256 && L.isMacroID(); ++Guard) {
    L = normalizeArgLoc(L, SM);
    if (!L.isMacroID())
      break;
    CharSourceRange R = SM.getImmediateExpansionRange(L);
    if (R.getBegin() == Leaf.Begin)
      return spellChain(E, SM.getFileID(L), Ctx);
    L = R.getBegin();
  }
  return GfpChain();
}

SpelledGfp spellForFix(const GfpChain &Chain, uint64_t FlagValue,
                       FixSpelling &S) {
  SpelledGfp Out;
  const SourceManager &SM = S.Ctx.getSourceManager();
  if (!Chain.Valid || Chain.SpellingFile.isInvalid() || Chain.Leaves.empty())
    return Out;
  Out.Valid = true;
  llvm::StringRef Buf = SM.getBufferData(Chain.SpellingFile);
  Out.File = filePathOf(Chain.SpellingFile, SM);
  Out.FileHash = contentHash(Buf);
  unsigned B = ~0u, E = 0;
  for (const ChainLeaf &L : Chain.Leaves) {
    B = std::min(B, L.BeginOffset);
    E = std::max(E, L.EndOffset);
  }
  E = std::min<unsigned>(E, Buf.size());
  Out.Base = std::min(B, E);
  Out.Text = Buf.substr(Out.Base, E - Out.Base).str();
  for (const ChainLeaf &L : Chain.Leaves) {
    SpelledGfp::Operand O;
    O.Text = L.Text;
    O.Value = L.Value;
    O.Begin = L.BeginOffset;
    O.End = L.EndOffset;
    if (L.Value && (*L.Value & FlagValue) && L.isIdentifier()) {
      IdentifierInfo *II = S.PP.getIdentifierInfo(L.Text);
      const MacroInfo *MI = II ? S.PP.getMacroInfo(II) : nullptr;
      using Macro = SpelledGfp::Operand::Macro;
      if (!MI) {
        O.Kind = Macro::None;
      } else if (MI->isFunctionLike()) {
        O.Kind = Macro::FunctionLike;
      } else if (!SM.isInMainFile(SM.getExpansionLoc(MI->getDefinitionLoc()))) {
        O.Kind = Macro::Header;
        O.Counterpart = S.Flags.counterpart(L.Text, *L.Value & ~FlagValue);
        PresumedLoc Def =
            SM.getPresumedLoc(SM.getExpansionLoc(MI->getDefinitionLoc()));
        if (Def.isValid())
          O.Where = llvm::sys::path::filename(Def.getFilename()).str() + ":" +
                    std::to_string(Def.getLine());
        // A subsystem header's own macro: its body's chain, for a fix that
        // the run keeps only when every expansion of the macro in the tree
        // is a vmalloc gfp argument it fixes (rewriters/HeaderMacroFixes.h).
        if (O.Counterpart.empty())
          O.Body = std::make_shared<SpelledGfp>(
              spellForFix(spellMacroBodyChain(L, S.Ctx), FlagValue, S));
      } else {
        O.Kind = Macro::MainFile;
        O.OnlyVmallocGfp = S.OnlyUsedAsVmallocGfp(MI, O.Where);
        if (O.OnlyVmallocGfp)
          O.Body = std::make_shared<SpelledGfp>(
              spellForFix(spellMacroBodyChain(L, S.Ctx), FlagValue, S));
      }
    }
    Out.Operands.push_back(std::move(O));
  }
  return Out;
}

} // namespace vmalloc_lint
