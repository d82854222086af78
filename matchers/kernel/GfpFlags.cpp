#include "matchers/kernel/GfpFlags.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/MacroInfo.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/StringSet.h"

#include <algorithm>
#include <bitset>
#include <cctype>

using namespace clang;

namespace vmalloc_lint {

namespace {

/// A token of a macro body, as text: pasting (`X##Y`) makes new ones.
struct MacroToken {
  tok::TokenKind Kind;
  std::string Text;
  bool is(tok::TokenKind K) const { return Kind == K; }
};

/// Macro expansion + integer constant expression evaluation over tokens:
/// object-like and function-like macros, `##` pasting (the kernel's BIT()
/// goes through _AC(X, Y) -> X##Y), casts looked through, enum constants.
class MacroExprEvaluator {
public:
  MacroExprEvaluator(Preprocessor &PP, ASTContext *Ctx) : PP(PP), Ctx(Ctx) {}

  std::optional<uint64_t> evaluate(llvm::StringRef Name) {
    const MacroInfo *MI = macro(Name);
    if (!MI)
      return enumConstant(Name); // newer trees: ___GFP_*_BIT enums
    if (MI->isFunctionLike())
      return std::nullopt;
    std::vector<MacroToken> Expanded;
    Disabled.insert(Name);
    bool Ok = expand(body(MI), Expanded, 0);
    Disabled.erase(Name);
    if (!Ok || Expanded.empty())
      return std::nullopt;
    Toks = std::move(Expanded);
    Pos = 0;
    Failed = false;
    uint64_t V = parseBinary(0);
    if (Failed || Pos != Toks.size())
      return std::nullopt;
    return V;
  }

private:
  const MacroInfo *macro(llvm::StringRef Name) {
    IdentifierInfo *II = PP.getIdentifierInfo(Name);
    return II ? PP.getMacroInfo(II) : nullptr;
  }

  std::vector<MacroToken> body(const MacroInfo *MI) {
    std::vector<MacroToken> Out;
    for (const Token &T : MI->tokens())
      Out.push_back({T.getKind(), T.getIdentifierInfo()
                                      ? T.getIdentifierInfo()->getName().str()
                                      : PP.getSpelling(T)});
    return Out;
  }

  std::optional<uint64_t> enumConstant(llvm::StringRef Name) {
    if (!Ctx)
      return std::nullopt;
    IdentifierInfo &II = Ctx->Idents.get(Name);
    for (NamedDecl *D : Ctx->getTranslationUnitDecl()->lookup(&II))
      if (auto *EC = dyn_cast<EnumConstantDecl>(D))
        return EC->getInitVal().getZExtValue();
    return std::nullopt;
  }

  static bool isIdent(const MacroToken &T) {
    return !T.Text.empty() &&
           (std::isalpha((unsigned char)T.Text[0]) || T.Text[0] == '_');
  }

  /// A##B: the pasted token, or nullopt when it is not one token.
  static std::optional<MacroToken> paste(const MacroToken &A,
                                         const MacroToken &B) {
    std::string Text = A.Text + B.Text;
    if (Text.empty())
      return std::nullopt;
    for (char C : Text)
      if (!std::isalnum((unsigned char)C) && C != '_')
        return std::nullopt;
    if (std::isdigit((unsigned char)Text[0]))
      return MacroToken{tok::numeric_constant, Text};
    return MacroToken{tok::identifier, Text};
  }

  bool expand(llvm::ArrayRef<MacroToken> In, std::vector<MacroToken> &Out,
              int Depth) {
    if (Depth > 64)
      return false;
    for (size_t I = 0; I < In.size(); ++I) {
      const MacroToken &T = In[I];
      if (T.is(tok::hash) || T.is(tok::hashhash))
        return false;
      const MacroInfo *MI =
          isIdent(T) && !Disabled.count(T.Text) ? macro(T.Text) : nullptr;
      if (!MI) {
        Out.push_back(T);
        continue;
      }
      if (!MI->isFunctionLike()) {
        Disabled.insert(T.Text);
        bool Ok = expand(body(MI), Out, Depth + 1);
        Disabled.erase(T.Text);
        if (!Ok)
          return false;
        continue;
      }
      // Function-like: collect the arguments, substitute, paste, rescan.
      if (I + 1 >= In.size() || !In[I + 1].is(tok::l_paren)) {
        Out.push_back(T);
        continue;
      }
      std::vector<std::vector<MacroToken>> Args(1);
      int Level = 0;
      size_t J = I + 2;
      for (; J < In.size(); ++J) {
        if (In[J].is(tok::l_paren))
          ++Level;
        else if (In[J].is(tok::r_paren)) {
          if (Level == 0)
            break;
          --Level;
        } else if (In[J].is(tok::comma) && Level == 0) {
          Args.emplace_back();
          continue;
        }
        Args.back().push_back(In[J]);
      }
      if (J >= In.size() || MI->isVariadic())
        return false;
      if (MI->getNumParams() == 0 && Args.size() == 1 && Args[0].empty())
        Args.clear();
      if (Args.size() != MI->getNumParams())
        return false;
      std::vector<MacroToken> Body;
      for (const MacroToken &BT : body(MI)) {
        int Param = -1;
        if (isIdent(BT))
          if (IdentifierInfo *BII = PP.getIdentifierInfo(BT.Text))
            Param = MI->getParameterNum(BII);
        if (Param >= 0)
          Body.insert(Body.end(), Args[Param].begin(), Args[Param].end());
        else
          Body.push_back(BT);
      }
      std::vector<MacroToken> Pasted;
      for (size_t K = 0; K < Body.size(); ++K) {
        if (Body[K].is(tok::hashhash) && !Pasted.empty() &&
            K + 1 < Body.size()) {
          auto P = paste(Pasted.back(), Body[K + 1]);
          if (!P)
            return false;
          Pasted.back() = *P;
          ++K;
          continue;
        }
        Pasted.push_back(Body[K]);
      }
      std::string Name = T.Text;
      Disabled.insert(Name);
      bool Ok = expand(Pasted, Out, Depth + 1);
      Disabled.erase(Name);
      if (!Ok)
        return false;
      I = J;
    }
    return true;
  }

  const MacroToken *peek(size_t Ahead = 0) {
    return Pos + Ahead < Toks.size() ? &Toks[Pos + Ahead] : nullptr;
  }

  static int precedence(tok::TokenKind K) {
    switch (K) {
    case tok::star:
    case tok::slash:
    case tok::percent:
      return 10;
    case tok::plus:
    case tok::minus:
      return 9;
    case tok::lessless:
    case tok::greatergreater:
      return 8;
    case tok::less:
    case tok::lessequal:
    case tok::greater:
    case tok::greaterequal:
      return 7;
    case tok::equalequal:
    case tok::exclaimequal:
      return 6;
    case tok::amp:
      return 5;
    case tok::caret:
      return 4;
    case tok::pipe:
      return 3;
    case tok::ampamp:
      return 2;
    case tok::pipepipe:
      return 1;
    default:
      return -1;
    }
  }

  uint64_t parseBinary(int MinPrec) {
    uint64_t L = parseUnary();
    while (!Failed) {
      const MacroToken *T = peek();
      if (!T)
        break;
      int P = precedence(T->Kind);
      if (P < 0 || P < MinPrec)
        break;
      tok::TokenKind K = T->Kind;
      ++Pos;
      uint64_t R = parseBinary(P + 1);
      switch (K) {
      case tok::star:
        L *= R;
        break;
      case tok::slash:
      case tok::percent:
        if (!R) {
          Failed = true;
          return 0;
        }
        L = K == tok::slash ? L / R : L % R;
        break;
      case tok::plus:
        L += R;
        break;
      case tok::minus:
        L -= R;
        break;
      case tok::lessless:
        L = R >= 64 ? 0 : L << R;
        break;
      case tok::greatergreater:
        L = R >= 64 ? 0 : L >> R;
        break;
      case tok::less:
        L = L < R;
        break;
      case tok::lessequal:
        L = L <= R;
        break;
      case tok::greater:
        L = L > R;
        break;
      case tok::greaterequal:
        L = L >= R;
        break;
      case tok::equalequal:
        L = L == R;
        break;
      case tok::exclaimequal:
        L = L != R;
        break;
      case tok::amp:
        L &= R;
        break;
      case tok::caret:
        L ^= R;
        break;
      case tok::pipe:
        L |= R;
        break;
      case tok::ampamp:
        L = L && R;
        break;
      case tok::pipepipe:
        L = L || R;
        break;
      default:
        Failed = true;
        break;
      }
    }
    return L;
  }

  /// `( type-words )` followed by an operand: a cast to look through.
  bool atCast() {
    size_t J = Pos + 1;
    bool Any = false;
    for (; J < Toks.size(); ++J) {
      const MacroToken &T = Toks[J];
      if (T.is(tok::r_paren))
        break;
      if (T.is(tok::star) && Any)
        continue;
      if (!isIdent(T) || T.is(tok::numeric_constant))
        return false;
      if (enumConstant(T.Text))
        return false;
      Any = true;
    }
    if (!Any || J + 1 >= Toks.size())
      return false;
    const MacroToken &Next = Toks[J + 1];
    return Next.is(tok::l_paren) || Next.is(tok::numeric_constant) ||
           isIdent(Next) || Next.is(tok::tilde) || Next.is(tok::minus) ||
           Next.is(tok::exclaim) || Next.is(tok::plus);
  }

  uint64_t parseUnary() {
    const MacroToken *T = peek();
    if (!T) {
      Failed = true;
      return 0;
    }
    switch (T->Kind) {
    case tok::tilde:
      ++Pos;
      return ~parseUnary();
    case tok::minus:
      ++Pos;
      return -parseUnary();
    case tok::plus:
      ++Pos;
      return parseUnary();
    case tok::exclaim:
      ++Pos;
      return !parseUnary();
    case tok::l_paren: {
      if (atCast()) {
        while (!Toks[Pos].is(tok::r_paren))
          ++Pos;
        ++Pos;
        return parseUnary();
      }
      ++Pos;
      uint64_t V = parseBinary(0);
      if (!peek() || !peek()->is(tok::r_paren)) {
        Failed = true;
        return 0;
      }
      ++Pos;
      return V;
    }
    case tok::numeric_constant:
      ++Pos;
      return parseNumber(T->Text);
    default:
      if (isIdent(*T)) {
        ++Pos;
        if (auto V = enumConstant(T->Text))
          return *V;
      }
      Failed = true;
      return 0;
    }
  }

  uint64_t parseNumber(std::string S) {
    while (!S.empty() && (S.back() == 'u' || S.back() == 'U' ||
                          S.back() == 'l' || S.back() == 'L'))
      S.pop_back();
    uint64_t V = 0;
    if (llvm::StringRef(S).getAsInteger(0, V)) {
      Failed = true;
      return 0;
    }
    return V;
  }

  Preprocessor &PP;
  ASTContext *Ctx;
  llvm::StringSet<> Disabled;
  std::vector<MacroToken> Toks;
  size_t Pos = 0;
  bool Failed = false;
};

bool isMaskName(llvm::StringRef N) {
  return N.contains("MASK") || N.contains("ZONE_BAD") ||
         N.contains("ZONE_TABLE") || N.contains("SHIFT") ||
         N.ends_with("_BITS") || N.contains("_BIT_") || N.ends_with("_BIT") ||
         N == "GFP_ZONES_SHIFT" || N.starts_with("GFP_MOVABLE");
}

} // namespace

GfpFlagTable::GfpFlagTable(Preprocessor &PP, ASTContext *Ctx)
    : PP(PP), Ctx(Ctx) {}

std::optional<uint64_t> GfpFlagTable::value(llvm::StringRef Name) {
  auto It = Cache.find(Name);
  if (It != Cache.end())
    return It->second;
  MacroExprEvaluator E(PP, Ctx);
  std::optional<uint64_t> V = E.evaluate(Name);
  Cache[Name] = V;
  return V;
}

std::optional<bool> GfpFlagTable::zoneBad(uint64_t Mask) {
  auto Bad = value("GFP_ZONE_BAD");
  auto ZoneMask = value("GFP_ZONEMASK");
  if (!Bad || !ZoneMask)
    return std::nullopt;
  uint64_t Bit = Mask & *ZoneMask;
  if (Bit >= 64)
    return std::nullopt;
  return ((*Bad >> Bit) & 1) != 0;
}

const std::vector<GfpFlagTable::Candidate> &GfpFlagTable::names() {
  if (NamesReady)
    return Names;
  NamesReady = true;
  for (const auto &Entry : PP.macros()) {
    const IdentifierInfo *II = Entry.first;
    llvm::StringRef N = II->getName();
    if (!(N.starts_with("GFP_") || N.starts_with("__GFP_")) || isMaskName(N))
      continue;
    const MacroInfo *MI = PP.getMacroInfo(II);
    if (!MI || MI->isFunctionLike())
      continue;
    if (auto V = value(N); V && *V)
      Names.push_back({N.str(), *V});
  }
  std::sort(
      Names.begin(), Names.end(),
      [](const Candidate &A, const Candidate &B) { return A.Name < B.Name; });
  return Names;
}

std::string GfpFlagTable::describe(uint64_t Mask) {
  if (Mask == 0)
    return "0";
  const auto &All = names();
  std::vector<std::string> Parts;
  uint64_t Left = Mask;
  // The widest GFP_* composite that fits, preferring the names callers
  // write (GFP_KERNEL | __GFP_ZERO rather than GFP_PGTABLE_KERNEL).
  static const llvm::StringSet<> WellKnown = {
      "GFP_KERNEL", "GFP_KERNEL_ACCOUNT", "GFP_NOFS",
      "GFP_NOIO",   "GFP_NOWAIT",         "GFP_ATOMIC",
      "GFP_USER",   "GFP_HIGHUSER",       "GFP_HIGHUSER_MOVABLE",
      "GFP_NOWAIT", "GFP_TRANSHUGE",      "GFP_TRANSHUGE_LIGHT"};
  const Candidate *Best = nullptr;
  for (bool OnlyWellKnown : {true, false}) {
    int BestBits = 1;
    for (const Candidate &C : All) {
      if (!llvm::StringRef(C.Name).starts_with("GFP_") ||
          (OnlyWellKnown && !WellKnown.count(C.Name)))
        continue;
      int Bits = std::bitset<64>(C.Value).count();
      if ((C.Value & ~Mask) == 0 && Bits > BestBits) {
        Best = &C;
        BestBits = Bits;
      }
    }
    if (Best)
      break;
  }
  if (Best) {
    Parts.push_back(Best->Name);
    Left &= ~Best->Value;
  }
  // Then single __GFP_* bits, low to high.
  for (int B = 0; B < 64 && Left; ++B) {
    uint64_t Bit = uint64_t(1) << B;
    if (!(Left & Bit))
      continue;
    const Candidate *Single = nullptr;
    for (const Candidate &C : All)
      if (C.Value == Bit && llvm::StringRef(C.Name).starts_with("__GFP_") &&
          (!Single || C.Name.size() < Single->Name.size()))
        Single = &C;
    if (Single) {
      Parts.push_back(Single->Name);
      Left &= ~Bit;
    }
  }
  std::string Out;
  for (const std::string &P : Parts)
    Out += (Out.empty() ? "" : " | ") + P;
  if (Left) {
    char Buf[32];
    snprintf(Buf, sizeof Buf, "0x%llx", (unsigned long long)Left);
    Out += (Out.empty() ? "" : " | ") + std::string(Buf);
  }
  return Out;
}

std::string GfpFlagTable::definitionFile(llvm::StringRef Macro) {
  IdentifierInfo *II = PP.getIdentifierInfo(Macro);
  const MacroInfo *MI = II ? PP.getMacroInfo(II) : nullptr;
  if (!MI)
    return "";
  SourceManager &SM = PP.getSourceManager();
  SourceLocation L = SM.getSpellingLoc(MI->getDefinitionLoc());
  if (auto FE = SM.getFileEntryRefForID(SM.getFileID(L)))
    return FE->getName().str();
  return "";
}

std::string GfpFlagTable::counterpart(llvm::StringRef Macro, uint64_t Value) {
  std::string File = definitionFile(Macro);
  if (File.empty())
    return "";
  std::string Preferred = Macro.str();
  if (size_t P = Preferred.find("HIGH"); P != std::string::npos)
    Preferred.erase(P, 4);
  std::string Best;
  for (const Candidate &C : names()) {
    if (C.Value != Value || C.Name == Macro || definitionFile(C.Name) != File)
      continue;
    if (C.Name == Preferred)
      return C.Name;
    if (Best.empty() || C.Name.size() < Best.size())
      Best = C.Name;
  }
  return Best;
}

} // namespace vmalloc_lint
