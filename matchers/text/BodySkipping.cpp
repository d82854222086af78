#include "matchers/text/BodySkipping.h"

#include "clang/AST/Decl.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/MacroInfo.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/DenseMap.h"

using namespace clang;

namespace vmalloc_lint {

namespace {

/// An object-like macro of the main file: MacroExpansionLog records where
/// it expands.
bool mainFileObjectMacro(const SourceManager &SM, const MacroInfo *MI) {
  return MI && !MI->isFunctionLike() &&
         SM.isInMainFile(SM.getExpansionLoc(MI->getDefinitionLoc()));
}

/// The main file's object-like macros defined now, and when what a macro
/// expands to may have changed: which of them a macro's expansion reaches
/// is remembered per generation (Filter::reachesMainMacro).
struct MacroWatch {
  llvm::StringSet<> MainObjects;
  /// Names an expansion was followed through (a macro then or not): a
  /// definition of one may change what the expansions reach.
  llvm::StringSet<> Followed;
  unsigned Generation = 0;
};

class WatchMacros : public PPCallbacks {
public:
  WatchMacros(const SourceManager &SM, std::shared_ptr<MacroWatch> W)
      : SM(SM), W(std::move(W)) {}
  void MacroDefined(const Token &Name, const MacroDirective *MD) override {
    changed(Name, MD->getMacroInfo(), true);
  }
  void MacroUndefined(const Token &Name, const MacroDefinition &MD,
                      const MacroDirective *) override {
    changed(Name, MD.getMacroInfo(), false);
  }

private:
  void changed(const Token &Name, const MacroInfo *MI, bool Defined) {
    llvm::StringRef N = Name.getIdentifierInfo()->getName();
    if (mainFileObjectMacro(SM, MI)) {
      if (Defined)
        W->MainObjects.insert(N);
      else
        W->MainObjects.erase(N);
      ++W->Generation;
    } else if (W->Followed.contains(N)) {
      ++W->Generation;
    }
  }
  const SourceManager &SM;
  std::shared_ptr<MacroWatch> W;
};

class Filter : public FunctionBodyFilter {
public:
  Filter(const BodySkipping &Rule, Preprocessor &PP)
      : Rule(Rule), PP(PP), SM(PP.getSourceManager()) {
    PP.addPPCallbacks(std::make_unique<WatchMacros>(SM, Watch));
  }

  bool shouldSkip(const Decl *D) override {
    Extent = {};
    bool Skip = decide(D);
    ++(Skip ? C.Skipped : C.Parsed);
    if (!Skip)
      Extent = {};
    return Skip;
  }
  bool jumpOver() override {
    if (!Extent.File.isValid())
      return false;
    BodyExtent E = Extent;
    Extent = {};
    // The lexer of the body's file must be the current one (no macro
    // expansion under way), with nothing read past the '{' (no lookahead)
    // and no tentative parse to rewind to.
    auto *L = static_cast<Lexer *>(PP.getCurrentLexer());
    if (!L || PP.isBacktrackEnabled() ||
        SM.getFileID(L->getFileLoc()) != E.File ||
        L->getCurrentBufferOffset() != E.LBrace + 1)
      return false;
    L->seek(E.RBrace, E.RBraceStartsLine);
    ++C.Jumped;
    return true;
  }
  Counts counts() const override { return C; }

private:
  /// The last skipped body's braces, when its text can be jumped over.
  struct BodyExtent {
    FileID File;
    unsigned LBrace = 0, RBrace = 0;
    bool RBraceStartsLine = false;
  };

  bool decide(const Decl *D) {
    const auto *FD = dyn_cast_or_null<FunctionDecl>(D);
    if (!FD || !FD->getDeclName().isIdentifier())
      return false;
    SourceLocation NameLoc = FD->getLocation();
    if (!NameLoc.isFileID())
      return false; // written by a macro: the body's text is not at hand
    if (!MainScanned)
      scanMainFile();
    if (Rule.KeepMainFile && SM.isInMainFile(NameLoc)) {
      Kept.insert(FD->getName());
      return false;
    }
    SourceLocation End = SM.getExpansionRange(FD->getEndLoc()).getEnd();
    FileID File = SM.getFileID(End);
    if (File != SM.getFileID(NameLoc))
      return false;
    bool Invalid = false;
    llvm::StringRef Buf = SM.getBufferData(File, &Invalid);
    if (Invalid)
      return false;
    Lexer Lex(SM.getLocForStartOfFile(File), PP.getLangOpts(), Buf.begin(),
              SM.getCharacterData(End), Buf.end());
    Token T;
    unsigned LBrace = 0;
    Lex.LexFromRawLexer(T); // the declarator's last token
    // Up to the body's '{': attributes, annotations.
    int Paren = 0;
    for (int N = 0;; ++N) {
      // (LexFromRawLexer's result says the buffer ended after the token:
      // the token itself may still be the body's last one.)
      Lex.LexFromRawLexer(T);
      if (T.is(tok::eof) || N > 64)
        return false;
      if (T.is(tok::l_paren))
        ++Paren;
      else if (T.is(tok::r_paren))
        --Paren;
      else if (Paren == 0 && T.is(tok::l_brace)) {
        LBrace = SM.getFileOffset(T.getLocation());
        break;
      } else if (Paren == 0 && !T.is(tok::raw_identifier))
        return false;
    }
    // The body to its '}'. Braces count in the first branch of a
    // conditional only (the branches of `#ifdef X ... { #else ... { #endif`
    // open one block, not two); identifiers count everywhere.
    int Depth = 1;
    std::vector<bool> InLaterBranch;
    unsigned Later = 0;
    bool Relevant = false;
    llvm::SmallVector<llvm::StringRef, 16> Members;
    tok::TokenKind Prev = tok::l_brace;
    bool StoreMember = false; // the last token was a member's name
    // Whether the lexer may jump over the body (BodySkipping.h): the net
    // braces of each open conditional's current branch.
    bool Jumpable = true;
    llvm::SmallVector<int, 4> BranchBraces;
    auto EndBranch = [&] {
      if (BranchBraces.empty() || BranchBraces.back() != 0)
        Jumpable = false;
    };
    while (Depth > 0) {
      Lex.LexFromRawLexer(T);
      if (T.is(tok::eof))
        return false; // no end found: parse it
      if (T.is(tok::hash) && T.isAtStartOfLine()) {
        Token Dir;
        Lex.LexFromRawLexer(Dir);
        if (Dir.is(tok::eof))
          return false;
        if (Dir.is(tok::raw_identifier)) {
          llvm::StringRef K = Dir.getRawIdentifier();
          bool Else =
              K == "else" || K == "elif" || K == "elifdef" || K == "elifndef";
          if (K == "if" || K == "ifdef" || K == "ifndef") {
            InLaterBranch.push_back(false);
            BranchBraces.push_back(0);
          } else if (Else && !InLaterBranch.empty()) {
            if (!InLaterBranch.back())
              ++Later;
            InLaterBranch.back() = true;
            EndBranch();
            BranchBraces.back() = 0;
          } else if (K == "endif" && !InLaterBranch.empty()) {
            if (InLaterBranch.back())
              --Later;
            InLaterBranch.pop_back();
            EndBranch();
            BranchBraces.pop_back();
          } else {
            Jumpable = false; // #define, #include, #pragma, an unmatched
                              // #endif: preprocessing it leaves a trace
          }
        } else {
          Jumpable = false;
        }
        Prev = tok::hash;
        StoreMember = false;
        continue;
      }
      if (T.isOneOf(tok::l_brace, tok::r_brace) && !BranchBraces.empty())
        BranchBraces.back() += T.is(tok::l_brace) ? 1 : -1;
      if (T.is(tok::l_brace) && !Later)
        ++Depth;
      else if (T.is(tok::r_brace) && !Later)
        --Depth;
      else if (StoreMember && Rule.FollowFields &&
               T.isOneOf(tok::equal, tok::pipeequal, tok::plusequal,
                         tok::minusequal, tok::ampequal, tok::caretequal))
        Relevant = true; // a setter: `x->field = value`
      else if (T.is(tok::raw_identifier)) {
        llvm::StringRef Id = T.getRawIdentifier();
        bool Member = Prev == tok::arrow || Prev == tok::period;
        if (Jumpable && !Relevant && !jumpableName(Id))
          Jumpable = false;
        if (Member && Rule.FollowFields) {
          if (Fields.contains(Id))
            Relevant = true;
          Members.push_back(Id);
        }
        if (!Relevant && !Member && relevant(Id))
          Relevant = true;
      }
      StoreMember = T.is(tok::raw_identifier) &&
                    (Prev == tok::arrow || Prev == tok::period);
      Prev = T.getKind();
    }
    if (!Relevant) {
      if (Jumpable && InLaterBranch.empty() && T.is(tok::r_brace)) {
        unsigned RBrace = SM.getFileOffset(T.getLocation());
        size_t LineStart = Buf.rfind('\n', RBrace);
        LineStart = LineStart == llvm::StringRef::npos ? 0 : LineStart + 1;
        Extent = {File, LBrace, RBrace,
                  Buf.slice(LineStart, RBrace).find_first_not_of(" \t\f\v") ==
                      llvm::StringRef::npos};
      }
      return true;
    }
    Kept.insert(FD->getName());
    for (llvm::StringRef M : Members)
      Fields.insert(M);
    return false;
  }

  /// Id, preprocessed in a skipped body, leaves no trace: nothing the
  /// preprocessor acts on, no object-like macro of the main file, no macro
  /// whose expansion reaches one.
  bool jumpableName(llvm::StringRef Id) {
    if (Id == "_Pragma" || Id == "__has_include" || Id == "__has_include_next")
      return false;
    const MacroInfo *MI = macroOf(Id);
    if (!MI)
      return true;
    if (mainFileObjectMacro(SM, MI))
      return false;
    return Watch->MainObjects.empty() || !reachesMainMacro(MI, 0);
  }

  /// MI's expansion, through other macros, names an object-like macro of
  /// the main file.
  bool reachesMainMacro(const MacroInfo *MI, int Depth) {
    auto M = Reach.find(MI);
    if (M != Reach.end() && M->second.second == Watch->Generation)
      return M->second.first;
    Reach[MI] = {false, Watch->Generation}; // a recursive mention is none
    bool R = anyName(MI, [&](llvm::StringRef N) {
      Watch->Followed.insert(N);
      if (Watch->MainObjects.contains(N))
        return true;
      const MacroInfo *Sub = Depth < 16 ? macroOf(N) : nullptr;
      return Sub && reachesMainMacro(Sub, Depth + 1);
    });
    Reach[MI] = {R, Watch->Generation};
    return R;
  }

  /// Hit holds for a name MI's replacement list writes.
  template <typename Fn> static bool anyName(const MacroInfo *MI, Fn Hit) {
    for (const Token &T : MI->tokens())
      if (const IdentifierInfo *TI = T.getIdentifierInfo())
        if (Hit(TI->getName()))
          return true;
    return false;
  }

  const MacroInfo *macroOf(llvm::StringRef Id) {
    auto It = PP.getIdentifierTable().find(Id);
    if (It == PP.getIdentifierTable().end())
      return nullptr;
    IdentifierInfo *II = It->getValue();
    return II && II->hasMacroDefinition() ? PP.getMacroInfo(II) : nullptr;
  }

  bool relevant(llvm::StringRef Id) {
    return Rule.Names.contains(Id) || MainNames.contains(Id) ||
           Kept.contains(Id) || macroRelevant(Id, 0);
  }

  /// A macro defined now whose expansion (through other macros) mentions a
  /// relevant name. Remembered until a new body is kept.
  bool macroRelevant(llvm::StringRef Id, int Depth) {
    const MacroInfo *MI = macroOf(Id);
    if (!MI)
      return false;
    auto M = Memo.find(MI);
    if (M != Memo.end() && (M->second.first || M->second.second == Kept.size()))
      return M->second.first;
    Memo[MI] = {false, Kept.size()}; // a recursive mention is no mention
    bool R = anyName(MI, [&](llvm::StringRef N) {
      return Rule.Names.contains(N) || MainNames.contains(N) ||
             Kept.contains(N) || (Depth < 16 && macroRelevant(N, Depth + 1));
    });
    Memo[MI] = {R, Kept.size()};
    return R;
  }

  /// The main file's own macros and functions that mention a name of the
  /// rule, to a fixpoint; with FollowFields, the members it accesses.
  void scanMainFile() {
    MainScanned = true;
    bool Invalid = false;
    llvm::StringRef Buf = SM.getBufferData(SM.getMainFileID(), &Invalid);
    if (Invalid)
      return;
    std::string Code = stripComments(Buf);
    std::vector<Definition> Defs = definitions(Code);
    functionDefinitions(Code, Defs);
    auto Mentions = [&](llvm::StringRef T) {
      return forEachIdentifier(T, [&](llvm::StringRef Id) {
        return Rule.Names.contains(Id) || MainNames.contains(Id);
      });
    };
    for (bool Changed = true; Changed;) {
      Changed = false;
      for (const Definition &D : Defs)
        if (!MainNames.contains(D.Name) && Mentions(D.Body)) {
          MainNames.insert(D.Name);
          Changed = true;
        }
    }
    if (!Rule.FollowFields)
      return;
    llvm::StringRef C(Code);
    for (size_t I = 0, N = C.size(); I < N; ++I) {
      size_t After;
      if (C[I] == '-' && I + 1 < N && C[I + 1] == '>')
        After = I + 2;
      else if (C[I] == '.' && !(I + 1 < N && C[I + 1] == '.'))
        After = I + 1;
      else
        continue;
      while (After < N && (C[After] == ' ' || C[After] == '\t' ||
                           C[After] == '\n' || C[After] == '\\'))
        ++After;
      size_t E = After;
      while (E < N && isIdentChar(C[E]))
        ++E;
      if (E > After && isIdentStart(C[After]))
        Fields.insert(C.slice(After, E));
    }
  }

  const BodySkipping &Rule;
  Preprocessor &PP;
  SourceManager &SM;
  bool MainScanned = false;
  llvm::StringSet<> MainNames, Kept, Fields;
  llvm::DenseMap<const MacroInfo *, std::pair<bool, size_t>> Memo;
  std::shared_ptr<MacroWatch> Watch = std::make_shared<MacroWatch>();
  llvm::DenseMap<const MacroInfo *, std::pair<bool, unsigned>> Reach;
  BodyExtent Extent;
  Counts C;
};

} // namespace

std::unique_ptr<FunctionBodyFilter>
makeFunctionBodyFilter(const BodySkipping &Rule, Preprocessor &PP) {
  return std::make_unique<Filter>(Rule, PP);
}

} // namespace vmalloc_lint
