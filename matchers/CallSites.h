// What a site is: the calls of a translation unit that the checks look at,
// found by Clang AST matchers built from the API tables (matchers/kernel/).
// Pass 1: every call of a vmalloc-family function or of a function with a
// gfp_t parameter (a possible wrapper), inside a function body. Pass 2:
// every call of a function of the memory tables (sources, sinks, guards,
// page lookups, DMA mask setters, the family). The CLI and the clang-tidy
// plugin both get their sites from here (through analyzeTranslationUnit).
#ifndef VMALLOC_LINT_CALL_SITES_H
#define VMALLOC_LINT_CALL_SITES_H

#include "llvm/ADT/DenseMap.h"

#include <vector>

namespace clang {
class ASTContext;
class CallExpr;
class FunctionDecl;
} // namespace clang

namespace vmalloc_lint {

struct VmallocApiEntry;
struct MemorySource;
struct MemorySink;
struct MemoryGuard;
struct DmaMaskSetter;

/// The index of FD's parameter whose declared type is gfp_t (through
/// typedefs), or -1: the gfp argument is found by type, never by position.
int gfpParamIndex(const clang::FunctionDecl *FD);

/// A call pass 1 looks at, and the function whose body holds it.
struct FamilyCall {
  const clang::CallExpr *Call;
  const clang::FunctionDecl *Caller;
};

/// In translation-unit order.
std::vector<FamilyCall> findFamilyCalls(clang::ASTContext &Ctx);

/// What a call of pass 2's tables calls (one of the rows, or a page lookup:
/// vmalloc_to_page/vmalloc_to_pfn).
struct MemoryCallee {
  const VmallocApiEntry *Family = nullptr;
  const MemorySource *Source = nullptr;
  const MemorySink *Sink = nullptr;
  const MemoryGuard *Guard = nullptr;
  const DmaMaskSetter *MaskSetter = nullptr;
  bool PageLookup = false;
};

struct MemoryCalls {
  llvm::DenseMap<const clang::CallExpr *, MemoryCallee> ByCall;
  /// The DMA mask setters' calls, in translation-unit order.
  std::vector<const clang::CallExpr *> MaskSetters;
  const MemoryCallee *lookup(const clang::CallExpr *CE) const {
    auto It = ByCall.find(CE);
    return It == ByCall.end() ? nullptr : &It->second;
  }
};

MemoryCalls findMemoryCalls(clang::ASTContext &Ctx);

} // namespace vmalloc_lint

#endif
