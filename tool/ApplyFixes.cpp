#include "tool/ApplyFixes.h"
#include "tool/FileIO.h"

#include "rewriters/GfpFixes.h"
#include "rewriters/OrChain.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>

#include <unistd.h>

namespace vmalloc_lint {

namespace fs = llvm::sys::fs;

FixPlan planFixes(const AnalysisResult &R,
                  const std::map<std::string, std::string> *Contents) {
  FixPlan Plan;
  std::map<std::string, std::vector<TextEdit>> ByFile;
  std::map<std::string, uint64_t> Hashes(R.FileHashes.begin(),
                                         R.FileHashes.end());
  // The finding whose fix brought each planned edit (same order as ByFile).
  std::map<std::string, std::vector<const Finding *>> Owners;
  for (const Finding &F : R.Findings) {
    if (!F.Fix)
      continue;
    // All of a finding's edits, or none.
    bool Clash = false;
    // Every clash is an edit of another check's fix that replaces the whole
    // of this edit's text and does not write back the flag this fix drops
    // (vmalloc-open-coded-kvmalloc's statement, with the __GFP_HIGHMEM
    // vmalloc-redundant-highmem drops from its vmalloc call): subsumed.
    llvm::StringRef Dropped(F.Fix->Description);
    bool Drops = Dropped.consume_front("drop ") && !Dropped.contains(' ');
    const Finding *By = nullptr;
    bool Subsumed = Drops;
    for (const TextEdit &E : F.Fix->Edits) {
      const std::vector<TextEdit> &Planned = ByFile[E.File];
      for (size_t I = 0; I < Planned.size(); ++I) {
        const TextEdit &O = Planned[I];
        if (O == E)
          continue;
        bool Overlap = E.Offset < O.Offset + std::max(O.Length, 1u) &&
                       O.Offset < E.Offset + std::max(E.Length, 1u);
        if (!Overlap)
          continue;
        Clash = true;
        const Finding *Owner = Owners[E.File][I];
        bool Covers = O.Offset <= E.Offset &&
                      E.Offset + E.Length <= O.Offset + O.Length &&
                      O.Text.find(Dropped.str()) == std::string::npos &&
                      Owner->Check != F.Check;
        if (!Covers || (By && By != Owner))
          Subsumed = false;
        By = Owner;
      }
    }
    if (Clash) {
      std::string Why = "it overlaps another fix";
      if (Subsumed && By)
        Why = "subsumed by " + By->Check + "'s fix at line " +
              std::to_string(By->Where.Line) +
              ", which rewrites this code without " + Dropped.str();
      Plan.Dropped.push_back(F.Where.File + ":" + std::to_string(F.Where.Line) +
                             ": fix not applied: " + Why);
      continue;
    }
    for (const TextEdit &E : F.Fix->Edits) {
      auto &V = ByFile[E.File];
      if (std::find(V.begin(), V.end(), E) == V.end()) {
        V.push_back(E);
        Owners[E.File].push_back(&F);
      }
    }
  }
  for (auto &[File, Edits] : ByFile) {
    if (Edits.empty())
      continue;
    std::string Text;
    const std::string *InMemory = nullptr;
    if (Contents)
      if (auto It = Contents->find(File); It != Contents->end())
        InMemory = &It->second;
    if (InMemory) {
      Text = *InMemory;
    } else {
      llvm::ErrorOr<std::string> Disk = readWholeFile(File);
      if (!Disk) {
        Plan.Problems.push_back(File +
                                ": cannot read: " + Disk.getError().message());
        Plan.Refused = true;
        continue;
      }
      Text = std::move(*Disk);
    }
    auto H = Hashes.find(File);
    if (H != Hashes.end() && H->second != contentHash(Text)) {
      Plan.Problems.push_back(File +
                              ": changed since it was analysed; not fixed");
      Plan.Refused = true;
      continue;
    }
    std::vector<BufferEdit> BE;
    for (const TextEdit &E : Edits)
      BE.push_back({E.Offset, E.Length, E.Text});
    PlannedFile P;
    P.File = File;
    P.Original = Text;
    P.Fixed = applyEdits(Text, BE);
    std::sort(Edits.begin(), Edits.end());
    P.Edits = Edits;
    if (P.Fixed != P.Original)
      Plan.Files.push_back(std::move(P));
  }
  return Plan;
}

namespace {

/// The temporaries of --fix: FILE.vmalloc-lint-PID-XXXXXX, next to FILE.
const char *const TempInfix = ".vmalloc-lint-";

/// Removes the temporaries a --fix that died (SIGKILL, a power cut) left
/// next to File: those of File's name whose process is gone. A live
/// process's (another --fix writing the same tree) are left alone.
void removeStaleTemporaries(const std::string &File) {
  llvm::StringRef Dir = llvm::sys::path::parent_path(File);
  std::string Prefix = llvm::sys::path::filename(File).str() + TempInfix;
  std::error_code EC;
  for (fs::directory_iterator It(Dir.empty() ? "." : Dir, EC), End;
       It != End && !EC; It.increment(EC)) {
    llvm::StringRef Name = llvm::sys::path::filename(It->path());
    if (!Name.consume_front(Prefix))
      continue;
    auto [Pid, Random] = Name.split('-');
    unsigned long N = 0;
    if (Random.size() != 6 || Pid.getAsInteger(10, N) || N == 0 ||
        N > 0x7fffffff)
      continue;
    if (::kill(pid_t(N), 0) == 0 || errno != ESRCH)
      continue; // alive (or not ours to judge)
    fs::remove(It->path());
  }
}

/// Blocks the signals that end a run on request (SIGINT, SIGTERM, SIGHUP,
/// SIGQUIT) while the files are staged and renamed: a ^C then waits for
/// the set to be written whole (or not at all, on an error), and kills the
/// process once it is, with no temporary left.
class DeferTermination {
public:
  DeferTermination() {
    sigset_t Set;
    sigemptyset(&Set);
    for (int S : {SIGINT, SIGTERM, SIGHUP, SIGQUIT})
      sigaddset(&Set, S);
    pthread_sigmask(SIG_BLOCK, &Set, &Old);
  }
  ~DeferTermination() { pthread_sigmask(SIG_SETMASK, &Old, nullptr); }

private:
  sigset_t Old;
};

} // namespace

std::string writeFixes(const FixPlan &Plan) {
  if (Plan.Refused)
    return "nothing written: " + Plan.Problems.front();
  DeferTermination Defer;
  // A file whose mode forbids writing is the user's "do not touch": the
  // rename would replace it all the same (and as root access(W_OK) always
  // says yes), so the mode bits decide, before anything is staged.
  for (const PlannedFile &P : Plan.Files) {
    fs::file_status St;
    if (std::error_code EC = fs::status(P.File, St))
      return "nothing written: cannot stat " + P.File + ": " + EC.message();
    unsigned Mode = unsigned(St.permissions()) & 0777;
    if (!(Mode & 0222)) {
      char Octal[8];
      std::snprintf(Octal, sizeof Octal, "%04o", Mode);
      return "nothing written: --fix refuses to write " + P.File + " (mode " +
             Octal + " forbids writing; make it writable first)";
    }
    // The mode allows it, the system does not (a read-only mount, another
    // user's file): its reason.
    if (::access(P.File.c_str(), W_OK) != 0)
      return "nothing written: cannot write " + P.File + ": " +
             std::strerror(errno);
  }
  for (const PlannedFile &P : Plan.Files)
    removeStaleTemporaries(P.File);
  // Stage every file next to its target, then rename: a failure before the
  // renames leaves every file as it was.
  std::vector<StagedFile> Staged;
  auto Cleanup = [&] {
    for (const StagedFile &S : Staged)
      discardStagedFile(S);
  };
  for (const PlannedFile &P : Plan.Files) {
    StagedFile S;
    if (std::error_code EC = stageFile(
            P.File, P.File + TempInfix + std::to_string(::getpid()) + "-%%%%%%",
            P.Fixed, S)) {
      Cleanup();
      if (S.Temp.empty())
        return "nothing written: cannot write next to " + P.File + ": " +
               EC.message();
      return "nothing written: cannot write the fixed " + P.File + ": " +
             EC.message();
    }
    fs::file_status St;
    if (!fs::status(P.File, St))
      fs::setPermissions(S.Temp, St.permissions());
    Staged.push_back(std::move(S));
  }
  for (const StagedFile &S : Staged)
    if (std::error_code EC = commitStagedFile(S)) {
      Cleanup();
      return "cannot replace " + S.Target + ": " + EC.message();
    }
  return "";
}

namespace {

std::vector<std::string> splitLines(const std::string &S) {
  std::vector<std::string> L;
  size_t Pos = 0;
  while (Pos < S.size()) {
    size_t Nl = S.find('\n', Pos);
    if (Nl == std::string::npos) {
      L.push_back(S.substr(Pos));
      break;
    }
    L.push_back(S.substr(Pos, Nl - Pos + 1));
    Pos = Nl + 1;
  }
  return L;
}

std::string relativeTo(const std::string &File, const std::string &Root) {
  if (!Root.empty() && File.size() > Root.size() &&
      File.compare(0, Root.size(), Root) == 0 && File[Root.size()] == '/')
    return File.substr(Root.size() + 1);
  return File;
}

/// How git picks the text after a hunk's `@@`: its default (xdiff's
/// def_ff), or the `cpp` diff driver that a kernel tree's .gitattributes
/// gives *.c and *.h (userdiff.c: a line starting with a letter or `_`,
/// not a label such as `out:`).
enum class FuncnameRule { Default, Cpp };

bool isFuncnameLine(const std::string &T, FuncnameRule Rule) {
  if (T.empty())
    return false;
  unsigned char C = T[0];
  if (Rule == FuncnameRule::Default)
    return std::isalpha(C) || C == '_' || C == '$';
  if (!(std::isalpha(C) || C == '_' || T.compare(0, 2, "::") == 0))
    return false;
  // "!^[ \t]*[A-Za-z_][A-Za-z_0-9]*:[[:space:]]*($|/[/*])": a label.
  size_t I = 0;
  while (I < T.size() && (std::isalnum((unsigned char)T[I]) || T[I] == '_'))
    ++I;
  if (I == 0 || I >= T.size() || T[I] != ':' ||
      (I + 1 < T.size() && T[I + 1] == ':'))
    return true;
  size_t J = I + 1;
  while (J < T.size() && std::isspace((unsigned char)T[J]))
    ++J;
  return !(J == T.size() || T.compare(J, 2, "//") == 0 ||
           T.compare(J, 2, "/*") == 0);
}

/// The nearest line above the hunk that the rule takes, cut to 80 bytes
/// and without its trailing blanks ("" when there is none).
std::string funcname(const std::vector<std::string> &Lines, unsigned Before,
                     FuncnameRule Rule) {
  for (unsigned L = Before; L-- > 0;) {
    std::string T = Lines[L];
    while (!T.empty() && (T.back() == '\n' || T.back() == '\r'))
      T.pop_back();
    if (!isFuncnameLine(T, Rule))
      continue;
    size_t Len = std::min<size_t>(T.size(), 80);
    while (Len > 0 && std::isspace((unsigned char)T[Len - 1]))
      --Len;
    return T.substr(0, Len);
  }
  return "";
}

/// The tree's .gitattributes: the `*.EXT diff=cpp` lines (the kernel's
/// *.c and *.h), as the extensions they name.
std::set<std::string> cppDiffExtensions(const std::string &Root) {
  std::set<std::string> Out;
  if (Root.empty())
    return Out;
  llvm::ErrorOr<std::string> Text = readWholeFile(Root + "/.gitattributes");
  if (!Text)
    return Out;
  llvm::SmallVector<llvm::StringRef, 16> Lines;
  llvm::StringRef(*Text).split(Lines, '\n');
  for (llvm::StringRef L : Lines) {
    llvm::SmallVector<llvm::StringRef, 4> Words;
    L.split(Words, ' ', -1, false);
    llvm::SmallVector<llvm::StringRef, 4> Fields;
    for (llvm::StringRef W : Words) {
      llvm::SmallVector<llvm::StringRef, 4> Tabbed;
      W.split(Tabbed, '\t', -1, false);
      Fields.append(Tabbed.begin(), Tabbed.end());
    }
    if (Fields.size() < 2 || !Fields[0].starts_with("*.") ||
        Fields[0].find_first_of("*?[/", 1) != llvm::StringRef::npos)
      continue;
    for (size_t I = 1; I < Fields.size(); ++I)
      if (Fields[I] == "diff=cpp")
        Out.insert(Fields[0].substr(1).str());
  }
  return Out;
}

void emitLine(std::string &Out, char Mark, const std::string &Line) {
  Out += Mark;
  Out += Line;
  if (Line.empty() || Line.back() != '\n')
    Out += "\n\\ No newline at end of file\n";
}

} // namespace

std::string unifiedDiff(const FixPlan &Plan, const std::string &Root) {
  std::string Out;
  const unsigned Context = 3;
  const std::set<std::string> CppExts = cppDiffExtensions(Root);
  for (const PlannedFile &P : Plan.Files) {
    std::vector<std::string> Old = splitLines(P.Original);
    // Changes by line: each group of edits touching overlapping lines.
    struct Change {
      unsigned First, Last; // old lines, 0-based inclusive
      std::vector<std::string> New;
    };
    std::vector<unsigned> LineStart;
    unsigned Off = 0;
    for (const std::string &L : Old) {
      LineStart.push_back(Off);
      Off += L.size();
    }
    auto LineOf = [&](unsigned Offset) {
      auto It = std::upper_bound(LineStart.begin(), LineStart.end(), Offset);
      return unsigned(It - LineStart.begin()) - 1;
    };
    std::vector<Change> Changes;
    std::vector<TextEdit> Edits = P.Edits;
    size_t I = 0;
    while (I < Edits.size()) {
      unsigned First = LineOf(Edits[I].Offset);
      unsigned Last =
          LineOf(Edits[I].Offset + (Edits[I].Length ? Edits[I].Length - 1 : 0));
      size_t J = I + 1;
      while (J < Edits.size() && LineOf(Edits[J].Offset) <= Last) {
        Last =
            std::max(Last, LineOf(Edits[J].Offset +
                                  (Edits[J].Length ? Edits[J].Length - 1 : 0)));
        ++J;
      }
      unsigned Begin = LineStart[First];
      unsigned End =
          Last + 1 < LineStart.size() ? LineStart[Last + 1] : P.Original.size();
      std::vector<BufferEdit> Local;
      for (size_t K = I; K < J; ++K)
        Local.push_back(
            {Edits[K].Offset - Begin, Edits[K].Length, Edits[K].Text});
      std::string Region = applyEdits(
          std::string_view(P.Original).substr(Begin, End - Begin), Local);
      Changes.push_back({First, Last, splitLines(Region)});
      I = J;
    }
    if (Changes.empty())
      continue;
    std::string Rel = relativeTo(P.File, Root);
    FuncnameRule Rule = CppExts.count(llvm::sys::path::extension(Rel).str())
                            ? FuncnameRule::Cpp
                            : FuncnameRule::Default;
    Out += "--- a/" + Rel + "\n+++ b/" + Rel + "\n";
    long Delta = 0; // new - old lines before the current hunk
    size_t C = 0;
    while (C < Changes.size()) {
      size_t D = C;
      while (D + 1 < Changes.size() &&
             Changes[D + 1].First <= Changes[D].Last + 2 * Context + 1)
        ++D;
      unsigned HunkFirst =
          Changes[C].First > Context ? Changes[C].First - Context : 0;
      unsigned HunkLast =
          std::min<unsigned>(Changes[D].Last + Context, Old.size() - 1);
      std::string Body;
      unsigned OldCount = 0, NewCount = 0;
      unsigned Line = HunkFirst;
      long HunkDelta = 0;
      for (size_t K = C; K <= D; ++K) {
        for (; Line < Changes[K].First; ++Line, ++OldCount, ++NewCount)
          emitLine(Body, ' ', Old[Line]);
        for (unsigned L = Changes[K].First; L <= Changes[K].Last;
             ++L, ++OldCount)
          emitLine(Body, '-', Old[L]);
        for (const std::string &N : Changes[K].New) {
          emitLine(Body, '+', N);
          ++NewCount;
        }
        HunkDelta += long(Changes[K].New.size()) -
                     long(Changes[K].Last - Changes[K].First + 1);
        Line = Changes[K].Last + 1;
      }
      for (; Line <= HunkLast; ++Line, ++OldCount, ++NewCount)
        emitLine(Body, ' ', Old[Line]);
      auto Range = [](unsigned Start, unsigned Count) {
        std::string S = std::to_string(Count ? Start + 1 : Start);
        if (Count != 1)
          S += "," + std::to_string(Count);
        return S;
      };
      std::string Func = funcname(Old, HunkFirst, Rule);
      Out += "@@ -" + Range(HunkFirst, OldCount) + " +" +
             Range(unsigned(long(HunkFirst) + Delta), NewCount) + " @@" +
             (Func.empty() ? "" : " " + Func) + "\n";
      Out += Body;
      Delta += HunkDelta;
      C = D + 1;
    }
  }
  return Out;
}

} // namespace vmalloc_lint
