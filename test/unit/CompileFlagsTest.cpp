// Kernel compile flags: tree detection, arch, kbuild per-directory flags, and
// compile-database commands made fit for analysis.
#include "tool/CompileFlags.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

using namespace vmalloc_lint;
namespace stdfs = std::filesystem;

namespace {

struct TempTree {
  stdfs::path Root;
  TempTree() {
    Root = stdfs::temp_directory_path() /
           ("vl-tree-" + std::to_string(::getpid()) + "-" +
            testing::UnitTest::GetInstance()->current_test_info()->name());
    stdfs::remove_all(Root);
    stdfs::create_directories(Root / "include/linux");
    stdfs::create_directories(Root / "include/config");
    stdfs::create_directories(Root / "arch/arm64/include/generated");
    stdfs::create_directories(Root / "drivers/foo/bar");
    stdfs::create_directories(Root / "drivers/foo/lib");
    write("Makefile", "# top\nVERSION = 5\nPATCHLEVEL = 10\nSUBLEVEL = 3\n");
    write("include/linux/kconfig.h", "\n");
    write("include/linux/compiler_types.h", "\n");
    write("include/config/auto.conf", "CONFIG_64BIT=y\nCONFIG_ARM64=y\n");
    write("drivers/foo/Makefile",
          "obj-y += foo.o\n"
          "ccflags-y := -I$(srctree)/drivers/foo/include \\\n"
          "\t-DFOO_DEBUG\n"
          "subdir-ccflags-y += -I $(src)/common\n"
          "ccflags-$(CONFIG_FOO_TRACE) += -I$(src)/trace\n"
          "ccflags-y += -I$(UNKNOWN_VAR)/x\n");
    write("drivers/foo/foo.c", "int x;\n");
    write("drivers/foo/bar/Makefile", "obj-y += bar.o\n");
    write("drivers/foo/bar/bar.c", "int y;\n");
    write("drivers/foo/lib/lib.c", "int z;\n"); // built by drivers/foo
  }
  ~TempTree() { stdfs::remove_all(Root); }
  void write(const std::string &Rel, const std::string &Text) {
    std::ofstream(Root / Rel) << Text;
  }
  std::string path(const std::string &Rel) const {
    return (Root / Rel).string();
  }
};

bool has(const std::vector<std::string> &V, const std::string &S) {
  return std::find(V.begin(), V.end(), S) != V.end();
}

/// The option with its value, joined ("-Ifoo") or separate ("-I" "foo").
bool hasOpt(const std::vector<std::string> &V, const std::string &Opt,
            const std::string &Val) {
  for (size_t I = 0; I < V.size(); ++I)
    if (V[I] == Opt + Val ||
        (V[I] == Opt && I + 1 < V.size() && V[I + 1] == Val))
      return true;
  return false;
}

} // namespace

TEST(CompileFlags, OpensATreeAndItsConfiguredArch) {
  TempTree T;
  auto Tree = openKernelTree(T.Root.string());
  ASSERT_TRUE(Tree);
  EXPECT_EQ(Tree->Version.str(), "5.10");
  EXPECT_EQ(Tree->Arch, "arm64");
  auto Found = findKernelTree(T.path("drivers/foo/bar/bar.c"));
  ASSERT_TRUE(Found);
  EXPECT_EQ(Found->Root, Tree->Root);
  EXPECT_FALSE(openKernelTree(T.path("drivers")));
}

TEST(CompileFlags, KbuildFlagsForAFile) {
  TempTree T;
  auto Tree = openKernelTree(T.Root.string());
  ASSERT_TRUE(Tree);
  std::string R = Tree->Root;
  auto C = kernelCompileCommand(*Tree, T.path("drivers/foo/foo.c"));
  EXPECT_EQ(C.front(), "clang");
  EXPECT_EQ(C.back(), R + "/drivers/foo/foo.c");
  EXPECT_TRUE(has(C, "-nostdinc"));
  EXPECT_TRUE(has(C, "-D__KERNEL__"));
  EXPECT_TRUE(has(C, "--target=aarch64-linux-gnu"));
  EXPECT_TRUE(has(C, "-I" + R + "/arch/arm64/include"));
  EXPECT_TRUE(has(C, "-I" + R + "/arch/arm64/include/generated"));
  EXPECT_TRUE(has(C, "-I" + R + "/include"));
  EXPECT_TRUE(has(C, R + "/include/linux/kconfig.h"));
  EXPECT_TRUE(has(C, R + "/include/linux/compiler_types.h"));
  EXPECT_FALSE(has(C, R + "/include/linux/compiler-version.h"))
      << "only what the tree has";
  EXPECT_TRUE(has(C, "-std=gnu89")) << "5.10 builds with gnu89";
  EXPECT_TRUE(has(C, "-fsyntax-only"));
  EXPECT_TRUE(has(C, "-DKBUILD_MODNAME=\"foo\""));
  // ccflags-y (continuation line included), subdir-ccflags-y; a
  // config-dependent line counts, an unresolvable make variable does not.
  EXPECT_TRUE(has(C, "-I" + R + "/drivers/foo/include"));
  EXPECT_TRUE(has(C, "-DFOO_DEBUG"));
  EXPECT_TRUE(has(C, "-I" + R + "/drivers/foo/common"));
  EXPECT_TRUE(has(C, "-I" + R + "/drivers/foo/trace"));
  for (const std::string &A : C)
    EXPECT_EQ(A.find("$("), std::string::npos) << A;
  // A subdirectory inherits subdir-ccflags-y only.
  auto Sub = kernelCompileCommand(*Tree, T.path("drivers/foo/bar/bar.c"));
  EXPECT_TRUE(has(Sub, "-I" + R + "/drivers/foo/common"));
  EXPECT_FALSE(has(Sub, "-I" + R + "/drivers/foo/include"));
  // A directory without a Makefile is built by its parent's (fs/xfs/libxfs).
  auto Lib = kernelCompileCommand(*Tree, T.path("drivers/foo/lib/lib.c"));
  EXPECT_TRUE(has(Lib, "-I" + R + "/drivers/foo/include"));
  EXPECT_TRUE(has(Lib, "-I" + R + "/drivers/foo/common"));
  EXPECT_TRUE(has(Lib, "-DKBUILD_MODNAME=\"lib\""));
  // Headers are parsed as C.
  auto H = kernelCompileCommand(*Tree, T.path("include/linux/kconfig.h"));
  EXPECT_TRUE(has(H, "-x"));
}

TEST(CompileFlags, AbsoluteInputIsNotAClangClOption) {
  auto C = adjustDatabaseCommand({"gcc", "-Iinclude", "/work/drivers/foo.c"},
                                 "/work/drivers/foo.c");
  EXPECT_EQ(std::count(C.begin(), C.end(), "/work/drivers/foo.c"), 1);
  EXPECT_EQ(C.back(), "/work/drivers/foo.c");
}

TEST(CompileFlags, DatabaseCommandsLoseWhatClangCannotUse) {
  auto C = adjustDatabaseCommand({"gcc",
                                  "-Wp,-MMD,drivers/.foo.o.d",
                                  "-nostdinc",
                                  "-isystem",
                                  "/usr/lib/gcc/x86_64-linux-gnu/12/include",
                                  "-Iinclude",
                                  "-I",
                                  "arch/x86/include",
                                  "-include",
                                  "include/linux/kconfig.h",
                                  "-D__KERNEL__",
                                  "-fconserve-stack",
                                  "-mrecord-mcount",
                                  "-fno-allow-store-data-races",
                                  "-Wno-maybe-uninitialized",
                                  "-Werror",
                                  "-O2",
                                  "-g",
                                  "-c",
                                  "-o",
                                  "drivers/foo.o",
                                  "drivers/foo.c"},
                                 "drivers/foo.c");
  EXPECT_EQ(C.front(), "clang");
  EXPECT_EQ(C.back(), "drivers/foo.c");
  EXPECT_EQ(std::count(C.begin(), C.end(), "drivers/foo.c"), 1);
  EXPECT_TRUE(has(C, "-nostdinc"));
  EXPECT_TRUE(hasOpt(C, "-I", "include"));
  EXPECT_TRUE(hasOpt(C, "-I", "arch/x86/include"));
  EXPECT_TRUE(hasOpt(C, "-D", "__KERNEL__"));
  EXPECT_TRUE(hasOpt(C, "-include", "include/linux/kconfig.h"));
  EXPECT_TRUE(has(C, "-mrecord-mcount")) << "clang knows this one: kept";
  EXPECT_TRUE(has(C, "-fsyntax-only"));
  EXPECT_TRUE(hasOpt(C, "-isystem", clangResourceDir() + "/include"))
      << "-nostdinc: clang's builtin headers";
  EXPECT_FALSE(has(C, "/usr/lib/gcc/x86_64-linux-gnu/12/include"));
  for (const char *Gone :
       {"-fconserve-stack", "-fno-allow-store-data-races", "-Werror", "-c",
        "-o", "drivers/foo.o", "-Wp,-MMD,drivers/.foo.o.d"})
    EXPECT_FALSE(has(C, Gone)) << Gone;
}
