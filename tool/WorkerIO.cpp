#include "tool/WorkerIO.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/xxhash.h"
#include <algorithm>

#include <cstdint>
#include <cstdio>
#include <set>

namespace vmalloc_lint {

// Every field of these records crosses the process boundary: a field added
// to one of them must be added to the writer and the reader below (the
// `isolate` e2e test compares the outputs of both modes).
static_assert(sizeof(AnalysisResult) == 7 * sizeof(std::vector<int>) +
                                            3 * sizeof(unsigned long) +
                                            sizeof(CrossFileFacts),
              "AnalysisResult changed: update tool/WorkerIO.cpp");
static_assert(sizeof(TextEdit) == 2 * sizeof(std::string) + 16,
              "TextEdit changed: update tool/WorkerIO.cpp");
static_assert(sizeof(SourcePoint) == sizeof(std::string) + 16,
              "SourcePoint changed: update tool/WorkerIO.cpp");
static_assert(sizeof(GfpReport) ==
                  16 + sizeof(std::string) + sizeof(std::vector<std::string>),
              "GfpReport changed: update tool/WorkerIO.cpp");

namespace {

constexpr llvm::StringLiteral JobMagic = "vmalloc-lint worker job 5\n";
constexpr llvm::StringLiteral ResultMagic = "vmalloc-lint worker result 8\n";
constexpr llvm::StringLiteral BodiesMagic = "vmalloc-lint worker bodies 1\n";
constexpr llvm::StringLiteral End = "end\n";

/// Numbers as decimal text and a space; strings as their length, ':' and
/// the bytes.
class Writer {
public:
  std::string Out;
  void num(uint64_t N) {
    Out += std::to_string(N);
    Out += ' ';
  }
  void flag(bool B) { num(B); }
  void str(const std::string &S) {
    Out += std::to_string(S.size());
    Out += ':';
    Out += S;
  }
  void strs(const std::vector<std::string> &V) {
    num(V.size());
    for (const std::string &S : V)
      str(S);
  }
  void point(const SourcePoint &P) {
    str(P.File);
    num(P.Line);
    num(P.Column);
    num(P.Offset);
  }
  void gfp(const GfpReport &G) {
    flag(G.Present);
    flag(G.Constant);
    num(G.Must);
    str(G.Flags);
    strs(G.Symbolic);
  }
  void site(const CallSite &S) {
    point(S.Where);
    flag(S.Expansion.has_value());
    if (S.Expansion)
      point(*S.Expansion);
    str(S.Callee);
    str(S.Allocator);
    strs(S.Via);
    str(S.Function);
    str(S.Provenance);
    str(S.GfpText);
    gfp(S.Gfp);
    str(S.Class);
    flag(S.Wrapper);
    flag(S.Recovered);
    str(S.View);
  }
  void finding(const Finding &F) {
    str(F.Check);
    point(F.Where);
    num(F.Expansions.size());
    for (const SourcePoint &P : F.Expansions)
      point(P);
    str(F.Message);
    str(F.Class);
    str(F.Callee);
    strs(F.Calls);
    num(unsigned(F.Sure));
    str(F.SureWhy);
    gfp(F.Gfp);
    num(F.Notes.size());
    for (const Note &N : F.Notes) {
      point(N.Where);
      str(N.Message);
    }
    flag(F.Fix.has_value());
    if (F.Fix) {
      str(F.Fix->Description);
      num(F.Fix->Edits.size());
      for (const TextEdit &E : F.Fix->Edits) {
        str(E.File);
        num(E.Offset);
        num(E.Length);
        str(E.Text);
        num(E.FileHash);
      }
    }
  }
  void result(const AnalysisResult &R) {
    num(R.Sites.size());
    for (const CallSite &S : R.Sites)
      site(S);
    num(R.Findings.size());
    for (const Finding &F : R.Findings)
      finding(F);
    num(R.FileHashes.size());
    for (const auto &[File, Hash] : R.FileHashes) {
      str(File);
      num(Hash);
    }
    strs(R.FilesRead);
    num(R.FilesReadHashes.size());
    for (uint64_t H : R.FilesReadHashes)
      num(H);
    strs(R.FilesAbsent);
    num(R.BodiesParsed);
    num(R.BodiesSkipped);
    num(R.BodiesJumped);
    strs(R.NotFollowed);
    // The facts as their own file format (absolute paths): it round-trips
    // every field (CrossFileFactsTest).
    str(R.Facts.empty() ? std::string() : writeFactsJsonl(R.Facts, ""));
  }
};

/// The reader: any malformed input sets Bad (and the first reason) and
/// yields empty values from then on; never reads past the end, never
/// reserves more items than bytes are left.
class Reader {
public:
  explicit Reader(llvm::StringRef In) : In(In) {}
  llvm::StringRef In;
  std::string Bad;

  void fail(const std::string &Why) {
    if (Bad.empty())
      Bad = Why + " at byte " + std::to_string(Pos);
    Pos = In.size();
  }
  bool literal(llvm::StringRef L) {
    if (!In.substr(Pos).starts_with(L)) {
      fail("expected '" + L.rtrim("\n").str() + "'");
      return false;
    }
    Pos += L.size();
    return true;
  }
  bool atEnd() const { return Pos == In.size(); }

  uint64_t digits(char Term) {
    size_t Start = Pos;
    uint64_t N = 0;
    while (Pos < In.size() && In[Pos] >= '0' && In[Pos] <= '9') {
      unsigned D = In[Pos] - '0';
      if (N > (UINT64_MAX - D) / 10) {
        fail("number out of range");
        return 0;
      }
      N = N * 10 + D;
      ++Pos;
    }
    if (Pos == Start || Pos >= In.size() || In[Pos] != Term) {
      fail("expected a number");
      return 0;
    }
    ++Pos;
    return N;
  }
  uint64_t num() { return digits(' '); }
  unsigned u32() {
    uint64_t N = num();
    if (N > UINT32_MAX) {
      fail("number out of range");
      return 0;
    }
    return unsigned(N);
  }
  bool flag() {
    uint64_t N = num();
    if (N > 1)
      fail("expected 0 or 1");
    return N == 1;
  }
  /// A count of items, each at least one byte long.
  size_t count() {
    uint64_t N = num();
    if (N > In.size() - Pos) {
      fail("count larger than the data");
      return 0;
    }
    return size_t(N);
  }
  std::string str() {
    uint64_t N = digits(':');
    if (N > In.size() - Pos) {
      fail("string past the end");
      return "";
    }
    std::string S = In.substr(Pos, N).str();
    Pos += N;
    return S;
  }
  /// A count and the items (read one by one, so that a corrupt count
  /// allocates nothing).
  template <class Fn> auto list(Fn Item) {
    size_t N = count();
    std::vector<decltype(Item())> V;
    for (size_t I = 0; I < N && Bad.empty(); ++I)
      V.push_back(Item());
    return V;
  }
  std::vector<std::string> strs() {
    return list([this] { return str(); });
  }
  SourcePoint point() {
    SourcePoint P;
    P.File = str();
    P.Line = u32();
    P.Column = u32();
    P.Offset = u32();
    return P;
  }
  GfpReport gfp() {
    GfpReport G;
    G.Present = flag();
    G.Constant = flag();
    G.Must = num();
    G.Flags = str();
    G.Symbolic = strs();
    return G;
  }
  CallSite site() {
    CallSite S;
    S.Where = point();
    if (flag())
      S.Expansion = point();
    S.Callee = str();
    S.Allocator = str();
    S.Via = strs();
    S.Function = str();
    S.Provenance = str();
    S.GfpText = str();
    S.Gfp = gfp();
    S.Class = str();
    S.Wrapper = flag();
    S.Recovered = flag();
    S.View = str();
    return S;
  }
  Finding finding() {
    Finding F;
    F.Check = str();
    F.Where = point();
    F.Expansions = list([this] { return point(); });
    F.Message = str();
    F.Class = str();
    F.Callee = str();
    F.Calls = strs();
    F.Sure = Confidence(std::min(u32(), unsigned(Confidence::Definite)));
    F.SureWhy = str();
    F.Gfp = gfp();
    F.Notes = list([this] {
      Note N;
      N.Where = point();
      N.Message = str();
      return N;
    });
    if (flag()) {
      FixIt Fix;
      Fix.Description = str();
      Fix.Edits = list([this] {
        TextEdit E;
        E.File = str();
        E.Offset = u32();
        E.Length = u32();
        E.Text = str();
        E.FileHash = num();
        return E;
      });
      F.Fix = std::move(Fix);
    }
    return F;
  }
  void result(AnalysisResult &R) {
    R.Sites = list([this] { return site(); });
    R.Findings = list([this] { return finding(); });
    R.FileHashes = list([this] {
      std::string File = str();
      return std::make_pair(std::move(File), num());
    });
    R.FilesRead = strs();
    R.FilesReadHashes = list([this] { return num(); });
    R.FilesAbsent = strs();
    R.BodiesParsed = num();
    R.BodiesSkipped = num();
    R.BodiesJumped = num();
    R.NotFollowed = strs();
    std::string Facts = str();
    if (!Facts.empty() && Bad.empty()) {
      std::string Err = readFactsJsonl(Facts, "", R.Facts);
      if (!Err.empty())
        fail("facts: " + Err);
    }
  }

private:
  size_t Pos = 0;
};

bool finish(Reader &R, std::string &Err) {
  R.literal(End);
  if (R.Bad.empty() && !R.atEnd())
    R.fail("trailing data");
  Err = R.Bad;
  return Err.empty();
}

} // namespace

std::string encodeJob(const WorkerJob &J) {
  Writer W;
  W.Out += JobMagic;
  W.str(J.Job.File);
  W.strs(J.Job.Command);
  W.str(J.Job.View);
  W.num(unsigned(J.Job.Options.Version.Major));
  W.num(unsigned(J.Job.Options.Version.Minor));
  W.str(J.Job.Options.Checks.spec());
  W.flag(J.ShowCompilerErrors);
  W.num(J.Overlay.size());
  for (const auto &[Path, Text] : J.Overlay) {
    W.str(Path);
    W.str(Text);
  }
  W.num(J.MemoryLimitMB);
  W.str(J.BodiesPath);
  W.flag(J.Job.Options.ExportFacts);
  W.str(J.FactsPath);
  W.str(J.ResultPath);
  // The tree's arch facts (small: a few dozen names) and the file's arch.
  const KernelArchFacts *AF = J.Job.Options.ArchFacts.get();
  W.flag(AF != nullptr);
  if (AF) {
    W.str(AF->ConfiguredArch);
    W.strs({AF->Arches.begin(), AF->Arches.end()});
    W.num(AF->Selecting.size());
    for (const auto &[Symbol, Arches] : AF->Selecting) {
      W.str(Symbol);
      W.strs({Arches.begin(), Arches.end()});
    }
    W.num(AF->Configured.size());
    for (const auto &[Symbol, On] : AF->Configured) {
      W.str(Symbol);
      W.flag(On);
    }
  }
  W.str(J.Job.Options.Arch);
  const std::optional<KernelVersion> &To = J.Job.Options.MigrateTo;
  W.flag(To.has_value());
  W.num(To ? unsigned(To->Major) : 0);
  W.num(To ? unsigned(To->Minor) : 0);
  W.Out += End;
  return std::move(W.Out);
}

bool decodeJob(llvm::StringRef Data, WorkerJob &J, std::string &Err) {
  Reader R(Data);
  R.literal(JobMagic);
  J.Job.File = R.str();
  J.Job.Command = R.strs();
  J.Job.View = R.str();
  J.Job.Options.Version.Major = int(R.u32());
  J.Job.Options.Version.Minor = int(R.u32());
  J.Job.Options.Checks = CheckGlob(R.str());
  J.ShowCompilerErrors = R.flag();
  size_t N = R.count();
  for (size_t I = 0; I < N && R.Bad.empty(); ++I) {
    std::string Path = R.str();
    J.Overlay[Path] = R.str();
  }
  J.MemoryLimitMB = R.u32();
  J.BodiesPath = R.str();
  J.Job.Options.ExportFacts = R.flag();
  J.FactsPath = R.str();
  J.ResultPath = R.str();
  if (R.flag()) {
    auto AF = std::make_shared<KernelArchFacts>();
    AF->ConfiguredArch = R.str();
    for (std::string &A : R.strs())
      AF->Arches.insert(std::move(A));
    size_t S = R.count();
    for (size_t I = 0; I < S && R.Bad.empty(); ++I) {
      std::set<std::string> &Set = AF->Selecting[R.str()];
      for (std::string &A : R.strs())
        Set.insert(std::move(A));
    }
    size_t C = R.count();
    for (size_t I = 0; I < C && R.Bad.empty(); ++I) {
      std::string Symbol = R.str();
      AF->Configured[Symbol] = R.flag();
    }
    J.Job.Options.ArchFacts = std::move(AF);
  }
  J.Job.Options.Arch = R.str();
  bool HasTarget = R.flag();
  KernelVersion To{int(R.u32()), 0};
  To.Minor = int(R.u32());
  if (HasTarget)
    J.Job.Options.MigrateTo = To;
  return finish(R, Err);
}

namespace {

void writeResult(Writer &W, const AnalysisResult &R, bool HadErrors,
                 bool Crashed, uint64_t PeakRssKB, uint64_t StartVmKB,
                 bool LimitBelowStart) {
  W.Out += ResultMagic;
  W.flag(HadErrors);
  W.flag(Crashed);
  W.num(PeakRssKB);
  W.num(StartVmKB);
  W.flag(LimitBelowStart);
  W.result(R);
  W.Out += End;
}

constexpr llvm::StringLiteral EntryMagic = "vmalloc-lint cache entry 1\n";

std::string hex16(uint64_t N) {
  char B[17];
  std::snprintf(B, sizeof B, "%016llx", (unsigned long long)N);
  return B;
}

} // namespace

std::string encodeResult(const WorkerResult &Res) {
  Writer W;
  writeResult(W, Res.Result, Res.HadErrors, Res.Crashed, Res.PeakRssKB,
              Res.StartVmKB, Res.LimitBelowStart);
  return std::move(W.Out);
}

std::string encodeCacheEntry(llvm::StringRef Key, const AnalysisResult &R,
                             bool HadErrors) {
  Writer Body;
  Body.str(Key.str());
  writeResult(Body, R, HadErrors, false, 0, 0, false);
  std::string Out = EntryMagic.str();
  Out += hex16(llvm::xxh3_64bits(llvm::arrayRefFromStringRef(Body.Out)));
  Out += '\n';
  Out += Body.Out;
  return Out;
}

bool decodeCacheEntry(llvm::StringRef Data, llvm::StringRef Key,
                      WorkerResult &R, std::string &Err) {
  if (!Data.consume_front(EntryMagic)) {
    Err = "not a cache entry of this version";
    return false;
  }
  if (Data.size() < 17 || Data[16] != '\n') {
    Err = "truncated";
    return false;
  }
  llvm::StringRef Sum = Data.take_front(16);
  Data = Data.drop_front(17);
  if (Sum != hex16(llvm::xxh3_64bits(llvm::arrayRefFromStringRef(Data)))) {
    Err = "checksum mismatch (truncated or corrupt)";
    return false;
  }
  std::string Prefix = std::to_string(Key.size()) + ":" + Key.str();
  if (!Data.consume_front(Prefix)) {
    Err = "entry of another key";
    return false;
  }
  if (!decodeResult(Data, R, Err))
    return false;
  if (R.Result.FilesReadHashes.size() != R.Result.FilesRead.size()) {
    Err = "files and hashes differ in number";
    return false;
  }
  return true;
}

bool decodeResult(llvm::StringRef Data, WorkerResult &Res, std::string &Err) {
  Reader R(Data);
  R.literal(ResultMagic);
  Res.HadErrors = R.flag();
  Res.Crashed = R.flag();
  Res.PeakRssKB = R.num();
  Res.StartVmKB = R.num();
  Res.LimitBelowStart = R.flag();
  R.result(Res.Result);
  return finish(R, Err);
}

std::string encodeBodySkipping(const BodySkipping &B) {
  Writer W;
  W.Out += BodiesMagic;
  W.flag(B.KeepMainFile);
  W.flag(B.FollowFields);
  W.strs(B.Names.names());
  W.Out += End;
  return std::move(W.Out);
}

bool decodeBodySkipping(llvm::StringRef Data, BodySkipping &B,
                        std::string &Err) {
  Reader R(Data);
  R.literal(BodiesMagic);
  B.KeepMainFile = R.flag();
  B.FollowFields = R.flag();
  B.Names = KeywordSet(R.strs());
  return finish(R, Err);
}

} // namespace vmalloc_lint
