#include "tool/Maintainers.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Regex.h"

#include <algorithm>
#include <optional>

namespace vmalloc_lint {

namespace {

/// F:/X: as get_maintainer.pl's read_maintainer_file converts them.
std::string convertPattern(llvm::StringRef V, const std::string &Root) {
  std::string Out;
  for (char C : V) {
    if (C == '.')
      Out += "\\.";
    else if (C == '*')
      Out += ".*";
    else if (C == '?')
      Out += '.';
    else
      Out += C;
  }
  // `-d $value` on the converted text, relative to the tree root.
  if (!Out.empty() && Out.back() != '/' &&
      llvm::sys::fs::is_directory(Root + "/" + Out))
    Out += '/';
  return Out;
}

size_t slashes(llvm::StringRef S) { return S.count('/'); }

bool matchesRegex(const std::string &Re, const std::string &Text) {
  llvm::Regex R(Re);
  std::string Err;
  if (!R.isValid(Err))
    return false;
  return R.match(Text);
}

/// N: is matched with Perl's /x: whitespace in the pattern is not part of it.
std::string withoutBlanks(llvm::StringRef V) {
  std::string Out;
  for (size_t I = 0; I < V.size(); ++I) {
    if (V[I] == '\\' && I + 1 < V.size()) {
      Out += V[I];
      Out += V[++I];
      continue;
    }
    if (V[I] == ' ' || V[I] == '\t')
      continue;
    Out += V[I];
  }
  return Out;
}

} // namespace

bool maintainersFileMatch(const std::string &Rel, const std::string &Pattern) {
  if (!matchesRegex("^(" + Pattern + ")", Rel))
    return false;
  if (!Pattern.empty() && Pattern.back() == '/')
    return true;
  return slashes(Rel) == slashes(Pattern);
}

Maintainers Maintainers::parse(const std::string &Text,
                               const std::string &Root) {
  Maintainers M;
  std::string PrevUntyped;
  bool InSection = false;
  llvm::StringRef Rest(Text);
  while (!Rest.empty()) {
    auto [Line, Tail] = Rest.split('\n');
    Rest = Tail;
    Line = Line.rtrim("\r");
    bool Typed =
        Line.size() >= 2 && Line[0] >= 'A' && Line[0] <= 'Z' && Line[1] == ':';
    if (!Typed) {
      // Blank and comment lines are dropped, as get_maintainer.pl does:
      // they neither end a section nor name one.
      llvm::StringRef T = Line.ltrim();
      if (T.empty() || T.starts_with("#"))
        continue;
      PrevUntyped = Line.str();
      InSection = false;
      continue;
    }
    if (!InSection) {
      M.Entries.push_back({});
      M.Entries.back().Name = PrevUntyped;
      InSection = true;
    }
    MaintainersEntry &E = M.Entries.back();
    char Type = Line[0];
    llvm::StringRef Value = Line.drop_front(2).ltrim();
    switch (Type) {
    case 'M':
      E.Maintainers.push_back(Value.str());
      break;
    case 'R':
      E.Reviewers.push_back(Value.str());
      break;
    case 'L':
      E.Lists.push_back(Value.str());
      break;
    case 'S':
      E.Status = Value.str();
      break;
    case 'F':
      E.Files.push_back(convertPattern(Value, Root));
      E.Patterns.push_back({'F', E.Files.back()});
      break;
    case 'X':
      E.Excludes.push_back(convertPattern(Value, Root));
      break;
    case 'N':
      E.Names.push_back(withoutBlanks(Value));
      E.Patterns.push_back({'N', E.Names.back()});
      break;
    default:
      break;
    }
  }
  return M;
}

std::vector<MaintainersMatch> Maintainers::match(const std::string &Rel) const {
  std::vector<MaintainersMatch> Out;
  for (size_t I = 0; I < Entries.size(); ++I) {
    const MaintainersEntry &E = Entries[I];
    if (std::any_of(
            E.Excludes.begin(), E.Excludes.end(),
            [&](const std::string &X) { return maintainersFileMatch(Rel, X); }))
      continue;
    // The section's depth is its last matching F: or N: line's.
    std::optional<int> Depth;
    for (const auto &[Type, P] : E.Patterns) {
      if (Type == 'N') {
        if (matchesRegex(P, Rel))
          Depth = 0;
        continue;
      }
      if (!maintainersFileMatch(Rel, P))
        continue;
      int D = int(slashes(P));
      if (P.back() != '/')
        ++D;
      if (llvm::StringRef(P).starts_with(".*"))
        D = -1;
      Depth = D;
    }
    if (Depth)
      Out.push_back({I, *Depth});
  }
  std::stable_sort(Out.begin(), Out.end(),
                   [](const MaintainersMatch &A, const MaintainersMatch &B) {
                     return A.Depth > B.Depth;
                   });
  return Out;
}

const MaintainersEntry *Maintainers::best(const std::string &Rel) const {
  std::vector<MaintainersMatch> M = match(Rel);
  return M.empty() ? nullptr : &Entries[M.front().Entry];
}

} // namespace vmalloc_lint
