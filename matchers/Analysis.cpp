// The analysis of one translation unit: pass 1 (matchers/gfp/), then pass 2
// (matchers/provenance/) when a pass-2 check with a sink rule is selected or
// facts are exported, then the code shapes of the selected refactoring
// checks (matchers/refactor/); and the FrontendAction the CLI runs it in.
#include "matchers/Analysis.h"

#include "matchers/checks/CheckRegistry.h"
#include "matchers/checks/RefactorCheck.h"
#include "matchers/gfp/GfpAnalysis.h"
#include "matchers/provenance/ProvenanceEngine.h"
#include "matchers/refactor/ApiCalls.h"
#include "matchers/refactor/OpenCodedFree.h"
#include "matchers/refactor/OpenCodedKvmalloc.h"
#include "matchers/text/BodySkipping.h"
#include "matchers/text/FileText.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/Basic/DiagnosticLex.h"
#include "clang/Basic/FileManager.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Lex/HeaderSearch.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <algorithm>

using namespace clang;

namespace vmalloc_lint {

AnalysisResult analyzeTranslationUnit(ASTContext &Ctx, Preprocessor &PP,
                                      const MacroExpansionLog &Log,
                                      const AnalysisOptions &Options) {
  AnalysisResult Out = analyzeGfpArguments(Ctx, PP, Log, Options);
  bool PassTwo = Options.ExportFacts;
  std::vector<const CheckRow *> Refactors;
  for (const CheckRow &Row : checkRegistry()) {
    if (!Options.Checks.enabled(Row.Name))
      continue;
    PassTwo |= Row.Sinks != nullptr;
    if (Row.Refactor && Row.Kernels.contains(Options.Version) &&
        Options.archApplies(Row.Arches))
      Refactors.push_back(&Row);
  }
  if (PassTwo)
    mergeResults(Out, analyzeProvenance(Ctx, Log, Options));
  // --facts-out: the unit's open-coded kvmalloc helpers are facts, whatever
  // the checks.
  if (!Refactors.empty() || Options.ExportFacts) {
    AnalysisResult Shapes;
    auto Judge = [&](const auto &S) {
      for (const CheckRow *Row : Refactors)
        if (std::optional<Finding> F = Row->Refactor->judge(S)) {
          F->Check = Row->Name;
          Shapes.Findings.push_back(std::move(*F));
        }
    };
    for (const FreeChoiceSite &S :
         findFreeChoices(Ctx, Options.Imported.get(),
                         Options.ExportFacts ? &Out.Facts : nullptr))
      Judge(S);
    for (const FallbackAllocSite &S :
         findFallbackAllocs(Ctx, PP, Options.Version, Options.Imported.get(),
                            Options.ExportFacts ? &Out.Facts : nullptr))
      Judge(S);
    // The API migration's calls, only with a target version.
    if (Options.MigrateTo)
      for (ApiCallSite &S : findApiCalls(Ctx)) {
        S.From = Options.Version;
        S.Target = *Options.MigrateTo;
        Judge(S);
      }
    mergeResults(Out, std::move(Shapes));
  }
  if (PassTwo || !Refactors.empty() || Options.ExportFacts)
    sortResults(Out);
  return Out;
}

namespace {

/// Every place a header the parse did not find could have been: the
/// including file's directory and each search directory (more places than
/// clang looks in for an angled name: a superset is safe).
class AbsentHeaders : public PPCallbacks {
public:
  AbsentHeaders(Preprocessor &PP, std::vector<std::string> &Out)
      : PP(PP), Out(Out) {}
  void InclusionDirective(SourceLocation HashLoc, const Token &,
                          StringRef FileName, bool, CharSourceRange,
                          OptionalFileEntryRef File, StringRef, StringRef,
                          const Module *, bool,
                          SrcMgr::CharacteristicKind) override {
    if (!File)
      note(HashLoc, FileName);
  }
  void HasInclude(SourceLocation Loc, StringRef FileName, bool,
                  OptionalFileEntryRef File,
                  SrcMgr::CharacteristicKind) override {
    if (!File)
      note(Loc, FileName);
  }

private:
  void note(SourceLocation Loc, StringRef Name) {
    if (llvm::sys::path::is_absolute(Name)) {
      Out.push_back(Name.str());
      return;
    }
    const SourceManager &SM = PP.getSourceManager();
    if (OptionalFileEntryRef F =
            SM.getFileEntryRefForID(SM.getFileID(SM.getExpansionLoc(Loc))))
      Out.push_back(absolute((F->getDir().getName() + "/" + Name).str()));
    for (const DirectoryLookup &D : PP.getHeaderSearchInfo().search_dir_range())
      if (OptionalDirectoryEntryRef Dir = D.getDirRef())
        Out.push_back(absolute((Dir->getName() + "/" + Name).str()));
  }
  Preprocessor &PP;
  std::vector<std::string> &Out;
};

/// Forwards every diagnostic to the consumer it replaces and records where
/// the errors are (MacroExpansionLog::Errors).
class ErrorRecorder : public DiagnosticConsumer {
public:
  ErrorRecorder(DiagnosticConsumer *Next,
                std::unique_ptr<DiagnosticConsumer> Owned,
                std::shared_ptr<std::vector<SourceLocation>> Out)
      : Next(Next), Owned(std::move(Owned)), Out(std::move(Out)) {}
  void BeginSourceFile(const LangOptions &LO, const Preprocessor *PP) override {
    Next->BeginSourceFile(LO, PP);
  }
  void EndSourceFile() override { Next->EndSourceFile(); }
  void finish() override { Next->finish(); }
  bool IncludeInDiagnosticCounts() const override {
    return Next->IncludeInDiagnosticCounts();
  }
  void HandleDiagnostic(DiagnosticsEngine::Level L,
                        const Diagnostic &Info) override {
    if (L >= DiagnosticsEngine::Error && Info.getLocation().isValid())
      Out->push_back(Info.getLocation());
    DiagnosticConsumer::HandleDiagnostic(L, Info);
    Next->HandleDiagnostic(L, Info);
  }

private:
  DiagnosticConsumer *Next;
  std::unique_ptr<DiagnosticConsumer> Owned;
  std::shared_ptr<std::vector<SourceLocation>> Out;
};

class AnalysisConsumer : public ASTConsumer {
public:
  AnalysisConsumer(Preprocessor &PP, std::unique_ptr<MacroExpansionLog> Log,
                   const AnalysisOptions &Opts, AnalysisResult &Out)
      : PP(PP), Log(std::move(Log)), Opts(Opts), Out(Out) {
    PP.addPPCallbacks(std::make_unique<AbsentHeaders>(PP, Absent));
    if (Opts.SkipBodies)
      Bodies = makeFunctionBodyFilter(*Opts.SkipBodies, PP);
  }
  bool shouldSkipFunctionBody(Decl *D) override {
    if (!Bodies || !Bodies->shouldSkip(D))
      return false;
    Bodies->jumpOver();
    return true;
  }
  void HandleTranslationUnit(ASTContext &Ctx) override {
    Out = analyzeTranslationUnit(Ctx, PP, *Log, Opts);
    if (Bodies) {
      FunctionBodyFilter::Counts C = Bodies->counts();
      Out.BodiesParsed = C.Parsed;
      Out.BodiesSkipped = C.Skipped;
      Out.BodiesJumped = C.Jumped;
    }
    const SourceManager &SM = Ctx.getSourceManager();
    bool AllHashed = true;
    for (auto It = SM.fileinfo_begin(); It != SM.fileinfo_end(); ++It) {
      Out.FilesRead.push_back(absolute(It->first.getName().str()));
      if (std::optional<StringRef> B = It->second->getBufferDataIfLoaded())
        Out.FilesReadHashes.push_back(contentHash(*B));
      else
        AllHashed = false;
    }
    if (!AllHashed)
      Out.FilesReadHashes.clear();
    std::sort(Absent.begin(), Absent.end());
    Absent.erase(std::unique(Absent.begin(), Absent.end()), Absent.end());
    // A place that holds a file now is no absent header: the lookup passed
    // it by (`__has_include_next(<stdarg.h>)` in clang's own stdarg.h names
    // stdarg.h in every search directory, its own among them), so its
    // existence later changes nothing. Kept, it made every later lookup of
    // the unit's cache entry stale (every unit of 4.11 that includes
    // <stdarg.h>).
    llvm::vfs::FileSystem &FS = PP.getFileManager().getVirtualFileSystem();
    llvm::erase_if(Absent, [&](const std::string &F) { return FS.exists(F); });
    Out.FilesAbsent = std::move(Absent);
  }

private:
  Preprocessor &PP;
  std::unique_ptr<MacroExpansionLog> Log;
  const AnalysisOptions &Opts;
  AnalysisResult &Out;
  std::unique_ptr<FunctionBodyFilter> Bodies;
  std::vector<std::string> Absent;
};

class AnalysisAction : public ASTFrontendAction {
public:
  AnalysisAction(const AnalysisOptions &Opts, AnalysisResult &Out)
      : Opts(Opts), Out(Out) {}

  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 StringRef) override {
    DiagnosticsEngine &D = CI.getDiagnostics();
    // A header this configuration does not have must not end the file: keep
    // parsing and analyse what was parsed.
    D.setSeverity(diag::err_pp_file_not_found, diag::Severity::Error,
                  SourceLocation());
    D.setErrorLimit(0);
    auto Log = std::make_unique<MacroExpansionLog>();
    if (DiagnosticConsumer *Client = D.getClient()) {
      std::unique_ptr<DiagnosticConsumer> Owned =
          D.ownsClient() ? D.takeClient() : nullptr;
      D.setClient(new ErrorRecorder(Client, std::move(Owned), Log->Errors),
                  /*ShouldOwnClient=*/true);
    }
    Preprocessor &PP = CI.getPreprocessor();
    PP.addPPCallbacks(recordMacroExpansions(PP, *Log));
    // Bodies the checks cannot need are skipped (the consumer decides).
    CI.getFrontendOpts().SkipFunctionBodies = Opts.SkipBodies != nullptr;
    return std::make_unique<AnalysisConsumer>(PP, std::move(Log), Opts, Out);
  }

private:
  const AnalysisOptions &Opts;
  AnalysisResult &Out;
};

} // namespace

std::unique_ptr<FrontendAction>
makeAnalysisAction(const AnalysisOptions &Options, AnalysisResult &Out) {
  return std::make_unique<AnalysisAction>(Options, Out);
}

} // namespace vmalloc_lint
