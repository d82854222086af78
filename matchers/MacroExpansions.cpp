#include "matchers/MacroExpansions.h"

#include "matchers/kernel/MemoryApi.h"

#include "clang/Basic/SourceManager.h"
#include "clang/Lex/MacroArgs.h"
#include "clang/Lex/MacroInfo.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"

using namespace clang;

namespace vmalloc_lint {

namespace {

class ExpansionRecorder : public PPCallbacks {
public:
  ExpansionRecorder(SourceManager &SM, MacroExpansionLog &Log)
      : SM(SM), Log(Log) {}
  void MacroExpands(const Token &NameTok, const MacroDefinition &MD,
                    SourceRange, const MacroArgs *Args) override {
    const MacroInfo *MI = MD.getMacroInfo();
    if (!MI)
      return;
    if (MI->isFunctionLike()) {
      if (Args && NameTok.getIdentifierInfo())
        recordCallMacro(NameTok, *Args);
      return;
    }
    SourceLocation Def = MI->getDefinitionLoc();
    if (Def.isInvalid() || !SM.isInMainFile(SM.getExpansionLoc(Def)))
      return;
    Log.Expansions[MI].push_back(NameTok.getLocation());
  }

private:
  void recordCallMacro(const Token &NameTok, const MacroArgs &Args) {
    std::string Name = NameTok.getIdentifierInfo()->getName().str();
    if (!lookupMemorySink(Name))
      return;
    MacroExpansionLog::CallMacro M;
    M.Name = std::move(Name);
    M.NameLoc = NameTok.getLocation();
    for (unsigned I = 0, N = Args.getNumMacroArguments(); I < N; ++I) {
      const Token *First = Args.getUnexpArgument(I);
      unsigned Len = MacroArgs::getArgLength(First);
      if (Len == 0)
        M.Args.push_back({});
      else
        M.Args.push_back({First->getLocation(), First[Len - 1].getLocation()});
    }
    Log.CallMacros.push_back(std::move(M));
  }

  SourceManager &SM;
  MacroExpansionLog &Log;
};

} // namespace

std::unique_ptr<PPCallbacks> recordMacroExpansions(Preprocessor &PP,
                                                   MacroExpansionLog &Log) {
  return std::make_unique<ExpansionRecorder>(PP.getSourceManager(), Log);
}

} // namespace vmalloc_lint
