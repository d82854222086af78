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
std::string patchPath(llvm::StringRef P) {
  P = P.split('\t').first.rtrim();
  if (P == "/dev/null")
    return "";
  std::string S = P.str();
  if (S.size() >= 2 && S.front() == '"' && S.back() == '"') {
    std::string U;
    for (size_t I = 1; I + 1 < S.size(); ++I) {
      if (S[I] == '\\' && I + 2 < S.size()) {
        char C = S[++I];
        U += C == 't' ? '\t' : C == 'n' ? '\n' : C;
      } else {
        U += S[I];
      }
    }
    S = U;
  }
  size_t Slash = S.find('/');
  if (Slash != std::string::npos)
    S = S.substr(Slash + 1);
  return S;
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
      llvm::StringRef Rest = L.drop_front(11);
      size_t B = Rest.find(" b/");
      if (Rest.starts_with("a/") && B != llvm::StringRef::npos) {
        Cur->OldPath = Rest.substr(2, B - 2).str();
        Cur->NewPath = Rest.substr(B + 3).str();
      } else {
        auto [O, N] = Rest.split(' ');
        Cur->OldPath = patchPath(O);
        Cur->NewPath = patchPath(N);
      }
      ++I;
      // Extended header lines.
      for (; I < Lines.size(); ++I) {
        llvm::StringRef E = Lines[I];
        if (E.starts_with("new file mode")) {
          Cur->OldPath.clear();
        } else if (E.starts_with("deleted file mode")) {
          Cur->NewPath.clear();
        } else if (E.consume_front("rename from ") ||
                   E.consume_front("copy from ")) {
          Cur->OldPath = E.str();
        } else if (E.consume_front("rename to ") ||
                   E.consume_front("copy to ")) {
          Cur->NewPath = E.str();
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
      if (I + 1 < Lines.size() && Lines[I].starts_with("--- ") &&
          Lines[I + 1].starts_with("+++ ")) {
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

struct LineInfo {
  std::string Text;
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
    } else {
      for (long D = 0; Found < 0 && D <= long(Img.size()); ++D) {
        if (matches(Expected - D))
          Found = Expected - D;
        else if (D && matches(Expected + D))
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
