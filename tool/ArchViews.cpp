#include "tool/ArchViews.h"

#include "matchers/kernel/KconfigExpr.h"
#include "matchers/text/FileText.h"
#include "tool/CompileFlags.h"
#include "tool/FileIO.h"
#include "tool/KconfigArch.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/StringSaver.h"
#include "llvm/Support/xxhash.h"

#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <unistd.h>

#ifndef VMALLOC_LINT_VIEW_VERSION
#define VMALLOC_LINT_VIEW_VERSION "0.1"
#endif

namespace vmalloc_lint {

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

namespace {

ArchViewSettings Settings;
std::mutex Lock;
std::map<std::string, std::unique_ptr<ArchView>> Views; // Root + "\n" + Arch

/// kbuild's clang target for Arch, from the tree's scripts/Makefile.clang
/// (CLANG_TARGET_FLAGS_arm64 := aarch64-linux-gnu); "" when the tree names
/// none (kbuild cannot build Arch with clang).
std::string clangTarget(const std::string &Root, const std::string &Arch) {
  std::string Text = readFile(Root + "/scripts/Makefile.clang");
  std::regex Row("^CLANG_TARGET_FLAGS_" + Arch + R"([ \t]*:=[ \t]*(\S+))",
                 std::regex::multiline);
  std::smatch M;
  if (std::regex_search(Text, M, Row))
    return M[1];
  return "";
}

std::error_code link(const std::string &From, const std::string &To) {
  return fs::create_link(From, To);
}

/// Links every entry of Dir into Into except the names in Skip (and, at the
/// tree's top, dot files and build outputs).
std::error_code linkEntries(const std::string &Dir, const std::string &Into,
                            const std::vector<std::string> &Skip, bool Top) {
  if (std::error_code EC = fs::create_directories(Into))
    return EC;
  std::error_code EC;
  for (fs::directory_iterator It(Dir, EC), End; !EC && It != End;
       It.increment(EC)) {
    std::string Name = path::filename(It->path()).str();
    if (std::find(Skip.begin(), Skip.end(), Name) != Skip.end())
      continue;
    if (Top && (Name[0] == '.' || Name == "vmlinux" || Name == "System.map" ||
                Name == "Module.symvers" || Name.rfind("modules.", 0) == 0 ||
                Name.rfind("vmlinux.", 0) == 0))
      continue;
    if (std::error_code L = link(It->path(), Into + "/" + Name))
      return L;
  }
  return EC;
}

/// The farm: Root's sources without what configuring in place added.
std::error_code makeSourceView(const std::string &Root, const std::string &Arch,
                               const std::string &Src) {
  if (std::error_code EC =
          linkEntries(Root, Src, {"include", "arch"}, /*Top=*/true))
    return EC;
  if (std::error_code EC = linkEntries(Root + "/include", Src + "/include",
                                       {"config", "generated"}, false))
    return EC;
  // arch/X (and, for um, its host arch x86) without include/generated.
  std::vector<std::string> Own = {Arch};
  if (Arch == "um")
    Own.push_back("x86");
  if (std::error_code EC =
          linkEntries(Root + "/arch", Src + "/arch", Own, false))
    return EC;
  for (const std::string &A : Own) {
    std::string From = Root + "/arch/" + A, To = Src + "/arch/" + A;
    if (std::error_code EC = linkEntries(From, To, {"include"}, false))
      return EC;
    if (exists(From + "/include"))
      if (std::error_code EC = linkEntries(From + "/include", To + "/include",
                                           {"generated"}, false))
        return EC;
  }
  return {};
}

void prepare(ArchView &V, const KernelTree &Tree) {
  const std::string &Root = Tree.Root;
  // ARCH=i386 is arch/x86 (the top Makefile's SRCARCH) with i386_defconfig.
  const std::string Src = srcArchOf(V.Arch);
  if (!exists(Root + "/arch/" + Src + "/Makefile")) {
    V.Why = V.Arch + ": no arch/" + Src + "/Makefile in the tree";
    return;
  }
  if (!exists(Root + "/scripts/Makefile.clang")) {
    V.Why = V.Arch + ": this kernel's kbuild has no clang targets (no "
                     "scripts/Makefile.clang)";
    return;
  }
  if (clangTarget(Root, Src).empty()) {
    V.Why = V.Arch + ": no clang target (scripts/Makefile.clang names none)";
    return;
  }
  std::string Dir = archViewDir(Tree, V.Arch);
  V.SourceView = Dir + "/src";
  V.ObjDir = Dir + "/obj";
  std::string Done = Dir + "/done";
  if (fs::create_directories(Dir)) {
    V.Why = V.Arch + ": cannot create the cache directory " + Dir;
    return;
  }
  // One make per view, whatever the number of runs: the others wait here.
  int LockFD = -1;
  if (fs::openFileForWrite(Dir + "/lock", LockFD, fs::CD_OpenAlways) ||
      fs::lockFile(LockFD)) {
    V.Why = V.Arch + ": cannot lock " + Dir + "/lock";
    return;
  }
  std::string State = readFile(Done);
  if (State.empty()) {
    fs::remove_directories(V.SourceView);
    fs::remove_directories(V.ObjDir);
    std::string Log = Dir + "/make.log";
    if (std::error_code EC = makeSourceView(Root, Src, V.SourceView)) {
      State = "failed: symlink farm: " + EC.message();
    } else {
      llvm::ErrorOr<std::string> Make = llvm::sys::findProgramByName("make");
      int RC = -1;
      if (Make) {
        std::vector<llvm::StringRef> Args = {*Make, "-s", "-C", V.SourceView};
        std::string ArchArg = "ARCH=" + V.Arch, O = "O=" + V.ObjDir;
        Args.insert(Args.end(),
                    {ArchArg, "LLVM=-19", O, "defconfig", "prepare"});
        std::optional<llvm::StringRef> Redirects[] = {
            std::nullopt, llvm::StringRef(Log), llvm::StringRef(Log)};
        llvm::errs() << "vmalloc-lint: preparing the " << V.Arch
                     << " view of the tree in " << Dir << " (once)\n";
        RC = llvm::sys::ExecuteAndWait(*Make, Args, std::nullopt, Redirects);
      }
      State = RC == 0 ? "ok\n"
                      : "failed: make ARCH=" + V.Arch +
                            " LLVM=-19 defconfig prepare (see " + Log + ")\n";
    }
    writeFileAtomically(Done, State);
  }
  fs::unlockFile(LockFD);
  close(LockFD);
  if (State.rfind("ok", 0) != 0) {
    V.Why = V.Arch + ": " + llvm::StringRef(State).trim().str();
    return;
  }
  V.Base = kbuildBaseCommand(V.ObjDir);
  if (V.Base.empty()) {
    V.Why = V.Arch + ": no kernel/.bounds.s.cmd in " + V.ObjDir;
    return;
  }
  V.Config = readAutoConf(V.ObjDir);
  V.Ready = true;
}

} // namespace

void setArchViewSettings(const ArchViewSettings &S) { Settings = S; }

std::string archCacheDir() {
  if (!Settings.CacheDir.empty())
    return absolute(Settings.CacheDir);
  if (const char *X = std::getenv("XDG_CACHE_HOME"); X && *X)
    return std::string(X) + "/vmalloc-lint/arch";
  if (const char *H = std::getenv("HOME"); H && *H)
    return std::string(H) + "/.cache/vmalloc-lint/arch";
  return "/tmp/vmalloc-lint-arch";
}

/// What a prepared view depends on, hashed: the tool's view recipe and
/// version, and the contents of the files make defconfig prepare reads
/// first (the top Makefile, with the kernel version; the arch's Makefile,
/// Kconfig and defconfig; the top Kconfig files; scripts/Makefile.clang;
/// what generates bounds.h and asm-offsets.h). A change to any of them is
/// another view, prepared afresh.
std::string viewKey(const std::string &Root, const std::string &Arch) {
  static const char *const Recipe =
      "vmalloc-lint " VMALLOC_LINT_VIEW_VERSION
      " view 2: make ARCH=X LLVM=-19 O=obj defconfig prepare";
  std::string A = "arch/" + srcArchOf(Arch);
  std::string Text = Recipe;
  if (const ArchVariant *V = archVariant(Arch)) // ARCH=i386: i386_defconfig
    Text += std::string("\n--- ARCH=") + V->Name + "\n" +
            readFile(Root + "/" + A + "/configs/" + V->Defconfig);
  for (const std::string &F :
       {std::string("Makefile"), A + "/Makefile", A + "/Kconfig",
        A + "/configs/defconfig", std::string("Kconfig"),
        std::string("arch/Kconfig"), std::string("init/Kconfig"),
        std::string("mm/Kconfig"), std::string("scripts/Makefile.clang"),
        std::string("kernel/bounds.c"), A + "/kernel/asm-offsets.c"}) {
    Text += "\n--- " + F + "\n";
    Text += readFile(Root + "/" + F);
  }
  return llvm::utohexstr(llvm::xxh3_64bits(Text));
}

std::string archViewDir(const KernelTree &Tree, const std::string &Arch) {
  return archCacheDir() + "/" + path::filename(Tree.Root).str() + "-" +
         llvm::utohexstr(llvm::xxh3_64bits(Tree.Root)) + "/" + Arch + "-" +
         viewKey(Tree.Root, Arch);
}

const ArchView *archView(const KernelTree &Tree, const std::string &Arch) {
  if (!Settings.Enabled || Arch == Tree.Arch || Arch.empty())
    return nullptr;
  std::lock_guard<std::mutex> G(Lock);
  auto [It, New] = Views.try_emplace(Tree.Root + "\n" + Arch);
  if (New) {
    It->second = std::make_unique<ArchView>();
    It->second->Arch = Arch;
    prepare(*It->second, Tree);
  }
  return It->second.get();
}

std::string unitView(const KernelTree &Tree, const std::string &File) {
  const ArchView *V = archView(Tree, unitArch(Tree, absolute(File)));
  if (!V)
    return "configured";
  return V->Ready ? V->Arch + " defconfig" : "configured flags: " + V->Why;
}

std::vector<const ArchView *> archViewsUsed() {
  std::lock_guard<std::mutex> G(Lock);
  std::vector<const ArchView *> Out;
  for (const auto &[K, V] : Views)
    Out.push_back(V.get());
  return Out;
}

} // namespace vmalloc_lint
