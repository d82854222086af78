// Pass 1's evaluation of gfp arguments: what bits an expression certainly,
// possibly and never sets (through macros, constants, local variables and
// the parameters of wrappers), and which functions callers see as vmalloc
// allocators (the API table's rows and the wrappers that pass their own
// gfp_t parameter into one, found to a fixpoint).
#ifndef VMALLOC_LINT_GFP_EVALUATION_H
#define VMALLOC_LINT_GFP_EVALUATION_H

#include "matchers/CallSites.h"
#include "matchers/provenance/CrossFileFacts.h"

#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/SmallPtrSet.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class Expr;
class FunctionDecl;
class ParmVarDecl;
class VarDecl;
} // namespace clang

namespace vmalloc_lint {

struct VmallocApiEntry;
class SourcePoints;

/// A gfp mask as far as the analysis can tell.
struct GfpValue {
  uint64_t Must = 0;    ///< certainly set
  uint64_t May = 0;     ///< possibly set
  uint64_t Cleared = 0; ///< certainly clear (`& ~X`)
  bool Constant = true;
  std::vector<std::string> Symbols; ///< unknown parts: "parameter 'gfp'"
  llvm::SmallPtrSet<const clang::ParmVarDecl *, 2> Params;
  /// Bits that arrived through a local variable, and where they were set.
  std::vector<std::pair<uint64_t, clang::SourceLocation>> VarOrigins;

  static GfpValue constant(uint64_t V);
  static GfpValue unknown(std::string Symbol);
  void absorbSymbols(const GfpValue &O);
};

/// `A | B`: bits of either.
GfpValue orValues(const GfpValue &A, const GfpValue &B);
/// Two paths meet: bits of both certain, of either possible.
GfpValue joinValues(const GfpValue &A, const GfpValue &B);

/// Evaluates gfp expressions of one translation unit.
class GfpEvaluator {
public:
  explicit GfpEvaluator(clang::ASTContext &Ctx) : Ctx(Ctx) {}
  /// The value of E in function Fn (its locals followed to their
  /// definitions before the use).
  GfpValue eval(const clang::Expr *E, const clang::FunctionDecl *Fn,
                int Depth = 0);

private:
  GfpValue localValue(const clang::VarDecl *V, const clang::FunctionDecl *Fn,
                      clang::SourceLocation Use, int Depth);

  clang::ASTContext &Ctx;
  llvm::SmallPtrSet<const clang::VarDecl *, 4> VarsInProgress;
};

/// A function callers see as a vmalloc allocator: a table row, or a wrapper
/// that passes its own gfp_t parameter into one.
struct FamilyMember {
  const VmallocApiEntry *Row = nullptr; ///< allocator reached
  int GfpParam = -1;
  bool IsWrapper = false;
  uint64_t Added = 0;           ///< bits the wrapper ORs in
  uint64_t Cleared = 0;         ///< bits the wrapper masks out
  std::vector<std::string> Via; ///< wrapper chain down to the allocator
  /// A wrapper defined in another unit (a cross-file fact), or reached
  /// through one: its name and definition.
  std::string Imported;
  FactPoint ImportedAt;
};

/// The vmalloc family of one translation unit.
class VmallocFamily {
public:
  VmallocFamily(GfpEvaluator &Eval, const CrossFileFacts *Imported)
      : Eval(Eval), Imported(Imported) {}
  /// Finds the unit's wrappers among the callers of Calls, to a fixpoint.
  void findWrappers(const std::vector<FamilyCall> &Calls);
  /// FD's membership, or nullptr when callers do not see it as an
  /// allocator.
  const FamilyMember *member(const clang::FunctionDecl *FD);
  /// FD is a row of the API table (its own body is the allocator's).
  static bool isAllocator(const clang::FunctionDecl *FD);
  /// The unit's own gfp wrappers with external linkage, for other units.
  void exportWrappers(CrossFileFacts &Out, SourcePoints &Points);

private:
  void importedWrapper(const clang::FunctionDecl *FD, FamilyMember &M);

  GfpEvaluator &Eval;
  const CrossFileFacts *Imported;
  std::map<const clang::FunctionDecl *, FamilyMember> Members; // node-stable
};

} // namespace vmalloc_lint

#endif
