#include "matchers/kernel/KernelTree.h"

#include "matchers/kernel/KconfigExpr.h"
#include "matchers/text/FileText.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <map>
#include <mutex>
#include <regex>
#include <vector>

namespace vmalloc_lint {

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

namespace {

/// The configured arch of a prepared tree, else x86.
std::string detectArch(const std::string &Root) {
  std::string Conf = readFile(Root + "/include/config/auto.conf");
  if (Conf.empty())
    Conf = readFile(Root + "/.config");
  static const std::pair<const char *, const char *> Known[] = {
      {"CONFIG_X86=y", "x86"},     {"CONFIG_ARM64=y", "arm64"},
      {"CONFIG_ARM=y", "arm"},     {"CONFIG_RISCV=y", "riscv"},
      {"CONFIG_PPC=y", "powerpc"}, {"CONFIG_S390=y", "s390"},
      {"CONFIG_MIPS=y", "mips"},   {"CONFIG_LOONGARCH=y", "loongarch"}};
  for (const auto &[Sym, Arch] : Known)
    if (Conf.find(std::string("\n") + Sym) != std::string::npos ||
        Conf.rfind(Sym, 0) == 0)
      return Arch;
  std::error_code EC;
  for (fs::directory_iterator It(Root + "/arch", EC), End; !EC && It != End;
       It.increment(EC))
    if (exists(It->path() + "/include/generated"))
      return path::filename(It->path()).str();
  return "x86";
}

/// Whether Kconfig text has `select Symbol`, and its condition: "" for an
/// unconditional select, "X86_64" for `select Symbol if X86_64`.
std::optional<std::string> selects(llvm::StringRef Text,
                                   llvm::StringRef Symbol) {
  llvm::SmallVector<llvm::StringRef, 0> Lines;
  Text.split(Lines, '\n');
  for (llvm::StringRef L : Lines) {
    L = L.trim();
    if (!L.consume_front("select") || L.empty() || !llvm::isSpace(L.front()))
      continue;
    L = L.ltrim();
    if (!L.consume_front(Symbol))
      continue;
    if (L.empty() || L.front() == '#')
      return std::string();
    if (!llvm::isSpace(L.front()))
      continue;
    L = L.split('#').first.trim();
    if (L.consume_front("if") && (L.empty() || llvm::isSpace(L.front())))
      return L.trim().str();
    return std::string();
  }
  return std::nullopt;
}

/// Whether auto.conf text sets CONFIG_Option=y.
bool enabled(llvm::StringRef Conf, llvm::StringRef Option) {
  std::string Line = ("CONFIG_" + Option + "=y").str();
  llvm::SmallVector<llvm::StringRef, 0> Lines;
  Conf.split(Lines, '\n');
  for (llvm::StringRef L : Lines)
    if (L.trim() == Line)
      return true;
  return false;
}

} // namespace

const std::map<std::string, std::string> &archFeatureSymbols() {
  static const std::map<std::string, std::string> Symbols = {
      {"HAVE_ARCH_VMAP_STACK", "VMAP_STACK"}};
  return Symbols;
}

bool KernelArchFacts::archCanHave(const std::string &Arch,
                                  const std::string &Symbol) const {
  auto Sel = Selecting.find(Symbol);
  if (Sel == Selecting.end() || !Arches.count(Arch))
    return true;
  if (Arch == ConfiguredArch) {
    auto C = Configured.find(Symbol);
    if (C != Configured.end())
      return C->second;
  }
  return Sel->second.count(Arch) != 0;
}

KernelArchFacts readKernelArchFacts(const std::string &Root,
                                    const std::string &ConfiguredArch,
                                    const std::string &ObjRootOr) {
  const std::string &ObjRoot = ObjRootOr.empty() ? Root : ObjRootOr;
  KernelArchFacts F;
  F.ConfiguredArch = ConfiguredArch;
  std::map<std::string, std::string> Kconfigs;
  std::error_code EC;
  for (fs::directory_iterator It(Root + "/arch", EC), End; !EC && It != End;
       It.increment(EC)) {
    std::string Kconfig = It->path() + "/Kconfig";
    if (!exists(Kconfig))
      continue;
    std::string Arch = path::filename(It->path()).str();
    F.Arches.insert(Arch);
    Kconfigs[Arch] = readFile(Kconfig);
  }
  if (F.Arches.empty())
    return F;
  std::string Conf = readFile(ObjRoot + "/include/config/auto.conf");
  bool Prepared = exists(ObjRoot + "/include/config/auto.conf");
  for (const auto &[Symbol, Option] : archFeatureSymbols()) {
    std::set<std::string> Set;
    for (const auto &[Arch, Text] : Kconfigs) {
      std::optional<std::string> If = selects(Text, Symbol);
      if (If)
        Set.insert(Arch);
      // ARCH=i386 builds arch/x86 with X86_64 unset: `select
      // HAVE_ARCH_VMAP_STACK if X86_64` is not i386's.
      for (const ArchVariant &V : archVariants()) {
        if (Arch != V.SrcArch)
          continue;
        F.Arches.insert(V.Name);
        if (If && evalKconfigExpr(*If, [&](const std::string &S) {
                    for (const auto &[Name, On] : V.Symbols)
                      if (S == Name)
                        return std::optional<bool>(On);
                    return std::optional<bool>();
                  }) != false)
          Set.insert(V.Name);
      }
    }
    // No arch selects it: a tree older than the feature (HAVE_ARCH_VMAP_STACK
    // came in v4.9), whose code is what the kernels that have it run; no
    // facts, every arch can.
    if (Set.empty())
      continue;
    F.Selecting[Symbol] = std::move(Set);
    if (Prepared)
      F.Configured[Symbol] = enabled(Conf, Option);
  }
  return F;
}

std::string KernelTree::archOf(const std::string &File) const {
  llvm::StringRef F(File);
  if (F.starts_with(Root + "/"))
    F = F.drop_front(Root.size() + 1);
  F.consume_front("./");
  if (F.consume_front("arch/")) {
    auto [A, Rest] = F.split('/');
    if (!A.empty() && !Rest.empty())
      return A.str();
  }
  return Arch;
}

namespace {

std::mutex BuiltOutOfPlaceLock;
/// Source trees opened through their make O= directory: a file of the
/// sources belongs to that build.
std::map<std::string, KernelTree> BuiltOutOfPlace;

/// The sources a make O=DIR directory builds: its Makefile is kbuild's
/// generated `include SRC/Makefile` (Debian's linux-headers-* packages have
/// the same shape: the arch package includes the -common one). "" if not.
std::string outOfPlaceSources(const std::string &Dir) {
  std::string Text = readFile(Dir + "/Makefile");
  if (Text.size() > 4096)
    return "";
  static const std::regex Include(R"(^include[ \t]+(\S+)/Makefile[ \t]*$)",
                                  std::regex::multiline);
  std::smatch M;
  if (!std::regex_search(Text, M, Include))
    return "";
  std::string Src = M[1];
  if (!path::is_absolute(Src))
    Src = Dir + "/" + Src;
  Src = absolute(Src);
  if (Src == Dir || !KernelVersion::fromMakefile(Src + "/Makefile"))
    return "";
  return Src;
}

} // namespace

std::optional<KernelTree> openKernelTree(const std::string &Dir) {
  std::string Root = absolute(Dir);
  std::string ObjRoot = Root;
  if (std::string Src = outOfPlaceSources(Root); !Src.empty())
    Root = Src;
  else {
    std::lock_guard<std::mutex> G(BuiltOutOfPlaceLock);
    auto It = BuiltOutOfPlace.find(Root);
    if (It != BuiltOutOfPlace.end())
      return It->second;
  }
  auto V = KernelVersion::fromMakefile(Root + "/Makefile");
  if (!V || !exists(Root + "/include"))
    return std::nullopt;
  KernelTree T;
  T.Root = Root;
  T.ObjRoot = ObjRoot;
  T.Version = *V;
  T.Arch = detectArch(ObjRoot);
  T.ArchFacts = std::make_shared<KernelArchFacts>(
      readKernelArchFacts(Root, T.Arch, ObjRoot));
  if (ObjRoot != Root) {
    std::lock_guard<std::mutex> G(BuiltOutOfPlaceLock);
    BuiltOutOfPlace[Root] = T;
  }
  return T;
}

std::optional<KernelTree> findKernelTree(const std::string &File) {
  static std::mutex Lock;
  static std::map<std::string, std::optional<KernelTree>> Cache;
  std::string Dir = path::parent_path(absolute(File)).str();
  std::vector<std::string> Visited;
  std::optional<KernelTree> Found;
  while (!Dir.empty()) {
    {
      std::lock_guard<std::mutex> G(Lock);
      auto It = Cache.find(Dir);
      if (It != Cache.end()) {
        Found = It->second;
        break;
      }
    }
    Visited.push_back(Dir);
    if (auto T = openKernelTree(Dir)) {
      Found = T;
      break;
    }
    std::string Parent = path::parent_path(Dir).str();
    if (Parent == Dir)
      break;
    Dir = Parent;
  }
  std::lock_guard<std::mutex> G(Lock);
  for (const std::string &D : Visited)
    Cache[D] = Found;
  return Found;
}

} // namespace vmalloc_lint
