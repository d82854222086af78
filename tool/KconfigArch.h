// The arch whose view and rules a unit gets. A file under arch/X/ is arch
// X's (KernelTree::archOf). A file outside arch/ that the configuration
// does not build is the configured arch's if that arch can build it, else
// the arch that can: decided from the tree's own Makefiles (the
// obj-$(CONFIG_X) lines that list the file and the directories above it)
// and Kconfig files (each option's `depends on`, its enclosing `if`/`menu`
// blocks and the `source` lines that read its file; a symbol defined only
// under arch/Y/ is arch Y's; ARCH=i386 and ARCH=x86_64 fix X86_32/X86_64:
// matchers/kernel/KconfigExpr.h). drivers/block/ps3disk.c (`depends on
// PPC_PS3`, defined in arch/powerpc/platforms/ps3/Kconfig) is powerpc's,
// drivers/cpufreq/speedstep-smi.c (`depends on X86_32`) i386's; a driver
// that `depends on PPC_PS3 || COMPILE_TEST` stays the configured arch's.
// A symbol that no prompt or default can set is set only by a `select` (or
// `imply`) from an entry the arch can have: 6.1's HAVE_ARM_SMCCC.
// Not decided here (the answer stays "can"): that a symbol is always y (6.1's
// arm `config ARM bool default y`, so `depends on EFI_GENERIC_STUB && !ARM`,
// drivers/firmware/efi/libstub/zboot.c, still looks arm's), comparisons
// (`I2C=y`, `"$(ARCH)" != "i386"`), `visible if`, and whether the entry
// that holds a `select` is the one that can set its symbol (a symbol with
// two entries).
#ifndef VMALLOC_LINT_KCONFIG_ARCH_H
#define VMALLOC_LINT_KCONFIG_ARCH_H

#include "matchers/kernel/KernelTree.h"

#include <string>

namespace vmalloc_lint {

/// The arch of File's unit in Tree: Tree.archOf(File), or for a file
/// outside arch/ that only another arch (or word size) can build, that
/// arch's kbuild name (powerpc, i386). Of several arches that can, the
/// configured arch's other word size (i386 for an x86_64 tree's `depends on
/// !64BIT` driver, x86_64 for an i386 tree's `depends on 64BIT` one), then
/// the one that can have the most arch features (archFeatureSymbols: the
/// rules stay on where one of them applies), then one clang can target,
/// then the first by name. Read once per tree, remembered per file.
std::string unitArch(const KernelTree &Tree, const std::string &File);

} // namespace vmalloc_lint

#endif
