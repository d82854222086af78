#include "tool/tidy/VmallocLintCheck.h"

#include "matchers/Analysis.h"
#include "matchers/kernel/KernelTree.h"
#include "matchers/provenance/CrossFileFacts.h"
#include "matchers/text/FileText.h"
#include "matchers/text/NoLint.h"
#include "rewriters/FixBuilder.h"
#include "rewriters/HeaderMacroFixes.h"
#include "tool/KconfigArch.h"

#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

#include <map>
#include <mutex>
#include <utility>
#include <vector>

using namespace clang;
using namespace clang::ast_matchers;

namespace vmalloc_lint::tidy {

/// What the enabled vmalloc-lint checks share for one translation unit: the
/// macro expansion log the core needs, and the analysis result per kernel
/// version (one run unless checks are configured with different versions).
class TranslationUnitRun {
public:
  MacroExpansionLog Log;

  void join(const std::string &Check, KernelVersion V,
            std::optional<KernelVersion> To,
            std::shared_ptr<const CrossFileFacts> Facts) {
    ChecksByVersion[{V.Major, V.Minor}].push_back(Check);
    if (To)
      MigrateTo = To;
    if (Facts)
      Imported = std::move(Facts);
  }

  /// The analysis for V, run the first time a check asks for it with every
  /// check that joined for V enabled.
  const AnalysisResult &result(ASTContext &Ctx, Preprocessor &PP,
                               KernelVersion V) {
    std::pair<int, int> Key{V.Major, V.Minor};
    auto It = Results.find(Key);
    if (It != Results.end())
      return It->second;
    std::string Glob = "-*";
    for (const std::string &C : ChecksByVersion[Key])
      Glob += "," + C;
    AnalysisOptions Opts;
    Opts.Version = V;
    Opts.Checks = CheckGlob(Glob);
    Opts.MigrateTo = MigrateTo;
    Opts.Imported = Imported;
    // As the CLI: the arch facts of the file's tree, the file's arch.
    const SourceManager &SM = Ctx.getSourceManager();
    HeaderMacroScope Scope;
    if (OptionalFileEntryRef Main = SM.getFileEntryRefForID(SM.getMainFileID()))
      if (auto Tree = findKernelTree(Main->getName().str())) {
        Opts.ArchFacts = Tree->ArchFacts;
        Opts.Arch = unitArch(*Tree, absolute(Main->getName().str()));
        Scope.Root = Tree->Root;
        Scope.Analysed.insert(absolute(Main->getName().str()));
      }
    AnalysisResult R = analyzeTranslationUnit(Ctx, PP, Log, Opts);
    buildFixes(R);
    // As the CLI: a header macro's body is fixed only when the tree has no
    // other expansion of it than this unit's fixed gfp arguments.
    decideHeaderMacroFixes(R.Findings, Scope);
    return Results.emplace(Key, std::move(R)).first->second;
  }

  /// The run of the translation unit PP preprocesses: the one the first
  /// enabled check created, or a new one. The preprocessor keeps the run
  /// alive through the callbacks it owns, so a later translation unit whose
  /// preprocessor reuses the address cannot find a stale run.
  static std::shared_ptr<TranslationUnitRun> forPreprocessor(Preprocessor &PP) {
    static std::mutex Lock;
    static std::map<const Preprocessor *, std::weak_ptr<TranslationUnitRun>>
        Runs;
    std::lock_guard<std::mutex> G(Lock);
    if (auto Existing = Runs[&PP].lock())
      return Existing;
    for (auto It = Runs.begin(); It != Runs.end();)
      It = It->second.expired() ? Runs.erase(It) : std::next(It);
    auto Run = std::make_shared<TranslationUnitRun>();
    Runs[&PP] = Run;
    auto Recorder = recordMacroExpansions(PP, Run->Log);
    // First owns the run, so it is destroyed after the recorder that writes
    // into the run's log.
    PP.addPPCallbacks(std::make_unique<PPChainedCallbacks>(
        std::make_unique<KeepAlive>(Run), std::move(Recorder)));
    return Run;
  }

private:
  struct KeepAlive : PPCallbacks {
    explicit KeepAlive(std::shared_ptr<TranslationUnitRun> Run)
        : Run(std::move(Run)) {}
    std::shared_ptr<TranslationUnitRun> Run;
  };

  std::map<std::pair<int, int>, std::vector<std::string>> ChecksByVersion;
  std::map<std::pair<int, int>, AnalysisResult> Results;
  /// CheckOptions MigrateTo (vmalloc-api-migration's target).
  std::optional<KernelVersion> MigrateTo;
  /// CheckOptions FactsFile: the other units' facts.
  std::shared_ptr<const CrossFileFacts> Imported;
};

namespace {

/// The location of a byte offset in a file the translation unit read.
SourceLocation locationOf(const SourceManager &SM, const std::string &File,
                          unsigned Offset) {
  auto Entry = SM.getFileManager().getOptionalFileRef(File);
  if (!Entry)
    return {};
  FileID ID = SM.translateFile(*Entry);
  if (ID.isInvalid())
    return {};
  std::optional<llvm::StringRef> Text = SM.getBufferDataOrNone(ID);
  if (!Text || Offset > Text->size())
    return {};
  return SM.getComposedLoc(ID, Offset);
}

SourceLocation locationOf(const SourceManager &SM, const SourcePoint &P) {
  return locationOf(SM, P.File, P.Offset);
}

/// The facts of a FactsFile, read once per path in the process (every
/// check and translation unit shares them), or why it cannot be read (the
/// CLI's --facts-in reasons).
std::shared_ptr<const CrossFileFacts> loadFactsFile(const std::string &Path,
                                                    std::string &Error) {
  static std::mutex Lock;
  static std::map<std::string,
                  std::pair<std::shared_ptr<const CrossFileFacts>, std::string>>
      Loaded;
  std::lock_guard<std::mutex> G(Lock);
  auto It = Loaded.find(Path);
  if (It == Loaded.end()) {
    std::shared_ptr<CrossFileFacts> F;
    std::string Why;
    llvm::SmallString<256> Cwd;
    llvm::sys::fs::current_path(Cwd);
    auto B = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
    if (!B) {
      Why = "cannot read it: " + B.getError().message();
    } else {
      F = std::make_shared<CrossFileFacts>();
      Why = readFactsJsonl((*B)->getBuffer(), std::string(Cwd), *F);
      if (Why.empty())
        F->numberOrigins();
      else
        F.reset();
    }
    It = Loaded.emplace(Path, std::make_pair(F, Why)).first;
  }
  Error = It->second.second;
  return It->second.first;
}

} // namespace

VmallocLintCheck::VmallocLintCheck(llvm::StringRef Name,
                                   clang::tidy::ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      KernelVersionOption(Options.getLocalOrGlobal("KernelVersion", "").str()),
      MinConfidenceOption(Options.getLocalOrGlobal("MinConfidence", "").str()),
      MigrateToOption(Options.getLocalOrGlobal("MigrateTo", "").str()),
      FactsFileOption(Options.getLocalOrGlobal("FactsFile", "").str()) {
  if (!FactsFileOption.empty()) {
    std::string Error;
    Facts = loadFactsFile(FactsFileOption, Error);
    if (!Facts)
      configurationDiag("invalid FactsFile '%0' for check '%1': %2; no "
                        "facts of other files")
          << FactsFileOption << Name << Error;
  }
  if (!MigrateToOption.empty()) {
    MigrateTo = KernelVersion::parse(MigrateToOption);
    if (!MigrateTo)
      configurationDiag("invalid MigrateTo '%0' for check '%1': want "
                        "VERSION.PATCHLEVEL such as 5.8")
          << MigrateToOption << Name;
  }
  if (!MinConfidenceOption.empty()) {
    if (std::optional<Confidence> C = parseConfidence(MinConfidenceOption))
      MinConfidence = *C;
    else
      configurationDiag("invalid MinConfidence '%0' for check '%1': want "
                        "definite, likely or possible; using likely")
          << MinConfidenceOption << Name;
  }
  if (KernelVersionOption.empty())
    return;
  ConfiguredVersion = KernelVersion::parse(KernelVersionOption);
  if (!ConfiguredVersion)
    configurationDiag("invalid KernelVersion '%0' for check '%1': want "
                      "VERSION.PATCHLEVEL such as 6.1; using the kernel "
                      "tree's version")
        << KernelVersionOption << Name;
}

void VmallocLintCheck::storeOptions(
    clang::tidy::ClangTidyOptions::OptionMap &Opts) {
  // Only a value that was set: a stored empty local value (--dump-config
  // copied into a .clang-tidy) would hide a global KernelVersion.
  if (!KernelVersionOption.empty())
    Options.store(Opts, "KernelVersion", KernelVersionOption);
  if (!MigrateToOption.empty())
    Options.store(Opts, "MigrateTo", MigrateToOption);
  if (!MinConfidenceOption.empty())
    Options.store(Opts, "MinConfidence", MinConfidenceOption);
  if (!FactsFileOption.empty())
    Options.store(Opts, "FactsFile", FactsFileOption);
}

void VmallocLintCheck::registerPPCallbacks(const SourceManager &SM,
                                           Preprocessor *ThePP,
                                           Preprocessor *) {
  PP = ThePP;
  if (ConfiguredVersion) {
    Version = *ConfiguredVersion;
  } else {
    // As the CLI: the rules of the kernel tree that holds the file.
    Version = KernelVersion::newest();
    if (OptionalFileEntryRef Main = SM.getFileEntryRefForID(SM.getMainFileID()))
      if (auto Tree = findKernelTree(Main->getName().str()))
        Version = Tree->Version;
  }
  Run = TranslationUnitRun::forPreprocessor(*PP);
  Run->join(std::string(getID()), Version, MigrateTo, Facts);
}

void VmallocLintCheck::registerMatchers(MatchFinder *Finder) {
  // The analysis walks the whole translation unit itself.
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

void VmallocLintCheck::check(const MatchFinder::MatchResult &Result) {
  if (!Run || !PP)
    return;
  const SourceManager &SM = *Result.SourceManager;
  const AnalysisResult &R = Run->result(*Result.Context, *PP, Version);
  // clang-tidy honours a NOLINT at the diagnostic's place (F.Where, a file
  // location); the shared filter also looks at the expansion sites, as
  // clang-tidy does for a diagnostic in a macro and as the CLI does.
  std::map<std::string, std::string> Texts;
  NoLintFilter NoLint([&](const std::string &File) -> const std::string * {
    auto It = Texts.find(File);
    if (It == Texts.end()) {
      SourceLocation L = locationOf(SM, File, 0);
      if (L.isInvalid())
        return nullptr;
      It = Texts.emplace(File, SM.getBufferData(SM.getFileID(L)).str()).first;
    }
    return &It->second;
  });
  for (const Finding &F : R.Findings) {
    if (F.Check != getID() || !meetsConfidence(F.Sure, MinConfidence) ||
        NoLint.suppresses(F))
      continue;
    SourceLocation Loc = locationOf(SM, F.Where);
    if (Loc.isInvalid())
      continue;
    {
      std::string Message = F.Message;
      if (F.Sure != Confidence::None)
        Message += std::string(" (confidence: ") + confidenceName(F.Sure) +
                   ", " + F.SureWhy + ")";
      DiagnosticBuilder D = diag(Loc, "%0") << Message;
      if (F.Fix)
        for (const TextEdit &E : F.Fix->Edits) {
          SourceLocation Begin = locationOf(SM, E.File, E.Offset);
          if (Begin.isValid())
            D << FixItHint::CreateReplacement(
                CharSourceRange::getCharRange(Begin,
                                              Begin.getLocWithOffset(E.Length)),
                E.Text);
        }
    }
    for (const SourcePoint &E : F.Expansions)
      if (SourceLocation L = locationOf(SM, E); L.isValid())
        diag(L, "expanded from here", DiagnosticIDs::Note);
    for (const Note &N : F.Notes)
      if (SourceLocation L = locationOf(SM, N.Where); L.isValid())
        diag(L, "%0", DiagnosticIDs::Note) << N.Message;
  }
}

} // namespace vmalloc_lint::tidy
