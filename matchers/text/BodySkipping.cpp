#include "matchers/text/BodySkipping.h"

#include "clang/AST/Decl.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/MacroInfo.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/DenseMap.h"

using namespace clang;

namespace vmalloc_lint {

namespace {

class Filter : public FunctionBodyFilter {
public:
  Filter(const BodySkipping &Rule, Preprocessor &PP)
      : Rule(Rule), PP(PP), SM(PP.getSourceManager()) {}

  bool shouldSkip(const Decl *D) override {
    bool Skip = decide(D);
    ++(Skip ? Skipped : Parsed);
    return Skip;
  }
  std::pair<unsigned, unsigned> counts() const override {
    return {Parsed, Skipped};
  }

private:
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
      else if (Paren == 0 && T.is(tok::l_brace))
        break;
      else if (Paren == 0 && !T.is(tok::raw_identifier))
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
          if (K == "if" || K == "ifdef" || K == "ifndef") {
            InLaterBranch.push_back(false);
          } else if ((K == "else" || K == "elif" || K == "elifdef" ||
                      K == "elifndef") &&
                     !InLaterBranch.empty()) {
            if (!InLaterBranch.back())
              ++Later;
            InLaterBranch.back() = true;
          } else if (K == "endif" && !InLaterBranch.empty()) {
            if (InLaterBranch.back())
              --Later;
            InLaterBranch.pop_back();
          }
        }
        Prev = tok::hash;
        StoreMember = false;
        continue;
      }
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
    if (!Relevant)
      return true;
    Kept.insert(FD->getName());
    for (llvm::StringRef M : Members)
      Fields.insert(M);
    return false;
  }

  bool relevant(llvm::StringRef Id) {
    return Rule.Names.contains(Id) || MainNames.contains(Id) ||
           Kept.contains(Id) || macroRelevant(Id, 0);
  }

  /// A macro defined now whose expansion (through other macros) mentions a
  /// relevant name. Remembered until a new body is kept.
  bool macroRelevant(llvm::StringRef Id, int Depth) {
    auto It = PP.getIdentifierTable().find(Id);
    if (It == PP.getIdentifierTable().end())
      return false;
    IdentifierInfo *II = It->getValue();
    if (!II || !II->hasMacroDefinition())
      return false;
    const MacroInfo *MI = PP.getMacroInfo(II);
    if (!MI)
      return false;
    auto M = Memo.find(MI);
    if (M != Memo.end() && (M->second.first || M->second.second == Kept.size()))
      return M->second.first;
    Memo[MI] = {false, Kept.size()}; // a recursive mention is no mention
    bool R = false;
    for (const Token &T : MI->tokens()) {
      const IdentifierInfo *TI = T.getIdentifierInfo();
      if (!TI)
        continue;
      llvm::StringRef N = TI->getName();
      if (Rule.Names.contains(N) || MainNames.contains(N) || Kept.contains(N) ||
          (Depth < 16 && macroRelevant(N, Depth + 1))) {
        R = true;
        break;
      }
    }
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
  unsigned Parsed = 0, Skipped = 0;
};

} // namespace

std::unique_ptr<FunctionBodyFilter>
makeFunctionBodyFilter(const BodySkipping &Rule, Preprocessor &PP) {
  return std::make_unique<Filter>(Rule, PP);
}

} // namespace vmalloc_lint
