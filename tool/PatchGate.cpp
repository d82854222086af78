#include "tool/PatchGate.h"

#include "llvm/ADT/StringExtras.h"

#include <algorithm>
#include <cstdint>

namespace vmalloc_lint {

namespace {

/// Lines without their "\n"; Text's last line may lack one.
std::vector<llvm::StringRef> inputLines(llvm::StringRef Text) {
  std::vector<llvm::StringRef> L;
  while (!Text.empty()) {
    size_t Nl = Text.find('\n');
    if (Nl == llvm::StringRef::npos) {
      L.push_back(Text);
      break;
    }
    llvm::StringRef Line = Text.substr(0, Nl);
    if (Line.ends_with("\r"))
      Line = Line.drop_back();
    L.push_back(Line);
    Text = Text.substr(Nl + 1);
  }
  return L;
}

/// git apply -p1: the first path component goes (a/, b/, or a directory
/// name of `diff -u old/ new/`); /dev/null is "". Timestamps after a tab
/// (`diff -u`) are dropped; git's "quoted" paths are unquoted.
std::string stripComponent(std::string S) {
  size_t Slash = S.find('/');
  if (Slash != std::string::npos)
    S = S.substr(Slash + 1);
  return S;
}

std::string patchPath(llvm::StringRef P) {
  if (P.starts_with("\"")) {
    std::string U;
    if (unquoteGitPath(P, U))
      return stripComponent(U);
  }
  P = P.split('\t').first.rtrim();
  if (P == "/dev/null")
    return "";
  return stripComponent(P.str());
}

/// A name of a "---"/"+++" line that names no file: empty, or only the
/// a/ b/ prefix (/dev/null, "no file", is a name).
bool namesNothing(llvm::StringRef P) {
  return patchPath(P).empty() && P.split('\t').first.rtrim() != "/dev/null";
}

/// The two names of "diff --git A B": each quoted or not. Unquoted names
/// may hold spaces: "a/X b/X" (the same name twice, git's form when the
/// file is not renamed) is split in the middle, else at the first " b/".
/// False when the header does not give two names (git: "git diff header
/// lacks filename information").
bool gitHeaderNames(llvm::StringRef Rest, std::string &Old, std::string &New);
bool gitHeaderPaths(llvm::StringRef Rest, std::string &Old, std::string &New) {
  return gitHeaderNames(Rest, Old, New) && !Old.empty() && !New.empty();
}
bool gitHeaderNames(llvm::StringRef Rest, std::string &Old, std::string &New) {
  std::string O, N;
  if (Rest.starts_with("\"")) {
    if (!unquoteGitPath(Rest, O) || !Rest.consume_front(" "))
      return false;
  } else if (Rest.ends_with("\"")) {
    size_t Q = Rest.rfind(" \"");
    if (Q == llvm::StringRef::npos)
      return false;
    O = Rest.substr(0, Q).str();
    Rest = Rest.substr(Q + 1);
  } else {
    size_t Half = (Rest.size() - 1) / 2;
    if (Rest.size() % 2 == 1 && Rest[Half] == ' ' &&
        Rest.substr(0, Half).split('/').second ==
            Rest.substr(Half + 1).split('/').second) {
      O = Rest.substr(0, Half).str();
      N = Rest.substr(Half + 1).str();
    } else {
      size_t B = Rest.find(" b/");
      if (B == llvm::StringRef::npos)
        B = Rest.find(' ');
      if (B == llvm::StringRef::npos)
        return false;
      O = Rest.substr(0, B).str();
      N = Rest.substr(B + 1).str();
    }
    Old = stripComponent(O);
    New = stripComponent(N);
    return true;
  }
  if (Rest.starts_with("\"")) {
    if (!unquoteGitPath(Rest, N) || !Rest.empty())
      return false;
  } else {
    N = Rest.str();
  }
  Old = stripComponent(O);
  New = stripComponent(N);
  return true;
}

/// "rename from X": X unprefixed, maybe quoted.
std::string headerPath(llvm::StringRef P) {
  std::string U;
  if (P.starts_with("\"") && unquoteGitPath(P, U) && P.empty())
    return U;
  return P.str();
}

bool parseNumber(llvm::StringRef &S, unsigned &V) {
  size_t N = 0;
  while (N < S.size() && llvm::isDigit(S[N]))
    ++N;
  if (N == 0 || S.substr(0, N).getAsInteger(10, V))
    return false;
  S = S.substr(N);
  return true;
}

/// "@@ -A[,B] +C[,D] @@ ..."
bool parseHunkHeader(llvm::StringRef L, Hunk &H) {
  if (!L.consume_front("@@ -") || !parseNumber(L, H.OldStart))
    return false;
  H.OldCount = 1;
  if (L.consume_front(",") && !parseNumber(L, H.OldCount))
    return false;
  if (!L.consume_front(" +") || !parseNumber(L, H.NewStart))
    return false;
  H.NewCount = 1;
  if (L.consume_front(",") && !parseNumber(L, H.NewCount))
    return false;
  if (!L.starts_with(" @@"))
    return false;
  return true;
}

std::string shorten(llvm::StringRef S) {
  if (S.size() > 60)
    return (S.substr(0, 57) + "...").str();
  return S.str();
}

std::string hunkName(const FilePatch &F, size_t K) {
  return "hunk #" + std::to_string(K + 1) + " of " + F.path() + " (" +
         F.Hunks[K].Header + ", patch line " +
         std::to_string(F.Hunks[K].InputLine) + ")";
}

} // namespace

bool unquoteGitPath(llvm::StringRef &S, std::string &Out) {
  if (!S.starts_with("\""))
    return false;
  std::string U;
  for (size_t I = 1; I < S.size(); ++I) {
    char C = S[I];
    if (C == '"') {
      Out = std::move(U);
      S = S.substr(I + 1);
      return true;
    }
    if (C != '\\') {
      U += C;
      continue;
    }
    if (++I == S.size())
      return false;
    C = S[I];
    if (C >= '0' && C <= '3') {
      if (I + 2 >= S.size() || S[I + 1] < '0' || S[I + 1] > '7' ||
          S[I + 2] < '0' || S[I + 2] > '7')
        return false;
      U += char(((C - '0') << 6) | ((S[I + 1] - '0') << 3) | (S[I + 2] - '0'));
      I += 2;
      continue;
    }
    switch (C) {
    case 'a':
      U += '\a';
      break;
    case 'b':
      U += '\b';
      break;
    case 'f':
      U += '\f';
      break;
    case 'n':
      U += '\n';
      break;
    case 'r':
      U += '\r';
      break;
    case 't':
      U += '\t';
      break;
    case 'v':
      U += '\v';
      break;
    case '"':
    case '\\':
      U += C;
      break;
    default:
      return false;
    }
  }
  return false;
}

std::string quotePath(llvm::StringRef P) {
  bool Plain = llvm::all_of(P, [](char C) {
    return (unsigned char)C >= 0x20 && C != 0x7f && C != '"' && C != '\\';
  });
  if (Plain)
    return P.str();
  std::string Q = "\"";
  for (unsigned char C : P) {
    switch (C) {
    case '\n':
      Q += "\\n";
      break;
    case '\t':
      Q += "\\t";
      break;
    case '\r':
      Q += "\\r";
      break;
    case '"':
      Q += "\\\"";
      break;
    case '\\':
      Q += "\\\\";
      break;
    default:
      if (C < 0x20 || C == 0x7f) {
        char Buf[5];
        snprintf(Buf, sizeof Buf, "\\%03o", C);
        Q += Buf;
      } else {
        Q += char(C);
      }
    }
  }
  return Q + "\"";
}

std::string unsafePath(llvm::StringRef P) {
  if (P.empty())
    return "";
  if (P.starts_with("/"))
    return "an absolute path";
  if (P.contains('\0'))
    return "a NUL byte in the name";
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  P.split(Parts, '/');
  for (llvm::StringRef C : Parts) {
    if (C == "..")
      return "a '..' component";
    if (C.empty() || C == ".")
      return "an empty or '.' component";
  }
  return "";
}

std::string parsePatch(llvm::StringRef Text, PatchSet &Out) {
  std::vector<llvm::StringRef> Lines = inputLines(Text);
  FilePatch *Cur = nullptr;
  bool SawNonBlank = false;
  auto at = [&](size_t I) { return "patch line " + std::to_string(I + 1); };
  for (size_t I = 0; I < Lines.size();) {
    llvm::StringRef L = Lines[I];
    if (!L.trim().empty())
      SawNonBlank = true;
    if (!Cur && L.starts_with("From ") && L.size() > 45 &&
        llvm::all_of(L.substr(5, 40), llvm::isHexDigit) && L[45] == ' ') {
      // "From <sha> Mon Sep 17 00:00:00 2001": a format-patch mail.
      ++Out.Mails;
      ++I;
      continue;
    }
    if (L.starts_with("diff --git ")) {
      Out.Files.emplace_back();
      Cur = &Out.Files.back();
      Cur->InputLine = I + 1;
      if (!gitHeaderPaths(L.drop_front(11), Cur->OldPath, Cur->NewPath))
        return at(I) + ": malformed file header '" + shorten(L) + "'";
      ++I;
      // Extended header lines.
      for (; I < Lines.size(); ++I) {
        llvm::StringRef E = Lines[I];
        if ((E.starts_with("new file mode ") ||
             E.starts_with("deleted file mode ") ||
             E.starts_with("old mode ") || E.starts_with("new mode ") ||
             E.starts_with("index ")) &&
            E.ends_with(" 120000"))
          Cur->Symlink = true;
        if (E.starts_with("new file mode")) {
          Cur->OldPath.clear();
        } else if (E.starts_with("deleted file mode")) {
          Cur->NewPath.clear();
        } else if (E.consume_front("rename from ") ||
                   E.consume_front("copy from ")) {
          Cur->OldPath = headerPath(E);
        } else if (E.consume_front("rename to ") ||
                   E.consume_front("copy to ")) {
          Cur->NewPath = headerPath(E);
        } else if (E.starts_with("Binary files ")) {
          Cur->Binary = true;
        } else if (E.starts_with("GIT binary patch")) {
          Cur->Binary = true;
          // literal/delta blocks, base85 lines, blank lines.
          while (I + 1 < Lines.size() &&
                 !Lines[I + 1].starts_with("diff --git ") &&
                 !Lines[I + 1].starts_with("-- "))
            ++I;
        } else if (E.starts_with("old mode") || E.starts_with("new mode") ||
                   E.starts_with("index ") ||
                   E.starts_with("similarity index") ||
                   E.starts_with("dissimilarity index")) {
        } else {
          break;
        }
      }
      // "new file mode" and "deleted file mode" together (the third crash
      // of fuzz-patch): a file that is neither before nor after.
      if (Cur->OldPath.empty() && Cur->NewPath.empty())
        return at(Cur->InputLine - 1) +
               ": file header of a file both new and deleted";
      if (I + 1 < Lines.size() && Lines[I].starts_with("--- ") &&
          Lines[I + 1].starts_with("+++ ")) {
        if (namesNothing(Lines[I].drop_front(4)) ||
            namesNothing(Lines[I + 1].drop_front(4)))
          return at(I) + ": file header without a file name '" +
                 shorten(namesNothing(Lines[I].drop_front(4)) ? Lines[I]
                                                              : Lines[I + 1]) +
                 "'";
        std::string O = patchPath(Lines[I].drop_front(4));
        std::string N = patchPath(Lines[I + 1].drop_front(4));
        if (!Cur->isNew())
          Cur->OldPath = O;
        if (!Cur->isDeleted())
          Cur->NewPath = N;
        I += 2;
      }
      continue;
    }
    if (L.starts_with("--- ") && I + 1 < Lines.size() &&
        Lines[I + 1].starts_with("+++ ")) {
      Out.Files.emplace_back();
      Cur = &Out.Files.back();
      Cur->InputLine = I + 1;
      if (namesNothing(L.drop_front(4)) ||
          namesNothing(Lines[I + 1].drop_front(4)))
        return at(I) + ": file header without a file name '" +
               shorten(namesNothing(L.drop_front(4)) ? L : Lines[I + 1]) + "'";
      Cur->OldPath = patchPath(L.drop_front(4));
      Cur->NewPath = patchPath(Lines[I + 1].drop_front(4));
      if (Cur->OldPath.empty() && Cur->NewPath.empty())
        return at(I) + ": file header with /dev/null on both sides";
      I += 2;
      if (I >= Lines.size() || !Lines[I].starts_with("@@"))
        return at(I - 2) + ": file header of " + Cur->path() +
               " is not followed by a hunk (@@ line)";
      continue;
    }
    if (L.starts_with("Binary files ") && L.ends_with(" differ")) {
      // diff -u's form: "Binary files a/x and b/x differ".
      llvm::StringRef Rest = L.drop_front(13).drop_back(7);
      auto [O, N] = Rest.split(" and ");
      Out.Files.emplace_back();
      Cur = &Out.Files.back();
      Cur->InputLine = I + 1;
      Cur->OldPath = patchPath(O);
      Cur->NewPath = patchPath(N);
      Cur->Binary = true;
      Cur = nullptr;
      ++I;
      continue;
    }
    if (L.starts_with("@@")) {
      if (!Cur)
        return at(I) + ": hunk header outside a file (no 'diff --git' or "
                       "'---'/'+++' lines before it)";
      Hunk H;
      H.Header = L.str();
      H.InputLine = I + 1;
      if (!parseHunkHeader(L, H))
        return at(I) + ": malformed hunk header '" + shorten(L) + "'";
      H.Header = L.substr(0, L.find(" @@", 3) + 3).str();
      Cur->Hunks.push_back(H);
      Hunk &Hk = Cur->Hunks.back();
      size_t K = Cur->Hunks.size() - 1;
      unsigned OldLeft = H.OldCount, NewLeft = H.NewCount;
      ++I;
      while (OldLeft || NewLeft) {
        if (I >= Lines.size())
          return "patch ends inside " + hunkName(*Cur, K) + ": " +
                 std::to_string(OldLeft) + " old and " +
                 std::to_string(NewLeft) + " new lines missing";
        llvm::StringRef B = Lines[I];
        char Kind = B.empty() ? ' ' : B[0];
        if (Kind == '\\') {
          if (!Hk.Lines.empty() && Hk.Lines.back().Text.size())
            Hk.Lines.back().Text.pop_back();
          ++I;
          continue;
        }
        bool Ok = (Kind == ' ' && OldLeft && NewLeft) ||
                  (Kind == '-' && OldLeft) || (Kind == '+' && NewLeft);
        if (!Ok)
          return at(I) + ": " + hunkName(*Cur, K) +
                 " is short: " + std::to_string(OldLeft) + " old and " +
                 std::to_string(NewLeft) + " new lines missing before '" +
                 shorten(B) + "'";
        PatchLine PL;
        PL.Kind = Kind;
        PL.Text = (B.empty() ? llvm::StringRef() : B.drop_front()).str() + "\n";
        PL.InputLine = I + 1;
        Hk.Lines.push_back(std::move(PL));
        if (Kind != '+')
          --OldLeft;
        if (Kind != '-')
          --NewLeft;
        ++Out.HunkLines;
        ++I;
      }
      if (I < Lines.size() && Lines[I].starts_with("\\")) {
        if (!Hk.Lines.empty())
          Hk.Lines.back().Text.pop_back();
        ++I;
      }
      // A '+' or '-' line right after the counted lines: the header counts
      // too few (git apply calls it a corrupt patch).
      if (I < Lines.size() &&
          (Lines[I].starts_with("+") || Lines[I].starts_with("-")) &&
          !Lines[I].starts_with("--- ") && !Lines[I].starts_with("+++ ") &&
          Lines[I] != "-- " && Lines[I] != "--")
        return at(I) + ": '" + shorten(Lines[I]) + "' after the " +
               std::to_string(H.OldCount) + " old and " +
               std::to_string(H.NewCount) + " new lines " + hunkName(*Cur, K) +
               " counts";
      continue;
    }
    // Mail headers, commit message, diffstat, "-- " signature: between
    // files. A hunk after them needs a new file header.
    Cur = nullptr;
    ++I;
  }
  if (Out.Files.empty() && SawNonBlank && Out.Mails == 0)
    return "no diff in the input (no 'diff --git', '---'/'+++' or '@@' "
           "lines)";
  return "";
}

namespace {

/// Lines are compared by a hash first: a hunk's place is found in linear
/// time (applyHunks). Arithmetic modulo the prime 2^61-1, not 2^64 (whose
/// polynomial hashes collide for Thue-Morse strings of any two lines).
constexpr uint64_t HashMod = (uint64_t(1) << 61) - 1;
uint64_t mulMod(uint64_t A, uint64_t B) {
  return uint64_t((unsigned __int128)A * B % HashMod);
}
uint64_t lineHash(llvm::StringRef S) {
  uint64_t H = 0xcbf29ce484222325ULL;
  for (unsigned char C : S) {
    H ^= C;
    H *= 0x100000001b3ULL;
  }
  return H % HashMod;
}

struct LineInfo {
  std::string Text;
  uint64_t Hash = 0; ///< lineHash(Text)
  PatchOrigin Origin;
  bool Changed = false;
};
using Image = std::vector<LineInfo>;

Image toImage(llvm::StringRef Content) {
  Image Img;
  while (!Content.empty()) {
    size_t Nl = Content.find('\n');
    size_t Len = Nl == llvm::StringRef::npos ? Content.size() : Nl + 1;
    LineInfo LI;
    LI.Text = Content.substr(0, Len).str();
    LI.Hash = lineHash(LI.Text);
    Img.push_back(std::move(LI));
    Content = Content.substr(Len);
  }
  return Img;
}

std::string fromImage(const Image &Img) {
  std::string S;
  for (const LineInfo &L : Img)
    S += L.Text;
  return S;
}

std::string visible(llvm::StringRef S) {
  if (S.ends_with("\n"))
    S = S.drop_back();
  return "'" + shorten(S) + "'";
}

/// Applies every hunk of F to Img. Returns "" or why a hunk does not apply.
std::string applyHunks(Image &Img, const FilePatch &F) {
  long Offset = 0;
  size_t MinPos = 0;
  for (size_t K = 0; K < F.Hunks.size(); ++K) {
    const Hunk &H = F.Hunks[K];
    std::vector<const PatchLine *> Old;
    for (const PatchLine &L : H.Lines)
      if (L.Kind != '+')
        Old.push_back(&L);
    long Want = H.OldCount == 0 ? long(H.OldStart) : long(H.OldStart) - 1;
    long Expected = Want + Offset;
    auto matches = [&](long P) {
      if (P < long(MinPos) || P + long(Old.size()) > long(Img.size()))
        return false;
      for (size_t J = 0; J < Old.size(); ++J)
        if (Img[P + J].Text != Old[J]->Text)
          return false;
      return true;
    };
    long Found = -1;
    if (Old.empty()) {
      // Pure insertion (no context): only at its stated place.
      if (Expected >= long(MinPos) && Expected <= long(Img.size()))
        Found = Expected;
    } else if (matches(Expected)) {
      Found = Expected;
    } else {
      // Elsewhere, nearest first (as git). Each place is tried by the hash
      // of its window of Old.size() lines (prefix sums: O(1) a place) and
      // compared line by line only when that matches, so a hostile hunk
      // (100,000 equal lines and one that differs) costs linear time, not
      // the product of the file's and the hunk's lengths.
      const uint64_t Base = 1000003;
      size_t N = Img.size(), M = Old.size();
      std::vector<uint64_t> Pre(N + 1, 0), Pow(N + 1, 1);
      for (size_t I = 0; I < N; ++I) {
        Pow[I + 1] = mulMod(Pow[I], Base);
        Pre[I + 1] = (Pre[I] + mulMod(Img[I].Hash, Pow[I])) % HashMod;
      }
      uint64_t OldHash = 0, P = 1;
      for (size_t J = 0; J < M; ++J, P = mulMod(P, Base))
        OldHash = (OldHash + mulMod(lineHash(Old[J]->Text), P)) % HashMod;
      auto candidate = [&](long At) {
        if (At < long(MinPos) || At + long(M) > long(N))
          return false;
        uint64_t Window = (Pre[At + M] + HashMod - Pre[At]) % HashMod;
        return Window == mulMod(OldHash, Pow[At]) && matches(At);
      };
      for (long D = 1; Found < 0 && D <= long(N); ++D) {
        if (candidate(Expected - D))
          Found = Expected - D;
        else if (candidate(Expected + D))
          Found = Expected + D;
      }
    }
    if (Found < 0) {
      std::string Why;
      if (Expected < 0 || Expected + long(Old.size()) > long(Img.size())) {
        Why = "the file has " + std::to_string(Img.size()) +
              " lines, the hunk needs lines " + std::to_string(Expected + 1) +
              "-" + std::to_string(Expected + Old.size());
      } else {
        for (size_t J = 0; J < Old.size(); ++J)
          if (Img[Expected + J].Text != Old[J]->Text) {
            Why = "line " + std::to_string(Expected + J + 1) + " is " +
                  visible(Img[Expected + J].Text) + ", the patch expects " +
                  visible(Old[J]->Text) + " (patch line " +
                  std::to_string(Old[J]->InputLine) + ")";
            break;
          }
        Why += "; no other place in the file matches";
      }
      return hunkName(F, K) + " does not apply: " + Why;
    }
    Image New;
    size_t OldIdx = Found;
    for (const PatchLine &L : H.Lines) {
      if (L.Kind == '-') {
        ++OldIdx;
      } else if (L.Kind == ' ') {
        LineInfo LI = Img[OldIdx++];
        LI.Origin = {L.InputLine, ' '};
        New.push_back(std::move(LI));
      } else {
        LineInfo LI;
        LI.Text = L.Text;
        LI.Hash = lineHash(L.Text);
        LI.Origin = {L.InputLine, '+'};
        LI.Changed = true;
        New.push_back(std::move(LI));
      }
    }
    Img.erase(Img.begin() + Found, Img.begin() + OldIdx);
    Img.insert(Img.begin() + Found, New.begin(), New.end());
    Offset = Found - Want + long(H.NewCount) - long(H.OldCount);
    MinPos = Found + New.size();
  }
  // "\ No newline at end of file" belongs to a file's last line: a line
  // without its newline anywhere else is a corrupt patch (git apply refuses
  // it), and the lines after it would have no line of their own.
  for (size_t I = 0; I + 1 < Img.size(); ++I)
    if (!llvm::StringRef(Img[I].Text).ends_with("\n"))
      return hunkName(F, F.Hunks.size() - 1) + " does not apply: line " +
             std::to_string(I + 1) +
             " has no newline but is not the file's last (corrupt patch)";
  return "";
}

FilePatch reversed(const FilePatch &F) {
  FilePatch R = F;
  std::swap(R.OldPath, R.NewPath);
  for (Hunk &H : R.Hunks) {
    std::swap(H.OldStart, H.NewStart);
    std::swap(H.OldCount, H.NewCount);
    for (PatchLine &L : H.Lines)
      L.Kind = L.Kind == '+' ? '-' : L.Kind == '-' ? '+' : ' ';
  }
  return R;
}

/// The state of every file the patch touches, after applying Files in order
/// to what Read gives.
struct ApplyState {
  std::map<std::string, std::optional<Image>> Files;
  std::vector<std::string> Order; ///< paths in first-touched order
  std::vector<std::string> Skipped;
  std::vector<std::string> SkippedLinks;
};

std::string applyAll(const std::vector<FilePatch> &Files,
                     const TreeReader &Read, const ApplyOptions &Opt,
                     ApplyState &S) {
  auto get = [&](const std::string &P) -> std::optional<Image> & {
    auto It = S.Files.find(P);
    if (It == S.Files.end()) {
      std::optional<Image> Img;
      if (auto C = Read(P))
        Img = toImage(*C);
      It = S.Files.emplace(P, std::move(Img)).first;
      S.Order.push_back(P);
    }
    return It->second;
  };
  for (const FilePatch &F : Files) {
    if (F.Symlink) {
      // A link's target, not C (and reading it would follow the link).
      if (std::find(S.SkippedLinks.begin(), S.SkippedLinks.end(), F.path()) ==
          S.SkippedLinks.end())
        S.SkippedLinks.push_back(F.path());
      continue;
    }
    if (F.Binary) {
      if (Opt.BinaryIsError)
        return "binary diff for " + F.path() + " (patch line " +
               std::to_string(F.InputLine) +
               "): the gate checks text patches only";
      if (std::find(S.Skipped.begin(), S.Skipped.end(), F.path()) ==
          S.Skipped.end())
        S.Skipped.push_back(F.path());
      continue;
    }
    Image Img;
    if (F.isNew()) {
      if (get(F.NewPath))
        return F.NewPath + " (patch line " + std::to_string(F.InputLine) +
               "): the patch creates it, but it already exists";
    } else {
      std::optional<Image> &Src = get(F.OldPath);
      if (!Src)
        return F.OldPath + " (patch line " + std::to_string(F.InputLine) +
               "): not in the tree";
      Img = *Src;
    }
    if (std::string Err = applyHunks(Img, F); !Err.empty())
      return Err;
    if (F.isDeleted()) {
      if (!Img.empty())
        return F.OldPath + " (patch line " + std::to_string(F.InputLine) +
               "): the patch deletes it, but the file has " +
               std::to_string(Img.size()) + " lines the patch does not remove";
      get(F.OldPath) = std::nullopt;
      continue;
    }
    if (!F.isNew() && F.OldPath != F.NewPath) {
      if (get(F.NewPath))
        return F.NewPath + " (patch line " + std::to_string(F.InputLine) +
               "): the patch renames " + F.OldPath + " to it, but it exists";
      get(F.OldPath) = std::nullopt;
    }
    get(F.NewPath) = std::move(Img);
  }
  return "";
}

} // namespace

std::string resolveChanges(const PatchSet &P, const TreeReader &Read,
                           const ApplyOptions &Options, GateChanges &Out) {
  // Already applied? Reverse the whole series on the tree (the pre-image),
  // then apply it forward from there to learn the changed lines.
  std::vector<FilePatch> Rev;
  for (auto It = P.Files.rbegin(); It != P.Files.rend(); ++It)
    Rev.push_back(reversed(*It));
  ApplyState Pre;
  std::string RevErr = applyAll(Rev, Read, Options, Pre);
  ApplyState Post;
  if (RevErr.empty()) {
    TreeReader FromPre = [&](const std::string &Path) {
      auto It = Pre.Files.find(Path);
      if (It == Pre.Files.end())
        return Read(Path);
      if (!It->second)
        return std::optional<std::string>();
      return std::optional<std::string>(fromImage(*It->second));
    };
    if (std::string Err = applyAll(P.Files, FromPre, Options, Post);
        !Err.empty())
      return "the diff does not re-apply to its own pre-image: " + Err;
    Out.AlreadyApplied = true;
  } else if (Options.AllowForward) {
    std::string FwdErr = applyAll(P.Files, Read, Options, Post);
    if (!FwdErr.empty())
      return "the patch does not apply to the tree (nor is it already "
             "applied): " +
             FwdErr;
  } else {
    return "the diff does not match the tree: " + RevErr;
  }
  Out.Skipped = Post.Skipped;
  Out.SkippedLinks = Post.SkippedLinks;
  std::vector<std::string> Paths = Post.Order;
  std::sort(Paths.begin(), Paths.end());
  for (const std::string &Path : Paths) {
    const std::optional<Image> &Img = Post.Files[Path];
    if (!Img) {
      ++Out.Deleted;
      continue;
    }
    TouchedFile T;
    T.Path = Path;
    T.Content = fromImage(*Img);
    for (size_t I = 0; I < Img->size(); ++I) {
      T.Origins.push_back((*Img)[I].Origin);
      if ((*Img)[I].Changed)
        T.Changed.insert(I + 1);
    }
    Out.Files.push_back(std::move(T));
  }
  return "";
}

bool touchesFinding(const Finding &F, const TouchedLookup &Touched) {
  auto Changed = [&](const std::string &File, unsigned L1, unsigned L2) {
    const TouchedFile *T = Touched(File);
    if (!T)
      return false;
    auto C = T->Changed.lower_bound(L1);
    return C != T->Changed.end() && *C <= L2;
  };
  if (Changed(F.Where.File, F.Where.Line, F.Where.Line))
    return true;
  for (const SourcePoint &E : F.Expansions)
    if (Changed(E.File, E.Line, E.Line))
      return true;
  for (const Note &N : F.Notes)
    if (Changed(N.Where.File, N.Where.Line, N.Where.Line))
      return true;
  if (F.Fix)
    for (const TextEdit &E : F.Fix->Edits) {
      const TouchedFile *T = Touched(E.File);
      if (!T)
        continue;
      unsigned L1 = lineOfOffset(T->Content, E.Offset);
      unsigned L2 =
          lineOfOffset(T->Content, E.Offset + (E.Length ? E.Length - 1 : 0));
      if (Changed(E.File, L1, L2))
        return true;
    }
  return false;
}

namespace {

std::string normalise(llvm::StringRef S) {
  std::string Out;
  bool Space = false;
  for (char C : S) {
    if (C == ' ' || C == '\t' || C == '\r' || C == '\n' || C == '\f' ||
        C == '\v') {
      Space = true;
      continue;
    }
    if (Space && !Out.empty())
      Out += ' ';
    Space = false;
    Out += C;
  }
  return Out;
}

uint64_t fnv1a(llvm::StringRef S, uint64_t H = 0xcbf29ce484222325ULL) {
  for (unsigned char C : S) {
    H ^= C;
    H *= 0x100000001b3ULL;
  }
  return H;
}

std::string hex16(uint64_t V) {
  char Buf[17];
  snprintf(Buf, sizeof Buf, "%016llx", (unsigned long long)V);
  return Buf;
}

} // namespace

unsigned lineOfOffset(llvm::StringRef Text, unsigned Offset) {
  Offset = std::min<unsigned>(Offset, Text.size());
  return 1 + Text.substr(0, Offset).count('\n');
}

FindingKey findingKey(const std::string &Check, const std::string &DisplayFile,
                      llvm::StringRef FileText, unsigned Line) {
  std::vector<llvm::StringRef> Lines = inputLines(FileText);
  auto norm = [&](size_t I) { return normalise(Lines[I]); };
  FindingKey K;
  K.Check = Check;
  K.File = DisplayFile;
  if (Line == 0 || Line > Lines.size())
    return K;
  size_t I = Line - 1;
  K.Code = norm(I);
  std::string Before, After;
  for (size_t J = I; J-- > 0;)
    if (!(Before = norm(J)).empty())
      break;
  for (size_t J = I + 1; J < Lines.size(); ++J)
    if (!(After = norm(J)).empty())
      break;
  K.Context = hex16(fnv1a(Before + "\n" + After));
  return K;
}

std::string keyDigest(const FindingKey &K) {
  uint64_t H = fnv1a(K.Check);
  H = fnv1a(llvm::StringRef("\0", 1), H);
  H = fnv1a(K.File, H);
  H = fnv1a(llvm::StringRef("\0", 1), H);
  H = fnv1a(K.Code, H);
  H = fnv1a(llvm::StringRef("\0", 1), H);
  H = fnv1a(K.Context, H);
  return hex16(H);
}

std::vector<bool> matchBaseline(const std::vector<FindingKey> &Current,
                                const std::vector<FindingKey> &Baseline) {
  std::vector<bool> In(Current.size(), false);
  std::map<FindingKey, unsigned> Exact;
  for (const FindingKey &K : Baseline)
    ++Exact[K];
  for (size_t I = 0; I < Current.size(); ++I) {
    auto It = Exact.find(Current[I]);
    if (It != Exact.end() && It->second) {
      --It->second;
      In[I] = true;
    }
  }
  // Baseline entries left over, without their context.
  std::map<std::tuple<std::string, std::string, std::string>, unsigned> Loose;
  for (auto &[K, N] : Exact)
    if (N)
      Loose[{K.Check, K.File, K.Code}] += N;
  for (size_t I = 0; I < Current.size(); ++I) {
    if (In[I])
      continue;
    auto It = Loose.find({Current[I].Check, Current[I].File, Current[I].Code});
    if (It != Loose.end() && It->second) {
      --It->second;
      In[I] = true;
    }
  }
  return In;
}

} // namespace vmalloc_lint
