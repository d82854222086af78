#include "tool/CompileFlags.h"

#include "tool/ArchViews.h"
#include "tool/FileIO.h"
#include "tool/KbuildObjects.h"

#include "clang/Driver/Options.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Option/OptTable.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

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

/// -I/-D options that a kbuild Makefile adds for its directory.
struct DirFlags {
  std::vector<std::string> Own;    ///< ccflags-y: this directory
  std::vector<std::string> Subdir; ///< subdir-ccflags-y: and below
};

DirFlags parseKbuild(const std::string &Root, const std::string &Dir) {
  DirFlags Out;
  llvm::ErrorOr<std::string> File = readWholeFile(Dir + "/Kbuild");
  if (!File || File->empty())
    File = readWholeFile(Dir + "/Makefile");
  if (!File || File->empty())
    return Out;
  const std::string &Text = *File;
  // Join continuation lines.
  std::string Joined;
  for (size_t I = 0; I < Text.size(); ++I) {
    if (Text[I] == '\\' && I + 1 < Text.size() && Text[I + 1] == '\n') {
      Joined += ' ';
      ++I;
      continue;
    }
    Joined += Text[I];
  }
  static const std::regex Assign(
      R"(^\s*(subdir-ccflags|ccflags|EXTRA_CFLAGS)(-y|-\$\(CONFIG_[A-Za-z0-9_]+\))?\s*[:+]?=\s*(.*)$)");
  static const std::regex Opt(R"((-I|-D)\s*([^\s]+))");
  size_t Pos = 0;
  while (Pos < Joined.size()) {
    size_t Nl = Joined.find('\n', Pos);
    std::string Line = Joined.substr(
        Pos, Nl == std::string::npos ? std::string::npos : Nl - Pos);
    Pos = Nl == std::string::npos ? Joined.size() : Nl + 1;
    std::smatch M;
    if (!std::regex_match(Line, M, Assign))
      continue;
    bool Subdir = M[1] == "subdir-ccflags";
    std::string Rhs = M[3];
    for (std::sregex_iterator It(Rhs.begin(), Rhs.end(), Opt), End; It != End;
         ++It) {
      std::string Kind = (*It)[1], Val = (*It)[2];
      auto Subst = [&](const std::string &From, const std::string &To) {
        for (size_t P; (P = Val.find(From)) != std::string::npos;)
          Val.replace(P, From.size(), To);
      };
      Subst("$(srctree)/$(src)", Dir);
      Subst("$(srctree)/$(obj)", Dir);
      Subst("$(objtree)/$(obj)", Dir);
      Subst("$(srctree)", Root);
      Subst("$(objtree)", Root);
      Subst("$(src)", Dir);
      Subst("$(obj)", Dir);
      if (Val.find("$(") != std::string::npos)
        continue; // a make variable we cannot resolve
      if (Kind == "-I" && !path::is_absolute(Val))
        Val = Root + "/" + Val; // kbuild runs from the tree root
      (Subdir ? Out.Subdir : Out.Own).push_back(Kind + Val);
    }
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

/// The file's own part of kbuild's command: scripts/Makefile.lib's
/// modkern_cflags (-DMODULE for a part of a module, KBUILD_MODFILE
/// otherwise, which MODULE_LICENSE expands to), basename_flags and
/// modname_flags, then ccflags-y of the file's Makefile directory and
/// subdir-ccflags-y of it and every ancestor inside the tree.
void addFileFlags(std::vector<std::string> &C, const std::string &R,
                  const KconfigValues &Config, std::string Dir,
                  const std::string &Abs) {
  KbuildObject O = kbuildObject(R, Config, Dir, Abs);
  if (O.Build == KbuildBuild::Module)
    C.push_back("-DMODULE");
  else
    C.push_back("-DKBUILD_MODFILE=\"" + O.ModFile + "\"");
  C.push_back("-DKBUILD_BASENAME=\"" + O.BaseName + "\"");
  C.push_back("-DKBUILD_MODNAME=\"" + O.ModName + "\"");
  C.push_back("-D__KBUILD_MODNAME=kmod_" + O.ModName);
  std::vector<std::string> Extra;
  bool Own = true;
  while (Dir.size() > R.size() && Dir.compare(0, R.size(), R) == 0) {
    DirFlags F = parseKbuild(R, Dir);
    if (Own)
      Extra.insert(Extra.end(), F.Own.begin(), F.Own.end());
    Extra.insert(Extra.end(), F.Subdir.begin(), F.Subdir.end());
    Own = false;
    Dir = path::parent_path(Dir).str();
  }
  C.insert(C.end(), Extra.begin(), Extra.end());
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
  addFileFlags(C, R, V.Config, Dir, Abs);
  return adjustDatabaseCommand(C, Abs);
}

} // namespace

std::string clangResourceDir() {
#ifdef VMALLOC_LINT_RESOURCE_DIR
  return VMALLOC_LINT_RESOURCE_DIR;
#else
  return "/usr/lib/llvm-19/lib/clang/19";
#endif
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
  if (const ArchView *V = archView(Tree, Tree.archOf(absolute(File))))
    if (V->Ready)
      return archViewCommand(*V, R, absolute(File));
  const std::string A = R + "/arch/" + Tree.Arch;
  const KconfigValues &Config = treeConfig(R);
  // arch/x86/Makefile: CONFIG_X86_32=y is an i386 kernel (-m32, its own
  // register conventions, no kernel code model).
  bool I386 = Tree.Arch == "x86" && Config.count("CONFIG_X86_32") &&
              Config.at("CONFIG_X86_32") == "y";
  std::vector<std::string> C = {"clang"};
  if (I386)
    C.insert(C.end(), {"--target=i386-linux-gnu", "-m32"});
  else if (const char *Triple = targetTriple(Tree.Arch))
    C.push_back(std::string("--target=") + Triple);
  C.insert(C.end(),
           {"-nostdinc", "-isystem", clangResourceDir() + "/include",
            "-I" + A + "/include", "-I" + A + "/include/generated",
            "-I" + R + "/include", "-I" + A + "/include/uapi",
            "-I" + A + "/include/generated/uapi", "-I" + R + "/include/uapi",
            "-I" + R + "/include/generated/uapi"});
  for (const char *H :
       {"/include/linux/compiler-version.h", "/include/linux/kconfig.h",
        "/include/linux/compiler_types.h"})
    if (fs::exists(R + H))
      C.insert(C.end(), {"-include", R + H});
  // kbuild: -std=gnu11 since 5.18, gnu89 before.
  C.push_back(Tree.Version >= KernelVersion{5, 18} ? "-std=gnu11"
                                                   : "-std=gnu89");
  C.insert(C.end(), {"-D__KERNEL__", "-fno-strict-aliasing", "-fno-common",
                     "-fshort-wchar", "-ffreestanding"});
  if (I386)
    C.insert(C.end(), {"-mno-sse", "-mno-mmx", "-mno-sse2", "-mno-avx",
                       "-msoft-float", "-mregparm=3", "-freg-struct-return",
                       "-fno-pic", "-mstack-alignment=4"});
  else if (Tree.Arch == "x86")
    C.insert(C.end(), {"-mno-sse", "-mno-mmx", "-mno-sse2", "-mno-avx",
                       "-mno-red-zone", "-mcmodel=kernel"});
  std::string Abs = absolute(File);
  // kbuild builds a file from the Makefile that lists it: the nearest
  // directory with a Makefile or Kbuild (fs/xfs/Makefile builds
  // libxfs/*.o, with its own ccflags-y and $(src) = fs/xfs).
  std::string Dir = kbuildMakefileDir(R, Abs);
  addFileFlags(C, R, Config, Dir, Abs);
  C.push_back(Abs);
  addAnalysisFlags(C);
  return C;
}

std::vector<std::string>
adjustDatabaseCommand(const std::vector<std::string> &Command,
                      const std::string &File) {
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
      continue;
    default:
      break;
    }
    if (O.matches(opts::OPT_W_Group) || O.matches(opts::OPT_g_Group))
      continue;
    if (NoStdInc && O.getID() == opts::OPT_isystem &&
        IsCompilerBuiltins(A->getValue()))
      continue;
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
