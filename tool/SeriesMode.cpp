#include "tool/SeriesMode.h"

#include "matchers/checks/CheckRegistry.h"
#include "matchers/kernel/KernelTree.h"
#include "tool/ArchViews.h"
#include "tool/FileIO.h"
#include "tool/KconfigArch.h"
#include "tool/Maintainers.h"
#include "tool/Options.h"
#include "tool/SeriesText.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/SHA1.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <map>
#include <optional>
#include <set>
#include <sys/stat.h>
#include <tuple>

namespace vmalloc_lint {

namespace fs = llvm::sys::fs;

namespace {

/// Runs Program (found in PATH) with Args in directory Dir (through
/// `env -C DIR`: an argument vector, no shell); stdout and stderr captured.
int runIn(const std::string &Dir, const std::vector<std::string> &Args,
          std::string &Out, std::string &Err) {
  auto Env = llvm::sys::findProgramByName("env");
  if (!Env) {
    Err = "env not found in PATH";
    return -1;
  }
  llvm::SmallString<128> OutFile, ErrFile;
  if (fs::createTemporaryFile("vmalloc-lint-series", "out", OutFile) ||
      fs::createTemporaryFile("vmalloc-lint-series", "err", ErrFile))
    usageError("cannot create a temporary file");
  llvm::FileRemover RemoveOut(OutFile), RemoveErr(ErrFile);
  std::vector<llvm::StringRef> Argv{"env", "-C", Dir};
  for (const std::string &A : Args)
    Argv.push_back(A);
  std::optional<llvm::StringRef> Redirects[] = {llvm::StringRef(),
                                                OutFile.str(), ErrFile.str()};
  std::string ExecErr;
  int RC = llvm::sys::ExecuteAndWait(*Env, Argv, std::nullopt, Redirects, 0, 0,
                                     &ExecErr);
  llvm::ErrorOr<std::string> O = readWholeFile(std::string(OutFile));
  llvm::ErrorOr<std::string> E = readWholeFile(std::string(ErrFile));
  Out = O ? std::move(*O) : "";
  Err = E ? std::move(*E) : ExecErr;
  return RC;
}

int runGitIn(const std::string &Dir, const std::vector<std::string> &Args,
             std::string &Out) {
  std::vector<std::string> A{"git"};
  A.insert(A.end(), Args.begin(), Args.end());
  std::string Err;
  return runIn(Dir, A, Out, Err);
}

std::string trimmed(llvm::StringRef S) { return S.trim().str(); }

std::string relativeTo(const std::string &File, const std::string &Root) {
  if (!Root.empty() && File.size() > Root.size() &&
      File.compare(0, Root.size(), Root) == 0 && File[Root.size()] == '/')
    return File.substr(Root.size() + 1);
  return File;
}

/// "a()", "a() and b()", "a(), b() and c()".
std::string joinNames(const std::vector<std::string> &Names) {
  std::string Out;
  for (size_t I = 0; I < Names.size(); ++I) {
    if (I)
      Out += I + 1 == Names.size() ? " and " : ", ";
    Out += Names[I];
  }
  return Out;
}

std::string gitBlobId(const std::string &Text) {
  llvm::SHA1 H;
  std::string Head = "blob " + std::to_string(Text.size());
  H.update(llvm::StringRef(Head.data(), Head.size() + 1)); // with its NUL
  H.update(Text);
  std::array<uint8_t, 20> D = H.final();
  return llvm::toHex(D, /*LowerCase=*/true);
}

/// A file of the series and what its diff says.
struct SeriesFile {
  const PlannedFile *File;
  std::string Rel;
  std::string Diff; ///< `diff --git` and hunks
  unsigned Added = 0, Removed = 0;
};

struct Patch {
  std::string Section; ///< the MAINTAINERS section ("" none)
  std::vector<SeriesFile> Files;
  std::vector<const Finding *> Findings;
  std::string Prefix, What, Subject, FileName;
  bool Capitalised = false; ///< the subsystem's subjects begin with one
  std::string Body;
  std::vector<std::string> To, Cc;
  std::string Text;       ///< the whole patch file
  std::string Checkpatch; ///< "0 errors, 0 warnings, 0 checks" ...
  std::vector<std::string> CheckpatchMessages;
  bool CheckpatchClean = true;
  std::vector<std::string> BuildNotes;
  bool BuildClean = true;
};

std::string diffstat(const std::vector<const SeriesFile *> &Files) {
  size_t NameWidth = 0, CountWidth = 1;
  unsigned Ins = 0, Del = 0;
  for (const SeriesFile *F : Files) {
    NameWidth = std::max(NameWidth, F->Rel.size());
    CountWidth =
        std::max(CountWidth, std::to_string(F->Added + F->Removed).size());
    Ins += F->Added;
    Del += F->Removed;
  }
  std::string Out;
  for (const SeriesFile *F : Files) {
    unsigned N = F->Added + F->Removed;
    std::string Count = std::to_string(N);
    unsigned Plus = F->Added, Minus = F->Removed;
    if (N > 50) { // git scales the graph to the line
      Plus = (F->Added * 50 + N - 1) / N;
      Minus = (F->Removed * 50 + N - 1) / N;
    }
    Out += " " + F->Rel + std::string(NameWidth - F->Rel.size(), ' ') + " | " +
           std::string(CountWidth - Count.size(), ' ') + Count + " " +
           std::string(Plus, '+') + std::string(Minus, '-') + "\n";
  }
  Out += " " + std::to_string(Files.size()) + " file" +
         (Files.size() == 1 ? "" : "s") + " changed";
  if (Ins || !Del)
    Out += ", " + std::to_string(Ins) + " insertion" + (Ins == 1 ? "" : "s") +
           "(+)";
  if (Del || !Ins)
    Out += ", " + std::to_string(Del) + " deletion" + (Del == 1 ? "" : "s") +
           "(-)";
  Out += "\n";
  return Out;
}

/// git format-patch's file name: the subject's runs of other characters
/// than letters, digits, '.' and '_' made one '-', cut to 52 characters.
std::string patchFileName(unsigned N, const std::string &Subject) {
  std::string S;
  bool Dash = false;
  for (char C : Subject) {
    if (llvm::isAlnum(C) || C == '.' || C == '_') {
      if (Dash && !S.empty())
        S += '-';
      S += C;
      Dash = false;
    } else {
      Dash = true;
    }
  }
  if (S.size() > 52)
    S.resize(52);
  while (!S.empty() && (S.back() == '.' || S.back() == '-'))
    S.pop_back();
  char Num[8];
  std::snprintf(Num, sizeof Num, "%04u", N);
  return std::string(Num) + "-" + S + ".patch";
}

std::string rfc2822Date() {
  std::time_t T = std::time(nullptr);
  std::tm Tm;
  localtime_r(&T, &Tm);
  char Buf[64];
  std::strftime(Buf, sizeof Buf, "%a, %-d %b %Y %H:%M:%S %z", &Tm);
  return Buf;
}

/// "Name <mail>" as a mail header's list, folded as git format-patch does.
std::string addressHeader(const char *Name,
                          const std::vector<std::string> &Addrs) {
  if (Addrs.empty())
    return "";
  std::string Out = std::string(Name) + ": ";
  for (size_t I = 0; I < Addrs.size(); ++I) {
    if (I)
      Out += ",\n    ";
    Out += Addrs[I];
  }
  return Out + "\n";
}

bool nonAscii(const std::string &S) {
  return std::any_of(S.begin(), S.end(),
                     [](char C) { return (unsigned char)C >= 0x80; });
}

/// A MAINTAINERS address without its note ("list@x (moderated for ...)").
std::string bareAddress(const std::string &A) {
  size_t Gt = A.find('>');
  size_t Paren = A.find(" (", Gt == std::string::npos ? 0 : Gt);
  return trimmed(llvm::StringRef(A).substr(0, Paren));
}

void addUnique(std::vector<std::string> &V, const std::string &S) {
  if (!S.empty() && std::find(V.begin(), V.end(), S) == V.end())
    V.push_back(S);
}

/// The identity of From: and Signed-off-by:.
std::string identity(const SeriesRequest &Q, bool Git) {
  if (!Q.Signoff.empty())
    return Q.Signoff;
  std::string Name, Mail;
  if (Git) {
    runGitIn(Q.Root, {"config", "user.name"}, Name);
    runGitIn(Q.Root, {"config", "user.email"}, Mail);
  } else {
    runGitIn(Q.Root, {"config", "--global", "user.name"}, Name);
    runGitIn(Q.Root, {"config", "--global", "user.email"}, Mail);
  }
  Name = trimmed(Name);
  Mail = trimmed(Mail);
  if (Name.empty() || Mail.empty())
    usageError("--series needs an author for From: and Signed-off-by:: give "
               "--signoff 'Name <email>' or set git's user.name and "
               "user.email");
  return Name + " <" + Mail + ">";
}

/// The words of a patch: its subject's what and its body.
struct Words {
  std::string What;
  std::string Body;
  std::vector<const UpstreamCommit *> Cited;
};

std::string fill(std::string T, const std::string &Key,
                 const std::string &Value) {
  for (size_t P; (P = T.find(Key)) != std::string::npos;)
    T.replace(P, Key.size(), Value);
  return T;
}

} // namespace

std::string wrapText(const std::string &Text, unsigned Width) {
  std::string Out;
  llvm::StringRef Rest(Text);
  while (!Rest.empty()) {
    auto [Para, Tail] = Rest.split("\n\n");
    Rest = Tail;
    llvm::SmallVector<llvm::StringRef, 32> Words;
    Para.split(Words, ' ', -1, false);
    std::string Line;
    for (llvm::StringRef W : Words) {
      W = W.trim();
      if (W.empty())
        continue;
      if (!Line.empty() && Line.size() + 1 + W.size() > Width) {
        Out += Line + "\n";
        Line.clear();
      }
      Line += (Line.empty() ? "" : " ") + W.str();
    }
    if (!Line.empty())
      Out += Line + "\n";
    if (!Rest.empty())
      Out += "\n";
  }
  return Out;
}

std::string
seriesSubjectWhat(const std::vector<std::vector<std::string>> &Forms,
                  size_t PrefixLen) {
  // Every choice of one wording per check (a handful of checks, three
  // wordings each). Of those that fit, the one that gives up the fewest
  // steps of detail (the sum of the wordings' ranks), then the longest;
  // none fits: the shortest.
  auto Join = [&](const std::vector<size_t> &Pick) {
    std::string Out;
    for (size_t I = 0; I < Forms.size(); ++I)
      Out += (I == 0                  ? ""
              : I + 1 == Forms.size() ? " and "
                                      : ", ") +
             Forms[I][Pick[I]];
    return Out;
  };
  std::vector<size_t> Pick(Forms.size(), 0);
  std::string Best, Shortest;
  size_t BestRank = 0;
  bool Fits = false;
  while (true) {
    std::string S = Join(Pick);
    size_t Rank = 0;
    for (size_t P : Pick)
      Rank += P;
    bool F = PrefixLen + 2 + S.size() <= MaxSubjectSummary;
    if (F && (!Fits || Rank < BestRank ||
              (Rank == BestRank && S.size() > Best.size()))) {
      Best = S;
      BestRank = Rank;
      Fits = true;
    }
    if (Shortest.empty() || S.size() < Shortest.size())
      Shortest = S;
    size_t I = 0;
    for (; I < Forms.size(); ++I) {
      if (++Pick[I] < Forms[I].size())
        break;
      Pick[I] = 0;
    }
    if (I == Forms.size())
      break;
  }
  return Fits ? Best : Shortest;
}

std::string familySubjectPrefix(const MaintainersEntry &E,
                                const std::vector<std::string> &Rels) {
  for (const std::string &F : E.Files) {
    // "drivers/md/dm*", converted: "drivers/md/dm.*".
    llvm::StringRef Last = llvm::StringRef(F).rsplit('/').second;
    if (!Last.consume_back(".*") || Last.size() < 2 ||
        !llvm::all_of(
            Last, [](char C) { return llvm::isLower(C) || llvm::isDigit(C); }))
      continue;
    std::string Part;
    bool All = !Rels.empty();
    for (const std::string &Rel : Rels) {
      llvm::StringRef Name = llvm::sys::path::stem(Rel);
      All &= maintainersFileMatch(Rel, F) && Name.consume_front(Last) &&
             Name.consume_front("-") && !Name.empty();
      if (All)
        Part = Name.split('-').first.str();
    }
    if (All)
      return Rels.size() == 1 ? (Last + " " + Part).str() : Last.str();
  }
  return "";
}

std::string sectionSubjectPrefix(const std::string &Section) {
  // "KERNEL VIRTUAL MACHINE FOR ARM64 (KVM/arm64)": the subsystem and its
  // part, as their subjects write them ("KVM: arm64").
  llvm::StringRef S = llvm::StringRef(Section).rtrim();
  if (!S.ends_with(")"))
    return "";
  size_t Open = S.rfind('(');
  if (Open == llvm::StringRef::npos)
    return "";
  llvm::StringRef In = S.slice(Open + 1, S.size() - 1);
  auto [Sub, Part] = In.split('/');
  auto IsUpper = [](llvm::StringRef W) {
    return W.size() >= 2 && llvm::all_of(W, [](char C) {
             return llvm::isUpper(C) || llvm::isDigit(C);
           });
  };
  auto IsLower = [](llvm::StringRef W) {
    return !W.empty() && llvm::isLower(W.front()) &&
           llvm::all_of(W, [](char C) {
             return llvm::isLower(C) || llvm::isDigit(C) || C == '-';
           });
  };
  if (!IsUpper(Sub) || !IsLower(Part))
    return "";
  return (Sub + ": " + Part).str();
}

SubjectStyle subjectStyle(const std::vector<std::string> &Subjects) {
  struct Seen {
    unsigned N = 0;
    size_t Newest = 0;
    unsigned Capital = 0;
  };
  std::map<std::string, Seen> Count;
  for (size_t I = 0; I < Subjects.size(); ++I) {
    llvm::StringRef S(Subjects[I]);
    if (S.starts_with("Revert ") || S.starts_with("Merge "))
      continue;
    std::string Prefix;
    while (true) {
      size_t Colon = S.find(": ");
      if (Colon == llvm::StringRef::npos)
        break;
      llvm::StringRef Part = S.substr(0, Colon);
      std::string Joined = fill(Part.str(), ", ", ",");
      if (Joined.empty() || Joined.size() > 32 ||
          llvm::StringRef(Joined).count(' ') > 1 ||
          Joined.find_first_of("\"'`()[]") != std::string::npos)
        break;
      Prefix += (Prefix.empty() ? "" : ": ") + Part.str();
      S = S.substr(Colon + 2);
    }
    if (Prefix.empty() || S.empty())
      continue;
    auto [It, New] = Count.emplace(Prefix, Seen());
    if (New)
      It->second.Newest = I;
    ++It->second.N;
    It->second.Capital += llvm::isUpper(S.front());
  }
  SubjectStyle Best;
  const Seen *B = nullptr;
  for (const auto &[P, N] : Count)
    if (!B || N.N > B->N || (N.N == B->N && N.Newest < B->Newest)) {
      Best.Prefix = P;
      B = &N;
    }
  if (B)
    Best.Capitalised = 2 * B->Capital > B->N;
  return Best;
}

std::string pathSubjectPrefix(const std::string &Rel) {
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  llvm::StringRef(Rel).split(Parts, '/');
  if (!Parts.empty())
    Parts.pop_back(); // the file
  // arch/X/...: the arch; drivers/gpu/drm/X: drm/X; else the deepest
  // directory (drivers/block/drbd: drbd, kernel/bpf: bpf, fs/xfs: xfs),
  // a top one alone (mm, kernel, fs); include/linux/x.h: x.
  if (Parts.size() >= 2 && Parts[0] == "arch")
    return Parts[1].str();
  if (Parts.size() >= 4 && Parts[0] == "drivers" && Parts[1] == "gpu" &&
      Parts[2] == "drm")
    return ("drm/" + Parts[3]).str();
  if (Parts.empty() ||
      (Parts.size() == 2 && Parts[0] == "include" && Parts[1] == "linux"))
    return llvm::sys::path::stem(Rel).str();
  if (Parts.size() == 1 && Parts[0] == "include")
    return llvm::sys::path::stem(Rel).str();
  return Parts.back().str();
}

namespace {

/// What kbuild's runs find in the tree: each file, directory and link (not
/// .git, not the series' own directory), as a path relative to the root,
/// with its size and modification time. A build's additions, changes and
/// removals are found against it and undone (SeriesWriter::build).
struct TreeState {
  struct Entry {
    bool Dir = false;
    uint64_t Size = 0;
    int64_t MTimeNs = 0;
    friend bool operator==(const Entry &A, const Entry &B) {
      return A.Dir == B.Dir && A.Size == B.Size && A.MTimeNs == B.MTimeNs;
    }
  };
  std::map<std::string, Entry> Paths;
};

/// A file's bytes and permissions, kept before the builds: a file git
/// cannot give back (kbuild's own output, which git ignores: include/
/// config/auto.conf, include/generated/utsrelease.h, .missing-syscalls.d;
/// or a tracked file changed before the run).
struct SavedFile {
  std::string Data;
  fs::perms Mode = fs::perms::all_read;
};

/// At most this many bytes of such files are kept (a prepared 6.1 tree's
/// untracked files: 1,772, 8 MB; a tree that is not a git repository, all
/// of it, is not kept).
constexpr uint64_t MaxSavedBytes = 256u << 20;

/// Skip: a directory of the tree (relative) left out.
TreeState treeState(const std::string &Root, const std::string &Skip) {
  TreeState T;
  std::error_code EC;
  // The root itself, as "".
  fs::file_status RootSt;
  if (!fs::status(Root, RootSt)) {
    TreeState::Entry E;
    E.Dir = true;
    E.MTimeNs = std::chrono::duration_cast<std::chrono::nanoseconds>(
                    RootSt.getLastModificationTime().time_since_epoch())
                    .count();
    T.Paths.emplace("", E);
  }
  for (fs::recursive_directory_iterator It(Root, EC, false), End;
       !EC && It != End; It.increment(EC)) {
    std::string Rel = relativeTo(It->path(), Root);
    llvm::ErrorOr<fs::basic_file_status> St = It->status();
    if (!St)
      continue;
    bool Dir = St->type() == fs::file_type::directory_file;
    if (Dir && (Rel == ".git" || Rel == Skip)) {
      It.no_push();
      continue;
    }
    TreeState::Entry E;
    E.Dir = Dir;
    E.Size = Dir ? 0 : St->getSize();
    E.MTimeNs = std::chrono::duration_cast<std::chrono::nanoseconds>(
                    St->getLastModificationTime().time_since_epoch())
                    .count();
    T.Paths.emplace(std::move(Rel), E);
  }
  return T;
}

/// Sets Path's modification time back to MTimeNs (its access time too).
void setModificationTime(const std::string &Path, int64_t MTimeNs) {
  struct timespec Times[2];
  Times[0].tv_sec = Times[1].tv_sec = MTimeNs / 1000000000;
  Times[0].tv_nsec = Times[1].tv_nsec = MTimeNs % 1000000000;
  (void)::utimensat(AT_FDCWD, Path.c_str(), Times, AT_SYMLINK_NOFOLLOW);
}

class SeriesWriter {
public:
  SeriesWriter(const SeriesRequest &Q, const FixPlan &Plan,
               const AnalysisResult &R)
      : Q(Q), Plan(Plan), R(R) {}
  int run();

private:
  const SeriesRequest &Q;
  const FixPlan &Plan;
  const AnalysisResult &R;
  bool Git = false; ///< the tree root is a git work tree's top
  std::string Author;
  std::string Date;
  std::optional<Maintainers> Maint;
  bool HasGetMaintainer = false, HasCheckpatch = false;
  std::vector<SeriesFile> Files;
  std::vector<Patch> Patches;
  std::vector<std::string> CoverNotes;
  /// The cover letter's "Left as they are" block ("" none).
  std::string Left;

  void group();
  void leftSites();
  void describe(Patch &P);
  Words words(const Patch &P);
  std::string citation(const UpstreamCommit &C);
  std::string render(const Patch &P, unsigned N, unsigned M,
                     bool WithAddresses) const;
  void addresses(Patch &P, const std::string &Path);
  void checkpatch(Patch &P, const std::string &Path);
  void build(Patch &P);
  void restoreTree(Patch &P, const TreeState &Was,
                   const std::set<std::string> &DirtyBefore,
                   const std::map<std::string, SavedFile> &Saved,
                   const std::string &Skip);
  std::map<std::string, SavedFile>
  savedFiles(const TreeState &Was, const std::set<std::string> &DirtyBefore,
             const std::string &Skip, const Patch &P);
  std::string cover(unsigned M) const;
};

std::string SeriesWriter::citation(const UpstreamCommit &C) {
  // checkpatch looks every "commit <id>" up in the tree's git history and
  // warns when it is not there: a tree without upstream history gets the
  // title and release, the cover letter the ids.
  bool Known = false;
  if (Git) {
    std::string Out;
    Known =
        runGitIn(Q.Root, {"cat-file", "-e", std::string(C.Id) + "^{commit}"},
                 Out) == 0;
  }
  if (Known)
    return "commit " + std::string(C.Id) + " (\"" + C.Title + "\")";
  return "\"" + std::string(C.Title) + "\"";
}

void SeriesWriter::group() {
  for (const PlannedFile &P : Plan.Files) {
    SeriesFile F;
    F.File = &P;
    F.Rel = relativeTo(P.File, Q.Root);
    FixPlan One;
    One.Files.push_back(P);
    std::string Hunks = unifiedDiff(One, Q.Root);
    llvm::StringRef Rest(Hunks);
    bool Header = true;
    while (!Rest.empty()) {
      auto [L, T] = Rest.split('\n');
      Rest = T;
      if (Header && (L.starts_with("--- ") || L.starts_with("+++ ")))
        continue;
      if (L.starts_with("@@"))
        Header = false;
      else if (L.starts_with("+"))
        ++F.Added;
      else if (L.starts_with("-"))
        ++F.Removed;
    }
    fs::file_status St;
    std::string Mode = "100644";
    if (!fs::status(P.File, St) &&
        (unsigned(St.permissions()) & unsigned(fs::owner_exe)))
      Mode = "100755";
    F.Diff = "diff --git a/" + F.Rel + " b/" + F.Rel + "\nindex " +
             gitBlobId(P.Original).substr(0, 12) + ".." +
             gitBlobId(P.Fixed).substr(0, 12) + " " + Mode + "\n" + Hunks;
    Files.push_back(std::move(F));
  }
  // One patch per most specific MAINTAINERS section, in the order of
  // their first file's path.
  std::map<std::string, size_t> BySection;
  for (SeriesFile &F : Files) {
    std::string Section;
    if (Maint) {
      if (const MaintainersEntry *E = Maint->best(F.Rel))
        Section = E->Name;
    }
    // Without a section: one patch per top directory.
    std::string Key = Section.empty()
                          ? "dir:" + F.Rel.substr(0, F.Rel.find('/'))
                          : "section:" + Section;
    auto [It, New] = BySection.emplace(Key, Patches.size());
    if (New) {
      Patches.push_back({});
      Patches.back().Section = Section;
    }
    Patches[It->second].Files.push_back(F);
  }
  for (Patch &P : Patches) {
    std::set<std::string> Mine;
    for (const SeriesFile &F : P.Files)
      Mine.insert(F.File->File);
    for (const Finding &F : R.Findings) {
      if (!F.Fix)
        continue;
      bool In = std::any_of(
          F.Fix->Edits.begin(), F.Fix->Edits.end(),
          [&](const TextEdit &E) { return Mine.count(E.File) != 0; });
      if (In)
        P.Findings.push_back(&F);
    }
  }
}

Words SeriesWriter::words(const Patch &P) {
  Words W;
  // The checks of the patch in registry order, each with its callees and
  // its replaced and replacing texts.
  std::vector<std::vector<std::string>> Whats;
  std::string Why, What;
  for (const CheckRow &Row : checkRegistry()) {
    const SeriesText *T = seriesText(Row.Name);
    // The findings' class wording (SeriesClassText), or nullptr: the
    // check's own.
    auto ClassText = [&](const Finding *F) -> const SeriesClassText * {
      for (const SeriesClassText &C : T->Classes)
        if (F->Class == C.Class)
          return &C;
      return nullptr;
    };
    std::vector<std::string> Callees, Olds, News;
    // Collects the callees and texts of the row's findings that Keep.
    auto Collect = [&](auto Keep) {
      Callees.clear();
      Olds.clear();
      News.clear();
      for (const Finding *F : P.Findings) {
        if (F->Check != Row.Name || !Keep(F))
          continue;
        if (!F->Callee.empty())
          addUnique(Callees, F->Callee + "()");
        for (const TextEdit &E : F->Fix->Edits) {
          auto It = std::find_if(
              P.Files.begin(), P.Files.end(),
              [&](const SeriesFile &S) { return S.File->File == E.File; });
          if (It == P.Files.end() || E.Text.empty())
            continue;
          std::string Old = It->File->Original.substr(E.Offset, E.Length);
          if (llvm::StringRef(Old).find_first_of(" \t\n|") ==
                  llvm::StringRef::npos &&
              !Old.empty()) {
            addUnique(Olds, Old + "()");
            addUnique(News, E.Text + "()");
          }
        }
      }
    };
    if (!T ||
        std::none_of(P.Findings.begin(), P.Findings.end(),
                     [&](const Finding *F) { return F->Check == Row.Name; }))
      continue;
    Collect([](const Finding *) { return true; });
    auto Fill = [&](std::string S) {
      S = fill(S, "{callees}",
               Callees.empty() ? std::string("vmalloc calls")
                               : joinNames(Callees));
      S = fill(S, "{old}",
               Olds.empty() ? "the linear-map helper" : joinNames(Olds));
      S = fill(S, "{new}",
               News.empty() ? "the vmalloc helper" : joinNames(News));
      for (size_t I = 0; I < T->Commits.size(); ++I)
        S = fill(S, "{commit" + std::to_string(I) + "}",
                 citation(T->Commits[I]));
      return S;
    };
    // The check's wordings for the subject, longest first: the callees
    // named ("from __vmalloc() and __vmalloc_node_range()" is too long for
    // a subject line: the body names them), their family, the short form.
    std::vector<std::string> Forms;
    std::string Subject = Fill(T->Subject);
    if (Subject.size() <= 60 || !*T->Family)
      Forms.push_back(Subject);
    if (*T->Family) {
      std::vector<std::string> Named = std::move(Callees);
      Callees = {T->Family};
      addUnique(Forms, Fill(T->Subject));
      Callees = std::move(Named);
    }
    addUnique(Forms, Fill(T->Short));
    Whats.push_back(std::move(Forms));
    // The body: the check's words for its findings of no class of its
    // own, then each class's for those of that class, each with its own
    // callees.
    std::string Para, Does;
    auto Add = [&](const char *Y, const char *D) {
      Para += (Para.empty() ? "" : " ") + Fill(Y);
      Does += (Does.empty() ? "" : " ") + Fill(D);
    };
    auto Mine = [&](const Finding *F) { return F->Check == Row.Name; };
    bool Own =
        std::any_of(P.Findings.begin(), P.Findings.end(),
                    [&](const Finding *F) { return Mine(F) && !ClassText(F); });
    if (Own) {
      Collect([&](const Finding *F) { return !ClassText(F); });
      Add(T->Why, T->What);
    }
    for (const SeriesClassText &C : T->Classes) {
      auto Of = [&](const Finding *F) { return ClassText(F) == &C; };
      if (std::none_of(P.Findings.begin(), P.Findings.end(),
                       [&](const Finding *F) { return Mine(F) && Of(F); }))
        continue;
      Collect(Of);
      Add(Own ? C.WhyWithOwn : C.Why, C.What);
    }
    Why += (Why.empty() ? "" : "\n\n") + Para;
    What += (What.empty() ? "" : " ") + Does;
    for (const UpstreamCommit &C : T->Commits)
      if (std::find(W.Cited.begin(), W.Cited.end(), &C) == W.Cited.end())
        W.Cited.push_back(&C);
  }
  W.What = Whats.empty() ? "apply vmalloc-lint fixes"
                         : seriesSubjectWhat(Whats, P.Prefix.size());
  W.Body = Why + "\n\n" + What;
  return W;
}

void SeriesWriter::describe(Patch &P) {
  std::vector<std::string> Rels;
  for (const SeriesFile &F : P.Files)
    Rels.push_back(F.Rel);
  if (Git) {
    // %P: a root commit (an import of the whole tree) says nothing of the
    // subsystem's style.
    std::vector<std::string> Args{"log", "--no-merges",       "-n",
                                  "50",  "--format=%P%x09%s", "--"};
    Args.insert(Args.end(), Rels.begin(), Rels.end());
    std::string Out;
    if (runGitIn(Q.Root, Args, Out) == 0) {
      std::vector<std::string> Subjects;
      llvm::SmallVector<llvm::StringRef, 64> Lines;
      llvm::StringRef(Out).split(Lines, '\n', -1, false);
      for (llvm::StringRef L : Lines) {
        auto [Parents, Subject] = L.split('\t');
        if (!Parents.trim().empty())
          Subjects.push_back(Subject.str());
      }
      SubjectStyle St = subjectStyle(Subjects);
      P.Prefix = St.Prefix;
      P.Capitalised = St.Capitalised;
    }
  }
  if (P.Prefix.empty())
    P.Prefix = sectionSubjectPrefix(P.Section);
  if (P.Prefix.empty() && Maint && !P.Section.empty())
    for (const MaintainersEntry &E : Maint->entries())
      if (E.Name == P.Section) {
        P.Prefix = familySubjectPrefix(E, Rels);
        break;
      }
  if (P.Prefix.empty()) {
    // The common directory of the files.
    std::string Dir = Rels.front().substr(0, Rels.front().rfind('/') + 1);
    for (const std::string &Rel : Rels)
      while (!Dir.empty() && Rel.compare(0, Dir.size(), Dir) != 0) {
        Dir.pop_back();
        Dir = Dir.substr(0, Dir.rfind('/') + 1);
      }
    P.Prefix = Rels.size() == 1 ? pathSubjectPrefix(Rels.front())
                                : pathSubjectPrefix(Dir + "x");
    if (Rels.size() > 1 && P.Prefix == "x")
      P.Prefix = "treewide";
  }
  Words W = words(P);
  P.What = W.What;
  P.Body = wrapText(W.Body, 72);
}

std::string SeriesWriter::render(const Patch &P, unsigned N, unsigned M,
                                 bool WithAddresses) const {
  std::string Out = "From 0000000000000000000000000000000000000000 Mon Sep "
                    "17 00:00:00 2001\n";
  Out += "From: " + Author + "\n";
  Out += "Date: " + Date + "\n";
  Out += "Subject: [PATCH " + std::to_string(N) + "/" + std::to_string(M) +
         "] " + P.Subject + "\n";
  if (WithAddresses) {
    Out += addressHeader("To", P.To);
    Out += addressHeader("Cc", P.Cc);
  }
  std::vector<const SeriesFile *> Fs;
  std::string Diffs;
  for (const SeriesFile &F : P.Files) {
    Fs.push_back(&F);
    Diffs += F.Diff;
  }
  std::string Rest = "\n" + P.Body + "\nSigned-off-by: " + Author + "\n---\n" +
                     diffstat(Fs) + "\n" + Diffs + "-- \nvmalloc-lint\n";
  if (nonAscii(Out) || nonAscii(Rest))
    Out += "MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n"
           "Content-Transfer-Encoding: 8bit\n";
  return Out + Rest;
}

void SeriesWriter::addresses(Patch &P, const std::string &Path) {
  if (HasGetMaintainer) {
    // The tree's own script, offline: no git history, roles kept to tell
    // maintainers (To) from reviewers and lists (Cc).
    // --no-tree only where the script says the root is not a kernel tree
    // (older scripts do not know the option).
    std::string Out, Err;
    std::vector<std::string> Args{"perl",     "scripts/get_maintainer.pl",
                                  "--no-git", "--no-git-fallback",
                                  "--roles",  Path};
    int RC = runIn(Q.Root, Args, Out, Err);
    if (RC != 0) {
      Args.insert(Args.end() - 1, "--no-tree");
      RC = runIn(Q.Root, Args, Out, Err);
    }
    if (RC == 0) {
      llvm::SmallVector<llvm::StringRef, 16> Lines;
      llvm::StringRef(Out).split(Lines, '\n', -1, false);
      for (llvm::StringRef L : Lines) {
        size_t Gt = L.find('>');
        size_t Paren = L.find(" (", Gt == llvm::StringRef::npos ? 0 : Gt);
        std::string Addr = trimmed(L.substr(0, Paren));
        llvm::StringRef Role =
            Paren == llvm::StringRef::npos ? "" : L.substr(Paren + 2);
        bool Maintainer =
            Role.starts_with("maintainer") || Role.starts_with("supporter") ||
            Role.starts_with("odd fixer") || Role.starts_with("chief penguin");
        addUnique(Maintainer ? P.To : P.Cc, Addr);
      }
      return;
    }
    CoverNotes.push_back("scripts/get_maintainer.pl failed on " +
                         llvm::sys::path::filename(Path).str() + " (" +
                         trimmed(llvm::StringRef(Err).split('\n').first) +
                         "): To/Cc from MAINTAINERS");
  }
  if (!Maint)
    return;
  // get_maintainer.pl's choice without the script: every matching
  // section, deepest first; maintainers To, reviewers and lists Cc; the
  // script's @penguin_chief (Linus Torvalds, THE REST's maintainer) left
  // out, as it does without --git-chief-penguins.
  for (const SeriesFile &F : P.Files)
    for (const MaintainersMatch &Mm : Maint->match(F.Rel)) {
      const MaintainersEntry &E = Maint->entries()[Mm.Entry];
      for (const std::string &A : E.Maintainers)
        if (bareAddress(A) != "Linus Torvalds <torvalds@linux-foundation.org>")
          addUnique(P.To, bareAddress(A));
      for (const std::string &A : E.Reviewers)
        addUnique(P.Cc, bareAddress(A));
      for (const std::string &A : E.Lists)
        addUnique(P.Cc, bareAddress(A));
    }
}

/// The patch undone: its hunks with '+' and '-' swapped, so that
/// checkpatch reports what the lines were before the patch.
std::string reversedPatch(llvm::StringRef Text) {
  std::string Out;
  bool InDiff = false;
  for (llvm::StringRef L : llvm::split(Text, '\n')) {
    if (L.starts_with("diff --git "))
      InDiff = true;
    if (!InDiff || L.starts_with("--- ") || L.starts_with("+++ ")) {
      Out += L.str() + "\n";
      continue;
    }
    if (L.starts_with("@@ -")) {
      // @@ -A +B @@ -> @@ -B +A @@
      llvm::StringRef Rest = L.drop_front(4);
      auto [Old, Tail] = Rest.split(" +");
      auto [New, After] = Tail.split(" @@");
      Out += ("@@ -" + New + " +" + Old + " @@" + After).str() + "\n";
      continue;
    }
    if (L.starts_with("+"))
      Out += "-" + L.drop_front().str() + "\n";
    else if (L.starts_with("-"))
      Out += "+" + L.drop_front().str() + "\n";
    else
      Out += L.str() + "\n";
  }
  return Out;
}

/// checkpatch's report: the totals and each message as "TYPE: text"
/// (--show-types), in order.
struct CheckpatchReport {
  std::string Totals; ///< "N errors, N warnings, N checks" ("" if none)
  std::vector<std::pair<std::string, std::string>> Messages; ///< type, line
  std::string Err;
};

CheckpatchReport runCheckpatch(const std::string &Root,
                               const std::string &Path) {
  CheckpatchReport R;
  std::string Out, Err;
  std::vector<std::string> Args{"perl", "scripts/checkpatch.pl", "--strict",
                                "--show-types", Path};
  runIn(Root, Args, Out, Err);
  // A tree without all of a kernel's top files (checkpatch's
  // top_of_kernel_tree) is checked without its tree checks.
  if (llvm::StringRef(Out + Err).contains(
          "Must be run from the top-level dir")) {
    Args.insert(Args.end() - 1, "--no-tree");
    runIn(Root, Args, Out, Err);
  }
  // "ERROR:TYPE: ...", "WARNING:TYPE: ...", "CHECK:TYPE: ..." lines, then
  // "total: N errors, N warnings, N checks, N lines checked".
  for (llvm::StringRef L : llvm::split(llvm::StringRef(Out), '\n')) {
    if (L.starts_with("total: ")) {
      llvm::SmallVector<llvm::StringRef, 4> Parts;
      L.drop_front(7).split(Parts, ", ");
      if (Parts.size() >= 3)
        R.Totals = (Parts[0] + ", " + Parts[1] + ", " + Parts[2]).str();
      continue;
    }
    for (llvm::StringRef Sev : {"ERROR:", "WARNING:", "CHECK:"})
      if (L.starts_with(Sev)) {
        llvm::StringRef Rest = L.drop_front(Sev.size());
        auto [Type, Msg] = Rest.split(": ");
        R.Messages.push_back(
            {Type.str(), (Sev.drop_back() + ": " + Msg).str()});
      }
  }
  R.Err = trimmed(llvm::StringRef(Err).split('\n').first);
  return R;
}

void SeriesWriter::checkpatch(Patch &P, const std::string &Path) {
  CheckpatchReport R = runCheckpatch(Q.Root, Path);
  if (R.Totals.empty()) {
    P.Checkpatch = "did not run (" + R.Err + ")";
    P.CheckpatchClean = false;
    return;
  }
  P.Checkpatch = R.Totals;
  if (R.Messages.empty())
    return;
  // What checkpatch says of the lines as they were: a message of the same
  // type there is not the fix's doing (a line already over the length
  // limit, an alignment the file already had).
  std::multiset<std::string> Before;
  std::string ReversedPath = Path + ".reversed";
  std::string Err;
  if (writeFile(ReversedPath, reversedPatch(P.Text), Err)) {
    for (const auto &[Type, Msg] : runCheckpatch(Q.Root, ReversedPath).Messages)
      Before.insert(Type);
    fs::remove(ReversedPath);
  }
  P.CheckpatchClean = true;
  for (const auto &[Type, Msg] : R.Messages) {
    auto It = Before.find(Type);
    if (It != Before.end()) {
      Before.erase(It);
      P.CheckpatchMessages.push_back(Msg + " (" + Type +
                                     ": the lines had it before the fix)");
      continue;
    }
    P.CheckpatchClean = false;
    P.CheckpatchMessages.push_back(Msg + " (" + Type + ")");
  }
}

/// The warnings of a kbuild run's output, one line each without its line
/// and column: "file: warning: text [-Wflag]".
std::multiset<std::string> warnings(llvm::StringRef Out) {
  std::multiset<std::string> W;
  llvm::SmallVector<llvm::StringRef, 64> Lines;
  Out.split(Lines, '\n', -1, false);
  for (llvm::StringRef L : Lines) {
    size_t At = L.find(": warning: ");
    if (At == llvm::StringRef::npos)
      continue;
    llvm::StringRef Where = L.substr(0, At);
    std::string File = Where.split(':').first.str();
    W.insert(File + ": " + L.substr(At + 2).str());
  }
  return W;
}

/// How Header (relative to the root) is included: <linux/x.h> for
/// include/linux/x.h and arch/*/include/..., else "" (a header beside its
/// .c files is included by its own name).
std::string includeName(const std::string &Rel) {
  llvm::StringRef R(Rel);
  if (R.consume_front("include/"))
    return R.str();
  size_t At = R.find("/include/");
  if (R.starts_with("arch/") && At != llvm::StringRef::npos)
    return R.substr(At + 9).str();
  return "";
}

/// The first line of kbuild's output that says what failed.
std::string firstError(llvm::StringRef Out) {
  for (llvm::StringRef L : llvm::split(Out, '\n'))
    if (L.contains("error:") || L.contains("Error ") ||
        L.contains("No rule to make target"))
      return L.trim().str();
  return "";
}

std::map<std::string, SavedFile>
SeriesWriter::savedFiles(const TreeState &Was,
                         const std::set<std::string> &DirtyBefore,
                         const std::string &Skip, const Patch &P) {
  // The files git has no clean copy of: untracked ones (ignored too: git
  // ls-files --others without --exclude-standard) and tracked ones changed
  // before the run. The patch's own files are written back anyway.
  std::map<std::string, SavedFile> Saved;
  if (!Git)
    return Saved;
  std::string Out;
  if (runGitIn(Q.Root, {"ls-files", "--others", "-z"}, Out) != 0)
    return Saved;
  std::vector<std::string> Rels(DirtyBefore.begin(), DirtyBefore.end());
  for (llvm::StringRef F : llvm::split(Out, '\0'))
    if (!F.empty())
      Rels.push_back(F.str());
  std::set<std::string> Own;
  for (const SeriesFile &F : P.Files)
    Own.insert(F.Rel);
  uint64_t Bytes = 0;
  for (const std::string &Rel : Rels) {
    auto It = Was.Paths.find(Rel);
    if (Own.count(Rel) || It == Was.Paths.end() || It->second.Dir ||
        (!Skip.empty() && llvm::StringRef(Rel).starts_with(Skip + "/")))
      continue;
    std::string Path = Q.Root + "/" + Rel;
    fs::file_status St;
    if (fs::status(Path, St, /*Follow=*/false) || !fs::is_regular_file(St))
      continue;
    if (Bytes + St.getSize() > MaxSavedBytes)
      break;
    std::string Err;
    SavedFile S;
    S.Data = readWholeFile(Path, Err);
    if (!Err.empty())
      continue;
    S.Mode = St.permissions();
    Bytes += S.Data.size();
    Saved.emplace(Rel, std::move(S));
  }
  return Saved;
}

void SeriesWriter::restoreTree(Patch &P, const TreeState &Was,
                               const std::set<std::string> &DirtyBefore,
                               const std::map<std::string, SavedFile> &Saved,
                               const std::string &Skip) {
  TreeState Now = treeState(Q.Root, Skip);
  std::set<std::string> Own;
  for (const SeriesFile &F : P.Files)
    Own.insert(F.Rel);
  // Added: removed, files first, then the directories deepest first.
  std::vector<std::string> NewDirs;
  unsigned Removed = 0;
  for (const auto &[Rel, E] : Now.Paths) {
    if (Was.Paths.count(Rel))
      continue;
    if (E.Dir) {
      NewDirs.push_back(Rel);
    } else if (!fs::remove(Q.Root + "/" + Rel)) {
      ++Removed;
    }
  }
  std::sort(NewDirs.rbegin(), NewDirs.rend());
  for (const std::string &D : NewDirs)
    (void)fs::remove(Q.Root + "/" + D);
  // Changed or removed: back from git when it can say what they were.
  std::vector<std::string> Changed;
  for (const auto &[Rel, E] : Was.Paths) {
    if (E.Dir)
      continue;
    auto It = Now.Paths.find(Rel);
    if (It != Now.Paths.end() && It->second == E)
      continue;
    if (Own.count(Rel)) {
      // Written back as it was: only its time is new.
      setModificationTime(Q.Root + "/" + Rel, E.MTimeNs);
      continue;
    }
    Changed.push_back(Rel);
  }
  std::vector<std::string> Restored, Left, Copied;
  for (const std::string &Rel : Changed) {
    auto It = Saved.find(Rel);
    if (It == Saved.end())
      continue;
    std::string Path = Q.Root + "/" + Rel, Err;
    // kbuild may have put a link or nothing there.
    fs::file_status St;
    if (!fs::status(Path, St, /*Follow=*/false) && !fs::is_regular_file(St))
      (void)fs::remove(Path);
    if (!writeFile(Path, It->second.Data, Err))
      continue;
    (void)fs::setPermissions(Path, It->second.Mode);
    setModificationTime(Path, Was.Paths.at(Rel).MTimeNs);
    Copied.push_back(Rel);
  }
  Changed.erase(std::remove_if(Changed.begin(), Changed.end(),
                               [&](const std::string &Rel) {
                                 return std::find(Copied.begin(), Copied.end(),
                                                  Rel) != Copied.end();
                               }),
                Changed.end());
  if (Git && !Changed.empty()) {
    std::vector<std::string> Tracked;
    std::set<std::string> InGit;
    std::string Out;
    std::vector<std::string> Args{"ls-files", "-z", "--"};
    for (const std::string &Rel : Changed)
      if (!DirtyBefore.count(Rel))
        Args.push_back(Rel);
    if (Args.size() > 3 && runGitIn(Q.Root, Args, Out) == 0)
      for (llvm::StringRef F : llvm::split(Out, '\0'))
        if (!F.empty())
          InGit.insert(F.str());
    std::vector<std::string> Checkout{"checkout", "--"};
    for (const std::string &Rel : Changed)
      if (InGit.count(Rel))
        Checkout.push_back(Rel);
    std::string Ignored;
    if (Checkout.size() > 2 && runGitIn(Q.Root, Checkout, Ignored) == 0)
      for (size_t I = 2; I < Checkout.size(); ++I) {
        setModificationTime(Q.Root + "/" + Checkout[I],
                            Was.Paths.at(Checkout[I]).MTimeNs);
        Restored.push_back(Checkout[I]);
      }
  }
  for (const std::string &Rel : Changed)
    if (std::find(Restored.begin(), Restored.end(), Rel) == Restored.end())
      Left.push_back(Rel);
  std::string Note = "tree put back: " + std::to_string(Removed) + " file" +
                     (Removed == 1 ? "" : "s") + " kbuild added removed, " +
                     std::to_string(Restored.size()) + " it changed restored " +
                     "from git";
  if (!Copied.empty())
    Note += ", " + std::to_string(Copied.size()) +
            " that git does not track restored from a copy taken before the "
            "build";
  if (!Left.empty()) {
    Note += "; " + std::to_string(Left.size()) +
            " changed that the tool cannot restore (no git copy of them):";
    for (size_t I = 0; I < Left.size() && I < 5; ++I)
      Note += " " + Left[I];
    if (Left.size() > 5)
      Note += " ...";
  }
  P.BuildNotes.push_back(Note);
  // The directories (the root's is "") whose entries kbuild added or
  // removed, and that the removals above changed again: their old
  // modification times, after every file is back.
  for (const auto &[Rel, E] : Was.Paths)
    if (E.Dir)
      setModificationTime(Rel.empty() ? Q.Root : Q.Root + "/" + Rel, E.MTimeNs);
}

void SeriesWriter::build(Patch &P) {
  if (!fs::exists(Q.Root + "/.config")) {
    P.BuildNotes.push_back("not built: the tree has no .config");
    return;
  }
  // The objects to build: the patch's .c files, and for a header the
  // analysed .c files that include it by name.
  std::vector<std::string> Targets;
  for (const SeriesFile &F : P.Files) {
    if (llvm::StringRef(F.Rel).ends_with(".c")) {
      addUnique(Targets, F.Rel);
      continue;
    }
    std::string Name = includeName(F.Rel);
    std::vector<std::string> Users;
    for (const std::string &U : Q.Units) {
      std::string Rel = relativeTo(U, Q.Root);
      if (Name.empty() || !llvm::StringRef(Rel).ends_with(".c"))
        continue;
      std::string Err;
      std::string Text = readWholeFile(U, Err);
      if (llvm::StringRef(Text).contains("<" + Name + ">"))
        Users.push_back(Rel);
    }
    if (Users.empty())
      P.BuildNotes.push_back(F.Rel +
                             ": not built (a header no analysed .c file "
                             "includes by name)");
    for (const std::string &U : Users)
      addUnique(Targets, U);
  }
  // A file of another arch with a prepared view (tool/ArchViews.h) is
  // built in that view: its arch's defconfig, kbuild's output in the
  // view's directory, the sources (the fixed file too) through its farm.
  auto ViewOf = [&](std::string Rel) -> const ArchView * {
    if (llvm::StringRef(Rel).ends_with(".o"))
      Rel.back() = 'c';
    std::optional<KernelTree> T = findKernelTree(Q.Root + "/" + Rel);
    const ArchView *V =
        T ? archView(*T, unitArch(*T, Q.Root + "/" + Rel)) : nullptr;
    return V && V->Ready ? V : nullptr;
  };
  auto Make = [&](const std::string &Obj, std::string &Out) {
    std::string StdOut, StdErr;
    std::vector<std::string> Args{"make", Obj};
    if (const ArchView *V = ViewOf(Obj))
      Args = {
          "make",           "-C", V->SourceView, "ARCH=" + V->Arch, "LLVM=-19",
          "O=" + V->ObjDir, Obj};
    int RC = runIn(Q.Root, Args, StdOut, StdErr);
    Out = StdOut + StdErr;
    return RC;
  };
  auto Write = [&](bool Fixed) {
    for (const SeriesFile &F : P.Files) {
      std::string Err;
      if (!writeFile(F.File->File, Fixed ? F.File->Fixed : F.File->Original,
                     Err))
        usageError("--series-build: " + Err);
    }
  };
  // The fixed files in place, each target built; then the originals back,
  // each target built again: both compile (kbuild sees a change each
  // time). Then the tree is put back as it was: what kbuild added is
  // removed, what it changed or removed is restored from git (a tracked
  // file that was clean before), with its old modification time, and the
  // patch's own files get theirs back.
  // The series' directory, when it is in the tree, as a path in it.
  std::string Skip =
      relativeTo(realAbsolutePath(Q.Dir), realAbsolutePath(Q.Root));
  TreeState Was = treeState(Q.Root, Skip);
  std::set<std::string> DirtyBefore;
  if (Git) {
    std::string Out;
    runGitIn(Q.Root, {"diff", "--name-only", "-z"}, Out);
    for (llvm::StringRef F : llvm::split(Out, '\0'))
      if (!F.empty())
        DirtyBefore.insert(F.str());
  }
  std::map<std::string, SavedFile> Saved =
      savedFiles(Was, DirtyBefore, Skip, P);
  std::map<std::string, std::pair<int, std::string>> After, Before;
  Write(true);
  for (const std::string &T : Targets) {
    std::string Obj = T.substr(0, T.size() - 2) + ".o";
    After[T].first = Make(Obj, After[T].second);
  }
  Write(false);
  for (const std::string &T : Targets) {
    std::string Obj = T.substr(0, T.size() - 2) + ".o";
    Before[T].first = Make(Obj, Before[T].second);
  }
  restoreTree(P, Was, DirtyBefore, Saved, Skip);
  // How the notes name each build: "make ARCH=arm64 ... (the arm64 view)".
  auto makeName = [&](const std::string &Obj) {
    if (const ArchView *V = ViewOf(Obj))
      return "make ARCH=" + V->Arch + " LLVM=-19 " + Obj + " (in the " +
             V->Arch + " defconfig view)";
    return "make " + Obj;
  };
  for (const std::string &T : Targets) {
    std::string Obj = T.substr(0, T.size() - 2) + ".o";
    const auto &[AfterRC, AfterOut] = After[T];
    const auto &[BeforeRC, BeforeOut] = Before[T];
    if (AfterRC != 0) {
      std::string First = firstError(AfterOut);
      if (BeforeRC != 0) {
        P.BuildNotes.push_back(
            makeName(Obj) +
            ": fails with and without the fix (not built in this "
            "configuration)" +
            (First.empty() ? "" : ": " + First));
        continue;
      }
      P.BuildClean = false;
      P.BuildNotes.push_back(makeName(Obj) + ": fails with the fix" +
                             (First.empty() ? "" : ": " + First));
      continue;
    }
    std::multiset<std::string> Old = warnings(BeforeOut),
                               New = warnings(AfterOut);
    std::vector<std::string> Added;
    for (const std::string &W : New) {
      auto It = Old.find(W);
      if (It != Old.end())
        Old.erase(It);
      else
        Added.push_back(W);
    }
    if (Added.empty()) {
      P.BuildNotes.push_back(makeName(Obj) + ": built, no new warning");
    } else {
      P.BuildClean = false;
      for (const std::string &W : Added)
        P.BuildNotes.push_back(makeName(Obj) + ": new warning: " + W);
    }
  }
}

std::string SeriesWriter::cover(unsigned M) const {
  std::set<std::string> Checks;
  std::string Sections;
  std::vector<std::string> To, Cc;
  for (const Patch &P : Patches) {
    for (const Finding *F : P.Findings)
      Checks.insert(F->Check);
    for (const std::string &A : P.To)
      addUnique(To, A);
  }
  for (const Patch &P : Patches)
    for (const std::string &A : P.Cc)
      if (std::find(To.begin(), To.end(), A) == To.end())
        addUnique(Cc, A);
  std::string What =
      Patches.size() == 1 ? Patches.front().What : Patches.front().What;
  bool Same = std::all_of(Patches.begin(), Patches.end(), [&](const Patch &P) {
    return P.What == Patches.front().What;
  });
  std::string Subject = Patches.size() == 1 ? Patches.front().Subject
                        : Same              ? "treewide: " + What
                                            : "treewide: vmalloc API fixes";
  std::string Out = "From 0000000000000000000000000000000000000000 Mon Sep "
                    "17 00:00:00 2001\n";
  Out += "From: " + Author + "\n";
  Out += "Date: " + Date + "\n";
  Out += "Subject: [PATCH 0/" + std::to_string(M) + "] " + Subject + "\n";
  Out += addressHeader("To", To);
  Out += addressHeader("Cc", Cc);
  std::string Body;
  Body += "This series applies the fixes of vmalloc-lint's ";
  std::vector<std::string> Cs(Checks.begin(), Checks.end());
  Body += joinNames(Cs) + " check" + (Cs.size() == 1 ? "" : "s") +
          " (kernel rules " + Q.Rules +
          "), one patch per MAINTAINERS "
          "section.";
  std::string Text = wrapText(Body, 72) + "\n";
  // The upstream changes behind the rules, by id.
  std::vector<const UpstreamCommit *> Cited;
  for (const std::string &C : Cs)
    if (const SeriesText *T = seriesText(C))
      for (const UpstreamCommit &U : T->Commits)
        if (std::none_of(Cited.begin(), Cited.end(),
                         [&](const UpstreamCommit *C) {
                           return llvm::StringRef(C->Id) == U.Id;
                         }))
          Cited.push_back(&U);
  if (!Cited.empty()) {
    Text += "Upstream changes the patches rely on:\n";
    for (const UpstreamCommit *U : Cited)
      Text += "  " + std::string(U->Id) + " (\"" + U->Title + "\", " +
              "Linux " + U->Release + ")\n";
    Text += "\n";
  }
  Text += "Patches:\n";
  for (size_t I = 0; I < Patches.size(); ++I) {
    const Patch &P = Patches[I];
    Text += "  " + std::to_string(I + 1) + "/" + std::to_string(M) + " " +
            P.Subject + "\n";
    Text += "      " +
            (P.Section.empty() ? std::string("(no MAINTAINERS "
                                             "section)")
                               : P.Section) +
            "\n";
    if (!P.Checkpatch.empty())
      Text += "      checkpatch --strict: " + P.Checkpatch + "\n";
    for (const std::string &Msg : P.CheckpatchMessages)
      Text += "        " + Msg + "\n";
    for (const std::string &B : P.BuildNotes)
      Text += "      " + B + "\n";
  }
  Text += "\n";
  Text += Left;
  for (const std::string &N : CoverNotes)
    Text += wrapText(N, 72);
  if (!CoverNotes.empty())
    Text += "\n";
  Text += "Made with:\n  " + Q.Command + "\n\n";
  std::string Who = Author.substr(0, Author.find(" <"));
  Text += Who + " (" + std::to_string(Patches.size()) + "):\n";
  for (const Patch &P : Patches)
    Text += "  " + P.Subject + "\n";
  Text += "\n";
  std::vector<const SeriesFile *> All;
  for (const Patch &P : Patches)
    for (const SeriesFile &F : P.Files)
      All.push_back(&F);
  std::sort(
      All.begin(), All.end(),
      [](const SeriesFile *A, const SeriesFile *B) { return A->Rel < B->Rel; });
  Text += diffstat(All) + "\n-- \nvmalloc-lint\n";
  if (nonAscii(Out) || nonAscii(Text))
    Out += "MIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n"
           "Content-Transfer-Encoding: 8bit\n";
  return Out + "\n" + Text;
}

/// "4.11" -> 4 * 1000 + 11; 0 if it is not a version.
unsigned versionNumber(llvm::StringRef V) {
  auto [Major, Minor] = V.split('.');
  unsigned A = 0, B = 0;
  if (Major.getAsInteger(10, A) ||
      Minor.take_while(llvm::isDigit).getAsInteger(10, B))
    return 0;
  return A * 1000 + B;
}

void SeriesWriter::leftSites() {
  // The allocator's own calls that pass __GFP_HIGHMEM (census class
  // allocator-internal: never findings). Upstream dropped mm/vmalloc.c's
  // in 19809c2da28a itself, the change that made __vmalloc_area_node()
  // add the flag: whether it is redundant there is the allocator's code,
  // not a caller's fix (docs/series.md). The series says which it leaves.
  bool Highmem = false;
  for (const Patch &P : Patches)
    for (const Finding *F : P.Findings)
      Highmem |= F->Check == "vmalloc-redundant-highmem";
  const SeriesText *T = seriesText("vmalloc-redundant-highmem");
  if (!Highmem || !T || T->Commits.empty())
    return;
  std::vector<std::pair<SourcePoint, std::string>> Sites;
  for (const CallSite &S : R.Sites) {
    if (S.Class != "allocator-internal" || !S.Where.valid())
      continue;
    llvm::StringRef G(S.GfpText);
    bool Named = false;
    for (size_t At = G.find("__GFP_HIGHMEM"); At != llvm::StringRef::npos;
         At = G.find("__GFP_HIGHMEM", At + 1)) {
      size_t End = At + strlen("__GFP_HIGHMEM");
      auto Ident = [](char C) { return llvm::isAlnum(C) || C == '_'; };
      if ((At == 0 || !Ident(G[At - 1])) && (End == G.size() || !Ident(G[End])))
        Named = true;
    }
    std::string Rel = relativeTo(S.Where.File, Q.Root);
    if (!Named || llvm::StringRef(Rel).starts_with(".."))
      continue;
    SourcePoint W = S.Where;
    W.File = Rel;
    if (std::none_of(Sites.begin(), Sites.end(), [&](const auto &E) {
          return E.first.File == W.File && E.first.Line == W.Line;
        }))
      Sites.emplace_back(W, S.Function);
  }
  if (Sites.empty())
    return;
  std::sort(Sites.begin(), Sites.end(), [](const auto &A, const auto &B) {
    return std::tie(A.first.File, A.first.Line) <
           std::tie(B.first.File, B.first.Line);
  });
  const UpstreamCommit &C = T->Commits.front();
  std::string N = std::to_string(Sites.size());
  Left = wrapText("Left as they are: " + N + " call" +
                      (Sites.size() == 1 ? "" : "s") +
                      " of the allocator's own definitions pass "
                      "__GFP_HIGHMEM (census class allocator-internal):",
                  72);
  for (const auto &[W, Fn] : Sites)
    Left += "  " + W.File + ":" + std::to_string(W.Line) +
            (Fn.empty() ? "" : " " + Fn + "()") + "\n";
  std::string Why =
      "Whether the flag is redundant there depends on the allocator's own "
      "code, not on a caller's: upstream dropped mm/vmalloc.c's in " +
      std::string(C.Id) + " (\"" + C.Title +
      "\") itself, the change that made the allocator add __GFP_HIGHMEM. "
      "That is a change for the memory management maintainers, not a "
      "caller's fix, and no patch of this series touches these calls.";
  unsigned Tree = versionNumber(Q.TreeVersion),
           Since = versionNumber(C.Release);
  if (Tree && Since && Tree < Since)
    Why += " This tree is " + Q.TreeVersion + ", older than that change: " +
           "its allocator does not add the flag, and dropping it from these "
           "calls would make them allocate lowmem.";
  Left += "\n" + wrapText(Why, 72) + "\n";
  llvm::errs() << "vmalloc-lint: series: left as they are: " << N
               << " allocator-internal call" << (Sites.size() == 1 ? "" : "s")
               << " passing __GFP_HIGHMEM (listed in the cover letter)\n";
}

int SeriesWriter::run() {
  if (Plan.Files.empty()) {
    llvm::errs() << "vmalloc-lint: series: no finding has a fix: nothing "
                    "written to "
                 << Q.Dir << "\n";
    return 0;
  }
  std::string Top;
  if (runGitIn(Q.Root, {"rev-parse", "--show-toplevel"}, Top) == 0)
    Git = realAbsolutePath(trimmed(Top)) == realAbsolutePath(Q.Root);
  Author = identity(Q, Git);
  Date = rfc2822Date();
  std::string MaintText, Err;
  if (fs::exists(Q.Root + "/MAINTAINERS")) {
    MaintText = readWholeFile(Q.Root + "/MAINTAINERS", Err);
    if (!Err.empty())
      usageError(Err);
    Maint = Maintainers::parse(MaintText, Q.Root);
  } else {
    CoverNotes.push_back("The tree has no MAINTAINERS file: one patch per "
                         "top directory, no To/Cc.");
  }
  if (!Q.TreeVersion.empty() && Q.TreeVersion != Q.Rules)
    CoverNotes.push_back(
        "The rules are Linux " + Q.Rules + "'s and the tree is " +
        Q.TreeVersion + ": the patches rely on the kernel behaviour of " +
        Q.Rules +
        " (the upstream changes above) and belong on top of those "
        "changes.");
  HasGetMaintainer = fs::exists(Q.Root + "/scripts/get_maintainer.pl");
  HasCheckpatch = fs::exists(Q.Root + "/scripts/checkpatch.pl");
  if (std::error_code EC = fs::create_directories(Q.Dir))
    usageError("--series: cannot create '" + Q.Dir + "': " + EC.message());

  group();
  leftSites();
  for (Patch &P : Patches) {
    describe(P);
    std::string What = P.What;
    if (P.Capitalised && !What.empty())
      What[0] = llvm::toUpper(What[0]);
    P.Subject = P.Prefix + ": " + What;
  }
  unsigned M = Patches.size();
  int Status = 0;
  for (unsigned I = 0; I < M; ++I) {
    Patch &P = Patches[I];
    P.FileName = patchFileName(I + 1, P.Subject);
    std::string Path = Q.Dir + "/" + P.FileName;
    std::string Abs = realAbsolutePath(Q.Dir) + "/" + P.FileName;
    if (!writeFile(Path, render(P, I + 1, M, false), Err))
      usageError(Err);
    addresses(P, Abs);
    // An address once: in To: if it is a maintainer's.
    P.Cc.erase(std::remove_if(P.Cc.begin(), P.Cc.end(),
                              [&](const std::string &A) {
                                return std::find(P.To.begin(), P.To.end(), A) !=
                                       P.To.end();
                              }),
               P.Cc.end());
    P.Text = render(P, I + 1, M, true);
    if (!writeFile(Path, P.Text, Err))
      usageError(Err);
    if (HasCheckpatch) {
      checkpatch(P, Abs);
      Status |= !P.CheckpatchClean;
    }
    if (Q.Build) {
      build(P);
      Status |= !P.BuildClean;
    }
  }
  if (!HasCheckpatch)
    CoverNotes.push_back("The tree has no scripts/checkpatch.pl: the "
                         "patches are not checked.");
  std::string CoverPath = Q.Dir + "/0000-cover-letter.patch";
  if (!writeFile(CoverPath, cover(M), Err))
    usageError(Err);
  llvm::errs() << "vmalloc-lint: series: " << M << " patch"
               << (M == 1 ? "" : "es") << " and a cover letter in " << Q.Dir
               << "\n";
  for (const Patch &P : Patches) {
    llvm::errs() << "vmalloc-lint: series: " << P.FileName;
    if (!P.Checkpatch.empty())
      llvm::errs() << ": checkpatch --strict: " << P.Checkpatch;
    llvm::errs() << "\n";
    for (const std::string &Msg : P.CheckpatchMessages)
      llvm::errs() << "vmalloc-lint: series:   " << Msg << "\n";
    for (const std::string &B : P.BuildNotes)
      llvm::errs() << "vmalloc-lint: series:   " << B << "\n";
  }
  return Status;
}

} // namespace

int writeSeries(const SeriesRequest &Q, const FixPlan &Plan,
                const AnalysisResult &R) {
  SeriesWriter W(Q, Plan, R);
  return W.run();
}

} // namespace vmalloc_lint
