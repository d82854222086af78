// Fix-its on in-memory code: the fixed text, byte for byte.
#include "TestSupport.h"

#include "rewriters/CallLayout.h"

#include <gtest/gtest.h>

using namespace vmalloc_lint;
using namespace vmalloc_lint::test;

namespace {
std::string fix(const std::string &Code) { return fixed(analyse(Code)); }
} // namespace

TEST(Fix, DropsHighmemEverywhereInTheChain) {
  EXPECT_EQ(
      fix("void *f(void) { return __vmalloc(8, GFP_KERNEL | __GFP_HIGHMEM | "
          "__GFP_NOWARN); }\n"),
      "void *f(void) { return __vmalloc(8, GFP_KERNEL | __GFP_NOWARN); }\n");
  EXPECT_EQ(fix("void *f(void) { return __vmalloc(8, "
                "GFP_KERNEL_ACCOUNT|__GFP_HIGHMEM); }\n"),
            "void *f(void) { return __vmalloc(8, GFP_KERNEL_ACCOUNT); }\n");
  EXPECT_EQ(fix("void *f(void) { return __vmalloc(8, __GFP_HIGHMEM | "
                "GFP_KERNEL); }\n"),
            "void *f(void) { return __vmalloc(8, GFP_KERNEL); }\n");
  EXPECT_EQ(fix("void *f(void)\n{\n\treturn __vmalloc(8, GFP_KERNEL |\n\t\t\t "
                "__GFP_HIGHMEM);\n}\n"),
            "void *f(void)\n{\n\treturn __vmalloc(8, GFP_KERNEL);\n}\n");
  EXPECT_EQ(fix("void *f(void)\n{\n\treturn __vmalloc(8, GFP_KERNEL\n\t\t\t| "
                "__GFP_HIGHMEM\n\t\t\t| __GFP_ZERO);\n}\n"),
            "void *f(void)\n{\n\treturn __vmalloc(8, GFP_KERNEL\n\t\t\t| "
            "__GFP_ZERO);\n}\n");
  EXPECT_EQ(fix("void *f(void) { return __vmalloc(8, (GFP_KERNEL | "
                "__GFP_HIGHMEM)); }\n"),
            "void *f(void) { return __vmalloc(8, (GFP_KERNEL)); }\n");
}

TEST(Fix, KeepsVariableOperands) {
  EXPECT_EQ(
      fix("void *f(gfp_t lflags) { return __vmalloc(8, lflags | __GFP_HIGHMEM "
          "| __GFP_ZERO); }\n"),
      "void *f(gfp_t lflags) { return __vmalloc(8, lflags | __GFP_ZERO); }\n");
}

TEST(Fix, CompositeMacroCounterpart) {
  EXPECT_EQ(fix("void *f(void) { return __vmalloc(8, GFP_HIGHUSER | "
                "__GFP_ZERO); }\n"),
            "void *f(void) { return __vmalloc(8, GFP_USER | __GFP_ZERO); }\n");
  // GFP_HIGHUSER_MOVABLE has no counterpart with exactly its other bits.
  std::string Movable =
      "void *f(void) { return __vmalloc(8, GFP_HIGHUSER_MOVABLE); }\n";
  auto A = analyse(Movable);
  ASSERT_EQ(A.Result.Findings.size(), 1u);
  EXPECT_FALSE(A.Result.Findings[0].Fix);
  EXPECT_EQ(fixed(A), Movable);
}

TEST(Fix, WholeArgumentIsReportedWithoutFix) {
  std::string Code = "void *f(void) { return __vmalloc(8, __GFP_HIGHMEM); }\n";
  auto A = analyse(Code);
  // Also a mask without __GFP_DIRECT_RECLAIM: two findings, neither fixed.
  EXPECT_EQ(checks(A), (std::vector<std::string>{"vmalloc-redundant-highmem",
                                                 "vmalloc-unsupported-gfp"}));
  const Finding &F = A.Result.Findings[0];
  EXPECT_FALSE(F.Fix);
  EXPECT_NE(F.Notes.at(0).Message.find("whole gfp argument"),
            std::string::npos);
  EXPECT_EQ(fixed(A), Code);
}

TEST(Fix, FunctionLikeMacroBodyIsEditedOnce) {
  std::string Code =
      "#define buf_alloc(n) __vmalloc(n, GFP_NOFS | __GFP_HIGHMEM)\n"
      "void *a(void) { return buf_alloc(1); }\n"
      "void *b(void) { return buf_alloc(2); }\n";
  auto A = analyse(Code);
  ASSERT_EQ(A.Result.Findings.size(), 1u) << "one finding, two expansions";
  EXPECT_EQ(A.Result.Findings[0].Where.Line, 2u) << "spelling location";
  ASSERT_EQ(A.Result.Findings[0].Expansions.size(), 2u);
  EXPECT_EQ(A.Result.Findings[0].Expansions[0].Line, 3u);
  EXPECT_EQ(A.Result.Findings[0].Expansions[1].Line, 4u);
  EXPECT_EQ(fixed(A), "#define buf_alloc(n) __vmalloc(n, GFP_NOFS)\n"
                      "void *a(void) { return buf_alloc(1); }\n"
                      "void *b(void) { return buf_alloc(2); }\n");
}

TEST(Fix, ObjectLikeGfpMacroOnlyWhenEveryUseIsVmalloc) {
  std::string Only =
      "#define BUF_GFP (GFP_NOFS | __GFP_HIGHMEM)\n"
      "void *a(void) { return __vmalloc(1, BUF_GFP); }\n"
      "void *b(void) { return __vmalloc(2, BUF_GFP | __GFP_ZERO); }\n";
  EXPECT_EQ(fix(Only),
            "#define BUF_GFP (GFP_NOFS)\n"
            "void *a(void) { return __vmalloc(1, BUF_GFP); }\n"
            "void *b(void) { return __vmalloc(2, BUF_GFP | __GFP_ZERO); }\n");
  std::string Shared = "#define BUF_GFP (GFP_NOFS | __GFP_HIGHMEM)\n"
                       "void *a(void) { return __vmalloc(1, BUF_GFP); }\n"
                       "void *b(void) { return kmalloc(2, BUF_GFP); }\n";
  auto A = analyse(Shared);
  ASSERT_EQ(A.Result.Findings.size(), 1u);
  EXPECT_EQ(A.Result.Findings[0].Where.Line, 2u) << "at the flag in the body";
  EXPECT_FALSE(A.Result.Findings[0].Fix);
  EXPECT_EQ(fixed(A), Shared);
}

TEST(Fix, LowmemAppendsHighmemOnOldKernels) {
  auto A = analyse("void *f(void) { return __vmalloc(8, GFP_NOFS | __GFP_ZERO, "
                   "PAGE_KERNEL); }\n",
                   "4.9", {"-DVL_KERNEL_4_9"});
  EXPECT_EQ(fixed(A), "void *f(void) { return __vmalloc(8, GFP_NOFS | "
                      "__GFP_ZERO | __GFP_HIGHMEM, PAGE_KERNEL); }\n");
}

TEST(Fix, KvmallocDropsHighmem) {
  EXPECT_EQ(fix("void *f(void) { return kvmalloc(8, GFP_KERNEL | "
                "__GFP_HIGHMEM); }\n"),
            "void *f(void) { return kvmalloc(8, GFP_KERNEL); }\n");
}

TEST(Fix, CorrectCodeIsUntouched) {
  std::string Code =
      "void *f(void) { return __vmalloc(8, GFP_KERNEL | __GFP_ZERO); }\n"
      "void *g(void) { return kmalloc(8, GFP_HIGHUSER); }\n"
      "/* __vmalloc(8, GFP_KERNEL | __GFP_HIGHMEM) */\n"
      "const char *s = \"__GFP_HIGHMEM\";\n";
  auto A = analyse(Code);
  EXPECT_TRUE(A.Result.Findings.empty());
  EXPECT_EQ(fixed(A), Code);
}

namespace {
/// The finding's notes, one a line.
std::string notes(const Finding &F) {
  std::string Out;
  for (const Note &N : F.Notes)
    Out += N.Message + "\n";
  return Out;
}
} // namespace

TEST(Fix, CommentsInTheChainStayWithTheirOperand) {
  // The layout: the comment is GFP_NOIO's, it stays.
  EXPECT_EQ(fix("void *f(void)\n{\n\treturn __vmalloc(8, GFP_NOIO |\t/* c */\n"
                "\t\t\t __GFP_HIGHMEM |\n\t\t\t __GFP_NOWARN);\n}\n"),
            "void *f(void)\n{\n\treturn __vmalloc(8, GFP_NOIO |\t/* c */\n"
            "\t\t\t __GFP_NOWARN);\n}\n");
  // The flag's own comment goes with it.
  EXPECT_EQ(fix("void *f(void)\n{\n\treturn __vmalloc(8, GFP_KERNEL |\n"
                "\t\t\t /* highmem */\n\t\t\t __GFP_HIGHMEM);\n}\n"),
            "void *f(void)\n{\n\treturn __vmalloc(8, GFP_KERNEL);\n}\n");
  // A `//` comment before the last flag: no fix, and why.
  std::string Line = "void *f(void)\n{\n\treturn __vmalloc(8, GFP_KERNEL | // "
                     "c\n\t\t\t __GFP_HIGHMEM);\n}\n";
  auto A = analyse(Line);
  ASSERT_EQ(A.Result.Findings.size(), 1u);
  EXPECT_FALSE(A.Result.Findings[0].Fix);
  EXPECT_NE(notes(A.Result.Findings[0])
                .find("no fix: a `//` comment beside "
                      "__GFP_HIGHMEM"),
            std::string::npos);
  EXPECT_EQ(fixed(A), Line);
}

TEST(Fix, LocalInitialiserWhenEveryUseIsAVmallocGfp) {
  EXPECT_EQ(fix("void *f(void)\n{\n\tgfp_t gfp = GFP_KERNEL | __GFP_HIGHMEM;\n"
                "\tvoid *a = __vmalloc(8, gfp);\n\tvoid *b = __vmalloc(16, "
                "gfp);\n\treturn a ? a : b;\n}\n"),
            "void *f(void)\n{\n\tgfp_t gfp = GFP_KERNEL;\n"
            "\tvoid *a = __vmalloc(8, gfp);\n\tvoid *b = __vmalloc(16, "
            "gfp);\n\treturn a ? a : b;\n}\n");
  struct Case {
    const char *Code;
    const char *Why;
  } Cases[] = {
      {"void *f(int n)\n{\n\tgfp_t gfp = GFP_KERNEL | __GFP_HIGHMEM;\n\tif "
       "(n)\n"
       "\t\tgfp = GFP_NOIO | __GFP_HIGHMEM;\n\treturn __vmalloc(8, gfp);\n}\n",
       "no fix: 'gfp' is assigned again at line 6"},
      {"void g(gfp_t);\nvoid *f(void)\n{\n\tgfp_t gfp = GFP_KERNEL | "
       "__GFP_HIGHMEM;\n\tg(gfp);\n\treturn __vmalloc(8, gfp);\n}\n",
       "no fix: 'gfp' is also used at line 6, outside vmalloc gfp arguments"},
      {"void g(gfp_t *);\nvoid *f(void)\n{\n\tgfp_t gfp = GFP_KERNEL | "
       "__GFP_HIGHMEM;\n\tg(&gfp);\n\treturn __vmalloc(8, gfp);\n}\n",
       "no fix: 'gfp' has its address taken at line 6"},
  };
  for (const Case &C : Cases) {
    auto A = analyse(C.Code);
    ASSERT_EQ(A.Result.Findings.size(), 1u) << C.Code;
    EXPECT_FALSE(A.Result.Findings[0].Fix) << C.Code;
    EXPECT_NE(notes(A.Result.Findings[0]).find(C.Why), std::string::npos)
        << notes(A.Result.Findings[0]);
    EXPECT_EQ(fixed(A), C.Code);
  }
}

// rewriters/CallLayout.h: a call the fix writes, to 80 columns (tabs 8).
TEST(Fix, LongCallBreaksAfterACommaAlignedWithItsParenthesis) {
  // x_tables.c's xt_alloc_entry_offsets() in 4.11, fixed: 81 columns.
  std::string Call =
      "kvmalloc_array(size, sizeof(unsigned int), GFP_KERNEL | __GFP_ZERO)";
  EXPECT_EQ(layoutCall("\t", "off = " + Call + ";", 6, Call.size(), ""),
            "off = kvmalloc_array(size, sizeof(unsigned int),\n"
            "\t\t\t     GFP_KERNEL | __GFP_ZERO);");
  // 80 columns fit; a comment that ends the line does not count.
  EXPECT_EQ(layoutCall("", "\t" + Call + ";", 1, Call.size(), ""),
            "\t" + Call + ";");
  EXPECT_EQ(layoutCall("\t", "off = " + Call + ";", 6, Call.size(),
                       " /* expect: vmalloc-open-coded-kvmalloc */"),
            "off = kvmalloc_array(size, sizeof(unsigned int),\n"
            "\t\t\t     GFP_KERNEL | __GFP_ZERO);");
  EXPECT_EQ(layoutCall("\t", "p = kvmalloc(n, GFP_KERNEL);", 4,
                       std::string("kvmalloc(n, GFP_KERNEL)").size(),
                       " /* a comment that makes the line long, long, long */"),
            "p = kvmalloc(n, GFP_KERNEL);");
  // The code after the replaced call counts (a call in an expression), and
  // each line is as full as fits.
  std::string Node = "kvmalloc_node(sizeof(struct rb_root) << log, GFP_KERNEL "
                     "| __GFP_REPEAT, netdev_queue_numa_node_read(dev))";
  EXPECT_EQ(layoutCall("\tarray = ", Node, 0, Node.size(), ";"),
            "kvmalloc_node(sizeof(struct rb_root) << log,\n"
            "\t\t\t      GFP_KERNEL | __GFP_REPEAT,\n"
            "\t\t\t      netdev_queue_numa_node_read(dev))");
  // A call that spans lines already, or has one argument, stays.
  std::string Spans = "kvmalloc(n,\n\tGFP_KERNEL_ACCOUNT | __GFP_NOWARN)";
  EXPECT_EQ(
      layoutCall("\t\t\t\t\t\t\t\t", "p = " + Spans + ";", 4, Spans.size(), ""),
      "p = " + Spans + ";");
  std::string One =
      "f(aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
      "aaaaaaaaaaaaaaaaaaaaaaaa)";
  EXPECT_EQ(layoutCall("\t", One + ";", 0, One.size(), ""), One + ";");
}
