// vmalloc-api-migration: the table's rows that the 5.7 corpus cannot hold
// (kvrealloc() is 5.15+, its change 6.12), and the version gating.
#include "TestSupport.h"

#include "matchers/kernel/ApiMigrations.h"

#include <gtest/gtest.h>

using namespace vmalloc_lint;
using namespace vmalloc_lint::test;

namespace {

const char *Decls = R"(
typedef unsigned long size_t;
typedef struct { unsigned long pte; } pte_t;
struct vm_struct;
void *kvrealloc(const void *p, size_t oldsize, size_t newsize, gfp_t flags);
struct vm_struct *alloc_vm_area(size_t size, pte_t **ptes);
)";

Analysed run(const std::string &Code, const char *From, const char *To) {
  AnalysisOptions Base;
  if (To)
    Base.MigrateTo = *KernelVersion::parse(To);
  return analyse(Decls + Code, From, {}, "-*,vmalloc-api-migration", Base);
}

const char *Grow = "void *grow(void *p, size_t n)\n{\n"
                   "\treturn kvrealloc(p, n, 2 * n, GFP_KERNEL);\n}\n";

} // namespace

TEST(ApiMigration, KvreallocLosesItsOldSizeIn612) {
  auto A = run(Grow, "6.1", "6.12");
  ASSERT_EQ(checks(A), std::vector<std::string>{"vmalloc-api-migration"});
  const Finding &F = A.Result.Findings[0];
  EXPECT_EQ(F.Class, "api-change");
  ASSERT_TRUE(F.Fix);
  EXPECT_EQ(fixed(A).substr(std::string(Decls).size()),
            "void *grow(void *p, size_t n)\n{\n"
            "\treturn kvrealloc(p, 2 * n, GFP_KERNEL);\n}\n");
}

TEST(ApiMigration, OnlyBetweenTheCodesKernelAndTheTarget) {
  EXPECT_TRUE(checks(run(Grow, "6.1", "6.11")).empty());  // before the change
  EXPECT_TRUE(checks(run(Grow, "6.12", "6.13")).empty()); // code is newer
  EXPECT_TRUE(checks(run(Grow, "6.1", nullptr)).empty()); // no target
}

TEST(ApiMigration, AllocVmAreaIsReportedWithoutAFix) {
  auto A = run("struct vm_struct *f(pte_t **p)\n{\n"
               "\treturn alloc_vm_area(4096, p);\n}\n",
               "5.8", "5.10");
  ASSERT_EQ(checks(A), std::vector<std::string>{"vmalloc-api-migration"});
  const Finding &F = A.Result.Findings[0];
  EXPECT_EQ(F.Class, "needs-decision");
  EXPECT_FALSE(F.Fix);
  EXPECT_NE(F.Message.find("alloc_vm_area() is gone since 5.10"),
            std::string::npos)
      << F.Message;
}

TEST(ApiMigration, EveryRowNamesItsHeaderAndBothForms) {
  for (const ApiMigration &M : apiMigrations()) {
    EXPECT_TRUE(*M.Header) << M.Function;
    EXPECT_NE(std::string(M.OldDecl).find(M.Function), std::string::npos)
        << M.Function;
    // A report-only row says why; a conditional row says what to decide.
    if (!M.NewForm || M.CondArg)
      EXPECT_TRUE(*M.Reason) << M.Function;
  }
}
