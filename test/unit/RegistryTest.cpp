// The check registry holds the checks' names, summaries and documentation:
// the README's check table, the doc pages and the check files must agree
// with it (a check is a row and a file named after it).
#include "matchers/checks/CheckRegistry.h"
#include "matchers/checks/SinkCheck.h"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

using namespace vmalloc_lint;

namespace {

std::string source(const std::string &Rel) {
  std::ifstream In(std::string(VMALLOC_LINT_SOURCE_DIR) + "/" + Rel);
  std::stringstream S;
  S << In.rdbuf();
  return S.str();
}

/// vmalloc-redundant-highmem -> RedundantHighmem (its file:
/// RedundantHighmemCheck.cpp, as clang-tidy names check files)
std::string fileStem(const std::string &Name) {
  std::string Out;
  bool Up = true;
  for (char C : Name.substr(std::string("vmalloc-").size())) {
    if (C == '-') {
      Up = true;
      continue;
    }
    Out += Up ? char(std::toupper((unsigned char)C)) : C;
    Up = false;
  }
  return Out;
}

} // namespace

TEST(Registry, RowsAreWellFormed) {
  std::set<std::string> Names;
  bool SeenPassTwo = false;
  for (const CheckRow &R : checkRegistry()) {
    std::string Name = R.Name;
    EXPECT_EQ(Name.rfind("vmalloc-", 0), 0u) << Name;
    EXPECT_TRUE(Names.insert(Name).second) << "duplicate " << Name;
    EXPECT_EQ(findCheck(Name), &R);
    ASSERT_TRUE(R.Pass == 1 || R.Pass == 2) << Name;
    // Pass 1 rows first; each pass's rows have that pass's rule.
    if (R.Pass == 2)
      SeenPassTwo = true;
    else
      EXPECT_FALSE(SeenPassTwo) << Name << " after a pass-2 row";
    // Pass 1: a site rule; pass 2: a sink rule or a code shape's rule, one.
    EXPECT_EQ(R.CheckSite != nullptr, R.Pass == 1) << Name;
    EXPECT_EQ((R.Sinks != nullptr) + (R.Refactor != nullptr),
              R.Pass == 2 ? 1 : 0)
        << Name;
    EXPECT_EQ(std::string(R.Doc), "docs/checks/" + Name + ".md");
    EXPECT_FALSE(R.Prefilter.empty()) << Name;
    EXPECT_FALSE(std::string(R.Summary).empty()) << Name;
  }
  EXPECT_EQ(findCheck("vmalloc-nonsense"), nullptr);
}

TEST(Registry, EachCheckHasItsFileAndPage) {
  for (const CheckRow &R : checkRegistry()) {
    std::string File = "matchers/checks/" + fileStem(R.Name) + "Check.cpp";
    std::string Code = source(File);
    ASSERT_FALSE(Code.empty()) << R.Name << ": no " << File;
    // The file's header says which check it is.
    EXPECT_EQ(Code.rfind("// " + std::string(R.Name) + ":", 0), 0u) << File;
    std::string Page = source(R.Doc);
    ASSERT_FALSE(Page.empty()) << R.Name << ": no " << R.Doc;
    EXPECT_EQ(Page.rfind("# " + std::string(R.Name) + "\n", 0), 0u) << R.Doc;
    EXPECT_NE(Page.find(File), std::string::npos)
        << R.Doc << " does not name " << File;
  }
}

TEST(Registry, ReadmeTableIsTheRegistry) {
  // | [vmalloc-NAME](docs/checks/vmalloc-NAME.md) | PASS | SUMMARY |
  std::regex Row(
      R"(^\| \[(vmalloc-[a-z0-9-]+)\]\(([^)]+)\) \| ([12]) \| (.*) \|$)");
  std::istringstream In(source("README.md"));
  std::vector<std::vector<std::string>> Table;
  for (std::string L; std::getline(In, L);) {
    std::smatch M;
    if (std::regex_match(L, M, Row))
      Table.push_back({M[1], M[2], M[3], M[4]});
  }
  const auto &Rows = checkRegistry();
  ASSERT_EQ(Table.size(), Rows.size());
  for (size_t I = 0; I < Rows.size(); ++I) {
    EXPECT_EQ(Table[I][0], Rows[I].Name);
    EXPECT_EQ(Table[I][1], Rows[I].Doc);
    EXPECT_EQ(Table[I][2], std::to_string(Rows[I].Pass));
    EXPECT_EQ(Table[I][3], Rows[I].Summary) << Rows[I].Name;
  }
}

TEST(Registry, OpenCodedKvfreeIsACodeShapeSinceKvfree) {
  // A code shape (matchers/refactor/), not a sink verdict: kvfree() exists
  // from v3.15 (39f1f78d53b9), the fix replaces the code.
  const CheckRow *R = findCheck("vmalloc-open-coded-kvfree");
  ASSERT_NE(R, nullptr);
  EXPECT_EQ(R->Pass, 2u);
  EXPECT_NE(R->Refactor, nullptr);
  EXPECT_EQ(R->Sinks, nullptr);
  EXPECT_EQ(R->Fix, FixKind::ReplaceCode);
  EXPECT_FALSE(R->Kernels.contains({3, 14}));
  EXPECT_TRUE(R->Kernels.contains({3, 15}));
  EXPECT_TRUE(R->Kernels.contains({6, 1}));
  // The guard and both frees, in one function; or kvfree (a wrapper's body)
  // or an imported wrapper's name anywhere in the unit.
  ASSERT_EQ(R->Prefilter.size(), 2u);
  EXPECT_EQ(R->Prefilter[1].Groups,
            std::vector<TextGroup>{TextGroup::KvfreeWrapper});
  EXPECT_TRUE(R->Prefilter[1].FileWide);
  EXPECT_EQ(R->Prefilter[0].Groups,
            (std::vector<TextGroup>{TextGroup::Guard, TextGroup::LinearFreeSink,
                                    TextGroup::VmallocFreeSink}));
  EXPECT_FALSE(R->Prefilter[0].FileWide);
  // No sink verdict of its own: kvfree() takes any memory.
  DeviceDma D;
  for (const SinkVerdict &V :
       judgeSink(SinkKind::LinearFree, MemValue::of(mem::Vmalloc), D))
    EXPECT_STRNE(V.Check, "vmalloc-open-coded-kvfree");
}

TEST(Registry, SinkVerdictsComeInRegistryOrder) {
  // A stack buffer at a streaming-DMA sink is stack-dma's; vmalloc memory
  // at the same sink is dma-map's, reported first.
  DeviceDma D;
  auto V = judgeSink(SinkKind::StreamDma,
                     MemValue::of(mem::Vmalloc | mem::Stack), D);
  ASSERT_EQ(V.size(), 2u);
  EXPECT_STREQ(V[0].Check, "vmalloc-dma-map");
  EXPECT_STREQ(V[1].Check, "vmalloc-stack-dma");
}

TEST(Registry, OpenCodedKvmallocIsACodeShapeOnEveryKernel) {
  // A code shape (matchers/refactor/): reported on every kernel, fixed from
  // v4.12 (kvmalloc's rules, matchers/kernel/KvmallocApi.cpp).
  const CheckRow *R = findCheck("vmalloc-open-coded-kvmalloc");
  ASSERT_NE(R, nullptr);
  EXPECT_EQ(R->Pass, 2u);
  EXPECT_NE(R->Refactor, nullptr);
  EXPECT_EQ(R->Sinks, nullptr);
  EXPECT_EQ(R->Fix, FixKind::ReplaceCode);
  EXPECT_TRUE(R->Kernels.contains({4, 9}));
  EXPECT_TRUE(R->Kernels.contains({6, 1}));
  // Both allocators of the pair, anywhere in the unit (a header's helper
  // and its call); not every linear and vmalloc source (kvmalloc is both).
  ASSERT_EQ(R->Prefilter.size(), 1u);
  EXPECT_EQ(R->Prefilter[0].Groups,
            (std::vector<TextGroup>{TextGroup::KmallocSide,
                                    TextGroup::VmallocFallback}));
  EXPECT_TRUE(R->Prefilter[0].FileWide);
}
