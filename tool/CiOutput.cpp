#include "tool/CiOutput.h"

#include "matchers/checks/CheckRegistry.h"
#include "tool/PatchGate.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"

#include <map>

#ifndef VMALLOC_LINT_VERSION
#define VMALLOC_LINT_VERSION "0.1"
#endif
#ifndef VMALLOC_LINT_HOMEPAGE
#define VMALLOC_LINT_HOMEPAGE ""
#endif

namespace vmalloc_lint {

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
       << ": FILE: " << quotePath(displayPath(A.File, C.DisplayRoot)) << ":"
       << A.Line << ":\n";
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
  for (const CheckRow &Ch : checkRegistry()) {
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
    // A pass-2 finding's confidence: SARIF's rank (0-100, how likely the
    // result is real) and, for a possible one, level "note".
    Res["level"] = F.Sure == Confidence::Possible ? "note" : "warning";
    if (F.Sure != Confidence::None) {
      Res["rank"] = F.Sure == Confidence::Definite ? 90.0
                    : F.Sure == Confidence::Likely ? 60.0
                                                   : 30.0;
      Res["properties"] =
          llvm::json::Object{{"confidence", confidenceName(F.Sure)},
                             {"confidenceReason", F.SureWhy}};
    }
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
  // SARIF 2.1.0 3.20: the run's invocation, executionSuccessful false and
  // one error notification (3.58) per file the run did not analyse.
  if (!C.NotAnalysed.empty()) {
    llvm::json::Array Notes;
    for (const NotAnalysedFile &N : C.NotAnalysed)
      Notes.push_back(llvm::json::Object{
          {"level", "error"},
          {"descriptor", llvm::json::Object{{"id", N.Reason}}},
          {"message",
           llvm::json::Object{
               {"text", sentence(displayPath(N.File, C.DisplayRoot) +
                                 " was not analysed: " + N.Message)}}},
          {"locations",
           llvm::json::Array{llvm::json::Object{
               {"physicalLocation",
                llvm::json::Object{
                    {"artifactLocation", artifactJson(N.File, C)}}}}}}});
    Run["invocations"] = llvm::json::Array{
        llvm::json::Object{{"executionSuccessful", false},
                           {"toolExecutionNotifications", std::move(Notes)}}};
  }
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

} // namespace vmalloc_lint
