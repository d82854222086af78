#include "tool/KconfigArch.h"

#include "matchers/kernel/KconfigExpr.h"
#include "matchers/text/FileText.h"
#include "tool/KbuildObjects.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <tuple>
#include <vector>

namespace vmalloc_lint {

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

namespace {

using Tri = std::optional<bool>;

/// One `config SYMBOL` entry: where it is, what it needs and what can set
/// it besides a `select`.
struct KconfigDef {
  std::string Place; ///< "powerpc" for a file under arch/powerpc/, else ""
  std::string File;  ///< relative to the tree
  std::vector<std::string> Conds; ///< enclosing if/menu/choice, depends on
  /// The user can set it: the `if` of each prompt ("" for none), or "y"
  /// for an int/hex/string symbol (not decided here).
  std::vector<std::string> Prompts;
  /// `default V if C`, `def_bool V if C`: (V, C).
  std::vector<std::pair<std::string, std::string>> Defaults;
};

/// `select SYMBOL if Cond` (or `imply`) in the entry Defs[By][Index].
struct KconfigSelect {
  std::string By;
  size_t Index;
  std::string Cond;
};

/// Every Kconfig file of a tree, read once.
struct KconfigIndex {
  std::map<std::string, std::vector<KconfigDef>> Defs;
  std::map<std::string, std::vector<KconfigSelect>> SelectedBy;
  /// File -> the file whose `source` line reads it, and that line's
  /// enclosing conditions (the first such line).
  std::map<std::string, std::pair<std::string, std::vector<std::string>>>
      SourcedFrom;
  std::set<std::string> SrcArches; ///< arch/X with a Kconfig
  std::string MakefileClang;       ///< scripts/Makefile.clang
};

void readKconfigFile(const std::string &Text, const std::string &Rel,
                     KconfigIndex &Index) {
  struct Frame {
    char Kind; ///< 'i' if, 'm' menu, 'c' choice
    std::string Cond;
  };
  std::vector<Frame> Stack;
  auto Conds = [&] {
    std::vector<std::string> Out;
    for (const Frame &F : Stack)
      if (!F.Cond.empty())
        Out.push_back(F.Cond);
    return Out;
  };
  // arch/X/...'s symbols are X's; arch/Kconfig's are every arch's.
  std::string Place;
  if (llvm::StringRef(Rel).starts_with("arch/")) {
    auto [A, Rest] = llvm::StringRef(Rel).drop_front(5).split('/');
    if (!Rest.empty())
      Place = A.str();
  }
  enum { None, Config, Head } Cur = None;
  KconfigDef *Def = nullptr;
  std::string DefSym;
  bool InHelp = false;
  llvm::SmallVector<llvm::StringRef, 0> Lines;
  llvm::StringRef(Text).split(Lines, '\n');
  std::string Joined;
  for (size_t I = 0; I < Lines.size(); ++I) {
    llvm::StringRef Raw = Lines[I];
    if (InHelp) {
      if (Raw.trim().empty() || llvm::isSpace(Raw.front()))
        continue;
      InHelp = false;
    }
    Joined = Raw.str();
    while (!Joined.empty() && Joined.back() == '\\' && I + 1 < Lines.size())
      Joined = Joined.substr(0, Joined.size() - 1) + " " + Lines[++I].str();
    llvm::StringRef L = llvm::StringRef(Joined).trim();
    if (L.empty() || L.front() == '#')
      continue;
    auto [W, R] = L.split(' ');
    auto Tab = W.split('\t');
    if (!Tab.second.empty()) {
      W = Tab.first;
      R = L.drop_front(W.size());
    }
    R = R.trim();
    bool Column0 = !llvm::isSpace(Raw.front());
    if (W == "config" || W == "menuconfig") {
      std::string Sym = R.split('#').first.trim().str();
      auto &Vec = Index.Defs[Sym];
      Vec.push_back({Place, Rel, Conds(), {}, {}});
      Def = &Vec.back();
      DefSym = Sym;
      Cur = Config;
    } else if (W == "menu" || W == "choice") {
      Stack.push_back({W == "menu" ? 'm' : 'c', ""});
      Cur = Head;
    } else if (W == "endmenu" || W == "endchoice" || W == "endif") {
      if (!Stack.empty())
        Stack.pop_back();
      Cur = None;
    } else if (W == "if") {
      Stack.push_back({'i', R.split('#').first.trim().str()});
      Cur = None;
    } else if (W == "source" || W == "rsource" || W == "osource" ||
               W == "orsource") {
      llvm::StringRef P = R.split('#').first.trim();
      P.consume_front("\"");
      P.consume_back("\"");
      if (!P.contains('$')) {
        std::string To = W.contains("rsource")
                             ? path::parent_path(Rel).str() + "/" + P.str()
                             : P.str();
        Index.SourcedFrom.try_emplace(To, Rel, Conds());
      }
      Cur = None;
    } else if (W == "depends" && R.consume_front("on")) {
      std::string E = R.split('#').first.trim().str();
      if (Cur == Config && Def)
        Def->Conds.push_back(E);
      else if (Cur == Head && !Stack.empty())
        Stack.back().Cond = Stack.back().Cond.empty()
                                ? E
                                : "(" + Stack.back().Cond + ") && (" + E + ")";
    } else if (Cur == Config && Def &&
               (W == "bool" || W == "tristate" || W == "prompt" ||
                W == "string" || W == "int" || W == "hex" || W == "def_bool" ||
                W == "def_tristate" || W == "default")) {
      // `bool "text" if C`, `prompt "text" if C`, `def_bool V if C`,
      // `default V if C`. A prompt is quoted, "..." or '...', and may hold
      // " if ".
      llvm::StringRef E = R.trim(), Text = E, If;
      bool Quoted = (W == "bool" || W == "tristate" || W == "prompt") &&
                    (E.starts_with("\"") || E.starts_with("'"));
      size_t At = Quoted ? E.find(E.front(), 1) : llvm::StringRef::npos;
      if (Quoted && At != llvm::StringRef::npos) {
        Text = E.take_front(At + 1);
        If = E.drop_front(At + 1).split('#').first.trim();
      } else {
        E = E.split('#').first.trim();
        At = E.find(" if ");
        if (At == llvm::StringRef::npos)
          At = E.find("\tif ");
        Text = E.take_front(At).trim();
        If = At == llvm::StringRef::npos ? "" : E.drop_front(At + 1).trim();
      }
      If.consume_front("if");
      If = If.trim();
      if (W == "string" || W == "int" || W == "hex")
        Def->Prompts.push_back("y");
      else if (W == "prompt" || ((W == "bool" || W == "tristate") && Quoted))
        Def->Prompts.push_back(If.str());
      else if (W != "bool" && W != "tristate" && !Text.empty())
        Def->Defaults.emplace_back(Text.str(), If.str());
    } else if (Cur == Config && Def && (W == "select" || W == "imply")) {
      llvm::StringRef Body = R.split('#').first.trim();
      size_t N = std::min(Body.find_first_of(" \t"), Body.size());
      llvm::StringRef Sym = Body.take_front(N), If = Body.drop_front(N).trim();
      if (!If.consume_front("if"))
        If = "";
      Index.SelectedBy[Sym.str()].push_back(
          {DefSym, Index.Defs[DefSym].size() - 1, If.trim().str()});
    } else if (W == "help" || W == "---help---") {
      InHelp = true;
    } else if (Column0) {
      Cur = None; // comment, mainmenu ...
    }
  }
}

KconfigIndex readKconfigIndex(const std::string &Root) {
  KconfigIndex Index;
  std::error_code EC;
  for (fs::recursive_directory_iterator It(Root, EC), End; !EC && It != End;
       It.increment(EC)) {
    llvm::StringRef Name = path::filename(It->path());
    if (It->type() == fs::file_type::directory_file) {
      if (Name.starts_with(".") || Name == "Documentation" || Name == "tools" ||
          Name == "include" || Name == "LICENSES")
        It.no_push();
      continue;
    }
    if (!Name.starts_with("Kconfig"))
      continue;
    std::string Rel = It->path().substr(Root.size() + 1);
    if (llvm::ErrorOr<std::string> Text = readWholeFile(It->path()))
      readKconfigFile(*Text, Rel, Index);
  }
  for (fs::directory_iterator It(Root + "/arch", EC), End; !EC && It != End;
       It.increment(EC))
    if (fs::exists(It->path() + "/Kconfig"))
      Index.SrcArches.insert(path::filename(It->path()).str());
  Index.MakefileClang = readFile(Root + "/scripts/Makefile.clang");
  return Index;
}

/// One tree's index and what was decided with it.
struct TreeState {
  std::once_flag ReadConfig, ReadIndex;
  KconfigIndex Index;
  KconfigValues Config;
  std::mutex Lock;
  std::map<std::string, Tri> Symbols; ///< candidate "\n" symbol
  std::set<std::string> Busy;         ///< being evaluated (a cycle)
  std::map<std::string, std::string> Files;
};

std::mutex TreesLock;
std::map<std::string, std::unique_ptr<TreeState>> Trees;

TreeState &treeState(const KernelTree &Tree) {
  TreeState *S;
  {
    std::lock_guard<std::mutex> G(TreesLock);
    auto &P = Trees[Tree.Root + "\n" + Tree.ObjRoot];
    if (!P)
      P = std::make_unique<TreeState>();
    S = P.get();
  }
  std::call_once(S->ReadConfig, [&] {
    S->Config = readAutoConf(Tree.ObjRoot.empty() ? Tree.Root : Tree.ObjRoot);
  });
  return *S;
}

/// Whether Symbol can be set in a configuration of Cand (an arch or one of
/// its word sizes): false when every definition is another arch's or needs
/// what Cand cannot have. Caller holds S.Lock.
Tri symbolPossible(TreeState &S, const std::string &Cand,
                   const std::string &Symbol);

/// Whether Symbol is y in every configuration of Cand: an entry of Cand's
/// own arch/X/Kconfig outside any if/menu, with no prompt, no `depends on`
/// and an unconditional `default y` / `def_bool y` (6.1's `config ARM`,
/// `config ARM64`), so that `depends on EFI_GENERIC_STUB && !ARM` is not
/// arm's.
bool symbolCertain(const TreeState &S, const std::string &Cand,
                   const std::string &Symbol) {
  auto It = S.Index.Defs.find(Symbol);
  if (It == S.Index.Defs.end())
    return false;
  std::string Own = "arch/" + srcArchOf(Cand) + "/Kconfig";
  for (const KconfigDef &D : It->second)
    if (D.File == Own && D.Conds.empty() && D.Prompts.empty())
      for (const auto &[Value, If] : D.Defaults)
        if (Value == "y" && If.empty())
          return true;
  return false;
}

Tri condsPossible(TreeState &S, const std::string &Cand,
                  const std::vector<std::string> &Conds) {
  Tri V = true;
  for (const std::string &C : Conds) {
    Tri E = evalKconfigExpr(C, [&](const std::string &Sym) {
      if (const ArchVariant *V = archVariant(Cand))
        for (const auto &[Name, On] : V->Symbols)
          if (Sym == Name)
            return Tri(On); // fixed by the word size
      if (symbolPossible(S, Cand, Sym) == false)
        return Tri(false);
      return symbolCertain(S, Cand, Sym) ? Tri(true) : Tri();
    });
    if (E == false)
      return false;
    if (!E)
      V = std::nullopt;
  }
  return V;
}

/// Whether the entry D is in Cand's configuration at all: its arch, its
/// `depends on` and enclosing blocks, and those of the `source` lines that
/// read its file, up. Caller holds S.Lock.
Tri entryPossible(TreeState &S, const std::string &Cand, const KconfigDef &D) {
  if (!D.Place.empty() && D.Place != srcArchOf(Cand))
    return false;
  Tri V = condsPossible(S, Cand, D.Conds);
  std::string F = D.File;
  for (int Depth = 0; V != false && Depth < 16; ++Depth) {
    auto Up = S.Index.SourcedFrom.find(F);
    if (Up == S.Index.SourcedFrom.end())
      break;
    Tri U = condsPossible(S, Cand, Up->second.second);
    V = U == false ? Tri(false) : (!U ? Tri() : V);
    F = Up->second.first;
  }
  return V;
}

/// Whether the entry D itself can give its symbol a value other than n: a
/// prompt whose `if` can hold, or a default that can be y. Caller holds
/// S.Lock.
Tri entrySettable(TreeState &S, const std::string &Cand, const KconfigDef &D) {
  for (const std::string &If : D.Prompts)
    if (condsPossible(S, Cand, {If}) != false)
      return std::nullopt;
  for (const auto &[Value, If] : D.Defaults)
    if (condsPossible(S, Cand, {Value, If}) != false)
      return std::nullopt;
  return false;
}

Tri symbolPossible(TreeState &S, const std::string &Cand,
                   const std::string &Symbol) {
  if (const ArchVariant *V = archVariant(Cand))
    for (const auto &[Name, On] : V->Symbols)
      if (Symbol == Name)
        return Tri(On);
  std::string Key = Cand + "\n" + Symbol;
  auto Memo = S.Symbols.find(Key);
  if (Memo != S.Symbols.end())
    return Memo->second;
  if (!S.Busy.insert(Key).second)
    return std::nullopt;
  auto It = S.Index.Defs.find(Symbol);
  Tri Out = std::nullopt; // not defined anywhere: not known
  if (It != S.Index.Defs.end()) {
    Out = false;
    for (const KconfigDef &D : It->second)
      if (entryPossible(S, Cand, D) != false &&
          entrySettable(S, Cand, D) != false) {
        Out = std::nullopt;
        break;
      }
    // No prompt or default can set it: only a `select` (which ignores the
    // symbol's own `depends on`) from an entry Cand can have. 6.1's
    // HAVE_ARM_SMCCC (drivers/firmware/smccc/Kconfig, no prompt) is
    // selected by arm and arm64 only: PHY_MVEBU_A3700_COMPHY, `depends on
    // HAVE_ARM_SMCCC`, is not x86's.
    auto Sel = S.Index.SelectedBy.find(Symbol);
    if (Out == false && Sel != S.Index.SelectedBy.end())
      for (const KconfigSelect &By : Sel->second) {
        const KconfigDef &D = S.Index.Defs[By.By][By.Index];
        if (entryPossible(S, Cand, D) != false &&
            condsPossible(S, Cand, {By.Cond}) != false &&
            symbolPossible(S, Cand, By.By) != false) {
          Out = std::nullopt;
          break;
        }
      }
  }
  S.Busy.erase(Key);
  S.Symbols[Key] = Out;
  return Out;
}

/// The gates of File and of the directories kbuild descends through to it:
/// one list per level (empty: the level lists it unconditionally, or not
/// at all). File is built only where some gate of every level can be set.
std::vector<std::vector<std::string>> buildGates(const std::string &Root,
                                                 const std::string &File) {
  std::vector<std::vector<std::string>> Levels;
  std::string Dir = kbuildMakefileDir(Root, File);
  if (Dir.size() <= Root.size())
    return Levels;
  std::string Rel = path::parent_path(File).str();
  Rel = Rel.size() > Dir.size() ? Rel.substr(Dir.size() + 1) + "/" : "";
  Levels.push_back(kbuildMakefileGates(readKbuildFile(Dir),
                                       Rel + path::stem(File).str() + ".o"));
  for (int Depth = 0; Depth < 16; ++Depth) {
    if (path::parent_path(Dir).size() <= Root.size())
      break; // a top-level directory: the top Makefile descends into it
    std::string Up = kbuildMakefileDir(Root, Dir);
    if (Up.size() <= Root.size())
      break;
    Levels.push_back(kbuildMakefileGates(readKbuildFile(Up),
                                         Dir.substr(Up.size() + 1) + "/"));
    Dir = Up;
  }
  return Levels;
}

/// Whether Cand can build a file with these gates. Caller holds S.Lock.
bool canBuild(TreeState &S, const std::string &Cand,
              const std::vector<std::vector<std::string>> &Levels) {
  for (const std::vector<std::string> &Gates : Levels) {
    if (Gates.empty())
      continue;
    bool Any = false;
    for (const std::string &G : Gates)
      Any |= symbolPossible(S, Cand, G) != false;
    if (!Any)
      return false;
  }
  return true;
}

/// The configured arch's candidate name: its word size when it has two
/// (an x86 tree with CONFIG_X86_32=y is i386's, else x86_64's).
std::string configuredCandidate(const KernelTree &Tree,
                                const KconfigValues &Config) {
  const ArchVariant *Wide = nullptr;
  for (const ArchVariant &V : archVariants()) {
    if (Tree.Arch != V.SrcArch)
      continue;
    for (const auto &[Name, On] : V.Symbols) {
      std::string Sym = Name;
      if (On && Sym != "64BIT") {
        auto It = Config.find("CONFIG_" + Sym);
        if (It != Config.end() && It->second == "y")
          return V.Name;
      }
      if (On && Sym == "64BIT")
        Wide = &V;
    }
  }
  return Wide ? Wide->Name : Tree.Arch;
}

} // namespace

std::string unitArch(const KernelTree &Tree, const std::string &File) {
  std::string Abs = absolute(File);
  std::string Own = Tree.archOf(Abs);
  llvm::StringRef Rel(Abs);
  if (!Rel.consume_front(Tree.Root + "/") || Rel.starts_with("arch/") ||
      path::extension(Abs) != ".c")
    return Own;
  TreeState &S = treeState(Tree);
  {
    std::lock_guard<std::mutex> G(S.Lock);
    auto It = S.Files.find(Abs);
    if (It != S.Files.end())
      return It->second;
  }
  KbuildBuild B = kbuildFileBuild(Tree.Root, S.Config, Abs);
  std::string Out = Own;
  if (B == KbuildBuild::NotBuilt) {
    // The Kconfig files are read on the first file that needs them.
    std::call_once(S.ReadIndex, [&] { S.Index = readKconfigIndex(Tree.Root); });
    auto Levels = buildGates(Tree.Root, Abs);
    std::lock_guard<std::mutex> G(S.Lock);
    std::string Cfg = configuredCandidate(Tree, S.Config);
    if (!canBuild(S, Cfg, Levels)) {
      std::vector<std::string> Cands;
      for (const std::string &A : S.Index.SrcArches) {
        bool Split = false;
        for (const ArchVariant &V : archVariants())
          if (A == V.SrcArch) {
            Split = true;
            if (Cfg != V.Name)
              Cands.push_back(V.Name);
          }
        if (!Split && A != Cfg)
          Cands.push_back(A);
      }
      // The configured arch's other word size first (an x86_64 tree's
      // `depends on !64BIT` driver is i386's, not arm's: the same arch/
      // code and headers, the configuration's nearest build), then the
      // most features, then a clang target, then the name.
      std::tuple<int, int, int, std::string> Best{1, 1, 1, ""};
      for (const std::string &C : Cands) {
        if (!canBuild(S, C, Levels))
          continue;
        int Features = 0;
        if (Tree.ArchFacts)
          for (const auto &[Sym, Opt] : archFeatureSymbols())
            Features += Tree.ArchFacts->archCanHave(C, Sym);
        bool Clang =
            S.Index.MakefileClang.find("CLANG_TARGET_FLAGS_" + srcArchOf(C)) !=
            std::string::npos;
        std::tuple<int, int, int, std::string> Key{
            srcArchOf(C) == Tree.Arch ? 0 : 1, -Features, Clang ? 0 : 1, C};
        if (std::get<3>(Best).empty() || Key < Best)
          Best = Key;
      }
      if (!std::get<3>(Best).empty())
        Out = std::get<3>(Best);
    }
  }
  std::lock_guard<std::mutex> G(S.Lock);
  S.Files[Abs] = Out;
  return Out;
}

} // namespace vmalloc_lint
