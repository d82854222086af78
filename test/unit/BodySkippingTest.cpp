// The function-body filter: which bodies the parse may skip, and that
// skipping loses nothing the checks see (sites, findings, fixes).
#include "TestSupport.h"

#include "matchers/kernel/VmallocApi.h"
#include "matchers/text/BodySkipping.h"

#include <gtest/gtest.h>

using namespace vmalloc_lint;
using namespace vmalloc_lint::test;

namespace {

const char *FamilyDecls = R"(
void *vmalloc(unsigned long size);
void *__vmalloc(unsigned long size, gfp_t gfp_mask);
void *vmalloc_to_page(const void *addr);
typedef unsigned long long u64;
static inline u64 virt_to_phys(volatile void *address)
{
	return (unsigned long)address;
}
)";

/// Analyses Main (which includes "lib.h", holding Lib) with or without the
/// body filter; Names are the filter's API names (the prefilter's closure
/// of the family, here the family itself unless a test narrows it).
AnalysisResult run(const std::string &Lib, const std::string &Main, bool Skip,
                   const std::string &Checks = "vmalloc-*",
                   std::vector<std::string> Names = {},
                   const std::string &Late = "") {
  AnalysisResult R;
  AnalysisOptions Opts;
  Opts.Version = *KernelVersion::parse("6.1");
  Opts.Checks = CheckGlob(Checks);
  if (Skip) {
    auto S = std::make_shared<BodySkipping>();
    if (Names.empty())
      for (const VmallocApiEntry &E : vmallocApi())
        Names.push_back(E.Name);
    Names.push_back("virt_to_phys");
    S->Names = KeywordSet(Names);
    bool PassTwo = Checks.find("virt-to-phys") != std::string::npos ||
                   Checks == "vmalloc-*";
    S->KeepMainFile = PassTwo;
    S->FollowFields = PassTwo;
    Opts.SkipBodies = S;
  }
  clang::tooling::FileContentMappings Files = {
      {"/vl/gfp.h", GfpHeader},
      {"/vl/lib.h", std::string("#include \"gfp.h\"\n") + FamilyDecls + Lib},
      {"/vl/late.h", Late}};
  clang::tooling::runToolOnCodeWithArgs(
      makeAnalysisAction(Opts, R), "#include \"lib.h\"\n" + Main,
      {"-std=gnu11", "-w"}, "/vl/test.c", "vmalloc-lint-test",
      std::make_shared<clang::PCHContainerOperations>(), Files);
  buildFixes(R);
  return R;
}

std::vector<std::string> summary(const AnalysisResult &R) {
  std::vector<std::string> Out;
  for (const CallSite &S : R.Sites)
    Out.push_back("site " + S.Where.File + ":" + std::to_string(S.Where.Line) +
                  " " + S.Class);
  for (const Finding &F : R.Findings) {
    Out.push_back(F.Check + " " + F.Where.File + ":" +
                  std::to_string(F.Where.Line) + (F.Fix ? " fix" : ""));
    for (const Note &N : F.Notes)
      Out.push_back("  note " + N.Message);
    if (F.Fix)
      for (const TextEdit &E : F.Fix->Edits)
        Out.push_back("  edit " + E.File + ":" + std::to_string(E.Offset) +
                      " " + E.Text);
  }
  return Out;
}

/// The same sites and findings with and without the filter; the filter's
/// counts (parsed, skipped) returned.
std::pair<unsigned long, unsigned long>
sameWithAndWithout(const std::string &Lib, const std::string &Main,
                   const std::string &Checks = "vmalloc-*",
                   std::vector<std::string> Names = {}) {
  AnalysisResult Off = run(Lib, Main, false, Checks);
  AnalysisResult On = run(Lib, Main, true, Checks, Names);
  EXPECT_EQ(summary(On), summary(Off));
  EXPECT_EQ(Off.BodiesParsed + Off.BodiesSkipped, 0u);
  return {On.BodiesParsed, On.BodiesSkipped};
}

const char *Pass1 = "-*,vmalloc-redundant-highmem,vmalloc-lowmem-gfp";

TEST(BodySkipping, SkipsTheBodiesThatNameNothing) {
  auto [Parsed, Skipped] = sameWithAndWithout(R"(
static inline int plain_a(int x) { return x + 1; }
static inline int plain_b(int x) { return plain_a(x) * 2; }
static inline void *lib_alloc(unsigned long n) { return vmalloc(n); }
)",
                                              R"(
int count(int x) { return plain_b(x); }
void *get(unsigned long n) { return lib_alloc(n); }
)",
                                              Pass1);
  // Parsed: gfp.h's kvmalloc(), lib_alloc(), get() (it calls a kept body);
  // skipped: virt_to_phys(), plain_a(), plain_b(), count().
  EXPECT_EQ(Parsed, 3u);
  EXPECT_EQ(Skipped, 4u);
  AnalysisResult R =
      run("", "void *g(unsigned long n) { return vmalloc(n); }", true, Pass1);
  EXPECT_EQ(R.Sites.size(), 2u); // g() and gfp.h's kvmalloc()
}

TEST(BodySkipping, AWrapperDefinedAfterItsCaller) {
  // The caller's body comes before the wrapper's: the main file's text is
  // closed over first, so `w` is a name of the family.
  const char *Main = R"(
static void *w(unsigned long n, gfp_t g);
void *user(unsigned long n) { return w(n, GFP_KERNEL | __GFP_HIGHMEM); }
static void *w(unsigned long n, gfp_t g) { return __vmalloc(n, g); }
)";
  auto [Parsed, Skipped] = sameWithAndWithout("", Main, Pass1);
  EXPECT_EQ(Parsed, 3u);
  EXPECT_EQ(Skipped, 1u);
  AnalysisResult R = run("", Main, true, Pass1);
  ASSERT_EQ(R.Findings.size(), 1u);
  EXPECT_EQ(R.Findings[0].Check, "vmalloc-redundant-highmem");
  EXPECT_EQ(R.Findings[0].Where.Line, 4u);
  EXPECT_TRUE(R.Findings[0].Fix.has_value());
}

TEST(BodySkipping, MacrosAndWrappersOfAnyHeader) {
  // The header's macro and wrappers are no names of the rule (as in a
  // header the prefilter did not scan): the filter finds them itself.
  const char *Lib = R"(
#define HM_ALLOC(n) __vmalloc(n, GFP_KERNEL | __GFP_HIGHMEM)
static inline void *wa(unsigned long n, gfp_t g) { return __vmalloc(n, g); }
static inline void *wb(unsigned long n, gfp_t g) { return wa(n, g); }
)";
  const char *Main = R"(
void *f(unsigned long n) { return HM_ALLOC(n); }
void *g(unsigned long n) { return wb(n, GFP_KERNEL | __GFP_HIGHMEM); }
int h(int x) { return x; }
)";
  auto [Parsed, Skipped] = sameWithAndWithout(Lib, Main, Pass1);
  // Parsed: kvmalloc(), wa(), wb(), f(), g(); skipped: virt_to_phys(), h().
  EXPECT_EQ(Parsed, 5u);
  EXPECT_EQ(Skipped, 2u);
  AnalysisResult R = run(Lib, Main, true, Pass1);
  std::vector<std::string> Lines;
  for (const Finding &F : R.Findings)
    Lines.push_back(F.Check + ":" + std::to_string(F.Where.Line) + ":" +
                    F.Where.File);
  EXPECT_EQ(Lines, (std::vector<std::string>{
                       "vmalloc-redundant-highmem:12:/vl/lib.h",
                       "vmalloc-redundant-highmem:4:/vl/test.c"}));
}

TEST(BodySkipping, BracesInConditionalBranches) {
  // Both branches open a block: counted once, so the body ends where the
  // compiler's does and the next function is judged on its own.
  auto [Parsed, Skipped] =
      sameWithAndWithout(R"(
static inline int cb(int x)
{
#ifdef NOPE
	if (x) {
#else
	if (!x) {
#endif
		x++;
	}
	return x;
}
static inline void *after(unsigned long n)
{
	return vmalloc(n);
}
)",
                         "int u(int x) { return cb(x); }", Pass1);
  EXPECT_EQ(Parsed, 2u);  // kvmalloc(), after()
  EXPECT_EQ(Skipped, 3u); // virt_to_phys(), cb(), u()
}

TEST(BodySkipping, PassTwoKeepsFieldAccessorsAndTheMainFile) {
  // The getter names no API, but reads a member the main file assigns
  // vmalloc memory to; the main file's bodies are all parsed for pass 2.
  const char *Lib = R"(
struct vbuf { void *data; int len; };
static inline void *vbuf_data(struct vbuf *b) { return b->data; }
static inline int vbuf_len(struct vbuf *b) { return b ? 0 : 1; }
)";
  const char *Main = R"(
void fill(struct vbuf *b) { b->data = vmalloc(100); }
static void *through(struct vbuf *b) { return vbuf_data(b); }
u64 phys(struct vbuf *b) { return virt_to_phys(through(b)); }
)";
  auto [Parsed, Skipped] =
      sameWithAndWithout(Lib, Main, "-*,vmalloc-virt-to-phys");
  // Skipped: vbuf_len() (its members are not the main file's) and
  // virt_to_phys() (a sink is known by its name at the call).
  EXPECT_EQ(Skipped, 2u);
  // Parsed: kvmalloc(), vbuf_data(), fill(), through(), phys().
  EXPECT_EQ(Parsed, 5u);
  AnalysisResult R = run(Lib, Main, true, "-*,vmalloc-virt-to-phys");
  ASSERT_EQ(R.Findings.size(), 1u);
  EXPECT_EQ(R.Findings[0].Where.Line, 5u);
}

} // namespace

namespace {

/// The bodies jumped over unpreprocessed (of those skipped), with the same
/// sites, findings, notes and edits as without the filter.
unsigned long jumped(const std::string &Lib, const std::string &Main,
                     const std::string &Late = "") {
  AnalysisResult Off = run(Lib, Main, false, Pass1, {}, Late);
  AnalysisResult On = run(Lib, Main, true, Pass1, {}, Late);
  EXPECT_EQ(summary(On), summary(Off));
  EXPECT_LE(On.BodiesJumped, On.BodiesSkipped);
  return On.BodiesJumped;
}

} // namespace

TEST(BodySkipping, JumpsOverBodiesThatLeaveNoTrace) {
  // plain(), with balanced branches and a header macro, and
  // virt_to_phys() are jumped over; count() too (it names no macro).
  EXPECT_EQ(jumped(R"(
#define TWICE(x) ((x) * 2)
static inline int plain(int x)
{
#ifdef NOPE
	if (x) { x--; }
#else
	x++;
#endif
	return TWICE(x);
}
)",
                   "int count(int x) { return plain(x); }\n"
                   "void *get(unsigned long n) { return vmalloc(n); }\n"),
            3u);
}

TEST(BodySkipping, PreprocessesBodiesThatLeaveATrace) {
  // Each skipped body here is preprocessed: a directive other than a
  // conditional, a branch whose braces do not balance, a _Pragma.
  EXPECT_EQ(jumped(R"(
static inline int defines(int x)
{
#define LOCAL_ONE 1
	return x + LOCAL_ONE;
}
static inline int unbalanced(int x)
{
#ifdef NOPE
	if (x) {
#else
	if (!x) {
		x++;
#endif
	}
	return x;
}
static inline void pragma(void)
{
	_Pragma("GCC diagnostic push")
}
)",
                   "void *get(unsigned long n) { return vmalloc(n); }\n"),
            1u); // virt_to_phys()
}

TEST(BodySkipping, KeepsTheExpansionsOfTheMainFilesMacros) {
  // MY_GFP is also used outside a vmalloc gfp argument, in bodies the
  // filter skips: in the main file, and in a header included after the
  // definition through a header macro (LATE_GFP). Those uses keep the fix
  // off the macro's definition, so those bodies must be preprocessed (the
  // expansion log records them); late.h's plain() is jumped over.
  const char *Main = R"(#define MY_GFP (GFP_KERNEL | __GFP_HIGHMEM)
#include "late.h"
void *get(unsigned long n) { return __vmalloc(n, MY_GFP); }
int flags(void) { return MY_GFP; }
)";
  const char *Late = R"(
#define LATE_GFP MY_GFP
static inline int late_flags(void) { return LATE_GFP; }
static inline int plain(int x) { return x + 1; }
)";
  AnalysisResult R = run("", Main, true, Pass1, {}, Late);
  ASSERT_EQ(R.Findings.size(), 1u);
  EXPECT_FALSE(R.Findings[0].Notes.empty());
  // Jumped: virt_to_phys() and plain(); not flags() nor late_flags().
  EXPECT_EQ(jumped("", Main, Late), 2u);
  // Without the other uses, the fix edits the definition.
  AnalysisResult Only = run("", R"(#define MY_GFP (GFP_KERNEL | __GFP_HIGHMEM)
void *get(unsigned long n) { return __vmalloc(n, MY_GFP); }
)",
                            true, Pass1);
  ASSERT_EQ(Only.Findings.size(), 1u);
  ASSERT_TRUE(Only.Findings[0].Fix.has_value());
}
