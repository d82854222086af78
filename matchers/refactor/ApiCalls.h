// Calls of the functions the API migration table names (matchers/kernel/
// ApiMigrations.h): every call whose callee is declared with one of those
// names, any argument count (the check compares it with the row's), with
// its arguments as written. A call a macro writes is collected with
// Editable false (reported, never edited).
#ifndef VMALLOC_LINT_API_CALLS_H
#define VMALLOC_LINT_API_CALLS_H

#include "matchers/checks/RefactorCheck.h"

#include <vector>

namespace clang {
class ASTContext;
} // namespace clang

namespace vmalloc_lint {

/// Every such call of the unit, in source order (From and Target unset).
std::vector<ApiCallSite> findApiCalls(clang::ASTContext &Ctx);

} // namespace vmalloc_lint

#endif
