// The patch gate's diff handling: parsing, "does it apply" (forward, already
// applied, shifted hunks), changed lines through a series, and baseline keys.
#include "tool/PatchGate.h"
#include "tool/FindingsJson.h"

#include <gtest/gtest.h>

#include <chrono>
#include <iterator>

using namespace vmalloc_lint;

namespace {

std::string numbered(unsigned From, unsigned To) {
  std::string S;
  for (unsigned I = From; I <= To; ++I)
    S += "line " + std::to_string(I) + "\n";
  return S;
}

/// A tree of files in memory.
struct Tree {
  std::map<std::string, std::string> Files;
  TreeReader reader() const {
    return [this](const std::string &P) -> std::optional<std::string> {
      auto It = Files.find(P);
      if (It == Files.end())
        return std::nullopt;
      return It->second;
    };
  }
};

std::string resolve(llvm::StringRef Patch, const Tree &T, GateChanges &Out,
                    ApplyOptions Opt = {}) {
  PatchSet P;
  std::string Err = parsePatch(Patch, P);
  if (!Err.empty())
    return "parse: " + Err;
  return resolveChanges(P, T.reader(), Opt, Out);
}

// Adds "new" after line 5 and changes line 8 of a 10-line file.
const char *TwoHunks = "diff --git a/d/f.c b/d/f.c\n"
                       "index 1111111..2222222 100644\n"
                       "--- a/d/f.c\n"
                       "+++ b/d/f.c\n"
                       "@@ -4,2 +4,3 @@ ctx\n"
                       " line 4\n"
                       " line 5\n"
                       "+new\n"
                       "@@ -7,3 +8,3 @@\n"
                       " line 7\n"
                       "-line 8\n"
                       "+line eight\n"
                       " line 9\n";

TEST(PatchGateTest, ParsesGitDiff) {
  PatchSet P;
  ASSERT_EQ(parsePatch(TwoHunks, P), "");
  ASSERT_EQ(P.Files.size(), 1u);
  EXPECT_EQ(P.Files[0].OldPath, "d/f.c");
  EXPECT_EQ(P.Files[0].NewPath, "d/f.c");
  ASSERT_EQ(P.Files[0].Hunks.size(), 2u);
  EXPECT_EQ(P.Files[0].Hunks[1].Header, "@@ -7,3 +8,3 @@");
  EXPECT_EQ(P.Files[0].Hunks[1].InputLine, 9u);
  EXPECT_EQ(P.HunkLines, 7u);
}

TEST(PatchGateTest, AppliesForwardWithShiftedHunks) {
  Tree T;
  // Three lines more at the top than the patch expects: both hunks shift.
  T.Files["d/f.c"] = "a\nb\nc\n" + numbered(1, 10);
  GateChanges C;
  ASSERT_EQ(resolve(TwoHunks, T, C), "");
  EXPECT_FALSE(C.AlreadyApplied);
  ASSERT_EQ(C.Files.size(), 1u);
  EXPECT_EQ(C.Files[0].Changed, (std::set<unsigned>{9, 12}));
  EXPECT_EQ(C.Files[0].Content, "a\nb\nc\n" + numbered(1, 5) + "new\n" +
                                    numbered(6, 7) + "line eight\n" +
                                    numbered(9, 10));
  // Line 9 (new) comes from patch line 8, a '+'; line 11 (line 7) is
  // context from patch line 10.
  EXPECT_EQ(C.Files[0].Origins[8].InputLine, 8u);
  EXPECT_EQ(C.Files[0].Origins[8].Kind, '+');
  EXPECT_EQ(C.Files[0].Origins[10].Kind, ' ');
  EXPECT_EQ(C.Files[0].Origins[0].InputLine, 0u);
}

TEST(PatchGateTest, RecognisesAnAppliedPatch) {
  Tree T;
  T.Files["d/f.c"] = numbered(1, 5) + "new\n" + numbered(6, 7) +
                     "line eight\n" + numbered(9, 10);
  GateChanges C;
  ASSERT_EQ(resolve(TwoHunks, T, C), "");
  EXPECT_TRUE(C.AlreadyApplied);
  EXPECT_EQ(C.Files[0].Content, T.Files["d/f.c"]);
  EXPECT_EQ(C.Files[0].Changed, (std::set<unsigned>{6, 9}));
}

TEST(PatchGateTest, SaysWhichHunkDoesNotApply) {
  Tree T;
  T.Files["d/f.c"] = numbered(1, 7) + "line 8 changed\n" + numbered(9, 10);
  GateChanges C;
  std::string Err = resolve(TwoHunks, T, C);
  EXPECT_NE(Err.find("hunk #2 of d/f.c (@@ -7,3 +8,3 @@, patch line 9) does "
                     "not apply: line 9 is 'line 8 changed', the patch "
                     "expects 'line 8' (patch line 11)"),
            std::string::npos)
      << Err;
  Tree Empty;
  EXPECT_NE(resolve(TwoHunks, Empty, C)
                .find("d/f.c (patch line 1): not in "
                      "the tree"),
            std::string::npos);
  // Git modes: the tree must hold the post-image.
  T.Files["d/f.c"] = numbered(1, 10);
  ApplyOptions NoForward;
  NoForward.AllowForward = false;
  EXPECT_NE(resolve(TwoHunks, T, C, NoForward).find("does not match"),
            std::string::npos);
}

TEST(PatchGateTest, SeriesTouchingOneFileTwice) {
  // Two mails: the first adds "x" after line 2, the second changes line 5.
  std::string Series = "From 0123456789abcdef0123456789abcdef01234567 Mon Sep "
                       "17 00:00:00 2001\n"
                       "Subject: [PATCH 1/2] one\n\n---\n f.c | 1 +\n\n"
                       "diff --git a/f.c b/f.c\n--- a/f.c\n+++ b/f.c\n"
                       "@@ -2 +2,2 @@\n line 2\n+x\n"
                       "-- \n2.39.2\n\n"
                       "From 0123456789abcdef0123456789abcdef01234568 Mon Sep "
                       "17 00:00:00 2001\n"
                       "Subject: [PATCH 2/2] two\n\n---\n"
                       "diff --git a/f.c b/f.c\n--- a/f.c\n+++ b/f.c\n"
                       "@@ -5,2 +5,2 @@\n-line 4\n+line four\n line 5\n"
                       "-- \n2.39.2\n";
  PatchSet P;
  ASSERT_EQ(parsePatch(Series, P), "");
  EXPECT_EQ(P.Mails, 2u);
  ASSERT_EQ(P.Files.size(), 2u);
  Tree T;
  T.Files["f.c"] = numbered(1, 6);
  GateChanges C;
  ASSERT_EQ(resolveChanges(P, T.reader(), {}, C), "");
  EXPECT_FALSE(C.AlreadyApplied);
  EXPECT_EQ(C.Files[0].Changed, (std::set<unsigned>{3, 5}));
  // Applied: the same lines.
  T.Files["f.c"] = C.Files[0].Content;
  GateChanges D;
  ASSERT_EQ(resolveChanges(P, T.reader(), {}, D), "");
  EXPECT_TRUE(D.AlreadyApplied);
  EXPECT_EQ(D.Files[0].Changed, C.Files[0].Changed);
}

TEST(PatchGateTest, NewDeletedRenamedAndNoNewlineFiles) {
  std::string Patch = "diff --git a/n.c b/n.c\nnew file mode 100644\n"
                      "--- /dev/null\n+++ b/n.c\n@@ -0,0 +1,2 @@\n+a\n+b\n"
                      "\\ No newline at end of file\n"
                      "diff --git a/gone.c b/gone.c\ndeleted file mode 100644\n"
                      "--- a/gone.c\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n"
                      "diff --git a/old.c b/new.c\nsimilarity index 100%\n"
                      "rename from old.c\nrename to new.c\n";
  Tree T;
  T.Files["gone.c"] = "x\n";
  T.Files["old.c"] = "keep\n";
  GateChanges C;
  ASSERT_EQ(resolve(Patch, T, C), "");
  EXPECT_FALSE(C.AlreadyApplied);
  EXPECT_EQ(C.Deleted, 2u); // gone.c, and old.c under its old name
  ASSERT_EQ(C.Files.size(), 2u);
  EXPECT_EQ(C.Files[0].Path, "n.c");
  EXPECT_EQ(C.Files[0].Content, "a\nb");
  EXPECT_EQ(C.Files[0].Changed, (std::set<unsigned>{1, 2}));
  EXPECT_EQ(C.Files[1].Path, "new.c");
  EXPECT_TRUE(C.Files[1].Changed.empty());
  // The same tree after the patch.
  Tree After;
  After.Files["n.c"] = "a\nb";
  After.Files["new.c"] = "keep\n";
  GateChanges D;
  ASSERT_EQ(resolve(Patch, After, D), "");
  EXPECT_TRUE(D.AlreadyApplied);
  EXPECT_EQ(D.Files[0].Changed, (std::set<unsigned>{1, 2}));
}

TEST(PatchGateTest, BadInput) {
  PatchSet P;
  EXPECT_EQ(parsePatch("", P), "");
  EXPECT_TRUE(P.Files.empty());
  EXPECT_EQ(parsePatch("  \n\n", P), "");
  EXPECT_NE(parsePatch("hello\n", P).find("no diff in the input"),
            std::string::npos);
  PatchSet Q;
  EXPECT_NE(parsePatch("--- a/f.c\n+++ b/f.c\n@@ -1,2 +1,2 @@\n a\n", Q)
                .find("patch ends inside hunk #1 of f.c"),
            std::string::npos);
  PatchSet R;
  EXPECT_NE(parsePatch("--- a/f.c\n+++ b/f.c\n@@ -1 +1 @@\n-a\n+b\n+c\n", R)
                .find("patch line 6: '+c' after the 1 old and 1 new lines"),
            std::string::npos);
  PatchSet S;
  EXPECT_NE(parsePatch("--- a/f.c\n+++ b/f.c\n@@ -1 +x @@\n", S)
                .find("patch line 3: malformed hunk header"),
            std::string::npos);
  PatchSet B;
  ASSERT_EQ(parsePatch("diff --git a/f.bin b/f.bin\nindex 1..2 100644\n"
                       "GIT binary patch\nliteral 3\nKcmV+\n\nliteral 0\n"
                       "HcmV?d00001\n\n",
                       B),
            "");
  ASSERT_EQ(B.Files.size(), 1u);
  EXPECT_TRUE(B.Files[0].Binary);
  Tree T;
  T.Files["f.bin"] = "xy";
  GateChanges C;
  EXPECT_NE(resolveChanges(B, T.reader(), {}, C).find("binary diff for f.bin"),
            std::string::npos);
  ApplyOptions Skip;
  Skip.BinaryIsError = false;
  GateChanges D;
  EXPECT_EQ(resolveChanges(B, T.reader(), Skip, D), "");
  EXPECT_EQ(D.Skipped, std::vector<std::string>{"f.bin"});
}

TEST(PatchGateTest, WhichFindingsAChangeTouches) {
  TouchedFile T;
  T.Path = "f.c";
  T.Content = "a\nb |\n  c);\nd\n";
  T.Changed = {2};
  TouchedLookup Lookup = [&](const std::string &P) {
    return P == "/t/f.c" ? &T : nullptr;
  };
  Finding F;
  F.Where = {"/t/f.c", 3, 3, 9};
  EXPECT_FALSE(touchesFinding(F, Lookup));
  // Its fix joins lines 2 and 3.
  Finding Fixed = F;
  Fixed.Fix = FixIt{"drop", {{"/t/f.c", 3, 6, ""}}};
  EXPECT_TRUE(touchesFinding(Fixed, Lookup));
  // A macro expansion site, and a note (pass 2: the allocation) on line 2.
  Finding Expanded = F;
  Expanded.Expansions.push_back({"/t/f.c", 2, 1, 2});
  EXPECT_TRUE(touchesFinding(Expanded, Lookup));
  Finding Noted = F;
  Noted.Notes.push_back({{"/t/f.c", 2, 1, 2}, "allocated by vmalloc() here"});
  EXPECT_TRUE(touchesFinding(Noted, Lookup));
  // Another file's line 2 is not this one's.
  Finding Elsewhere = F;
  Elsewhere.Where.File = "/t/g.c";
  Elsewhere.Notes.push_back({{"/t/g.c", 2, 1, 2}, "x"});
  EXPECT_FALSE(touchesFinding(Elsewhere, Lookup));
}

TEST(PatchGateTest, BaselineKeys) {
  std::string Text = "int a;\n\n  x = f(GFP_KERNEL |  __GFP_HIGHMEM);\n"
                     "\n}\n";
  FindingKey K = findingKey("c", "f.c", Text, 3);
  EXPECT_EQ(K.Code, "x = f(GFP_KERNEL | __GFP_HIGHMEM);");
  // Moved down, reindented, blank lines around it changed: same key.
  std::string Moved = "/* new */\nint b;\nint a;\n\tx = f(GFP_KERNEL | "
                      "__GFP_HIGHMEM);\n}\n";
  FindingKey M = findingKey("c", "f.c", Moved, 4);
  EXPECT_EQ(keyDigest(K), keyDigest(M));
  // A neighbour changed: same code, other context.
  std::string Near = "int c;\n  x = f(GFP_KERNEL |  __GFP_HIGHMEM);\n}\n";
  FindingKey N = findingKey("c", "f.c", Near, 2);
  EXPECT_EQ(N.Code, K.Code);
  EXPECT_NE(N.Context, K.Context);
  // Exact keys first, then code alone; one baseline entry per finding.
  FindingKey Other = K;
  Other.Code = "y = g();";
  std::vector<bool> In = matchBaseline({N, K, K, Other}, {K, K});
  EXPECT_EQ(In, (std::vector<bool>{false, true, true, false}));
  In = matchBaseline({N, K, Other}, {K, K});
  EXPECT_EQ(In, (std::vector<bool>{true, true, false}));
  std::vector<FindingKey> B;
  EXPECT_NE(loadBaseline("{\"findings\": [{\"check\": \"c\"}]}", B)
                .find("fingerprint"),
            std::string::npos);
}

} // namespace

// Hostile input (issue 18): git's quoted names, paths that leave the tree,
// renames onto files, junk, and a hunk that costs quadratic time to place.

TEST(PatchGateTest, UnquotesGitPaths) {
  llvm::StringRef S = "\"a/dir/\\303\\251 x.c\" rest";
  std::string U;
  ASSERT_TRUE(unquoteGitPath(S, U));
  EXPECT_EQ(U, "a/dir/\xc3\xa9 x.c");
  EXPECT_EQ(S, " rest");
  llvm::StringRef E = "\"t\\tn\\nq\\\"b\\\\\\377\"";
  ASSERT_TRUE(unquoteGitPath(E, U));
  EXPECT_EQ(U, "t\tn\nq\"b\\\xff");
  EXPECT_TRUE(E.empty());
  for (llvm::StringRef Bad :
       {"\"open", "\"bad \\q\"", "\"oct \\39\"", "\"short \\30\"", "plain"}) {
    llvm::StringRef B = Bad;
    EXPECT_FALSE(unquoteGitPath(B, U)) << Bad.str();
    EXPECT_EQ(B, Bad);
  }
  // quotePath: one line whatever the name holds, and git's quoting back.
  EXPECT_EQ(quotePath("dir/a b.c"), "dir/a b.c");
  EXPECT_EQ(quotePath("dir/\xc3\xa9.c"), "dir/\xc3\xa9.c");
  std::string Q = quotePath("a\nb\"c\\d\x01.c");
  EXPECT_EQ(Q, "\"a\\nb\\\"c\\\\d\\001.c\"");
  llvm::StringRef QR = Q;
  ASSERT_TRUE(unquoteGitPath(QR, U));
  EXPECT_EQ(U, "a\nb\"c\\d\x01.c");
}

TEST(PatchGateTest, ParsesQuotedAndSpacedNames) {
  // What `git diff` prints for "dir/é x.c" (core.quotePath), a name with a
  // newline (a second header in the name is not a header), a name holding
  // " b/", and a quoted rename.
  std::string Patch =
      "diff --git \"a/dir/\\303\\251 x.c\" \"b/dir/\\303\\251 x.c\"\n"
      "index 1111111..2222222 100644\n"
      "--- \"a/dir/\\303\\251 x.c\"\n"
      "+++ \"b/dir/\\303\\251 x.c\"\n"
      "@@ -1 +1 @@\n-old\n+new\n"
      "diff --git \"a/n\\n+++ b/evil.c\" \"b/n\\n+++ b/evil.c\"\n"
      "new file mode 100644\n"
      "index 0000000..3333333\n"
      "--- /dev/null\n"
      "+++ \"b/n\\n+++ b/evil.c\"\n"
      "@@ -0,0 +1 @@\n+x\n"
      "diff --git a/x b/y.c b/x b/y.c\nold mode 100644\nnew mode 100755\n"
      "diff --git \"a/$(id) q\\\".c\" \"b/r\\303\\251.c\"\n"
      "similarity index 100%\n"
      "rename from \"$(id) q\\\".c\"\n"
      "rename to \"r\\303\\251.c\"\n"
      "diff --git a/s p.c b/s p.c\n"
      "--- a/s p.c\t\n"
      "+++ b/s p.c\t\n"
      "@@ -1 +1 @@\n-1\n+2\n";
  PatchSet P;
  ASSERT_EQ(parsePatch(Patch, P), "");
  ASSERT_EQ(P.Files.size(), 5u);
  EXPECT_EQ(P.Files[0].OldPath, "dir/\xc3\xa9 x.c");
  EXPECT_EQ(P.Files[0].NewPath, "dir/\xc3\xa9 x.c");
  EXPECT_EQ(P.Files[1].OldPath, "");
  EXPECT_EQ(P.Files[1].NewPath, "n\n+++ b/evil.c");
  EXPECT_EQ(P.Files[1].Hunks.size(), 1u);
  EXPECT_EQ(P.Files[2].OldPath, "x b/y.c");
  EXPECT_EQ(P.Files[2].NewPath, "x b/y.c");
  EXPECT_EQ(P.Files[3].OldPath, "$(id) q\".c");
  EXPECT_EQ(P.Files[3].NewPath, "r\xc3\xa9.c");
  EXPECT_EQ(P.Files[4].NewPath, "s p.c");
  Tree T;
  T.Files["dir/\xc3\xa9 x.c"] = "old\n";
  T.Files["x b/y.c"] = "m\n";
  T.Files["$(id) q\".c"] = "r\n";
  T.Files["s p.c"] = "1\n";
  GateChanges C;
  ASSERT_EQ(resolveChanges(P, T.reader(), {}, C), "");
  std::vector<std::string> Paths;
  for (const TouchedFile &F : C.Files)
    Paths.push_back(F.Path);
  EXPECT_EQ(Paths,
            (std::vector<std::string>{"dir/\xc3\xa9 x.c", "n\n+++ b/evil.c",
                                      "r\xc3\xa9.c", "s p.c", "x b/y.c"}));
  EXPECT_EQ(C.Files[0].Content, "new\n");
  EXPECT_EQ(C.Deleted, 1u); // the rename's old name
  PatchSet Bad;
  EXPECT_NE(parsePatch("diff --git \"a/open b/x\n", Bad)
                .find("patch line 1: malformed file header"),
            std::string::npos);
  // A header without names (found by fuzz-patch: it was a file "" that is
  // both new and deleted, "1 file touched"), or whose names are only the
  // a/ b/ prefixes, is refused as git refuses it.
  for (const char *H :
       {"diff --git  \n", "diff --git   \n", "diff --git a/ b/\n",
        "diff --git \"a/\" \"b/\"\n", "diff --git  \nnew file mode 100644\n"}) {
    PatchSet Empty;
    EXPECT_NE(parsePatch(H, Empty).find("patch line 1: malformed file header"),
              std::string::npos)
        << H;
  }
  // "---"/"+++" lines that name no file (the second crash of fuzz-patch:
  // they emptied a git header's names), in a git diff and a plain one.
  for (const char *P :
       {"diff --git m d\n--- \n+++ \n",
        "diff --git a/x.c b/x.c\n--- a/\n+++ b/x.c\n@@ -1 +1 @@\n-a\n+b\n",
        "--- \n+++ b/x.c\n@@ -1 +1 @@\n-a\n+b\n",
        "--- a/x.c\n+++ b/\n@@ -1 +1 @@\n-a\n+b\n"}) {
    PatchSet Empty;
    EXPECT_NE(parsePatch(P, Empty).find(": file header without a file name"),
              std::string::npos)
        << P;
  }
  // A header both new and deleted (the third crash of fuzz-patch).
  PatchSet Both;
  EXPECT_EQ(parsePatch("diff --git a/n b/n\nnew file mode 100644\n"
                       "deleted file mode 100644\n",
                       Both),
            "patch line 1: file header of a file both new and deleted");
}

TEST(PatchGateTest, UnsafePaths) {
  EXPECT_EQ(unsafePath("dir/a b.c"), "");
  EXPECT_EQ(unsafePath("dir/..x/y.c"), "");
  EXPECT_EQ(unsafePath(""), ""); // /dev/null
  EXPECT_EQ(unsafePath("/etc/passwd"), "an absolute path");
  for (const char *P : {"..", "../x.c", "a/../../x.c", "a/.."})
    EXPECT_EQ(unsafePath(P), "a '..' component") << P;
  for (const char *P : {"a//b.c", "./a.c", "a/./b.c", "a/"})
    EXPECT_EQ(unsafePath(P), "an empty or '.' component") << P;
  EXPECT_EQ(unsafePath(llvm::StringRef("a\0b.c", 5)), "a NUL byte in the name");
}

TEST(PatchGateTest, RenamesOntoFilesAndRenameThenModify) {
  // git am refuses a rename onto a file that exists; so does the gate.
  const char *Onto = "diff --git a/a.c b/b.c\nsimilarity index 100%\n"
                     "rename from a.c\nrename to b.c\n";
  Tree T;
  T.Files["a.c"] = "a\n";
  T.Files["b.c"] = "b\n";
  GateChanges C;
  EXPECT_EQ(resolve(Onto, T, C),
            "the patch does not apply to the tree (nor is it already "
            "applied): b.c (patch line 1): the patch renames a.c to it, but "
            "it exists");
  // A series: rename a.c to c.c, then modify c.c; on the pre-image and on
  // the post-image (what `git am` leaves) the same view.
  std::string Series = "From 1111111111111111111111111111111111111111 Mon Sep "
                       "17 00:00:00 2001\nSubject: [PATCH 1/2] mv\n\n---\n"
                       "diff --git a/a.c b/c.c\nsimilarity index 100%\n"
                       "rename from a.c\nrename to c.c\n-- \n2.39.5\n\n"
                       "From 2222222222222222222222222222222222222222 Mon Sep "
                       "17 00:00:00 2001\nSubject: [PATCH 2/2] edit\n\n---\n"
                       "diff --git a/c.c b/c.c\n--- a/c.c\n+++ b/c.c\n"
                       "@@ -1 +1,2 @@\n a\n+added\n-- \n2.39.5\n";
  for (bool Applied : {false, true}) {
    Tree U;
    U.Files["b.c"] = "b\n";
    U.Files[Applied ? "c.c" : "a.c"] = Applied ? "a\nadded\n" : "a\n";
    GateChanges D;
    ASSERT_EQ(resolve(Series, U, D), "") << Applied;
    EXPECT_EQ(D.AlreadyApplied, Applied);
    EXPECT_EQ(D.Deleted, 1u);
    ASSERT_EQ(D.Files.size(), 1u);
    EXPECT_EQ(D.Files[0].Path, "c.c");
    EXPECT_EQ(D.Files[0].Content, "a\nadded\n");
    EXPECT_EQ(D.Files[0].Changed, std::set<unsigned>{2});
  }
}

TEST(PatchGateTest, JunkNeverCrashes) {
  // Random bytes, and random lines made of patch syntax: a result, never a
  // crash or a hang.
  uint64_t X = 88172645463325252ULL;
  auto next = [&] {
    X ^= X << 13;
    X ^= X >> 7;
    X ^= X << 17;
    return X;
  };
  const char *Pieces[] = {"diff --git ",
                          "\"a/",
                          "\\",
                          "\\3",
                          "\"",
                          " b/",
                          "--- ",
                          "+++ ",
                          "@@ -",
                          "@@ ",
                          ",",
                          "1",
                          "0",
                          " @@\n",
                          "\n",
                          "+",
                          "-",
                          " ",
                          "rename from ",
                          "new file mode",
                          "\\ No newline\n",
                          "/dev/null"};
  for (int Round = 0; Round < 2000; ++Round) {
    std::string In;
    size_t Len = next() % 400;
    for (size_t I = 0; I < Len; ++I)
      In += Round % 2 ? std::string(1, char(next()))
                      : std::string(Pieces[next() % std::size(Pieces)]);
    PatchSet P;
    std::string Err = parsePatch(In, P);
    EXPECT_EQ(Err.find('\n'), std::string::npos);
    if (!Err.empty())
      continue;
    Tree T;
    GateChanges C;
    std::string E = resolveChanges(P, T.reader(), {}, C);
    (void)E;
  }
}

TEST(PatchGateTest, PlacingAHugeHunkIsLinear) {
  // 100,000 equal lines; a hunk of 50,000 of them and one line the file
  // does not have: every place matches up to the last line, so a plain
  // search compares 50,000 lines at each of 50,000 places (2.5e9).
  std::string File, Hunk = "--- a/f.c\n+++ b/f.c\n@@ -1,50001 +1,1 @@\n";
  for (int I = 0; I < 100000; ++I)
    File += "x\n";
  for (int I = 0; I < 50000; ++I)
    Hunk += "-x\n";
  Hunk += "-y\n+z\n";
  Tree T;
  T.Files["f.c"] = File;
  GateChanges C;
  auto Start = std::chrono::steady_clock::now();
  std::string Err = resolve(Hunk, T, C);
  double Secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - Start)
          .count();
  EXPECT_NE(Err.find("line 50001 is 'x', the patch expects 'y' (patch line "
                     "50004); no other place in the file matches"),
            std::string::npos)
      << Err;
  EXPECT_LT(Secs, 5.0);
  // The same hunk where the file has the line, far from its stated place.
  T.Files["f.c"] = File + "y\n";
  GateChanges D;
  ASSERT_EQ(resolve(Hunk, T, D), "");
  EXPECT_EQ(D.Files[0].Content.size(), 2 * 50000 + 2u);
  EXPECT_EQ(D.Files[0].Changed, std::set<unsigned>{50001});
}
