// Compile commands for the files to analyse: from compile_commands.json (-p),
// or synthesised the way kbuild would build the file in a kernel tree.
#ifndef VMALLOC_LINT_COMPILE_FLAGS_H
#define VMALLOC_LINT_COMPILE_FLAGS_H

#include "matchers/kernel/KernelTree.h"
#include "tool/KbuildObjects.h"

#include <optional>
#include <string>
#include <vector>

namespace vmalloc_lint {

/// The clang resource dir (builtin headers) the tool uses.
std::string clangResourceDir();

/// Full command line (argv[0] "clang", ending in File) that kbuild would use
/// for File: kbuild's base command for the tree's configuration
/// (kbuildBaseCommand; in an unprepared tree, -nostdinc, the arch and
/// generated include dirs, -include kconfig.h / compiler_types.h as the
/// tree has them, -D__KERNEL__), then what the Makefiles on the way to
/// File add (subdir-ccflags-y, ccflags-y, CFLAGS_file.o, less
/// ccflags-remove-y and CFLAGS_REMOVE_file.o) and the KBUILD_* names,
/// filtered by clang's option table (adjustDatabaseCommand).
std::vector<std::string> kernelCompileCommand(const KernelTree &Tree,
                                              const std::string &File);

/// What the configuration builds of File, as kernelCompileCommand compiles
/// it: with its arch's prepared view, that view's configuration decides
/// (kbuildFileBuild); another arch's file without one is not built by a
/// configured tree (the top Makefile descends into arch/$(SRCARCH)/ only);
/// a file outside the
/// tree is an out-of-tree module's (make M=): a module unless its
/// Makefile lists it in obj-y or for an option that is not set. Config is
/// the tree's configuration (include/config/auto.conf).
KbuildBuild kernelUnitBuild(const KernelTree &Tree, const KconfigValues &Config,
                            const std::string &File);

/// kbuild's command for kernel/bounds.c in the tree or object tree ObjDir
/// (ObjDir/kernel/.bounds.s.cmd, written by make prepare): the arch
/// Makefile's flags, LINUXINCLUDE, KBUILD_CPPFLAGS and KBUILD_CFLAGS of that
/// configuration, made a command for any C file: outputs, input, KBUILD_*
/// names and the top directory's -I dropped, relative paths made absolute.
/// Empty when the tree has no such file.
std::vector<std::string> kbuildBaseCommand(const std::string &ObjDir);

/// A command from a compile database made fit for analysis: the compiler
/// replaced, options clang does not know (gcc-only kernel flags) and output
/// options dropped, syntax-only, errors never fatal. With -nostdinc, the
/// compiler's builtin include dir (gcc's, or another clang's) is replaced
/// by this clang's. Directory: the entry's "directory" (kbuild's
/// compile_commands.json names the object tree and -I./include relative to
/// it): relative include paths are made absolute against it, since the
/// analysis does not run there.
std::vector<std::string>
adjustDatabaseCommand(const std::vector<std::string> &Command,
                      const std::string &File,
                      const std::string &Directory = "");

/// Flags every analysis gets (syntax only, no warnings, unlimited errors).
void addAnalysisFlags(std::vector<std::string> &Command);

} // namespace vmalloc_lint

#endif
