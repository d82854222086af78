// Cross-file facts (map, then reduce): what one translation unit knows that
// others need, keyed by names that survive across units, as plain data. No
// Clang: the analyses export and import them (VmallocAnalysis.cpp,
// ProvenanceAnalysis.cpp); the CLI writes, reads and merges them as JSON
// lines (docs/whole-tree.md, "Cross-file facts").
//
// Keys: external-linkage function and global variable names (a static
// function is never exported), struct fields as the struct's tag and the
// field's name (anonymous structs and structs defined in a .c file, which no
// other unit can see, are not exported).
//
// Join (several units, or several shards, with the same key): kinds and
// parameters are united, per kind the origin with the smallest file:line
// is kept, sinks and fields of parameters are united; for a gfp wrapper the
// bits it adds or clears are intersected and the rest comes from the
// definition with the smallest file:line (so for a kvmalloc helper). The join
// is associative and commutative and the output is sorted, so merged facts of
// shards are the facts of one run, byte for byte.
#ifndef VMALLOC_LINT_CROSS_FILE_FACTS_H
#define VMALLOC_LINT_CROSS_FILE_FACTS_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace vmalloc_lint {

/// A place in another file (absolute path, 1-based line and column).
struct FactPoint {
  std::string File;
  unsigned Line = 0;
  unsigned Column = 0;
  bool valid() const { return !File.empty(); }
  friend bool operator<(const FactPoint &A, const FactPoint &B) {
    return std::tie(A.File, A.Line, A.Column) <
           std::tie(B.File, B.Line, B.Column);
  }
  friend bool operator==(const FactPoint &A, const FactPoint &B) {
    return A.File == B.File && A.Line == B.Line && A.Column == B.Column;
  }
};

/// Where memory of one kind came from: the allocator (or "" for a stack
/// buffer: the variable's name in Callee) and its place.
struct FactOrigin {
  std::string Callee;
  FactPoint Where;
  bool Stack = false; ///< Callee names a stack variable, not a function
  /// Rank among the origins of an imported set of facts
  /// (CrossFileFacts::numberOrigins): orders imported origins after the
  /// unit's own and among themselves by place. Not part of the fact.
  unsigned Ordinal = 0;
  friend bool operator==(const FactOrigin &A, const FactOrigin &B) {
    return A.Callee == B.Callee && A.Where == B.Where && A.Stack == B.Stack;
  }
};

/// An abstract value (pass 2's MemValue) as plain data: kinds (mem::Kind
/// bits), parameters of the function it may come from (returns only), one
/// origin per kind.
struct MemFact {
  uint16_t Kinds = 0;
  uint64_t Params = 0;
  std::map<uint16_t, FactOrigin> Origins; ///< kind bit -> origin
  bool bottom() const { return !Kinds && !Params; }
  void join(const MemFact &O);
  friend bool operator==(const MemFact &A, const MemFact &B) {
    return A.Kinds == B.Kinds && A.Params == B.Params && A.Origins == B.Origins;
  }
};

/// A function passing its gfp_t parameter into the vmalloc family.
struct WrapperFact {
  FactPoint Def;                ///< the definition's name token
  unsigned GfpParam = 0;        ///< index of its gfp_t parameter
  std::string Allocator;        ///< the vmalloc table row reached
  uint64_t Added = 0;           ///< bits it ORs in on every path
  uint64_t Cleared = 0;         ///< bits it masks out
  std::vector<std::string> Via; ///< wrapper chain, this function first
};

/// A function whose whole body is an open-coded kvmalloc (kmalloc, and
/// vmalloc on failure or for large sizes: matchers/refactor/
/// OpenCodedKvmalloc.h): what a caller in another unit needs to be a site
/// with a fix (t4_alloc_mem(), kvm_kvzalloc(), ext4_kvzalloc() ...). Sizes
/// and mask are as written in the body, in terms of its parameters.
struct KvHelperFact {
  FactPoint Def;                   ///< the definition's name token
  std::vector<std::string> Params; ///< parameter names, in order
  int GfpParam = -1;               ///< the mask's parameter (or -1)
  std::string Linear, Fallback;    ///< kzalloc, vzalloc ...
  bool Zeroes = false, Array = false, BySize = false;
  std::string Count, Size, Gfp; ///< as written in the body
  std::string Node; ///< the _node forms: the node, as written ("": none)
  std::vector<std::string> Dropped; ///< flags only the kmalloc attempt had
  bool GfpKnown = false;            ///< GfpParam < 0: the mask's value
  uint64_t GfpMust = 0, GfpMay = 0;
  std::string GfpNames;
  /// Its file exports it to modules (EXPORT_SYMBOL*()).
  bool ExportSymbol = false;
  friend bool operator==(const KvHelperFact &A, const KvHelperFact &B) {
    return std::tie(A.Def, A.Params, A.GfpParam, A.Linear, A.Fallback, A.Zeroes,
                    A.Array, A.BySize, A.Count, A.Size, A.Gfp, A.Node,
                    A.Dropped, A.GfpKnown, A.GfpMust, A.GfpMay, A.GfpNames,
                    A.ExportSymbol) ==
           std::tie(B.Def, B.Params, B.GfpParam, B.Linear, B.Fallback, B.Zeroes,
                    B.Array, B.BySize, B.Count, B.Size, B.Gfp, B.Node,
                    B.Dropped, B.GfpKnown, B.GfpMust, B.GfpMay, B.GfpNames,
                    B.ExportSymbol);
  }
};

/// A call of a kvmalloc helper its file exports to modules (ExportSymbol)
/// whose mask is its caller's (GfpParam >= 0): the mask the call passes.
/// Written only by a run that imported the helper, so that every unit of it
/// knew the helper: the calls are then all of the analysed files' (a run that
/// did not know it, the first of map-then-reduce, writes none), and a helper
/// whose every call passes a mask the target's kvmalloc takes can have its body
/// made one kv* call with the mask passed on (lustre's libcfs_kvzalloc_cpt(),
/// v4.12).
struct KvHelperCallFact {
  bool GfpKnown = false;
  uint64_t GfpMust = 0, GfpMay = 0;
  friend bool operator==(const KvHelperCallFact &A, const KvHelperCallFact &B) {
    return std::tie(A.GfpKnown, A.GfpMust, A.GfpMay) ==
           std::tie(B.GfpKnown, B.GfpMust, B.GfpMay);
  }
};

/// A function of external linkage whose whole body frees one of its
/// parameters with kvfree(), or with vfree()/kfree() picked by
/// is_vmalloc_addr() (cxgb4's t4_free_mem(), cxgb3's cxgb_free_mem()): a
/// call of it is a kvfree() of that argument (vmalloc-open-coded-kvfree).
struct KvfreeWrapperFact {
  FactPoint Def;       ///< the definition's name token
  unsigned Params = 1; ///< how many parameters it has
  unsigned Param = 0;  ///< the one it frees
  std::string Body;    ///< what its body calls: kvfree, or the guard
  friend bool operator==(const KvfreeWrapperFact &A,
                         const KvfreeWrapperFact &B) {
    return std::tie(A.Def, A.Params, A.Param, A.Body) ==
           std::tie(B.Def, B.Params, B.Param, B.Body);
  }
};

/// A sink a function's parameter reaches.
struct SinkFact {
  std::string Sink; ///< memory API sink name (virt_to_page, kfree ...)
  FactPoint Where;
  friend bool operator<(const SinkFact &A, const SinkFact &B) {
    return std::tie(A.Where, A.Sink) < std::tie(B.Where, B.Sink);
  }
  friend bool operator==(const SinkFact &A, const SinkFact &B) {
    return A.Sink == B.Sink && A.Where == B.Where;
  }
};

/// A struct field: the struct's tag and the field's name.
using FieldName = std::pair<std::string, std::string>;

struct FunctionFact {
  FactPoint Def;
  MemFact Returns;
  std::map<unsigned, std::set<SinkFact>> ParamSinks;
  std::map<unsigned, std::set<FieldName>> ParamFields;
  bool empty() const {
    return Returns.bottom() && ParamSinks.empty() && ParamFields.empty();
  }
};

struct CrossFileFacts {
  std::map<std::string, WrapperFact> Wrappers;
  std::map<std::string, FunctionFact> Functions;
  std::map<FieldName, MemFact> Fields;
  std::map<std::string, MemFact> Globals;
  /// Exported open-coded kvmalloc helpers (the definition with the
  /// smallest file:line when two units define one name).
  std::map<std::string, KvHelperFact> KvHelpers;
  /// Exported kvfree() wrappers (the same rule).
  std::map<std::string, KvfreeWrapperFact> KvfreeWrappers;
  /// The calls of EXPORT_SYMBOL()ed kvmalloc helpers whose mask is the
  /// caller's, by helper and call (one record per call: joining a file twice
  /// adds nothing).
  std::map<std::string, std::map<FactPoint, KvHelperCallFact>> KvHelperCalls;

  bool empty() const {
    return Wrappers.empty() && Functions.empty() && Fields.empty() &&
           Globals.empty() && KvHelpers.empty() && KvfreeWrappers.empty() &&
           KvHelperCalls.empty();
  }
  /// Number of records writeFactsJsonl writes (the header line excluded).
  size_t records() const;
  void addWrapper(const std::string &Name, const WrapperFact &W);
  void addKvHelper(const std::string &Name, const KvHelperFact &H);
  void addKvfreeWrapper(const std::string &Name, const KvfreeWrapperFact &W);
  void addKvHelperCall(const std::string &Name, const FactPoint &At,
                       const KvHelperCallFact &C);
  void join(const CrossFileFacts &O);
  /// Sets every origin's Ordinal to its rank by place (call once the
  /// facts are complete, before they are shared).
  void numberOrigins();
};

/// The kind bits of a MemFact by name ("vmalloc", "vmalloc_32",
/// "maybe-vmalloc", "vmap", "linear", "stack", "unknown", "page-address",
/// "page-address-maybe", "mixed", "guard-vmalloc", "guard-linear"); 0 for an
/// unknown name.
uint16_t factKindBit(llvm::StringRef Name);
const char *factKindName(uint16_t Bit);

/// JSON lines: a header record {"digest":"0x...","kind":"vmalloc-lint-facts",
/// "records":N,"version":4}, then one record per fact, sorted. Paths under
/// Root are written relative to it (as the findings are), others absolute.
std::string writeFactsJsonl(const CrossFileFacts &F, const std::string &Root);
/// The header line of a facts file whose record lines are Records: their
/// number and digest (xxh3 of the bytes after the header line).
std::string factsHeader(llvm::StringRef Records);
/// Joins the records of Text into Into; relative paths are taken relative
/// to Root. Returns "" or a one-line reason ("line 3: ..."). A text that is
/// not exactly what writeFactsJsonl wrote (empty, cut short, a byte
/// changed: the header's record count or digest disagrees) is refused and
/// nothing of it is joined.
std::string readFactsJsonl(llvm::StringRef Text, const std::string &Root,
                           CrossFileFacts &Into);
/// Text is a facts file: its first line is the header record (an empty
/// file is not: `merge` reports it as a findings file that is not JSON).
bool looksLikeFacts(llvm::StringRef Text);

} // namespace vmalloc_lint

#endif
