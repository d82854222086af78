// The prefilter's scanner: whole identifiers, _noprof, wrapper definitions,
// #include lines.
#include "tool/Prefilter.h"
#include "tool/FileIO.h"
#include "tool/Inputs.h"

#include "matchers/checks/CheckGlob.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <unistd.h>

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

namespace {

/// Writes Files (name, text) to a fresh directory; their absolute paths.
std::vector<std::string>
writeTree(const std::string &Name,
          const std::vector<std::pair<std::string, std::string>> &Files) {
  std::string Dir = testing::TempDir() + "vl-prefilter-" + Name + "-" +
                    std::to_string(::getpid());
  std::vector<std::string> Paths;
  llvm::sys::fs::create_directories(Dir);
  for (const auto &[File, Text] : Files) {
    std::string P = Dir + "/" + File;
    llvm::sys::fs::create_directories(llvm::sys::path::parent_path(P));
    std::error_code EC;
    llvm::raw_fd_ostream OS(P, EC);
    OS << Text;
    Paths.push_back(P);
  }
  return Paths;
}

bool kept(const PrefilterPlan &Plan, const std::string &Path) {
  return std::find(Plan.Keep.begin(), Plan.Keep.end(), Path) != Plan.Keep.end();
}

} // namespace

// vmalloc-open-coded-kvmalloc needs the pair's two allocators, not any
// linear and any vmalloc source: kvzalloc() is a vmalloc source and a
// kzalloc() elsewhere in the unit a linear one, which kept every unit that
// calls both (6.1: 7,300 units for this check alone).
TEST(PrefilterPlan, OpenCodedKvmallocNeedsBothAllocatorsOfThePair) {
  std::vector<std::string> P = writeTree(
      "kvpair",
      {{"pair.c", "void *a(unsigned long n) { void *p = kmalloc(n, "
                  "GFP_KERNEL);\n if (!p) p = vmalloc(n);\n return p; }\n"},
       {"kv.c",
        "void *b(unsigned long n) { return kvzalloc(n, GFP_KERNEL); }\n"
        "void *c(unsigned long n) { return kzalloc(n, GFP_KERNEL); }\n"},
       {"slab.c", "void *d(unsigned long n) { return kzalloc(n, GFP_KERNEL); "
                  "}\nvoid e(void *p) { kfree(p); }\n"}});
  PrefilterNeeds Needs = prefilterNeeds(
      CheckGlob("-*,vmalloc-open-coded-kvmalloc"), false, nullptr, false);
  PrefilterPlan Plan = planPrefilter(P, {}, Needs, 1, PrefilterMemory::Free);
  EXPECT_TRUE(kept(Plan, P[0]));
  EXPECT_FALSE(kept(Plan, P[1]));
  EXPECT_FALSE(kept(Plan, P[2]));
}

// A local header's wrapper (outside the tree's include/ and the arch's
// include/) makes its name a keyword only for the units that can include
// that header: in its directory or below, or by an #include line that
// leads to it (quoted next to the includer, or by name within the area).
TEST(PrefilterPlan, LocalHeaderNamesCountWhereTheHeaderIsSeen) {
  const char *Use = "void *f(unsigned long n) {\n"
                    "  return a_alloc(n, GFP_KERNEL | __GFP_HIGHMEM);\n}\n";
  std::vector<std::string> P = writeTree(
      "local",
      {{"include/linux/pub.h",
        "#define pub_alloc(n, g) __vmalloc(n, g)\n#include \"pubsub.h\"\n"},
       {"drivers/x/a/a.h", "#define a_alloc(n, g) __vmalloc(n, g)\n"},
       {"drivers/x/a/x.c", std::string("#include \"a.h\"\n") + Use},
       {"drivers/x/a/sub/s.c", Use},
       {"drivers/x/a/other.h", "#include \"a.h\"\n"},
       {"drivers/x/b/y.c", Use},
       {"drivers/x/c/z.c", std::string("#include \"../a/a.h\"\n") + Use},
       {"drivers/x/d/w.c", std::string("#include \"../a/other.h\"\n") + Use},
       {"drivers/x/e/v.c", std::string("#include <a.h>\n") + Use},
       {"sound/f/u.c", std::string("#include <a.h>\n") + Use},
       {"sound/g/t.c", "void *g(unsigned long n) {\n  return pub_alloc(n, "
                       "GFP_KERNEL | __GFP_HIGHMEM);\n}\n"}});
  std::string Root = P[0].substr(0, P[0].size() - 20); // /include/linux/pub.h
  PrefilterNeeds Needs = prefilterNeeds(
      CheckGlob("-*,vmalloc-redundant-highmem"), false, nullptr, false);
  PrefilterPlan Everywhere =
      planPrefilter(P, {}, Needs, 1, PrefilterMemory::Free);
  for (size_t I : {2, 3, 5, 6, 7, 8, 9, 10})
    EXPECT_TRUE(kept(Everywhere, P[I])) << P[I];
  Needs.PublicDirs = {Root + "/include/"};
  PrefilterPlan Scoped = planPrefilter(P, {}, Needs, 1, PrefilterMemory::Free);
  EXPECT_TRUE(kept(Scoped, P[2]));  // includes it
  EXPECT_TRUE(kept(Scoped, P[3]));  // below its directory
  EXPECT_FALSE(kept(Scoped, P[5])); // another driver's a_alloc
  EXPECT_TRUE(kept(Scoped, P[6]));  // "../a/a.h"
  EXPECT_TRUE(kept(Scoped, P[7]));  // through another header
  EXPECT_TRUE(kept(Scoped, P[8]));  // <a.h> in its area (drivers/x: -I)
  EXPECT_FALSE(kept(Scoped, P[9])); // <a.h> from another area
  EXPECT_TRUE(kept(Scoped, P[10])); // a public header's name: everywhere
}

// A header whose text mentions a keyword only in a comment (the "free of
// charge" of a license above 24 MB of amdgpu register masks: 394 of the
// 420 MB of headers drivers/gpu's scan held) is not taken apart: its code
// can give no group a name. It is read again in the next round and taken
// when its code mentions a name the closure added.
TEST(PrefilterPlan, HeadersMentioningKeywordsOnlyInCommentsAreNotTakenApart) {
  std::vector<std::string> P = writeTree(
      "comments",
      {{"include/linux/regs.h", "/* free of charge, unlike vmalloc() */\n"
                                "#define mmREG 0x10\n#define mmREG2 0x14\n"},
       {"include/linux/wrap.h",
        "#define wrap_alloc(n) __vmalloc(n, GFP_KERNEL | __GFP_HIGHMEM)\n"},
       {"include/linux/late.h", "/* see vmalloc() */\n"
                                "#define late_alloc(n) wrap_alloc(n)\n"},
       {"drivers/x/late.c", "#include <linux/late.h>\n"
                            "void *f(void) { return late_alloc(4); }\n"},
       {"drivers/x/regs.c", "#include <linux/regs.h>\n"
                            "int g(void) { return mmREG; }\n"}});
  PrefilterNeeds Needs = prefilterNeeds(
      CheckGlob("-*,vmalloc-redundant-highmem"), false, nullptr, false);
  PrefilterPlan Plan = planPrefilter(P, {}, Needs, 1, PrefilterMemory::Free);
  EXPECT_EQ(Plan.HeadersScanned, 3u);
  EXPECT_EQ(Plan.HeadersTaken, 2u); // wrap.h, then late.h; not regs.h
  EXPECT_TRUE(std::binary_search(Plan.KeywordNames.begin(),
                                 Plan.KeywordNames.end(), "late_alloc"));
  EXPECT_TRUE(kept(Plan, P[3]));
  EXPECT_FALSE(kept(Plan, P[4]));
}

// A walked input directory's headers are inputs already: headersToScan
// neither lists its directories again nor returns them (a warm whole-tree
// run of 6.1 stat'ed 17,568 headers twice). A directory below a hidden one
// is not walked, so its headers are still listed.
TEST(PrefilterPlan, HeadersOfWalkedDirectoriesAreNotListedAgain) {
  std::vector<std::string> P =
      writeTree("walked", {{"drv/a.c", "int a;\n"},
                           {"drv/a.h", "int b;\n"},
                           {"drv/.pc/b.c", "int c;\n"},
                           {"drv/.pc/b.h", "int d;\n"}});
  std::string Dir = llvm::sys::path::parent_path(P[0]).str();
  std::vector<std::string> Inputs, Walked;
  collectInputs(Dir, Inputs, &Walked);
  ASSERT_EQ(Walked.size(), 1u);
  EXPECT_EQ(Inputs.size(), 2u); // a.c, a.h: .pc is hidden
  EXPECT_TRUE(headersToScan(Inputs, Walked, "", "").empty());
  // Without the walk (the files named one by one) the header is listed.
  EXPECT_EQ(headersToScan(Inputs, {}, "", ""),
            std::vector<std::string>{Walked[0] + "/a.h"});
  // A .c under the hidden directory, named as an input: its headers are.
  Inputs.push_back(Walked[0] + "/.pc/b.c");
  EXPECT_EQ(headersToScan(Inputs, Walked, "", ""),
            std::vector<std::string>{Walked[0] + "/.pc/b.h"});
  llvm::sys::fs::remove_directories(llvm::sys::path::parent_path(Dir));
}

// The walk spells each file by its real path with one realpath() per input
// and per followed symbolic link, not per directory: a file reached
// through a linked directory has the link's target's path.
TEST(PrefilterPlan, WalkedFilesHaveRealPathsThroughLinkedDirectories) {
  std::vector<std::string> P = writeTree(
      "linked", {{"top/real/sub/x.c", "int x;\n"}, {"top/y.c", "int y;\n"}});
  std::string Top =
      llvm::sys::path::parent_path(
          llvm::sys::path::parent_path(llvm::sys::path::parent_path(P[0])))
          .str();
  ASSERT_EQ(::symlink((Top + "/real").c_str(), (Top + "/link").c_str()), 0);
  std::vector<std::string> Inputs;
  collectInputs(Top + "/link/../link", Inputs); // a spelling to resolve
  std::string Real = realAbsolutePath(Top);
  EXPECT_EQ(Inputs, std::vector<std::string>{Real + "/real/sub/x.c"});
  Inputs.clear();
  collectInputs(Top, Inputs);
  EXPECT_EQ(Inputs,
            (std::vector<std::string>{Real + "/real/sub/x.c",
                                      Real + "/real/sub/x.c", Real + "/y.c"}));
  llvm::sys::fs::remove_directories(llvm::sys::path::parent_path(Top));
}
