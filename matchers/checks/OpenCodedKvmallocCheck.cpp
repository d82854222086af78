// vmalloc-open-coded-kvmalloc: a kmalloc-family allocation with a
// vmalloc-family fallback, on failure or by size, inline, as a local
// helper's whole body, or a call of such a helper.
//
// v4.12's "mm: introduce kv[mz]alloc helpers" (a7c3e901a46f) and the
// treewide conversion after it replaced these with kvmalloc(), kvzalloc()
// and kvmalloc_array() (kvcalloc() since 4.18). The shapes are found by the
// AST matchers of matchers/refactor/OpenCodedKvmalloc.cpp. The fix is one
// kv* call, and only where the target kernel's kvmalloc_node() falls back
// to vmalloc for the mask (matchers/kernel/KvmallocApi.cpp, from each
// tree's mm/util.c): GFP_KERNEL supersets before 5.16, blocking masks
// since; never __GFP_NORETRY; no kvmalloc before 4.12. __GFP_NOWARN and
// __GFP_NORETRY that only the kmalloc attempt had are dropped (kvmalloc
// sets them there itself for sizes over PAGE_SIZE), and so is a WARN_ON()
// of the mask before the fallback (matchers/kernel/KvmallocApi.h).
#include "matchers/checks/RefactorCheck.h"
#include "matchers/kernel/KvmallocApi.h"
#include "matchers/text/CodeText.h"

#include <algorithm>
#include <vector>

namespace vmalloc_lint::checks {

namespace {

class OpenCodedKvmalloc : public RefactorCheck {
public:
  std::optional<Finding> judge(const FallbackAllocSite &S) const override {
    bool Node = !S.Node.empty();
    const KvHelper *H = kvHelperFor(S.Array, S.Zeroes, Node, S.Target);
    std::string Name = H          ? H->Name
                       : S.Array  ? (S.Zeroes ? "kvcalloc" : "kvmalloc_array")
                       : S.Zeroes ? "kvzalloc"
                                  : "kvmalloc";
    if (!H && Node)
      Name += "_node";
    std::string Gfp = S.Gfp;
    std::string RepeatNote = dropRepeat(S, Gfp);
    if (H && S.Zeroes && !H->Zeroes)
      Gfp += " | __GFP_ZERO";
    std::string Call = Name + "(" + (S.Array ? S.Count + ", " : "") + S.Size +
                       ", " + Gfp + (Node ? ", " + S.Node : "") + ")";
    bool BySize = S.Form == FallbackAllocSite::Shape::BySize ||
                  (S.BySize && S.Form != FallbackAllocSite::Shape::OnFailure);
    std::string What = S.Linear + "() with a " + S.Fallback + "() fallback " +
                       (BySize ? "for large sizes" : "on failure");
    Finding F;
    F.Where = S.Where;
    F.Class = "open-coded";
    F.Callee =
        S.Form == FallbackAllocSite::Shape::HelperCall ? S.Helper : S.Linear;
    F.Gfp.Present = true;
    F.Gfp.Constant = S.GfpKnown;
    F.Gfp.Must = S.GfpMust;
    F.Gfp.Flags = S.GfpNames;
    std::string WhyNot = whyNot(S, H);
    // The fallback's warning of the mask goes with it.
    if (!S.Warning.empty())
      What += " (after a " + S.Warning +
              "() of the mask, which kvmalloc() judges itself)";
    switch (S.Form) {
    case FallbackAllocSite::Shape::HelperBody:
      F.Message =
          S.Helper + "() is an open-coded " + Name + "(): its body is " + What;
      if (S.GfpFromParameter) {
        // Its every call known, each with a mask the target's kvmalloc
        // takes: its body can pass the mask on (as upstream did to lustre's
        // libcfs_kvzalloc_cpt() in v4.12), and its calls stay.
        std::optional<std::string> Callers = callersWhyNot(S, H);
        if (Callers && Callers->empty()) {
          size_t N = S.Callers->size();
          F.Message +=
              "; its mask is its caller's, and " +
              (N == 1 ? "its 1 call (" + S.Callers->front().At + ") passes"
                      : "all its " + std::to_string(N) + " calls (the first: " +
                            S.Callers->front().At + ") pass") +
              " a mask " + kernel(S) + "'s kvmalloc() takes; make its body " +
              S.Prefix + Call;
          F.FixRequests.push_back(call(S, Name, Call));
          return F;
        }
        F.Message += "; its callers can call " + Name +
                     "() instead (each call is reported) (the mask is the "
                     "caller's: each call is judged by it)";
        if (Callers)
          F.Message += "; its body stays (" + *Callers + ")";
        return F;
      }
      F.Message += "; its callers can call " + Name +
                   "() instead (each call is reported)";
      if (!WhyNot.empty()) {
        F.Message += "; " + WhyNot;
        return F;
      }
      if (S.Removable) {
        F.Message += "; remove it";
        // Its calls here are replaced (HelperCall sites): the definition goes,
        // comments and all (no Original: nothing of it is kept).
        FixRequest R = request(S, Name, S.RemoveOffset, S.RemoveText, "");
        R.Original.clear();
        F.FixRequests.push_back(std::move(R));
      } else {
        F.Message += "; make its body " + S.Prefix + Call;
        F.FixRequests.push_back(call(S, Name, Call));
      }
      return F;
    case FallbackAllocSite::Shape::HelperCall:
      // The helper's body takes this call's mask (above): the call stays.
      if (std::optional<std::string> Callers = callersWhyNot(S, H);
          Callers && Callers->empty())
        return std::nullopt;
      F.Message =
          S.Helper + "() is an open-coded " + Name + "() (" + What + ")";
      break;
    default:
      F.Message = "open-coded " + Name + "(): " + What;
    }
    if (!WhyNot.empty()) {
      F.Message += "; " + WhyNot;
      return F;
    }
    // The call on one line in the message (arguments may span lines).
    F.Message += "; use " + oneLine(Call);
    if (!S.Dropped.empty() && S.Dropped.front() != "__GFP_ZERO")
      F.Message += " (kvmalloc sets " + S.Dropped.front() +
                   " on its kmalloc attempt itself)";
    F.Message += RepeatNote;
    if (!S.MaskLocal.empty()) {
      F.Message += "; " + S.MaskLocal + ", the local mask that adds ";
      for (size_t I = 0; I < S.Dropped.size(); ++I)
        F.Message += (I ? " and " : "") + S.Dropped[I];
      F.Message += " for sizes over PAGE_SIZE, goes";
    }
    F.FixRequests.push_back(call(S, Name, Call));
    frees(S, Name, F);
    if (!S.MaskDeclText.empty()) {
      FixRequest Decl = request(S, Name, S.MaskDeclOffset, S.MaskDeclText, "");
      Decl.Joined = true;
      F.FixRequests.push_back(std::move(Decl));
    }
    if (!S.TailText.empty()) {
      FixRequest Tail = request(S, Name, S.TailOffset, S.TailText, S.TailNew);
      Tail.Joined = true;
      F.FixRequests.push_back(std::move(Tail));
    }
    return F;
  }

private:
  /// __GFP_REPEAT that the target's kvmalloc overrides for this constant,
  /// !costly size (KvmallocRule::RepeatOverridden) goes from Gfp: the note
  /// for the message ("" when it stays).
  static std::string dropRepeat(const FallbackAllocSite &S, std::string &Gfp) {
    const KvmallocRule *Rule = kvmallocRule(S.Target);
    if (!Rule || !Rule->RepeatOverridden || !S.SizeKnown || !S.Repeat ||
        !S.CostlyMax || S.SizeBytes > S.CostlyMax || !(S.GfpMust & S.Repeat))
      return "";
    std::vector<std::string> Ops;
    bool Found = false;
    size_t From = 0;
    for (;;) {
      size_t Bar = Gfp.find('|', From);
      std::string Op = Gfp.substr(
          From, Bar == std::string::npos ? std::string::npos : Bar - From);
      size_t B = Op.find_first_not_of(" \t\n"),
             E = Op.find_last_not_of(" \t\n");
      Op = B == std::string::npos ? "" : Op.substr(B, E - B + 1);
      if (Op == "__GFP_REPEAT")
        Found = true;
      else
        Ops.push_back(Op);
      if (Bar == std::string::npos)
        break;
      From = Bar + 1;
    }
    if (!Found || Ops.empty() || Gfp.find('(') != std::string::npos)
      return "";
    Gfp.clear();
    for (size_t I = 0; I < Ops.size(); ++I)
      Gfp += (I ? " | " : "") + Ops[I];
    return "; __GFP_REPEAT goes: for " + std::to_string(S.SizeBytes) +
           " bytes (at most PAGE_SIZE << PAGE_ALLOC_COSTLY_ORDER, " +
           std::to_string(S.CostlyMax) + ") it does nothing (" +
           Rule->RepeatOverridden + ")";
  }

  /// The frees of the memory, converted with the allocation (more pieces
  /// of the same fix), or why they stay.
  static void frees(const FallbackAllocSite &S, const std::string &Name,
                    Finding &F) {
    if (S.Frees.empty())
      return;
    std::vector<unsigned> L;
    for (const FallbackAllocSite::FreeEdit &E : S.Frees)
      L.insert(L.end(), E.Lines.begin(), E.Lines.end());
    std::sort(L.begin(), L.end());
    size_t N = L.size();
    std::string Lines;
    for (size_t I = 0; I < N; ++I)
      Lines += (I ? (I + 1 == N ? " and " : ", ") : "") + std::to_string(L[I]);
    std::string Which = (N == 1 ? "free" : std::to_string(N) + " frees") +
                        " of " + S.Freed + " (line" + (N == 1 ? " " : "s ") +
                        Lines + ")";
    if (!S.FreesLeft.empty()) {
      F.Message += "; the " + Which + (N == 1 ? " stays" : " stay") +
                   " as written: " + S.FreesLeft;
      return;
    }
    F.Message += "; the fix makes the " + Which + " " + S.FreeHelper + "()";
    for (const FallbackAllocSite::FreeEdit &E : S.Frees) {
      FixRequest R = request(S, Name, E.Offset, E.Old, E.New);
      R.Joined = true;
      F.FixRequests.push_back(std::move(R));
    }
  }

  static FixRequest request(const FallbackAllocSite &S, const std::string &Name,
                            unsigned Offset, const std::string &Old,
                            const std::string &New) {
    FixRequest R;
    R.What = FixRequest::Kind::ReplaceCode;
    R.Name = Name;
    R.Replace = {S.File, Offset, (unsigned)Old.size(), New, S.FileHash};
    R.Original = Old;
    return R;
  }

  /// The request that replaces the site's code with Prefix, the call and
  /// Suffix; the call laid out to the line's 80 columns.
  static FixRequest call(const FallbackAllocSite &S, const std::string &Name,
                         const std::string &Call) {
    FixRequest R =
        request(S, Name, S.Offset, S.Text, S.Prefix + Call + S.Suffix);
    R.CallBegin = S.Prefix.size();
    R.CallLength = Call.size();
    R.LineHead = S.LineHead;
    R.LineTail = S.LineTail;
    return R;
  }

  /// "the newest kernel", "kernel 4.12".
  static std::string kernel(const FallbackAllocSite &S) {
    return S.Target.isNewest() ? "the newest kernel"
                               : "kernel " + S.Target.str();
  }

  /// A helper whose mask is its caller's, with its calls known (Callers):
  /// why the target's kvmalloc does not take one of their masks, the first
  /// ("" when it takes them all); none when the calls are not known.
  static std::optional<std::string> callersWhyNot(const FallbackAllocSite &S,
                                                  const KvHelper *H) {
    if (!S.Callers)
      return std::nullopt;
    for (const FallbackAllocSite::CallerMask &C : *S.Callers) {
      if (!C.Known)
        return "the call at " + C.At + ": its mask is not known";
      FallbackAllocSite T = S;
      T.GfpKnown = true;
      T.GfpMust = C.Must;
      T.GfpMay = C.May;
      T.GfpNames = T.Gfp = C.Names;
      std::string W = whyNot(T, H);
      if (!W.empty())
        return "the call at " + C.At + ": " +
               W.substr(std::string("no fix: ").size());
    }
    return std::string();
  }

  /// Why the site gets no fix ("" when it gets one).
  static std::string whyNot(const FallbackAllocSite &S, const KvHelper *H) {
    std::string V = kernel(S);
    const KvmallocRule *Rule = kvmallocRule(S.Target);
    if (!Rule)
      return "no fix: " + V + " has no kvmalloc() (it came in 4.12)";
    if (!H)
      return "no fix: " + V + " has no kv* allocator for " +
             (S.Node.empty() ? "this shape" : "an array on a node") +
             " (kvmalloc_node() and kvzalloc_node() take one size)";
    if (!S.GfpKnown)
      return "no fix: the mask is not known here";
    if (!S.Scope.empty())
      return "no fix: the " + S.Fallback + "() fallback runs under " + S.Scope +
             "(), the kmalloc attempt does not: one kv* call cannot keep "
             "that, the mask and the scope are a human's decision";
    // The mask as written when it is written with flag names, else its
    // value's names.
    std::string Mask = S.Gfp;
    if (Mask.rfind("GFP_", 0) != 0 && Mask.rfind("__GFP_", 0) != 0 &&
        !S.GfpNames.empty())
      Mask = S.GfpNames;
    if (Rule->Masks == KvmallocMaskRule::GfpKernelSuperset &&
        (S.GfpMust & S.GfpKernel) != S.GfpKernel)
      return "no fix: " + Mask + " is not a superset of GFP_KERNEL, and " + V +
             "'s kvmalloc() falls back to vmalloc only for those (" +
             Rule->Source + ")";
    if (Rule->Masks == KvmallocMaskRule::Blocking &&
        !(S.GfpMust & S.DirectReclaim))
      return "no fix: " + Mask + " does not allow blocking, and " + V +
             "'s kvmalloc() does not fall back to vmalloc for it (" +
             Rule->Source + ")";
    if (Rule->NoRetryUnsupported && (S.GfpMay & S.NoRetry))
      return "no fix: kvmalloc() does not support __GFP_NORETRY in the mask (" +
             std::string(Rule->Source) + ")";
    return "";
  }
};

} // namespace

const RefactorCheck &openCodedKvmalloc() {
  static const OpenCodedKvmalloc C;
  return C;
}

} // namespace vmalloc_lint::checks
