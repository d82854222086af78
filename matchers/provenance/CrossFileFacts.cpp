#include "matchers/provenance/CrossFileFacts.h"

#include "matchers/text/FileText.h"

#include "matchers/provenance/MemoryLattice.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/xxhash.h"

#include <algorithm>

namespace vmalloc_lint {

namespace {

struct KindNameRow {
  uint16_t Bit;
  const char *Name;
};
const KindNameRow KindNames[] = {
    {mem::Vmalloc, "vmalloc"},
    {mem::Vmalloc32, "vmalloc_32"},
    {mem::MaybeVmalloc, "maybe-vmalloc"},
    {mem::Vmap, "vmap"},
    {mem::Linear, "linear"},
    {mem::Stack, "stack"},
    {mem::Unknown, "unknown"},
    {mem::PageAddr, "page-address"},
    {mem::PageAddrMaybe, "page-address-maybe"},
    {mem::Mixed, "mixed"},
    {mem::GuardVmalloc, "guard-vmalloc"},
    {mem::GuardLinear, "guard-linear"},
};

const char *HeaderKind = "vmalloc-lint-facts";
/// 2: the header gives the number of records and their digest.
/// 3: the "kvmalloc-helper" (with its "node") and "kvfree-wrapper"
/// records. 4: the "kvmalloc-helper-call" records, and "export_symbol" in
/// "kvmalloc-helper". A reader refuses
/// any other version, and any kind it does not know: the facts decide
/// findings (another file's helper calls are sites only through them), so
/// a record skipped would be findings lost without a word.
constexpr int64_t FactsVersion = 4;

std::string hex(uint64_t V) { return llvm::formatv("{0:x}", V).str(); }

std::string relative(const std::string &File, const std::string &Root) {
  if (!Root.empty() && llvm::StringRef(File).starts_with(Root + "/"))
    return File.substr(Root.size() + 1);
  return File;
}

void putPoint(llvm::json::Object &O, const FactPoint &P,
              const std::string &Root, const std::string &Prefix = "") {
  O[Prefix + "file"] = relative(P.File, Root);
  O[Prefix + "line"] = P.Line;
  O[Prefix + "column"] = P.Column;
}

void putMem(llvm::json::Object &O, const MemFact &M, const std::string &Root) {
  llvm::json::Array Kinds;
  for (const KindNameRow &K : KindNames)
    if (M.Kinds & K.Bit)
      Kinds.push_back(K.Name);
  O["kinds"] = std::move(Kinds);
  if (M.Params) {
    llvm::json::Array Params;
    for (unsigned I = 0; I < 64; ++I)
      if (M.Params & (uint64_t(1) << I))
        Params.push_back(I);
    O["params"] = std::move(Params);
  }
  llvm::json::Array Origins;
  for (const auto &[Bit, Or] : M.Origins) {
    llvm::json::Object X;
    X["kind"] = factKindName(Bit);
    X[Or.Stack ? "variable" : "callee"] = Or.Callee;
    putPoint(X, Or.Where, Root);
    Origins.push_back(std::move(X));
  }
  O["origins"] = std::move(Origins);
}

void emit(std::string &Out, llvm::json::Object O) {
  Out += llvm::formatv("{0}", llvm::json::Value(std::move(O))).str();
  Out += "\n";
}

/// Keeps the smaller of two places (an invalid one loses).
void keepFirst(FactPoint &Into, const FactPoint &From) {
  if (From.valid() && (!Into.valid() || From < Into))
    Into = From;
}

// ---- reading -------------------------------------------------------------

class RecordReader {
public:
  RecordReader(const llvm::json::Object &O, const std::string &Root)
      : O(O), Root(Root) {}
  std::string Error;

  std::string str(llvm::StringRef Key) {
    if (auto S = O.getString(Key))
      return S->str();
    fail("no string '" + Key.str() + "'");
    return "";
  }
  uint64_t num(llvm::StringRef Key) {
    if (auto N = O.getInteger(Key); N && *N >= 0)
      return uint64_t(*N);
    fail("no number '" + Key.str() + "'");
    return 0;
  }
  uint64_t hexNum(llvm::StringRef Key) {
    llvm::StringRef S = O.getString(Key).value_or("");
    uint64_t V = 0;
    if (!S.consume_front("0x") || S.getAsInteger(16, V))
      fail("no hex number '" + Key.str() + "'");
    return V;
  }
  FactPoint point(const llvm::json::Object &X, const std::string &Prefix) {
    FactPoint P;
    auto F = X.getString(Prefix + "file");
    auto L = X.getInteger(Prefix + "line");
    auto C = X.getInteger(Prefix + "column");
    if (!F || !L || !C) {
      fail("no place '" + Prefix + "file/line/column'");
      return P;
    }
    P.File = absoluteFrom(Root, *F);
    P.Line = unsigned(*L);
    P.Column = unsigned(*C);
    return P;
  }
  FactPoint point(const std::string &Prefix = "") { return point(O, Prefix); }
  MemFact mem() {
    MemFact M;
    const llvm::json::Array *Kinds = O.getArray("kinds");
    const llvm::json::Array *Origins = O.getArray("origins");
    if (!Kinds || !Origins) {
      fail("no 'kinds' or 'origins'");
      return M;
    }
    for (const llvm::json::Value &K : *Kinds) {
      uint16_t Bit = factKindBit(K.getAsString().value_or(""));
      if (!Bit)
        fail("unknown kind in 'kinds'");
      M.Kinds |= Bit;
    }
    if (const llvm::json::Array *Params = O.getArray("params"))
      for (const llvm::json::Value &P : *Params) {
        auto I = P.getAsInteger();
        if (!I || *I < 0 || *I >= 64)
          fail("bad parameter index in 'params'");
        else
          M.Params |= uint64_t(1) << *I;
      }
    for (const llvm::json::Value &X : *Origins) {
      const llvm::json::Object *XO = X.getAsObject();
      uint16_t Bit =
          XO ? factKindBit(XO->getString("kind").value_or("")) : uint16_t(0);
      if (!Bit) {
        fail("bad origin");
        continue;
      }
      FactOrigin Or;
      if (auto V = XO->getString("variable")) {
        Or.Callee = V->str();
        Or.Stack = true;
      } else {
        Or.Callee = XO->getString("callee").value_or("").str();
      }
      Or.Where = point(*XO, "");
      M.Origins[Bit] = Or;
    }
    return M;
  }

private:
  void fail(const std::string &Why) {
    if (Error.empty())
      Error = Why;
  }
  const llvm::json::Object &O;
  const std::string &Root;
};

} // namespace

uint16_t factKindBit(llvm::StringRef Name) {
  for (const KindNameRow &K : KindNames)
    if (Name == K.Name)
      return K.Bit;
  return 0;
}

const char *factKindName(uint16_t Bit) {
  for (const KindNameRow &K : KindNames)
    if (Bit == K.Bit)
      return K.Name;
  return "unknown";
}

void MemFact::join(const MemFact &O) {
  Kinds |= O.Kinds;
  Params |= O.Params;
  for (const auto &[Bit, Or] : O.Origins) {
    auto [It, New] = Origins.emplace(Bit, Or);
    if (!New && Or.Where < It->second.Where)
      It->second = Or;
  }
}

size_t CrossFileFacts::records() const {
  size_t N = Wrappers.size() + Fields.size() + Globals.size() +
             KvHelpers.size() + KvfreeWrappers.size();
  for (const auto &[Name, Calls] : KvHelperCalls)
    N += Calls.size();
  for (const auto &[Name, F] : Functions) {
    N += !F.Returns.bottom();
    for (const auto &[I, S] : F.ParamSinks)
      N += S.size();
    for (const auto &[I, S] : F.ParamFields)
      N += S.size();
  }
  return N;
}

void CrossFileFacts::addWrapper(const std::string &Name, const WrapperFact &W) {
  auto [It, New] = Wrappers.emplace(Name, W);
  if (New)
    return;
  WrapperFact &Old = It->second;
  uint64_t Added = Old.Added & W.Added, Cleared = Old.Cleared & W.Cleared;
  if (W.Def.valid() && (!Old.Def.valid() || W.Def < Old.Def))
    Old = W;
  Old.Added = Added;
  Old.Cleared = Cleared;
}

void CrossFileFacts::addKvHelper(const std::string &Name,
                                 const KvHelperFact &H) {
  auto [It, New] = KvHelpers.emplace(Name, H);
  if (!New && H.Def.valid() &&
      (!It->second.Def.valid() || H.Def < It->second.Def))
    It->second = H;
}

void CrossFileFacts::addKvfreeWrapper(const std::string &Name,
                                      const KvfreeWrapperFact &W) {
  auto [It, New] = KvfreeWrappers.emplace(Name, W);
  if (!New && W.Def.valid() &&
      (!It->second.Def.valid() || W.Def < It->second.Def))
    It->second = W;
}

void CrossFileFacts::addKvHelperCall(const std::string &Name,
                                     const FactPoint &At,
                                     const KvHelperCallFact &C) {
  KvHelperCalls[Name].emplace(At, C);
}

void CrossFileFacts::join(const CrossFileFacts &O) {
  for (const auto &[Name, Calls] : O.KvHelperCalls)
    for (const auto &[At, C] : Calls)
      addKvHelperCall(Name, At, C);
  for (const auto &[Name, W] : O.Wrappers)
    addWrapper(Name, W);
  for (const auto &[Name, H] : O.KvHelpers)
    addKvHelper(Name, H);
  for (const auto &[Name, W] : O.KvfreeWrappers)
    addKvfreeWrapper(Name, W);
  for (const auto &[Name, F] : O.Functions) {
    FunctionFact &Into = Functions[Name];
    keepFirst(Into.Def, F.Def);
    Into.Returns.join(F.Returns);
    for (const auto &[I, S] : F.ParamSinks)
      Into.ParamSinks[I].insert(S.begin(), S.end());
    for (const auto &[I, S] : F.ParamFields)
      Into.ParamFields[I].insert(S.begin(), S.end());
  }
  for (const auto &[K, M] : O.Fields)
    Fields[K].join(M);
  for (const auto &[K, M] : O.Globals)
    Globals[K].join(M);
}

void CrossFileFacts::numberOrigins() {
  std::vector<FactOrigin *> All;
  auto Add = [&](MemFact &M) {
    for (auto &[Bit, Or] : M.Origins)
      All.push_back(&Or);
  };
  for (auto &[Name, F] : Functions)
    Add(F.Returns);
  for (auto &[K, M] : Fields)
    Add(M);
  for (auto &[K, M] : Globals)
    Add(M);
  std::stable_sort(
      All.begin(), All.end(), [](const FactOrigin *A, const FactOrigin *B) {
        return std::tie(A->Where, A->Callee) < std::tie(B->Where, B->Callee);
      });
  for (unsigned I = 0; I < All.size(); ++I)
    All[I]->Ordinal = I;
}

std::string factsHeader(llvm::StringRef Records) {
  std::string Out;
  emit(Out, llvm::json::Object{{"kind", HeaderKind},
                               {"version", FactsVersion},
                               {"records", int64_t(Records.count('\n'))},
                               {"digest", hex(llvm::xxh3_64bits(Records))}});
  return Out;
}

std::string writeFactsJsonl(const CrossFileFacts &F, const std::string &Root) {
  std::string Out;
  for (const auto &[Name, W] : F.Wrappers) {
    llvm::json::Object O{
        {"kind", "gfp-wrapper"},          {"function", Name},
        {"gfp_param", W.GfpParam},        {"allocator", W.Allocator},
        {"added", hex(W.Added)},          {"cleared", hex(W.Cleared)},
        {"via", llvm::json::Array(W.Via)}};
    putPoint(O, W.Def, Root);
    emit(Out, std::move(O));
  }
  for (const auto &[Name, Fn] : F.Functions) {
    if (!Fn.Returns.bottom()) {
      llvm::json::Object O{{"kind", "returns"}, {"function", Name}};
      putPoint(O, Fn.Def, Root);
      putMem(O, Fn.Returns, Root);
      emit(Out, std::move(O));
    }
    for (const auto &[I, Sinks] : Fn.ParamSinks)
      for (const SinkFact &S : Sinks) {
        llvm::json::Object O{{"kind", "param-sink"},
                             {"function", Name},
                             {"param", I},
                             {"sink", S.Sink}};
        putPoint(O, Fn.Def, Root);
        putPoint(O, S.Where, Root, "sink_");
        emit(Out, std::move(O));
      }
    for (const auto &[I, Fields] : Fn.ParamFields)
      for (const FieldName &FN : Fields) {
        llvm::json::Object O{{"kind", "param-field"},
                             {"function", Name},
                             {"param", I},
                             {"struct", FN.first},
                             {"field", FN.second}};
        putPoint(O, Fn.Def, Root);
        emit(Out, std::move(O));
      }
  }
  for (const auto &[K, M] : F.Fields) {
    llvm::json::Object O{
        {"kind", "field"}, {"struct", K.first}, {"field", K.second}};
    putMem(O, M, Root);
    emit(Out, std::move(O));
  }
  for (const auto &[Name, M] : F.Globals) {
    llvm::json::Object O{{"kind", "global"}, {"name", Name}};
    putMem(O, M, Root);
    emit(Out, std::move(O));
  }
  for (const auto &[Name, H] : F.KvHelpers) {
    llvm::json::Object O{{"kind", "kvmalloc-helper"},
                         {"function", Name},
                         {"params", llvm::json::Array(H.Params)},
                         {"gfp_param", H.GfpParam},
                         {"linear", H.Linear},
                         {"fallback", H.Fallback},
                         {"zeroes", H.Zeroes},
                         {"array", H.Array},
                         {"by_size", H.BySize},
                         {"count", H.Count},
                         {"size", H.Size},
                         {"gfp", H.Gfp},
                         {"node", H.Node},
                         {"dropped", llvm::json::Array(H.Dropped)},
                         {"gfp_known", H.GfpKnown},
                         {"gfp_must", hex(H.GfpMust)},
                         {"gfp_may", hex(H.GfpMay)},
                         {"gfp_names", H.GfpNames},
                         {"export_symbol", H.ExportSymbol}};
    putPoint(O, H.Def, Root);
    emit(Out, std::move(O));
  }
  for (const auto &[Name, W] : F.KvfreeWrappers) {
    llvm::json::Object O{{"kind", "kvfree-wrapper"},
                         {"function", Name},
                         {"params", int64_t(W.Params)},
                         {"param", int64_t(W.Param)},
                         {"body", W.Body}};
    putPoint(O, W.Def, Root);
    emit(Out, std::move(O));
  }
  for (const auto &[Name, Calls] : F.KvHelperCalls)
    for (const auto &[At, C] : Calls) {
      llvm::json::Object O{{"kind", "kvmalloc-helper-call"},
                           {"function", Name},
                           {"gfp_known", C.GfpKnown},
                           {"gfp_must", hex(C.GfpMust)},
                           {"gfp_may", hex(C.GfpMay)}};
      putPoint(O, At, Root);
      emit(Out, std::move(O));
    }
  return factsHeader(Out) + Out;
}

bool looksLikeFacts(llvm::StringRef Text) {
  llvm::StringRef First = Text.ltrim().split('\n').first.trim();
  if (First.empty())
    return false;
  auto V = llvm::json::parse(First);
  if (!V) {
    llvm::consumeError(V.takeError());
    return false;
  }
  const llvm::json::Object *O = V->getAsObject();
  return O && O->getString("kind") == llvm::StringRef(HeaderKind);
}

std::string readFactsJsonl(llvm::StringRef Text, const std::string &Root,
                           CrossFileFacts &Into) {
  CrossFileFacts R;
  unsigned LineNo = 0;
  bool SawHeader = false;
  // What the header says of the records after it: a file cut short (at a
  // line boundary too) or changed after it was written is refused whole.
  int64_t Records = 0, Seen = 0;
  while (!Text.empty()) {
    auto [Line, Rest] = Text.split('\n');
    Text = Rest;
    ++LineNo;
    Line = Line.trim();
    if (Line.empty())
      continue;
    std::string Where = "line " + std::to_string(LineNo) + ": ";
    auto V = llvm::json::parse(Line);
    if (!V)
      return Where + "not JSON (" + llvm::toString(V.takeError()) + ")";
    const llvm::json::Object *O = V->getAsObject();
    if (!O)
      return Where + "not a JSON object";
    llvm::StringRef Kind = O->getString("kind").value_or("");
    if (!SawHeader) {
      if (Kind != HeaderKind)
        return Where + "not a vmalloc-lint facts file (no '" +
               std::string(HeaderKind) + "' header record)";
      std::optional<int64_t> Version = O->getInteger("version");
      if (!Version)
        return Where + "header record without a 'version'";
      if (*Version != FactsVersion)
        return Where + "facts format version " + std::to_string(*Version) +
               ", this vmalloc-lint reads version " +
               std::to_string(FactsVersion) + " (the file was written by " +
               (*Version < FactsVersion ? "an older" : "a newer") +
               " vmalloc-lint): write it again with this one";
      std::optional<int64_t> N = O->getInteger("records");
      std::optional<llvm::StringRef> D = O->getString("digest");
      if (!N || *N < 0 || !D)
        return Where + "header record without 'records' and 'digest'";
      if (*D != hex(llvm::xxh3_64bits(Text)))
        return "the records do not match the header's digest (the file "
               "is truncated or corrupted)";
      Records = *N;
      SawHeader = true;
      continue;
    }
    ++Seen;
    RecordReader Rd(*O, Root);
    if (Kind == "gfp-wrapper") {
      WrapperFact W;
      std::string Name = Rd.str("function");
      W.Def = Rd.point();
      W.GfpParam = unsigned(Rd.num("gfp_param"));
      W.Allocator = Rd.str("allocator");
      W.Added = Rd.hexNum("added");
      W.Cleared = Rd.hexNum("cleared");
      if (const llvm::json::Array *Via = O->getArray("via"))
        for (const llvm::json::Value &X : *Via)
          W.Via.push_back(X.getAsString().value_or("").str());
      if (Rd.Error.empty())
        R.addWrapper(Name, W);
    } else if (Kind == "returns" || Kind == "param-sink" ||
               Kind == "param-field") {
      std::string Name = Rd.str("function");
      FunctionFact Fn;
      Fn.Def = Rd.point();
      if (Kind == "returns") {
        Fn.Returns = Rd.mem();
      } else if (Kind == "param-sink") {
        SinkFact S;
        S.Sink = Rd.str("sink");
        S.Where = Rd.point("sink_");
        Fn.ParamSinks[unsigned(Rd.num("param"))].insert(S);
      } else {
        Fn.ParamFields[unsigned(Rd.num("param"))].insert(
            {Rd.str("struct"), Rd.str("field")});
      }
      if (Rd.Error.empty()) {
        CrossFileFacts One;
        One.Functions[Name] = std::move(Fn);
        R.join(One);
      }
    } else if (Kind == "kvmalloc-helper") {
      KvHelperFact H;
      std::string Name = Rd.str("function");
      H.Def = Rd.point();
      auto Strings = [&](llvm::StringRef Key, std::vector<std::string> &Into) {
        const llvm::json::Array *A = O->getArray(Key);
        if (!A) {
          if (Rd.Error.empty())
            Rd.Error = "no array '" + Key.str() + "'";
          return;
        }
        for (const llvm::json::Value &X : *A)
          Into.push_back(X.getAsString().value_or("").str());
      };
      auto Flag = [&](llvm::StringRef Key) {
        std::optional<bool> B = O->getBoolean(Key);
        if (!B)
          if (Rd.Error.empty())
            Rd.Error = "no boolean '" + Key.str() + "'";
        return B.value_or(false);
      };
      Strings("params", H.Params);
      std::optional<int64_t> G = O->getInteger("gfp_param");
      if (!G || *G < -1 || *G >= int64_t(H.Params.size()))
        if (Rd.Error.empty())
          Rd.Error = "no parameter index 'gfp_param'";
      H.GfpParam = int(G.value_or(-1));
      H.Linear = Rd.str("linear");
      H.Fallback = Rd.str("fallback");
      H.Zeroes = Flag("zeroes");
      H.Array = Flag("array");
      H.BySize = Flag("by_size");
      H.Count = Rd.str("count");
      H.Size = Rd.str("size");
      H.Gfp = Rd.str("gfp");
      H.Node = Rd.str("node");
      Strings("dropped", H.Dropped);
      H.GfpKnown = Flag("gfp_known");
      H.GfpMust = Rd.hexNum("gfp_must");
      H.GfpMay = Rd.hexNum("gfp_may");
      H.GfpNames = Rd.str("gfp_names");
      H.ExportSymbol = Flag("export_symbol");
      if (Rd.Error.empty())
        R.addKvHelper(Name, H);
    } else if (Kind == "kvfree-wrapper") {
      KvfreeWrapperFact W;
      std::string Name = Rd.str("function");
      W.Def = Rd.point();
      W.Params = unsigned(Rd.num("params"));
      W.Param = unsigned(Rd.num("param"));
      W.Body = Rd.str("body");
      if (Rd.Error.empty() && W.Param >= W.Params)
        Rd.Error = "'param' is not one of the 'params'";
      if (Rd.Error.empty())
        R.addKvfreeWrapper(Name, W);
    } else if (Kind == "kvmalloc-helper-call") {
      std::string Name = Rd.str("function");
      FactPoint At = Rd.point();
      KvHelperCallFact C;
      std::optional<bool> Known = O->getBoolean("gfp_known");
      if (!Known && Rd.Error.empty())
        Rd.Error = "no boolean 'gfp_known'";
      C.GfpKnown = Known.value_or(false);
      C.GfpMust = Rd.hexNum("gfp_must");
      C.GfpMay = Rd.hexNum("gfp_may");
      if (Rd.Error.empty())
        R.addKvHelperCall(Name, At, C);
    } else if (Kind == "field") {
      FieldName K{Rd.str("struct"), Rd.str("field")};
      MemFact M = Rd.mem();
      if (Rd.Error.empty())
        R.Fields[K].join(M);
    } else if (Kind == "global") {
      std::string Name = Rd.str("name");
      MemFact M = Rd.mem();
      if (Rd.Error.empty())
        R.Globals[Name].join(M);
    } else {
      return Where + "unknown kind '" + Kind.str() + "'";
    }
    if (!Rd.Error.empty())
      return Where + Kind.str() + " record: " + Rd.Error;
  }
  if (!SawHeader)
    return "empty: no header record (a facts file always has one)";
  if (SawHeader && Seen != Records)
    return "the header says " + std::to_string(Records) +
           " records, the file holds " + std::to_string(Seen) +
           " (truncated or corrupted)";
  Into.join(R);
  return "";
}

} // namespace vmalloc_lint
