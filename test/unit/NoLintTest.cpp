// Inline suppressions (matchers/text/NoLint.h) with clang-tidy 19's rules.
#include "matchers/text/NoLint.h"

#include <gtest/gtest.h>

#include <functional>
#include <set>

using namespace vmalloc_lint;

namespace {

const char *const Check = "vmalloc-redundant-highmem";

/// Whether Check is suppressed at the first occurrence of Marker in Text.
bool suppressedAt(const std::string &Text, const std::string &Marker,
                  const char *Name = Check) {
  size_t Off = Text.find(Marker);
  EXPECT_NE(Off, std::string::npos) << Marker;
  return noLintAt(Text, noLintBlocks(Text), Off, Name);
}

TEST(NoLint, SameLineBareAndListed) {
  EXPECT_TRUE(suppressedAt("p = f(HI); // NOLINT\n", "HI"));
  EXPECT_TRUE(suppressedAt("p = f(HI); /* NOLINT */ q();\n", "HI"));
  EXPECT_TRUE(
      suppressedAt("p = f(HI); // NOLINT(vmalloc-redundant-highmem)\n", "HI"));
  EXPECT_TRUE(suppressedAt(
      "p = f(HI); // NOLINT( misc-x , vmalloc-redundant-highmem )\n", "HI"));
  EXPECT_TRUE(suppressedAt("p = f(HI); // NOLINT(vmalloc-*)\n", "HI"));
  EXPECT_TRUE(suppressedAt("p = f(HI); // NOLINT(*highmem)\n", "HI"));
  // Another check, an empty list, a negative glob: not this one.
  EXPECT_FALSE(suppressedAt("p = f(HI); // NOLINT(vmalloc-zone-gfp)\n", "HI"));
  EXPECT_FALSE(suppressedAt("p = f(HI); // NOLINT()\n", "HI"));
  EXPECT_FALSE(
      suppressedAt("p = f(HI); // NOLINT(-vmalloc-redundant-highmem)\n", "HI"));
  // Case matters, and NOLINTX is no directive; a '(' without ')' on the line
  // is the bare form.
  EXPECT_FALSE(suppressedAt("p = f(HI); // nolint\n", "HI"));
  EXPECT_FALSE(suppressedAt("p = f(HI); // NOLINTX\n", "HI"));
  EXPECT_TRUE(suppressedAt("p = f(HI); // NOLINT(vmalloc-zone-gfp\n", "HI"));
  // Another line: not suppressed.
  EXPECT_FALSE(suppressedAt("a(); // NOLINT\np = f(HI);\n", "HI"));
  EXPECT_FALSE(suppressedAt("p = f(HI);\n// NOLINT\n", "HI"));
  // NOLINTNEXTLINE on the same line does not count.
  EXPECT_FALSE(suppressedAt("p = f(HI); // NOLINTNEXTLINE\n", "HI"));
}

TEST(NoLint, NextLine) {
  EXPECT_TRUE(suppressedAt("// NOLINTNEXTLINE\np = f(HI);\n", "HI"));
  EXPECT_TRUE(suppressedAt(
      "// NOLINTNEXTLINE(vmalloc-redundant-highmem)\np = f(HI);\n", "HI"));
  EXPECT_FALSE(
      suppressedAt("// NOLINTNEXTLINE(vmalloc-zone-gfp)\np = f(HI);\n", "HI"));
  // Two lines above: not suppressed; a NOLINT on the line before neither.
  EXPECT_FALSE(suppressedAt("// NOLINTNEXTLINE\n\np = f(HI);\n", "HI"));
  EXPECT_FALSE(suppressedAt("// NOLINT\np = f(HI);\n", "HI"));
  // First line of the file: no line before it.
  EXPECT_FALSE(suppressedAt("p = f(HI);\n", "HI"));
}

TEST(NoLint, Blocks) {
  const std::string B = "// NOLINTBEGIN(vmalloc-*)\n"
                        "p = f(IN1);\n"
                        "// NOLINTBEGIN(vmalloc-zone-gfp)\n"
                        "q = f(IN2);\n"
                        "// NOLINTEND(vmalloc-zone-gfp)\n"
                        "// NOLINTEND(vmalloc-*)\n"
                        "r = f(OUT);\n";
  EXPECT_TRUE(suppressedAt(B, "IN1"));
  EXPECT_TRUE(suppressedAt(B, "IN2"));
  EXPECT_TRUE(suppressedAt(B, "IN2", "vmalloc-zone-gfp"));
  EXPECT_FALSE(suppressedAt(B, "OUT"));
  EXPECT_FALSE(suppressedAt(B, "IN1", "misc-other"));
  // An END must name the same list as the BEGIN it closes; an unmatched
  // BEGIN suppresses nothing.
  EXPECT_FALSE(suppressedAt("// NOLINTBEGIN(vmalloc-*)\np = f(HI);\n"
                            "// NOLINTEND(vmalloc-zone-gfp)\n",
                            "HI"));
  EXPECT_FALSE(suppressedAt("// NOLINTBEGIN\np = f(HI);\n", "HI"));
  // Bare BEGIN/END: every check; the list is compared with its items
  // trimmed.
  EXPECT_TRUE(suppressedAt("// NOLINTBEGIN\np = f(HI);\n// NOLINTEND\n", "HI"));
  EXPECT_TRUE(suppressedAt("/* NOLINTBEGIN(a, vmalloc-*) */\np = f(HI);\n"
                           "/* NOLINTEND(a,vmalloc-*) */\n",
                           "HI"));
}

TEST(NoLint, FilterLooksAtExpansionSites) {
  std::map<std::string, std::string> Files{
      {"/h.h", "#define HI_GFP (GFP_KERNEL | __GFP_HIGHMEM)\n"},
      {"/a.c",
       "p = __vmalloc(n, HI_GFP); // NOLINT(vmalloc-redundant-highmem)\n"
       "q = __vmalloc(n, HI_GFP);\n"}};
  NoLintFilter Filter(noLintTextFromDisk(&Files));
  auto At = [&](const std::string &File, const std::string &Marker,
                size_t From = 0) {
    SourcePoint P;
    P.File = File;
    P.Offset = unsigned(Files[File].find(Marker, From));
    return P;
  };
  Finding Suppressed;
  Suppressed.Check = Check;
  Suppressed.Where = At("/h.h", "__GFP_HIGHMEM");
  Suppressed.Expansions.push_back(At("/a.c", "HI_GFP"));
  Finding Kept = Suppressed;
  Kept.Expansions = {At("/a.c", "HI_GFP", Files["/a.c"].find('\n'))};
  Finding Unreadable = Suppressed;
  Unreadable.Where.File = "/nonexistent/vl-nolint.c";
  Unreadable.Expansions.clear();
  EXPECT_TRUE(Filter.suppresses(Suppressed));
  EXPECT_FALSE(Filter.suppresses(Kept));
  std::vector<Finding> All{Suppressed, Kept, Unreadable};
  EXPECT_EQ(Filter.apply(All), 1u);
  ASSERT_EQ(All.size(), 2u);
  EXPECT_EQ(All[0].Expansions.front().Offset, Kept.Expansions.front().Offset);
}

// --warn-unused-nolint: which directives suppressed nothing and only this
// tool's checks could use.
TEST(NoLint, UnusedDirectives) {
  const std::string Text =
      "a = f(HI); // NOLINT(vmalloc-redundant-highmem)\n" // used
      "b = f(LO); // NOLINT(vmalloc-redundant-highmem)\n" // stale
      "// NOLINTNEXTLINE(vmalloc-*)\n"                    // stale
      "c = g();\n"
      "d = g(); // NOLINT\n"                               // bare: never
      "e = g(); // NOLINT(bugprone-x, vmalloc-zone-gfp)\n" // another tool's
      "/* NOLINTBEGIN(vmalloc-zone-gfp) */ x = g(); /* "
      "NOLINTEND(vmalloc-zone-gfp) */\n"
      "f = g(); // NOLINT(vmalloc-free-mismatch)\n"; // stale, if run
  const std::vector<std::string> Known{
      "vmalloc-redundant-highmem", "vmalloc-zone-gfp", "vmalloc-free-mismatch"};
  std::set<size_t> Used{Text.find("NOLINT")};
  auto Unused = [&](std::function<bool(const std::string &)> Enabled) {
    std::vector<size_t> Got;
    for (const NoLintToken &T : unusedNoLints(Text, Used, Known, Enabled))
      Got.push_back(T.Pos);
    return Got;
  };
  size_t B = Text.find("NOLINT", Text.find("b = "));
  size_t Next = Text.find("NOLINTNEXTLINE"), Begin = Text.find("NOLINTBEGIN");
  size_t F = Text.find("NOLINT", Text.find("f = "));
  // Every check run: the four stale ones.
  EXPECT_EQ(Unused([](const std::string &) { return true; }),
            (std::vector<size_t>{B, Next, Begin, F}));
  // vmalloc-free-mismatch not run: its NOLINT, and vmalloc-*, may be in use
  // in a run that has it.
  EXPECT_EQ(
      Unused([](const std::string &C) { return C != "vmalloc-free-mismatch"; }),
      (std::vector<size_t>{B, Begin}));
}

// The filter records the directive that suppressed a finding: the line's,
// or for a block its NOLINTBEGIN.
TEST(NoLint, FilterRecordsTheDirectiveUsed) {
  std::map<std::string, std::string> Files{
      {"/a.c",
       "/* NOLINTBEGIN(vmalloc-*) */\np = __vmalloc(n, HI);\n"
       "/* NOLINTEND(vmalloc-*) */\nq = __vmalloc(n, HI); // NOLINT\n"}};
  NoLintFilter Filter(noLintTextFromDisk(&Files));
  std::vector<Finding> All(2);
  for (Finding &F : All) {
    F.Check = Check;
    F.Where.File = "/a.c";
    F.Where.Line = 1;
  }
  const std::string &T = Files["/a.c"];
  All[0].Where.Offset = unsigned(T.find("HI"));
  All[1].Where.Offset = unsigned(T.find("HI", T.find("q = ")));
  EXPECT_EQ(Filter.apply(All), 2u);
  std::set<size_t> Want{T.find("NOLINTBEGIN"),
                        T.find("NOLINT", T.find("q = "))};
  EXPECT_EQ(Filter.used().at("/a.c"), Want);
}

} // namespace
