// The CI gate (--patch, --git-range, --since): the tree run over the files a
// change touches (tool/TreeMode.cpp's analyseAndReport), reporting only
// findings on the lines it adds or changes. Here: reading the change (a
// patch file or git), and the gate's side of the views and the summary.
#include "tool/FileIO.h"
#include "tool/Modes.h"
#include "tool/PatchGate.h"
#include "tool/TreeRun.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Program.h"

namespace vmalloc_lint {

namespace fs = llvm::sys::fs;

namespace {

/// Runs git with Args in Dir; stdout in Out, the first line of stderr in
/// Err. Temporary files are removed.
int runGit(const std::string &Dir, const std::vector<std::string> &Args,
           std::string &Out, std::string &Err) {
  static std::string Git;
  if (Git.empty()) {
    auto P = llvm::sys::findProgramByName("git");
    if (!P)
      usageError("git not found in PATH (needed by --git-range and --since)");
    Git = *P;
  }
  llvm::SmallString<128> OutFile, ErrFile;
  if (fs::createTemporaryFile("vmalloc-lint-git", "out", OutFile) ||
      fs::createTemporaryFile("vmalloc-lint-git", "err", ErrFile))
    usageError("cannot create a temporary file");
  llvm::FileRemover RemoveOut(OutFile), RemoveErr(ErrFile);
  std::vector<llvm::StringRef> Argv{"git", "-C", Dir};
  for (const std::string &A : Args)
    Argv.push_back(A);
  std::optional<llvm::StringRef> Redirects[] = {llvm::StringRef(),
                                                OutFile.str(), ErrFile.str()};
  std::string ExecErr;
  int RC = llvm::sys::ExecuteAndWait(Git, Argv, std::nullopt, Redirects, 0, 0,
                                     &ExecErr);
  llvm::ErrorOr<std::string> O = readWholeFile(std::string(OutFile));
  llvm::ErrorOr<std::string> E = readWholeFile(std::string(ErrFile));
  Out = O ? std::move(*O) : "";
  std::string Errs = E ? std::move(*E) : ExecErr;
  Err = llvm::StringRef(Errs).trim().split('\n').first.str();
  return RC;
}

std::string gitRev(const std::string &Dir, const std::string &Rev) {
  std::string Out, Err;
  if (llvm::StringRef(Rev).starts_with("-"))
    usageError("revision '" + Rev + "' starts with '-'");
  if (runGit(Dir, {"rev-parse", "--verify", "--quiet", Rev + "^{commit}"}, Out,
             Err))
    usageError("unknown revision '" + Rev + "' in the repository at " + Dir);
  return llvm::StringRef(Out).trim().str();
}

/// Why Rel, a path of the patch, is not a file inside Root (the tree's real
/// path), or "": unsafePath(), or a part of it that exists is a symlink.
/// One that resolves outside Root would make the gate read or analyse a
/// file outside the tree; one inside would show the file's findings under
/// its real name, never on the patch's changed lines (and `git apply`
/// refuses paths beyond a symlink). Link is true for a symlink change
/// (mode 120000): its last component is the link itself, not followed (and,
/// with LinkOnDisk, must be a symlink if it exists).
std::string outsideTree(const std::string &Root, const std::string &Rel,
                        bool Link, bool LinkOnDisk) {
  if (std::string Why = unsafePath(Rel); !Why.empty())
    return "outside the tree: " + Why;
  std::string Cur = Root;
  for (llvm::StringRef Rest = Rel; !Rest.empty();) {
    auto [Part, Tail] = Rest.split('/');
    Rest = Tail;
    Cur += "/" + Part.str();
    fs::file_status St;
    if (fs::status(Cur, St, /*Follow=*/false))
      break; // Not there: what follows is created by the patch.
    if (Link && Rest.empty()) {
      // Skipped as a symlink change: it must be one (else a C file's change
      // could hide as one).
      if (St.type() != fs::file_type::symlink_file && LinkOnDisk)
        return "the patch changes it as a symlink (mode 120000), the tree "
               "has a file";
      continue;
    }
    if (St.type() != fs::file_type::symlink_file)
      continue;
    llvm::SmallString<256> Real;
    std::string Shown = quotePath(Cur.substr(Root.size() + 1));
    if (fs::real_path(Cur, Real))
      return "outside the tree: " + Shown +
             " is a symlink that does not resolve";
    llvm::StringRef R = Real;
    if (!(R == Root || R.starts_with(Root + "/")))
      return "outside the tree: " + Shown + " is a symlink to " +
             quotePath(Real) + ", not inside " + quotePath(Root);
    return Shown + " is a symlink (to " +
           quotePath(R.substr(std::min(R.size(), Root.size() + 1))) +
           ", inside the tree: the patch must name that path)";
  }
  return "";
}

} // namespace

void prepareGate(const CliOptions &O, GateRun &G,
                 const std::optional<KernelTree> &Tree,
                 const std::string &Cwd) {
  std::string Text;
  ApplyOptions Opt;
  TreeReader Read;
  std::string Base = Tree ? Tree->Root : Cwd;
  auto ReadDisk = [&G](const std::string &Rel) -> std::optional<std::string> {
    std::string P = G.Root + "/" + Rel;
    if (!fs::is_regular_file(P))
      return std::nullopt;
    llvm::ErrorOr<std::string> B = readWholeFile(P);
    if (!B)
      return std::nullopt;
    return std::move(*B);
  };
  if (!O.PatchFile.empty()) {
    G.Root = realAbsolutePath(Base);
    G.Name = O.PatchFile == "-" ? "Your patch" : O.PatchFile;
    llvm::ErrorOr<std::string> B = readWholeFileOrStdin(O.PatchFile);
    if (!B)
      usageError("cannot read --patch '" + O.PatchFile +
                 "': " + B.getError().message());
    Text = std::move(*B);
    Read = ReadDisk;
  } else {
    std::string Out, Err;
    if (runGit(Base, {"rev-parse", "--show-toplevel"}, Out, Err))
      usageError("'" + Base + "' is not in a git repository (" + Err + ")");
    G.Root = realAbsolutePath(llvm::StringRef(Out).trim().str());
    std::vector<std::string> DiffArgs{
        "diff", "--no-color",      "--no-ext-diff",  "--no-textconv",
        "-M",   "--src-prefix=a/", "--dst-prefix=b/"};
    Opt.AllowForward = false;
    Opt.BinaryIsError = false;
    if (!O.GitRange.empty()) {
      llvm::StringRef R = O.GitRange;
      size_t Dots = R.find("..");
      if (Dots == llvm::StringRef::npos)
        usageError("--git-range must look like A..B or A...B, not '" +
                   O.GitRange + "'");
      std::string A = R.substr(0, Dots).str();
      llvm::StringRef Rest = R.substr(Dots + 2);
      Rest.consume_front(".");
      std::string B = Rest.empty() ? "HEAD" : Rest.str();
      if (A.empty())
        usageError("--git-range '" + O.GitRange + "' has no start revision");
      gitRev(G.Root, A);
      std::string BSha = gitRev(G.Root, B);
      DiffArgs.push_back(O.GitRange);
      G.Name = O.GitRange;
      G.Where = "as in " + B;
      std::string Root = G.Root;
      Read = [Root,
              BSha](const std::string &Rel) -> std::optional<std::string> {
        std::string O, E;
        if (runGit(Root, {"cat-file", "blob", BSha + ":" + Rel}, O, E))
          return std::nullopt;
        return O;
      };
    } else {
      gitRev(G.Root, O.Since);
      DiffArgs.push_back(O.Since);
      G.Name = O.Since + "..work tree";
      G.Where = "as in the work tree";
      Read = ReadDisk;
    }
    DiffArgs.push_back("--");
    if (runGit(G.Root, DiffArgs, Text, Err))
      usageError("git diff failed: " + Err);
  }
  if (std::string Err = parsePatch(Text, G.Patch); !Err.empty())
    usageError("cannot parse the patch " + G.Name + ": " + Err);
  for (const FilePatch &F : G.Patch.Files)
    for (const std::string &P : {F.OldPath, F.NewPath})
      if (std::string Why =
              outsideTree(G.Root, P, F.Symlink, O.GitRange.empty());
          !Why.empty())
        usageError("the patch " + G.Name + " names " + quotePath(P) +
                   " (patch line " + std::to_string(F.InputLine) + "): " + Why);
  if (std::string Err = resolveChanges(G.Patch, Read, Opt, G.Changes);
      !Err.empty())
    usageError(Err);
  if (G.Where.empty())
    G.Where = G.Changes.AlreadyApplied ? "as they are in the tree"
                                       : "patched in memory";
  for (const TouchedFile &T : G.Changes.Files) {
    std::string Abs = G.Root + "/" + T.Path;
    G.ByFile[Abs] = &T;
    G.Overlay[Abs] = T.Content;
  }
}

std::vector<std::string> GateRun::sources() const {
  std::vector<std::string> Files;
  for (const TouchedFile &T : Changes.Files)
    if (isSource(T.Path))
      Files.push_back(Root + "/" + T.Path);
  return Files;
}

void GateRun::describe(OutputContext &Ctx) const {
  Ctx.Contents = &Overlay;
  Ctx.PatchName = Name;
  Ctx.LinesChecked = Patch.HunkLines;
  Ctx.PatchLineOf =
      [this](const std::string &File,
             unsigned Line) -> std::optional<OutputContext::PatchLineRef> {
    auto It = ByFile.find(File);
    if (It == ByFile.end() || Line == 0 || Line > It->second->Origins.size())
      return std::nullopt;
    const PatchOrigin &O = It->second->Origins[Line - 1];
    if (!O.InputLine)
      return std::nullopt;
    llvm::StringRef Text = It->second->Content;
    for (unsigned L = 1; L < Line; ++L)
      Text = Text.split('\n').second;
    OutputContext::PatchLineRef Ref;
    Ref.InputLine = O.InputLine;
    Ref.Raw = std::string(1, O.Kind) + Text.split('\n').first.str();
    Ref.Changed = It->second->Changed.count(Line) > 0;
    return Ref;
  };
}

bool GateRun::touches(const Finding &F) const {
  return touchesFinding(F,
                        [this](const std::string &File) -> const TouchedFile * {
                          auto It = ByFile.find(File);
                          return It == ByFile.end() ? nullptr : It->second;
                        });
}

void GateRun::printSummary(llvm::raw_ostream &OS, size_t FilesAnalysed,
                           size_t Findings, size_t Unchanged,
                           const size_t *InBaseline) const {
  unsigned Touched = Changes.Files.size() + Changes.Deleted;
  OS << "vmalloc-lint: gate: " << Name << ": " << Touched << " file"
     << (Touched == 1 ? "" : "s") << " touched, " << FilesAnalysed
     << " .c/.h analysed (" << Where << "); " << Findings << " finding"
     << (Findings == 1 ? "" : "s") << " in them, " << Unchanged
     << " not on changed lines";
  if (InBaseline)
    OS << ", " << *InBaseline << " in the baseline";
  OS << "\n";
  for (const std::string &S : Changes.Skipped)
    OS << "vmalloc-lint: note: " << quotePath(S)
       << ": binary change, not checked\n";
  for (const std::string &S : Changes.SkippedLinks)
    OS << "vmalloc-lint: note: " << quotePath(S)
       << ": symlink change, not checked\n";
  if (Patch.Files.empty())
    OS << "vmalloc-lint: note: the patch changes no file; "
          "nothing to check\n";
}

int runGateMode(const CliOptions &O,
                std::chrono::steady_clock::time_point Start) {
  RunSetup S;
  prepareRun(O, S);
  GateRun G;
  prepareGate(O, G, S.Tree, S.Cwd);
  RunFiles Files;
  Files.Files = G.sources();
  Files.FirstInput = Files.Files.empty() ? "" : Files.Files.front();
  return analyseAndReport(O, S, Files, &G, Start);
}

} // namespace vmalloc_lint
