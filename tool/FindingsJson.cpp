#include "tool/FindingsJson.h"

#include "tool/FileIO.h"

#include <map>

namespace vmalloc_lint {

namespace {

std::string hex(uint64_t V) {
  char Buf[32];
  snprintf(Buf, sizeof Buf, "0x%llx", (unsigned long long)V);
  return Buf;
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
    if (F.Sure != Confidence::None)
      O["confidence"] = llvm::json::Object{{"level", confidenceName(F.Sure)},
                                           {"reason", F.SureWhy}};
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
    FindingKey K = keyOf(F, C);
    O["fingerprint"] =
        llvm::json::Object{{"code", K.Code}, {"context", K.Context}};
    Findings.push_back(std::move(O));
    ++ByCheck[F.Check];
  }
  llvm::json::Object Counts;
  for (auto &[K, V] : ByCheck)
    Counts[K] = V;
  // The files whose results are missing, so that a consumer does not take
  // their silence for "no findings".
  llvm::json::Array NotAnalysed;
  for (const NotAnalysedFile &N : C.NotAnalysed)
    NotAnalysed.push_back(
        llvm::json::Object{{"file", displayPath(N.File, C.DisplayRoot)},
                           {"reason", N.Reason},
                           {"message", N.Message}});
  llvm::json::Object Top{
      {"tool", "vmalloc-lint"},
      {"kernel_version", C.KernelVersion},
      {"findings", std::move(Findings)},
      {"summary", llvm::json::Object{{"findings", int64_t(R.Findings.size())},
                                     {"by_check", std::move(Counts)}}}};
  if (C.Units)
    Top.getObject("summary")->try_emplace("units",
                                          unitsJson(*C.Units, C.DisplayRoot));
  // Only when a file was not analysed: a complete run's output is as
  // before (and as the corpus expectations hold it).
  if (!C.NotAnalysed.empty()) {
    Top["not_analysed"] = std::move(NotAnalysed);
    Top.getObject("summary")->try_emplace("not_analysed",
                                          int64_t(C.NotAnalysed.size()));
  }
  OS << llvm::formatv("{0:2}", llvm::json::Value(std::move(Top))) << "\n";
}

llvm::json::Object unitsJson(const OutputContext::UnitBuildCounts &U,
                             const std::string &Root) {
  llvm::json::Object O;
  int64_t Analysed = 0;
  for (const char *B : {"built-in", "module", "not-built", "unknown"}) {
    auto It = U.ByBuild.find(B);
    int64_t N = It == U.ByBuild.end() ? 0 : It->second;
    O[B] = N;
    Analysed += N;
  }
  O["analysed"] = Analysed;
  llvm::json::Object E{{"total", int64_t(U.WithErrors)}};
  for (const char *Cause :
       {"other-arch-no-clang-target", "not-built", "other"}) {
    auto It = U.ErrorsByCause.find(Cause);
    E[Cause] = int64_t(It == U.ErrorsByCause.end() ? 0 : It->second);
  }
  llvm::json::Array Rest;
  for (const auto &[File, Build] : U.Rest)
    Rest.push_back(llvm::json::Object{{"file", displayPath(File, Root)},
                                      {"build", Build}});
  E["other_units"] = std::move(Rest);
  O["did_not_fully_compile"] = std::move(E);
  return O;
}

std::string parseFindingsJson(llvm::StringRef Json, llvm::json::Value &Doc,
                              const llvm::json::Array *&Findings) {
  auto V = llvm::json::parse(Json);
  if (!V)
    return "not JSON: " + llvm::toString(V.takeError());
  Doc = std::move(*V);
  const llvm::json::Object *Top = Doc.getAsObject();
  Findings = Top ? Top->getArray("findings") : nullptr;
  if (!Findings)
    return "no \"findings\" array (a --format json result is expected)";
  return "";
}

std::string loadBaseline(llvm::StringRef Json, std::vector<FindingKey> &Out) {
  llvm::json::Value Doc(nullptr);
  const llvm::json::Array *Findings = nullptr;
  if (std::string Err = parseFindingsJson(Json, Doc, Findings); !Err.empty())
    return Err;
  for (size_t I = 0; I < Findings->size(); ++I) {
    const llvm::json::Object *F = (*Findings)[I].getAsObject();
    const llvm::json::Object *FP = F ? F->getObject("fingerprint") : nullptr;
    auto Check = F ? F->getString("check") : std::nullopt;
    auto File = F ? F->getString("file") : std::nullopt;
    auto Code = FP ? FP->getString("code") : std::nullopt;
    auto Context = FP ? FP->getString("context") : std::nullopt;
    if (!Check || !File || !Code || !Context)
      return "finding " + std::to_string(I + 1) +
             " lacks check, file or fingerprint {code, context} (write the "
             "baseline with this vmalloc-lint's --format json)";
    Out.push_back({Check->str(), File->str(), Code->str(), Context->str()});
  }
  return "";
}

namespace {

/// Offsets are not in the JSON: computed from the file's text (the merge
/// runs where the shards ran), so that de-duplication, sorting and the
/// source lines of the views see the same places as a direct run.
class OffsetOf {
public:
  unsigned operator()(const std::string &File, unsigned Line, unsigned Column) {
    auto It = Starts.find(File);
    if (It == Starts.end()) {
      std::vector<unsigned> S{0};
      if (llvm::ErrorOr<std::string> B = readWholeFile(File)) {
        llvm::StringRef T = *B;
        for (size_t I = 0; I < T.size(); ++I)
          if (T[I] == '\n')
            S.push_back(I + 1);
      }
      It = Starts.emplace(File, std::move(S)).first;
    }
    const std::vector<unsigned> &S = It->second;
    if (Line == 0)
      return 0;
    if (Line > S.size()) // no such file or line: keep the order at least
      return (Line << 12) + Column;
    return S[Line - 1] + (Column ? Column - 1 : 0);
  }

private:
  std::map<std::string, std::vector<unsigned>> Starts;
};

bool point(const llvm::json::Object *O, const std::string &Root, OffsetOf &Off,
           SourcePoint &P) {
  if (!O)
    return false;
  auto File = O->getString("file");
  auto Line = O->getInteger("line");
  auto Col = O->getInteger("column");
  if (!File || !Line || !Col)
    return false;
  P.File = absoluteFrom(Root, *File);
  P.Line = unsigned(*Line);
  P.Column = unsigned(*Col);
  P.Offset = Off(P.File, P.Line, P.Column);
  return true;
}

} // namespace

std::string mergeFindingsJson(llvm::StringRef Json, const std::string &Root,
                              AnalysisResult &Into, std::string &KernelVersion,
                              std::vector<NotAnalysedFile> &NotAnalysed) {
  llvm::json::Value Doc(nullptr);
  const llvm::json::Array *Findings = nullptr;
  if (std::string Err = parseFindingsJson(Json, Doc, Findings); !Err.empty())
    return Err;
  const llvm::json::Object *Top = Doc.getAsObject();
  if (auto K = Top->getString("kernel_version")) {
    if (KernelVersion.empty())
      KernelVersion = K->str();
    else if (KernelVersion != *K)
      KernelVersion = "mixed";
  }
  static OffsetOf Off;
  std::vector<NotAnalysedFile> Missing;
  if (const llvm::json::Array *N = Top->getArray("not_analysed"))
    for (size_t I = 0; I < N->size(); ++I) {
      const llvm::json::Object *O = (*N)[I].getAsObject();
      auto File = O ? O->getString("file") : std::nullopt;
      auto Reason = O ? O->getString("reason") : std::nullopt;
      if (!File || !Reason)
        return "not_analysed record " + std::to_string(I + 1) + " is malformed";
      Missing.push_back({absoluteFrom(Root, *File), Reason->str(),
                         O->getString("message").value_or("").str()});
    }
  AnalysisResult R;
  for (size_t I = 0; I < Findings->size(); ++I) {
    const llvm::json::Object *O = (*Findings)[I].getAsObject();
    std::string Bad = "finding " + std::to_string(I + 1) + " is malformed";
    Finding F;
    auto Check = O ? O->getString("check") : std::nullopt;
    auto Message = O ? O->getString("message") : std::nullopt;
    if (!Check || !Message || !point(O, Root, Off, F.Where))
      return Bad;
    F.Check = Check->str();
    F.Message = Message->str();
    F.Class = O->getString("class").value_or("").str();
    F.Callee = O->getString("callee").value_or("").str();
    if (const llvm::json::Object *Sure = O->getObject("confidence")) {
      F.Sure = parseConfidence(Sure->getString("level").value_or(""))
                   .value_or(Confidence::None);
      F.SureWhy = Sure->getString("reason").value_or("").str();
    }
    if (const llvm::json::Object *G = O->getObject("gfp")) {
      llvm::StringRef Value = G->getString("value").value_or("0x0");
      Value.consume_front("0x");
      unsigned long long Must = 0;
      if (!Value.getAsInteger(16, Must))
        F.Gfp.Must = Must;
      F.Gfp.Flags = G->getString("names").value_or("").str();
      F.Gfp.Constant = G->getBoolean("constant").value_or(false);
      if (const llvm::json::Array *S = G->getArray("symbolic"))
        for (const llvm::json::Value &X : *S)
          if (auto Str = X.getAsString())
            F.Gfp.Symbolic.push_back(Str->str());
      F.Gfp.Present = true;
    }
    if (const llvm::json::Array *E = O->getArray("expansions"))
      for (const llvm::json::Value &X : *E) {
        SourcePoint P;
        if (!point(X.getAsObject(), Root, Off, P))
          return Bad;
        F.Expansions.push_back(P);
      }
    if (const llvm::json::Array *N = O->getArray("notes"))
      for (const llvm::json::Value &X : *N) {
        Note Nt;
        const llvm::json::Object *NO = X.getAsObject();
        if (!point(NO, Root, Off, Nt.Where))
          return Bad;
        Nt.Message = NO->getString("message").value_or("").str();
        F.Notes.push_back(std::move(Nt));
      }
    if (const llvm::json::Object *Fx = O->getObject("fix")) {
      FixIt Fix;
      Fix.Description = Fx->getString("description").value_or("").str();
      if (const llvm::json::Array *Reps = Fx->getArray("replacements"))
        for (const llvm::json::Value &X : *Reps) {
          const llvm::json::Object *RO = X.getAsObject();
          auto File = RO ? RO->getString("file") : std::nullopt;
          auto Offset = RO ? RO->getInteger("offset") : std::nullopt;
          auto Length = RO ? RO->getInteger("length") : std::nullopt;
          auto Text = RO ? RO->getString("text") : std::nullopt;
          if (!File || !Offset || !Length || !Text)
            return Bad;
          Fix.Edits.push_back({absoluteFrom(Root, *File), unsigned(*Offset),
                               unsigned(*Length), Text->str()});
        }
      F.Fix = std::move(Fix);
    }
    R.Findings.push_back(std::move(F));
  }
  mergeResults(Into, std::move(R));
  NotAnalysed.insert(NotAnalysed.end(), Missing.begin(), Missing.end());
  return "";
}

} // namespace vmalloc_lint
