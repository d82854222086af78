#include "matchers/Finding.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/xxhash.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>

namespace vmalloc_lint {

namespace {

std::string siteKey(const CallSite &S) {
  std::string K =
      S.Where.File + ":" + std::to_string(S.Where.Offset) + ":" + S.Callee;
  if (S.Expansion)
    K += "@" + S.Expansion->File + ":" + std::to_string(S.Expansion->Offset);
  return K;
}

std::string findingKey(const Finding &F) {
  // One finding per check and place: a flag token that several calls share
  // (a gfp macro, a macro body) is one finding with several expansions.
  return F.Check + "|" + F.Where.File + ":" + std::to_string(F.Where.Offset);
}

/// "a()", "a() and b()", "a(), b() and c()".
std::string joinCalls(const std::vector<std::string> &Calls) {
  std::string Out;
  for (size_t I = 0; I < Calls.size(); ++I)
    Out += (I == 0 ? "" : I + 1 == Calls.size() ? " and " : ", ") + Calls[I];
  return Out;
}

/// F's calls join Old's: the message names them all.
void joinCallsInto(Finding &Old, const Finding &F) {
  if (Old.Calls.empty())
    return;
  std::string Before = joinCalls(Old.Calls);
  size_t At = Old.Message.find(Before);
  if (At == std::string::npos)
    return;
  bool Added = false;
  for (const std::string &C : F.Calls)
    if (std::find(Old.Calls.begin(), Old.Calls.end(), C) == Old.Calls.end()) {
      Old.Calls.push_back(C);
      Added = true;
    }
  if (Added)
    Old.Message.replace(At, Before.size(), joinCalls(Old.Calls));
}

/// A header site seen by units of several views: all of them, sorted,
/// whatever the order of the units ("" is the configured view).
void joinViews(std::string &Into, const std::string &From) {
  auto Split = [](const std::string &V) {
    std::set<std::string> Out;
    llvm::SmallVector<llvm::StringRef, 4> Parts;
    llvm::StringRef(V).split(Parts, "; ");
    for (llvm::StringRef P : Parts)
      Out.insert(P.empty() ? "configured" : P.str());
    return Out;
  };
  if (Into == From)
    return;
  std::set<std::string> All = Split(Into);
  All.merge(Split(From));
  Into = llvm::join(All, "; ");
}

} // namespace

void mergeResults(AnalysisResult &Into, AnalysisResult &&From) {
  std::map<std::string, size_t> Sites;
  for (size_t I = 0; I < Into.Sites.size(); ++I)
    Sites.emplace(siteKey(Into.Sites[I]), I);
  for (CallSite &S : From.Sites) {
    auto [It, New] = Sites.emplace(siteKey(S), Into.Sites.size());
    if (New)
      Into.Sites.push_back(std::move(S));
    else
      joinViews(Into.Sites[It->second].View, S.View);
  }
  std::map<std::string, size_t> Findings;
  for (size_t I = 0; I < Into.Findings.size(); ++I)
    Findings.emplace(findingKey(Into.Findings[I]), I);
  for (Finding &F : From.Findings) {
    auto [It, New] = Findings.emplace(findingKey(F), Into.Findings.size());
    if (New) {
      Into.Findings.push_back(std::move(F));
      continue;
    }
    Finding &Old = Into.Findings[It->second];
    joinCallsInto(Old, F);
    for (const SourcePoint &E : F.Expansions)
      if (std::find(Old.Expansions.begin(), Old.Expansions.end(), E) ==
          Old.Expansions.end())
        Old.Expansions.push_back(E);
    if (!Old.Fix && F.Fix)
      Old.Fix = std::move(F.Fix);
    // The same place seen by several units (a header): the surest view,
    // whatever the order of the units.
    if (F.Sure > Old.Sure || (F.Sure == Old.Sure && F.SureWhy < Old.SureWhy)) {
      Old.Sure = F.Sure;
      Old.SureWhy = F.SureWhy;
    }
    for (FixRequest &R : F.FixRequests) {
      R.FromDuplicate = true;
      Old.FixRequests.push_back(std::move(R));
    }
  }
  for (std::string &N : From.NotFollowed)
    if (std::find(Into.NotFollowed.begin(), Into.NotFollowed.end(), N) ==
        Into.NotFollowed.end())
      Into.NotFollowed.push_back(std::move(N));
  Into.BodiesParsed += From.BodiesParsed;
  Into.BodiesSkipped += From.BodiesSkipped;
  Into.BodiesJumped += From.BodiesJumped;
  for (auto &H : From.FileHashes)
    if (std::none_of(Into.FileHashes.begin(), Into.FileHashes.end(),
                     [&](const auto &X) { return X.first == H.first; }))
      Into.FileHashes.push_back(H);
  Into.Facts.join(From.Facts);
}

const char *confidenceName(Confidence C) {
  switch (C) {
  case Confidence::Possible:
    return "possible";
  case Confidence::Likely:
    return "likely";
  case Confidence::Definite:
    return "definite";
  case Confidence::None:
    break;
  }
  return "";
}

std::optional<Confidence> parseConfidence(llvm::StringRef Name) {
  for (Confidence C :
       {Confidence::Possible, Confidence::Likely, Confidence::Definite})
    if (Name == confidenceName(C))
      return C;
  return std::nullopt;
}

size_t dropBelowConfidence(std::vector<Finding> &Findings, Confidence Min) {
  size_t Before = Findings.size();
  Findings.erase(std::remove_if(Findings.begin(), Findings.end(),
                                [Min](const Finding &F) {
                                  return !meetsConfidence(F.Sure, Min);
                                }),
                 Findings.end());
  return Before - Findings.size();
}

uint64_t contentHash(llvm::StringRef Text) {
  return llvm::xxh3_64bits(llvm::arrayRefFromStringRef(Text));
}

void sortResults(AnalysisResult &R) {
  std::stable_sort(R.Sites.begin(), R.Sites.end(),
                   [](const CallSite &A, const CallSite &B) {
                     if (!(A.Where == B.Where))
                       return A.Where < B.Where;
                     if (A.Expansion && B.Expansion)
                       return *A.Expansion < *B.Expansion;
                     return !A.Expansion && B.Expansion;
                   });
  std::stable_sort(R.Findings.begin(), R.Findings.end(),
                   [](const Finding &A, const Finding &B) {
                     if (!(A.Where == B.Where))
                       return A.Where < B.Where;
                     return A.Check < B.Check;
                   });
  for (Finding &F : R.Findings)
    std::sort(F.Expansions.begin(), F.Expansions.end());
}

} // namespace vmalloc_lint
