// Compile commands for the files to analyse: from compile_commands.json (-p),
// or synthesised the way kbuild would build the file in a kernel tree.
#ifndef VMALLOC_LINT_COMPILE_FLAGS_H
#define VMALLOC_LINT_COMPILE_FLAGS_H

#include "matchers/kernel/KernelTree.h"

#include <optional>
#include <string>
#include <vector>

namespace vmalloc_lint {

/// The clang resource dir (builtin headers) the tool uses.
std::string clangResourceDir();

/// Full command line (argv[0] "clang", ending in File) that kbuild would use
/// for File: -nostdinc, clang's builtin include dir, arch and generated
/// include dirs, -include kconfig.h / compiler_types.h as the tree has them,
/// -D__KERNEL__, per-directory -I/-D from ccflags-y / subdir-ccflags-y.
std::vector<std::string> kernelCompileCommand(const KernelTree &Tree,
                                              const std::string &File);

/// A command from a compile database made fit for analysis: the compiler
/// replaced, options clang does not know (gcc-only kernel flags) and output
/// options dropped, syntax-only, errors never fatal. With -nostdinc, the
/// compiler's builtin include dir (gcc's, or another clang's) is replaced
/// by this clang's.
std::vector<std::string>
adjustDatabaseCommand(const std::vector<std::string> &Command,
                      const std::string &File);

/// Flags every analysis gets (syntax only, no warnings, unlimited errors).
void addAnalysisFlags(std::vector<std::string> &Command);

} // namespace vmalloc_lint

#endif
