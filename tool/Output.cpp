#include "tool/Output.h"

#include "matchers/VmallocAnalysis.h"
#include "tool/FileIO.h"
#include "tool/FindingsJson.h"

#include "clang/Tooling/Core/Diagnostic.h"
#include "clang/Tooling/DiagnosticsYaml.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/YAMLTraits.h"

#include <map>

#ifndef VMALLOC_LINT_VERSION
#define VMALLOC_LINT_VERSION "0.1"
#endif
#ifndef VMALLOC_LINT_HOMEPAGE
#define VMALLOC_LINT_HOMEPAGE ""
#endif

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

namespace {

std::string sourceLine(const std::string &File, unsigned Line,
                       const OutputContext &C) {
  llvm::StringRef Text = analysedText(File, C);
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

void printCaret(llvm::raw_ostream &OS, const SourcePoint &P,
                const OutputContext &C) {
  std::string L = sourceLine(P.File, P.Line, C);
  if (L.empty())
    return;
  OS << L << "\n";
  for (unsigned I = 0; I + 1 < P.Column && I < L.size(); ++I)
    OS << (L[I] == '\t' ? '\t' : ' ');
  OS << "^\n";
}

} // namespace

void printFindingsText(llvm::raw_ostream &OS, const AnalysisResult &R,
                       const OutputContext &C) {
  for (const Finding &F : R.Findings) {
    printPoint(OS, F.Where, C.DisplayRoot);
    OS << ": warning: " << F.Message << " [" << F.Check << "]\n";
    printCaret(OS, F.Where, C);
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

namespace {

/// The place that makes a finding count in a gate run: the first of its
/// location, expansion sites and notes' locations that the patch added or
/// changed, else a changed line its fix edits, else the first point in a
/// hunk, else its location.
SourcePoint anchorOf(const Finding &F, const OutputContext &C) {
  if (!C.PatchLineOf)
    return F.Where;
  std::vector<SourcePoint> Points{F.Where};
  Points.insert(Points.end(), F.Expansions.begin(), F.Expansions.end());
  for (const Note &N : F.Notes)
    Points.push_back(N.Where);
  for (const SourcePoint &P : Points)
    if (auto R = C.PatchLineOf(P.File, P.Line); R && R->Changed)
      return P;
  if (F.Fix)
    for (const TextEdit &E : F.Fix->Edits) {
      llvm::StringRef Text = analysedText(E.File, C);
      unsigned First = lineOfOffset(Text, E.Offset);
      unsigned Last =
          lineOfOffset(Text, E.Offset + (E.Length ? E.Length - 1 : 0));
      for (unsigned L = First; L <= Last; ++L)
        if (auto R = C.PatchLineOf(E.File, L); R && R->Changed) {
          SourcePoint P;
          P.File = E.File;
          P.Line = L;
          return P;
        }
    }
  for (const SourcePoint &P : Points)
    if (C.PatchLineOf(P.File, P.Line))
      return P;
  return F.Where;
}

} // namespace

void printFindingsCheckpatch(llvm::raw_ostream &OS, const AnalysisResult &R,
                             const OutputContext &C) {
  for (const Finding &F : R.Findings) {
    SourcePoint A = anchorOf(F, C);
    std::optional<OutputContext::PatchLineRef> In;
    if (C.PatchLineOf)
      In = C.PatchLineOf(A.File, A.Line);
    OS << "WARNING: " << F.Message << " [" << F.Check << "]\n";
    OS << "#" << (In ? In->InputLine : A.Line)
       << ": FILE: " << displayPath(A.File, C.DisplayRoot) << ":" << A.Line
       << ":\n";
    OS << (In ? In->Raw : "+" + sourceLine(A.File, A.Line, C)) << "\n\n";
  }
  OS << "total: 0 errors, " << R.Findings.size() << " warnings, "
     << C.LinesChecked << " lines checked\n\n";
  if (R.Findings.empty())
    OS << C.PatchName
       << " has no obvious style problems and is ready for submission.\n";
  else
    OS << C.PatchName << " has style problems, please review.\n";
}

namespace {

std::string uriEncode(llvm::StringRef S) {
  std::string Out;
  for (unsigned char Ch : S) {
    if (llvm::isAlnum(Ch) || llvm::StringRef("/-._~").contains(Ch)) {
      Out += Ch;
    } else {
      char Buf[4];
      snprintf(Buf, sizeof Buf, "%%%02X", Ch);
      Out += Buf;
    }
  }
  return Out;
}

/// SARIF text: a sentence ends with a period.
std::string sentence(llvm::StringRef S) {
  std::string T = S.rtrim().str();
  if (!T.empty() && T.back() != '.')
    T += '.';
  return T;
}

llvm::json::Object artifactJson(const std::string &File,
                                const OutputContext &C) {
  std::string Rel = displayPath(File, C.DisplayRoot);
  if (Rel != File)
    return llvm::json::Object{{"uri", uriEncode(Rel)},
                              {"uriBaseId", "SRCROOT"}};
  return llvm::json::Object{{"uri", "file://" + uriEncode(File)}};
}

llvm::json::Object physicalJson(const SourcePoint &P, const OutputContext &C) {
  return llvm::json::Object{
      {"artifactLocation", artifactJson(P.File, C)},
      {"region", llvm::json::Object{{"startLine", P.Line},
                                    {"startColumn", std::max(1u, P.Column)}}}};
}

/// Line and column (1-based, bytes) of Offset in Text.
std::pair<unsigned, unsigned> lineColumn(llvm::StringRef Text,
                                         unsigned Offset) {
  Offset = std::min<unsigned>(Offset, Text.size());
  llvm::StringRef Before = Text.substr(0, Offset);
  size_t Nl = Before.rfind('\n');
  unsigned Col = Nl == llvm::StringRef::npos ? Offset + 1 : Offset - Nl;
  return {unsigned(1 + Before.count('\n')), Col};
}

} // namespace

void printFindingsSarif(llvm::raw_ostream &OS, const AnalysisResult &R,
                        const OutputContext &C) {
  llvm::json::Array Rules;
  std::map<std::string, int64_t> RuleIndex;
  for (const CheckInfo &Ch : allChecks()) {
    RuleIndex[Ch.Name] = Rules.size();
    std::string Name;
    for (llvm::StringRef Part : llvm::split(llvm::StringRef(Ch.Name), '-')) {
      if (Part.empty())
        continue;
      Name += llvm::toUpper(Part[0]);
      Name += Part.drop_front().str();
    }
    Rules.push_back(llvm::json::Object{
        {"id", Ch.Name},
        {"name", Name},
        {"shortDescription",
         llvm::json::Object{{"text", sentence(Ch.Summary)}}},
        {"fullDescription",
         llvm::json::Object{{"text", sentence(std::string(Ch.Summary) +
                                              " (documentation: docs/checks/" +
                                              Ch.Name + ".md)")}}},
        {"defaultConfiguration", llvm::json::Object{{"level", "warning"}}}});
  }
  llvm::json::Array Results;
  std::map<std::string, unsigned> Occurrences;
  for (const Finding &F : R.Findings) {
    llvm::json::Object Res;
    Res["ruleId"] = F.Check;
    auto RI = RuleIndex.find(F.Check);
    if (RI != RuleIndex.end())
      Res["ruleIndex"] = RI->second;
    Res["level"] = "warning";
    Res["message"] = llvm::json::Object{{"text", sentence(F.Message)}};
    Res["locations"] = llvm::json::Array{
        llvm::json::Object{{"physicalLocation", physicalJson(F.Where, C)}}};
    llvm::json::Array Related;
    int64_t Id = 1;
    for (const SourcePoint &E : F.Expansions)
      Related.push_back(llvm::json::Object{
          {"id", Id++},
          {"physicalLocation", physicalJson(E, C)},
          {"message", llvm::json::Object{{"text", "Expanded from here."}}}});
    for (const Note &N : F.Notes)
      Related.push_back(llvm::json::Object{
          {"id", Id++},
          {"physicalLocation", physicalJson(N.Where, C)},
          {"message", llvm::json::Object{{"text", sentence(N.Message)}}}});
    if (!Related.empty())
      Res["relatedLocations"] = std::move(Related);
    // digest:occurrence, as GitHub's primaryLocationLineHash: identical
    // lines (same code and context) stay distinct alerts.
    std::string Digest = keyDigest(keyOf(F, C));
    Res["partialFingerprints"] = llvm::json::Object{
        {"vmallocLint/v1",
         Digest + ":" + std::to_string(++Occurrences[Digest])}};
    if (F.Fix && !F.Fix->Edits.empty()) {
      std::map<std::string, llvm::json::Array> ByFile;
      for (const TextEdit &E : F.Fix->Edits) {
        llvm::StringRef Text = analysedText(E.File, C);
        auto [L1, C1] = lineColumn(Text, E.Offset);
        auto [L2, C2] = lineColumn(Text, E.Offset + E.Length);
        ByFile[E.File].push_back(llvm::json::Object{
            {"deletedRegion", llvm::json::Object{{"startLine", L1},
                                                 {"startColumn", C1},
                                                 {"endLine", L2},
                                                 {"endColumn", C2}}},
            {"insertedContent", llvm::json::Object{{"text", E.Text}}}});
      }
      llvm::json::Array Changes;
      for (auto &[File, Reps] : ByFile)
        Changes.push_back(
            llvm::json::Object{{"artifactLocation", artifactJson(File, C)},
                               {"replacements", std::move(Reps)}});
      Res["fixes"] = llvm::json::Array{llvm::json::Object{
          {"description",
           llvm::json::Object{{"text", sentence(F.Fix->Description)}}},
          {"artifactChanges", std::move(Changes)}}};
    }
    Results.push_back(std::move(Res));
  }
  llvm::json::Object Driver{{"name", "vmalloc-lint"},
                            {"version", VMALLOC_LINT_VERSION},
                            {"semanticVersion", VMALLOC_LINT_VERSION ".0"},
                            {"rules", std::move(Rules)}};
  if (llvm::StringRef(VMALLOC_LINT_HOMEPAGE).size())
    Driver["informationUri"] = VMALLOC_LINT_HOMEPAGE;
  llvm::json::Object Run{
      {"tool", llvm::json::Object{{"driver", std::move(Driver)}}},
      {"originalUriBaseIds",
       llvm::json::Object{
           {"SRCROOT",
            llvm::json::Object{
                {"uri", "file://" + uriEncode(C.DisplayRoot) + "/"}}}}},
      {"columnKind", "unicodeCodePoints"},
      {"results", std::move(Results)}};
  llvm::json::Object Top{
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", llvm::json::Array{std::move(Run)}}};
  OS << llvm::formatv("{0:2}", llvm::json::Value(std::move(Top))) << "\n";
}

namespace {

/// Workflow command escaping: data escapes %, CR, LF; property values also
/// ':' and ','.
std::string ghEscape(llvm::StringRef S, bool Property) {
  std::string Out;
  for (char Ch : S) {
    switch (Ch) {
    case '%':
      Out += "%25";
      break;
    case '\r':
      Out += "%0D";
      break;
    case '\n':
      Out += "%0A";
      break;
    case ':':
      Out += Property ? "%3A" : ":";
      break;
    case ',':
      Out += Property ? "%2C" : ",";
      break;
    default:
      Out += Ch;
    }
  }
  return Out;
}

} // namespace

void printFindingsGithub(llvm::raw_ostream &OS, const AnalysisResult &R,
                         const OutputContext &C) {
  for (const Finding &F : R.Findings) {
    // In a gate run, on the line of the change that makes it count (GitHub
    // shows annotations on a pull request's changed lines).
    SourcePoint A = anchorOf(F, C);
    std::string Msg = F.Message;
    if (!(A == F.Where))
      Msg += " (at " + displayPath(F.Where.File, C.DisplayRoot) + ":" +
             std::to_string(F.Where.Line) + ":" +
             std::to_string(F.Where.Column) + ")";
    for (const SourcePoint &E : F.Expansions)
      Msg += "\nexpanded from " + displayPath(E.File, C.DisplayRoot) + ":" +
             std::to_string(E.Line);
    for (const Note &N : F.Notes)
      Msg += "\nnote: " + N.Message;
    if (F.Fix)
      Msg += "\nfix: " + F.Fix->Description;
    OS << "::warning file="
       << ghEscape(displayPath(A.File, C.DisplayRoot), true)
       << ",line=" << A.Line;
    if (A.Column)
      OS << ",col=" << A.Column;
    OS << ",title=" << ghEscape(F.Check, true) << "::" << ghEscape(Msg, false)
       << "\n";
  }
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
