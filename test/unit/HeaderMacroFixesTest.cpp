// The run's decision on a fix in a header macro's body
// (rewriters/HeaderMacroFixes.h): over a small tree on disk, every place
// that names the macro must be the use of a finding with that edit.
#include "rewriters/HeaderMacroFixes.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <unistd.h>

using namespace vmalloc_lint;

namespace {

const char *Header = "#ifndef VL_H\n"
                     "#define VL_H\n"
                     "#define VL_GFP\t(GFP_KERNEL | __GFP_HIGHMEM)\n"
                     "#endif\n";

struct Tree {
  std::string Root;
  Tree() {
    Root = testing::TempDir() + "vl-hmf-" + std::to_string(::getpid()) + "-" +
           testing::UnitTest::GetInstance()->current_test_info()->name();
    llvm::sys::fs::remove_directories(Root);
    llvm::sys::fs::create_directories(Root + "/include");
    llvm::sys::fs::create_directories(Root + "/drivers");
    write("include/vl.h", Header);
  }
  ~Tree() { llvm::sys::fs::remove_directories(Root); }
  std::string write(const std::string &Rel, const std::string &Text) {
    std::error_code EC;
    llvm::raw_fd_ostream OS(Root + "/" + Rel, EC);
    OS << Text;
    return Root + "/" + Rel;
  }
};

/// A finding at the VL_GFP of Use (the first one in it) whose fix drops
/// " | __GFP_HIGHMEM" from the header's body.
Finding findingAt(const std::string &Use, const std::string &UseText,
                  const std::string &Hdr) {
  Finding F;
  F.Check = "vmalloc-redundant-highmem";
  F.Where.File = Use;
  F.Where.Offset = unsigned(UseText.find("VL_GFP"));
  F.Where.Line = 1;
  FixIt Fix;
  Fix.Description = "drop __GFP_HIGHMEM";
  std::string H = Header;
  Fix.Edits.push_back({Hdr, unsigned(H.find(" | __GFP_HIGHMEM")), 16, "", 0});
  F.Fix = Fix;
  return F;
}

} // namespace

TEST(HeaderMacroFixes, FindsTheMacroAnEditIsIn) {
  std::string Name;
  unsigned At = 0;
  std::string H = Header;
  ASSERT_TRUE(
      headerMacroOf("/t/vl.h", H, unsigned(H.find("__GFP_HIGHMEM")), Name, At));
  EXPECT_EQ(Name, "VL_GFP");
  EXPECT_EQ(At, H.find("VL_GFP"));
  // Not in a body: the #ifndef line, a .c file, the name itself.
  EXPECT_FALSE(headerMacroOf("/t/vl.h", H, 2, Name, At));
  EXPECT_FALSE(
      headerMacroOf("/t/vl.c", H, unsigned(H.find("__GFP_HIGHMEM")), Name, At));
  EXPECT_FALSE(
      headerMacroOf("/t/vl.h", H, unsigned(H.find("VL_GFP")), Name, At));
  // A continuation line belongs to the #define above it.
  std::string Cont = "#define VL_GFP\t(GFP_KERNEL | \\\n\t\t__GFP_HIGHMEM)\n";
  ASSERT_TRUE(headerMacroOf("/t/vl.h", Cont,
                            unsigned(Cont.find("__GFP_HIGHMEM")), Name, At));
  EXPECT_EQ(Name, "VL_GFP");
  // A function-like macro is not one.
  std::string Fn = "#define VL_GFP(x)\t(x | __GFP_HIGHMEM)\n";
  EXPECT_FALSE(headerMacroOf("/t/vl.h", Fn, unsigned(Fn.find("__GFP_HIGHMEM")),
                             Name, At));
}

TEST(HeaderMacroFixes, KeepsTheFixWhenEveryUseIsAFixedGfpArgument) {
  Tree T;
  std::string A = "void *a(void) { return __vmalloc(8, VL_GFP); }\n"
                  "/* VL_GFP in a comment is no use */\n"
                  "#ifdef VL_GFP\n#endif\n";
  std::string B = "void *b(void) { return __vmalloc(8, VL_GFP); }\n";
  std::string PA = T.write("drivers/a.c", A), PB = T.write("drivers/b.c", B);
  std::string H = T.Root + "/include/vl.h";
  std::vector<Finding> Fs{findingAt(PA, A, H), findingAt(PB, B, H)};
  HeaderMacroScope S;
  S.Root = T.Root;
  S.Analysed = {PA, PB};
  EXPECT_EQ(decideHeaderMacroFixes(Fs, S), 0u);
  EXPECT_TRUE(Fs[0].Fix && Fs[1].Fix);
  EXPECT_TRUE(Fs[0].Notes.empty());
}

TEST(HeaderMacroFixes, WithdrawsItForAnotherExpansion) {
  Tree T;
  std::string A = "void *a(void) { return __vmalloc(8, VL_GFP); }\n";
  std::string B = "struct page *b(void) { return alloc_page(VL_GFP); }\n";
  std::string PA = T.write("drivers/a.c", A);
  T.write("drivers/b.c", B);
  std::string H = T.Root + "/include/vl.h";
  std::vector<Finding> Fs{findingAt(PA, A, H)};
  HeaderMacroScope S;
  S.Root = T.Root;
  S.Analysed = {PA, T.Root + "/drivers/b.c"};
  EXPECT_EQ(decideHeaderMacroFixes(Fs, S), 1u);
  EXPECT_FALSE(Fs[0].Fix);
  ASSERT_EQ(Fs[0].Notes.size(), 1u);
  EXPECT_EQ(Fs[0].Notes[0].Message,
            "no fix: VL_GFP is defined in a header (vl.h:3) and also expanded "
            "at drivers/b.c:1, not a vmalloc gfp argument this run fixes: "
            "dropping __GFP_HIGHMEM from its body would change that use too");
  // The same file not analysed (the prefilter skipped it, or it was not
  // given): the note says so.
  Fs = {findingAt(PA, A, H)};
  S.Analysed = {PA};
  EXPECT_EQ(decideHeaderMacroFixes(Fs, S), 1u);
  ASSERT_EQ(Fs[0].Notes.size(), 1u);
  EXPECT_NE(Fs[0].Notes[0].Message.find(
                "at drivers/b.c:1, in a file this run did not analyse"),
            std::string::npos)
      << Fs[0].Notes[0].Message;
}

TEST(HeaderMacroFixes, WithdrawsItForAnotherMacrosBodyAndWithoutATree) {
  Tree T;
  std::string A = "void *a(void) { return __vmalloc(8, VL_GFP); }\n";
  std::string PA = T.write("drivers/a.c", A);
  T.write("include/vl2.h", "#define VL_GFP_NOWARN (VL_GFP | __GFP_NOWARN)\n");
  std::string H = T.Root + "/include/vl.h";
  std::vector<Finding> Fs{findingAt(PA, A, H)};
  HeaderMacroScope S;
  S.Root = T.Root;
  S.Analysed = {PA};
  EXPECT_EQ(decideHeaderMacroFixes(Fs, S), 1u);
  ASSERT_EQ(Fs[0].Notes.size(), 1u);
  EXPECT_NE(Fs[0].Notes[0].Message.find(
                "named in the body of VL_GFP_NOWARN at include/vl2.h:1"),
            std::string::npos)
      << Fs[0].Notes[0].Message;
  Fs = {findingAt(PA, A, H)};
  S.Root.clear();
  EXPECT_EQ(decideHeaderMacroFixes(Fs, S), 1u);
  ASSERT_EQ(Fs[0].Notes.size(), 1u);
  EXPECT_NE(Fs[0].Notes[0].Message.find("has no kernel tree (--kernel-tree)"),
            std::string::npos)
      << Fs[0].Notes[0].Message;
}
