// Kconfig facts as data: kbuild's ARCH names that fix a source arch's word
// size (the top Makefile's SRCARCH: ARCH=i386 and ARCH=x86_64 both build
// arch/x86), and a three-valued evaluator of Kconfig expressions (`depends
// on`, `if`, `select ... if`) for the questions "can this arch build that
// file" and "can this arch select that feature".
#ifndef VMALLOC_LINT_KCONFIG_EXPR_H
#define VMALLOC_LINT_KCONFIG_EXPR_H

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace vmalloc_lint {

/// One kbuild ARCH name of a source arch with two word sizes, and the
/// symbols that word size fixes in arch/<SrcArch>/Kconfig (6.1's x86:
/// `config X86_32 def_bool y depends on !64BIT`, `config 64BIT ... default
/// "$(ARCH)" != "i386"`).
struct ArchVariant {
  const char *Name;    ///< i386: kbuild's ARCH=i386
  const char *SrcArch; ///< x86: its arch/ directory
  /// i386_defconfig: what `make ARCH=i386 defconfig` reads (arch/x86/configs/)
  const char *Defconfig;
  /// The Kconfig symbols set (true) or unset (false) by the word size.
  std::vector<std::pair<const char *, bool>> Symbols;
};

/// Every variant, for every source arch that has them.
const std::vector<ArchVariant> &archVariants();
/// The variant called Name (i386), or null.
const ArchVariant *archVariant(const std::string &Name);
/// kbuild's SRCARCH of an ARCH name: i386 -> x86; other names unchanged.
std::string srcArchOf(const std::string &Arch);

/// A symbol's value for an evaluation: true, false, or not known
/// (std::nullopt: the configuration may set it either way).
using KconfigSymbolValue =
    std::function<std::optional<bool>(const std::string &Symbol)>;

/// Evaluates a Kconfig expression (`A && (B || !C)`, `y`, `n`, `m`) in
/// three values: false when no configuration of the unknown symbols makes it
/// true, true when every one does, else unknown. Comparisons (`A = y`,
/// `A != B`) and macros (`$(cc-option,...)`) are unknown; an empty
/// expression is true.
std::optional<bool> evalKconfigExpr(const std::string &Expr,
                                    const KconfigSymbolValue &Value);

} // namespace vmalloc_lint

#endif
