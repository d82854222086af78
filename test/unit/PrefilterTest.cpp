// The prefilter's scanner: whole identifiers, _noprof, wrapper definitions,
// #include lines.
#include "tool/Prefilter.h"

#include <gtest/gtest.h>

using namespace vmalloc_lint;

namespace {

KeywordSet family() { return KeywordSet({"vmalloc", "__vmalloc", "kvmalloc"}); }

TEST(PrefilterScan, WholeIdentifiersOnly) {
  KeywordSet K = family();
  EXPECT_TRUE(K.mentions("p = vmalloc(n);"));
  EXPECT_EQ(K.firstMention("x = __vmalloc(n, GFP_KERNEL);"), "__vmalloc");
  EXPECT_FALSE(K.mentions("page = vmalloc_to_page(p);"));
  EXPECT_FALSE(K.mentions("is_vmalloc_addr(p) || my_vmalloc(n)"));
  EXPECT_FALSE(K.mentions("vmallocx vmalloc1 _vmalloc"));
  EXPECT_FALSE(K.mentions("0x1vmalloc"));
  EXPECT_FALSE(K.mentions(""));
  EXPECT_TRUE(K.mentions("vmalloc"));
  EXPECT_TRUE(K.mentions("(vmalloc)"));
}

TEST(PrefilterScan, CommentsAndStringsCount) {
  KeywordSet K = family();
  EXPECT_TRUE(K.mentions("/* see vmalloc() */ int x;"));
  EXPECT_TRUE(K.mentions("// kvmalloc\nint x;"));
  EXPECT_TRUE(K.mentions("pr_info(\"vmalloc failed\");"));
}

TEST(PrefilterScan, NoprofSuffix) {
  KeywordSet K = family();
  EXPECT_TRUE(K.contains("kvmalloc_noprof"));
  EXPECT_TRUE(K.mentions("p = __vmalloc_noprof(n, gfp);"));
  EXPECT_FALSE(K.contains("_noprof"));
  EXPECT_FALSE(K.contains("kmalloc_noprof"));
  EXPECT_FALSE(K.mentions("vmalloc_noprofx(n)"));
}

TEST(PrefilterScan, WrapperDefinitions) {
  KeywordSet K = family();
  const char *Text = R"(
/* kmem_nothing() calls vmalloc only in this comment */
static inline void *kmem_nothing(int n) { return 0; }
static inline void *
kmem_alloc_large(size_t size, gfp_t flags)
{
	if (size > PAGE_SIZE)
		return __vmalloc(size, flags);
	return kmalloc(size, flags);
}
#define MY_VALLOC(n) \
	vmalloc(n)
#define MY_OTHER(n) kmalloc(n, GFP_KERNEL)
struct ops o = { .alloc = vmalloc };
int plain(int x) { if (x) { return 1; } return "}"[0]; }
)";
  std::vector<std::string> W = wrapperDefinitions(Text, K);
  EXPECT_EQ(W, (std::vector<std::string>{"MY_VALLOC", "kmem_alloc_large"}));
}

TEST(PrefilterScan, IncludeLines) {
  std::vector<IncludeLine> L = includeLines("#include <linux/vmalloc.h>\n"
                                            "  #  include \"kmem.h\"\n"
                                            "// #include <no.h> is text\n"
                                            "x #include <nor.h>\n"
                                            "#include MACRO_H\n");
  ASSERT_EQ(L.size(), 2u);
  EXPECT_EQ(L[0].Target, "linux/vmalloc.h");
  EXPECT_FALSE(L[0].Quoted);
  EXPECT_EQ(L[1].Target, "kmem.h");
  EXPECT_TRUE(L[1].Quoted);
}

} // namespace

TEST(CodeText, DefinitionsWithoutIdentifiersAndStatementsAreNone) {
  // A register offset or mask can mention no name: not recorded.
  std::vector<Definition> D = definitions("#define mmREG 0x1fUL\n"
                                          "#define REG_MASK (0x3 << 4)\n"
                                          "#define MY_GFP (GFP_KERNEL)\n");
  ASSERT_EQ(D.size(), 1u);
  EXPECT_EQ(D[0].Name, "MY_GFP");
  // Braces an #ifdef unbalances put a statement at file scope: `if` is no
  // function; the real function around it still is.
  std::vector<Definition> F;
  functionDefinitions("if (x) {\n\ty = vmalloc(n);\n}\n"
                      "void *f(unsigned long n)\n{\n\treturn vmalloc(n);\n}\n",
                      F);
  ASSERT_EQ(F.size(), 1u);
  EXPECT_EQ(F[0].Name, "f");
  // No brace, no function.
  F.clear();
  functionDefinitions("#define A 1\nint g(void);\n", F);
  EXPECT_TRUE(F.empty());
}

TEST(CodeText, ForEachIdentifierSkipsNumbersAndStops) {
  std::vector<std::string> Ids;
  bool Stopped =
      forEachIdentifier("0x1fUL a1 _b 2c d", [&](llvm::StringRef Id) {
        Ids.push_back(Id.str());
        return Id == "_b";
      });
  EXPECT_TRUE(Stopped);
  EXPECT_EQ(Ids, (std::vector<std::string>{"a1", "_b"}));
  EXPECT_FALSE(
      forEachIdentifier("0x10 42UL", [](llvm::StringRef) { return true; }));
}
