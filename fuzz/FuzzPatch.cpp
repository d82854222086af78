// Fuzz target: the patch gate's parser of unified diffs, git diffs and
// format-patch mails (tool/PatchGate.h), then the check that the patch
// applies, against a tree made of each file's pre-image as the patch
// itself describes it (so that the apply path is reached), and git's path
// quoting (quotePath's output is read back by unquoteGitPath).
#include "tool/PatchGate.h"

#include "FuzzCheck.h"

#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>

using namespace vmalloc_lint;

namespace {

// The pre-image a hunk describes: its context and removed lines at their
// old line numbers, blank lines in between.
std::map<std::string, std::string> preImages(const PatchSet &P) {
  std::map<std::string, std::string> Tree;
  for (const FilePatch &F : P.Files) {
    if (F.isNew() || F.Binary || Tree.count(F.OldPath))
      continue;
    std::string Text;
    unsigned Line = 1;
    for (const Hunk &H : F.Hunks) {
      if (H.OldStart > Line + 10000)
        break;
      for (; Line < H.OldStart; ++Line)
        Text += "\n";
      for (const PatchLine &L : H.Lines)
        if (L.Kind != '+') {
          Text += L.Text;
          ++Line;
        }
    }
    Tree[F.OldPath] = Text;
  }
  return Tree;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef Text(reinterpret_cast<const char *>(Data), Size);

  // Git's quoting round-trips every byte string.
  std::string Quoted = quotePath(Text);
  if (Quoted != Text) {
    llvm::StringRef Q = Quoted;
    std::string Back;
    FUZZ_CHECK(unquoteGitPath(Q, Back));
    FUZZ_CHECK(Q.empty() && Back == Text);
  }
  (void)unsafePath(Text);

  PatchSet P;
  if (!parsePatch(Text, P).empty())
    return 0;
  for (const FilePatch &F : P.Files)
    FUZZ_CHECK(!F.OldPath.empty() || !F.NewPath.empty());

  std::map<std::string, std::string> Tree = preImages(P);
  TreeReader Read = [&](const std::string &Rel) -> std::optional<std::string> {
    auto It = Tree.find(Rel);
    if (It == Tree.end())
      return std::nullopt;
    return It->second;
  };
  for (bool Binary : {true, false}) {
    GateChanges C;
    ApplyOptions O;
    O.BinaryIsError = Binary;
    if (!resolveChanges(P, Read, O, C).empty())
      continue;
    for (const TouchedFile &T : C.Files) {
      unsigned Lines = 0;
      for (char Ch : T.Content)
        Lines += Ch == '\n';
      if (!T.Content.empty() && T.Content.back() != '\n')
        ++Lines;
      for (unsigned L : T.Changed)
        FUZZ_CHECK(L >= 1 && L <= Lines);
      FUZZ_CHECK(T.Origins.size() <= Lines + 1);
      if (!T.Content.empty())
        (void)findingKey("check", T.Path, T.Content, 1 + Lines / 2);
    }
  }
  return 0;
}
