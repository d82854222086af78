// What a refactoring check sees: code of a known shape that the AST matchers
// of matchers/refactor/ found, as plain data, and how the check reports it
// (its message and its fix choice). Plain: check files include no Clang
// header.
#ifndef VMALLOC_LINT_REFACTOR_CHECK_H
#define VMALLOC_LINT_REFACTOR_CHECK_H

#include "matchers/Finding.h"
#include "matchers/kernel/KernelVersion.h"
#include "matchers/kernel/MemoryApi.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace vmalloc_lint {

/// A free chosen by a guard: `if (is_vmalloc_addr(p)) vfree(p); else
/// kfree(p);`, the negated test with the branches swapped, or the ternary
/// `is_vmalloc_addr(p) ? vfree(p) : kfree(p);` (matchers/refactor/
/// OpenCodedFree.h says exactly what matches).
struct FreeChoiceSite {
  /// WrapperCall: a call of a kvfree() wrapper (a function whose whole body
  /// is kvfree(p) or the choice; the unit's own, or another unit's through
  /// the facts): Choice is the kernel's helper, Wrapper the function.
  enum class Shape { If, NegatedIf, Ternary, WrapperCall };
  Shape Form = Shape::If;
  const FreeChoice *Choice = nullptr; ///< the kernel's helper for it
  SourcePoint Where;                  ///< the statement's first token
  std::string Function;               ///< the function that holds it
  /// The statement is the function's whole body: the function is a local
  /// copy of Choice->Helper and its callers need no change.
  bool WholeBody = false;
  std::string Pointer;   ///< the freed pointer, as written
  std::string Wrapper;   ///< WrapperCall: the wrapper called
  SourcePoint WrapperAt; ///< WrapperCall: its definition
  /// WrapperCall: the wrapper is a static function, not inline, and the
  /// unit's calls that are sites are every use of it the unit compiles:
  /// with them converted it would be unused (gcc's -Wunused-function, an
  /// error under CONFIG_WERROR), and any use left is in code this
  /// configuration does not compile. The first of its calls then carries
  /// the whole fix, when the file names the wrapper nowhere else (no use
  /// under #ifdef, no prototype, no comment) and its definition is plain
  /// code: every call converted and the definition removed (MoreEdits);
  /// the others say which line's fix converts them (FixedWithLine). No
  /// fix otherwise.
  bool LeavesWrapperUnused = false;
  struct Edit {
    unsigned Offset = 0;
    std::string Old, New;
  };
  std::vector<Edit> MoreEdits;
  /// LeavesWrapperUnused and no fix: why the definition cannot go with its
  /// calls (matchers/refactor/DefinitionRemoval.h).
  std::string NoRemoval;
  unsigned FixedWithLine = 0;
  /// The statement's bytes, from its first token through its `;` or `}`
  /// (WrapperCall: the call's callee token only, which kvfree replaces),
  /// in File as analysed (the file's contentHash is FileHash).
  std::string File;
  uint64_t FileHash = 0;
  unsigned Offset = 0;
  std::string Text;
};

/// A kmalloc-family allocation with a vmalloc-family fallback, on failure
/// or by size, inline, as a local helper's whole body, or a call of such a
/// helper (matchers/refactor/OpenCodedKvmalloc.h says exactly what
/// matches).
struct FallbackAllocSite {
  enum class Shape { OnFailure, BySize, HelperBody, HelperCall };
  Shape Form = Shape::OnFailure;
  SourcePoint Where;    ///< the code's first token (the call's, for a call)
  std::string Function; ///< the function that holds it
  std::string Helper;   ///< HelperBody, HelperCall: the helper
  SourcePoint HelperAt; ///< HelperCall: the helper's definition
  bool BySize = false;  ///< the helper's fallback is chosen by size
  std::string Linear;   ///< the kmalloc-family call (kzalloc ...)
  std::string Fallback; ///< the vmalloc-family call (vzalloc ...)
  bool Zeroes = false;  ///< either allocator zeroes (or __GFP_ZERO)
  bool Array = false;   ///< kcalloc/kmalloc_array, or an overflow check
  std::string Count;    ///< Array: the element count, as written
  std::string Size;     ///< the (element) size, as written
  /// kmalloc_node(), vmalloc_node() ...: the NUMA node, as written (of the
  /// call that names one; both name the same one); "" for none.
  std::string Node;
  /// The fallback runs in a memalloc scope (memalloc_noio_save() ...): the
  /// save's name ("" for none).
  std::string Scope;
  /// The fallback's block checks the mask with a warning first
  /// (`WARN_ON(!(flags & __GFP_FS))`): the macro's name, which the fix
  /// drops ("" for none).
  std::string Warning;
  /// The mask for the kv* call as written: the kmalloc one's without the
  /// flags kvmalloc sets itself on its kmalloc attempt (Dropped), and
  /// without __GFP_ZERO when the helper is a zeroing one.
  std::string Gfp;
  std::vector<std::string> Dropped;
  /// The mask's value (Known: no unknown part) and as flag names.
  bool GfpKnown = false;
  uint64_t GfpMust = 0, GfpMay = 0;
  std::string GfpNames;
  /// The mask comes from the helper's gfp_t parameter, unknown at its body.
  bool GfpFromParameter = false;
  /// HelperBody with the mask from the parameter, and its HelperCall
  /// sites: every call of the helper the imported facts hold, in order,
  /// each with its mask (Known: no unknown part; as flag names). When the
  /// target's kvmalloc takes every one, the body becomes one kv* call with
  /// the mask passed on and the calls stay as they are.
  struct CallerMask {
    std::string At; ///< file:line (the file's name only)
    bool Known = false;
    uint64_t Must = 0, May = 0;
    std::string Names;
  };
  std::optional<std::vector<CallerMask>> Callers;
  /// The tree's values of the flags the rules test.
  uint64_t GfpKernel = 0, DirectReclaim = 0, NoRetry = 0, Zero = 0;
  /// The size is a compile-time constant (not an array): its bytes; and
  /// the tree's __GFP_REPEAT and PAGE_SIZE << PAGE_ALLOC_COSTLY_ORDER (0
  /// when it defines none).
  bool SizeKnown = false;
  uint64_t SizeBytes = 0, Repeat = 0, CostlyMax = 0;
  KernelVersion Target; ///< the kernel the fix is for
  /// The bytes replaced, in File as analysed: Prefix + the kv* call +
  /// Suffix replaces Text ("p = " ... ";", "return " ... ";", "" ... "").
  std::string Prefix, Suffix;
  /// On failure, when a comment is between the kmalloc() statement and the
  /// fallback's `if`: Text is the statement only, and the `if` (with the
  /// blanks after that comment) is a second piece, TailText at TailOffset,
  /// replaced by TailNew (the fallback's own check, or nothing); the bytes
  /// between the two stay as they are.
  unsigned TailOffset = 0;
  std::string TailText, TailNew;
  std::string File;
  uint64_t FileHash = 0;
  unsigned Offset = 0;
  std::string Text;
  /// The bytes of Text's first line before it, and of its last line after
  /// it (the fix's line length counts them).
  std::string LineHead, LineTail;
  /// The kmalloc's mask was a local that only added kvmalloc's own flags
  /// for sizes over PAGE_SIZE (ownFlagsFirst()): its name, and its
  /// declaration's line (MaskDeclText at MaskDeclOffset), which the fix
  /// removes ("" for none).
  std::string MaskLocal;
  unsigned MaskDeclOffset = 0;
  std::string MaskDeclText;
  /// HelperBody: the whole definition (RemoveText at RemoveOffset), and
  /// whether it can go: static, of the analysed file, and every use of it
  /// is a call the unit holds (each one a HelperCall site).
  unsigned RemoveOffset = 0;
  std::string RemoveText;
  bool Removable = false;
  /// The frees of the memory the fix converts (matchers/refactor/
  /// KvmallocFrees.h): the local or field the allocation is stored in, as
  /// written (Freed), and the vfree()/kfree() calls of it that become
  /// kvfree(): each the callee token (Old) at Offset, replaced by New, or
  /// a choice of the two by size (`if (n > PAGE_SIZE) vfree(p); else
  /// kfree(p);`), the whole if replaced by `kvfree(p);`; Lines: the lines
  /// of the calls. When they cannot all be converted, FreesLeft says why
  /// and Frees holds the calls left (for the message; the fix does not edit
  /// them).
  struct FreeEdit {
    unsigned Offset = 0;
    std::vector<unsigned> Lines;
    std::string Old, New;
  };
  std::string Freed;
  std::string FreeHelper; ///< what they become (kvfree)
  std::vector<FreeEdit> Frees;
  std::string FreesLeft;
};

/// A call of a function the API migration table (matchers/kernel/
/// ApiMigrations.h) names, as written (matchers/refactor/ApiCalls.h says
/// what is collected), with the versions the migration is between.
struct ApiCallSite {
  std::string Callee;
  SourcePoint Where;    ///< the callee token
  std::string Function; ///< the function that holds the call
  /// The call's arguments as written, and their byte ranges in File
  /// (Editable: every argument and the call are written in File, not by a
  /// macro).
  std::vector<std::string> Args;
  std::vector<std::pair<unsigned, unsigned>> ArgRanges;
  unsigned ArgCount = 0; ///< the call's, Editable or not
  bool Editable = false;
  std::string File;
  uint64_t FileHash = 0;
  unsigned Offset = 0; ///< the call: callee through `)`
  std::string Text;
  /// The call is a statement of a block (`f(x);`): the bytes that delete
  /// it (its whole line when nothing else is on it).
  bool Statement = false;
  unsigned StatementOffset = 0;
  std::string StatementText;
  KernelVersion From;   ///< the code's kernel
  KernelVersion Target; ///< --migrate-to
};

class RefactorCheck {
public:
  virtual ~RefactorCheck() = default;
  /// The finding for a free chosen by a guard (Check is filled in by the
  /// caller), with its fix requests; nullopt when the check has nothing to
  /// say.
  virtual std::optional<Finding> judge(const FreeChoiceSite &S) const {
    return std::nullopt;
  }
  /// The finding for an open-coded kmalloc-else-vmalloc.
  virtual std::optional<Finding> judge(const FallbackAllocSite &S) const {
    return std::nullopt;
  }
  /// The finding for a call of an API the migration table names.
  virtual std::optional<Finding> judge(const ApiCallSite &S) const {
    return std::nullopt;
  }
};

} // namespace vmalloc_lint

#endif
