// The vmalloc API's signature changes and removals, as data: one row per
// (release, old call form). vmalloc-api-migration (matchers/checks/
// ApiMigrationCheck.cpp) rewrites a call of Function with Arity arguments
// to NewForm when the code's kernel is older than Since and the target
// (--migrate-to) is Since or newer. scripts/check-api-migrations.py checks
// each row's OldDecl against the old release's header and NewDecl against
// the new one's (docs/api-migration.md has the table and the result).
#ifndef VMALLOC_LINT_API_MIGRATIONS_H
#define VMALLOC_LINT_API_MIGRATIONS_H

#include "matchers/kernel/KernelVersion.h"

#include <vector>

namespace vmalloc_lint {

struct ApiMigration {
  KernelVersion Since;  ///< the first release with the new form
  const char *Function; ///< the old callee
  unsigned Arity;       ///< its argument count before Since
  /// The new call, over the call's arguments as written ($1 ... $9); ""
  /// deletes the statement the call is (the call is gone and has no
  /// replacement); nullptr: no mechanical replacement, report only.
  const char *NewForm;
  /// When CondArg (1-based) is set: NewForm only when that argument is
  /// spelled CondSpelling; otherwise Otherwise (nullptr: report only).
  unsigned CondArg;
  const char *CondSpelling;
  const char *Otherwise;
  /// What a human must decide: said when Otherwise applies or there is no
  /// form at all ("" when the rewrite is exact).
  const char *Reason;
  /// The release that removed what NewForm calls ({0, 0}: still there in
  /// the newest release checked): a target at or after it gets a report.
  KernelVersion FixUntil;
  /// The header that declares both forms, and a piece of each declaration
  /// (whitespace-insensitive) the check script looks for: OldDecl in the
  /// release before Since, NewDecl in Since (NewDecl "": the function is
  /// gone, the script checks OldDecl's name is not declared there).
  const char *Header;
  const char *OldDecl;
  const char *NewDecl;
  const char *Upstream; ///< the upstream change, as its subject (and id)
};

/// Every row, oldest release first.
const std::vector<ApiMigration> &apiMigrations();

} // namespace vmalloc_lint

#endif
