#include "tool/Output.h"

#include "clang/Tooling/Core/Diagnostic.h"
#include "clang/Tooling/DiagnosticsYaml.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/YAMLTraits.h"

#include <map>

namespace vmalloc_lint {

std::string displayPath(const std::string &File, const std::string &Root) {
  if (!Root.empty() && File.size() > Root.size() &&
      File.compare(0, Root.size(), Root) == 0 && File[Root.size()] == '/')
    return File.substr(Root.size() + 1);
  return File;
}

namespace {

std::string hex(uint64_t V) {
  char Buf[32];
  snprintf(Buf, sizeof Buf, "0x%llx", (unsigned long long)V);
  return Buf;
}

std::string sourceLine(const std::string &File, unsigned Line) {
  static std::map<std::string, std::unique_ptr<llvm::MemoryBuffer>> Cache;
  auto It = Cache.find(File);
  if (It == Cache.end()) {
    auto B = llvm::MemoryBuffer::getFile(File);
    It = Cache.emplace(File, B ? std::move(*B) : nullptr).first;
  }
  if (!It->second)
    return "";
  llvm::StringRef Text = It->second->getBuffer();
  for (unsigned L = 1; L < Line && !Text.empty(); ++L) {
    size_t Nl = Text.find('\n');
    Text = Nl == llvm::StringRef::npos ? "" : Text.substr(Nl + 1);
  }
  return Text.substr(0, Text.find('\n')).str();
}

void printPoint(llvm::raw_ostream &OS, const SourcePoint &P,
                const std::string &Root) {
  OS << displayPath(P.File, Root) << ":" << P.Line << ":" << P.Column;
}

void printCaret(llvm::raw_ostream &OS, const SourcePoint &P) {
  std::string L = sourceLine(P.File, P.Line);
  if (L.empty())
    return;
  OS << L << "\n";
  for (unsigned I = 0; I + 1 < P.Column && I < L.size(); ++I)
    OS << (L[I] == '\t' ? '\t' : ' ');
  OS << "^\n";
}

llvm::json::Object pointJson(const SourcePoint &P, const std::string &Root) {
  return llvm::json::Object{{"file", displayPath(P.File, Root)},
                            {"line", P.Line},
                            {"column", P.Column}};
}

llvm::json::Object gfpJson(const GfpReport &G) {
  llvm::json::Array Sym;
  for (const std::string &S : G.Symbolic)
    Sym.push_back(S);
  return llvm::json::Object{{"value", hex(G.Must)},
                            {"names", G.Flags},
                            {"constant", G.Constant},
                            {"symbolic", std::move(Sym)}};
}

llvm::json::Value fixJson(const std::optional<FixIt> &F,
                          const std::string &Root) {
  if (!F)
    return nullptr;
  llvm::json::Array Reps;
  for (const TextEdit &E : F->Edits)
    Reps.push_back(llvm::json::Object{{"file", displayPath(E.File, Root)},
                                      {"offset", E.Offset},
                                      {"length", E.Length},
                                      {"text", E.Text}});
  return llvm::json::Object{{"description", F->Description},
                            {"replacements", std::move(Reps)}};
}

} // namespace

void printFindingsText(llvm::raw_ostream &OS, const AnalysisResult &R,
                       const OutputContext &C) {
  for (const Finding &F : R.Findings) {
    printPoint(OS, F.Where, C.DisplayRoot);
    OS << ": warning: " << F.Message << " [" << F.Check << "]\n";
    printCaret(OS, F.Where);
    for (const SourcePoint &E : F.Expansions) {
      printPoint(OS, E, C.DisplayRoot);
      OS << ": note: expanded from here\n";
    }
    for (const Note &N : F.Notes) {
      printPoint(OS, N.Where, C.DisplayRoot);
      OS << ": note: " << N.Message << "\n";
    }
    if (F.Fix) {
      printPoint(OS, F.Where, C.DisplayRoot);
      OS << ": note: fix: " << F.Fix->Description << "\n";
    }
  }
}

void printFindingsJson(llvm::raw_ostream &OS, const AnalysisResult &R,
                       const OutputContext &C) {
  llvm::json::Array Findings;
  std::map<std::string, int64_t> ByCheck;
  for (const Finding &F : R.Findings) {
    llvm::json::Object O = pointJson(F.Where, C.DisplayRoot);
    O["check"] = F.Check;
    O["message"] = F.Message;
    O["class"] = F.Class;
    O["callee"] = F.Callee;
    O["gfp"] = gfpJson(F.Gfp);
    llvm::json::Array Exp;
    for (const SourcePoint &E : F.Expansions)
      Exp.push_back(pointJson(E, C.DisplayRoot));
    O["expansions"] = std::move(Exp);
    llvm::json::Array Notes;
    for (const Note &N : F.Notes) {
      llvm::json::Object NO = pointJson(N.Where, C.DisplayRoot);
      NO["message"] = N.Message;
      Notes.push_back(std::move(NO));
    }
    O["notes"] = std::move(Notes);
    O["fix"] = fixJson(F.Fix, C.DisplayRoot);
    Findings.push_back(std::move(O));
    ++ByCheck[F.Check];
  }
  llvm::json::Object Counts;
  for (auto &[K, V] : ByCheck)
    Counts[K] = V;
  llvm::json::Object Top{
      {"tool", "vmalloc-lint"},
      {"kernel_version", C.KernelVersion},
      {"findings", std::move(Findings)},
      {"summary", llvm::json::Object{{"findings", int64_t(R.Findings.size())},
                                     {"by_check", std::move(Counts)}}}};
  OS << llvm::formatv("{0:2}", llvm::json::Value(std::move(Top))) << "\n";
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
  OS << llvm::formatv("{0:2}", llvm::json::Value(std::move(Top))) << "\n";
}

std::string exportFixesYaml(const AnalysisResult &R,
                            const std::string &MainFile) {
  clang::tooling::TranslationUnitDiagnostics TUD;
  TUD.MainSourceFile = MainFile;
  for (const Finding &F : R.Findings) {
    clang::tooling::Diagnostic D;
    D.DiagnosticName = F.Check;
    D.DiagLevel = clang::tooling::Diagnostic::Warning;
    D.Message.Message = F.Message;
    D.Message.FilePath = F.Where.File;
    D.Message.FileOffset = F.Where.Offset;
    if (F.Fix)
      for (const TextEdit &E : F.Fix->Edits) {
        clang::tooling::Replacement Rep(E.File, E.Offset, E.Length, E.Text);
        llvm::Error Err = D.Message.Fix[E.File].add(Rep);
        if (Err)
          llvm::consumeError(std::move(Err));
      }
    TUD.Diagnostics.push_back(std::move(D));
  }
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  llvm::yaml::Output Y(OS);
  Y << TUD;
  OS.flush();
  return Out;
}

} // namespace vmalloc_lint
