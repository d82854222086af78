#include "matchers/refactor/DefinitionRemoval.h"

#include "clang/AST/Decl.h"
#include "clang/AST/Stmt.h"
#include "clang/Basic/CharInfo.h"
#include "clang/Basic/SourceManager.h"

#include "llvm/Support/Path.h"

using namespace clang;

namespace vmalloc_lint {

DefinitionRemoval definitionRemoval(const FunctionDecl *Def,
                                    const SourceManager &SM, bool Strict,
                                    unsigned Uses) {
  DefinitionRemoval R;
  const Stmt *Body = Def->getBody();
  SourceLocation B = Def->getBeginLoc(),
                 E = Body ? Body->getEndLoc() : Def->getEndLoc();
  if (!B.isFileID() || !E.isFileID()) {
    R.Why = "a macro writes its definition";
    return R;
  }
  if (Strict && !SM.isInMainFile(B)) {
    R.Why = "it is defined in " +
            llvm::sys::path::filename(SM.getFilename(B)).str() +
            ", not in this file";
    return R;
  }
  auto [FID, BOff] = SM.getDecomposedLoc(B);
  auto [EFID, EPos] = SM.getDecomposedLoc(E);
  unsigned EOff = EPos + 1; // past the `}`
  bool Invalid = false;
  StringRef Buf = SM.getBufferData(FID, &Invalid);
  if (Invalid || EFID != FID || EOff > Buf.size() || EOff <= BOff) {
    R.Why = "its definition is not one piece of one file";
    return R;
  }
  if (Strict) {
    if (BOff > 0 && Buf[BOff - 1] != '\n') {
      R.Why = "its definition does not start a line";
      return R;
    }
    StringRef Code = Buf.substr(BOff, EOff - BOff);
    if (Code.contains("/*") || Code.contains("//")) {
      R.Why = "its definition holds a comment, which removing it would lose";
      return R;
    }
    if (Code.contains('#')) {
      R.Why = "its definition holds a preprocessor line";
      return R;
    }
  }
  for (int Newlines = 0; Newlines < 2 && EOff < Buf.size() && Buf[EOff] == '\n';
       ++Newlines)
    ++EOff;
  // The comment block on the lines right above it is its own (kernel/
  // relay.c: "free an array of pointers of struct page"): it goes too.
  StringRef Above = Buf.substr(0, BOff);
  if (Above.ends_with("*/\n")) {
    size_t Open = Above.rfind("/*");
    size_t Line = Open == StringRef::npos ? 0 : Above.rfind('\n', Open);
    Line = Line == StringRef::npos ? 0 : Line + 1;
    if (Open != StringRef::npos &&
        Above.substr(Line, Open - Line).trim(" \t").empty())
      BOff = Line;
  }
  if (Strict) {
    // What is removed aside, the file names it only in the calls.
    unsigned Names = 0;
    StringRef Name = Def->getName();
    auto Ident = [](char C) { return isAsciiIdentifierContinue(C); };
    for (size_t P = Buf.find(Name); P != StringRef::npos;
         P = Buf.find(Name, P + 1))
      if ((P < BOff || P >= EOff) && (P == 0 || !Ident(Buf[P - 1])) &&
          (P + Name.size() >= Buf.size() || !Ident(Buf[P + Name.size()])))
        ++Names;
    if (Names < Uses) {
      R.Why = "a macro writes some of its calls";
      return R;
    }
    if (Names != Uses) {
      unsigned More = Names - Uses;
      R.Why = "the file names " + Name.str() + " " +
              (More == 1 ? "once" : std::to_string(More) + " times") +
              " more than the calls this configuration compiles (code "
              "under #ifdef, a prototype or a comment), which would be left "
              "naming a removed function";
      return R;
    }
  }
  R.Offset = BOff;
  R.Text = Buf.substr(BOff, EOff - BOff).str();
  return R;
}

} // namespace vmalloc_lint
