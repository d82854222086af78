#include "tool/CompileFlags.h"

#include "tool/ArchViews.h"
#include "tool/FileIO.h"
#include "tool/KbuildObjects.h"
#include "tool/KconfigArch.h"

#include "clang/Driver/Options.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Option/OptTable.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/StringSaver.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <mutex>
#include <regex>

namespace vmalloc_lint {

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

namespace {

const char *targetTriple(const std::string &Arch) {
  if (Arch == "x86")
    return "x86_64-linux-gnu";
  if (Arch == "arm64")
    return "aarch64-linux-gnu";
  if (Arch == "arm")
    return "arm-linux-gnueabi";
  if (Arch == "riscv")
    return "riscv64-linux-gnu";
  if (Arch == "powerpc")
    return "powerpc64le-linux-gnu";
  if (Arch == "s390")
    return "s390x-linux-gnu";
  return nullptr;
}

/// kbuild's `$(filter-out PATTERN...)`: a pattern's one `%` matches any text.
bool kbuildPatternMatches(const std::string &Pat, const std::string &Word) {
  size_t P = Pat.find('%');
  if (P == std::string::npos)
    return Pat == Word;
  std::string Pre = Pat.substr(0, P), Suf = Pat.substr(P + 1);
  return Word.size() >= Pre.size() + Suf.size() &&
         Word.compare(0, Pre.size(), Pre) == 0 &&
         Word.compare(Word.size() - Suf.size(), Suf.size(), Suf) == 0;
}

/// A Makefile's flag words as the shell passes them to the compiler
/// (-DX=\"v\" is -DX="v"), relative include paths made absolute: kbuild
/// runs the compiler in the object tree, sources are in the source tree.
std::vector<std::string> shellWords(const std::vector<std::string> &Words,
                                    const std::string &Root,
                                    const std::string &ObjRoot) {
  std::string Line;
  for (const std::string &W : Words)
    Line += (Line.empty() ? "" : " ") + W;
  llvm::BumpPtrAllocator A;
  llvm::StringSaver Saver(A);
  llvm::SmallVector<const char *, 0> Argv;
  llvm::cl::TokenizeGNUCommandLine(Line, Saver, Argv);
  auto Abs = [&](const std::string &P) {
    if (P.empty() || path::is_absolute(P))
      return P;
    std::string InSrc = Root + "/" + P;
    return fs::exists(InSrc) || ObjRoot == Root ? InSrc : ObjRoot + "/" + P;
  };
  std::vector<std::string> Out;
  for (size_t I = 0; I < Argv.size(); ++I) {
    std::string T = Argv[I];
    for (const char *Opt : {"-include", "-isystem", "-iquote", "-I"}) {
      size_t N = strlen(Opt);
      if (T == Opt && I + 1 < Argv.size()) {
        Out.push_back(T);
        T = Abs(Argv[++I]);
        break;
      }
      if (T.size() > N && T.compare(0, N, Opt) == 0 &&
          (std::string(Opt) == "-I")) {
        T = Opt + Abs(T.substr(N));
        break;
      }
    }
    Out.push_back(T);
  }
  return Out;
}

/// What the Makefiles kbuild reads on its way to File's directory add to
/// File's command (scripts/Makefile.lib's _c_flags): subdir-ccflags-y of
/// every directory from the top down (Makefile.lib adds them to
/// KBUILD_CFLAGS), the directory's own ccflags-y (and EXTRA_CFLAGS), both
/// less ccflags-remove-y and CFLAGS_REMOVE_file.o, then CFLAGS_file.o. The
/// Makefiles are read with $(srctree), $(objtree), $(src) and $(obj) set
/// as kbuild sets them and $(CONFIG_X) from the configuration. An
/// out-of-tree module's (make M=DIR, Outside: Top is DIR's parent) are
/// DIR's and its subdirectories', $(src) and $(obj) absolute, and its
/// relative paths are the object tree's (kbuild runs there).
struct MakefileFlags {
  std::vector<std::string> Dir;    ///< subdir-ccflags-y (top down), ccflags-y
  std::vector<std::string> Remove; ///< filter-out patterns for the above
  std::vector<std::string> File;   ///< CFLAGS_file.o: never filtered
};

MakefileFlags makefileFlags(const std::string &Root, const std::string &ObjRoot,
                            const std::string &Top, bool Outside,
                            const KconfigValues &Config,
                            const std::string &MakefileDir,
                            const std::string &Stem) {
  MakefileFlags Out;
  std::vector<std::string> Dirs; // top down
  for (std::string D = MakefileDir;
       D.size() > Top.size() && D.compare(0, Top.size(), Top) == 0;
       D = path::parent_path(D).str())
    Dirs.insert(Dirs.begin(), D);
  for (const std::string &D : Dirs) {
    std::string Rel = Outside ? D : D.substr(Top.size() + 1);
    std::string Prelude = "srctree := " + Root + "\nobjtree := " + ObjRoot +
                          "\nsrc := " + Rel + "\nobj := " + Rel + "\n";
    auto V = evaluateKbuildMakefile(Prelude + readKbuildFile(D), Config, Root);
    auto Get = [&](const std::string &Name) {
      auto It = V.find(Name);
      return It == V.end()
                 ? std::vector<std::string>{}
                 : shellWords(It->second, Outside ? ObjRoot : Root, ObjRoot);
    };
    auto Append = [](std::vector<std::string> &To,
                     const std::vector<std::string> &From) {
      To.insert(To.end(), From.begin(), From.end());
    };
    Append(Out.Dir, Get("subdir-ccflags-y"));
    if (D != MakefileDir)
      continue;
    Append(Out.Dir, Get("ccflags-y"));
    Append(Out.Dir, Get("EXTRA_CFLAGS"));
    Append(Out.Remove, Get("ccflags-remove-y"));
    Append(Out.Remove, Get("CFLAGS_REMOVE_" + Stem + ".o"));
    Append(Out.File, Get("CFLAGS_" + Stem + ".o"));
  }
  return Out;
}

/// The tree's auto.conf, read once per run (and again if it changed).
const KconfigValues &treeConfig(const std::string &Root) {
  struct Entry {
    fs::file_status Stamp;
    KconfigValues Config;
  };
  static std::mutex Lock;
  static std::map<std::string, Entry> Trees; // never erased: stable refs
  fs::file_status St;
  fs::status(Root + "/include/config/auto.conf", St);
  std::lock_guard<std::mutex> G(Lock);
  auto [It, New] = Trees.try_emplace(Root);
  if (New ||
      It->second.Stamp.getLastModificationTime() !=
          St.getLastModificationTime() ||
      It->second.Stamp.getSize() != St.getSize()) {
    It->second.Stamp = St;
    It->second.Config = readAutoConf(Root);
  }
  return It->second.Config;
}

/// The variables an out-of-tree module's Makefile is read with: the
/// configuration, and KERNELRELEASE, which kbuild exports (the usual module
/// Makefile lists its objects under `ifneq ($(KERNELRELEASE),)`).
KconfigValues externalModuleVars(const std::string &ObjRoot,
                                 const KconfigValues &Config) {
  KconfigValues Module = Config;
  std::string Release =
      llvm::StringRef(readFile(ObjRoot + "/include/config/kernel.release"))
          .trim()
          .str();
  Module["KERNELRELEASE"] = Release.empty() ? "unknown" : Release;
  return Module;
}

/// The file's own part of kbuild's command (scripts/Makefile.lib): the
/// Makefiles' flags (makefileFlags), their filter-out applied to what C
/// already holds (kbuild's KBUILD_CFLAGS), then modkern_cflags (-DMODULE
/// for a part of a module, KBUILD_MODFILE otherwise, which MODULE_LICENSE
/// expands to), basename_flags and modname_flags. A file outside the tree
/// is part of an out-of-tree module (externalModuleTop): kbuild builds
/// code outside the tree only with M=, and M= builds modules.
void addFileFlags(std::vector<std::string> &C, const std::string &R,
                  const std::string &ObjRoot, const KconfigValues &Config,
                  const std::string &Dir, const std::string &Abs,
                  const std::string &Top) {
  bool Outside = Top != R;
  KconfigValues Module;
  if (Outside)
    Module = externalModuleVars(ObjRoot, Config);
  const KconfigValues &Vars = Outside ? Module : Config;
  KbuildObject O = kbuildObject(Top, Vars, Dir, Abs);
  MakefileFlags M =
      makefileFlags(R, ObjRoot, Top, Outside, Vars, Dir, O.TargetStem);
  C.insert(C.end(), M.Dir.begin(), M.Dir.end());
  if (!M.Remove.empty())
    C.erase(std::remove_if(C.begin() + 1, C.end(),
                           [&](const std::string &W) {
                             for (const std::string &P : M.Remove)
                               if (kbuildPatternMatches(P, W))
                                 return true;
                             return false;
                           }),
            C.end());
  C.insert(C.end(), M.File.begin(), M.File.end());
  // A file the configuration does not build is analysed as the
  // configuration that builds it would compile it: its Makefile's options
  // and what they need in Kconfig set, so that the code under
  // `#if IS_ENABLED(CONFIG_SPI)` of a SPI-only driver is there (x86_64's
  // defconfig sets no CONFIG_SPI).
  if (O.Build == KbuildBuild::NotBuilt)
    for (const std::string &S : kbuildGateOptions(R, Config, Dir, Abs))
      C.push_back("-DCONFIG_" + S + "=1");
  if (O.Build == KbuildBuild::Module ||
      (Outside && O.Build != KbuildBuild::BuiltIn))
    C.push_back("-DMODULE");
  else
    C.push_back("-DKBUILD_MODFILE=\"" + O.ModFile + "\"");
  C.push_back("-DKBUILD_BASENAME=\"" + O.BaseName + "\"");
  C.push_back("-DKBUILD_MODNAME=\"" + O.ModName + "\"");
  C.push_back("-D__KBUILD_MODNAME=kmod_" + O.ModName);
  if (path::extension(Abs) == ".h")
    C.insert(C.end(), {"-x", "c"});
}

/// A file of another arch, in that arch's prepared view (tool/ArchViews.h):
/// kbuild's own command for the arch, the file's own part, and its
/// directory (kbuild's -I $(srctree)/$(src) -I $(obj) out of tree).
std::vector<std::string> archViewCommand(const ArchView &V,
                                         const std::string &R,
                                         const std::string &Abs) {
  std::vector<std::string> C = V.Base;
  std::string Dir = kbuildMakefileDir(R, Abs);
  std::string Rel = Dir.size() > R.size() ? Dir.substr(R.size()) : "";
  C.insert(C.end(), {"-I", Dir, "-I", V.ObjDir + Rel});
  addFileFlags(C, R, V.ObjDir, V.Config, Dir, Abs, R);
  return adjustDatabaseCommand(C, Abs);
}

bool inDir(const std::string &Dir, const std::string &File) {
  return File.size() > Dir.size() + 1 &&
         File.compare(0, Dir.size() + 1, Dir + "/") == 0;
}

/// For a file outside the tree, the parent of its out-of-tree module's
/// directory (make M=DIR): DIR is the outermost of the directories from
/// the file's up whose Kbuild or Makefile lists objects (a module's
/// subdirectory has its own), or the file's own directory when none does.
/// kbuild's names and the Makefiles' flags are taken below it.
std::string externalModuleTop(const std::string &Abs) {
  std::string Mod = path::parent_path(Abs).str();
  for (std::string D = Mod; path::has_parent_path(D) && D != "/";
       D = path::parent_path(D).str()) {
    std::string Text = readKbuildFile(D);
    if (Text.empty() && D != path::parent_path(Abs))
      break;
    if (std::regex_search(Text, std::regex(R"((^|\n)\s*(obj|lib)-)")))
      Mod = D;
  }
  return path::parent_path(Mod).str();
}

} // namespace

std::string clangResourceDir() {
#ifdef VMALLOC_LINT_RESOURCE_DIR
  return VMALLOC_LINT_RESOURCE_DIR;
#else
  return "/usr/lib/llvm-19/lib/clang/19";
#endif
}

std::vector<std::string> kbuildBaseCommand(const std::string &ObjDir) {
  std::string Cmd = readFile(ObjDir + "/kernel/.bounds.s.cmd");
  size_t Eq = Cmd.find(":=");
  size_t Nl = Cmd.find('\n');
  if (Cmd.rfind("cmd_", 0) != 0 || Eq == std::string::npos || Eq > Nl)
    return {};
  llvm::BumpPtrAllocator A;
  llvm::StringSaver Saver(A);
  llvm::SmallVector<const char *, 0> Argv;
  llvm::cl::TokenizeGNUCommandLine(
      llvm::StringRef(Cmd).slice(Eq + 2, Nl).trim(), Saver, Argv);
  std::vector<std::string> Out = {"clang"};
  auto Abs = [&](llvm::StringRef P) {
    return P.starts_with("/") ? P.str() : absolute(ObjDir + "/" + P.str());
  };
  for (size_t I = 1; I < Argv.size(); ++I) {
    llvm::StringRef T = Argv[I];
    if (T == "-o" || T == "-I" || T == "-include" || T == "-isystem") {
      if (I + 1 >= Argv.size())
        break;
      llvm::StringRef V = Argv[++I];
      if (T == "-o")
        continue;
      if (T == "-I" && (V == "./." || V.ends_with("/.")))
        continue; // the directory of bounds.c's Makefile
      Out.push_back(T.str());
      Out.push_back(Abs(V));
      continue;
    }
    if (T.starts_with("-I")) {
      Out.push_back("-I" + Abs(T.drop_front(2)));
      continue;
    }
    if (T.starts_with("-Wp,") || T == "-S" || T == "-c" ||
        T == "-fverbose-asm" || T.ends_with("kernel/bounds.c") ||
        T.starts_with("-DKBUILD_") || T.starts_with("-D__KBUILD_MODNAME"))
      continue;
    Out.push_back(T.str());
  }
  return Out;
}

void addAnalysisFlags(std::vector<std::string> &Cmd) {
  // Spell checking stays on: without it an undeclared identifier in a call's
  // argument drops the whole statement, while with it clang keeps the call
  // as a RecoveryExpr (or a typo-corrected call) that is still a site.
  Cmd.insert(Cmd.begin() + 1,
             {"-fsyntax-only", "-w", "-Wno-error", "-ferror-limit=0",
              "-fno-caret-diagnostics", "-resource-dir", clangResourceDir()});
}

std::vector<std::string> kernelCompileCommand(const KernelTree &Tree,
                                              const std::string &File) {
  const std::string &R = Tree.Root;
  std::string Abs = absolute(File);
  if (const ArchView *V = archView(Tree, unitArch(Tree, Abs)))
    if (V->Ready)
      return archViewCommand(*V, R, Abs);
  // make O=DIR: configuration and generated headers in DIR.
  const std::string &OR = Tree.ObjRoot.empty() ? R : Tree.ObjRoot;
  const std::string A = R + "/arch/" + Tree.Arch;
  const std::string OA = OR + "/arch/" + Tree.Arch;
  const KconfigValues &Config = treeConfig(OR);
  // arch/x86/Makefile: CONFIG_X86_32=y is an i386 kernel (-m32, its own
  // register conventions, no kernel code model).
  bool I386 = Tree.Arch == "x86" && Config.count("CONFIG_X86_32") &&
              Config.at("CONFIG_X86_32") == "y";
  std::string Target = I386 ? "--target=i386-linux-gnu"
                       : targetTriple(Tree.Arch)
                           ? std::string("--target=") + targetTriple(Tree.Arch)
                           : "";
  // A prepared tree holds kbuild's own command for kernel/bounds.c: the
  // arch Makefile's flags, LINUXINCLUDE, KBUILD_CPPFLAGS and KBUILD_CFLAGS
  // for this configuration (-O2, -fno-PIE, -fstack-protector-strong ...).
  std::vector<std::string> C = kbuildBaseCommand(OR);
  if (!C.empty()) {
    bool HasTarget = std::any_of(C.begin(), C.end(), [](const std::string &S) {
      return llvm::StringRef(S).starts_with("--target=") || S == "-target";
    });
    if (!HasTarget && !Target.empty()) // a gcc build: gcc's target is implied
      C.insert(C.begin() + 1, Target);
  } else {
    // Not prepared (or older than .bounds.s.cmd): kbuild's main flags.
    C = {"clang"};
    if (I386)
      C.insert(C.end(), {Target, "-m32"});
    else if (!Target.empty())
      C.push_back(Target);
    // LINUXINCLUDE: the sources' dirs, the generated ones in the objects'.
    C.insert(C.end(), {"-nostdinc", "-isystem", clangResourceDir() + "/include",
                       "-I" + A + "/include", "-I" + OA + "/include/generated",
                       "-I" + R + "/include"});
    if (OR != R)
      C.push_back("-I" + OR + "/include");
    C.insert(C.end(),
             {"-I" + A + "/include/uapi", "-I" + OA + "/include/generated/uapi",
              "-I" + R + "/include/uapi",
              "-I" + OR + "/include/generated/uapi"});
    for (const char *H :
         {"/include/linux/compiler-version.h", "/include/linux/kconfig.h",
          "/include/linux/compiler_types.h"})
      if (fs::exists(R + H))
        C.insert(C.end(), {"-include", R + H});
    // kbuild: -std=gnu11 since 5.18, gnu89 before.
    C.push_back(Tree.Version >= KernelVersion{5, 18} ? "-std=gnu11"
                                                     : "-std=gnu89");
    C.insert(C.end(), {"-D__KERNEL__", "-fno-strict-aliasing", "-fno-common",
                       "-fshort-wchar", "-fno-PIE"});
    // arch/x86/Makefile passes -ffreestanding to i386 only ("temporary
    // until string.h is fixed"); the other arches' are not read here.
    if (Tree.Arch != "x86" || I386)
      C.push_back("-ffreestanding");
    // The top Makefile's flags that follow the configuration: the
    // optimisation level (string.h's fortified functions and
    // __OPTIMIZE__ follow it), the stack protector, ftrace's -mfentry.
    auto On = [&](const char *Symbol) {
      auto It = Config.find(Symbol);
      return It != Config.end() && It->second == "y";
    };
    if (On("CONFIG_CC_OPTIMIZE_FOR_PERFORMANCE"))
      C.push_back("-O2");
    else if (On("CONFIG_CC_OPTIMIZE_FOR_SIZE"))
      C.push_back("-Os");
    if (On("CONFIG_STACKPROTECTOR_STRONG") ||
        On("CONFIG_CC_STACKPROTECTOR_STRONG"))
      C.push_back("-fstack-protector-strong");
    else if (On("CONFIG_STACKPROTECTOR") || On("CONFIG_CC_STACKPROTECTOR"))
      C.push_back("-fstack-protector");
    if (On("CONFIG_FUNCTION_TRACER") && On("CONFIG_HAVE_FENTRY"))
      C.insert(C.end(), {"-mfentry", "-DCC_USING_FENTRY"});
    if (I386)
      C.insert(C.end(), {"-mno-sse", "-mno-mmx", "-mno-sse2", "-mno-avx",
                         "-msoft-float", "-mregparm=3", "-freg-struct-return",
                         "-fno-pic", "-mstack-alignment=4"});
    else if (Tree.Arch == "x86")
      C.insert(C.end(), {"-mno-sse", "-mno-mmx", "-mno-sse2", "-mno-avx",
                         "-mno-red-zone", "-mcmodel=kernel"});
    if (Tree.Arch == "x86") // no .eh_frame (__GCC_HAVE_DWARF2_CFI_ASM)
      C.push_back("-fno-asynchronous-unwind-tables");
  }
  // kbuild builds a file from the Makefile that lists it: the nearest
  // directory with a Makefile or Kbuild (fs/xfs/Makefile builds
  // libxfs/*.o, with its own ccflags-y and $(src) = fs/xfs).
  // A file outside the tree: an out-of-tree module's (make M=), whose
  // Makefiles kbuild reads from the module's directory down.
  std::string Top = inDir(R, Abs) ? R : externalModuleTop(Abs);
  std::string Dir = kbuildMakefileDir(Top, Abs);
  if (OR != R && Top == R &&
      Dir.size() > R.size()) // kbuild out of tree: -I $(src) -I $(obj)
    C.insert(C.end(), {"-I", Dir, "-I", OR + Dir.substr(R.size())});
  addFileFlags(C, R, OR, Config, Dir, Abs, Top);
  // Makefile flags are gcc's as often as clang's: clang's option table
  // keeps what clang knows.
  return adjustDatabaseCommand(C, Abs);
}

KbuildBuild kernelUnitBuild(const KernelTree &Tree, const KconfigValues &Config,
                            const std::string &File) {
  const std::string &R = Tree.Root;
  std::string Abs = absolute(File);
  if (const ArchView *V = archView(Tree, unitArch(Tree, Abs)))
    if (V->Ready)
      return kbuildFileBuild(R, V->Config, Abs);
  if (!inDir(R, Abs)) {
    // make M=: kbuild builds the module's obj-m (with -DMODULE, as
    // addFileFlags gives it), and a file its Makefile does not list with
    // the module's Makefile read as for the flags.
    std::string Top = externalModuleTop(Abs);
    const std::string &OR = Tree.ObjRoot.empty() ? R : Tree.ObjRoot;
    KbuildBuild B = kbuildObject(Top, externalModuleVars(OR, Config),
                                 kbuildMakefileDir(Top, Abs), Abs)
                        .Build;
    return B == KbuildBuild::BuiltIn || B == KbuildBuild::NotBuilt
               ? B
               : KbuildBuild::Module;
  }
  // The top Makefile descends into arch/$(SRCARCH)/ only: another arch's
  // file (without a view of its own) is not built by this configuration,
  // when there is one.
  if (!Config.empty() && Tree.archOf(Abs) != Tree.Arch)
    return KbuildBuild::NotBuilt;
  return kbuildFileBuild(R, Config, Abs);
}

std::vector<std::string>
adjustDatabaseCommand(const std::vector<std::string> &Command,
                      const std::string &File, const std::string &Directory) {
  std::vector<std::string> Out = {"clang"};
  if (Command.size() < 2)
    return Out;
  // Parse with clang's own driver option table: what clang does not know
  // (gcc-only kernel flags such as -fconserve-stack) is dropped, as are
  // outputs, dependency files and the input itself.
  const llvm::opt::OptTable &Table = clang::driver::getDriverOptTable();
  std::vector<const char *> Argv;
  for (size_t I = 1; I < Command.size(); ++I)
    Argv.push_back(Command[I].c_str());
  unsigned MissingIndex = 0, MissingCount = 0;
  // gcc's (clang's default) option set, not clang-cl's: an absolute input
  // path such as /work/x.c is not a /w option.
  llvm::opt::InputArgList Args = Table.ParseArgs(
      Argv, MissingIndex, MissingCount,
      llvm::opt::Visibility(clang::driver::options::ClangOption));
  namespace opts = clang::driver::options;
  // -nostdinc builds name the compiler's own builtin headers (kbuild:
  // -isystem $(shell $(CC) -print-file-name=include)); gcc's are not for
  // clang, which gets its resource dir's instead, as clangd does.
  const std::string Builtin = clangResourceDir() + "/include";
  bool NoStdInc = Args.hasArg(opts::OPT_nostdinc);
  auto IsCompilerBuiltins = [](llvm::StringRef Dir) {
    return Dir.contains("/gcc/") || Dir.contains("/gcc-cross/") ||
           (Dir.contains("/clang/") && Dir.ends_with("/include"));
  };
  if (NoStdInc)
    Out.insert(Out.end(), {"-isystem", Builtin});
  for (const llvm::opt::Arg *A : Args) {
    const llvm::opt::Option &O = A->getOption();
    if (O.getKind() == llvm::opt::Option::UnknownClass ||
        O.getKind() == llvm::opt::Option::InputClass)
      continue;
    switch (O.getID()) {
    case opts::OPT_o:
    case opts::OPT_c:
    case opts::OPT_S:
    case opts::OPT_E:
    case opts::OPT_MD:
    case opts::OPT_MMD:
    case opts::OPT_MF:
    case opts::OPT_MT:
    case opts::OPT_MQ:
    case opts::OPT_MP:
    case opts::OPT_Wp_COMMA:
    case opts::OPT_fsyntax_only:
    case opts::OPT_W_Joined:
    case opts::OPT_w:
    case opts::OPT_pg:
    case opts::OPT_g_Flag:
    // Code generation for ftrace that clang accepts for SystemZ only (gcc
    // kernels pass -mrecord-mcount on x86 with FTRACE_MCOUNT_USE_CC):
    // "unsupported option for target" otherwise, and no effect on a parse.
    case opts::OPT_mrecord_mcount:
    case opts::OPT_mnop_mcount:
      continue;
    default:
      break;
    }
    if (O.matches(opts::OPT_W_Group) || O.matches(opts::OPT_g_Group))
      continue;
    if (NoStdInc && O.getID() == opts::OPT_isystem &&
        IsCompilerBuiltins(A->getValue()))
      continue;
    switch (O.getID()) {
    case opts::OPT_I:
    case opts::OPT_isystem:
    case opts::OPT_iquote:
    case opts::OPT_idirafter:
    case opts::OPT_include:
    case opts::OPT_imacros:
      if (!Directory.empty() && A->getNumValues() == 1 &&
          path::is_relative(A->getValue())) {
        llvm::SmallString<256> P(Directory);
        path::append(P, A->getValue());
        path::remove_dots(P, /*remove_dot_dot=*/false);
        Out.push_back(A->getSpelling().str());
        Out.push_back(P.str().str());
        continue;
      }
      break;
    default:
      break;
    }
    llvm::opt::ArgStringList Rendered;
    A->render(Args, Rendered);
    for (const char *S : Rendered)
      Out.push_back(S);
  }
  Out.push_back(File);
  addAnalysisFlags(Out);
  return Out;
}

} // namespace vmalloc_lint
