// Another arch's view of a kernel tree: a file under arch/X/ of a tree
// configured for another arch is analysed with arch X's clang target,
// headers and configuration. The view is a tool-owned kbuild output
// directory, `make ARCH=X LLVM=-19 O=CACHE/X defconfig prepare`, run once
// over a symlink farm of the tree's sources (kbuild refuses O= on a tree
// configured in place; the farm leaves out .config, include/config,
// include/generated and arch/X/include/generated) and cached. The user's
// tree is never written. The flags are kbuild's own: the command kbuild ran
// for kernel/bounds.c during prepare (its .bounds.s.cmd), with the per-file
// parts replaced.
#ifndef VMALLOC_LINT_ARCH_VIEWS_H
#define VMALLOC_LINT_ARCH_VIEWS_H

#include "matchers/kernel/KernelTree.h"
#include "tool/KbuildObjects.h"

#include <string>
#include <vector>

namespace vmalloc_lint {

struct ArchViewSettings {
  bool Enabled = true;  ///< --no-arch-views turns it off
  std::string CacheDir; ///< --arch-cache DIR ("": the default)
};
void setArchViewSettings(const ArchViewSettings &S);
/// $XDG_CACHE_HOME/vmalloc-lint/arch (~/.cache/vmalloc-lint/arch), or
/// --arch-cache's directory.
std::string archCacheDir();

struct ArchView {
  std::string Arch;
  bool Ready = false;
  /// Why there is no view ("" when Ready): "parisc: no clang target in
  /// scripts/Makefile.clang", "make ... defconfig prepare failed".
  std::string Why;
  std::string SourceView; ///< the symlink farm (kbuild's srctree)
  std::string ObjDir;     ///< kbuild's objtree (O=)
  /// kbuild's command for a C file of this arch, without the file's own
  /// parts (KBUILD_* names, its directory's -I, output and input).
  std::vector<std::string> Base;
  KconfigValues Config; ///< ObjDir's include/config/auto.conf
};

/// Where Arch's view of Tree is kept: CACHE/<tree's name>-<hash of its
/// path>/<Arch>-<hash of what the view depends on: the tool's view recipe,
/// the top Makefile (the kernel version), arch/<Arch>'s Makefile, Kconfig
/// and defconfig, the top Kconfig files, scripts/Makefile.clang, bounds.c
/// and asm-offsets.c>, holding src/ (the farm), obj/ (O=), make.log, and
/// done ("ok", or why make failed: not retried until one of those files
/// changes or the directory is removed).
std::string archViewDir(const KernelTree &Tree, const std::string &Arch);

/// The view of Arch for Tree, prepared on first use (under a lock in the
/// cache directory: concurrent runs wait for one make), then read from the
/// cache. Null when views are switched off or Arch is the tree's own.
const ArchView *archView(const KernelTree &Tree, const std::string &Arch);

/// The census's view of a unit of Tree compiled by kernelCompileCommand:
/// "configured" (the tree's own arch, or views off), "arm64 defconfig"
/// (File's arch's prepared view), "configured flags: " and why there is no
/// view ("parisc: no clang target ...").
std::string unitView(const KernelTree &Tree, const std::string &File);

/// Arch's views already looked up this run (for the summary).
std::vector<const ArchView *> archViewsUsed();

} // namespace vmalloc_lint

#endif
