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

Vars evaluateKbuildMakefile(const std::string &Text,
                            const KconfigValues &Config) {
  Vars V;
  Expander X{Config, V};
  // Join continuation lines; a comment ends the line.
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
  for (std::string Line : Lines) {
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

std::string kbuildMakefileDir(const std::string &Root,
                              const std::string &File) {
  std::string Dir = path::parent_path(File).str();
  while (Dir.size() > Root.size() && !fs::exists(Dir + "/Makefile") &&
         !fs::exists(Dir + "/Kbuild"))
    Dir = path::parent_path(Dir).str();
  return Dir.size() > Root.size() ? Dir : Root;
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
    Vars V = evaluateKbuildMakefile(readKbuildFile(Up), Config);
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
  Vars V = evaluateKbuildMakefile(readKbuildFile(MakefileDir), Config);
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
