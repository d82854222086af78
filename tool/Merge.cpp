#include "tool/Merge.h"
#include "tool/FileIO.h"
#include "tool/PatchGate.h"

#include "llvm/Support/JSON.h"

#include <map>

namespace vmalloc_lint {

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
                              AnalysisResult &Into,
                              std::string &KernelVersion) {
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
  return "";
}

} // namespace vmalloc_lint
