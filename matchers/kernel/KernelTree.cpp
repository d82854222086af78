#include "matchers/kernel/KernelTree.h"

#include "matchers/text/FileText.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <map>
#include <mutex>
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

} // namespace

std::optional<KernelTree> openKernelTree(const std::string &Dir) {
  std::string Root = absolute(Dir);
  auto V = KernelVersion::fromMakefile(Root + "/Makefile");
  if (!V || !exists(Root + "/include"))
    return std::nullopt;
  KernelTree T;
  T.Root = Root;
  T.Version = *V;
  T.Arch = detectArch(Root);
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
