// The analysis core on in-memory code: census, gfp evaluation (constants,
// composite macros, variables, parameters, wrappers), classes and checks.
#include "TestSupport.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>
#include <unistd.h>

using namespace vmalloc_lint;
using namespace vmalloc_lint::test;

namespace {
const CallSite *siteOf(const Analysed &A, const std::string &Function,
                       const std::string &Callee) {
  for (const CallSite &S : A.Result.Sites)
    if (S.Function == Function && S.Callee == Callee)
      return &S;
  return nullptr;
}
} // namespace

TEST(Census, ConstantThroughCompositeMacros) {
  auto A = analyse("void *f(void) { return __vmalloc(64, THREADINFO_GFP); }\n"
                   "void *g(void) { return __vmalloc(64, GFP_HIGHUSER); }\n");
  const CallSite *F = siteOf(A, "f", "__vmalloc");
  ASSERT_NE(F, nullptr);
  EXPECT_TRUE(F->Gfp.Constant);
  EXPECT_EQ(F->Gfp.Must, 0xcc0u | 0x400000u | 0x100u);
  EXPECT_EQ(F->Gfp.Flags, "GFP_KERNEL_ACCOUNT | __GFP_ZERO");
  EXPECT_EQ(F->GfpText, "THREADINFO_GFP");
  EXPECT_EQ(F->Class, "ok");
  const CallSite *G = siteOf(A, "g", "__vmalloc");
  ASSERT_NE(G, nullptr);
  EXPECT_EQ(G->Gfp.Flags, "GFP_HIGHUSER");
  EXPECT_EQ(G->Class, "redundant-highmem");
}

TEST(Census, ImplicitAndDeviceSafeAllocators) {
  auto A =
      analyse("void f(void) { void *a = vmalloc(1); void *b = vmalloc_32(1);"
              " vfree(a); vfree(b); }\n");
  EXPECT_EQ(siteOf(A, "f", "vmalloc")->Class, "implicit-gfp");
  EXPECT_EQ(siteOf(A, "f", "vmalloc_32")->Class, "device-safe");
  EXPECT_EQ(siteOf(A, "f", "vmalloc_32")->Provenance, "vmalloc_32");
  EXPECT_TRUE(A.Result.Findings.empty());
}

TEST(GfpEvaluation, FollowsLocalVariables) {
  auto A = analyse("void *f(void) {\n"
                   "  gfp_t gfp = GFP_KERNEL | __GFP_HIGHMEM;\n"
                   "  return __vmalloc(64, gfp);\n}\n");
  const CallSite *S = siteOf(A, "f", "__vmalloc");
  ASSERT_NE(S, nullptr);
  EXPECT_EQ(S->Gfp.Flags, "GFP_KERNEL | __GFP_HIGHMEM");
  ASSERT_EQ(checks(A), std::vector<std::string>{"vmalloc-redundant-highmem"});
  const Finding &F = A.Result.Findings[0];
  // The local is set once and only __vmalloc() gets it: the fix is at its
  // initialiser (test/unit/FixTest.cpp has the cases without a fix).
  ASSERT_TRUE(F.Fix) << "the fix goes at the initialiser";
  EXPECT_EQ(fixed(A), "void *f(void) {\n"
                      "  gfp_t gfp = GFP_KERNEL;\n"
                      "  return __vmalloc(64, gfp);\n}\n");
  ASSERT_FALSE(F.Notes.empty());
  EXPECT_EQ(F.Notes[0].Message, "the flag is set here");
  EXPECT_EQ(F.Notes[0].Where.Line, 3u); // line 2 of the snippet + include
}

TEST(GfpEvaluation, ConditionalOrIsAMayNotAMust) {
  auto A = analyse("void *f(int zero) {\n"
                   "  gfp_t gfp = GFP_KERNEL;\n"
                   "  if (zero)\n    gfp |= __GFP_ZERO;\n"
                   "  return __vmalloc(64, gfp);\n}\n");
  const CallSite *S = siteOf(A, "f", "__vmalloc");
  ASSERT_NE(S, nullptr);
  EXPECT_EQ(S->Gfp.Flags, "GFP_KERNEL");
  EXPECT_FALSE(S->Gfp.Constant);
}

TEST(GfpEvaluation, MaskedOutHighmemIsSilent) {
  auto A = analyse(
      "void *f(gfp_t gfp) { return __vmalloc(64, gfp & ~__GFP_HIGHMEM); }\n"
      "void *g(void) { return f(GFP_KERNEL | __GFP_HIGHMEM); }\n");
  EXPECT_TRUE(A.Result.Findings.empty());
  const CallSite *G = siteOf(A, "g", "f");
  ASSERT_NE(G, nullptr);
  EXPECT_EQ(G->Gfp.Flags, "GFP_KERNEL");
}

TEST(Wrappers, ParameterForwardingFunctionIsAFamilyMember) {
  auto A = analyse(
      "static void *buf_alloc(unsigned long n, gfp_t gfp)\n"
      "{\n  return __vmalloc(n, gfp | __GFP_ZERO);\n}\n"
      "void *a(void) { return buf_alloc(8, GFP_KERNEL | __GFP_HIGHMEM); }\n"
      "void *b(void) { return buf_alloc(8, GFP_KERNEL); }\n");
  const CallSite *Inner = siteOf(A, "buf_alloc", "__vmalloc");
  ASSERT_NE(Inner, nullptr);
  EXPECT_TRUE(Inner->Wrapper);
  EXPECT_EQ(Inner->Class, "forwarded");
  ASSERT_EQ(Inner->Gfp.Symbolic.size(), 1u);
  EXPECT_EQ(Inner->Gfp.Symbolic[0], "parameter 'gfp'");
  const CallSite *CA = siteOf(A, "a", "buf_alloc");
  ASSERT_NE(CA, nullptr);
  EXPECT_EQ(CA->Allocator, "__vmalloc");
  EXPECT_EQ(CA->Via, std::vector<std::string>{"buf_alloc"});
  EXPECT_EQ(CA->Gfp.Flags, "GFP_KERNEL | __GFP_HIGHMEM | __GFP_ZERO");
  EXPECT_EQ(CA->Class, "redundant-highmem");
  EXPECT_EQ(siteOf(A, "b", "buf_alloc")->Class, "ok");
  ASSERT_EQ(A.Result.Findings.size(), 1u);
  EXPECT_EQ(A.Result.Findings[0].Where.Line, 6u);
  EXPECT_EQ(fixed(A).find("buf_alloc(8, GFP_KERNEL | __GFP_HIGHMEM)"),
            std::string::npos);
}

TEST(Wrappers, WrapperOfWrapper) {
  auto A = analyse(
      "static void *inner(unsigned long n, gfp_t gfp) { return __vmalloc(n, "
      "gfp); }\n"
      "static void *outer(gfp_t g, unsigned long n) { return inner(n, g); }\n"
      "void *c(void) { return outer(__GFP_HIGHMEM | GFP_NOFS, 1); }\n");
  const CallSite *S = siteOf(A, "c", "outer");
  ASSERT_NE(S, nullptr);
  EXPECT_EQ(S->Via, (std::vector<std::string>{"outer", "inner"}));
  EXPECT_EQ(checks(A), std::vector<std::string>{"vmalloc-redundant-highmem"});
}

TEST(Version, Kernel49LowmemAndNoRedundancy) {
  std::string Code =
      "void *a(void) { return __vmalloc(64, GFP_KERNEL, PAGE_KERNEL); }\n"
      "void *b(void) { return __vmalloc(64, GFP_KERNEL | __GFP_HIGHMEM, "
      "PAGE_KERNEL); }\n"
      "void *c(void) { return vmalloc(64); }\n";
  auto A = analyse(Code, "4.9", {"-DVL_KERNEL_4_9"});
  ASSERT_EQ(checks(A), std::vector<std::string>{"vmalloc-lowmem-gfp"});
  EXPECT_EQ(siteOf(A, "a", "__vmalloc")->GfpText, "GFP_KERNEL")
      << "gfp found by its gfp_t parameter, not by position";
  EXPECT_EQ(siteOf(A, "b", "__vmalloc")->Class, "ok");
  EXPECT_NE(
      fixed(A).find(
          "__vmalloc(64, GFP_KERNEL | __GFP_HIGHMEM, PAGE_KERNEL); }\nvoid *b"),
      std::string::npos);
  // The same code judged by 6.1 rules: b is redundant, a is fine.
  auto B = analyse(Code, "6.1", {"-DVL_KERNEL_4_9"});
  EXPECT_EQ(checks(B), std::vector<std::string>{"vmalloc-redundant-highmem"});
}

TEST(Zone, ModifiersAndTheTreesZoneBadTable) {
  auto A =
      analyse("void *a(void) { return __vmalloc(8, GFP_KERNEL | GFP_DMA32); }\n"
              "void *b(void) { return __vmalloc(8, GFP_KERNEL | __GFP_HIGHMEM "
              "| __GFP_DMA32); }\n");
  EXPECT_EQ(siteOf(A, "a", "__vmalloc")->Class, "zone-modifier");
  EXPECT_EQ(siteOf(A, "b", "__vmalloc")->Class, "zone-bad");
  EXPECT_EQ(checks(A), (std::vector<std::string>{"vmalloc-zone-gfp",
                                                 "vmalloc-redundant-highmem",
                                                 "vmalloc-zone-gfp"}));
  EXPECT_NE(A.Result.Findings[0].Message.find("use vmalloc_32()"),
            std::string::npos);
  EXPECT_EQ(A.Result.Findings[0].Message.find("GFP_ZONE_BAD"),
            std::string::npos);
  EXPECT_NE(A.Result.Findings[2].Message.find(
                "__GFP_HIGHMEM | __GFP_DMA32 is a zone combination the tree's "
                "GFP_ZONE_BAD rejects"),
            std::string::npos);
  // A tree whose GFP_ZONE_BAD allows the mix: no zone-bad finding.
  auto B = analyse("void *b(void) { return __vmalloc(8, GFP_KERNEL | "
                   "__GFP_HIGHMEM | __GFP_DMA32); }\n",
                   "6.1", {"-DVL_ZONE_BAD_OVERRIDE"});
  EXPECT_EQ(siteOf(B, "b", "__vmalloc")->Class, "zone-modifier");
}

TEST(Kvmalloc, HighmemAndDma32AreBugs) {
  auto A = analyse(
      "void *a(void) { return kvmalloc(8, GFP_KERNEL | __GFP_HIGHMEM); }\n"
      "void *b(void) { return kvmalloc(8, GFP_KERNEL | __GFP_DMA32); }\n"
      "void *c(void) { return kvmalloc(8, GFP_KERNEL | __GFP_NORETRY); }\n");
  EXPECT_EQ(checks(A), (std::vector<std::string>{"vmalloc-kvmalloc-highmem",
                                                 "vmalloc-kvmalloc-highmem"}));
  EXPECT_TRUE(A.Result.Findings[0].Fix);
  EXPECT_FALSE(A.Result.Findings[1].Fix);
  EXPECT_EQ(siteOf(A, "c", "kvmalloc")->Class, "ok");
  // kvmalloc's own body (slab.h inline) is the allocator, not a site to judge.
  EXPECT_EQ(siteOf(A, "kvmalloc", "kvmalloc_node")->Class,
            "allocator-internal");
}

TEST(Unsupported, ReclaimRules) {
  auto A = analyse(
      "void *a(void) { return __vmalloc(8, GFP_ATOMIC); }\n"
      "void *b(void) { return __vmalloc(8, GFP_KERNEL | __GFP_NORETRY); }\n"
      "void *c(void) { return __vmalloc(8, GFP_NOIO); }\n"
      "void *d(void) { return __vmalloc(8, GFP_KERNEL | __GFP_NOFAIL); }\n");
  EXPECT_EQ(checks(A), (std::vector<std::string>{"vmalloc-unsupported-gfp",
                                                 "vmalloc-unsupported-gfp"}));
  EXPECT_EQ(siteOf(A, "c", "__vmalloc")->Class, "ok");
  EXPECT_EQ(siteOf(A, "d", "__vmalloc")->Class, "ok");
}

TEST(Checks, GlobDisablesFindingsNotClasses) {
  std::string Code =
      "void *a(void) { return __vmalloc(8, GFP_KERNEL | __GFP_HIGHMEM); }\n"
      "void *b(void) { return __vmalloc(8, GFP_ATOMIC); }\n";
  auto All = analyse(Code);
  EXPECT_EQ(checks(All), (std::vector<std::string>{"vmalloc-redundant-highmem",
                                                   "vmalloc-unsupported-gfp"}));
  auto Some = analyse(Code, "6.1", {}, "vmalloc-*,-vmalloc-redundant-highmem");
  EXPECT_EQ(checks(Some), std::vector<std::string>{"vmalloc-unsupported-gfp"});
  EXPECT_EQ(siteOf(Some, "a", "__vmalloc")->Class, "redundant-highmem")
      << "the census class does not depend on --checks";
  auto None = analyse(Code, "6.1", {}, "-*,vmalloc-zone-gfp");
  EXPECT_TRUE(None.Result.Findings.empty());
  EXPECT_EQ(siteOf(None, "b", "__vmalloc")->Class, "unsupported-gfp");
}

TEST(GfpFlags, EnumAndBitMacrosOfNewerTrees) {
  // 6.10+: ___GFP_HIGHMEM is BIT(___GFP_HIGHMEM_BIT), through _AC's ## paste.
  auto A = analyse(
      "void *a(void) { return __vmalloc(8, GFP_KERNEL | __GFP_HIGHMEM); }\n"
      "void *b(void) { return __vmalloc(8, GFP_KERNEL | __GFP_HIGHMEM | "
      "__GFP_DMA32); }\n"
      "void *c(void) { return __vmalloc(8, GFP_NOWAIT); }\n",
      "6.12", {"-DVL_ENUM_GFP"});
  const CallSite *S = siteOf(A, "a", "__vmalloc");
  ASSERT_NE(S, nullptr);
  EXPECT_EQ(S->Gfp.Flags, "GFP_KERNEL | __GFP_HIGHMEM");
  EXPECT_EQ(S->Class, "redundant-highmem");
  EXPECT_EQ(siteOf(A, "b", "__vmalloc")->Class, "zone-bad")
      << "GFP_ZONE_BAD evaluated through BIT()";
  EXPECT_EQ(siteOf(A, "c", "__vmalloc")->Class, "unsupported-gfp");
  EXPECT_EQ(
      fixed(A).substr(0, 64),
      "void *a(void) { return __vmalloc(8, GFP_KERNEL); }\nvoid *b(void)");
}

TEST(Unsupported, AbsentOnEveryPathIsEnough) {
  // mm/page_alloc.c alloc_large_system_hash(): both branches lack
  // __GFP_DIRECT_RECLAIM, so the mask is not constant but the rule holds.
  auto A = analyse(
      "void *a(int zero) {\n"
      "  gfp_t gfp_flags = zero ? GFP_ATOMIC | __GFP_ZERO : GFP_ATOMIC;\n"
      "  return __vmalloc(8, gfp_flags);\n}\n"
      "void *b(int sleep) {\n"
      "  gfp_t g = sleep ? GFP_KERNEL : GFP_ATOMIC;\n"
      "  return __vmalloc(8, g);\n}\n"
      "void *c(gfp_t g) { return kmalloc(8, g) ? 0 : __vmalloc(8, g | "
      "__GFP_ZERO); }\n"
      "void *d(void) { return c(GFP_NOWAIT); }\n");
  EXPECT_EQ(siteOf(A, "a", "__vmalloc")->Class, "unsupported-gfp");
  EXPECT_FALSE(siteOf(A, "a", "__vmalloc")->Gfp.Constant);
  EXPECT_EQ(siteOf(A, "b", "__vmalloc")->Class, "symbolic")
      << "one path has direct reclaim: not reported";
  EXPECT_EQ(siteOf(A, "c", "__vmalloc")->Class, "forwarded");
  EXPECT_EQ(siteOf(A, "d", "c")->Class, "unsupported-gfp");
  EXPECT_EQ(checks(A), (std::vector<std::string>{"vmalloc-unsupported-gfp",
                                                 "vmalloc-unsupported-gfp"}));
}

TEST(Version, LowmemWhenNoPathAddsHighmem) {
  auto A = analyse("void *a(int z) {\n  gfp_t gfp = GFP_KERNEL;\n"
                   "  if (z)\n    gfp |= __GFP_ZERO;\n"
                   "  return __vmalloc(8, gfp, PAGE_KERNEL);\n}\n"
                   "void *b(int h) {\n  gfp_t gfp = GFP_KERNEL;\n"
                   "  if (h)\n    gfp |= __GFP_HIGHMEM;\n"
                   "  return __vmalloc(8, gfp, PAGE_KERNEL);\n}\n",
                   "4.9", {"-DVL_KERNEL_4_9"});
  EXPECT_EQ(siteOf(A, "a", "__vmalloc")->Class, "lowmem");
  EXPECT_EQ(siteOf(A, "b", "__vmalloc")->Class, "symbolic");
  ASSERT_EQ(checks(A), std::vector<std::string>{"vmalloc-lowmem-gfp"});
  EXPECT_FALSE(A.Result.Findings[0].Fix) << "the mask comes from a variable";
}

// A call clang could not fully parse (another argument is undeclared, as
// parisc's PAGE_KERNEL_RWX under x86 flags) is still a site and a finding,
// classified from its gfp argument and marked recovered; the fix only when
// the gfp argument itself compiled.
TEST(Recovered, CallWithAnUndeclaredArgumentIsStillASite) {
  auto A = analyse(
      "void *a(void) { return __vmalloc(64, GFP_KERNEL | __GFP_HIGHMEM, "
      "PAGE_KERNEL_RWX); }\n"
      "void *b(void) { return __vmalloc(64, GFP_KERNEL | __GFP_HIGHMEM | "
      "__GFP_NOT_HERE, PAGE_KERNEL); }\n"
      "void *c(void) { return __vmalloc(64, GFP_KERNEL, PAGE_KERNEL); }\n",
      "6.1", {"-DVL_KERNEL_4_9"});
  const CallSite *SA = siteOf(A, "a", "__vmalloc");
  const CallSite *SB = siteOf(A, "b", "__vmalloc");
  const CallSite *SC = siteOf(A, "c", "__vmalloc");
  ASSERT_TRUE(SA && SB && SC);
  EXPECT_TRUE(SA->Recovered);
  EXPECT_TRUE(SB->Recovered);
  EXPECT_FALSE(SC->Recovered);
  EXPECT_EQ(SA->Class, "redundant-highmem");
  EXPECT_EQ(SB->Class, "redundant-highmem")
      << "the operands of the gfp argument that compiled count";
  ASSERT_EQ(checks(A), (std::vector<std::string>{"vmalloc-redundant-highmem",
                                                 "vmalloc-redundant-highmem"}));
  const Finding &FA = A.Result.Findings[0], &FB = A.Result.Findings[1];
  EXPECT_TRUE(FA.Fix.has_value()) << "gfp argument intact: fixed";
  EXPECT_FALSE(FB.Fix.has_value());
  auto HasNote = [](const Finding &F, const std::string &Text) {
    for (const Note &N : F.Notes)
      if (N.Message.find(Text) != std::string::npos)
        return true;
    return false;
  };
  EXPECT_TRUE(HasNote(FA, "did not fully compile (clang recovered it)"));
  EXPECT_TRUE(HasNote(FB, "no fix: the gfp argument did not compile"));
  EXPECT_NE(fixed(A).find("__vmalloc(64, GFP_KERNEL, PAGE_KERNEL_RWX)"),
            std::string::npos);
}

// vmalloc-lowmem-gfp says what the unit's configuration (its autoconf.h)
// says of CONFIG_HIGHMEM.
TEST(Lowmem, MessageSaysWhetherTheConfigurationHasHighmem) {
  std::string Dir =
      testing::TempDir() + "vl-autoconf-" + std::to_string(::getpid());
  llvm::sys::fs::create_directories(Dir + "/hm/generated");
  llvm::sys::fs::create_directories(Dir + "/no/generated");
  {
    std::error_code EC;
    llvm::raw_fd_ostream(Dir + "/hm/generated/autoconf.h", EC)
        << "#define CONFIG_X86_32 1\n#define CONFIG_HIGHMEM 1\n";
    llvm::raw_fd_ostream(Dir + "/no/generated/autoconf.h", EC)
        << "#define CONFIG_X86_64 1\n";
  }
  std::string Code =
      "void *a(void) { return __vmalloc(64, GFP_KERNEL, PAGE_KERNEL); }\n";
  auto Message = [&](const std::string &Conf) {
    std::vector<std::string> Args = {"-DVL_KERNEL_4_9"};
    if (!Conf.empty())
      Args.insert(Args.end(),
                  {"-include", Dir + "/" + Conf + "/generated/autoconf.h"});
    auto A = analyse(Code, "4.9", Args);
    return A.Result.Findings.size() == 1 ? A.Result.Findings[0].Message
                                         : std::string("no finding");
  };
  EXPECT_NE(Message("hm").find("(this configuration has CONFIG_HIGHMEM)"),
            std::string::npos);
  EXPECT_NE(Message("no").find("(this configuration has no CONFIG_HIGHMEM"),
            std::string::npos);
  EXPECT_EQ(Message("").find("this configuration"), std::string::npos);
  llvm::sys::fs::remove_directories(Dir);
}

// The places a header the parse did not find could have been key the
// results cache (an entry is stale once one of them holds a file). A header
// passed by on purpose is not one: clang's own stdarg.h asks
// `__has_include_next(<stdarg.h>)`, which names stdarg.h in every search
// directory, its own among them; recorded, it made every cache entry of a
// unit that includes <stdarg.h> stale (every unit of 4.11).
TEST(AbsentHeaders, AHeaderPassedByIncludeNextIsNotAbsent) {
  AnalysisOptions Opts;
  Opts.Version = *KernelVersion::parse("6.1");
  Opts.Checks = CheckGlob("vmalloc-*");
  AnalysisResult R;
  clang::tooling::FileContentMappings Files = {
      {"/vl/inc/self.h", "#if __has_include_next(<self.h>)\n#endif\n"}};
  clang::tooling::runToolOnCodeWithArgs(
      makeAnalysisAction(Opts, R),
      "#include <self.h>\n#if __has_include(<nothere.h>)\n#endif\n",
      {"-std=gnu11", "-w", "-I/vl/inc"}, "/vl/test.c", "vmalloc-lint-test",
      std::make_shared<clang::PCHContainerOperations>(), Files);
  EXPECT_NE(std::find(R.FilesAbsent.begin(), R.FilesAbsent.end(),
                      "/vl/inc/nothere.h"),
            R.FilesAbsent.end());
  EXPECT_EQ(
      std::find(R.FilesAbsent.begin(), R.FilesAbsent.end(), "/vl/inc/self.h"),
      R.FilesAbsent.end());
}
