// --list-checks and --list-api-migrations: the registry's and the API
// migration table's rows, printed (to -o FILE or stdout).
#include "matchers/checks/CheckRegistry.h"
#include "matchers/kernel/ApiMigrations.h"
#include "tool/Modes.h"
#include "tool/ResultOutput.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace vmalloc_lint {

/// --list-checks: each check's name and summary.
int listChecks() {
  for (const CheckRow &C : checkRegistry())
    resultStream() << C.Name << "\n    " << C.Summary << "\n";
  return 0;
}

/// --list-api-migrations: the table's rows as JSON lines.
int listApiMigrations() {
  for (const ApiMigration &M : apiMigrations()) {
    auto Str = [](const char *S) -> llvm::json::Value {
      return S ? llvm::json::Value(S) : llvm::json::Value(nullptr);
    };
    llvm::json::Object Row{
        {"since", M.Since.str()},
        {"function", M.Function},
        {"arity", M.Arity},
        {"new_form", Str(M.NewForm)},
        {"condition_arg", M.CondArg},
        {"condition_spelling", Str(M.CondSpelling)},
        {"otherwise", Str(M.Otherwise)},
        {"reason", M.Reason},
        {"fix_until", M.FixUntil.Major ? M.FixUntil.str() : ""},
        {"header", M.Header},
        {"old_decl", M.OldDecl},
        {"new_decl", M.NewDecl},
        {"upstream", M.Upstream}};
    resultStream() << llvm::json::Value(std::move(Row)) << "\n";
  }
  return 0;
}

} // namespace vmalloc_lint
