// The kernel tree a file belongs to: its root, configured arch and version
// (top Makefile's VERSION and PATCHLEVEL). Shared by the CLI (flag synthesis,
// default rules) and the clang-tidy plugin (default rules).
#ifndef VMALLOC_LINT_KERNEL_TREE_H
#define VMALLOC_LINT_KERNEL_TREE_H

#include "matchers/kernel/KernelVersion.h"

#include <optional>
#include <string>

namespace vmalloc_lint {

struct KernelTree {
  std::string Root; ///< absolute
  std::string Arch; ///< x86, arm64 ... (the configured one if prepared)
  KernelVersion Version;
};

/// Dir is a kernel tree when its Makefile carries VERSION and PATCHLEVEL.
std::optional<KernelTree> openKernelTree(const std::string &Dir);

/// The kernel tree that contains File (walking up), if any.
std::optional<KernelTree> findKernelTree(const std::string &File);

} // namespace vmalloc_lint

#endif
