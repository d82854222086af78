// vmalloc-open-coded-kvfree: the code shapes matchers/refactor/ finds (and
// the ones it must not), and the statement replacement rewriters/ builds.
#include "TestSupport.h"

#include "matchers/provenance/CrossFileFacts.h"
#include "rewriters/ReplaceCode.h"

#include <gtest/gtest.h>

using namespace vmalloc_lint;
using namespace vmalloc_lint::test;

namespace {

const char *FreeHeader = R"(
typedef _Bool bool;
struct page;
void kfree(const void *);
void kfree_sensitive(const void *);
void kvfree(const void *);
void vunmap(const void *);
void free_pages(unsigned long addr, unsigned int order);
bool is_vmalloc_addr(const void *x);
struct buf { void *data; void *shadow; int len; };
)";

Analysed run(const std::string &Code) {
  return analyse(FreeHeader + Code, "6.1", {}, "-*,vmalloc-open-coded-kvfree");
}

std::string after(const Analysed &A) {
  return fixed(A).substr(std::string(FreeHeader).size());
}

} // namespace

TEST(OpenCodedKvfree, EveryShapeBecomesKvfree) {
  auto A = run("void a(void *p)\n{\n\tif (is_vmalloc_addr(p))\n"
               "\t\tvfree(p);\n\telse\n\t\tkfree(p);\n}\n"
               "void b(struct buf *b, int n)\n{\n\tn++;\n"
               "\tif (!is_vmalloc_addr(b->data)) {\n\t\tkfree(b->data);\n"
               "\t} else {\n\t\tvfree(b->data);\n\t}\n\tb->len = n;\n}\n"
               "void c(void *p, int n)\n{\n\tif (n)\n"
               "\t\tis_vmalloc_addr(p) ? vfree(p) : kfree(p);\n}\n");
  ASSERT_EQ(checks(A),
            (std::vector<std::string>(3, "vmalloc-open-coded-kvfree")));
  const auto &F = A.Result.Findings;
  EXPECT_EQ(F[0].Message,
            "a() is an open-coded kvfree(): its body is vfree() or kfree() "
            "picked by is_vmalloc_addr(p); make it kvfree(p) (each call of "
            "it is reported too)");
  EXPECT_EQ(F[1].Message, "open-coded kvfree(): vfree() or kfree() picked by "
                          "is_vmalloc_addr(b->data); use kvfree(b->data)");
  EXPECT_EQ(F[0].Where.Line, 14u); // the `if` (header lines + include)
  for (const Finding &X : F) {
    ASSERT_TRUE(X.Fix) << X.Message;
    EXPECT_EQ(X.Fix->Description, "use kvfree()");
  }
  EXPECT_EQ(after(A), "void a(void *p)\n{\n\tkvfree(p);\n}\n"
                      "void b(struct buf *b, int n)\n{\n\tn++;\n"
                      "\tkvfree(b->data);\n\tb->len = n;\n}\n"
                      "void c(void *p, int n)\n{\n\tif (n)\n"
                      "\t\tkvfree(p);\n}\n");
}

// A kvfree() wrapper (t4_free_mem()): its calls in its unit, and with the
// facts in another unit, become kvfree(); a function that does more, or
// takes more, is no wrapper.
TEST(OpenCodedKvfree, WrapperCallsBecomeKvfree) {
  AnalysisOptions Export;
  Export.ExportFacts = true;
  const std::string Def =
      "void t_free_mem(void *addr)\n{\n\tkvfree(addr);\n}\n"
      "static void t_free_more(struct buf *b)\n{\n\tkvfree(b->data);\n"
      "\tb->len = 0;\n}\n"
      "static void t_free_len(void *p, int len)\n{\n\tkvfree(p);\n}\n"
      "void t_use(struct buf *b)\n{\n\tt_free_mem(b->data);\n"
      "\tt_free_more(b);\n\tt_free_len(b->shadow, b->len);\n}\n";
  auto A = analyse(FreeHeader + Def, "6.1", {}, "-*,vmalloc-open-coded-kvfree",
                   Export);
  ASSERT_EQ(checks(A), std::vector<std::string>{"vmalloc-open-coded-kvfree"});
  EXPECT_EQ(A.Result.Findings[0].Message,
            "t_free_mem() is kvfree(): its whole body is kvfree() of its "
            "parameter; call kvfree(b->data)");
  EXPECT_EQ(after(A),
            "void t_free_mem(void *addr)\n{\n\tkvfree(addr);\n}\n"
            "static void t_free_more(struct buf *b)\n{\n"
            "\tkvfree(b->data);\n\tb->len = 0;\n}\n"
            "static void t_free_len(void *p, int len)\n{\n"
            "\tkvfree(p);\n}\n"
            "void t_use(struct buf *b)\n{\n\tkvfree(b->data);\n"
            "\tt_free_more(b);\n\tt_free_len(b->shadow, b->len);\n}\n");
  // Exported (external linkage only), through the facts file and back.
  const CrossFileFacts &F = A.Result.Facts;
  ASSERT_EQ(F.KvfreeWrappers.size(), 1u);
  EXPECT_EQ(F.KvfreeWrappers.at("t_free_mem").Body, "kvfree");
  std::string Text = writeFactsJsonl(F, "");
  EXPECT_NE(Text.find("\"kind\":\"kvfree-wrapper\""), std::string::npos);
  CrossFileFacts Back;
  ASSERT_EQ(readFactsJsonl(Text, "", Back), "");
  EXPECT_EQ(Back.KvfreeWrappers, F.KvfreeWrappers);
  // Another unit: silent without the facts, a site with them.
  const std::string User =
      "void t_free_mem(void *addr);\n"
      "void u(struct buf *b)\n{\n\tt_free_mem(b->data);\n}\n";
  EXPECT_TRUE(run(User).Result.Findings.empty());
  AnalysisOptions Import;
  Import.Imported = std::make_shared<CrossFileFacts>(Back);
  auto U = analyse(FreeHeader + User, "6.1", {}, "-*,vmalloc-open-coded-kvfree",
                   Import);
  ASSERT_EQ(checks(U), std::vector<std::string>{"vmalloc-open-coded-kvfree"});
  EXPECT_EQ(after(U), "void t_free_mem(void *addr);\n"
                      "void u(struct buf *b)\n{\n\tkvfree(b->data);\n}\n");
}

TEST(OpenCodedKvfree, OtherFreesPointersAndBranchesAreSilent) {
  auto A = run(
      // another free in a branch
      "void a(void *p) { if (is_vmalloc_addr(p)) vunmap(p); else kfree(p); }\n"
      "void b(void *p) { if (is_vmalloc_addr(p)) vfree(p); else "
      "kfree_sensitive(p); }\n"
      "void c(void *p) { if (is_vmalloc_addr(p)) vfree(p); else "
      "free_pages((unsigned long)p, 0); }\n"
      // the branches swapped without the negation: a bug, not kvfree()
      "void d(void *p) { if (is_vmalloc_addr(p)) kfree(p); else vfree(p); }\n"
      // different pointers, or a guard on another one
      "void e(struct buf *b) { if (is_vmalloc_addr(b->data)) vfree(b->data);"
      " else kfree(b->shadow); }\n"
      "void f(void *p, void *q) { if (is_vmalloc_addr(q)) vfree(p); else "
      "kfree(p); }\n"
      // a branch that does more than the free
      "void g(struct buf *b) { if (is_vmalloc_addr(b->data)) { vfree(b->data);"
      " b->len = 0; } else kfree(b->data); }\n"
      // no else: only one kind of memory is freed
      "void h(void *p) { if (is_vmalloc_addr(p)) vfree(p); }\n"
      // the ternary's value is used
      "int i(void *p) { return (is_vmalloc_addr(p) ? vfree(p) : kfree(p)), "
      "0; }\n"
      // the helper's own definition
      "void kvfree(const void *addr) { if (is_vmalloc_addr(addr)) "
      "vfree(addr); else kfree(addr); }\n"
      // already the helper
      "void j(void *p) { kvfree(p); }\n");
  EXPECT_TRUE(A.Result.Findings.empty()) << A.Result.Findings[0].Message;
}

TEST(OpenCodedKvfree, AMacroWrittenStatementIsNoSite) {
  auto A = run("#define FREE_ANY(p) do { if (is_vmalloc_addr(p)) vfree(p); "
               "else kfree(p); } while (0)\n"
               "void a(void *p) { FREE_ANY(p); }\n");
  EXPECT_TRUE(A.Result.Findings.empty());
}

TEST(OpenCodedKvfree, NotBeforeKvfreeExists) {
  auto A = analyse(std::string(FreeHeader) +
                       "void a(void *p) { if (is_vmalloc_addr(p)) vfree(p); "
                       "else kfree(p); }\n",
                   "3.14", {}, "-*,vmalloc-open-coded-kvfree");
  EXPECT_TRUE(A.Result.Findings.empty());
}

TEST(ReplaceCode, KeepsCommentsAfterTheNewCode) {
  std::string Why;
  TextEdit E{"/f.c", 10, 0, "kvfree(p);", 0};
  std::string Old = "if (is_vmalloc_addr(p)) /* big */\n\t\tvfree(p); // "
                    "vmalloc\n\telse\n\t\tkfree(p); // slab";
  E.Length = Old.size();
  auto F = replaceCode(E, Old, "kvfree", Why);
  ASSERT_TRUE(F);
  ASSERT_EQ(F->Edits.size(), 1u);
  EXPECT_EQ(F->Edits[0].Text, "kvfree(p); /* big */ /* vmalloc */ // slab");
  EXPECT_EQ(F->Edits[0].Offset, 10u);
  EXPECT_EQ(F->Edits[0].Length, Old.size());
  EXPECT_EQ(F->Description, "use kvfree()");
}

TEST(ReplaceCode, APreprocessorLineIsNoFix) {
  std::string Why;
  std::string Old = "if (is_vmalloc_addr(p))\n\t\tvfree(p);\n#ifdef X\n"
                    "\telse\n\t\tkfree(p);\n#endif";
  TextEdit E{"/f.c", 0, (unsigned)Old.size(), "kvfree(p);", 0};
  EXPECT_FALSE(replaceCode(E, Old, "kvfree", Why));
  EXPECT_EQ(Why, "the code holds a preprocessor line the edit would drop");
  // A '#' in a string or a comment is no directive.
  Old = "if (is_vmalloc_addr(p)) /*\n # */ vfree(p); else kfree(p);";
  E.Length = Old.size();
  auto F = replaceCode(E, Old, "kvfree", Why);
  ASSERT_TRUE(F);
  EXPECT_EQ(F->Edits[0].Text, "kvfree(p); /*\n # */");
}

// A static kvfree() wrapper whose every call is a site would be unused once
// they are converted: the fix removes it with them, and when its definition
// cannot go, the finding says why (matchers/refactor/DefinitionRemoval.h).
TEST(OpenCodedKvfree, WrapperThatCannotBeRemovedSaysWhy) {
  const std::string Body = "static void w_free(void *p)\n{\n\tkvfree(p);\n}\n";
  const std::string Use = "void use(void *a)\n{\n\tw_free(a);\n}\n";
  struct Case {
    std::string Code, Why;
  } Cases[] = {
      {"static void w_free(void *p)\n{\n\t/* both kinds */\n\tkvfree(p);\n}\n" +
           Use,
       "its definition holds a comment, which removing it would lose"},
      {"static void w_free(void *p)\n{\n#ifdef CONFIG_X\n\tkvfree(p);\n#else\n"
       "\tkvfree(p);\n#endif\n}\n" +
           Use,
       "its definition holds a preprocessor line"},
      {"int w_x; " + Body + Use, "its definition does not start a line"},
      {"static void w_free(void *p);\n" + Body + Use,
       "the file names w_free once more than the calls this configuration "
       "compiles (code under #ifdef, a prototype or a comment), which would "
       "be left naming a removed function"},
      {Body + Use +
           "#ifdef CONFIG_X\nvoid other(void *a)\n{\n\tw_free(a);\n"
           "}\n#endif\n",
       "the file names w_free once more than the calls this configuration "
       "compiles (code under #ifdef, a prototype or a comment), which would "
       "be left naming a removed function"},
      {"#define FREE_FN(n) static void n(void *p) { kvfree(p); }\n"
       "FREE_FN(w_free)\n" +
           Use,
       "a macro writes its definition"},
  };
  for (const Case &C : Cases) {
    auto A = run(C.Code);
    ASSERT_EQ(A.Result.Findings.size(), 1u) << C.Code;
    EXPECT_EQ(A.Result.Findings[0].Message,
              "w_free() is kvfree(): its whole body is kvfree() of its "
              "parameter; call kvfree(a); no fix: with every call converted, "
              "static w_free() would be unused (-Wunused-function), and its "
              "definition cannot be removed with them: " +
                  C.Why + "; convert its calls and remove it together by hand")
        << C.Code;
    EXPECT_TRUE(A.Result.Findings[0].FixRequests.empty()) << C.Code;
  }
  // Removable: the call and the definition, one fix.
  auto A = run(Body + Use);
  ASSERT_EQ(A.Result.Findings.size(), 1u);
  EXPECT_EQ(after(A), "void use(void *a)\n{\n\tkvfree(a);\n}\n");
}
