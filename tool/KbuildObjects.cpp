#include "tool/KbuildObjects.h"

#include "tool/FileIO.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <regex>
#include <set>
#include <sstream>

namespace vmalloc_lint {

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

namespace {

using Vars = std::map<std::string, std::vector<std::string>>;

std::vector<std::string> words(const std::string &S) {
  std::vector<std::string> Out;
  std::istringstream In(S);
  for (std::string W; In >> W;)
    Out.push_back(W);
  return Out;
}

std::string join(const std::vector<std::string> &V, const char *Sep) {
  std::string Out;
  for (const std::string &W : V)
    Out += (Out.empty() ? "" : Sep) + W;
  return Out;
}

std::string trim(const std::string &S) {
  size_t B = S.find_first_not_of(" \t"), E = S.find_last_not_of(" \t");
  return B == std::string::npos ? "" : S.substr(B, E - B + 1);
}

/// Make's expansion, restricted to what a kbuild object list needs.
struct Expander {
  const KconfigValues &Config;
  const Vars &Defined;

  std::string lookup(const std::string &Name) const {
    if (Name.compare(0, 7, "CONFIG_") == 0) {
      auto It = Config.find(Name);
      return It == Config.end() ? "" : It->second;
    }
    auto It = Defined.find(Name);
    if (It != Defined.end())
      return join(It->second, " ");
    // What kbuild exports to the Makefiles it reads (KERNELRELEASE: an
    // out-of-tree module's Makefile tests it to know kbuild reads it).
    auto Env = Config.find(Name);
    return Env == Config.end() ? "" : Env->second;
  }

  std::string expand(const std::string &S, int Depth = 0) const {
    std::string Out;
    for (size_t I = 0; I < S.size(); ++I) {
      if (S[I] != '$' || I + 1 >= S.size()) {
        Out += S[I];
        continue;
      }
      char Open = S[I + 1];
      if (Open == '$') {
        Out += '$';
        ++I;
        continue;
      }
      if (Open != '(' && Open != '{') {
        ++I; // $x: a one-letter variable, kbuild's never
        continue;
      }
      char Close = Open == '(' ? ')' : '}';
      size_t J = I + 2;
      for (int Nest = 1; J < S.size(); ++J) {
        if (S[J] == Open)
          ++Nest;
        else if (S[J] == Close && --Nest == 0)
          break;
      }
      std::string Inner = S.substr(I + 2, J - I - 2);
      I = J;
      // A function call ($(shell ...), $(if ...), $(filter ...)): unknown.
      size_t Dollar = Inner.find('$');
      size_t Space = Inner.find_first_of(" \t,");
      if (Space != std::string::npos &&
          (Dollar == std::string::npos || Space < Dollar))
        continue;
      if (Depth < 8)
        Out += lookup(expand(Inner, Depth + 1));
    }
    return Out;
  }
};

/// ifeq/ifneq arguments: "(a,b)" or "'a' 'b'" / "\"a\" \"b\"".
bool splitCondition(const std::string &Args, std::string &A, std::string &B) {
  std::string S = trim(Args);
  if (S.empty())
    return false;
  if (S[0] == '(' && S.back() == ')') {
    std::string In = S.substr(1, S.size() - 2);
    int Nest = 0;
    for (size_t I = 0; I < In.size(); ++I) {
      if (In[I] == '(' || In[I] == '{')
        ++Nest;
      else if (In[I] == ')' || In[I] == '}')
        --Nest;
      else if (In[I] == ',' && Nest == 0) {
        A = In.substr(0, I);
        B = In.substr(I + 1);
        return true;
      }
    }
    return false;
  }
  static const std::regex Quoted(R"(^(["'])(.*)\1\s+(["'])(.*)\3$)");
  std::smatch M;
  if (!std::regex_match(S, M, Quoted))
    return false;
  A = M[2];
  B = M[4];
  return true;
}

struct Cond {
  bool Active; ///< this branch is being read
  bool Taken;  ///< a branch of this conditional was true
  bool Outer;  ///< the enclosing branches are being read
};

std::vector<std::string> suffixSearch(const Vars &V, const std::string &Obj,
                                      std::initializer_list<const char *> Suf) {
  std::vector<std::string> Out;
  if (Obj.size() < 2 || Obj.compare(Obj.size() - 2, 2, ".o") != 0)
    return Out;
  std::string Stem = Obj.substr(0, Obj.size() - 2);
  for (const char *S : Suf) {
    auto It = V.find(Stem + S);
    if (It != V.end())
      Out.insert(Out.end(), It->second.begin(), It->second.end());
  }
  return Out;
}

bool contains(const std::vector<std::string> &V, const std::string &S) {
  return std::find(V.begin(), V.end(), S) != V.end();
}

std::string nameFix(std::string S) {
  for (char &C : S)
    if (C == '-' || C == ',')
      C = '_';
  return S;
}

} // namespace

std::string readKbuildFile(const std::string &Dir) {
  llvm::ErrorOr<std::string> Text = readWholeFile(Dir + "/Kbuild");
  if (!Text || Text->empty())
    Text = readWholeFile(Dir + "/Makefile");
  return Text ? *Text : "";
}

const char *kbuildBuildName(KbuildBuild B) {
  switch (B) {
  case KbuildBuild::BuiltIn:
    return "built-in";
  case KbuildBuild::Module:
    return "module";
  case KbuildBuild::NotBuilt:
    return "not-built";
  case KbuildBuild::Unknown:
    break;
  }
  return "unknown";
}

KconfigValues readAutoConf(const std::string &Root) {
  KconfigValues Out;
  llvm::ErrorOr<std::string> Text =
      readWholeFile(Root + "/include/config/auto.conf");
  if (!Text)
    return Out;
  std::istringstream In(*Text);
  for (std::string Line; std::getline(In, Line);) {
    if (Line.compare(0, 7, "CONFIG_") != 0)
      continue;
    size_t Eq = Line.find('=');
    if (Eq != std::string::npos)
      Out[Line.substr(0, Eq)] = Line.substr(Eq + 1);
  }
  return Out;
}

namespace {

/// A Makefile's lines, continuation lines joined.
std::vector<std::string> makefileLines(const std::string &Text) {
  std::vector<std::string> Lines;
  std::string Cur;
  for (size_t I = 0; I <= Text.size(); ++I) {
    if (I < Text.size() && Text[I] == '\\' && I + 1 < Text.size() &&
        Text[I + 1] == '\n') {
      Cur += ' ';
      ++I;
      continue;
    }
    if (I == Text.size() || Text[I] == '\n') {
      Lines.push_back(Cur);
      Cur.clear();
      continue;
    }
    Cur += Text[I];
  }
  return Lines;
}

} // namespace

std::string kbuildMakefilePrelude(const std::string &Root,
                                  const std::string &Dir) {
  std::string Rel =
      Dir.size() > Root.size() ? Dir.substr(Root.size() + 1) : ".";
  return "srctree := " + Root + "\nobjtree := " + Root + "\nsrc := " + Rel +
         "\nobj := " + Rel + "\n";
}

Vars evaluateKbuildMakefile(const std::string &Text,
                            const KconfigValues &Config,
                            const std::string &IncludeRoot) {
  Vars V;
  Expander X{Config, V};
  // Join continuation lines; a comment ends the line.
  std::vector<std::string> Lines = makefileLines(Text);
  static const std::regex Include(R"(^(-include|sinclude|include)\s+(.*)$)");
  unsigned Included = 0; // a bound, against an include cycle
  static const std::regex Assign(
      R"(^\s*(?:override\s+|export\s+)?([^\s:#=+?]+)\s*(::?=|:::=|\+=|\?=|=)\s*(.*)$)");
  static const std::regex Rule(R"(^[^\t=#][^=#]*:([^=]|$).*)");
  std::vector<Cond> Stack;
  bool InRule = false;
  auto Reading = [&] { return Stack.empty() || Stack.back().Active; };
  auto Test = [&](const std::string &Kw, const std::string &Args) {
    if (Kw == "ifdef" || Kw == "ifndef") {
      bool Set = !trim(X.lookup(trim(X.expand(Args)))).empty();
      return Kw == "ifdef" ? Set : !Set;
    }
    std::string A, B;
    if (!splitCondition(Args, A, B))
      return false;
    bool Eq = trim(X.expand(A)) == trim(X.expand(B));
    return Kw == "ifeq" ? Eq : !Eq;
  };
  static const std::regex Conditional(
      R"(^\s*(ifeq|ifneq|ifdef|ifndef)\s+(.*)$)");
  for (size_t LI = 0; LI < Lines.size(); ++LI) {
    std::string Line = Lines[LI];
    if (!Line.empty() && Line[0] == '\t' && InRule)
      continue; // a recipe
    size_t Hash = Line.find('#');
    if (Hash != std::string::npos)
      Line.erase(Hash);
    std::string T = trim(Line);
    if (T.empty())
      continue;
    std::smatch M;
    if (std::regex_match(T, M, Conditional)) {
      bool Outer = Reading();
      bool Yes = Outer && Test(M[1], M[2]);
      Stack.push_back({Yes, Yes, Outer});
      continue;
    }
    if (T == "endif") {
      if (!Stack.empty())
        Stack.pop_back();
      continue;
    }
    if (T.compare(0, 4, "else") == 0 && (T.size() == 4 || isspace(T[4]))) {
      if (Stack.empty())
        continue;
      Cond &C = Stack.back();
      std::string Rest = trim(T.substr(4));
      std::smatch E;
      if (!Rest.empty() && std::regex_match(Rest, E, Conditional))
        C.Active = C.Outer && !C.Taken && Test(E[1], E[2]);
      else
        C.Active = C.Outer && !C.Taken;
      C.Taken = C.Taken || C.Active;
      continue;
    }
    if (!Reading())
      continue;
    if (std::regex_match(Line, M, Assign)) {
      InRule = false;
      std::string Name = X.expand(M[1]);
      std::string Op = M[2];
      std::vector<std::string> Val = words(X.expand(M[3]));
      if (Op == "?=" && V.count(Name))
        continue;
      std::vector<std::string> &Dst = V[Name];
      if (Op != "+=")
        Dst.clear();
      Dst.insert(Dst.end(), Val.begin(), Val.end());
      continue;
    }
    if (!IncludeRoot.empty() && std::regex_match(T, M, Include)) {
      InRule = false;
      std::vector<std::string> In;
      for (const std::string &F : words(X.expand(M[2]))) {
        if (++Included > 256)
          break;
        std::string P = F[0] == '/' ? F : IncludeRoot + "/" + F;
        if (llvm::ErrorOr<std::string> Body = readWholeFile(P)) {
          std::vector<std::string> L = makefileLines(*Body);
          In.insert(In.end(), L.begin(), L.end());
        }
      }
      Lines.insert(Lines.begin() + LI + 1, In.begin(), In.end());
      continue;
    }
    InRule = std::regex_match(Line, Rule);
  }
  return V;
}

namespace {

bool listsObjects(const Vars &V) {
  return std::any_of(V.begin(), V.end(), [](const auto &KV) {
    return KV.first.compare(0, 4, "obj-") == 0 ||
           KV.first.compare(0, 4, "lib-") == 0;
  });
}

} // namespace

namespace {

std::string nearestMakefileDir(const std::string &Root, std::string Dir) {
  while (Dir.size() > Root.size() && !fs::exists(Dir + "/Makefile") &&
         !fs::exists(Dir + "/Kbuild"))
    Dir = path::parent_path(Dir).str();
  return Dir.size() > Root.size() ? Dir : Root;
}

} // namespace

std::string kbuildMakefileDir(const std::string &Root,
                              const std::string &File) {
  std::string Dir = nearestMakefileDir(Root, path::parent_path(File).str());
  llvm::StringRef Ext = path::extension(File);
  if (Dir.size() <= Root.size() || (Ext != ".c" && Ext != ".S"))
    return Dir;
  const KconfigValues None;
  if (listsObjects(evaluateKbuildMakefile(readKbuildFile(Dir), None)))
    return Dir;
  // A fragment: the first ancestor's Makefile that lists objects must
  // name this one (relative to it), with its includes read.
  std::string Object =
      (path::parent_path(File) + "/" + path::stem(File) + ".o").str();
  for (std::string Up = nearestMakefileDir(Root, path::parent_path(Dir).str());
       Up.size() > Root.size();
       Up = nearestMakefileDir(Root, path::parent_path(Up).str())) {
    Vars V = evaluateKbuildMakefile(
        kbuildMakefilePrelude(Root, Up) + readKbuildFile(Up), None, Root);
    if (!listsObjects(V))
      continue;
    std::string Target = Object.substr(Up.size() + 1);
    for (const auto &[Name, Words] : V)
      if (contains(Words, Target))
        return Up;
    break;
  }
  return Dir;
}

KbuildBuild kbuildFileBuild(const std::string &Root,
                            const KconfigValues &Config,
                            const std::string &File) {
  if (path::extension(File) != ".c" || File.size() <= Root.size() + 1 ||
      File.compare(0, Root.size() + 1, Root + "/") != 0)
    return KbuildBuild::Unknown;
  std::string Dir = kbuildMakefileDir(Root, File);
  KbuildBuild B = kbuildObject(Root, Config, Dir, File).Build;
  // Up the directories: Dir is reached from the nearest ancestor with a
  // Makefile, which names it "sub/" (or "a/b/" across Makefile-less ones).
  while (B == KbuildBuild::BuiltIn || B == KbuildBuild::Module) {
    std::string Parent = path::parent_path(Dir).str();
    if (Parent.size() <= Root.size())
      break; // a top-level directory: the top Makefile descends into it
    std::string Up = kbuildMakefileDir(Root, Dir);
    if (Up.size() <= Root.size())
      break;
    std::string Sub = Dir.substr(Up.size() + 1) + "/";
    Vars V = evaluateKbuildMakefile(
        kbuildMakefilePrelude(Root, Up) + readKbuildFile(Up), Config, Root);
    if (!listsObjects(V))
      return KbuildBuild::Unknown;
    auto Lists = [&](const char *Name) {
      auto It = V.find(Name);
      return It != V.end() && contains(It->second, Sub);
    };
    auto ListsDir = [&](const char *Name) {
      auto It = V.find(Name);
      return It != V.end() &&
             (contains(It->second, Sub) ||
              contains(It->second, Sub.substr(0, Sub.size() - 1)));
    };
    if (Lists("obj-y"))
      ; // built in stays built in
    else if (Lists("obj-m") || ListsDir("subdir-y") || ListsDir("subdir-m"))
      B = B == KbuildBuild::Module ? B : KbuildBuild::NotBuilt;
    else
      return KbuildBuild::NotBuilt;
    Dir = Up;
  }
  return B;
}

KbuildObject kbuildObject(const std::string &Root, const KconfigValues &Config,
                          const std::string &MakefileDir,
                          const std::string &File) {
  KbuildObject Out;
  std::string Stem = path::stem(File).str();
  // A directory's own pattern rule names the object: arm64's nVHE
  // Makefile compiles page_alloc.c by `$(obj)/%.nvhe.o: $(src)/%.c` into
  // page_alloc.nvhe.o, and kbuild's names follow the object.
  std::string Suffix;
  if (MakefileDir.size() > Root.size()) {
    static const std::regex PatternRule(
        R"(^\$\(obj\)/%(\.[A-Za-z0-9_]+)\.o:\s*\$\(src\)/%\.c\b)",
        std::regex::multiline);
    std::string Text = readKbuildFile(MakefileDir);
    std::smatch M;
    if (std::regex_search(Text, M, PatternRule))
      Suffix = M[1];
  }
  std::string Rel0 = path::parent_path(File).str();
  Out.TargetStem = (Rel0.size() > MakefileDir.size()
                        ? Rel0.substr(MakefileDir.size() + 1) + "/"
                        : "") +
                   Stem + Suffix;
  Stem += Suffix;
  Out.BaseName = nameFix(Stem);
  Out.ModName = Out.BaseName;
  // $(obj): the Makefile's directory (without one: the file's own).
  std::string Obj = MakefileDir.size() > Root.size()
                        ? MakefileDir
                        : path::parent_path(File).str();
  Obj = Obj.size() > Root.size() ? Obj.substr(Root.size() + 1) : ".";
  Out.ModFile = Obj + "/" + Stem;
  // The target as the Makefile names it: relative to its directory
  // (fs/xfs/Makefile lists libxfs/xfs_alloc.o).
  std::string Rel = path::parent_path(File).str();
  Rel =
      Rel.size() > MakefileDir.size() ? Rel.substr(MakefileDir.size() + 1) : "";
  std::string Target =
      (Rel.empty() ? "" : Rel + "/") + path::stem(File).str() + ".o";
  if (MakefileDir.size() <= Root.size())
    return Out;
  Vars V = evaluateKbuildMakefile(kbuildMakefilePrelude(Root, MakefileDir) +
                                      readKbuildFile(MakefileDir),
                                  Config, Root);
  if (!listsObjects(V))
    return Out; // not a kbuild Makefile
  auto Get = [&](const char *Name) {
    auto It = V.find(Name);
    std::vector<std::string> L;
    if (It != V.end())
      for (const std::string &W : It->second)
        if (W.back() != '/') // a subdirectory, built by its own Makefile
          L.push_back(W);
    return L;
  };
  std::vector<std::string> ObjY = Get("obj-y"), ObjM, LibY = Get("lib-y");
  for (const std::string &M : Get("obj-m"))
    if (!contains(ObjY, M))
      ObjM.push_back(M); // listed both ways: only the built-in one
  // scripts/Makefile.lib: multi-obj-y/-m, real-obj-y/-m, modname-multi.
  std::set<std::string> Multi;
  std::vector<std::string> RealY, RealM;
  for (const std::string &M : ObjY) {
    if (suffixSearch(V, M, {"-objs", "-y", "-"}).empty()) {
      RealY.push_back(M);
      continue;
    }
    Multi.insert(M);
    auto Parts = suffixSearch(V, M, {"-objs", "-y"});
    RealY.insert(RealY.end(), Parts.begin(), Parts.end());
  }
  for (const std::string &M : ObjM) {
    if (suffixSearch(V, M, {"-objs", "-y", "-m", "-"}).empty()) {
      RealM.push_back(M);
      continue;
    }
    Multi.insert(M);
    auto Parts = suffixSearch(V, M, {"-objs", "-y", "-m"});
    RealM.insert(RealM.end(), Parts.begin(), Parts.end());
  }
  std::vector<std::string> Mods;
  for (const std::string &M : Multi) // sorted, as $(sort)
    if (contains(suffixSearch(V, M, {"-objs", "-y", "-m"}), Target))
      Mods.push_back(M.substr(0, M.size() - 2));
  if (!Mods.empty()) {
    std::vector<std::string> Files;
    for (const std::string &M : Mods)
      Files.push_back(Obj + "/" + M);
    Out.ModName = nameFix(join(Mods, ":"));
    Out.ModFile = join(Files, " ");
  }
  if (contains(RealM, Target))
    Out.Build = KbuildBuild::Module;
  else if (contains(RealY, Target) || contains(LibY, Target))
    Out.Build = KbuildBuild::BuiltIn;
  else
    Out.Build = KbuildBuild::NotBuilt;
  return Out;
}

} // namespace vmalloc_lint

namespace vmalloc_lint {

namespace {

/// A Kconfig entry, as far as kbuildGateOptions needs it.
struct KconfigEntry {
  bool Prompt = false;                ///< a user-visible option
  std::vector<std::string> Needs;     ///< plain terms of its `depends on`
  std::vector<std::string> Selectors; ///< the entries that `select` it
};

/// The symbols of a `depends on` expression that it needs: its top-level
/// `&&` terms that are a plain symbol (`DRM_TINYDRM && SPI`); a term with
/// `||`, `!` or a comparison needs no one symbol.
void plainTerms(const std::string &Expr, std::vector<std::string> &Out) {
  int Depth = 0;
  std::string Term;
  auto Flush = [&] {
    std::string T = trim(Term);
    Term.clear();
    static const std::regex Sym("[A-Z0-9_]+");
    if (std::regex_match(T, Sym) &&
        T.find_first_not_of("0123456789") != std::string::npos)
      Out.push_back(T);
  };
  for (size_t I = 0; I < Expr.size(); ++I) {
    char C = Expr[I];
    if (C == '#')
      break;
    Depth += C == '(' ? 1 : C == ')' ? -1 : 0;
    if (Depth == 0 && C == '&' && I + 1 < Expr.size() && Expr[I + 1] == '&') {
      Flush();
      ++I;
      continue;
    }
    Term += C;
  }
  Flush();
}

/// The entries of one Kconfig file: `config`/`menuconfig`, their prompt,
/// `depends on` (also an enclosing `if SYM` block's) and `select` lines.
void readKconfig(const std::string &Text,
                 std::map<std::string, KconfigEntry> &Out) {
  std::istringstream In(Text);
  std::vector<std::vector<std::string>> Ifs;
  std::string Cur;
  static const std::regex Config("^(menu)?config[ \t]+([A-Za-z0-9_]+).*");
  static const std::regex If("^if[ \t]+(.*)");
  static const std::regex Attr(
      "^[ \t]+(depends[ \t]+on|select|bool|tristate|prompt)([ \t]+(.*))?");
  std::smatch M;
  for (std::string L; std::getline(In, L);) {
    if (std::regex_match(L, M, Config)) {
      Cur = M[2];
      KconfigEntry &E = Out[Cur];
      for (const auto &Needs : Ifs)
        E.Needs.insert(E.Needs.end(), Needs.begin(), Needs.end());
      continue;
    }
    if (std::regex_match(L, M, If)) {
      Ifs.emplace_back();
      plainTerms(M[1], Ifs.back());
      Cur.clear();
      continue;
    }
    if (L.compare(0, 5, "endif") == 0) {
      if (!Ifs.empty())
        Ifs.pop_back();
      Cur.clear();
      continue;
    }
    if (!L.empty() && L[0] != ' ' && L[0] != '\t') {
      Cur.clear(); // menu, choice, source, comment...
      continue;
    }
    if (Cur.empty() || !std::regex_match(L, M, Attr))
      continue;
    std::string Key = M[1], Rest = trim(M[3]);
    if (Key.compare(0, 7, "depends") == 0)
      plainTerms(Rest, Out[Cur].Needs);
    else if (Key == "select") {
      std::string Target = Rest.substr(0, Rest.find_first_of(" \t"));
      if (!Target.empty())
        Out[Target].Selectors.push_back(Cur);
    } else if (Key == "prompt" || Rest.compare(0, 1, "\"") == 0)
      Out[Cur].Prompt = true;
  }
}

/// The options named by $(CONFIG_X) on the Makefile lines that list
/// Target or a composite object Target is part of (dm-mirror-y += dm-raid1.o,
/// obj-$(CONFIG_DM_MIRROR) += dm-mirror.o).
std::vector<std::string> makefileGates(const std::string &Text,
                                       const std::string &Target) {
  std::vector<std::string> Lines;
  std::string Cur;
  std::istringstream In(Text);
  for (std::string L; std::getline(In, L);) {
    if (!L.empty() && L.back() == '\\') {
      Cur += L.substr(0, L.size() - 1) + " ";
      continue;
    }
    Lines.push_back(Cur + L);
    Cur.clear();
  }
  std::set<std::string> Targets{Target};
  std::vector<std::string> Out;
  static const std::regex Var("\\$\\(CONFIG_([A-Za-z0-9_]+)\\)");
  static const std::regex Composite("^[ \t]*([A-Za-z0-9_./-]+)-(y|objs|\\$\\("
                                    "CONFIG_[A-Za-z0-9_]+\\))[ \t]*[:+]?=.*");
  for (int Round = 0; Round < 3; ++Round)
    for (const std::string &L : Lines) {
      std::string Code = L.substr(0, L.find('#'));
      if (Code.empty() || Code[0] == '\t')
        continue; // a recipe
      std::vector<std::string> W = words(Code);
      bool Lists = false;
      for (size_t I = 1; I < W.size(); ++I)
        Lists |= Targets.count(W[I]) > 0;
      if (!Lists)
        continue;
      for (std::sregex_iterator It(Code.begin(), Code.end(), Var), End;
           It != End; ++It)
        if (!contains(Out, (*It)[1]))
          Out.push_back((*It)[1]);
      std::smatch M;
      if (std::regex_match(Code, M, Composite) && M[1] != "obj" &&
          M[1] != "lib")
        Targets.insert(M[1].str() + ".o");
    }
  return Out;
}

} // namespace

std::vector<std::string> kbuildMakefileGates(const std::string &Text,
                                             const std::string &Target) {
  return makefileGates(Text, Target);
}

std::vector<std::string> kbuildGateOptions(const std::string &Root,
                                           const KconfigValues &Config,
                                           const std::string &MakefileDir,
                                           const std::string &File) {
  std::string Rel = path::parent_path(File).str();
  Rel =
      Rel.size() > MakefileDir.size() ? Rel.substr(MakefileDir.size() + 1) : "";
  std::string Target =
      (Rel.empty() ? "" : Rel + "/") + path::stem(File).str() + ".o";
  std::vector<std::string> Queue =
      makefileGates(readKbuildFile(MakefileDir), Target);
  if (Queue.empty())
    return {};
  // The Kconfig files of the Makefile's directory and the ones above it.
  std::map<std::string, KconfigEntry> Entries;
  for (std::string D = MakefileDir; D.size() > Root.size();
       D = path::parent_path(D).str())
    for (const char *Name : {"/Kconfig", "/Kconfig.debug"})
      if (llvm::ErrorOr<std::string> Text = readWholeFile(D + Name))
        readKconfig(*Text, Entries);
  std::vector<std::string> Out;
  std::set<std::string> Seen;
  for (size_t I = 0; I < Queue.size() && Out.size() < 16; ++I) {
    const std::string &S = Queue[I];
    if (!Seen.insert(S).second || Config.count("CONFIG_" + S))
      continue;
    Out.push_back(S);
    auto It = Entries.find(S);
    if (It == Entries.end())
      continue;
    Queue.insert(Queue.end(), It->second.Needs.begin(), It->second.Needs.end());
    // An option without a prompt is set by the ones that select it: what
    // the first of them needs (tinydrm's TINYDRM_MIPI_DBI, selected by
    // TINYDRM_MI0283QT, which depends on DRM_TINYDRM && SPI).
    if (!It->second.Prompt && !It->second.Selectors.empty()) {
      auto Sel = Entries.find(It->second.Selectors.front());
      if (Sel != Entries.end())
        Queue.insert(Queue.end(), Sel->second.Needs.begin(),
                     Sel->second.Needs.end());
    }
  }
  return Out;
}

} // namespace vmalloc_lint
