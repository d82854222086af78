// The prefilter's multi-keyword scan (tool/KeywordScan.h) against the walk
// it replaces: every identifier of the text looked up, `_noprof` stripped.
#include "tool/KeywordScan.h"

#include "matchers/text/CodeText.h"

#include "llvm/ADT/StringMap.h"

#include <gtest/gtest.h>

#include <random>

using namespace vmalloc_lint;

namespace {

using Names = std::vector<std::pair<std::string, uint32_t>>;

/// The reference: each identifier of T, and without `_noprof`, looked up.
uint32_t walk(const Names &N, llvm::StringRef T) {
  llvm::StringMap<uint32_t> M;
  for (const auto &[K, G] : N)
    M[K] |= G;
  uint32_t Got = 0;
  forEachIdentifier(T, [&](llvm::StringRef Id) {
    Got |= M.lookup(Id);
    if (Id.consume_back("_noprof"))
      Got |= M.lookup(Id);
    return false;
  });
  return Got;
}

const Names Family = {{"vmalloc", 1},      {"__vmalloc", 1},
                      {"kvmalloc", 1},     {"__GFP_HIGHMEM", 2},
                      {"GFP_HIGHUSER", 2}, {"vmalloc_32", 4}};

TEST(KeywordScan, WholeIdentifiersOnly) {
  KeywordScan S(Family);
  EXPECT_EQ(S.scan("p = vmalloc(n);", 7), 1u);
  EXPECT_EQ(S.scan("page = vmalloc_to_page(p);", 7), 0u);
  EXPECT_EQ(S.scan("is_vmalloc_addr(p) || my_vmalloc(n)", 7), 0u);
  EXPECT_EQ(S.scan("vmallocx vmalloc1 _vmalloc 0x1vmalloc", 7), 0u);
  EXPECT_EQ(S.scan("", 7), 0u);
  EXPECT_EQ(S.scan("vmalloc", 7), 1u);
  EXPECT_EQ(S.scan("x = __vmalloc(n, GFP_KERNEL | __GFP_HIGHMEM);", 7), 3u);
  EXPECT_EQ(S.scan("vmalloc_32(n)", 7), 4u); // not vmalloc
  EXPECT_EQ(S.scan("/* vmalloc */ \"__GFP_HIGHMEM\"", 7), 3u);
}

TEST(KeywordScan, NoprofSuffix) {
  KeywordScan S(Family);
  EXPECT_EQ(S.scan("p = __vmalloc_noprof(n, gfp);", 7), 1u);
  EXPECT_EQ(S.scan("vmalloc_noprofx(n) kmalloc_noprof _noprof", 7), 0u);
  EXPECT_EQ(S.scan("vmalloc_32_noprof", 7), 4u);
  EXPECT_EQ(S.scan("vmalloc_noprof_noprof", 7), 0u);
}

TEST(KeywordScan, StopsOnceItHasWhatIsWanted) {
  KeywordScan S(Family);
  EXPECT_EQ(S.scan("vmalloc __GFP_HIGHMEM vmalloc_32", 1), 1u);
  EXPECT_EQ(S.scan("vmalloc __GFP_HIGHMEM vmalloc_32", 7), 7u);
}

TEST(KeywordScan, NoNamesAndNoIdentifiers) {
  KeywordScan None({});
  EXPECT_EQ(None.scan("vmalloc", 1), 0u);
  KeywordScan Odd({{"not an identifier", 1}, {"9lives", 1}, {"", 1}});
  EXPECT_EQ(Odd.scan("not an identifier 9lives", 1), 0u);
}

/// Random texts over an alphabet that makes near misses likely: the same
/// answer as the walk, text after text, on one scratch and on a fresh one.
TEST(KeywordScan, SameAsTheIdentifierWalk) {
  std::mt19937 Rng(17);
  const std::vector<std::string> Pieces = {"vmalloc",
                                           "__vmalloc",
                                           "kvmalloc",
                                           "__GFP_HIGHMEM",
                                           "GFP_HIGHUSER",
                                           "vmalloc_32",
                                           "_noprof",
                                           "_",
                                           "x",
                                           "1",
                                           "0x",
                                           " ",
                                           "\n",
                                           "(",
                                           ";",
                                           "/*",
                                           "*/",
                                           "\"",
                                           "\xc3\xa9",
                                           "GFP_",
                                           "_HIGHMEM",
                                           "k"};
  KeywordScan S(Family);
  for (int Round = 0; Round < 3000; ++Round) {
    std::string T;
    for (int K = Rng() % 12; K >= 0; --K)
      T += Pieces[Rng() % Pieces.size()];
    ASSERT_EQ(S.scan(T, 7), walk(Family, T)) << "text: " << T;
  }
}

} // namespace

// A call that spans lines, as a message quotes it.
TEST(CodeText, OneLineJoinsLinesAndBlanks) {
  EXPECT_EQ(vmalloc_lint::oneLine("kvmalloc_array(size,\n\t\t\t     "
                                  "sizeof(unsigned int),  GFP_KERNEL)"),
            "kvmalloc_array(size, sizeof(unsigned int), GFP_KERNEL)");
  EXPECT_EQ(vmalloc_lint::oneLine("\n\tx"), "x");
}
