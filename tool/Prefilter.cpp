#include "tool/Prefilter.h"
#include "tool/KeywordScan.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/bit.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <atomic>
#include <bitset>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <thread>

namespace vmalloc_lint {

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

namespace {

bool isHeader(llvm::StringRef P) { return P.ends_with(".h"); }

/// Fn(0) ... Fn(N-1) on Threads threads.
void parallelFor(size_t N, unsigned Threads,
                 const std::function<void(size_t)> &Fn) {
  std::atomic<size_t> Next{0};
  auto Work = [&] {
    for (size_t I; (I = Next++) < N;)
      Fn(I);
  };
  std::vector<std::thread> Pool;
  for (unsigned T = 1; T < std::max(1u, Threads); ++T)
    Pool.emplace_back(Work);
  Work();
  for (std::thread &T : Pool)
    T.join();
}

std::string normal(llvm::StringRef P) {
  llvm::SmallString<256> S(P);
  path::remove_dots(S, true);
  return std::string(S);
}

void listHeaders(const std::string &Dir, bool Recursive,
                 std::vector<std::string> &Out) {
  std::error_code EC;
  if (!Recursive) {
    for (fs::directory_iterator It(Dir, EC), End; It != End && !EC;
         It.increment(EC))
      if (isHeader(It->path()) && It->type() == fs::file_type::regular_file)
        Out.push_back(It->path());
    return;
  }
  for (fs::recursive_directory_iterator It(Dir, EC), End; It != End && !EC;
       It.increment(EC))
    if (isHeader(It->path()) && It->type() == fs::file_type::regular_file)
      Out.push_back(It->path());
}

} // namespace

std::vector<IncludeLine> includeLines(llvm::StringRef Text) {
  std::vector<IncludeLine> Out;
  const char *Begin = Text.data(), *End = Begin + Text.size();
  for (const char *H = Begin;
       (H = static_cast<const char *>(memchr(H, '#', End - H))); ++H) {
    // Blanks, "#", blanks, "include" at the start of a line.
    const char *L = H;
    while (L > Begin && (L[-1] == ' ' || L[-1] == '\t'))
      --L;
    if (L > Begin && L[-1] != '\n')
      continue;
    llvm::StringRef Rest(H + 1, End - H - 1);
    Rest = Rest.ltrim(" \t");
    if (!Rest.consume_front("include"))
      continue;
    Rest = Rest.ltrim(" \t");
    if (Rest.empty() || (Rest[0] != '<' && Rest[0] != '"'))
      continue;
    char Close = Rest[0] == '<' ? '>' : '"';
    size_t E = Rest.find_first_of(llvm::StringRef(&Close, 1), 1);
    size_t Nl = Rest.find('\n');
    if (E == llvm::StringRef::npos || (Nl != llvm::StringRef::npos && E > Nl))
      continue;
    Out.push_back({Rest.slice(1, E).str(), Close == '"'});
  }
  return Out;
}

std::vector<std::string> headersToScan(const std::vector<std::string> &Inputs,
                                       const std::vector<std::string> &Walked,
                                       const std::string &TreeRoot,
                                       const std::string &Arch) {
  // D's headers are inputs when D is at or below a walked directory with
  // no hidden directory between (collectInputs does not enter those).
  auto Walk = [&Walked](llvm::StringRef D) {
    return llvm::any_of(Walked, [D](llvm::StringRef W) {
      llvm::StringRef Rest = D;
      if (!Rest.consume_front(W) || (!Rest.empty() && Rest[0] != '/'))
        return false;
      return llvm::none_of(
          llvm::make_range(path::begin(Rest), path::end(Rest)),
          [](llvm::StringRef C) { return C.starts_with("."); });
    });
  };
  std::vector<std::string> Out;
  std::set<std::string> Dirs;
  for (const std::string &F : Inputs)
    if (!isHeader(F))
      Dirs.insert(path::parent_path(F).str());
  for (const std::string &D : Dirs)
    if (!Walk(D))
      listHeaders(D, false, Out);
  if (!TreeRoot.empty()) {
    for (std::string D :
         {TreeRoot + "/include",
          Arch.empty() ? "" : TreeRoot + "/arch/" + Arch + "/include"})
      if (!D.empty() && !Walk(D))
        listHeaders(D, true, Out);
  }
  std::sort(Out.begin(), Out.end());
  Out.erase(std::unique(Out.begin(), Out.end()), Out.end());
  return Out;
}

namespace {

/// Identifier -> the groups it belongs to.
class GroupScanner {
public:
  void add(llvm::StringRef Name, uint32_t Groups) {
    Bits[Name] |= Groups;
    Maybe.set(sketch(Name));
    if (Name.size() + 7 < 256) // the `_noprof` spelling
      Maybe.set(sketch(Name, Name.size() + 7));
  }
  uint32_t of(llvm::StringRef Id) const {
    // Most identifiers are no keyword: a cheap test before the hash table.
    if (!Maybe.test(sketch(Id)))
      return 0;
    auto It = Bits.find(Id);
    uint32_t B = It == Bits.end() ? 0 : It->second;
    if (Id.consume_back("_noprof")) {
      auto J = Bits.find(Id);
      if (J != Bits.end())
        B |= J->second;
    }
    return B;
  }
  /// Every name with its groups (for a KeywordScan).
  std::vector<std::pair<std::string, uint32_t>> entries() const {
    std::vector<std::pair<std::string, uint32_t>> Out;
    for (const auto &E : Bits)
      Out.emplace_back(E.first().str(), E.second);
    return Out;
  }
  size_t size() const { return Bits.size(); }
  /// The names of any of Groups.
  std::vector<std::string> names(uint32_t Groups) const {
    std::vector<std::string> Out;
    for (const auto &E : Bits)
      if (E.second & Groups)
        Out.push_back(E.first().str());
    return Out;
  }

private:
  /// Length and first two characters, folded into 16 bits.
  static unsigned sketch(llvm::StringRef Id, size_t Len = 0) {
    if (!Len)
      Len = Id.size();
    unsigned char A = Id.size() > 0 ? Id[0] : 0, B = Id.size() > 1 ? Id[1] : 0;
    return (unsigned(Len & 0xff) << 8 ^ unsigned(A) * 31 ^ unsigned(B) * 7) &
           0xffff;
  }
  llvm::StringMap<uint32_t> Bits;
  std::bitset<65536> Maybe;
};

/// Where an #include line of a file leads among the scanned headers: a
/// quoted name next to the including file first, else every header whose
/// path ends with the name (up to four components: `linux/slab.h`,
/// `"../ath.h"` normalised). Over-approximate by design.
class IncludeResolver {
public:
  using Node = const std::string *;
  explicit IncludeResolver(const std::vector<std::string> &Headers) {
    for (const std::string &H : Headers) {
      HeaderNode[H] = &H;
      llvm::StringRef P(H);
      for (int Parts = 0; Parts < 4; ++Parts) {
        size_t S = P.rfind('/');
        if (S == llvm::StringRef::npos)
          break;
        BySuffix[llvm::StringRef(H).drop_front(S + 1)].push_back(&H);
        P = P.take_front(S);
      }
    }
  }
  /// The header node of Path, or nullptr.
  Node node(llvm::StringRef Path) const { return HeaderNode.lookup(Path); }
  /// Appends the headers L of From may name; true when it is a quoted
  /// name found next to From (then the only one).
  bool resolve(llvm::StringRef From, const IncludeLine &L,
               std::vector<Node> &Out) const {
    if (L.Quoted) {
      std::string Local =
          normal(path::parent_path(From).str() + "/" + L.Target);
      auto It = HeaderNode.find(Local);
      if (It != HeaderNode.end()) {
        Out.push_back(It->second);
        return true;
      }
    }
    auto It = BySuffix.find(normal(L.Target));
    if (It != BySuffix.end())
      Out.insert(Out.end(), It->second.begin(), It->second.end());
    return false;
  }

private:
  llvm::StringMap<Node> HeaderNode;
  llvm::StringMap<std::vector<Node>> BySuffix;
};

/// Can a unit include (directly or through other headers) one of a set of
/// local headers? It can when it lies in the directory of one (or below),
/// or when its #include lines lead to one: a quoted name next to the
/// including file, else a header of that name (IncludeResolver) in the
/// includer's area (the tree's two top directories, drivers/gpu: where a
/// Makefile's -I points); a public header includes no local one.
class LocalHeaderReach {
public:
  using Node = IncludeResolver::Node;
  LocalHeaderReach(
      const IncludeResolver &Resolver,
      const std::map<std::string, std::vector<IncludeLine>> &Includes,
      const llvm::StringSet<> &Headers, llvm::StringRef Root,
      std::function<bool(llvm::StringRef)> IsLocal)
      : Resolver(Resolver), Includes(Includes), Headers(Headers), Root(Root),
        IsLocal(std::move(IsLocal)) {
    for (const auto &H : Headers)
      Dirs.insert(path::parent_path(H.getKey()));
  }
  bool sees(llvm::StringRef Unit, const std::vector<IncludeLine> &Lines) {
    for (llvm::StringRef D = path::parent_path(Unit); !D.empty();
         D = path::parent_path(D))
      if (Dirs.contains(D))
        return true;
    std::vector<Node> Queue;
    for (const IncludeLine &L : Lines)
      follow(Unit, L, Queue);
    llvm::DenseSet<Node> Seen;
    while (!Queue.empty()) {
      Node H = Queue.back();
      Queue.pop_back();
      if (!Seen.insert(H).second)
        continue;
      if (Headers.contains(*H))
        return true;
      const std::vector<Node> &Next = targets(H);
      Queue.insert(Queue.end(), Next.begin(), Next.end());
    }
    return false;
  }

private:
  const std::vector<Node> &targets(Node H) {
    auto [It, New] = Edges.try_emplace(H);
    if (New) {
      auto Lines = Includes.find(*H);
      if (Lines != Includes.end())
        for (const IncludeLine &L : Lines->second)
          follow(*H, L, It->second);
    }
    return It->second;
  }
  void follow(llvm::StringRef From, const IncludeLine &L,
              std::vector<Node> &Out) {
    std::vector<Node> Named;
    if (Resolver.resolve(From, L, Named)) {
      Out.push_back(Named.front());
      return;
    }
    bool FromLocal = IsLocal(From);
    for (Node T : Named)
      if (!IsLocal(*T) || (FromLocal && area(From) == area(*T)))
        Out.push_back(T);
  }
  /// The first two directories below Root (drivers/gpu, mm/x.h: mm).
  llvm::StringRef area(llvm::StringRef P) const {
    if (!P.consume_front(Root))
      return P;
    size_t A = P.find('/');
    size_t B = A == llvm::StringRef::npos ? A : P.find('/', A + 1);
    return P.take_front(B);
  }
  const IncludeResolver &Resolver;
  const std::map<std::string, std::vector<IncludeLine>> &Includes;
  const llvm::StringSet<> &Headers;
  llvm::StringRef Root;
  std::function<bool(llvm::StringRef)> IsLocal;
  llvm::StringSet<> Dirs;
  llvm::DenseMap<Node, std::vector<Node>> Edges;
};

/// Blanks [B, E) of S, newlines kept.
void blank(std::string &S, size_t B, size_t E) {
  for (size_t I = B; I < E && I < S.size(); ++I)
    if (S[I] != '\n')
      S[I] = ' ';
}

/// For checks that need several groups (the family and a flag): does one
/// function of the unit, with what the file scope holds, mention them all?
/// A flag in one function and a vmalloc call in another cannot meet in the
/// gfp argument unless through a name defined in the file (a macro, a
/// wrapper function: closed over like the headers' names) or something at
/// file scope (a variable, a table: counted for every function).
bool someFunctionMentions(llvm::StringRef Raw, const GroupScanner &S,
                          const std::vector<uint32_t> &Alternatives,
                          const llvm::StringSet<> &NamedByFlagHeaders) {
  std::string Code = stripComments(Raw);
  std::vector<Definition> Defs = definitions(Code);
  size_t Defines = Defs.size();
  functionDefinitions(Code, Defs);
  llvm::StringMap<uint32_t> Local;
  auto Of = [&](llvm::StringRef Id) {
    uint32_t B = S.of(Id);
    if (!Local.empty()) {
      auto It = Local.find(Id);
      if (It != Local.end())
        B |= It->second;
    }
    return B;
  };
  auto Scan = [&](llvm::StringRef T) {
    uint32_t Got = 0;
    forEachIdentifier(T, [&](llvm::StringRef Id) {
      Got |= Of(Id);
      return false;
    });
    return Got;
  };
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (const Definition &D : Defs)
      if (uint32_t New = Scan(D.Body) & ~Of(D.Name)) {
        Local[D.Name] |= New;
        Changed = true;
      }
  }
  // An exported function of the unit with a gfp_t parameter that reaches a
  // group (a wrapper, as sound's _snd_pcm_lib_alloc_vmalloc_buffer()): a
  // header's inline function may pass it the flag, and only this unit, which
  // defines the wrapper, sees that call as a site. Kept.
  for (size_t I = Defines; I < Defs.size(); ++I) {
    auto It = Local.find(Defs[I].Name);
    if (It == Local.end())
      continue;
    const char *NameBegin = Defs[I].Name.data();
    llvm::StringRef Signature(Defs[I].Name.end(),
                              Defs[I].Body.data() - Defs[I].Name.end());
    size_t From = llvm::StringRef(Code.data(), NameBegin - Code.data())
                      .find_last_of(";}");
    From = From == llvm::StringRef::npos ? 0 : From + 1;
    llvm::StringRef Before(Code.data() + From, NameBegin - Code.data() - From);
    auto HasWord = [](llvm::StringRef T, llvm::StringRef W) {
      for (size_t P = T.find(W); P != llvm::StringRef::npos;
           P = T.find(W, P + 1))
        if ((P == 0 || !isIdentChar(T[P - 1])) &&
            (P + W.size() == T.size() || !isIdentChar(T[P + W.size()])))
          return true;
      return false;
    };
    if (HasWord(Signature, "gfp_t") && !HasWord(Before, "static") &&
        NamedByFlagHeaders.contains(Defs[I].Name))
      return true;
  }
  uint32_t InCode = Scan(Code);
  if (std::none_of(Alternatives.begin(), Alternatives.end(),
                   [&](uint32_t A) { return (InCode & A) == A; }))
    return false; // the rest needs every group in the unit's code
  // The file scope: neither a function body nor a directive.
  std::string FileScope = Code;
  for (size_t I = Defines; I < Defs.size(); ++I) {
    size_t B = Defs[I].Body.data() - Code.data();
    blank(FileScope, B, B + Defs[I].Body.size());
  }
  for (size_t L = 0; L < FileScope.size();) {
    size_t E = FileScope.find('\n', L);
    E = E == std::string::npos ? FileScope.size() : E;
    llvm::StringRef Line = llvm::StringRef(FileScope).slice(L, E).ltrim(" \t");
    if (Line.starts_with("#")) {
      while (E < FileScope.size() && E > L && FileScope[E - 1] == '\\')
        E = std::min(FileScope.find('\n', E + 1), FileScope.size());
      blank(FileScope, L, E);
    }
    L = E + 1;
  }
  uint32_t Global = Scan(FileScope);
  auto Covers = [&](uint32_t Got) {
    for (uint32_t A : Alternatives)
      if ((Got & A) == A)
        return true;
    return false;
  };
  if (Covers(Global))
    return true;
  for (size_t I = Defines; I < Defs.size(); ++I)
    if (Covers(Global | Scan(Defs[I].Body)))
      return true;
  return false;
}

/// The fixpoint of the groups over Defs: a defined name joins the groups
/// its bodies mention (but Needs.Unclosed). Adds what names gained to
/// Scanner; returns the names that were in no group before (in group 1,
/// for the next round's look for them).
std::vector<std::pair<std::string, uint32_t>>
closeGroups(const std::vector<Definition> &Defs, const PrefilterNeeds &Needs,
            uint32_t All, unsigned Threads, GroupScanner &Scanner) {
  // Each body once: the identifiers in it that can ever be keywords (the
  // roots and the defined names); then the fixpoint over those lists.
  // Built on every thread: one set per part, names parted by first
  // character.
  const unsigned Parts = std::max(1u, Threads);
  // Name -> number (local index * Parts + part).
  std::vector<llvm::StringMap<unsigned>> InterestingParts(Parts);
  std::vector<std::vector<llvm::StringRef>> NameOf(Parts);
  auto PartOf = [Parts](llvm::StringRef S) {
    return S.empty() ? 0u : unsigned((unsigned char)S[0]) % Parts;
  };
  parallelFor(Parts, Parts, [&](size_t P) {
    auto Add = [&](llvm::StringRef N) {
      if (PartOf(N) != P)
        return;
      auto [It, New] = InterestingParts[P].try_emplace(
          N, unsigned(NameOf[P].size() * Parts + P));
      if (New)
        NameOf[P].push_back(It->first());
    };
    for (size_t G = 0; G < Needs.Groups.size() && G < 32; ++G)
      if (All >> G & 1)
        for (const std::string &N : Needs.Groups[G])
          Add(N);
    for (const Definition &D : Defs)
      Add(D.Name);
  });
  constexpr unsigned None = ~0u;
  auto Number = [&](llvm::StringRef S) {
    const llvm::StringMap<unsigned> &M = InterestingParts[PartOf(S)];
    auto It = M.find(S);
    return It == M.end() ? None : It->second;
  };
  size_t Numbers = 0;
  for (const auto &N : NameOf)
    Numbers = std::max(Numbers, N.size() * Parts);
  // Per definition: its name's number and the numbers its body mentions.
  std::vector<std::vector<unsigned>> Refs(Defs.size());
  std::vector<unsigned> DefNumber(Defs.size());
  parallelFor(Defs.size(), Threads, [&](size_t I) {
    DefNumber[I] = Number(Defs[I].Name);
    llvm::StringRef T = Defs[I].Body;
    auto Ref = [&](unsigned K) {
      if (K != None && llvm::find(Refs[I], K) == Refs[I].end())
        Refs[I].push_back(K);
    };
    forEachIdentifier(T, [&](llvm::StringRef Id) {
      Ref(Number(Id));
      if (Id.consume_back("_noprof"))
        Ref(Number(Id));
      return false;
    });
  });
  // The fixpoint, over numbers; only definitions that mention a candidate.
  std::vector<uint32_t> Bits(Numbers, 0);
  for (size_t P = 0; P < Parts; ++P)
    for (size_t L = 0; L < NameOf[P].size(); ++L)
      Bits[L * Parts + P] = Scanner.of(NameOf[P][L]);
  std::vector<size_t> Active;
  for (size_t I = 0; I < Defs.size(); ++I)
    if (!Refs[I].empty())
      Active.push_back(I);
  std::vector<uint32_t> Initial = Bits;
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (size_t I : Active) {
      uint32_t &Has = Bits[DefNumber[I]];
      if (Has == All)
        continue;
      uint32_t Got = 0;
      for (unsigned R : Refs[I])
        Got |= Bits[R];
      Got &= ~Needs.Unclosed;
      if (uint32_t New = Got & ~Has) {
        Has |= New;
        Changed = true;
      }
    }
  }
  std::vector<std::pair<std::string, uint32_t>> Fresh;
  for (size_t K = 0; K < Numbers; ++K)
    if (Bits[K] != Initial[K]) {
      llvm::StringRef N = NameOf[K % Parts][K / Parts];
      Scanner.add(N, Bits[K]);
      if (!Initial[K])
        Fresh.emplace_back(N.str(), 1u);
    }
  return Fresh;
}

} // namespace

PrefilterPlan planPrefilter(const std::vector<std::string> &Inputs,
                            const std::vector<std::string> &ExtraHeaders,
                            const PrefilterNeeds &Needs, unsigned Threads,
                            PrefilterMemory Memory) {
  PrefilterPlan Plan;
  std::vector<uint32_t> Alternatives;
  for (const std::vector<unsigned> &A : Needs.Alternatives) {
    uint32_t M = 0;
    for (unsigned G : A)
      M |= 1u << G;
    Alternatives.push_back(M);
  }
  // Only the groups a selected check needs are closed and scanned for (a
  // sweep for one flag need not close pass 2's kmalloc/kfree names over
  // the tree: 114,764 names instead of a few thousand).
  uint32_t All = Needs.BodyGroups;
  for (uint32_t A : Alternatives)
    All |= A;
  GroupScanner Scanner;
  for (size_t G = 0; G < Needs.Groups.size() && G < 32; ++G)
    if (All >> G & 1)
      for (const std::string &N : Needs.Groups[G])
        Scanner.add(N, 1u << G);
  // The closure over the public headers' definitions alone (see
  // PrefilterNeeds::PublicDirs): what a unit that includes no local header
  // can mean by a name.
  GroupScanner PublicScanner = Scanner;
  auto Wanted = [&](uint32_t Got) {
    for (uint32_t A : Alternatives)
      if ((Got & A) == A)
        return true;
    return false;
  };
  auto IsLocal = [&](llvm::StringRef H) {
    return !Needs.PublicDirs.empty() &&
           llvm::none_of(Needs.PublicDirs, [&](const std::string &D) {
             return H.starts_with(D);
           });
  };
  std::set<std::string> InputSet(Inputs.begin(), Inputs.end());

  // Headers: read them all, collect their definitions, close the groups
  // over them.
  std::vector<std::string> Headers;
  for (const std::string &F : Inputs)
    if (isHeader(F))
      Headers.push_back(F);
  for (const std::string &F : ExtraHeaders)
    if (!InputSet.count(F))
      Headers.push_back(F);
  // The include graph's input (every file's #include lines) is large and
  // made of small allocations: unless Memory says otherwise it is never
  // freed, which saves the run the time of free() at the end of the scan;
  // the process ends soon after. The taken headers' code and definitions
  // are released before the sources are read (the scan's peak memory).
  std::vector<Definition> Defs;
  llvm::StringSet<> LocalDefiners; // see below
  using IncludeMap = std::map<std::string, std::vector<IncludeLine>>;
  std::unique_ptr<IncludeMap> OwnedIncludes(new IncludeMap());
  IncludeMap &Includes = *OwnedIncludes;
  auto KeepIncludes = llvm::make_scope_exit([&] {
    if (Memory == PrefilterMemory::KeepToExit)
      (void)OwnedIncludes.release();
  });
  // Every header is read (its #include lines feed the include graph), but
  // only those whose text mentions a keyword are taken apart (comments,
  // definitions), in rounds: a round's closure gives new keywords, which
  // make more headers worth taking apart. That is the closure over every
  // header: a definition whose body mentions no keyword gains no group,
  // and a header that mentions no keyword of the closed groups defines
  // none and is no site header (its comment-stripped code mentions less
  // than its text).
  std::vector<std::string> Code(Headers.size());
  std::vector<llvm::StringRef> HeaderCode(Headers.size());
  {
    std::vector<char> Read(Headers.size(), 0), Taken(Headers.size(), 0);
    std::vector<std::vector<IncludeLine>> Inc(Headers.size());
    std::vector<std::vector<Definition>> D(Headers.size());
    std::vector<std::pair<std::string, uint32_t>> Fresh; // names to look for
    for (size_t G = 0; G < Needs.Groups.size() && G < 32; ++G)
      if (All >> G & 1)
        for (const std::string &N : Needs.Groups[G])
          Fresh.emplace_back(N, 1u);
    for (bool First = true; !Fresh.empty(); First = false) {
      KeywordScan Look(Fresh); // every name in group 1: stop at the first
      std::vector<char> NewlyTaken(Headers.size(), 0);
      parallelFor(Headers.size(), Threads, [&](size_t I) {
        if (Taken[I] || (!First && !Read[I]))
          return;
        auto B = llvm::MemoryBuffer::getFile(Headers[I]);
        if (!B)
          return;
        Read[I] = 1;
        llvm::StringRef Raw = (*B)->getBuffer();
        if (First)
          Inc[I] = includeLines(Raw);
        if (!Look.scan(Raw, 1u))
          return;
        std::string Stripped = stripComments(Raw);
        // Only a comment mentions the names ("free of charge" in a license
        // over 24 MB of amdgpu register masks): nothing of its code can
        // join a group this round. Not kept: it is read again next round,
        // taken when its code mentions a name new then.
        if (!Look.scan(Stripped, 1u))
          return;
        Taken[I] = NewlyTaken[I] = 1;
        Code[I] = std::move(Stripped);
        HeaderCode[I] = Code[I];
        for (const std::string &F : Needs.ForeignDirs)
          if (llvm::StringRef(Headers[I]).starts_with(F))
            return;
        D[I] = definitions(HeaderCode[I]);
        functionDefinitions(HeaderCode[I], D[I]);
      });
      for (size_t I = 0; I < Headers.size(); ++I)
        if (NewlyTaken[I])
          Defs.insert(Defs.end(), D[I].begin(), D[I].end());
      Fresh = closeGroups(Defs, Needs, All, Threads, Scanner);
    }
    // Local headers (outside Needs.PublicDirs) whose definitions gave a
    // name groups the public headers alone do not: a driver's
    // `#define priv(dev) netdev_priv(dev)` makes `priv` a keyword only for
    // the units that can include that header.
    if (!Needs.PublicDirs.empty()) {
      std::vector<Definition> PublicDefs;
      for (size_t I = 0; I < Headers.size(); ++I)
        if (Taken[I] && !IsLocal(Headers[I]))
          PublicDefs.insert(PublicDefs.end(), D[I].begin(), D[I].end());
      (void)closeGroups(PublicDefs, Needs, All, Threads, PublicScanner);
      for (size_t I = 0; I < Headers.size(); ++I)
        if (Taken[I] && IsLocal(Headers[I]) &&
            llvm::any_of(D[I], [&](const Definition &Def) {
              return Scanner.of(Def.Name) & ~PublicScanner.of(Def.Name);
            }))
          LocalDefiners.insert(Headers[I]);
    }
    for (size_t I = 0; I < Headers.size(); ++I) {
      if (!Read[I]) {
        if (InputSet.count(Headers[I]))
          Plan.Unreadable.push_back(Headers[I]);
        continue;
      }
      Includes[Headers[I]] = std::move(Inc[I]);
    }
  }
  Plan.HeadersScanned = Headers.size();
  Plan.HeadersTaken =
      size_t(std::count_if(Code.begin(), Code.end(),
                           [](const std::string &C) { return !C.empty(); }));
  // Built when needed (local headers' names, site headers).
  std::unique_ptr<IncludeResolver> OwnedResolver;
  auto KeepResolver = llvm::make_scope_exit([&] {
    if (Memory == PrefilterMemory::KeepToExit)
      (void)OwnedResolver.release();
  });
  auto Resolver = [&]() -> const IncludeResolver & {
    if (!OwnedResolver)
      OwnedResolver.reset(new IncludeResolver(Headers));
    return *OwnedResolver;
  };
  // The closed groups' names, for the scans below.
  KeywordScan Fast(Scanner.entries());
  Plan.Keywords = Scanner.size();
  Plan.KeywordNames = Scanner.names(~0u);
  std::sort(Plan.KeywordNames.begin(), Plan.KeywordNames.end());
  if (Needs.BodyGroups)
    Plan.BodyNames = Scanner.names(Needs.BodyGroups);

  // Names that headers mentioning a flag name use (see WrapperGroup).
  llvm::StringSet<> NamedByFlagHeaders;
  // Site headers: their code (comments stripped: a comment is no site)
  // mentions what a check needs.
  std::vector<std::string> Sites;
  {
    std::vector<char> Mentions(Headers.size(), 0), NamesFlag(Headers.size(), 0);
    // The other groups of an alternative with the wrapper group (the flag
    // names): headers that mention them may call a unit's wrapper with it.
    uint32_t Others = 0;
    if (Needs.WrapperGroup >= 0)
      for (uint32_t A : Alternatives)
        if (A >> Needs.WrapperGroup & 1)
          Others |= A & ~(1u << Needs.WrapperGroup);
    parallelFor(Headers.size(), Threads, [&](size_t I) {
      if (HeaderCode[I].empty())
        return;
      uint32_t Got = Fast.scan(HeaderCode[I], All);
      Mentions[I] = Wanted(Got);
      NamesFlag[I] = (Got & Others) != 0;
    });
    for (size_t I = 0; I < Headers.size(); ++I) {
      if (!NamesFlag[I])
        continue;
      forEachIdentifier(HeaderCode[I], [&](llvm::StringRef Id) {
        NamedByFlagHeaders.insert(Id);
        return false;
      });
    }
    for (size_t I = 0; I < Headers.size(); ++I) {
      if (Mentions[I])
        Sites.push_back(Headers[I]);
      if (InputSet.count(Headers[I]))
        (Mentions[I] ? Plan.Keep : Plan.Skip).push_back(Headers[I]);
    }
  }

  std::vector<Definition>().swap(Defs);
  std::vector<llvm::StringRef>().swap(HeaderCode);
  std::vector<std::string>().swap(Code);

  // Sources: kept when they mention what a check needs (comments count);
  // the #include lines of the others feed the include graph.
  {
    std::vector<const std::string *> Sources;
    for (const std::string &F : Inputs)
      if (!isHeader(F))
        Sources.push_back(&F);
    // 0 unreadable, 1 keep, 2 skip, 3 kept only through local headers'
    // names: kept if it can include one of those headers.
    std::vector<char> State(Sources.size(), 0);
    std::vector<std::vector<IncludeLine>> Inc(Sources.size());
    std::optional<KeywordScan> PublicFast;
    if (!LocalDefiners.empty())
      PublicFast.emplace(PublicScanner.entries());
    auto Decide = [&](llvm::StringRef Raw, const KeywordScan &Look,
                      const GroupScanner &Names) {
      uint32_t Got = Look.scan(Raw, All);
      bool Keep = false;
      // Alternatives of several groups the text meets at least in part:
      // the unit may define a wrapper a header calls with the rest.
      std::vector<uint32_t> Several;
      bool MayWrap = Needs.WrapperGroup >= 0 &&
                     (Got >> Needs.WrapperGroup & 1) && Raw.contains("gfp_t");
      for (size_t K = 0; K < Alternatives.size(); ++K) {
        uint32_t A = Alternatives[K];
        if (llvm::popcount(A) == 1 ||
            (K < Needs.FileWide.size() && Needs.FileWide[K]))
          Keep |= (Got & A) == A;
        else if ((Got & A) == A || (MayWrap && (A >> Needs.WrapperGroup & 1)))
          Several.push_back(A);
      }
      if (!Keep && !Several.empty())
        Keep = someFunctionMentions(Raw, Names, Several, NamedByFlagHeaders);
      return Keep;
    };
    parallelFor(Sources.size(), Threads, [&](size_t I) {
      auto B = llvm::MemoryBuffer::getFile(*Sources[I]);
      if (!B)
        return;
      llvm::StringRef Raw = (*B)->getBuffer();
      bool Keep = Decide(Raw, Fast, Scanner);
      State[I] = Keep ? 1 : 2;
      if (Keep && PublicFast && !Decide(Raw, *PublicFast, PublicScanner))
        State[I] = 3;
      if (State[I] != 1)
        Inc[I] = includeLines(Raw);
    });
    if (PublicFast) {
      // PublicDirs' first is TREE/include/.
      llvm::StringRef Root(Needs.PublicDirs.front());
      Root.consume_back("include/");
      LocalHeaderReach Reach(Resolver(), Includes, LocalDefiners, Root,
                             IsLocal);
      for (size_t I = 0; I < Sources.size(); ++I)
        if (State[I] == 3)
          State[I] = Reach.sees(*Sources[I], Inc[I]) ? 1 : 2;
    }
    for (size_t I = 0; I < Sources.size(); ++I) {
      if (!State[I]) {
        Plan.Unreadable.push_back(*Sources[I]);
        continue;
      }
      (State[I] == 1 ? Plan.Keep : Plan.Skip).push_back(*Sources[I]);
      if (State[I] == 2)
        Includes[*Sources[I]] = std::move(Inc[I]);
    }
  }

  // Reverse include graph over the scanned headers: who includes whom
  // (nodes are the strings of Headers and of Includes' keys, which stay put).
  if (Sites.empty()) {
    std::sort(Plan.Keep.begin(), Plan.Keep.end());
    std::sort(Plan.Skip.begin(), Plan.Skip.end());
    return Plan;
  }
  using Node = IncludeResolver::Node;
  const IncludeResolver &Graph = Resolver();
  std::vector<std::pair<Node, const std::vector<IncludeLine> *>> Froms;
  for (const auto &[From, Lines] : Includes) {
    // A header is one node, whether it includes or is included.
    Node N = Graph.node(From);
    Froms.emplace_back(N ? N : &From, &Lines);
  }
  std::vector<std::vector<Node>> Targets(Froms.size());
  parallelFor(Froms.size(), Threads, [&](size_t I) {
    for (const IncludeLine &L : *Froms[I].second)
      Graph.resolve(*Froms[I].first, L, Targets[I]);
  });
  llvm::DenseMap<Node, std::vector<Node>> IncludedBy;
  for (size_t I = 0; I < Froms.size(); ++I)
    for (Node T : Targets[I])
      IncludedBy[T].push_back(Froms[I].first);
  auto ByName = [](Node A, Node B) { return *A < *B; };
  for (const std::string &S : Sites) {
    std::vector<std::string> Units;
    Node Start = Graph.node(S);
    llvm::DenseSet<Node> Seen{Start};
    std::vector<Node> Level{Start};
    while (!Level.empty() && Units.size() < 4) {
      std::vector<Node> Next, Found;
      for (Node H : Level) {
        auto It = IncludedBy.find(H);
        if (It == IncludedBy.end())
          continue;
        for (Node F : It->second) {
          if (!Seen.insert(F).second)
            continue;
          (isHeader(*F) ? Next : Found).push_back(F);
        }
      }
      std::sort(Found.begin(), Found.end(), ByName);
      for (Node F : Found)
        if (Units.size() < 4)
          Units.push_back(*F);
      std::sort(Next.begin(), Next.end(), ByName);
      Level = std::move(Next);
    }
    Plan.SiteHeaders.emplace_back(S, std::move(Units));
  }
  std::sort(Plan.Keep.begin(), Plan.Keep.end());
  std::sort(Plan.Skip.begin(), Plan.Skip.end());
  return Plan;
}

} // namespace vmalloc_lint
