// Fuzz target: the gfp macro evaluator (matchers/gfp/, through the whole
// pass 1 analysis) on random #define sets. The input is a gfp header (the
// flag and mask macros, GFP_ZONE_BAD); a fixed unit includes it and calls
// the vmalloc family with the usual spellings. Real Clang 19 parses it.
// Properties: every finding and fix is inside the unit; a unit that
// compiled still compiles with every fix applied.
#include "matchers/Analysis.h"
#include "rewriters/FixBuilder.h"
#include "rewriters/OrChain.h"

#include "clang/Frontend/FrontendAction.h"
#include "clang/Tooling/Tooling.h"

#include "FuzzCheck.h"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

using namespace vmalloc_lint;

namespace {

const char *const Prelude = R"(#define __force
#define __bitwise
typedef unsigned int __bitwise gfp_t;
typedef unsigned long size_t;
void *__vmalloc(unsigned long size, gfp_t gfp_mask);
void *__vmalloc_node(unsigned long size, unsigned long align, gfp_t gfp_mask,
		int node, const void *caller);
void *vmalloc_32(unsigned long size);
void *kvmalloc_node(size_t size, gfp_t flags, int node);
void *kmalloc(size_t size, gfp_t flags);
#include "gfp.h"
)";

const char *const Calls = R"(
static void *wrap(unsigned long n, gfp_t gfp)
{
	return __vmalloc(n, gfp | __GFP_ZERO);
}
void f(gfp_t gfp, int c)
{
	gfp_t local = GFP_KERNEL;
	if (c)
		local |= __GFP_HIGHMEM;
	__vmalloc(1, GFP_KERNEL | __GFP_HIGHMEM);
	__vmalloc(2, GFP_HIGHUSER);
	__vmalloc(3, __GFP_HIGHMEM | GFP_NOFS |
			__GFP_NOWARN);
	__vmalloc(4, GFP_KERNEL | __GFP_DMA32);
	__vmalloc(5, GFP_ATOMIC);
	__vmalloc(6, (GFP_NOFS & ~__GFP_FS) | __GFP_HIGHMEM);
	__vmalloc(7, gfp | __GFP_HIGHMEM);
	__vmalloc(8, local);
	__vmalloc_node(9, 1, GFP_KERNEL | __GFP_DMA | __GFP_HIGHMEM, -1, 0);
	kvmalloc_node(10, GFP_KERNEL | __GFP_HIGHMEM, -1);
	wrap(11, GFP_HIGHUSER_MOVABLE);
	wrap(12, GFP_KERNEL | __GFP_HIGHMEM | __GFP_DMA32);
}
)";

bool analyse(const std::string &Header, const std::string &Code,
             AnalysisResult &R) {
  AnalysisOptions Opts;
  Opts.Version = *KernelVersion::parse("6.1");
  Opts.Checks = CheckGlob("vmalloc-*");
  clang::tooling::FileContentMappings Files = {{"/vl/gfp.h", Header}};
  bool Ok = clang::tooling::runToolOnCodeWithArgs(
      makeAnalysisAction(Opts, R), Code, {"-std=gnu11", "-w"}, "/vl/test.c",
      "vmalloc-lint-fuzz", std::make_shared<clang::PCHContainerOperations>(),
      Files);
  buildFixes(R);
  return Ok;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  if (Size > 16384)
    return 0; // a header, not a tree: keep each run one short parse
  std::string Header(reinterpret_cast<const char *>(Data), Size);
  const std::string Code = std::string(Prelude) + Calls;
  AnalysisResult R;
  bool Compiled = analyse(Header, Code, R);

  std::vector<BufferEdit> Edits;
  for (const Finding &F : R.Findings) {
    if (!F.Fix)
      continue;
    for (const TextEdit &E : F.Fix->Edits) {
      std::string_view Text = E.File == "/vl/test.c"  ? std::string_view(Code)
                              : E.File == "/vl/gfp.h" ? std::string_view(Header)
                                                      : std::string_view();
      FUZZ_CHECK(!E.File.empty());
      FUZZ_CHECK(E.Offset + E.Length <= Text.size());
      if (E.File != "/vl/test.c")
        continue;
      bool Dup = false;
      for (const BufferEdit &X : Edits)
        Dup |= X.Offset == E.Offset && X.Length == E.Length && X.Text == E.Text;
      if (!Dup)
        Edits.push_back({E.Offset, E.Length, E.Text});
    }
  }
  if (!Compiled || Edits.empty())
    return 0;
  std::string Fixed = applyEdits(Code, Edits);
  AnalysisResult Again;
  FUZZ_CHECK(analyse(Header, Fixed, Again));
  return 0;
}
