// --fix and --diff: edits grouped per file, stale files refused, atomic
// writes, unified diffs that patch(1)/git apply accept.
#include "tool/ApplyFixes.h"
#include "matchers/Finding.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <sys/stat.h>

using namespace vmalloc_lint;

namespace {

std::string slurp(const std::string &P) {
  std::ifstream In(P);
  std::stringstream S;
  S << In.rdbuf();
  return S.str();
}

std::string tempFile(const std::string &Name, const std::string &Text) {
  std::string Dir = testing::TempDir();
  if (!Dir.empty() && Dir.back() == '/')
    Dir.pop_back();
  std::string P = Dir + "/" + Name;
  std::ofstream(P) << Text;
  return P;
}

Finding dropFinding(const std::string &File, const std::string &Text,
                    const std::string &What) {
  Finding F;
  F.Check = "vmalloc-redundant-highmem";
  F.Where.File = File;
  size_t At = Text.find(What);
  F.Fix = FixIt{"drop", {{File, unsigned(At), unsigned(What.size()), ""}}};
  return F;
}

} // namespace

TEST(ApplyFixes, WritesAndDiffs) {
  std::string Text = "a\nb\nc\nd\n\treturn __vmalloc(n, GFP_KERNEL | "
                     "__GFP_HIGHMEM);\ne\nf\ng\nh\n";
  std::string P = tempFile("vl-apply.c", Text);
  AnalysisResult R;
  R.Findings.push_back(dropFinding(P, Text, " | __GFP_HIGHMEM"));
  R.Findings.push_back(
      dropFinding(P, Text, " | __GFP_HIGHMEM")); // same fix twice
  R.FileHashes.push_back({P, contentHash(Text)});
  FixPlan Plan = planFixes(R);
  ASSERT_FALSE(Plan.Refused);
  ASSERT_EQ(Plan.Files.size(), 1u);
  EXPECT_EQ(Plan.Files[0].Edits.size(), 1u) << "a shared fix is applied once";
  std::string Root = testing::TempDir();
  if (!Root.empty() && Root.back() == '/')
    Root.pop_back();
  EXPECT_EQ(
      unifiedDiff(Plan, Root),
      "--- a/vl-apply.c\n+++ b/vl-apply.c\n@@ -2,7 +2,7 @@ a\n b\n c\n d\n"
      "-\treturn __vmalloc(n, GFP_KERNEL | __GFP_HIGHMEM);\n"
      "+\treturn __vmalloc(n, GFP_KERNEL);\n e\n f\n g\n");
  EXPECT_EQ(writeFixes(Plan), "");
  EXPECT_EQ(slurp(P),
            "a\nb\nc\nd\n\treturn __vmalloc(n, GFP_KERNEL);\ne\nf\ng\nh\n");
}

TEST(ApplyFixes, RefusesAReadOnlyFileAndKeepsModes) {
  std::string Text = "x = __vmalloc(n, GFP_KERNEL | __GFP_HIGHMEM);\n";
  std::string Ro = tempFile("vl-readonly.c", Text);
  std::string Rw = tempFile("vl-mode0640.c", Text);
  ASSERT_EQ(chmod(Rw.c_str(), 0640), 0);
  ASSERT_EQ(chmod(Ro.c_str(), 0444), 0);
  AnalysisResult R;
  R.Findings.push_back(dropFinding(Rw, Text, " | __GFP_HIGHMEM"));
  R.Findings.push_back(dropFinding(Ro, Text, " | __GFP_HIGHMEM"));
  R.FileHashes.push_back({Ro, contentHash(Text)});
  R.FileHashes.push_back({Rw, contentHash(Text)});
  FixPlan Plan = planFixes(R);
  ASSERT_EQ(Plan.Files.size(), 2u);
  // Root included: the mode bits, not access(W_OK), decide.
  std::string Err = writeFixes(Plan);
  EXPECT_NE(Err.find("refuses to write " + Ro + " (mode 0444 forbids writing"),
            std::string::npos)
      << Err;
  EXPECT_EQ(Err.find('\n'), std::string::npos) << "one line";
  EXPECT_EQ(slurp(Ro), Text);
  EXPECT_EQ(slurp(Rw), Text) << "nothing written, not even the writable file";
  struct stat St;
  ASSERT_EQ(stat(Ro.c_str(), &St), 0);
  EXPECT_EQ(St.st_mode & 07777, 0444u);
  // Writable again: both are fixed and keep their modes.
  ASSERT_EQ(chmod(Ro.c_str(), 0604), 0);
  EXPECT_EQ(writeFixes(Plan), "");
  EXPECT_EQ(slurp(Ro), "x = __vmalloc(n, GFP_KERNEL);\n");
  EXPECT_EQ(slurp(Rw), "x = __vmalloc(n, GFP_KERNEL);\n");
  ASSERT_EQ(stat(Ro.c_str(), &St), 0);
  EXPECT_EQ(St.st_mode & 07777, 0604u);
  ASSERT_EQ(stat(Rw.c_str(), &St), 0);
  EXPECT_EQ(St.st_mode & 07777, 0640u);
  chmod(Ro.c_str(), 0644);
}

TEST(ApplyFixes, RefusesAFileThatChangedSinceItWasRead) {
  std::string Text = "x = __vmalloc(n, GFP_KERNEL | __GFP_HIGHMEM);\n";
  std::string P = tempFile("vl-stale.c", Text);
  AnalysisResult R;
  R.Findings.push_back(dropFinding(P, Text, " | __GFP_HIGHMEM"));
  R.FileHashes.push_back({P, contentHash(Text)});
  std::ofstream(P) << "/* edited meanwhile */\n" << Text;
  FixPlan Plan = planFixes(R);
  EXPECT_TRUE(Plan.Refused);
  ASSERT_EQ(Plan.Problems.size(), 1u);
  EXPECT_NE(Plan.Problems[0].find("changed since it was analysed"),
            std::string::npos);
  EXPECT_NE(writeFixes(Plan), "");
  EXPECT_EQ(slurp(P), "/* edited meanwhile */\n" + Text) << "nothing written";
}

TEST(ApplyFixes, OverlappingFixesKeepTheFirst) {
  std::string Text = "f(GFP_KERNEL | __GFP_HIGHMEM);\n";
  std::string P = tempFile("vl-overlap.c", Text);
  AnalysisResult R;
  R.Findings.push_back(dropFinding(P, Text, " | __GFP_HIGHMEM"));
  R.Findings.push_back(dropFinding(P, Text, "__GFP_HIGHMEM"));
  R.FileHashes.push_back({P, contentHash(Text)});
  FixPlan Plan = planFixes(R);
  ASSERT_EQ(Plan.Files.size(), 1u);
  EXPECT_EQ(Plan.Files[0].Fixed, "f(GFP_KERNEL);\n");
  // A note (--quiet does not print it), not a refusal.
  ASSERT_EQ(Plan.Dropped.size(), 1u);
  EXPECT_NE(Plan.Dropped[0].find("fix not applied: it overlaps another fix"),
            std::string::npos);
  EXPECT_TRUE(Plan.Problems.empty());
  EXPECT_FALSE(Plan.Refused);
}

TEST(ApplyFixes, AFixAnotherChecksRewriteCoversIsSubsumed) {
  std::string Text = "p = __vmalloc(n, GFP_KERNEL | __GFP_HIGHMEM);\n";
  std::string P = tempFile("vl-subsumed.c", Text);
  AnalysisResult R;
  Finding Kv;
  Kv.Check = "vmalloc-open-coded-kvmalloc";
  Kv.Where.File = P;
  Kv.Where.Line = 1;
  Kv.Fix = FixIt{
      "use kvmalloc()",
      {{P, 0, unsigned(Text.size() - 1), "p = kvmalloc(n, GFP_KERNEL);"}}};
  R.Findings.push_back(Kv);
  Finding Hi = dropFinding(P, Text, " | __GFP_HIGHMEM");
  Hi.Fix->Description = "drop __GFP_HIGHMEM";
  R.Findings.push_back(Hi);
  R.FileHashes.push_back({P, contentHash(Text)});
  FixPlan Plan = planFixes(R);
  ASSERT_EQ(Plan.Files.size(), 1u);
  EXPECT_EQ(Plan.Files[0].Fixed, "p = kvmalloc(n, GFP_KERNEL);\n");
  ASSERT_EQ(Plan.Dropped.size(), 1u);
  EXPECT_NE(
      Plan.Dropped[0].find(
          "fix not applied: subsumed by vmalloc-open-coded-kvmalloc's "
          "fix at line 1, which rewrites this code without __GFP_HIGHMEM"),
      std::string::npos)
      << Plan.Dropped[0];

  // The same rewrite writing the flag back: only an overlap.
  R.Findings[0].Fix->Edits[0].Text =
      "p = kvmalloc(n, GFP_KERNEL | __GFP_HIGHMEM);";
  Plan = planFixes(R);
  ASSERT_EQ(Plan.Dropped.size(), 1u);
  EXPECT_NE(Plan.Dropped[0].find("fix not applied: it overlaps another fix"),
            std::string::npos)
      << Plan.Dropped[0];
}

TEST(ApplyFixes, DiffOfTwoHunksAndAFileWithoutNewline) {
  std::string Text;
  for (int I = 1; I <= 20; ++I)
    Text += I == 2 || I == 19 ? "v(A | H);\n" : "l" + std::to_string(I) + "\n";
  Text += "v(A | H);"; // no newline at end
  std::string P = tempFile("vl-hunks.c", Text);
  AnalysisResult R;
  Finding F;
  F.Fix = FixIt{"drop", {}};
  size_t Pos = 0;
  while ((Pos = Text.find(" | H", Pos)) != std::string::npos) {
    F.Fix->Edits.push_back({P, unsigned(Pos), 4, ""});
    Pos += 4;
  }
  R.Findings.push_back(F);
  FixPlan Plan = planFixes(R);
  std::string D = unifiedDiff(Plan, "");
  EXPECT_NE(D.find("@@ -1,5 +1,5 @@\n l1\n-v(A | H);\n+v(A);\n"),
            std::string::npos)
      << D;
  EXPECT_NE(D.find("@@ -16,6 +16,6 @@ l15\n"), std::string::npos) << D;
  EXPECT_NE(D.find("-v(A | H);\n\\ No newline at end of file\n+v(A);\n\\ No "
                   "newline at end of file\n"),
            std::string::npos)
      << D;
}

// The text after a hunk's `@@`: git's function name for it, as `git diff`
// and `git format-patch` write it: the default rule, or the `cpp` driver
// that the tree's .gitattributes gives *.c (a kernel tree's), which skips
// labels such as `out:`.
TEST(ApplyFixes, HunkHeadersNameTheFunctionAsGitDoes) {
  std::string Dir = testing::TempDir();
  if (!Dir.empty() && Dir.back() == '/')
    Dir.pop_back();
  Dir += "/vl-funcname";
  ::mkdir(Dir.c_str(), 0755);
  std::string Text = "static int\nvl_alloc(struct vl_dev *dev,\t \n"
                     "\t unsigned long n)\n{\n\tint x = 0;\nout:\n"
                     "\tx++;\n\tx++;\n\tx++;\n\tdev->p = __vmalloc(n, "
                     "GFP_KERNEL | __GFP_HIGHMEM);\n\treturn x;\n}\n";
  std::string P = Dir + "/vl.c";
  std::ofstream(P) << Text;
  AnalysisResult R;
  R.Findings.push_back(dropFinding(P, Text, " | __GFP_HIGHMEM"));
  FixPlan Plan = planFixes(R);
  auto Header = [&] {
    std::string D = unifiedDiff(Plan, Dir);
    size_t At = D.find("@@ -");
    return D.substr(At, D.find('\n', At) - At);
  };
  // Default: the nearest line starting with a letter, `_` or `$`: the
  // label (trailing blanks dropped).
  EXPECT_EQ(Header(), "@@ -7,6 +7,6 @@ out:");
  std::ofstream(Dir + "/.gitattributes") << "*.c\tdiff=cpp\n*.h diff=cpp\n";
  EXPECT_EQ(Header(), "@@ -7,6 +7,6 @@ vl_alloc(struct vl_dev *dev,");
  std::ofstream(Dir + "/.gitattributes") << "*.h diff=cpp\n";
  EXPECT_EQ(Header(), "@@ -7,6 +7,6 @@ out:");
}
