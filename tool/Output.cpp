#include "tool/Output.h"

#include "tool/CiOutput.h"
#include "tool/FileIO.h"
#include "tool/FindingsJson.h"
#include "tool/PatchGate.h"

#include "llvm/Support/JSON.h"

#include <map>

namespace vmalloc_lint {

std::string displayPath(const std::string &File, const std::string &Root) {
  if (!Root.empty() && File.size() > Root.size() &&
      File.compare(0, Root.size(), Root) == 0 && File[Root.size()] == '/')
    return File.substr(Root.size() + 1);
  return File;
}

llvm::StringRef analysedText(const std::string &File, const OutputContext &C) {
  if (C.Contents) {
    auto It = C.Contents->find(File);
    if (It != C.Contents->end())
      return It->second;
  }
  static std::map<std::string, std::string> Cache; // "": unreadable
  auto It = Cache.find(File);
  if (It == Cache.end()) {
    llvm::ErrorOr<std::string> Text = readWholeFile(File);
    It = Cache.emplace(File, Text ? std::move(*Text) : std::string()).first;
  }
  return It->second;
}

FindingKey keyOf(const Finding &F, const OutputContext &C) {
  return findingKey(F.Check, displayPath(F.Where.File, C.DisplayRoot),
                    analysedText(F.Where.File, C), F.Where.Line);
}

std::string sourceLine(const std::string &File, unsigned Line,
                       const OutputContext &C) {
  llvm::StringRef Text = analysedText(File, C);
  for (unsigned L = 1; L < Line && !Text.empty(); ++L) {
    size_t Nl = Text.find('\n');
    Text = Nl == llvm::StringRef::npos ? "" : Text.substr(Nl + 1);
  }
  return Text.substr(0, Text.find('\n')).str();
}

namespace {

/// "file:line:col:", bold when the stream has colours (clang's style).
void printPoint(llvm::raw_ostream &OS, const SourcePoint &P,
                const std::string &Root) {
  if (OS.colors_enabled())
    OS.changeColor(llvm::raw_ostream::SAVEDCOLOR, /*Bold=*/true);
  OS << quotePath(displayPath(P.File, Root)) << ":" << P.Line << ":"
     << P.Column;
  if (OS.colors_enabled())
    OS.resetColor();
}

/// ": warning: MESSAGE" or ": note: MESSAGE" in clang's colours: the level
/// bold magenta (warning) or bold black (note), a warning's message bold.
void printLevel(llvm::raw_ostream &OS, bool Warning, llvm::StringRef Message) {
  OS << ": ";
  if (OS.colors_enabled())
    OS.changeColor(Warning ? llvm::raw_ostream::MAGENTA
                           : llvm::raw_ostream::BLACK,
                   /*Bold=*/true);
  OS << (Warning ? "warning: " : "note: ");
  if (OS.colors_enabled()) {
    OS.resetColor();
    if (Warning)
      OS.changeColor(llvm::raw_ostream::SAVEDCOLOR, /*Bold=*/true);
  }
  OS << Message;
  if (OS.colors_enabled())
    OS.resetColor();
}

void printCaret(llvm::raw_ostream &OS, const SourcePoint &P,
                const OutputContext &C) {
  std::string L = sourceLine(P.File, P.Line, C);
  if (L.empty())
    return;
  OS << L << "\n";
  for (unsigned I = 0; I + 1 < P.Column && I < L.size(); ++I)
    OS << (L[I] == '\t' ? '\t' : ' ');
  if (OS.colors_enabled())
    OS.changeColor(llvm::raw_ostream::GREEN, /*Bold=*/true);
  OS << "^";
  if (OS.colors_enabled())
    OS.resetColor();
  OS << "\n";
}

} // namespace

void printFindings(llvm::raw_ostream &OS, OutputFormat Format,
                   const AnalysisResult &R, const OutputContext &C) {
  switch (Format) {
  case OutputFormat::Json:
    return printFindingsJson(OS, R, C);
  case OutputFormat::Checkpatch:
    return printFindingsCheckpatch(OS, R, C);
  case OutputFormat::Sarif:
    return printFindingsSarif(OS, R, C);
  case OutputFormat::Github:
    return printFindingsGithub(OS, R, C);
  case OutputFormat::Text:
    break;
  }
  printFindingsText(OS, R, C);
}

void printFindingsText(llvm::raw_ostream &OS, const AnalysisResult &R,
                       const OutputContext &C) {
  for (const Finding &F : R.Findings) {
    printPoint(OS, F.Where, C.DisplayRoot);
    printLevel(OS, true, F.Message + " [" + F.Check + "]");
    OS << "\n";
    printCaret(OS, F.Where, C);
    for (const SourcePoint &E : F.Expansions) {
      printPoint(OS, E, C.DisplayRoot);
      printLevel(OS, false, "expanded from here");
      OS << "\n";
    }
    for (const Note &N : F.Notes) {
      printPoint(OS, N.Where, C.DisplayRoot);
      printLevel(OS, false, N.Message);
      OS << "\n";
    }
    if (F.Sure != Confidence::None) {
      printPoint(OS, F.Where, C.DisplayRoot);
      OS << ": note: confidence: " << confidenceName(F.Sure) << " ("
         << F.SureWhy << ")\n";
    }
    if (F.Fix) {
      printPoint(OS, F.Where, C.DisplayRoot);
      printLevel(OS, false, "fix: " + F.Fix->Description);
      OS << "\n";
    }
  }
}

void printCensusText(llvm::raw_ostream &OS, const AnalysisResult &R,
                     const OutputContext &C) {
  std::map<std::string, unsigned> ByClass;
  for (const CallSite &S : R.Sites) {
    printPoint(OS, S.Where, C.DisplayRoot);
    OS << ": " << S.Class << ": " << S.Callee << "(";
    OS << (S.Gfp.Present ? S.GfpText : "") << ")";
    if (!S.Via.empty()) {
      // Via starts with the callee itself: the wrappers below it, then the
      // allocator.
      OS << " -> ";
      for (size_t I = 1; I < S.Via.size(); ++I)
        OS << S.Via[I] << "() -> ";
      OS << S.Allocator << "()";
    }
    if (S.Gfp.Present) {
      OS << " =";
      bool First = S.Gfp.Must == 0;
      if (!First)
        OS << " " << S.Gfp.Flags;
      for (const std::string &Sym : S.Gfp.Symbolic) {
        OS << (First ? " <" : " | <") << Sym << ">";
        First = false;
      }
      if (First)
        OS << " 0";
    }
    if (S.Wrapper)
      OS << " [wrapper " << S.Function << "]";
    if (S.Recovered)
      OS << " [recovered]";
    if (S.Expansion) {
      OS << " (expanded at ";
      printPoint(OS, *S.Expansion, C.DisplayRoot);
      OS << ")";
    }
    OS << "\n";
    ++ByClass[S.Class];
  }
  OS << R.Sites.size() << " call sites";
  for (auto &[K, V] : ByClass)
    OS << ", " << K << " " << V;
  OS << "\n";
}

void printCensusJson(llvm::raw_ostream &OS, const AnalysisResult &R,
                     const OutputContext &C) {
  llvm::json::Array Sites;
  std::map<std::string, int64_t> ByClass;
  for (const CallSite &S : R.Sites) {
    llvm::json::Object O = pointJson(S.Where, C.DisplayRoot);
    O["callee"] = S.Callee;
    O["allocator"] = S.Allocator;
    llvm::json::Array Via;
    for (const std::string &V : S.Via)
      Via.push_back(V);
    O["via"] = std::move(Via);
    O["function"] = S.Function;
    O["provenance"] = S.Provenance;
    O["gfp"] = S.Gfp.Present ? llvm::json::Value(S.GfpText) : nullptr;
    O["flags"] = S.Gfp.Present ? llvm::json::Value(gfpJson(S.Gfp)) : nullptr;
    O["class"] = S.Class;
    O["wrapper"] = S.Wrapper;
    O["recovered"] = S.Recovered;
    O["build"] = C.BuildOf ? C.BuildOf(S.Where.File) : "unknown";
    O["view"] = S.View.empty() ? "configured" : S.View;
    O["expansion"] =
        S.Expansion ? llvm::json::Value(pointJson(*S.Expansion, C.DisplayRoot))
                    : nullptr;
    Sites.push_back(std::move(O));
    ++ByClass[S.Class];
  }
  llvm::json::Object Counts;
  for (auto &[K, V] : ByClass)
    Counts[K] = V;
  llvm::json::Object Top{
      {"tool", "vmalloc-lint"},
      {"kernel_version", C.KernelVersion},
      {"sites", std::move(Sites)},
      {"summary", llvm::json::Object{{"sites", int64_t(R.Sites.size())},
                                     {"findings", int64_t(R.Findings.size())},
                                     {"by_class", std::move(Counts)}}}};
  if (C.Units)
    Top.getObject("summary")->try_emplace("units",
                                          unitsJson(*C.Units, C.DisplayRoot));
  OS << llvm::formatv("{0:2}", llvm::json::Value(std::move(Top))) << "\n";
}

} // namespace vmalloc_lint
