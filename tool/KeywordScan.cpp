#include "tool/KeywordScan.h"

#include "matchers/text/CodeText.h"

#include <hs.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>

namespace vmalloc_lint {

namespace {

/// Each thread's scratch space, for the last matcher it scanned with.
struct ThreadScratch {
  uint64_t Owner = 0;
  hs_scratch_t *Scratch = nullptr;
  ~ThreadScratch() {
    if (Scratch)
      hs_free_scratch(Scratch);
  }
};
thread_local ThreadScratch Mine;
std::atomic<uint64_t> NextId{1};

bool isIdentifier(llvm::StringRef N) {
  if (N.empty() || !isIdentStart(N[0]))
    return false;
  for (char C : N)
    if (!isIdentChar(C))
      return false;
  return true;
}

} // namespace

struct KeywordScan::Impl {
  uint64_t Id = NextId++;
  hs_database_t *Db = nullptr;
  hs_scratch_t *Prototype = nullptr;
  std::vector<uint32_t> Groups; ///< by pattern id
  std::vector<unsigned> Length; ///< by pattern id
};

KeywordScan::KeywordScan(
    const std::vector<std::pair<std::string, uint32_t>> &Names)
    : I(std::make_unique<Impl>()) {
  std::vector<const char *> Text;
  std::vector<size_t> Lens;
  std::vector<unsigned> Flags, Ids;
  for (const auto &[Name, Groups] : Names) {
    if (!Groups || !isIdentifier(Name))
      continue;
    Ids.push_back(unsigned(Text.size()));
    Text.push_back(Name.data());
    Lens.push_back(Name.size());
    Flags.push_back(0);
    I->Groups.push_back(Groups);
    I->Length.push_back(unsigned(Name.size()));
  }
  if (Text.empty())
    return;
  hs_compile_error_t *Err = nullptr;
  if (hs_compile_lit_multi(Text.data(), Flags.data(), Ids.data(), Lens.data(),
                           unsigned(Text.size()), HS_MODE_BLOCK, nullptr,
                           &I->Db, &Err) != HS_SUCCESS) {
    // Literals of identifier characters always compile: a failure is a
    // broken library or no memory, and the run cannot go on without a scan.
    std::fprintf(stderr, "vmalloc-lint: the keyword scan failed to build: %s\n",
                 Err && Err->message ? Err->message : "unknown error");
    std::abort();
  }
  if (hs_alloc_scratch(I->Db, &I->Prototype) != HS_SUCCESS) {
    std::fprintf(stderr, "vmalloc-lint: no memory for the keyword scan\n");
    std::abort();
  }
}

KeywordScan::~KeywordScan() {
  if (I->Prototype)
    hs_free_scratch(I->Prototype);
  if (I->Db)
    hs_free_database(I->Db);
}

namespace {
struct Match {
  const char *T; ///< the whole text
  size_t N;
  size_t Offset; ///< of the piece being scanned
  const uint32_t *Groups;
  const unsigned *Length;
  uint32_t Got = 0, Want;
};

/// A literal's match counts when it is a whole identifier, or one with
/// the `_noprof` suffix.
int onMatch(unsigned Id, unsigned long long, unsigned long long To, unsigned,
            void *Ctx) {
  Match &M = *static_cast<Match *>(Ctx);
  size_t End = M.Offset + size_t(To), Begin = End - M.Length[Id];
  if (Begin > 0 && isIdentChar(M.T[Begin - 1]))
    return 0;
  if (End < M.N && isIdentChar(M.T[End])) {
    llvm::StringRef Rest(M.T + End, M.N - End);
    if (!Rest.starts_with("_noprof") ||
        (Rest.size() > 7 && isIdentChar(Rest[7])))
      return 0;
  }
  M.Got |= M.Groups[Id];
  return M.Got == M.Want ? 1 : 0; // 1: stop the scan
}
} // namespace

uint32_t KeywordScan::scan(llvm::StringRef Text, uint32_t Want) const {
  if (!I->Db || Text.empty())
    return 0;
  if (Mine.Owner != I->Id) {
    if (Mine.Scratch)
      hs_free_scratch(Mine.Scratch);
    Mine.Scratch = nullptr;
    if (hs_clone_scratch(I->Prototype, &Mine.Scratch) != HS_SUCCESS) {
      std::fprintf(stderr, "vmalloc-lint: no memory for the keyword scan\n");
      std::abort();
    }
    Mine.Owner = I->Id;
  }
  Match M{Text.data(),      Text.size(), 0,   I->Groups.data(),
          I->Length.data(), 0,           Want};
  // hs_scan takes an unsigned length: texts above 4 GiB in pieces that
  // overlap by more than the longest name.
  constexpr size_t Piece = size_t(1) << 31;
  for (size_t From = 0; From < Text.size();) {
    size_t Len = std::min(Text.size() - From, Piece);
    M.Offset = From;
    hs_error_t E = hs_scan(I->Db, Text.data() + From, unsigned(Len), 0,
                           Mine.Scratch, onMatch, &M);
    if (E == HS_SCAN_TERMINATED)
      break;
    if (From + Len >= Text.size())
      break;
    From += Len - 4096;
  }
  return M.Got;
}

} // namespace vmalloc_lint
