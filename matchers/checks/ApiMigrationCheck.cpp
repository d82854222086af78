// vmalloc-api-migration: a call written against an older kernel's vmalloc
// API that the target kernel (--migrate-to X.Y) no longer has in that form,
// rewritten as upstream rewrote its own callers.
//
// The changes are the rows of matchers/kernel/ApiMigrations.cpp (release,
// old callee and argument count, new form over the arguments as written,
// the condition under which the new form is exact). A row applies to code
// of a kernel older than its release when the target is that release or
// newer. Exact rewrites (PAGE_KERNEL dropped from __vmalloc() and
// vm_map_ram(), a removed function replaced by what its body was) get a
// fix; a call whose old form says more than the new API can (another
// prot) gets the equivalent call and the decision a human must take, or no
// fix at all when the target has no equivalent (vm_map_ram() with another
// prot, alloc_vm_area()). Calls with another argument count (already
// migrated) are not sites. docs/api-migration.md has the table.
#include "matchers/checks/RefactorCheck.h"
#include "matchers/kernel/ApiMigrations.h"

#include <cctype>
#include <cstring>
#include <map>

namespace vmalloc_lint::checks {

namespace {

std::string trimmed(const std::string &S) {
  size_t B = S.find_first_not_of(" \t\n");
  size_t E = S.find_last_not_of(" \t\n");
  return B == std::string::npos ? "" : S.substr(B, E - B + 1);
}

/// The argument without blanks and outer parentheses: `(PAGE_KERNEL)` is
/// PAGE_KERNEL.
std::string bare(const std::string &S) {
  std::string T;
  for (char C : S)
    if (!std::isspace((unsigned char)C))
      T += C;
  while (T.size() > 2 && T.front() == '(' && T.back() == ')')
    T = T.substr(1, T.size() - 2);
  return T;
}

/// An argument a template may use twice: a variable, or fields of one
/// (`vm`, `area->vm`, `map.vma`), no call, no side effect.
bool repeatable(const std::string &S) {
  std::string T = bare(S);
  if (T.empty() || !(std::isalpha((unsigned char)T[0]) || T[0] == '_'))
    return false;
  for (size_t I = 0; I < T.size(); ++I) {
    char C = T[I];
    if (std::isalnum((unsigned char)C) || C == '_' || C == '.')
      continue;
    if (C == '-' && I + 1 < T.size() && T[I + 1] == '>') {
      ++I;
      continue;
    }
    return false;
  }
  return true;
}

/// How often each $N occurs in the template.
std::map<unsigned, unsigned> uses(const std::string &Form) {
  std::map<unsigned, unsigned> U;
  for (size_t I = 0; I + 1 < Form.size(); ++I)
    if (Form[I] == '$' && std::isdigit((unsigned char)Form[I + 1]))
      ++U[unsigned(Form[I + 1] - '0')];
  return U;
}

/// An argument as the new call writes it: on one line, its comments left
/// out (rewriters/ReplaceCode keeps the old code's comments after the new
/// call), in parentheses when an operator of lower precedence than `|`
/// would bind it otherwise (`a ? b : c`, `x = y`, `a && b`).
std::string flat(const std::string &S) {
  std::string Out;
  bool Blank = false;
  for (size_t I = 0; I < S.size(); ++I) {
    if (S.compare(I, 2, "/*") == 0) {
      size_t E = S.find("*/", I + 2);
      I = E == std::string::npos ? S.size() : E + 1;
      Blank = true;
      continue;
    }
    if (S.compare(I, 2, "//") == 0) {
      size_t E = S.find('\n', I);
      I = E == std::string::npos ? S.size() : E;
      Blank = true;
      continue;
    }
    if (std::isspace((unsigned char)S[I])) {
      Blank = true;
      continue;
    }
    if (Blank && !Out.empty())
      Out += ' ';
    Blank = false;
    Out += S[I];
  }
  int Depth = 0;
  bool Low = false;
  for (size_t I = 0; I < Out.size(); ++I) {
    char C = Out[I];
    if (C == '(' || C == '[')
      ++Depth;
    else if (C == ')' || C == ']')
      --Depth;
    else if (Depth == 0 &&
             (C == '?' || Out.compare(I, 2, "&&") == 0 ||
              Out.compare(I, 2, "||") == 0 ||
              (C == '=' && (I == 0 || !strchr("=!<>", Out[I - 1])) &&
               (I + 1 >= Out.size() || Out[I + 1] != '='))))
      Low = true;
  }
  return Low ? "(" + Out + ")" : Out;
}

std::string expand(const std::string &Form, const std::vector<std::string> &A) {
  std::string Out;
  for (size_t I = 0; I < Form.size(); ++I) {
    if (Form[I] == '$' && I + 1 < Form.size() &&
        std::isdigit((unsigned char)Form[I + 1])) {
      unsigned N = unsigned(Form[++I] - '0');
      Out += N >= 1 && N <= A.size() ? flat(A[N - 1]) : "";
    } else {
      Out += Form[I];
    }
  }
  return Out;
}

/// The template keeps the callee and its first Kept arguments in order and
/// drops the rest: the fix deletes the dropped ones and keeps the layout.
bool dropsTrailing(const std::string &Form, const ApiMigration &M,
                   unsigned &Kept) {
  std::string Prefix = std::string(M.Function) + "(";
  if (Form.rfind(Prefix, 0) != 0 || Form.back() != ')')
    return false;
  std::string Expect;
  for (Kept = 1; Kept < M.Arity; ++Kept) {
    Expect += (Kept > 1 ? ", $" : "$") + std::to_string(Kept);
    if (Prefix + Expect + ")" == Form)
      return true;
  }
  return false;
}

class ApiMigrationRule : public RefactorCheck {
public:
  std::optional<Finding> judge(const ApiCallSite &S) const override {
    const ApiMigration *Row = nullptr;
    for (const ApiMigration &M : apiMigrations())
      if (S.Callee == M.Function && S.From < M.Since && !(S.Target < M.Since) &&
          S.ArgCount == M.Arity) {
        Row = &M;
        break;
      }
    if (!Row)
      return std::nullopt;
    const ApiMigration &M = *Row;
    std::string Old = S.Callee + "()";
    std::string When = " (" + M.Since.str() + ": " + M.Upstream + ")";
    Finding F;
    F.Where = S.Where;
    F.Callee = S.Callee;
    F.Class = "api-change";

    const char *Form = M.NewForm;
    std::string Decide = M.Reason;
    if (Form && M.CondArg && S.Editable && M.CondArg <= S.Args.size() &&
        bare(S.Args[M.CondArg - 1]) != M.CondSpelling) {
      Form = M.Otherwise;
      Decide = "its argument " + std::to_string(M.CondArg) + " is " +
               trimmed(S.Args[M.CondArg - 1]) + ", not " + M.CondSpelling +
               ": " + M.Reason;
    } else if (Form) {
      Decide.clear();
    }
    auto Report = [&](const std::string &Why) {
      F.Class = "needs-decision";
      F.Message = Old + " is not in " + S.Target.str() +
                  "'s API in this "
                  "form" +
                  When + "; no fix: " + Why;
      return F;
    };
    if (!Form)
      return Report(Decide);
    if (M.FixUntil.Major && !(S.Target < M.FixUntil))
      return Report("the replacement upstream used in " + M.Since.str() +
                    " is itself gone by " + M.FixUntil.str());
    if (!S.Editable)
      return Report("a macro writes the call");
    for (auto [N, Count] : uses(Form))
      if (Count > 1 && N <= S.Args.size() && !repeatable(S.Args[N - 1]))
        return Report("the new form uses argument " + std::to_string(N) + " (" +
                      trimmed(S.Args[N - 1]) +
                      ") twice; give it a variable first");

    FixRequest R;
    R.What = FixRequest::Kind::ReplaceCode;
    std::string New;
    unsigned Kept = 0;
    if (!*Form) {
      if (!S.Statement)
        return Report("the call is gone without a replacement and is not a "
                      "statement of its own");
      New = "nothing";
      R.Name = "no " + S.Callee;
      R.Replace = {S.File, S.StatementOffset, (unsigned)S.StatementText.size(),
                   "", S.FileHash};
      R.Original = S.StatementText;
      F.Message = Old + " is gone in " + S.Target.str() + When +
                  " and has no replacement: the kernel keeps the vmalloc "
                  "mappings in sync itself; delete the call";
    } else if (dropsTrailing(Form, M, Kept)) {
      unsigned From = S.ArgRanges[Kept - 1].second;
      unsigned To = S.ArgRanges.back().second;
      New = expand(Form, S.Args);
      R.Name = S.Callee;
      R.Replace = {S.File, From, To - From, "", S.FileHash};
      R.Original = S.Text.substr(From - S.Offset, To - From);
    } else {
      New = expand(Form, S.Args);
      R.Name = New.substr(0, New.find('('));
      R.Replace = {S.File, S.Offset, (unsigned)S.Text.size(), New, S.FileHash};
      R.Original = S.Text;
    }
    if (F.Message.empty())
      F.Message = Old + " changed in " + M.Since.str() + When + "; for " +
                  S.Target.str() + " write " + New;
    if (!Decide.empty()) {
      F.Class = "needs-decision";
      F.Message += "; decide: " + Decide;
    }
    R.NoteIndex = F.Notes.size();
    F.FixRequests.push_back(std::move(R));
    return F;
  }
};

} // namespace

const RefactorCheck &apiMigration() {
  static const ApiMigrationRule C;
  return C;
}

} // namespace vmalloc_lint::checks
