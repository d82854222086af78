// The kernel tree a file belongs to: its root, configured arch and version
// (top Makefile's VERSION and PATCHLEVEL). Shared by the CLI (flag synthesis,
// default rules) and the clang-tidy plugin (default rules).
#ifndef VMALLOC_LINT_KERNEL_TREE_H
#define VMALLOC_LINT_KERNEL_TREE_H

#include "matchers/kernel/KernelVersion.h"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

namespace vmalloc_lint {

/// Which arches of a tree can have an arch-only Kconfig feature, read from
/// the tree once: a CheckRow's Arches symbol (HAVE_ARCH_VMAP_STACK) is an
/// arch's when its arch/ARCH/Kconfig has `select SYMBOL`, conditional or not
/// (`select HAVE_ARCH_VMAP_STACK if X86_64` counts: the arch can have it).
/// For the configured arch of a prepared tree (include/config/auto.conf),
/// the feature's own option decides instead (CONFIG_VMAP_STACK=y).
/// Only arch/ARCH/Kconfig itself is read, not the files it sources.
struct KernelArchFacts {
  /// Arches with an arch/ARCH/Kconfig (the arches the facts know).
  std::set<std::string> Arches;
  /// Symbol -> the arches whose Kconfig selects it.
  std::map<std::string, std::set<std::string>> Selecting;
  /// Symbol -> whether the configured arch's auto.conf enables the feature
  /// (absent: no auto.conf, or a symbol without a feature option).
  std::map<std::string, bool> Configured;
  std::string ConfiguredArch;

  /// Whether code of Arch can run with Symbol's feature. True for a symbol
  /// the facts were not read for and for an arch without a Kconfig (no data:
  /// every arch may).
  bool archCanHave(const std::string &Arch, const std::string &Symbol) const;
};

/// The arch-only symbols the facts know how to read, with the option that
/// turns the feature on: HAVE_ARCH_VMAP_STACK (VMAP_STACK).
const std::map<std::string, std::string> &archFeatureSymbols();

/// The facts of the tree at Root, whose configured arch is ConfiguredArch,
/// its configuration in ObjRoot (default: Root).
KernelArchFacts readKernelArchFacts(const std::string &Root,
                                    const std::string &ConfiguredArch,
                                    const std::string &ObjRoot = "");

struct KernelTree {
  std::string Root; ///< absolute: the sources
  /// Where the configuration (include/config/auto.conf, .config) and the
  /// generated headers are: Root, or the directory of a make O=DIR build
  /// (its Makefile is kbuild's two-line `include SRC/Makefile`).
  std::string ObjRoot;
  std::string Arch; ///< x86, arm64 ... (the configured one if prepared)
  KernelVersion Version;
  /// Read once per tree (openKernelTree); shared by every file's options.
  std::shared_ptr<const KernelArchFacts> ArchFacts;

  /// The arch File's code is for: X for a file under arch/X/, else the
  /// configured arch.
  std::string archOf(const std::string &File) const;
};

/// Dir is a kernel tree when its Makefile carries VERSION and PATCHLEVEL.
std::optional<KernelTree> openKernelTree(const std::string &Dir);

/// The kernel tree that contains File (walking up), if any.
std::optional<KernelTree> findKernelTree(const std::string &File);

} // namespace vmalloc_lint

#endif
