// vmalloc-open-coded-kvmalloc: the shapes matchers/refactor/ finds (and the
// look-alikes it must not), the masks each kernel's kvmalloc takes, and the
// kv* call the fix writes.
#include "TestSupport.h"

#include "matchers/provenance/CrossFileFacts.h"

#include <gtest/gtest.h>

using namespace vmalloc_lint;
using namespace vmalloc_lint::test;

namespace {

const char *AllocHeader = R"(
#define PAGE_SIZE 4096UL
#define SIZE_MAX (~(size_t)0)
void *kzalloc(size_t size, gfp_t flags);
void *kcalloc(size_t n, size_t size, gfp_t flags);
void *kmalloc_array(size_t n, size_t size, gfp_t flags);
void *vzalloc(unsigned long size);
#define PAGE_KERNEL_EXEC ((pgprot_t){ 0x63 })
size_t array_size(size_t a, size_t b);
struct ring { void *buf; unsigned long *map; };
)";

const std::string Check = "-*,vmalloc-open-coded-kvmalloc";

Analysed run(const std::string &Code, const std::string &Version = "6.1",
             std::vector<std::string> Extra = {}) {
  return analyse(AllocHeader + Code, Version, Extra, Check);
}

std::string after(const Analysed &A) {
  return fixed(A).substr(std::string(AllocHeader).size());
}

std::vector<std::string> messages(const Analysed &A) {
  std::vector<std::string> M;
  for (const Finding &F : A.Result.Findings)
    M.push_back(F.Message);
  return M;
}

} // namespace

TEST(OpenCodedKvmalloc, OnFailureBecomesOneCall) {
  auto A = run("int a(struct ring *r, size_t len)\n{\n"
               "\tr->buf = kmalloc(len, GFP_KERNEL | __GFP_NOWARN);\n"
               "\tif (!r->buf)\n\t\tr->buf = vmalloc(len);\n\treturn 0;\n}\n"
               "void *b(size_t n)\n{\n"
               "\tunsigned long *t = kzalloc(n * sizeof(*t), GFP_KERNEL);\n\n"
               "\tif (t == NULL) {\n\t\tt = vzalloc(n * sizeof(*t));\n\t}\n"
               "\treturn t;\n}\n"
               "void c(struct ring *r, unsigned n)\n{\n"
               "\tr->map = kcalloc(n, sizeof(long), GFP_KERNEL);\n"
               "\tif (!r->map)\n"
               "\t\tr->map = vzalloc(array_size(n, sizeof(long)));\n}\n");
  ASSERT_EQ(checks(A),
            (std::vector<std::string>(3, "vmalloc-open-coded-kvmalloc")));
  EXPECT_EQ(A.Result.Findings[0].Message,
            "open-coded kvmalloc(): kmalloc() with a vmalloc() fallback on "
            "failure; use kvmalloc(len, GFP_KERNEL) (kvmalloc sets "
            "__GFP_NOWARN on its kmalloc attempt itself)");
  EXPECT_EQ(after(A),
            "int a(struct ring *r, size_t len)\n{\n"
            "\tr->buf = kvmalloc(len, GFP_KERNEL);\n\treturn 0;\n}\n"
            "void *b(size_t n)\n{\n"
            "\tunsigned long *t = kvzalloc(n * sizeof(*t), GFP_KERNEL);\n"
            "\treturn t;\n}\n"
            "void c(struct ring *r, unsigned n)\n{\n"
            "\tr->map = kvcalloc(n, sizeof(long), GFP_KERNEL);\n}\n");
}

TEST(OpenCodedKvmalloc, BySizeBecomesOneCall) {
  auto A = run("void *a(size_t sz)\n{\n\tvoid *p;\n\n"
               "\tif (sz > PAGE_SIZE)\n\t\tp = vzalloc(sz);\n\telse\n"
               "\t\tp = kzalloc(sz, GFP_KERNEL);\n\treturn p;\n}\n"
               "void *b(size_t sz, int x)\n{\n"
               "\tif (sz <= PAGE_SIZE)\n\t\treturn kmalloc(sz, GFP_KERNEL);\n"
               "\treturn vmalloc(sz);\n}\n");
  // b's whole body is the pattern: a helper, reported once at its name;
  // with external linkage its body becomes the call (callers elsewhere).
  ASSERT_EQ(A.Result.Findings.size(), 2u);
  EXPECT_EQ(A.Result.Findings[1].Message,
            "b() is an open-coded kvmalloc(): its body is kmalloc() with a "
            "vmalloc() fallback for large sizes; its callers can call "
            "kvmalloc() instead (each call is reported); make its body "
            "return kvmalloc(sz, GFP_KERNEL)");
  EXPECT_EQ(after(A), "void *a(size_t sz)\n{\n\tvoid *p;\n\n"
                      "\tp = kvzalloc(sz, GFP_KERNEL);\n\treturn p;\n}\n"
                      "void *b(size_t sz, int x)\n{\n"
                      "\treturn kvmalloc(sz, GFP_KERNEL);\n}\n");
  // A conditional, and the fallback with its own NULL check.
  auto C = run("int c(struct ring *r, size_t n)\n{\n"
               "\tr->buf = n < PAGE_SIZE << 6\n\t\t? kzalloc(n, GFP_KERNEL)\n"
               "\t\t: vzalloc(n);\n"
               "\tr->map = kmalloc(n, GFP_KERNEL | __GFP_NOWARN);\n"
               "\tif (!r->map) {\n\t\tr->map = vmalloc(n);\n"
               "\t\tif (!r->map)\n\t\t\treturn -1;\n\t}\n\treturn 0;\n}\n");
  ASSERT_EQ(C.Result.Findings.size(), 2u);
  EXPECT_EQ(after(C), "int c(struct ring *r, size_t n)\n{\n"
                      "\tr->buf = kvzalloc(n, GFP_KERNEL);\n"
                      "\tr->map = kvmalloc(n, GFP_KERNEL);\n"
                      "\tif (!r->map)\n\t\treturn -1;\n\treturn 0;\n}\n");
}

TEST(OpenCodedKvmalloc, HelperCallsAreSitesWithTheCallersMask) {
  auto A = run("static void *vz(unsigned long size)\n{\n\tvoid *rtn;\n\n"
               "\trtn = kzalloc(size, GFP_KERNEL | __GFP_NOWARN);\n"
               "\tif (!rtn)\n\t\trtn = vzalloc(size);\n\treturn rtn;\n}\n"
               "static void *kvm(size_t size, gfp_t flags)\n{\n\tvoid *ret;\n"
               "\tret = kmalloc(size, flags | __GFP_NOWARN);\n\tif (!ret)\n"
               "\t\tret = __vmalloc(size, flags);\n\treturn ret;\n}\n"
               "static void *ab(size_t nmemb, size_t size)\n{\n"
               "\tif (size != 0 && nmemb > SIZE_MAX / size)\n"
               "\t\treturn NULL;\n"
               "\tif (size * nmemb <= PAGE_SIZE)\n"
               "\t\treturn kmalloc(nmemb * size, GFP_KERNEL);\n"
               "\treturn vmalloc(size * nmemb);\n}\n"
               "void use(struct ring *r, int n)\n{\n"
               "\tr->buf = vz(n + 1);\n\tr->map = kvm(n, GFP_NOFS);\n"
               "\tr->buf = ab(n, sizeof(long));\n"
               "\tr->buf = kvm(n, GFP_ATOMIC);\n}\n");
  ASSERT_EQ(A.Result.Findings.size(), 7u) << messages(A)[0];
  EXPECT_EQ(A.Result.Findings[6].Message,
            "kvm() is an open-coded kvmalloc() (kmalloc() with a __vmalloc() "
            "fallback on failure); no fix: GFP_ATOMIC does not allow "
            "blocking, and kernel 6.1's kvmalloc() does not fall back to "
            "vmalloc for it (mm/util.c since 5.16: GFP_NOWAIT and GFP_ATOMIC "
            "are not supported, neither is __GFP_NORETRY)");
  // vz() and ab() are static and every call of them is fixed: they go;
  // kvm() keeps a call (GFP_ATOMIC) and stays.
  std::string Out = after(A);
  EXPECT_EQ(Out.find("static void *vz("), std::string::npos) << Out;
  EXPECT_EQ(Out.find("static void *ab("), std::string::npos) << Out;
  EXPECT_NE(Out.find("static void *kvm("), std::string::npos) << Out;
  EXPECT_NE(Out.find("\tr->buf = kvzalloc(n + 1, GFP_KERNEL);\n"
                     "\tr->map = kvmalloc(n, GFP_NOFS);\n"
                     "\tr->buf = kvmalloc_array(n, sizeof(long), GFP_KERNEL);\n"
                     "\tr->buf = kvm(n, GFP_ATOMIC);\n"),
            std::string::npos)
      << Out;
}

TEST(OpenCodedKvmalloc, MasksFollowTheTargetKernel) {
  std::string Code = "void *a(size_t len)\n{\n"
                     "\tvoid *p = kmalloc(len, GFP_NOFS | __GFP_NOWARN);\n"
                     "\tif (!p)\n\t\tp = __vmalloc(len, GFP_NOFS);\n"
                     "\tlen++;\n\treturn p;\n}\n";
  // 6.1: GFP_NOFS falls back to vmalloc (memalloc scopes).
  auto New = run(Code, "6.1");
  ASSERT_EQ(New.Result.Findings.size(), 1u);
  EXPECT_TRUE(New.Result.Findings[0].Fix);
  // 5.10: kvmalloc_node() returns kmalloc_node()'s result for !GFP_KERNEL.
  auto Old = run(Code, "5.10");
  ASSERT_EQ(Old.Result.Findings.size(), 1u);
  EXPECT_FALSE(Old.Result.Findings[0].Fix);
  EXPECT_EQ(Old.Result.Findings[0].Message,
            "open-coded kvmalloc(): kmalloc() with a __vmalloc() fallback on "
            "failure; no fix: GFP_NOFS is not a superset of GFP_KERNEL, and "
            "kernel 5.10's kvmalloc() falls back to vmalloc only for those "
            "(mm/util.c of 4.12-5.15: the mask must be compatible (superset) "
            "with GFP_KERNEL)");
  // __GFP_NORETRY is not supported by any kvmalloc.
  auto NoRetry = run("void *a(size_t len, gfp_t g)\n{\n"
                     "\tvoid *p = kmalloc(len, GFP_KERNEL | __GFP_NORETRY);\n"
                     "\tif (!p)\n\t\tp = __vmalloc(len, GFP_KERNEL | "
                     "__GFP_NORETRY);\n\tg++;\n\treturn p;\n}\n");
  ASSERT_EQ(NoRetry.Result.Findings.size(), 1u);
  EXPECT_FALSE(NoRetry.Result.Findings[0].Fix);
}

TEST(OpenCodedKvmalloc, NoKvmallocBefore412) {
  auto A = run("void *a(size_t len, int x)\n{\n"
               "\tvoid *p = kmalloc(len, GFP_KERNEL | __GFP_NOWARN);\n"
               "\tif (!p)\n\t\tp = __vmalloc(len, GFP_KERNEL | "
               "__GFP_HIGHMEM, PAGE_KERNEL);\n\tx++;\n\treturn p;\n}\n"
               "void *b(size_t len, int x)\n{\n"
               "\tvoid *p = kmalloc(len, GFP_KERNEL | __GFP_NOWARN);\n"
               "\tif (!p)\n\t\tp = __vmalloc(len, GFP_KERNEL | "
               "__GFP_HIGHMEM, PAGE_KERNEL_EXEC);\n\tx++;\n\treturn p;\n}\n",
               "4.9", {"-DVL_KERNEL_4_9"});
  ASSERT_EQ(A.Result.Findings.size(), 1u); // b: another pgprot
  EXPECT_FALSE(A.Result.Findings[0].Fix);
  EXPECT_EQ(A.Result.Findings[0].Message,
            "open-coded kvmalloc(): kmalloc() with a __vmalloc() fallback on "
            "failure; no fix: kernel 4.9 has no kvmalloc() (it came in 4.12)");
  // 4.12's conversion: kvmalloc_array(..., __GFP_ZERO) before kvcalloc().
  auto B = run("void c(struct ring *r, unsigned n)\n{\n"
               "\tr->map = kcalloc(n, sizeof(long), GFP_KERNEL);\n"
               "\tif (!r->map)\n\t\tr->map = vzalloc(n * sizeof(long));\n}\n",
               "4.12", {"-DVL_KERNEL_4_9"});
  EXPECT_EQ(after(B), "void c(struct ring *r, unsigned n)\n{\n"
                      "\tr->map = kvmalloc_array(n, sizeof(long), GFP_KERNEL "
                      "| __GFP_ZERO);\n}\n");
}

TEST(OpenCodedKvmalloc, LookAlikesAreSilent) {
  auto A = run(
      // two objects
      "void a(struct ring *r, size_t len)\n{\n"
      "\tr->buf = kmalloc(len, GFP_KERNEL);\n\tif (!r->buf)\n"
      "\t\tr->map = vmalloc(len);\n}\n"
      // another size
      "void *b(size_t len, int x)\n{\n\tvoid *p = kmalloc(len, GFP_KERNEL);\n"
      "\tif (!p)\n\t\tp = vmalloc(len / 2);\n\tx++;\n\treturn p;\n}\n"
      // vmalloc for the small sizes
      "void c(struct ring *r, size_t len)\n{\n\tif (len < PAGE_SIZE)\n"
      "\t\tr->buf = vmalloc(len);\n\telse\n"
      "\t\tr->buf = kmalloc(len, GFP_KERNEL);\n}\n"
      // the size test is about another value
      "void d(struct ring *r, size_t len, size_t n)\n{\n\tif (n > PAGE_SIZE)\n"
      "\t\tr->buf = vmalloc(len);\n\telse\n"
      "\t\tr->buf = kmalloc(len, GFP_KERNEL);\n}\n"
      // another pointer tested
      "void e(struct ring *r, size_t len)\n{\n"
      "\tr->buf = kmalloc(len, GFP_KERNEL);\n\tif (!r->map)\n"
      "\t\tr->buf = vmalloc(len);\n}\n"
      // a macro writes it
      "#define ALLOC(p, n) do { p = kmalloc(n, GFP_KERNEL); if (!p) p = "
      "vmalloc(n); } while (0)\n"
      "void f(struct ring *r, size_t len) { ALLOC(r->buf, len); }\n");
  EXPECT_TRUE(A.Result.Findings.empty()) << messages(A)[0];
}

// Another file's exported helper (t4_alloc_mem(), ext4_kvzalloc()): its
// defining unit exports it, and with the facts a unit that only calls it
// gets a site per call, fixed by the caller's own mask.
TEST(OpenCodedKvmalloc, ExportedHelpersMakeSitesInOtherFiles) {
  AnalysisOptions Export;
  Export.ExportFacts = true;
  auto Def = analyse(
      AllocHeader +
          std::string(
              "void *t_alloc_mem(size_t size)\n{\n"
              "\tvoid *p = kzalloc(size, GFP_KERNEL | __GFP_NOWARN);\n\n"
              "\tif (!p)\n\t\tp = vzalloc(size);\n\treturn p;\n}\n"
              "void *t_kvzalloc(size_t size, gfp_t flags)\n{\n"
              "\tvoid *ret;\n\n"
              "\tret = kzalloc(size, flags | __GFP_NOWARN);\n"
              "\tif (!ret)\n"
              "\t\tret = __vmalloc(size, flags | __GFP_ZERO);\n"
              "\treturn ret;\n}\n"
              "static void *t_local(size_t size)\n{\n"
              "\tvoid *p;\n\n"
              "\tp = kzalloc(size, GFP_KERNEL);\n"
              "\tif (!p)\n\t\tp = vzalloc(size);\n\treturn p;\n}\n"),
      "6.1", {}, Check, Export);
  const CrossFileFacts &F = Def.Result.Facts;
  // External helpers only: a static one is never seen by another unit.
  ASSERT_EQ(F.KvHelpers.size(), 2u);
  const KvHelperFact &Mem = F.KvHelpers.at("t_alloc_mem");
  EXPECT_EQ(Mem.Linear, "kzalloc");
  EXPECT_EQ(Mem.Gfp, "GFP_KERNEL");
  EXPECT_EQ(Mem.GfpParam, -1);
  EXPECT_EQ(F.KvHelpers.at("t_kvzalloc").GfpParam, 1);
  EXPECT_EQ(F.KvHelpers.count("t_local"), 0u);
  // Through the facts file and back, unchanged.
  std::string Text = writeFactsJsonl(F, "");
  CrossFileFacts Back;
  ASSERT_EQ(readFactsJsonl(Text, "", Back), "");
  EXPECT_EQ(Back.KvHelpers, F.KvHelpers);
  EXPECT_EQ(writeFactsJsonl(Back, ""), Text);

  const std::string User =
      "void *t_alloc_mem(size_t size);\n"
      "void *t_kvzalloc(size_t size, gfp_t flags);\n"
      "int u(struct ring *r, unsigned n)\n{\n"
      "\tr->map = t_alloc_mem(n * sizeof(long));\n"
      "\tr->buf = t_kvzalloc(n, GFP_KERNEL);\n"
      "\tr->buf = t_kvzalloc(n, GFP_ATOMIC);\n\treturn 0;\n}\n";
  // Per unit: a call of an unknown function.
  EXPECT_TRUE(run(User).Result.Findings.empty());
  AnalysisOptions Import;
  Import.Imported = std::make_shared<CrossFileFacts>(Back);
  auto A = analyse(AllocHeader + User, "6.1", {}, Check, Import);
  ASSERT_EQ(checks(A),
            (std::vector<std::string>(3, "vmalloc-open-coded-kvmalloc")));
  EXPECT_EQ(A.Result.Findings[0].Message,
            "t_alloc_mem() is an open-coded kvzalloc() (kzalloc() with a "
            "vzalloc() fallback on failure); use kvzalloc(n * sizeof(long), "
            "GFP_KERNEL) (kvmalloc sets __GFP_NOWARN on its kmalloc attempt "
            "itself)");
  EXPECT_NE(A.Result.Findings[2].Message.find("no fix: GFP_ATOMIC"),
            std::string::npos);
  EXPECT_FALSE(A.Result.Findings[2].Fix);
  EXPECT_EQ(after(A),
            "void *t_alloc_mem(size_t size);\n"
            "void *t_kvzalloc(size_t size, gfp_t flags);\n"
            "int u(struct ring *r, unsigned n)\n{\n"
            "\tr->map = kvzalloc(n * sizeof(long), GFP_KERNEL);\n"
            "\tr->buf = kvzalloc(n, GFP_KERNEL);\n"
            "\tr->buf = t_kvzalloc(n, GFP_ATOMIC);\n\treturn 0;\n}\n");
}

// A helper its file exports to modules whose mask is its caller's
// (lustre's libcfs_kvzalloc_cpt() in 4.11): a run that knows it from the
// facts records each call's mask; with those records its body becomes one
// kv* call with the mask passed on when the target's kvmalloc takes every
// one (upstream's v4.12 body), and the calls stay; one GFP_NOFS call keeps
// the body (libcfs_kvzalloc(), which upstream kept) and the calls are
// judged one by one, as without the records. Without the EXPORT_SYMBOL()
// (ext4's ext4_kvzalloc(), whose calls v4.12 replaced) no call is
// recorded and the calls are sites as before.
TEST(OpenCodedKvmalloc, ExportedHelperTakesItsCallersMasksWhenAllFit) {
  const std::string Helper =
      "#define EXPORT_SYMBOL(sym) extern typeof(sym) sym\n"
      "void *kzalloc_node(size_t size, gfp_t flags, int node);\n"
      "void *vmalloc_node(unsigned long size, int node);\n"
      "void *t_kvzalloc_cpt(int cpt, size_t size, gfp_t flags)\n{\n"
      "\tvoid *ret;\n\n"
      "\tret = kzalloc_node(size, flags | __GFP_NOWARN, cpt);\n"
      "\tif (!ret)\n"
      "\t\tret = vmalloc_node(size, cpt);\n"
      "\treturn ret;\n}\n"
      "EXPORT_SYMBOL(t_kvzalloc_cpt);\n";
  const std::string Decl =
      "void *t_kvzalloc_cpt(int cpt, size_t size, gfp_t flags);\n";
  const std::string Head = "#define EXPORT_SYMBOL(sym) extern typeof(sym) "
                           "sym\nvoid *kzalloc_node(size_t size, gfp_t flags, "
                           "int node);\nvoid *vmalloc_node(unsigned long "
                           "size, int node);\n";
  const std::string Kernel = "void *u(int c, size_t n)\n{\n"
                             "\treturn t_kvzalloc_cpt(c, n, GFP_KERNEL);\n}\n";
  // (a line lower than Kernel's call: both units are test.c)
  const std::string NoFs = "\nvoid *v(int c, size_t n)\n{\n"
                           "\treturn t_kvzalloc_cpt(c, n, GFP_NOFS);\n}\n";
  AnalysisOptions Export;
  Export.ExportFacts = true;
  // Phase 1: the helper; no run knew it yet, so no calls are recorded.
  auto Def = analyse(AllocHeader + Helper, "4.12", {}, Check, Export);
  CrossFileFacts F1 = Def.Result.Facts;
  ASSERT_EQ(F1.KvHelpers.count("t_kvzalloc_cpt"), 1u);
  EXPECT_TRUE(F1.KvHelperCalls.empty());
  // Phase 2: each caller's unit knows it and records its call.
  AnalysisOptions Know = Export;
  Know.Imported = std::make_shared<CrossFileFacts>(F1);
  auto U = analyse(AllocHeader + Decl + Kernel, "4.12", {}, Check, Know);
  auto V = analyse(AllocHeader + Decl + NoFs, "4.12", {}, Check, Know);
  ASSERT_EQ(U.Result.Facts.KvHelperCalls.count("t_kvzalloc_cpt"), 1u);
  const auto &Calls = U.Result.Facts.KvHelperCalls.at("t_kvzalloc_cpt");
  ASSERT_EQ(Calls.size(), 1u);
  EXPECT_TRUE(Calls.begin()->second.GfpKnown);
  // Through the facts file and back, unchanged.
  std::string Text = writeFactsJsonl(U.Result.Facts, "");
  EXPECT_NE(Text.find("\"kind\":\"kvmalloc-helper-call\""), std::string::npos);
  CrossFileFacts Back;
  ASSERT_EQ(readFactsJsonl(Text, "", Back), "");
  EXPECT_EQ(Back.KvHelperCalls, U.Result.Facts.KvHelperCalls);
  // Phase 3, only the GFP_KERNEL caller: the body passes the mask on.
  CrossFileFacts Only = F1;
  Only.join(Back);
  AnalysisOptions WithCalls;
  WithCalls.Imported = std::make_shared<CrossFileFacts>(Only);
  auto A = analyse(AllocHeader + Helper, "4.12", {}, Check, WithCalls);
  ASSERT_EQ(checks(A), std::vector<std::string>{"vmalloc-open-coded-kvmalloc"});
  EXPECT_EQ(A.Result.Findings[0].Message,
            "t_kvzalloc_cpt() is an open-coded kvzalloc_node(): its body is "
            "kzalloc_node() with a vmalloc_node() fallback on failure; its "
            "mask is its caller's, and its 1 call (test.c:" +
                std::to_string(Calls.begin()->first.Line) +
                ") passes a mask kernel 4.12's kvmalloc() takes; make its body "
                "ret = kvzalloc_node(size, flags, cpt)");
  EXPECT_EQ(after(A),
            Head +
                "void *t_kvzalloc_cpt(int cpt, size_t size, gfp_t flags)\n{\n"
                "\tvoid *ret;\n\n\tret = kvzalloc_node(size, flags, cpt);\n"
                "\treturn ret;\n}\nEXPORT_SYMBOL(t_kvzalloc_cpt);\n");
  // The call is no site then: it calls the fixed helper.
  auto C = analyse(AllocHeader + Decl + Kernel, "4.12", {}, Check, WithCalls);
  EXPECT_TRUE(C.Result.Findings.empty());
  // With the GFP_NOFS call too: the body stays, the calls are judged.
  CrossFileFacts Both = Only;
  Both.join(V.Result.Facts);
  AnalysisOptions WithBoth;
  WithBoth.Imported = std::make_shared<CrossFileFacts>(Both);
  auto B = analyse(AllocHeader + Helper, "4.12", {}, Check, WithBoth);
  ASSERT_EQ(checks(B), std::vector<std::string>{"vmalloc-open-coded-kvmalloc"});
  EXPECT_FALSE(B.Result.Findings[0].Fix);
  EXPECT_NE(B.Result.Findings[0].Message.find(
                "; its body stays (the call at test.c:"),
            std::string::npos)
      << B.Result.Findings[0].Message;
  EXPECT_NE(B.Result.Findings[0].Message.find(
                "GFP_NOFS is not a superset of GFP_KERNEL"),
            std::string::npos)
      << B.Result.Findings[0].Message;
  auto D = analyse(AllocHeader + Decl + Kernel, "4.12", {}, Check, WithBoth);
  ASSERT_EQ(checks(D), std::vector<std::string>{"vmalloc-open-coded-kvmalloc"});
  EXPECT_TRUE(D.Result.Findings[0].Fix);

  // Not exported to modules: no call recorded, the calls stay sites.
  std::string Internal = Helper.substr(0, Helper.rfind("EXPORT_SYMBOL("));
  auto G = analyse(AllocHeader + Internal, "4.12", {}, Check, Export);
  EXPECT_FALSE(G.Result.Facts.KvHelpers.at("t_kvzalloc_cpt").ExportSymbol);
  AnalysisOptions KnowG = Export;
  KnowG.Imported = std::make_shared<CrossFileFacts>(G.Result.Facts);
  auto H = analyse(AllocHeader + Decl + Kernel, "4.12", {}, Check, KnowG);
  EXPECT_TRUE(H.Result.Facts.KvHelperCalls.empty());
  ASSERT_EQ(checks(H), std::vector<std::string>{"vmalloc-open-coded-kvmalloc"});
  EXPECT_TRUE(H.Result.Findings[0].Fix);
}

// A comment between the kmalloc() statement and the fallback stays where it
// is (the fix is two pieces); without one the fix is one piece, as always.
TEST(OpenCodedKvmalloc, CommentsBetweenThePiecesStayInPlace) {
  auto A =
      run("int a(struct ring *r, size_t len)\n{\n"
          "\tr->buf = kmalloc(len, GFP_KERNEL | __GFP_NOWARN); /* ring */\n"
          "\t/* Too large for kmalloc(): vmalloc() it. */\n"
          "\tif (!r->buf) {\n\t\tr->buf = vmalloc(len);\n"
          "\t\tif (!r->buf)\n\t\t\treturn -1;\n\t}\n\treturn 0;\n}\n"
          "int b(struct ring *r, size_t len)\n{\n"
          "\tr->buf = kmalloc(len, GFP_KERNEL); // the buffer\n"
          "\tif (!r->buf)\n\t\tr->buf = vmalloc(len);\n"
          "\treturn 0;\n}\n");
  ASSERT_EQ(checks(A),
            (std::vector<std::string>(2, "vmalloc-open-coded-kvmalloc")));
  ASSERT_TRUE(A.Result.Findings[0].Fix);
  EXPECT_EQ(A.Result.Findings[0].Fix->Edits.size(), 2u);
  EXPECT_EQ(after(A), "int a(struct ring *r, size_t len)\n{\n"
                      "\tr->buf = kvmalloc(len, GFP_KERNEL); /* ring */\n"
                      "\t/* Too large for kmalloc(): vmalloc() it. */\n"
                      "\tif (!r->buf)\n\t\treturn -1;\n\treturn 0;\n}\n"
                      "int b(struct ring *r, size_t len)\n{\n"
                      "\tr->buf = kvmalloc(len, GFP_KERNEL); // the buffer\n"
                      "\treturn 0;\n}\n");
}

// The 4.11 shapes v4.12 converted that are not "kmalloc; if (!p) vmalloc":
// on a node (mlx4 en_tx.c, x_tables' jumpstacks), NULL first with the
// kmalloc under a size test (agp), the kmalloc's result returned unless NULL
// (xt_alloc_entry_offsets()), and a fallback in a memalloc scope
// (dm-ioctl's copy_params(): reported, no fix).
TEST(OpenCodedKvmalloc, NodesNullFirstReturnedAndScopes) {
  const std::string Decls =
      "void *kmalloc_node(size_t size, gfp_t flags, int node);\n"
      "void *vmalloc_node(unsigned long size, int node);\n"
      "unsigned int memalloc_noio_save(void);\n"
      "void memalloc_noio_restore(unsigned int flags);\n";
  auto A =
      run(Decls +
          "int a(struct ring *r, size_t len, int node)\n{\n"
          "\tr->buf = kmalloc_node(len, GFP_KERNEL | __GFP_NOWARN, node);\n"
          "\tif (!r->buf)\n\t\tr->buf = vmalloc(len);\n\treturn 0;\n}\n"
          "void b(void **s, int n, size_t size)\n{\n"
          "\tif (size > PAGE_SIZE)\n\t\t*s = vmalloc_node(size,\n\t\t\tn);\n"
          "\telse\n\t\t*s = kmalloc_node(size,\n\t\t\tGFP_KERNEL, n);\n}\n"
          "void c(struct ring *r, size_t size)\n{\n\tr->buf = NULL;\n\n"
          "\tif (size <= 2*PAGE_SIZE)\n"
          "\t\tr->buf = kmalloc(size, GFP_KERNEL | __GFP_NOWARN);\n"
          "\tif (r->buf == NULL) {\n\t\tr->buf = vmalloc(size);\n\t}\n}\n"
          "unsigned *d(unsigned size)\n{\n\tunsigned *off;\n\n"
          "\toff = kcalloc(size, sizeof(unsigned), GFP_KERNEL | "
          "__GFP_NOWARN);\n\tif (off)\n\t\treturn off;\n"
          "\tif (size < (SIZE_MAX / sizeof(unsigned)))\n"
          "\t\toff = vmalloc(size * sizeof(unsigned));\n\treturn off;\n}\n"
          "void e(struct ring *r, size_t size)\n{\n\tr->buf = NULL;\n"
          "\tif (size <= PAGE_SIZE << 4)\n"
          "\t\tr->buf = kmalloc(size, GFP_KERNEL | __GFP_NOWARN);\n"
          "\tif (!r->buf) {\n\t\tunsigned f;\n\n"
          "\t\tf = memalloc_noio_save();\n"
          "\t\tr->buf = __vmalloc(size, GFP_KERNEL);\n"
          "\t\tmemalloc_noio_restore(f);\n\t}\n}\n"
          // look-alikes: two nodes; NULL first, kmalloc for large sizes
          "void *f(size_t len, int node)\n{\n"
          "\tvoid *p = kmalloc_node(len, GFP_KERNEL, node);\n"
          "\tif (!p)\n\t\tp = vmalloc_node(len, -1);\n\treturn p;\n}\n"
          "void g(struct ring *r, size_t size)\n{\n\tr->buf = NULL;\n"
          "\tif (size > PAGE_SIZE)\n"
          "\t\tr->buf = kmalloc(size, GFP_KERNEL);\n"
          "\tif (!r->buf)\n\t\tr->buf = vmalloc(size);\n}\n"
          // the kmalloc'ed pointer returned, the vmalloc'ed one not at once
          "void *i(size_t len, int *n)\n{\n\tvoid *p;\n\n"
          "\tp = kmalloc(len, GFP_KERNEL | __GFP_NOWARN);\n"
          "\tif (p)\n\t\treturn p;\n\tp = vmalloc(len);\n"
          "\t(*n)++;\n\treturn p;\n}\n");
  ASSERT_EQ(checks(A),
            (std::vector<std::string>(5, "vmalloc-open-coded-kvmalloc")))
      << ::testing::PrintToString(messages(A));
  EXPECT_EQ(A.Result.Findings[4].Message,
            "open-coded kvmalloc(): kmalloc() with a __vmalloc() fallback for "
            "large sizes; no fix: the __vmalloc() fallback runs under "
            "memalloc_noio_save(), the kmalloc attempt does not: one kv* call "
            "cannot keep that, the mask and the scope are a human's decision");
  EXPECT_EQ(after(A),
            Decls +
                "int a(struct ring *r, size_t len, int node)\n{\n"
                "\tr->buf = kvmalloc_node(len, GFP_KERNEL, node);\n"
                "\treturn 0;\n}\n"
                "void b(void **s, int n, size_t size)\n{\n"
                "\t*s = kvmalloc_node(size, GFP_KERNEL, n);\n}\n"
                "void c(struct ring *r, size_t size)\n{\n"
                "\tr->buf = kvmalloc(size, GFP_KERNEL);\n}\n"
                "unsigned *d(unsigned size)\n{\n\tunsigned *off;\n\n"
                "\toff = kvcalloc(size, sizeof(unsigned), GFP_KERNEL);\n"
                "\treturn off;\n}\n"
                "void e(struct ring *r, size_t size)\n{\n\tr->buf = NULL;\n"
                "\tif (size <= PAGE_SIZE << 4)\n"
                "\t\tr->buf = kmalloc(size, GFP_KERNEL | __GFP_NOWARN);\n"
                "\tif (!r->buf) {\n\t\tunsigned f;\n\n"
                "\t\tf = memalloc_noio_save();\n"
                "\t\tr->buf = __vmalloc(size, GFP_KERNEL);\n"
                "\t\tmemalloc_noio_restore(f);\n\t}\n}\n"
                "void *f(size_t len, int node)\n{\n"
                "\tvoid *p = kmalloc_node(len, GFP_KERNEL, node);\n"
                "\tif (!p)\n\t\tp = vmalloc_node(len, -1);\n\treturn p;\n}\n"
                "void g(struct ring *r, size_t size)\n{\n\tr->buf = NULL;\n"
                "\tif (size > PAGE_SIZE)\n"
                "\t\tr->buf = kmalloc(size, GFP_KERNEL);\n"
                "\tif (!r->buf)\n\t\tr->buf = vmalloc(size);\n}\n"
                "void *i(size_t len, int *n)\n{\n\tvoid *p;\n\n"
                "\tp = kmalloc(len, GFP_KERNEL | __GFP_NOWARN);\n"
                "\tif (p)\n\t\treturn p;\n\tp = vmalloc(len);\n"
                "\t(*n)++;\n\treturn p;\n}\n");
  // 4.12 has kvmalloc_node() and kvzalloc_node(), but no kvcalloc().
  auto B = run(Decls + "void *h(size_t len, int node)\n{\n"
                       "\tvoid *p = kzalloc(len, GFP_KERNEL);\n"
                       "\tif (!p)\n\t\tp = vmalloc_node(len, node);\n"
                       "\treturn p;\n}\nint x;\n",
               "4.12");
  ASSERT_EQ(B.Result.Findings.size(), 1u);
  EXPECT_NE(B.Result.Findings[0].Message.find(
                "make its body kvzalloc_node(len, GFP_KERNEL, node)"),
            std::string::npos)
      << B.Result.Findings[0].Message;
}

// 4.11 shapes v4.12 converted by hand: a small-size exit and a WARN_ON() of
// the mask in the fallback's block (keyctl, lustre), the kmalloc under a
// size test with its result returned (dm-stats), and an array's count and
// size as the fallback spells them (sch_choke).
TEST(OpenCodedKvmalloc, FallbackBlocksAndGuardedKmalloc) {
  const std::string Decls =
      "void __warn(void);\n"
      "#define WARN_ON(c) ({ int __w = !!(c); if (__w) __warn(); __w; })\n"
      "#define KMALLOC_MAX_SIZE (1UL << 22)\n"
      "void *kzalloc_node(size_t size, gfp_t flags, int node);\n"
      "void *vzalloc_node(unsigned long size, int node);\n";
  auto A =
      run(Decls +
          "int a(struct ring *r, size_t n)\n{\n"
          "\tr->buf = kmalloc(n, GFP_KERNEL | __GFP_NOWARN);\n"
          "\tif (!r->buf) {\n\t\tif (n <= PAGE_SIZE)\n\t\t\tgoto out;\n"
          "\t\tr->buf = vmalloc(n);\n\t\tif (!r->buf)\n\t\t\tgoto out;\n\t}\n"
          "\treturn 0;\nout:\n\treturn -1;\n}\n"
          "void *b(size_t n, gfp_t gfp)\n{\n\tvoid *p;\n\n"
          "\tp = kzalloc(n, gfp | __GFP_NOWARN);\n"
          "\tif (!p) {\n\t\tWARN_ON(!(gfp & __GFP_FS));\n"
          "\t\tp = vzalloc(n);\n\t}\n\treturn p;\n}\n"
          "void *b2(size_t n)\n{\n\treturn b(n, GFP_KERNEL);\n}\n"
          "void *c(size_t n, int node)\n{\n\tvoid *p;\n\n"
          "\tif (n <= KMALLOC_MAX_SIZE) {\n"
          "\t\tp = kzalloc_node(n, GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN, "
          "node);\n\t\tif (p)\n\t\t\treturn p;\n\t}\n"
          "\tp = vzalloc_node(n, node);\n\tif (p)\n\t\treturn p;\n"
          "\treturn (void *)0;\n}\n"
          "void d(struct ring *r, unsigned m)\n{\n"
          "\tr->map = kcalloc(m + 1, sizeof (long), GFP_KERNEL);\n"
          "\tif (!r->map)\n\t\tr->map = vzalloc((m + 1) * sizeof(long));\n}\n"
          // look-alikes: an exit that fails another way, one for the large
          // sizes, a warning of something else, the vmalloc'ed pointer not
          // returned at once
          "int e(struct ring *r, size_t n)\n{\n"
          "\tr->buf = kmalloc(n, GFP_KERNEL);\n"
          "\tif (!r->buf) {\n\t\tif (n <= PAGE_SIZE)\n\t\t\treturn -2;\n"
          "\t\tr->buf = vmalloc(n);\n\t\tif (!r->buf)\n\t\t\treturn -1;\n\t}\n"
          "\treturn 0;\n}\n"
          "int f(struct ring *r, size_t n)\n{\n"
          "\tr->buf = kmalloc(n, GFP_KERNEL);\n"
          "\tif (!r->buf) {\n\t\tif (n > PAGE_SIZE)\n\t\t\treturn -1;\n"
          "\t\tr->buf = vmalloc(n);\n\t\tif (!r->buf)\n\t\t\treturn -1;\n\t}\n"
          "\treturn 0;\n}\n"
          "void g(struct ring *r, size_t n, int *busy)\n{\n"
          "\tr->buf = kzalloc(n, GFP_KERNEL);\n"
          "\tif (!r->buf) {\n\t\tWARN_ON(*busy);\n"
          "\t\tr->buf = vzalloc(n);\n\t}\n}\n"
          "void *h(size_t n, int node, int *k)\n{\n\tvoid *p;\n\n"
          "\tif (n <= KMALLOC_MAX_SIZE) {\n"
          "\t\tp = kzalloc_node(n, GFP_KERNEL, node);\n"
          "\t\tif (p)\n\t\t\treturn p;\n\t}\n"
          "\tp = vzalloc_node(n, node);\n\t(*k)++;\n\treturn p;\n}\n");
  ASSERT_EQ(checks(A),
            (std::vector<std::string>(5, "vmalloc-open-coded-kvmalloc")))
      << ::testing::PrintToString(messages(A));
  EXPECT_EQ(A.Result.Findings[1].Message,
            "b() is an open-coded kvzalloc(): its body is kzalloc() with a "
            "vzalloc() fallback on failure (after a WARN_ON() of the mask, "
            "which kvmalloc() judges itself); its callers can call kvzalloc() "
            "instead (each call is reported) (the mask is the caller's: each "
            "call is judged by it)");
  EXPECT_EQ(A.Result.Findings[3].Message,
            "open-coded kvzalloc_node(): kzalloc_node() with a "
            "vzalloc_node() fallback for large sizes; use kvzalloc_node(n, "
            "GFP_KERNEL, node) (kvmalloc sets __GFP_NORETRY on its kmalloc "
            "attempt itself)");
  EXPECT_EQ(
      after(A),
      Decls +
          "int a(struct ring *r, size_t n)\n{\n"
          "\tr->buf = kvmalloc(n, GFP_KERNEL);\n"
          "\tif (!r->buf)\n\t\tgoto out;\n"
          "\treturn 0;\nout:\n\treturn -1;\n}\n"
          "void *b(size_t n, gfp_t gfp)\n{\n\tvoid *p;\n\n"
          "\tp = kzalloc(n, gfp | __GFP_NOWARN);\n"
          "\tif (!p) {\n\t\tWARN_ON(!(gfp & __GFP_FS));\n"
          "\t\tp = vzalloc(n);\n\t}\n\treturn p;\n}\n"
          "void *b2(size_t n)\n{\n\treturn kvzalloc(n, GFP_KERNEL);\n}\n"
          "void *c(size_t n, int node)\n{\n\tvoid *p;\n\n"
          "\tp = kvzalloc_node(n, GFP_KERNEL, node);\n\tif (p)\n\t\treturn p;\n"
          "\treturn (void *)0;\n}\n"
          "void d(struct ring *r, unsigned m)\n{\n"
          "\tr->map = kvcalloc((m + 1), sizeof(long), GFP_KERNEL);\n}\n"
          "int e(struct ring *r, size_t n)\n{\n"
          "\tr->buf = kmalloc(n, GFP_KERNEL);\n"
          "\tif (!r->buf) {\n\t\tif (n <= PAGE_SIZE)\n\t\t\treturn -2;\n"
          "\t\tr->buf = vmalloc(n);\n\t\tif (!r->buf)\n\t\t\treturn -1;\n\t}\n"
          "\treturn 0;\n}\n"
          "int f(struct ring *r, size_t n)\n{\n"
          "\tr->buf = kmalloc(n, GFP_KERNEL);\n"
          "\tif (!r->buf) {\n\t\tif (n > PAGE_SIZE)\n\t\t\treturn -1;\n"
          "\t\tr->buf = vmalloc(n);\n\t\tif (!r->buf)\n\t\t\treturn -1;\n\t}\n"
          "\treturn 0;\n}\n"
          "void g(struct ring *r, size_t n, int *busy)\n{\n"
          "\tr->buf = kzalloc(n, GFP_KERNEL);\n"
          "\tif (!r->buf) {\n\t\tWARN_ON(*busy);\n"
          "\t\tr->buf = vzalloc(n);\n\t}\n}\n"
          "void *h(size_t n, int node, int *k)\n{\n\tvoid *p;\n\n"
          "\tif (n <= KMALLOC_MAX_SIZE) {\n"
          "\t\tp = kzalloc_node(n, GFP_KERNEL, node);\n"
          "\t\tif (p)\n\t\t\treturn p;\n\t}\n"
          "\tp = vzalloc_node(n, node);\n\t(*k)++;\n\treturn p;\n}\n");
}

TEST(OpenCodedKvmalloc, LongCallIsBrokenAt80Columns) {
  // xt_alloc_entry_offsets() of 4.11 for 4.12: 82 columns on one line.
  auto A =
      run("unsigned int *xt(unsigned int size)\n{\n\tunsigned int *off;\n\n"
          "\toff = kcalloc(size, sizeof(unsigned int), GFP_KERNEL | "
          "__GFP_NOWARN);\n\n\tif (off)\n\t\treturn off;\n\n"
          "\tif (size < (SIZE_MAX / sizeof(unsigned int)))\n"
          "\t\toff = vmalloc(size * sizeof(unsigned int));\n\n"
          "\treturn off;\n}\n",
          "4.12");
  ASSERT_EQ(A.Result.Findings.size(), 1u);
  EXPECT_EQ(after(A), "unsigned int *xt(unsigned int size)\n{\n"
                      "\tunsigned int *off;\n\n"
                      "\toff = kvmalloc_array(size, sizeof(unsigned int),\n"
                      "\t\t\t     GFP_KERNEL | __GFP_ZERO);\n\n"
                      "\treturn off;\n}\n");
  // A declaration's initialiser: the code before the call counts; as many
  // arguments on each line as fit.
  auto B = run("void f(size_t nr_entries)\n{\n"
               "\tunsigned long *offsets_map = kmalloc_array(nr_entries, "
               "sizeof(unsigned long), GFP_KERNEL | __GFP_NOWARN);\n"
               "\tif (!offsets_map)\n\t\toffsets_map = vmalloc(nr_entries * "
               "sizeof(unsigned long));\n}\n");
  ASSERT_EQ(B.Result.Findings.size(), 1u);
  EXPECT_EQ(after(B),
            "void f(size_t nr_entries)\n{\n"
            "\tunsigned long *offsets_map = kvmalloc_array(nr_entries,\n"
            "\t\t\t\t\t\t    sizeof(unsigned long),\n"
            "\t\t\t\t\t\t    GFP_KERNEL);\n}\n");
}

TEST(OpenCodedKvmalloc, MaskLocalWithKvmallocsOwnFlagsGoes) {
  // seq_buf_alloc() of 4.11: the local adds __GFP_NORETRY | __GFP_NOWARN
  // for sizes over PAGE_SIZE, as kvmalloc() does on its kmalloc attempt.
  const std::string Head = "void *seq(unsigned long size)\n{\n\tvoid *buf;\n"
                           "\tgfp_t gfp = GFP_KERNEL;\n\n\t/* large: retry "
                           "less */\n\tif (size > PAGE_SIZE)\n"
                           "\t\tgfp |= __GFP_NORETRY | __GFP_NOWARN;\n"
                           "\tbuf = kmalloc(size, gfp);\n"
                           "\tif (!buf && size > PAGE_SIZE)\n"
                           "\t\tbuf = vmalloc(size);\n";
  auto A = run(Head + "\treturn buf;\n}\n", "4.12");
  ASSERT_EQ(A.Result.Findings.size(), 1u);
  EXPECT_EQ(messages(A)[0],
            "open-coded kvmalloc(): kmalloc() with a vmalloc() fallback on "
            "failure; use kvmalloc(size, GFP_KERNEL) (kvmalloc sets "
            "__GFP_NORETRY on its kmalloc attempt itself); gfp, the local "
            "mask that adds __GFP_NORETRY and __GFP_NOWARN for sizes over "
            "PAGE_SIZE, goes");
  EXPECT_EQ(after(A),
            "void *seq(unsigned long size)\n{\n\tvoid *buf;\n\n"
            "\t/* large: retry less */\n"
            "\tbuf = kvmalloc(size, GFP_KERNEL);\n\treturn buf;\n}\n");
  // The local used again afterwards: its value there would change; the
  // mask is not known at the kmalloc, no fix.
  auto B = run(Head + "\tif (!buf)\n\t\tbuf = kmalloc(size / 2, gfp);\n"
                      "\treturn buf;\n}\n",
               "4.12");
  ASSERT_EQ(B.Result.Findings.size(), 1u);
  EXPECT_FALSE(B.Result.Findings[0].Fix);
  EXPECT_NE(messages(B)[0].find("no fix"), std::string::npos);
  // The local's flags for small sizes: not kvmalloc's own; no fix.
  std::string Small = Head;
  Small.replace(Small.find("size > PAGE_SIZE)\n\t\tgfp"), 16,
                "size <= PAGE_SIZE");
  auto C = run(Small + "\treturn buf;\n}\n", "4.12");
  ASSERT_EQ(C.Result.Findings.size(), 1u);
  EXPECT_FALSE(C.Result.Findings[0].Fix);
}

// The frees of the memory the fix makes kv* memory (matchers/refactor/
// KvmallocFrees.h): more pieces of the same fix.
namespace {
const char *FreesHeader = "void kfree(const void *);\n"
                          "typedef _Bool bool;\n"
                          "bool is_vmalloc_addr(const void *x);\n";
} // namespace

TEST(OpenCodedKvmalloc, LocalFreedWithVfreeBecomesKvfree) {
  auto A = run(std::string(FreesHeader) +
               "int a(size_t n)\n{\n\tvoid *p;\n\n"
               "\tp = kmalloc(n, GFP_KERNEL | __GFP_NOWARN);\n"
               "\tif (!p)\n\t\tp = vmalloc(n);\n\tif (!p)\n\t\treturn -1;\n"
               "\tvfree(p);\n\treturn 0;\n}\n"
               "void b(void *p)\n{\n\tkfree(p);\n}\n");
  ASSERT_EQ(checks(A),
            (std::vector<std::string>(1, "vmalloc-open-coded-kvmalloc")));
  EXPECT_EQ(A.Result.Findings[0].Message,
            "open-coded kvmalloc(): kmalloc() with a vmalloc() fallback on "
            "failure; use kvmalloc(n, GFP_KERNEL) (kvmalloc sets "
            "__GFP_NOWARN on its kmalloc attempt itself); the fix makes the "
            "free of p (line 24) kvfree()");
  // Another function's p is another local: its kfree() stays.
  EXPECT_EQ(after(A).substr(std::string(FreesHeader).size()),
            "int a(size_t n)\n{\n\tvoid *p;\n\n"
            "\tp = kvmalloc(n, GFP_KERNEL);\n\tif (!p)\n\t\treturn -1;\n"
            "\tkvfree(p);\n\treturn 0;\n}\n"
            "void b(void *p)\n{\n\tkfree(p);\n}\n");
}

TEST(OpenCodedKvmalloc, FieldFreedElsewhereBecomesKvfree) {
  auto A = run(std::string(FreesHeader) +
               "int a(struct ring *r, size_t n)\n{\n"
               "\tif (n > PAGE_SIZE)\n\t\tr->buf = vzalloc(n);\n\telse\n"
               "\t\tr->buf = kzalloc(n, GFP_KERNEL);\n"
               "\treturn r->buf ? 0 : -1;\n}\n"
               "void b(struct ring *r, size_t n)\n{\n"
               "\tif (n > PAGE_SIZE)\n\t\tvfree(r->buf);\n\telse\n"
               "\t\tkfree(r->buf);\n\tr->buf = NULL;\n}\n"
               "void c(struct ring *r)\n{\n\tkfree(r->buf);\n}\n");
  ASSERT_EQ(A.Result.Findings.size(), 1u);
  EXPECT_EQ(A.Result.Findings[0].Message,
            "open-coded kvzalloc(): kzalloc() with a vzalloc() fallback for "
            "large sizes; use kvzalloc(n, GFP_KERNEL); the fix makes the 3 "
            "frees of r->buf (lines 26, 28 and 33) kvfree()");
  // The choice by size is one kvfree(); the NULL store does not count.
  EXPECT_EQ(after(A).substr(std::string(FreesHeader).size()),
            "int a(struct ring *r, size_t n)\n{\n"
            "\tr->buf = kvzalloc(n, GFP_KERNEL);\n"
            "\treturn r->buf ? 0 : -1;\n}\n"
            "void b(struct ring *r, size_t n)\n{\n"
            "\tkvfree(r->buf);\n\tr->buf = NULL;\n}\n"
            "void c(struct ring *r)\n{\n\tkvfree(r->buf);\n}\n");
}

TEST(OpenCodedKvmalloc, FieldStoredByOtherCodeKeepsItsFrees) {
  const std::string Alloc = "int a(struct ring *r, size_t n)\n{\n"
                            "\tr->buf = kzalloc(n, GFP_KERNEL);\n"
                            "\tif (!r->buf)\n\t\tr->buf = vzalloc(n);\n"
                            "\treturn r->buf ? 0 : -1;\n}\n"
                            "void c(struct ring *r)\n{\n\tkfree(r->buf);\n}\n";
  const std::string Fixed = "int a(struct ring *r, size_t n)\n{\n"
                            "\tr->buf = kvzalloc(n, GFP_KERNEL);\n"
                            "\treturn r->buf ? 0 : -1;\n}\n"
                            "void c(struct ring *r)\n{\n\tkfree(r->buf);\n}\n";
  struct Case {
    std::string Other, Why;
  } Cases[] = {
      {"void d(struct ring *r)\n{\n\tr->buf = kmalloc(8, GFP_KERNEL);\n}\n",
       "r->buf is also assigned kmalloc(8, GFP_KERNEL) at line 28"},
      {"void *get(void);\nvoid d(struct ring *r)\n{\n\tr->buf = get();\n}\n",
       "r->buf is also assigned get() at line 29"},
      {"void put(void **);\nvoid d(struct ring *r)\n{\n\tput(&r->buf);\n}\n",
       "line 29 takes its address"},
      {"void d(struct ring *r, size_t n)\n{\n"
       "\tr->buf = kzalloc(n, GFP_KERNEL);\n"
       "\tif (!r->buf)\n\t\tr->buf = vzalloc(n);\n}\n",
       "r->buf is also stored by the open-coded allocation at line 28"},
  };
  for (const Case &C : Cases) {
    auto A = run(std::string(FreesHeader) + Alloc + C.Other);
    ASSERT_GE(A.Result.Findings.size(), 1u) << C.Other;
    EXPECT_EQ(A.Result.Findings[0].Message,
              "open-coded kvzalloc(): kzalloc() with a vzalloc() fallback on "
              "failure; use kvzalloc(n, GFP_KERNEL); the free of r->buf "
              "(line 24) stays as written: " +
                  C.Why)
        << C.Other;
    EXPECT_EQ(after(A).substr(std::string(FreesHeader).size(), Fixed.size()),
              Fixed)
        << C.Other;
  }
}

TEST(OpenCodedKvmalloc, FreeInsideIsVmallocAddrChoiceIsLeft) {
  auto A = run(std::string(FreesHeader) +
               "int a(struct ring *r, size_t n)\n{\n"
               "\tr->buf = kzalloc(n, GFP_KERNEL);\n"
               "\tif (!r->buf)\n\t\tr->buf = vzalloc(n);\n"
               "\treturn r->buf ? 0 : -1;\n}\n"
               "void c(struct ring *r)\n{\n\tif (is_vmalloc_addr(r->buf))\n"
               "\t\tvfree(r->buf);\n\telse\n\t\tkfree(r->buf);\n}\n");
  ASSERT_EQ(A.Result.Findings.size(), 1u);
  EXPECT_EQ(A.Result.Findings[0].Message,
            "open-coded kvzalloc(): kzalloc() with a vzalloc() fallback on "
            "failure; use kvzalloc(n, GFP_KERNEL)");
}

TEST(OpenCodedKvmalloc, NoFixConvertsNoFree) {
  auto A = run(std::string(FreesHeader) +
                   "int a(struct ring *r, size_t n)\n{\n"
                   "\tr->buf = kzalloc(n, GFP_NOFS);\n"
                   "\tif (!r->buf)\n\t\tr->buf = __vmalloc(n, GFP_NOFS);\n"
                   "\treturn r->buf ? 0 : -1;\n}\n"
                   "void c(struct ring *r)\n{\n\tkfree(r->buf);\n}\n",
               "5.10");
  ASSERT_EQ(A.Result.Findings.size(), 1u);
  EXPECT_EQ(A.Result.Findings[0].Message.find("free"), std::string::npos)
      << A.Result.Findings[0].Message;
  EXPECT_TRUE(A.Result.Findings[0].FixRequests.empty());
}

// __GFP_REPEAT: 4.12's kvmalloc_node() overrides it with __GFP_NORETRY up
// to PAGE_SIZE << PAGE_ALLOC_COSTLY_ORDER, so for a constant size there
// the fix drops it (vhost.c's vhost_kvzalloc(sizeof(struct vhost_umem))
// calls, as v4.12 did); a larger or unknown size, or another kernel's
// rules, keep it.
TEST(OpenCodedKvmalloc, RepeatForAConstantNotCostlySizeGoes) {
  const std::string Code =
      "#define __GFP_REPEAT ((gfp_t)0x400u)\n"
      "#define PAGE_ALLOC_COSTLY_ORDER 3\n"
      "struct small { long a[4]; };\nstruct big { char b[40000]; };\n"
      "static void *kvz(unsigned long size)\n{\n\tvoid *p;\n\n"
      "\tp = kzalloc(size, GFP_KERNEL | __GFP_NOWARN | __GFP_REPEAT);\n"
      "\tif (!p)\n\t\tp = vzalloc(size);\n\treturn p;\n}\n"
      "void a(struct ring *r, size_t n)\n{\n"
      "\tr->buf = kvz(sizeof(struct small));\n"
      "\tr->map = kvz(sizeof(struct big));\n"
      "\tr->buf = kvz(n);\n}\n";
  auto A = run(Code, "4.12");
  ASSERT_EQ(A.Result.Findings.size(), 4u);
  EXPECT_EQ(A.Result.Findings[1].Message,
            "kvz() is an open-coded kvzalloc() (kzalloc() with a vzalloc() "
            "fallback on failure); use kvzalloc(sizeof(struct small), "
            "GFP_KERNEL) (kvmalloc sets __GFP_NOWARN on its kmalloc attempt "
            "itself); __GFP_REPEAT goes: for 32 bytes (at most PAGE_SIZE << "
            "PAGE_ALLOC_COSTLY_ORDER, 32768) it does nothing (4.12's "
            "mm/util.c: \"We have to override __GFP_REPEAT by __GFP_NORETRY "
            "for !costly requests\")");
  std::string Out = after(A);
  EXPECT_NE(Out.find("\tr->buf = kvzalloc(sizeof(struct small), GFP_KERNEL);\n"
                     "\tr->map = kvzalloc(sizeof(struct big), GFP_KERNEL | "
                     "__GFP_REPEAT);\n"
                     "\tr->buf = kvzalloc(n, GFP_KERNEL | __GFP_REPEAT);\n"),
            std::string::npos)
      << Out;
  // The later rows were not read for this rule: the flag stays.
  auto B = run(Code, "4.14");
  ASSERT_EQ(B.Result.Findings.size(), 4u);
  EXPECT_EQ(B.Result.Findings[1].Message.find("__GFP_REPEAT goes"),
            std::string::npos);
  EXPECT_NE(after(B).find("kvzalloc(sizeof(struct small), GFP_KERNEL | "
                          "__GFP_REPEAT)"),
            std::string::npos);
}
