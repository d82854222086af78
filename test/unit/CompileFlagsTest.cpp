// Kernel compile flags: tree detection, arch, kbuild per-directory flags, and
// compile-database commands made fit for analysis.
#include "tool/CompileFlags.h"
#include "matchers/kernel/KconfigExpr.h"
#include "matchers/kernel/KernelTree.h"
#include "tool/ArchViews.h"
#include "tool/KbuildObjects.h"
#include "tool/KconfigArch.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

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

/// S in V; a -I/-D option also as clang's driver renders it, the value
/// apart ("-D" "MODULE").
bool has(const std::vector<std::string> &V, const std::string &S) {
  if (std::find(V.begin(), V.end(), S) != V.end())
    return true;
  if (S.size() > 2 &&
      (S.compare(0, 2, "-I") == 0 || S.compare(0, 2, "-D") == 0))
    for (size_t I = 0; I + 1 < V.size(); ++I)
      if (V[I] == S.substr(0, 2) && V[I + 1] == S.substr(2))
        return true;
  return false;
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

TEST(CompileFlags, ArchFactsFromTheArchKconfigs) {
  TempTree T;
  for (const char *A : {"m68k", "riscv", "um", "x86"})
    stdfs::create_directories(T.Root / "arch" / A / "kernel");
  T.write("arch/um/Kconfig", "config UML\n\tbool\n\tdefault y\n"
                             "\tselect HAVE_ARCH_VMAP_STACK\n");
  T.write("arch/riscv/Kconfig",
          "config RISCV\n\tselect HAVE_ARCH_VMAP_STACK if MMU && 64BIT\n");
  T.write("arch/x86/Kconfig",
          "config X86\n\tselect HAVE_ARCH_VMAP_STACK\t\tif X86_64\n");
  // A longer symbol and a comment are not the select.
  T.write("arch/m68k/Kconfig", "config M68K\n\tselect HAVE_ARCH_VMAP_STACKX\n"
                               "# select HAVE_ARCH_VMAP_STACK\n");
  const std::string S = "HAVE_ARCH_VMAP_STACK";
  // Configured arm64 (no Kconfig of its own here): auto.conf without
  // CONFIG_VMAP_STACK=y does not touch the other arches.
  auto Tree = openKernelTree(T.Root.string());
  ASSERT_TRUE(Tree && Tree->ArchFacts);
  const KernelArchFacts &F = *Tree->ArchFacts;
  // x86's word sizes: ARCH=x86_64 has X86_64, ARCH=i386 not.
  EXPECT_EQ(F.Selecting.at(S),
            (std::set<std::string>{"riscv", "um", "x86", "x86_64"}));
  EXPECT_FALSE(F.archCanHave("i386", S));
  EXPECT_TRUE(F.archCanHave("x86_64", S));
  EXPECT_TRUE(F.archCanHave("um", S));
  EXPECT_TRUE(F.archCanHave("riscv", S)); // a conditional select: can have
  EXPECT_TRUE(F.archCanHave("x86", S));
  EXPECT_FALSE(F.archCanHave("m68k", S));
  EXPECT_TRUE(F.archCanHave("arm64", S));        // no Kconfig: no data
  EXPECT_TRUE(F.archCanHave("m68k", "HIGHMEM")); // a symbol not read
  EXPECT_EQ(Tree->archOf(T.path("arch/m68k/emu/natfeat.c")), "m68k");
  EXPECT_EQ(Tree->archOf("arch/um/drivers/virt-pci.c"), "um");
  EXPECT_EQ(Tree->archOf(T.path("drivers/foo/foo.c")), "arm64");
  EXPECT_EQ(Tree->archOf(T.path("arch/Kconfig")), "arm64");

  // The configured arch of a prepared tree: CONFIG_VMAP_STACK decides.
  T.write("include/config/auto.conf", "CONFIG_64BIT=y\nCONFIG_X86=y\n");
  KernelArchFacts N = readKernelArchFacts(Tree->Root, "x86");
  EXPECT_FALSE(N.archCanHave("x86", S));
  EXPECT_TRUE(N.archCanHave("um", S));
  T.write("include/config/auto.conf",
          "CONFIG_X86=y\nCONFIG_VMAP_STACK=y\nCONFIG_M68K=y\n");
  KernelArchFacts Y = readKernelArchFacts(Tree->Root, "m68k");
  EXPECT_TRUE(Y.archCanHave("m68k", S));
  EXPECT_TRUE(readKernelArchFacts(Tree->Root, "x86").archCanHave("x86", S));

  // A tree older than the feature (v4.8: no arch selects
  // HAVE_ARCH_VMAP_STACK, no CONFIG_VMAP_STACK in auto.conf): no facts for
  // it, every arch can; the code is what v4.9+ runs with VMAP_STACK.
  T.write("arch/x86/Kconfig",
          "config X86\n\tdef_bool y\n\tselect HAVE_ARCH_KGDB\n");
  T.write("arch/um/Kconfig", "config UML\n\tdef_bool y\n");
  T.write("arch/riscv/Kconfig", "config RISCV\n\tdef_bool y\n");
  T.write("include/config/auto.conf", "CONFIG_64BIT=y\nCONFIG_X86=y\n");
  KernelArchFacts Old = readKernelArchFacts(Tree->Root, "x86");
  EXPECT_FALSE(Old.Selecting.count(S));
  EXPECT_TRUE(Old.archCanHave("x86", S));
  EXPECT_TRUE(Old.archCanHave("m68k", S));

  // No arch Kconfig at all: no facts, every arch can.
  KernelArchFacts None = readKernelArchFacts(T.path("drivers"), "x86");
  EXPECT_TRUE(None.Arches.empty());
  EXPECT_TRUE(None.archCanHave("m68k", S));
}

TEST(CompileFlags, KconfigExpressionsInThreeValues) {
  auto V = [](const std::string &S) -> std::optional<bool> {
    if (S == "ON")
      return true;
    if (S == "OFF")
      return false;
    return std::nullopt;
  };
  EXPECT_EQ(evalKconfigExpr("ON && !OFF", V), true);
  EXPECT_EQ(evalKconfigExpr("OFF && UNKNOWN", V), false);
  EXPECT_EQ(evalKconfigExpr("(OFF || UNKNOWN) && ON", V), std::nullopt);
  EXPECT_EQ(evalKconfigExpr("OFF || COMPILE_TEST", V), std::nullopt);
  EXPECT_EQ(evalKconfigExpr("!(ON || UNKNOWN)", V), false);
  EXPECT_EQ(evalKconfigExpr("OFF || !OFF", V), true);
  EXPECT_EQ(evalKconfigExpr("n", V), false);
  EXPECT_EQ(evalKconfigExpr("", V), true);
  EXPECT_EQ(evalKconfigExpr("OFF # a comment", V), false);
  // A comparison or a macro is not decided; with a false term it is false.
  EXPECT_EQ(evalKconfigExpr("ON && ARCH_MMAP_RND_BITS != 0", V), std::nullopt);
  EXPECT_EQ(evalKconfigExpr("OFF && $(cc-option,-mfoo)", V), false);
  EXPECT_EQ(evalKconfigExpr("ON &&", V), std::nullopt); // malformed
  EXPECT_EQ(srcArchOf("i386"), "x86");
  EXPECT_EQ(srcArchOf("powerpc"), "powerpc");
}

namespace {

/// A tree configured x86_64 with the Kconfig and Makefile shapes of 6.1's
/// PS3, powernv, i386-only and 32-bit-only (`!64BIT`) drivers.
void writeArchOnlyDrivers(TempTree &T, const std::string &AutoConf) {
  for (const char *D :
       {"arch/x86", "arch/powerpc/platforms/ps3", "arch/m68k", "arch/arm",
        "arch/riscv", "drivers/scsi", "drivers/phy", "drivers/firmware",
        "drivers/cpufreq", "drivers/ps3", "drivers/i2c/busses"})
    stdfs::create_directories(T.Root / D);
  stdfs::remove_all(T.Root / "arch/arm64");
  T.write("include/config/auto.conf", AutoConf);
  T.write("arch/x86/Kconfig",
          "config X86\n\tdef_bool y\n\tselect HAVE_ARCH_VMAP_STACK if "
          "X86_64\n\tselect HAVE_VL_GENERIC\n\nconfig 64BIT\n\tbool \"64-bit "
          "kernel\"\n\n"
          "config X86_32\n\tdef_bool y\n\tdepends on !64BIT\n\n"
          "config X86_64\n\tdef_bool y\n\tdepends on 64BIT\n");
  T.write("arch/m68k/Kconfig", "config M68K\n\tdef_bool y\n");
  // 6.1's arm: 32-bit (no 64BIT of its own) and VMAP_STACK; riscv: both
  // word sizes and VMAP_STACK on 64-bit. Each can have more features than
  // i386, and sorts before x86_64 by name.
  T.write("arch/arm/Kconfig", "config ARM\n\tdef_bool y\n"
                              "\tselect HAVE_ARCH_VMAP_STACK if MMU\n"
                              "\tselect HAVE_VL_SMCCC\n"
                              "\tselect HAVE_VL_STUB\n");
  T.write("arch/riscv/Kconfig",
          "config RISCV\n\tdef_bool y\n"
          "\tselect HAVE_ARCH_VMAP_STACK if MMU && 64BIT\n"
          "\tselect HAVE_VL_STUB\n\n"
          "config 64BIT\n\tbool\n");
  // arch/Kconfig is every arch's (6.1's HAVE_STATIC_CALL, which x86's
  // PARAVIRT, and so XEN, depend on).
  T.write("arch/Kconfig", "config HAVE_VL_GENERIC\n\tbool\n");
  T.write("arch/powerpc/Kconfig",
          "config PPC\n\tdef_bool y\n\nconfig PPC_POWERNV\n\tbool "
          "\"powernv\"\n\tdepends on PPC64\n"
          "source \"arch/powerpc/platforms/ps3/Kconfig\"\n");
  T.write("arch/powerpc/platforms/ps3/Kconfig",
          "config PPC_PS3\n\tbool \"PS3\"\n\tdepends on PPC64\n\thelp\n"
          "\t  depends on X86 (help text, not a dependency)\n\n"
          "config PS3_ROM\n\ttristate \"PS3 ROM\"\n"
          "\tdepends on PPC_PS3 && SCSI\n");
  T.write("drivers/Makefile", "obj-$(CONFIG_PPC_PS3) += ps3/\n"
                              "obj-y += scsi/ cpufreq/ i2c/ phy/\n");
  // A symbol with no prompt outside arch/ is set only by what selects it
  // or a default: 6.1's HAVE_ARM_SMCCC (drivers/firmware/smccc/Kconfig,
  // selected by arm and arm64) and PHY_MVEBU_A3700_COMPHY, which depends
  // on it.
  T.write("drivers/firmware/Kconfig",
          "config HAVE_VL_SMCCC\n\tbool\n\n"
          "config HAVE_VL_STUB\n\tbool\n\n"
          "config VL_PS3_DEFAULT\n\tbool\n\tdefault y if PPC_PS3\n\n"
          "config VL_PROMPTED\n\tbool \"prompted\"\n");
  T.write("drivers/phy/Makefile",
          "obj-$(CONFIG_PHY_VL_COMPHY) += vl-comphy.o\n"
          "obj-$(CONFIG_PHY_VL_DEFAULT) += vl-default.o\n"
          "obj-$(CONFIG_PHY_VL_PROMPTED) += vl-prompted.o\n"
          "obj-$(CONFIG_PHY_VL_STUB) += vl-stub.o\n");
  T.write("drivers/phy/Kconfig",
          "config PHY_VL_COMPHY\n\ttristate \"comphy\"\n"
          "\tdepends on ARCH_VL || COMPILE_TEST\n"
          "\tdepends on HAVE_VL_SMCCC\n\n"
          "config PHY_VL_DEFAULT\n\ttristate \"default\"\n"
          "\tdepends on VL_PS3_DEFAULT\n\n"
          "config PHY_VL_PROMPTED\n\ttristate \"prompted\"\n"
          "\tdepends on VL_PROMPTED\n\n"
          "config PHY_VL_STUB\n\ttristate \"stub\"\n"
          "\tdepends on HAVE_VL_STUB && !ARM\n");
  T.write("drivers/ps3/Makefile", "obj-y += ps3-sys.o\n");
  T.write("drivers/scsi/Makefile", "obj-$(CONFIG_PS3_ROM)\t\t+= ps3rom.o\n"
                                   "obj-$(CONFIG_SCSI_VL_CT)\t+= vl-ct.o\n"
                                   "obj-$(CONFIG_SCSI_VL_32)\t+= vl-32.o\n"
                                   "obj-$(CONFIG_SCSI_VL_64)\t+= vl-64.o\n"
                                   "obj-y += always.o\n");
  // SCSI_VL_32 as 6.1's SCSI_NSP32 (drivers/scsi/nsp32.c).
  T.write("drivers/scsi/Kconfig",
          "config SCSI_VL_CT\n\ttristate \"x\"\n"
          "\tdepends on (PPC_PS3 || COMPILE_TEST) && SCSI\n\n"
          "config SCSI_VL_32\n\ttristate \"32\"\n"
          "\tdepends on PCI && SCSI && !64BIT\n\n"
          "config SCSI_VL_64\n\ttristate \"64\"\n"
          "\tdepends on PCI && SCSI && 64BIT\n");
  T.write("drivers/i2c/busses/Makefile",
          "obj-$(CONFIG_I2C_OPAL)\t+= i2c-opal.o\n");
  T.write("drivers/i2c/busses/Kconfig",
          "menu \"OPAL\"\n\tdepends on PPC_POWERNV\n\n"
          "config I2C_OPAL\n\ttristate \"OPAL I2C\"\n\tdefault y\n"
          "endmenu\n");
  T.write("drivers/cpufreq/Makefile",
          "obj-$(CONFIG_X86_SPEEDSTEP_SMI) += speedstep-smi.o\n"
          "obj-$(CONFIG_X86_VL) += vl-x86.o\n"
          "obj-$(CONFIG_X86_VL64) += vl-x86-64.o\n");
  T.write("drivers/cpufreq/Kconfig",
          "if X86\nsource \"drivers/cpufreq/Kconfig.x86\"\nendif\n");
  T.write("drivers/cpufreq/Kconfig.x86",
          "config X86_SPEEDSTEP_SMI\n\ttristate \"SMI\"\n"
          "\tdepends on X86_32\n\n"
          "config X86_VL\n\ttristate \"VL\"\n"
          "\tdepends on HAVE_VL_GENERIC || PPC_PS3\n\n"
          "config X86_VL64\n\ttristate \"VL 64\"\n\tdepends on !X86_32\n");
  for (const char *F :
       {"drivers/ps3/ps3-sys.c", "drivers/scsi/ps3rom.c",
        "drivers/scsi/vl-ct.c", "drivers/scsi/always.c", "drivers/scsi/vl-32.c",
        "drivers/scsi/vl-64.c", "drivers/i2c/busses/i2c-opal.c",
        "drivers/cpufreq/speedstep-smi.c", "drivers/cpufreq/vl-x86.c",
        "drivers/cpufreq/vl-x86-64.c", "arch/m68k/emu.c",
        "drivers/phy/vl-comphy.c", "drivers/phy/vl-default.c",
        "drivers/phy/vl-prompted.c", "drivers/phy/vl-stub.c"})
    T.write(F, "int x;\n");
}

} // namespace

TEST(CompileFlags, UnitArchOfAFileOnlyAnotherArchBuilds) {
  TempTree T;
  writeArchOnlyDrivers(T, "CONFIG_X86=y\nCONFIG_64BIT=y\nCONFIG_X86_64=y\n");
  auto Tree = openKernelTree(T.Root.string());
  ASSERT_TRUE(Tree);
  ASSERT_EQ(Tree->Arch, "x86");
  auto Arch = [&](const char *F) { return unitArch(*Tree, T.path(F)); };
  // PS3_ROM is defined under arch/powerpc/ only.
  EXPECT_EQ(Arch("drivers/scsi/ps3rom.c"), "powerpc");
  // Its directory is built for PPC_PS3 only (drivers/Makefile).
  EXPECT_EQ(Arch("drivers/ps3/ps3-sys.c"), "powerpc");
  // The enclosing menu's `depends on PPC_POWERNV`.
  EXPECT_EQ(Arch("drivers/i2c/busses/i2c-opal.c"), "powerpc");
  // COMPILE_TEST lets x86_64 build it: stays x86.
  EXPECT_EQ(Arch("drivers/scsi/vl-ct.c"), "x86");
  EXPECT_EQ(Arch("drivers/scsi/always.c"), "x86"); // built in
  // `depends on X86_32`: only ARCH=i386 builds it.
  EXPECT_EQ(Arch("drivers/cpufreq/speedstep-smi.c"), "i386");
  // `depends on ... !64BIT`: i386, arm and 32-bit riscv can build it; the
  // configured arch's other word size wins over arm's VMAP_STACK.
  EXPECT_EQ(Arch("drivers/scsi/vl-32.c"), "i386");
  EXPECT_EQ(Arch("drivers/scsi/vl-64.c"), "x86"); // built by x86_64
  // HAVE_VL_SMCCC has no prompt and only arm selects it.
  EXPECT_EQ(Arch("drivers/phy/vl-comphy.c"), "arm");
  // VL_PS3_DEFAULT has no prompt, and a default only where PPC_PS3 is.
  EXPECT_EQ(Arch("drivers/phy/vl-default.c"), "powerpc");
  EXPECT_EQ(Arch("drivers/phy/vl-prompted.c"), "x86"); // the user sets it
  // As 6.1's efi/libstub/zboot.c (`depends on EFI_GENERIC_STUB && !ARM`):
  // arm and riscv select HAVE_VL_STUB, and ARM is always y on arm.
  EXPECT_EQ(Arch("drivers/phy/vl-stub.c"), "riscv");
  // `depends on HAVE_VL_GENERIC || PPC_PS3`, the first from arch/Kconfig.
  EXPECT_EQ(Arch("drivers/cpufreq/vl-x86.c"), "x86");
  EXPECT_EQ(Arch("drivers/cpufreq/vl-x86-64.c"), "x86");
  EXPECT_EQ(Arch("arch/m68k/emu.c"), "m68k");
  // The rules: i386 cannot have VMAP_STACK (select ... if X86_64), nor
  // powerpc (no select).
  ASSERT_TRUE(Tree->ArchFacts);
  EXPECT_FALSE(Tree->ArchFacts->archCanHave("i386", "HAVE_ARCH_VMAP_STACK"));
  EXPECT_FALSE(Tree->ArchFacts->archCanHave("powerpc", "HAVE_ARCH_VMAP_STACK"));
}

TEST(CompileFlags, UnitArchOfAnI386Tree) {
  TempTree T;
  writeArchOnlyDrivers(T, "CONFIG_X86=y\nCONFIG_X86_32=y\n");
  auto Tree = openKernelTree(T.Root.string());
  ASSERT_TRUE(Tree);
  auto Arch = [&](const char *F) { return unitArch(*Tree, T.path(F)); };
  EXPECT_EQ(Arch("drivers/cpufreq/speedstep-smi.c"), "x86"); // its own
  EXPECT_EQ(Arch("drivers/cpufreq/vl-x86-64.c"), "x86_64");
  // `depends on ... 64BIT`: x86_64, not riscv (same features, first by name).
  EXPECT_EQ(Arch("drivers/scsi/vl-64.c"), "x86_64");
  EXPECT_EQ(Arch("drivers/scsi/vl-32.c"), "x86");
  EXPECT_EQ(Arch("drivers/scsi/ps3rom.c"), "powerpc");
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
  // ccflags-y (continuation line included), subdir-ccflags-y; a line
  // for an option the configuration does not set does not count (kbuild
  // reads it as ccflags-), an unknown make variable expands to nothing.
  EXPECT_TRUE(has(C, "-I" + R + "/drivers/foo/include"));
  EXPECT_TRUE(has(C, "-DFOO_DEBUG"));
  EXPECT_TRUE(has(C, "-I" + R + "/drivers/foo/common"));
  EXPECT_FALSE(has(C, "-I" + R + "/drivers/foo/trace"));
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

namespace {

/// A drivers/md-like directory: composite objects (xxx-y, xxx-objs, one
/// growing under ifeq), plain objects, options set to y, m and unset.
void writeKbuildDir(TempTree &T) {
  stdfs::create_directories(T.Root / "drivers/dm/persistent");
  stdfs::create_directories(T.Root / "drivers/dm/sub");
  T.write("include/config/auto.conf", "CONFIG_64BIT=y\nCONFIG_ARM64=y\n"
                                      "CONFIG_BLK_DEV_DM=m\n"
                                      "CONFIG_DM_BUFIO=y\n"
                                      "CONFIG_DM_ZERO=m\n"
                                      "CONFIG_DM_UEVENT=y\n"
                                      "CONFIG_DM_SHARED=y\n");
  T.write("drivers/dm/Makefile",
          "# SPDX\n"
          "dm-mod-y\t+= dm.o dm-table.o \\\n"
          "\t\t   dm-ioctl.o\n"
          "dm-mirror-y += dm-raid1.o  # a comment\n"
          "dm-multi-y += dm-shared.o\n"
          "dm-other-y += dm-shared.o\n"
          "obj-$(CONFIG_BLK_DEV_DM)\t+= dm-mod.o\n"
          "obj-$(CONFIG_DM_BUFIO)\t\t+= dm-bufio.o\n"
          "obj-$(CONFIG_DM_ZERO)\t\t+= dm-zero.o\n"
          "obj-$(CONFIG_DM_MIRROR)\t\t+= dm-mirror.o\n"
          "obj-$(CONFIG_DM_SHARED)\t\t+= dm-multi.o dm-other.o\n"
          "obj-$(CONFIG_DM_PERSISTENT)\t+= persistent/\n"
          "obj-y += sub/dm-sub.o\n"
          "ifeq ($(CONFIG_DM_UEVENT),y)\n"
          "dm-mod-objs += dm-uevent.o\n"
          "else\n"
          "obj-y += dm-no-uevent.o\n"
          "endif\n"
          "ifneq ($(CONFIG_DM_INIT),y)\n"
          "dm-mod-objs += dm-no-init.o\n"
          "endif\n"
          "ifdef CONFIG_DM_INIT\n"
          "dm-mod-objs += dm-init.o\n"
          "endif\n"
          "$(obj)/dm-gen.h: $(src)/gen.sh\n"
          "\tobj-y += dm-recipe.o\n");
  for (const char *F :
       {"dm.c", "dm-bufio.c", "dm-zero.c", "dm-raid1.c", "dm-uevent.c",
        "dm-init.c", "dm-no-init.c", "dm-no-uevent.c", "dm-shared.c",
        "dm-recipe.c", "dm-unlisted.c", "sub/dm-sub.c"})
    T.write(std::string("drivers/dm/") + F, "int x;\n");
}

KbuildObject objectOf(const TempTree &T, const std::string &Rel) {
  return kbuildObject(T.Root.string(), readAutoConf(T.Root.string()),
                      T.path("drivers/dm"), T.path("drivers/dm/" + Rel));
}

} // namespace

TEST(KbuildObjects, ReadsAutoConf) {
  TempTree T;
  writeKbuildDir(T);
  KconfigValues C = readAutoConf(T.Root.string());
  EXPECT_EQ(C.at("CONFIG_BLK_DEV_DM"), "m");
  EXPECT_EQ(C.at("CONFIG_DM_BUFIO"), "y");
  EXPECT_EQ(C.count("CONFIG_DM_MIRROR"), 0u);
  EXPECT_TRUE(readAutoConf(T.path("drivers")).empty());
}

TEST(KbuildObjects, EvaluatesTheMakefileWithTheConfiguration) {
  KconfigValues C = {{"CONFIG_A", "y"}, {"CONFIG_B", "m"}};
  auto V = evaluateKbuildMakefile("x-y := a.o\n"
                                  "x-$(CONFIG_A) += b.o \\\n c.o\n"
                                  "obj-$(CONFIG_B) += x.o\n"
                                  "obj-$(CONFIG_C) += never.o\n"
                                  "ifeq ($(CONFIG_A),y)\n"
                                  "ifneq ($(CONFIG_B),m)\n"
                                  "obj-y += inner-no.o\n"
                                  "else ifdef CONFIG_A\n"
                                  "obj-y += inner-else-if.o\n"
                                  "else\n"
                                  "obj-y += inner-else.o\n"
                                  "endif\n"
                                  "endif\n"
                                  "parts := p.o q.o\n"
                                  "obj-y += $(parts) $(shell echo s.o)\n"
                                  "obj-m ?= unused.o\n",
                                  C);
  EXPECT_EQ(V["x-y"], (std::vector<std::string>{"a.o", "b.o", "c.o"}));
  EXPECT_EQ(V["obj-m"], (std::vector<std::string>{"x.o"}));
  EXPECT_EQ(V["obj-"], (std::vector<std::string>{"never.o"}));
  EXPECT_EQ(V["obj-y"],
            (std::vector<std::string>{"inner-else-if.o", "p.o", "q.o"}));
}

TEST(KbuildObjects, ModnameAndBuildAsScriptsMakefileLib) {
  TempTree T;
  writeKbuildDir(T);
  // A part of a composite object built as a module.
  KbuildObject Dm = objectOf(T, "dm.c");
  EXPECT_EQ(Dm.Build, KbuildBuild::Module);
  EXPECT_EQ(Dm.BaseName, "dm");
  EXPECT_EQ(Dm.ModName, "dm_mod");
  EXPECT_EQ(Dm.ModFile, "drivers/dm/dm-mod");
  // xxx-objs under a true ifeq, and under ifneq of an unset option.
  EXPECT_EQ(objectOf(T, "dm-uevent.c").ModName, "dm_mod");
  EXPECT_EQ(objectOf(T, "dm-no-init.c").Build, KbuildBuild::Module);
  EXPECT_EQ(objectOf(T, "dm-no-uevent.c").Build, KbuildBuild::NotBuilt);
  EXPECT_EQ(objectOf(T, "dm-init.c").Build, KbuildBuild::NotBuilt);
  // A plain object, built in: its own name, '-' made '_' but in MODFILE.
  KbuildObject Bufio = objectOf(T, "dm-bufio.c");
  EXPECT_EQ(Bufio.Build, KbuildBuild::BuiltIn);
  EXPECT_EQ(Bufio.BaseName, "dm_bufio");
  EXPECT_EQ(Bufio.ModName, "dm_bufio");
  EXPECT_EQ(Bufio.ModFile, "drivers/dm/dm-bufio");
  EXPECT_EQ(objectOf(T, "dm-zero.c").Build, KbuildBuild::Module);
  // The composite of an unset option: not built, still named after it.
  KbuildObject Raid1 = objectOf(T, "dm-raid1.c");
  EXPECT_EQ(Raid1.Build, KbuildBuild::NotBuilt);
  EXPECT_EQ(Raid1.ModName, "dm_raid1")
      << "multi-obj only lists the objects of obj-y/obj-m";
  // A part of two composites: both names, as kbuild joins them.
  KbuildObject Shared = objectOf(T, "dm-shared.c");
  EXPECT_EQ(Shared.Build, KbuildBuild::BuiltIn);
  EXPECT_EQ(Shared.ModName, "dm_multi:dm_other");
  EXPECT_EQ(Shared.ModFile, "drivers/dm/dm-multi drivers/dm/dm-other");
  // Listed by its parent directory's Makefile as sub/dm-sub.o.
  EXPECT_EQ(objectOf(T, "sub/dm-sub.c").Build, KbuildBuild::BuiltIn);
  // A recipe line is no assignment; a file no list names is not built.
  EXPECT_EQ(objectOf(T, "dm-recipe.c").Build, KbuildBuild::NotBuilt);
  EXPECT_EQ(objectOf(T, "dm-unlisted.c").Build, KbuildBuild::NotBuilt);
  EXPECT_STREQ(kbuildBuildName(KbuildBuild::NotBuilt), "not-built");
}

TEST(KbuildObjects, DirectoriesAboveLimitWhatIsBuilt) {
  TempTree T;
  writeKbuildDir(T);
  std::string R = T.Root.string();
  KconfigValues C = readAutoConf(R);
  // drivers/dm/Makefile: obj-$(CONFIG_DM_ZERO) (m) += modsub/, and
  // persistent/ under an unset option.
  stdfs::create_directories(T.Root / "drivers/dm/modsub");
  T.write("drivers/dm/Makefile",
          "obj-y += dm-bufio.o sub/dm-sub.o\n"
          "obj-$(CONFIG_DM_ZERO) += modsub/\n"
          "obj-$(CONFIG_DM_PERSISTENT) += persistent/\n");
  T.write("drivers/dm/modsub/Makefile", "obj-y += in.o\nobj-m += mod.o\n");
  T.write("drivers/dm/persistent/Makefile", "obj-y += pd.o\n");
  for (const char *F : {"modsub/in.c", "modsub/mod.c", "persistent/pd.c"})
    T.write(std::string("drivers/dm/") + F, "int x;\n");
  auto Build = [&](const std::string &Rel) {
    return kbuildFileBuild(R, C, T.path("drivers/dm/" + Rel));
  };
  EXPECT_EQ(Build("dm-bufio.c"), KbuildBuild::BuiltIn)
      << "a top-level directory is reached";
  EXPECT_EQ(Build("sub/dm-sub.c"), KbuildBuild::BuiltIn);
  EXPECT_EQ(Build("modsub/mod.c"), KbuildBuild::Module);
  EXPECT_EQ(Build("modsub/in.c"), KbuildBuild::NotBuilt)
      << "a directory reached from obj-m builds no built-in.a";
  EXPECT_EQ(Build("persistent/pd.c"), KbuildBuild::NotBuilt);
  EXPECT_EQ(Build("dm-unlisted.c"), KbuildBuild::NotBuilt);
  EXPECT_EQ(kbuildFileBuild(R, C, T.path("include/linux/kconfig.h")),
            KbuildBuild::Unknown);
  EXPECT_EQ(kbuildMakefileDir(R, T.path("drivers/dm/sub/dm-sub.c")),
            T.path("drivers/dm"));
}

TEST(CompileFlags, KbuildBaseCommandAndPerFileFlags) {
  TempTree T;
  for (const char *D : {"kernel", "drivers/per/sub", "drivers/hyp"})
    stdfs::create_directories(T.Root / D);
  // make prepare's command for kernel/bounds.c: the configuration's
  // KBUILD_CFLAGS, relative paths, a gcc-only flag, bounds.c's own names.
  T.write("kernel/.bounds.s.cmd",
          "cmd_kernel/bounds.s := gcc -Wp,-MMD,kernel/.bounds.s.d -nostdinc "
          "-I./arch/arm64/include -I./include -include "
          "./include/linux/kconfig.h -D__KERNEL__ -DBASE_ONE -O2 "
          "-fstack-protector-strong -fconserve-stack "
          "-DKBUILD_MODFILE='\"kernel/bounds\"' "
          "-DKBUILD_BASENAME='\"bounds\"' -DKBUILD_MODNAME='\"bounds\"' "
          "-D__KBUILD_MODNAME=kmod_bounds -fverbose-asm -S -o kernel/bounds.s "
          "kernel/bounds.c\n\nsource_kernel/bounds.s := kernel/bounds.c\n");
  T.write("drivers/per/Makefile",
          "incdir := $(srctree)/$(src)/include\n"
          "subdir-ccflags-y := -I$(incdir)\n"
          "obj-y += per.o other.o sub/\n"
          "ccflags-y := -DPER_DIR -fstack-protector-strong\n"
          "ccflags-$(CONFIG_FOO_TRACE) += -DNOT_SET\n"
          "CFLAGS_per.o := -DPER_FILE -DVER=\\\"1.0\\\"\n"
          "CFLAGS_REMOVE_per.o = -fstack-protector-strong -DBASE_%\n");
  T.write("drivers/per/sub/Makefile", "obj-y += s.o\n");
  T.write("drivers/hyp/Makefile", "hyp-obj-y := h.o\nobj-y := hyp.o\n"
                                  "$(obj)/%.nvhe.o: $(src)/%.c FORCE\n"
                                  "\t$(call if_changed_rule,cc_o_c)\n"
                                  "CFLAGS_h.nvhe.o := -DHYP_FILE\n");
  auto Tree = openKernelTree(T.Root.string());
  ASSERT_TRUE(Tree);
  std::string R = Tree->Root;
  auto Per = kernelCompileCommand(*Tree, T.path("drivers/per/per.c"));
  EXPECT_TRUE(has(Per, "--target=aarch64-linux-gnu")) << "gcc's implied";
  EXPECT_TRUE(has(Per, "-I" + R + "/arch/arm64/include"));
  EXPECT_TRUE(has(Per, R + "/include/linux/kconfig.h"));
  EXPECT_TRUE(has(Per, "-D__KERNEL__"));
  EXPECT_TRUE(has(Per, "-O2"));
  EXPECT_FALSE(has(Per, "-fconserve-stack")) << "clang does not know it";
  EXPECT_FALSE(has(Per, "-S"));
  EXPECT_FALSE(has(Per, "-DKBUILD_BASENAME=\"bounds\""));
  EXPECT_TRUE(has(Per, "-DKBUILD_BASENAME=\"per\""));
  EXPECT_TRUE(has(Per, "-I" + R + "/drivers/per/include"))
      << "subdir-ccflags-y through the Makefile's own variable";
  EXPECT_TRUE(has(Per, "-DPER_DIR"));
  EXPECT_FALSE(has(Per, "-DNOT_SET"));
  EXPECT_TRUE(has(Per, "-DPER_FILE"));
  EXPECT_TRUE(has(Per, "-DVER=\"1.0\"")) << "as the shell passes it";
  // CFLAGS_REMOVE_per.o: out of the base and ccflags-y, % a wildcard.
  EXPECT_FALSE(has(Per, "-fstack-protector-strong"));
  EXPECT_FALSE(has(Per, "-DBASE_ONE"));
  auto Other = kernelCompileCommand(*Tree, T.path("drivers/per/other.c"));
  EXPECT_TRUE(has(Other, "-fstack-protector-strong"));
  EXPECT_TRUE(has(Other, "-DBASE_ONE"));
  EXPECT_TRUE(has(Other, "-DPER_DIR"));
  EXPECT_FALSE(has(Other, "-DPER_FILE"));
  auto Sub = kernelCompileCommand(*Tree, T.path("drivers/per/sub/s.c"));
  EXPECT_TRUE(has(Sub, "-I" + R + "/drivers/per/include"));
  EXPECT_FALSE(has(Sub, "-DPER_DIR"));
  // A directory's own pattern rule names the object, and so kbuild's
  // names and the CFLAGS_ key (arm64's nVHE objects).
  auto Hyp = kernelCompileCommand(*Tree, T.path("drivers/hyp/h.c"));
  EXPECT_TRUE(has(Hyp, "-DKBUILD_BASENAME=\"h.nvhe\""));
  EXPECT_TRUE(has(Hyp, "-DKBUILD_MODFILE=\"drivers/hyp/h.nvhe\""));
  EXPECT_TRUE(has(Hyp, "-DHYP_FILE"));
}

TEST(CompileFlags, TreeBuiltOutOfPlace) {
  // make O=OBJ: OBJ's Makefile is kbuild's `include SRC/Makefile`, OBJ
  // holds the configuration and the generated headers (Debian's
  // linux-headers-* packages have the same shape).
  TempTree T;
  stdfs::path Obj = T.Root.string() + "-obj";
  stdfs::create_directories(Obj / "include/config");
  stdfs::create_directories(Obj / "arch/x86/include/generated");
  std::ofstream(Obj / "Makefile")
      << "# Automatically generated by " << T.Root.string()
      << "/Makefile: don't edit\ninclude " << T.Root.string() << "/Makefile\n";
  std::ofstream(Obj / "include/config/auto.conf")
      << "CONFIG_64BIT=y\nCONFIG_X86=y\nCONFIG_FOO_TRACE=y\n";
  auto Tree = openKernelTree(Obj.string());
  ASSERT_TRUE(Tree);
  std::string R = Tree->Root, O = stdfs::canonical(Obj).string();
  EXPECT_EQ(R, stdfs::canonical(T.Root).string());
  EXPECT_EQ(Tree->ObjRoot, O);
  EXPECT_EQ(Tree->Arch, "x86") << "the O= directory's configuration";
  EXPECT_EQ(Tree->Version.str(), "5.10");
  // A source file belongs to that build from now on.
  auto Found = openKernelTree(R);
  ASSERT_TRUE(Found);
  EXPECT_EQ(Found->ObjRoot, O);
  auto C = kernelCompileCommand(*Tree, T.path("drivers/foo/foo.c"));
  EXPECT_TRUE(has(C, "--target=x86_64-linux-gnu"));
  EXPECT_TRUE(has(C, "-I" + R + "/arch/x86/include"));
  EXPECT_TRUE(has(C, "-I" + O + "/arch/x86/include/generated"));
  EXPECT_TRUE(has(C, "-I" + O + "/include"));
  EXPECT_TRUE(has(C, "-I" + R + "/drivers/foo")) << "-I $(srctree)/$(src)";
  EXPECT_TRUE(has(C, "-I" + O + "/drivers/foo")) << "-I $(objtree)/$(obj)";
  // ccflags-$(CONFIG_FOO_TRACE): the O= directory's configuration; -I$(src)
  // is relative to where kbuild runs (the objects), the sources lacking it.
  EXPECT_TRUE(has(C, "-I" + O + "/drivers/foo/trace"));
  stdfs::remove_all(Obj);
}

TEST(CompileFlags, KbuildDefinesModuleOrModfile) {
  TempTree T;
  writeKbuildDir(T);
  auto Tree = openKernelTree(T.Root.string());
  ASSERT_TRUE(Tree);
  auto Mod = kernelCompileCommand(*Tree, T.path("drivers/dm/dm.c"));
  EXPECT_TRUE(has(Mod, "-DMODULE"));
  EXPECT_TRUE(has(Mod, "-DKBUILD_BASENAME=\"dm\""));
  EXPECT_TRUE(has(Mod, "-DKBUILD_MODNAME=\"dm_mod\""));
  EXPECT_TRUE(has(Mod, "-D__KBUILD_MODNAME=kmod_dm_mod"));
  for (const std::string &A : Mod)
    EXPECT_NE(A.rfind("-DKBUILD_MODFILE", 0), 0u) << "modules get none";
  auto In = kernelCompileCommand(*Tree, T.path("drivers/dm/dm-bufio.c"));
  EXPECT_FALSE(has(In, "-DMODULE"));
  EXPECT_TRUE(has(In, "-DKBUILD_MODFILE=\"drivers/dm/dm-bufio\""));
  EXPECT_TRUE(has(In, "-DKBUILD_MODNAME=\"dm_bufio\""));
  // Not built by this configuration: compiled as if built in.
  auto Off = kernelCompileCommand(*Tree, T.path("drivers/dm/dm-raid1.c"));
  EXPECT_FALSE(has(Off, "-DMODULE"));
  EXPECT_TRUE(has(Off, "-DKBUILD_MODFILE=\"drivers/dm/dm-raid1\""));
  // No Makefile lists it (a corpus tree): its own name and directory.
  stdfs::create_directories(T.Root / "drivers/solo");
  T.write("drivers/solo/solo-one.c", "int x;\n");
  EXPECT_EQ(kbuildObject(Tree->Root, {}, Tree->Root,
                         T.path("drivers/solo/solo-one.c"))
                .Build,
            KbuildBuild::Unknown);
  auto Solo = kernelCompileCommand(*Tree, T.path("drivers/solo/solo-one.c"));
  EXPECT_FALSE(has(Solo, "-DMODULE"));
  EXPECT_TRUE(has(Solo, "-DKBUILD_MODFILE=\"drivers/solo/solo-one\""));
  EXPECT_TRUE(has(Solo, "-DKBUILD_MODNAME=\"solo_one\""));
}

// A Kbuild fragment: 6.1's nouveau lists nvkm/core/client.o in
// nvkm/core/Kbuild (`nvkm-y := ...`, no obj- of its own), which
// drivers/gpu/drm/nouveau/Kbuild reads with `include $(src)/nvkm/Kbuild`
// into `nouveau-y`. kbuild builds it from nouveau/, with that Kbuild's
// ccflags-y and names.
TEST(CompileFlags, KbuildFragmentFileIsBuiltFromTheMakefileThatIncludesIt) {
  TempTree T;
  stdfs::create_directories(T.Root / "drivers/gpu/nv/core");
  T.write("include/config/auto.conf", "CONFIG_64BIT=y\nCONFIG_ARM64=y\n"
                                      "CONFIG_NV=m\n");
  T.write("drivers/gpu/nv/Kbuild", "NV_PATH ?= $(srctree)\n"
                                   "ccflags-y += -I $(NV_PATH)/$(src)/include\n"
                                   "include $(src)/core/Kbuild\n"
                                   "nv-y := $(core-y)\n"
                                   "nv-y += nv_drm.o\n"
                                   "obj-$(CONFIG_NV) += nv.o\n");
  T.write("drivers/gpu/nv/core/Kbuild", "core-y := core/client.o\n"
                                        "core-y += core/engine.o\n");
  for (const char *F : {"core/client.c", "core/engine.c", "core/other.c"})
    T.write(std::string("drivers/gpu/nv/") + F, "int x;\n");
  auto Tree = openKernelTree(T.Root.string());
  ASSERT_TRUE(Tree);
  std::string R = T.Root.string(),
              Client = T.path("drivers/gpu/nv/core/client.c");
  EXPECT_EQ(kbuildMakefileDir(R, Client), T.path("drivers/gpu/nv"));
  EXPECT_EQ(kbuildMakefileDir(R, T.path("drivers/gpu/nv/core/other.c")),
            T.path("drivers/gpu/nv/core"))
      << "an object the including Makefile does not name";
  KconfigValues C = readAutoConf(R);
  EXPECT_EQ(kbuildFileBuild(R, C, Client), KbuildBuild::Module);
  auto Cmd = kernelCompileCommand(*Tree, Client);
  EXPECT_TRUE(hasOpt(Cmd, "-I", T.path("drivers/gpu/nv/include")));
  EXPECT_TRUE(has(Cmd, "-DMODULE"));
  EXPECT_TRUE(has(Cmd, "-DKBUILD_MODNAME=\"nv\""));
  EXPECT_TRUE(has(Cmd, "-DKBUILD_BASENAME=\"client\""));
  // Without the include read, the fragment lists nothing.
  EXPECT_EQ(evaluateKbuildMakefile("include core/Kbuild\n", C).count("core-y"),
            0u);
  EXPECT_EQ(evaluateKbuildMakefile("include drivers/gpu/nv/core/Kbuild\n", C, R)
                .at("core-y"),
            (std::vector<std::string>{"core/client.o", "core/engine.o"}));
}

// Files outside the tree are an out-of-tree module's (make M=DIR): kbuild
// compiles them with -DMODULE (M= builds modules), names them after the
// module's composite object as its Makefile lists them (under the usual
// `ifneq ($(KERNELRELEASE),)`), applies its ccflags-y with $(src) the
// module's directory, and adds no -I of the tree's directories.
TEST(CompileFlags, OutOfTreeModuleIsAModule) {
  TempTree T;
  T.write("include/config/kernel.release", "5.10.3\n");
  stdfs::path Mod = T.Root.string() + "-ext/mydrv";
  stdfs::remove_all(Mod.parent_path());
  stdfs::create_directories(Mod / "core");
  auto Write = [&](const std::string &Rel, const std::string &Text) {
    std::ofstream(Mod / Rel) << Text;
  };
  Write("Makefile", "ifneq ($(KERNELRELEASE),)\n"
                    "obj-m := mydrv.o\n"
                    "mydrv-y := main.o core/ring.o\n"
                    "ccflags-y := -I$(src)/include -DMYDRV_DEBUG\n"
                    "else\n"
                    "KDIR ?= /lib/modules/`uname -r`/build\n"
                    "default:\n"
                    "\t$(MAKE) -C $(KDIR) M=$$PWD\n"
                    "endif\n");
  Write("main.c", "int x;\n");
  Write("core/ring.c", "int y;\n");
  stdfs::create_directories(Mod.parent_path() / "lone");
  std::ofstream(Mod.parent_path() / "lone/my-mod.c") << "int z;\n";
  auto Tree = openKernelTree(T.Root.string());
  ASSERT_TRUE(Tree);
  for (const char *F : {"main.c", "core/ring.c"}) {
    auto C = kernelCompileCommand(*Tree, (Mod / F).string());
    EXPECT_TRUE(has(C, "-DMODULE")) << F;
    EXPECT_TRUE(has(C, "-DKBUILD_MODNAME=\"mydrv\"")) << F;
    EXPECT_TRUE(has(C, "-D__KBUILD_MODNAME=kmod_mydrv")) << F;
    EXPECT_TRUE(has(C, "-DMYDRV_DEBUG")) << F;
    EXPECT_TRUE(hasOpt(C, "-I", (Mod / "include").string())) << F;
    for (const std::string &A : C) {
      EXPECT_NE(A.rfind("-DKBUILD_MODFILE", 0), 0u) << F;
      EXPECT_EQ(A.find(T.Root.string() + "/mydrv"), std::string::npos) << A;
    }
  }
  EXPECT_TRUE(has(kernelCompileCommand(*Tree, (Mod / "core/ring.c").string()),
                  "-DKBUILD_BASENAME=\"ring\""));
  // A lone file, no Makefile: a module of its own name.
  auto Lone = kernelCompileCommand(
      *Tree, (Mod.parent_path() / "lone/my-mod.c").string());
  EXPECT_TRUE(has(Lone, "-DMODULE"));
  EXPECT_TRUE(has(Lone, "-DKBUILD_BASENAME=\"my_mod\""));
  EXPECT_TRUE(has(Lone, "-DKBUILD_MODNAME=\"my_mod\""));
  // The census says so: a module, not "build unknown".
  KconfigValues Config = readAutoConf(T.Root.string());
  for (const char *F : {"main.c", "core/ring.c"})
    EXPECT_EQ(kernelUnitBuild(*Tree, Config, (Mod / F).string()),
              KbuildBuild::Module)
        << F;
  EXPECT_EQ(kernelUnitBuild(*Tree, Config,
                            (Mod.parent_path() / "lone/my-mod.c").string()),
            KbuildBuild::Module);
  stdfs::remove_all(Mod.parent_path());
}

// kbuild descends into arch/$(SRCARCH)/ only: in an arm64 tree,
// arch/parisc/kernel/module.c (obj-$(CONFIG_MODULES), set here) is not
// built, while the same Makefile line under arch/arm64/ builds it in. With
// no view of parisc (none can be made: no clang target), the configured
// tree's configuration answers for it.
TEST(CompileFlags, AnotherArchsFileIsNotBuiltByTheConfiguration) {
  TempTree T;
  T.write("include/config/auto.conf",
          "CONFIG_64BIT=y\nCONFIG_ARM64=y\nCONFIG_MODULES=y\n");
  for (const char *A : {"parisc", "arm64"}) {
    stdfs::create_directories(T.Root / "arch" / A / "kernel");
    T.write(std::string("arch/") + A + "/Kbuild", "obj-y += kernel/\n");
    T.write(std::string("arch/") + A + "/kernel/Makefile",
            "obj-$(CONFIG_MODULES) += module.o\n");
    T.write(std::string("arch/") + A + "/kernel/module.c", "int x;\n");
  }
  setArchViewSettings({false, ""});
  auto Tree = openKernelTree(T.Root.string());
  ASSERT_TRUE(Tree);
  ASSERT_EQ(Tree->Arch, "arm64");
  KconfigValues Config = readAutoConf(T.Root.string());
  std::string Parisc = T.path("arch/parisc/kernel/module.c");
  EXPECT_EQ(kbuildFileBuild(Tree->Root, Config, Parisc), KbuildBuild::BuiltIn)
      << "its own Makefile alone lists it";
  EXPECT_EQ(kernelUnitBuild(*Tree, Config, Parisc), KbuildBuild::NotBuilt);
  EXPECT_EQ(
      kernelUnitBuild(*Tree, Config, T.path("arch/arm64/kernel/module.c")),
      KbuildBuild::BuiltIn);
  setArchViewSettings({});
}

// A file the configuration does not build is compiled as the configuration
// that builds it would: mipi-dbi.c of 4.12 (obj-$(CONFIG_TINYDRM_MIPI_DBI),
// a symbol without a prompt that TINYDRM_MI0283QT selects, which depends
// on DRM_TINYDRM && SPI) holds its SPI code under #if IS_ENABLED(CONFIG_SPI).
TEST(CompileFlags, NotBuiltFileGetsTheOptionsThatBuildIt) {
  TempTree T;
  stdfs::create_directories(T.Root / "drivers/gate");
  T.write("drivers/gate/Makefile",
          "obj-$(CONFIG_GATE_HELPER) += gate-helper.o\n"
          "gate-mod-y := gate-part.o\n"
          "obj-$(CONFIG_GATE_DRV) += gate-drv.o \\\n"
          "\tgate-mod.o\n"
          "obj-y += gate-always.o\n");
  T.write("drivers/gate/Kconfig", "config GATE_HELPER\n"
                                  "\ttristate\n"
                                  "\n"
                                  "if ARM64 && GATE_MENU\n"
                                  "config GATE_DRV\n"
                                  "\ttristate \"A SPI display\"\n"
                                  "\tdepends on DRM && SPI && "
                                  "(PCI || COMPILE_TEST) && !BROKEN\n"
                                  "\tselect GATE_HELPER\n"
                                  "\thelp\n"
                                  "\t  Say Y.\n"
                                  "endif\n");
  for (const char *F :
       {"gate-helper.c", "gate-drv.c", "gate-part.c", "gate-always.c"})
    T.write(std::string("drivers/gate/") + F, "int x;\n");
  auto Tree = openKernelTree(T.Root.string());
  ASSERT_TRUE(Tree);
  // Joined or, as clang's driver renders it, apart ("-D" "CONFIG_X=1").
  auto Config = [&](const char *File) {
    std::vector<std::string> Out,
        C = kernelCompileCommand(*Tree,
                                 T.path(std::string("drivers/gate/") + File));
    for (size_t I = 0; I < C.size(); ++I)
      if (C[I].rfind("-DCONFIG_", 0) == 0)
        Out.push_back(C[I]);
      else if (C[I] == "-D" && I + 1 < C.size() &&
               C[I + 1].rfind("CONFIG_", 0) == 0)
        Out.push_back("-D" + C[++I]);
    return Out;
  };
  using V = std::vector<std::string>;
  // Selected, no prompt: the selector's needs (ARM64 is set: not added).
  EXPECT_EQ(Config("gate-helper.c"),
            V({"-DCONFIG_GATE_HELPER=1", "-DCONFIG_GATE_MENU=1",
               "-DCONFIG_DRM=1", "-DCONFIG_SPI=1"}));
  // Through a continued line; never an alternative of || nor a negation.
  EXPECT_EQ(Config("gate-drv.c"),
            V({"-DCONFIG_GATE_DRV=1", "-DCONFIG_GATE_MENU=1", "-DCONFIG_DRM=1",
               "-DCONFIG_SPI=1"}));
  // A part of a composite object: the composite's option.
  EXPECT_EQ(Config("gate-part.c"), Config("gate-drv.c"));
  // Built by the configuration: nothing added.
  EXPECT_EQ(Config("gate-always.c"), V());
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
  // clang knows it, for SystemZ only: "unsupported option '-mrecord-mcount'
  // for target 'x86_64-pc-linux-gnu'", an error in every gcc-built x86 unit
  // with FTRACE_MCOUNT_USE_CC (Debian's config).
  EXPECT_FALSE(has(C, "-mrecord-mcount"));
  EXPECT_TRUE(has(C, "-fsyntax-only"));
  EXPECT_TRUE(hasOpt(C, "-isystem", clangResourceDir() + "/include"))
      << "-nostdinc: clang's builtin headers";
  EXPECT_FALSE(has(C, "/usr/lib/gcc/x86_64-linux-gnu/12/include"));
  for (const char *Gone :
       {"-fconserve-stack", "-fno-allow-store-data-races", "-Werror", "-c",
        "-o", "drivers/foo.o", "-Wp,-MMD,drivers/.foo.o.d"})
    EXPECT_FALSE(has(C, Gone)) << Gone;
  // kbuild's compile_commands.json: "directory" the object tree, include
  // paths relative to it; the analysis does not run there.
  auto D = adjustDatabaseCommand(
      {"gcc", "-nostdinc", "-I./include", "-I", "arch/x86/include/generated",
       "-I/src/include", "-isystem", "sys", "-include",
       "./include/linux/kconfig.h", "-iquote", "q", "-D__KERNEL__",
       "/src/drivers/foo.c"},
      "/src/drivers/foo.c", "/obj");
  EXPECT_TRUE(hasOpt(D, "-I", "/obj/include"));
  EXPECT_TRUE(hasOpt(D, "-I", "/obj/arch/x86/include/generated"));
  EXPECT_TRUE(hasOpt(D, "-I", "/src/include"));
  EXPECT_TRUE(hasOpt(D, "-isystem", "/obj/sys"));
  EXPECT_TRUE(hasOpt(D, "-include", "/obj/include/linux/kconfig.h"));
  EXPECT_TRUE(hasOpt(D, "-iquote", "/obj/q"));
  EXPECT_EQ(D.back(), "/src/drivers/foo.c");
}

// arch/x86/Makefile: a CONFIG_X86_32=y tree is an i386 kernel.
TEST(CompileFlags, X86_32ConfigurationGivesI386Flags) {
  TempTree T;
  stdfs::create_directories(T.Root / "arch/x86/include/generated");
  stdfs::remove_all(T.Root / "arch/arm64");
  T.write("include/config/auto.conf",
          "CONFIG_X86=y\nCONFIG_X86_32=y\nCONFIG_HIGHMEM4G=y\n"
          "CONFIG_HIGHMEM=y\n");
  auto Tree = openKernelTree(T.Root.string());
  ASSERT_TRUE(Tree);
  EXPECT_EQ(Tree->Arch, "x86");
  auto C = kernelCompileCommand(*Tree, T.path("drivers/foo/foo.c"));
  EXPECT_TRUE(has(C, "--target=i386-linux-gnu"));
  EXPECT_TRUE(has(C, "-m32"));
  EXPECT_TRUE(has(C, "-mregparm=3"));
  EXPECT_FALSE(has(C, "-mcmodel=kernel"));
  EXPECT_FALSE(has(C, "--target=x86_64-linux-gnu"));
  T.write("include/config/auto.conf", "CONFIG_X86=y\nCONFIG_X86_64=y\n");
  auto Tree64 = openKernelTree(T.Root.string());
  // treeConfig() notices the changed auto.conf by its size.
  auto C64 = kernelCompileCommand(*Tree64, T.path("drivers/foo/foo.c"));
  EXPECT_TRUE(has(C64, "--target=x86_64-linux-gnu"));
  EXPECT_TRUE(has(C64, "-mcmodel=kernel"));
  EXPECT_FALSE(has(C64, "-m32"));
}

// A file of another arch with a prepared view: kbuild's own command for that
// arch (from the view's kernel/.bounds.s.cmd), with the file's own parts.
// The view here is written by hand into a cache directory; `done` says it
// is prepared, so no make runs.
TEST(CompileFlags, AnotherArchsFileUsesItsPreparedView) {
  TempTree T;
  stdfs::create_directories(T.Root / "arch/riscv/kernel");
  stdfs::create_directories(T.Root / "arch/parisc/kernel");
  stdfs::create_directories(T.Root / "scripts");
  T.write("arch/riscv/Makefile", "# riscv\n");
  T.write("arch/parisc/Makefile", "# parisc\n");
  T.write("arch/riscv/kernel/Makefile", "obj-y += setup.o\n");
  T.write("arch/riscv/kernel/setup.c", "int s;\n");
  T.write("arch/parisc/kernel/module.c", "int m;\n");
  T.write("scripts/Makefile.clang",
          "CLANG_TARGET_FLAGS_arm64\t:= aarch64-linux-gnu\n"
          "CLANG_TARGET_FLAGS_riscv\t:= riscv64-linux-gnu\n");
  std::string Cache = (T.Root / "cache").string();
  setArchViewSettings({true, Cache});
  auto Tree = openKernelTree(T.Root.string());
  ASSERT_TRUE(Tree);
  std::string D = archViewDir(*Tree, "riscv");
  EXPECT_EQ(D.rfind(Cache + "/", 0), 0u);
  stdfs::create_directories(D + "/obj/kernel");
  stdfs::create_directories(D + "/obj/include/config");
  std::string S = D + "/src";
  std::ofstream(D + "/done") << "ok\n";
  std::ofstream(D + "/obj/include/config/auto.conf") << "CONFIG_RISCV=y\n";
  std::ofstream(D + "/obj/kernel/.bounds.s.cmd")
      << "cmd_kernel/bounds.s := clang-19 -Wp,-MMD,kernel/.bounds.s.d "
         "-nostdinc -I"
      << S << "/arch/riscv/include "
      << "-I./arch/riscv/include/generated -I" << S << "/include -I./include "
      << "-include " << S << "/include/linux/kconfig.h -D__KERNEL__ "
      << "--target=riscv64-linux-gnu -mabi=lp64 -march=rv64imac "
         "-mcmodel=medany -DFOO='\"bar baz\"' -Wall -fconserve-stack "
         "-I "
      << S << "/. -I ./. -DKBUILD_MODFILE='\"./bounds\"' "
      << "-DKBUILD_BASENAME='\"bounds\"' -DKBUILD_MODNAME='\"bounds\"' "
         "-D__KBUILD_MODNAME=kmod_bounds -fverbose-asm -S -o kernel/bounds.s "
      << S << "/kernel/bounds.c\n\nsource_kernel/bounds.s := x\n";
  std::string File = T.path("arch/riscv/kernel/setup.c");
  auto C = kernelCompileCommand(*Tree, File);
  EXPECT_TRUE(has(C, "--target=riscv64-linux-gnu"));
  EXPECT_TRUE(has(C, "-mcmodel=medany"));
  EXPECT_TRUE(hasOpt(C, "-D", "FOO=\"bar baz\"")) << "shell quoting undone";
  EXPECT_TRUE(hasOpt(C, "-I", D + "/obj/arch/riscv/include/generated"))
      << "relative to the O= directory";
  EXPECT_TRUE(hasOpt(C, "-I", D + "/obj/include"));
  EXPECT_TRUE(hasOpt(C, "-I", S + "/include"));
  EXPECT_TRUE(hasOpt(C, "-D", "KBUILD_MODNAME=\"setup\""));
  EXPECT_TRUE(hasOpt(C, "-D", "KBUILD_MODFILE=\"arch/riscv/kernel/setup\""))
      << "built in by the view's configuration";
  EXPECT_TRUE(has(C, "-fsyntax-only"));
  EXPECT_EQ(C.back(), File);
  for (const std::string &A : {"KBUILD_BASENAME=\"bounds\"", "-S", "-o",
                               "-fverbose-asm", "-Wall", "-mcmodel=kernel"})
    EXPECT_FALSE(has(C, A)) << A;
  for (const std::string &A : C)
    EXPECT_EQ(A.find("bounds.c"), std::string::npos) << A;
  // An arch kbuild cannot build with clang: the configured arch's flags,
  // and the view says why.
  auto P = kernelCompileCommand(*Tree, T.path("arch/parisc/kernel/module.c"));
  EXPECT_TRUE(has(P, "--target=aarch64-linux-gnu"));
  const ArchView *V = archView(*Tree, "parisc");
  ASSERT_TRUE(V);
  EXPECT_FALSE(V->Ready);
  EXPECT_EQ(V->Why, "parisc: no clang target (scripts/Makefile.clang names "
                    "none)");
  EXPECT_FALSE(stdfs::exists(archViewDir(*Tree, "parisc")))
      << "nothing prepared for it";
  // Keyed on what the view depends on: another arch Makefile is another
  // view; a driver's source is not part of the key.
  T.write("drivers/foo/foo.c", "int x2;\n");
  EXPECT_EQ(archViewDir(*Tree, "riscv"), D);
  T.write("arch/riscv/Makefile", "# riscv, changed\n");
  EXPECT_NE(archViewDir(*Tree, "riscv"), D);
  T.write("Makefile", "# top\nVERSION = 5\nPATCHLEVEL = 11\n");
  EXPECT_NE(archViewDir(*Tree, "riscv"), D);
  // Switched off: no view.
  setArchViewSettings({false, Cache});
  EXPECT_EQ(archView(*Tree, "riscv"), nullptr);
  setArchViewSettings({});
}
