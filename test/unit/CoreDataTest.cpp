// The API table, kernel versions, --checks globs.
#include "matchers/Finding.h"
#include "matchers/checks/CheckGlob.h"
#include "matchers/kernel/KernelVersion.h"
#include "matchers/kernel/VmallocApi.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <set>

using namespace vmalloc_lint;

TEST(VmallocApi, RowsAreUniqueAndComplete) {
  std::set<std::string> Names;
  for (const VmallocApiEntry &E : vmallocApi())
    EXPECT_TRUE(Names.insert(E.Name).second) << E.Name;
  for (const char *N : {"__vmalloc",
                        "__vmalloc_node",
                        "__vmalloc_node_range",
                        "__vmalloc_node_flags",
                        "__vmalloc_node_flags_caller",
                        "__vmalloc_array",
                        "vmalloc",
                        "vzalloc",
                        "vmalloc_user",
                        "vmalloc_node",
                        "vzalloc_node",
                        "vmalloc_exec",
                        "vmalloc_32",
                        "vmalloc_32_user",
                        "kvmalloc",
                        "kvzalloc",
                        "kvmalloc_node",
                        "kvzalloc_node",
                        "kvcalloc",
                        "kvmalloc_array",
                        "kvrealloc"})
    EXPECT_TRUE(Names.count(N)) << N;
}

TEST(VmallocApi, KindsAndGfp) {
  EXPECT_EQ(lookupVmallocApi("__vmalloc")->Gfp, GfpArgument::Explicit);
  EXPECT_EQ(lookupVmallocApi("__vmalloc")->Returns, Provenance::Vmalloc);
  EXPECT_EQ(lookupVmallocApi("vzalloc")->Gfp, GfpArgument::ImplicitKernel);
  EXPECT_EQ(lookupVmallocApi("vmalloc_32_user")->Returns,
            Provenance::Vmalloc32);
  EXPECT_EQ(lookupVmallocApi("kvcalloc")->Returns, Provenance::MaybeVmalloc);
  EXPECT_EQ(lookupVmallocApi("kmalloc"), nullptr);
  EXPECT_EQ(lookupVmallocApi("my_vmalloc_helper"), nullptr);
}

TEST(VmallocApi, AllocationProfilingNames) {
  // 6.10+: kvmalloc_node() is a macro around kvmalloc_node_noprof().
  ASSERT_NE(lookupVmallocApi("kvmalloc_node_noprof"), nullptr);
  EXPECT_STREQ(lookupVmallocApi("kvmalloc_node_noprof")->Name, "kvmalloc_node");
  EXPECT_EQ(lookupVmallocApi("kmalloc_noprof"), nullptr);
}

TEST(KernelVersion, ParseAndOrder) {
  EXPECT_EQ(KernelVersion::parse("4.12")->Minor, 12);
  EXPECT_EQ(KernelVersion::parse("v6.1")->Major, 6);
  EXPECT_EQ(KernelVersion::parse("6.1.192")->Minor, 1);
  EXPECT_FALSE(KernelVersion::parse("6"));
  EXPECT_FALSE(KernelVersion::parse("six.one"));
  EXPECT_TRUE((KernelVersion{4, 9} < KernelVersion{4, 12}));
  EXPECT_TRUE((KernelVersion{4, 12} < KernelVersion{5, 0}));
  EXPECT_TRUE((KernelVersion::newest() >= KernelVersion{6, 1}));
  VersionRange R{{4, 12}, {5, 8}};
  EXPECT_TRUE(R.contains({4, 12}));
  EXPECT_FALSE(R.contains({5, 8}));
  EXPECT_FALSE(R.contains({4, 9}));
}

TEST(KernelVersion, FromMakefile) {
  std::string P = testing::TempDir() + "/vl-Makefile";
  std::ofstream(P) << "# SPDX\nVERSION = 4\nPATCHLEVEL = 9\nSUBLEVEL = 0\n";
  auto V = KernelVersion::fromMakefile(P);
  ASSERT_TRUE(V);
  EXPECT_EQ(V->str(), "4.9");
  std::ofstream(P) << "all:\n\techo\n";
  EXPECT_FALSE(KernelVersion::fromMakefile(P));
  EXPECT_FALSE(KernelVersion::fromMakefile(P + ".missing"));
  std::remove(P.c_str());
}

TEST(CheckGlob, ClangTidySyntax) {
  CheckGlob All("vmalloc-*");
  EXPECT_TRUE(All.enabled("vmalloc-redundant-highmem"));
  EXPECT_FALSE(All.enabled("misc-foo"));
  CheckGlob Minus("vmalloc-*,-vmalloc-lowmem-gfp");
  EXPECT_TRUE(Minus.enabled("vmalloc-zone-gfp"));
  EXPECT_FALSE(Minus.enabled("vmalloc-lowmem-gfp"));
  CheckGlob Later("-*,vmalloc-zone-gfp");
  EXPECT_TRUE(Later.enabled("vmalloc-zone-gfp"));
  EXPECT_FALSE(Later.enabled("vmalloc-redundant-highmem"));
  CheckGlob Spaces(" vmalloc-*-highmem , -vmalloc-kvmalloc-highmem ");
  EXPECT_TRUE(Spaces.enabled("vmalloc-redundant-highmem"));
  EXPECT_FALSE(Spaces.enabled("vmalloc-kvmalloc-highmem"));
  EXPECT_FALSE(CheckGlob("").enabled("vmalloc-zone-gfp"));
}

// One finding for a flag that several calls share (a gfp macro used by
// __vmalloc_array() and __vmalloc()): the message names every callee, once.
TEST(MergeResults, SharedFlagNamesEveryCall) {
  using namespace vmalloc_lint;
  auto Make = [](const std::string &Call) {
    Finding F;
    F.Check = "vmalloc-redundant-highmem";
    F.Where.File = "/d.c";
    F.Where.Offset = 10;
    F.Calls = {Call};
    F.Message = "redundant __GFP_HIGHMEM passed to " + Call +
                ": vmalloc adds it itself since v4.12";
    return F;
  };
  AnalysisResult From;
  for (const char *C : {"__vmalloc_array()", "__vmalloc()", "__vmalloc()",
                        "buf_alloc() -> __vmalloc()"})
    From.Findings.push_back(Make(C));
  AnalysisResult Into;
  mergeResults(Into, std::move(From));
  ASSERT_EQ(Into.Findings.size(), 1u);
  EXPECT_EQ(Into.Findings[0].Message,
            "redundant __GFP_HIGHMEM passed to __vmalloc_array(), __vmalloc() "
            "and buf_alloc() -> __vmalloc(): vmalloc adds it itself since "
            "v4.12");
}

// A header's site seen by units of two views (an x86 unit and an arm64
// one): one site with both views, sorted, whatever the order of the units;
// seen again by a unit of a view it has, it stays as it is.
TEST(MergeResults, HeaderSiteHasEveryUnitsView) {
  auto Site = [](const std::string &View) {
    CallSite S;
    S.Where.File = "/k/include/linux/slab.h";
    S.Where.Offset = 100;
    S.Callee = "kvmalloc";
    S.View = View;
    return S;
  };
  using Order = std::vector<std::string>;
  for (const Order &Units : {Order{"configured", "arm64 defconfig", ""},
                             Order{"arm64 defconfig", "configured"}}) {
    AnalysisResult Into;
    for (const std::string &V : Units) {
      AnalysisResult Unit;
      Unit.Sites.push_back(Site(V));
      mergeResults(Into, std::move(Unit));
    }
    ASSERT_EQ(Into.Sites.size(), 1u);
    EXPECT_EQ(Into.Sites[0].View, "arm64 defconfig; configured");
  }
  AnalysisResult Into, Unit;
  Into.Sites.push_back(Site("configured"));
  Unit.Sites.push_back(Site("configured"));
  mergeResults(Into, std::move(Unit));
  EXPECT_EQ(Into.Sites[0].View, "configured");
}
