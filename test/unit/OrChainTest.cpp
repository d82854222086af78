// Layout-preserving OR-chain edits on plain text: every layout.
#include "rewriters/OrChain.h"

#include <gtest/gtest.h>

using namespace vmalloc_lint;

namespace {

/// Operand ranges of a chain: identifiers, parenthesised groups and numbers
/// separated by '|' (enough for the test inputs).
std::vector<ByteRange> operands(const std::string &S, unsigned From,
                                unsigned To) {
  std::vector<ByteRange> R;
  unsigned I = From;
  while (I < To) {
    while (I < To && (S[I] == ' ' || S[I] == '\t' || S[I] == '\n' ||
                      S[I] == '|' || S[I] == '\\' || S[I] == '/')) {
      if (S.compare(I, 2, "/*") == 0)
        I = S.find("*/", I) + 1;
      else if (S.compare(I, 2, "//") == 0)
        I = S.find('\n', I);
      ++I;
    }
    if (I >= To)
      break;
    unsigned B = I;
    while (I < To && (isalnum((unsigned char)S[I]) || S[I] == '_'))
      ++I;
    R.push_back({B, I});
  }
  return R;
}

std::string drop(const std::string &Chain, size_t Index) {
  auto Ops = operands(Chain, 0, Chain.size());
  auto E = removeOrOperand(Chain, Ops, Index);
  if (!E)
    return "<no edit>";
  return applyEdits(Chain, {*E});
}

} // namespace

TEST(OrChain, RemoveLast) {
  EXPECT_EQ(drop("GFP_KERNEL | __GFP_HIGHMEM", 1), "GFP_KERNEL");
}
TEST(OrChain, RemoveMiddle) {
  EXPECT_EQ(drop("GFP_KERNEL | __GFP_HIGHMEM | __GFP_NOWARN", 1),
            "GFP_KERNEL | __GFP_NOWARN");
}
TEST(OrChain, RemoveFirst) {
  EXPECT_EQ(drop("__GFP_HIGHMEM | GFP_KERNEL", 0), "GFP_KERNEL");
  EXPECT_EQ(drop("__GFP_HIGHMEM|GFP_KERNEL|__GFP_ZERO", 0),
            "GFP_KERNEL|__GFP_ZERO");
}
TEST(OrChain, RemoveWithoutSpaces) {
  EXPECT_EQ(drop("GFP_KERNEL_ACCOUNT|__GFP_HIGHMEM", 1), "GFP_KERNEL_ACCOUNT");
}
TEST(OrChain, RemoveVariableChain) {
  EXPECT_EQ(drop("lflags | __GFP_HIGHMEM | __GFP_ZERO", 1),
            "lflags | __GFP_ZERO");
}
TEST(OrChain, RemoveAcrossTrailingOperatorLineBreak) {
  EXPECT_EQ(drop("GFP_KERNEL |\n\t\t__GFP_HIGHMEM", 1), "GFP_KERNEL");
  EXPECT_EQ(drop("GFP_KERNEL |\n\t\t__GFP_HIGHMEM |\n\t\t__GFP_ZERO", 1),
            "GFP_KERNEL |\n\t\t__GFP_ZERO");
}
TEST(OrChain, RemoveAcrossLeadingOperatorLineBreak) {
  EXPECT_EQ(drop("GFP_KERNEL\n\t\t| __GFP_HIGHMEM\n\t\t| __GFP_ZERO", 1),
            "GFP_KERNEL\n\t\t| __GFP_ZERO");
}
TEST(OrChain, RemoveInsideParentheses) {
  std::string S = "(GFP_KERNEL | __GFP_HIGHMEM)";
  auto Ops = operands(S, 1, S.size() - 1);
  auto E = removeOrOperand(S, Ops, 1);
  ASSERT_TRUE(E);
  EXPECT_EQ(applyEdits(S, {*E}), "(GFP_KERNEL)");
}
TEST(OrChain, RemoveAcrossMacroContinuation) {
  EXPECT_EQ(drop("GFP_NOFS | \\\n\t__GFP_HIGHMEM | __GFP_ZERO", 1),
            "GFP_NOFS | __GFP_ZERO");
}
TEST(OrChain, RefusesSingleOperandAndOtherOperators) {
  EXPECT_EQ(drop("__GFP_HIGHMEM", 0), "<no edit>");
  // Operands that are not separated by exactly one '|'.
  std::string T = "GFP_KERNEL & __GFP_HIGHMEM";
  EXPECT_FALSE(removeOrOperand(T, {{0, 10}, {13, 26}}, 1));
  EXPECT_EQ(drop("GFP_KERNEL /* a */ || __GFP_HIGHMEM", 1), "<no edit>");
  EXPECT_EQ(drop("GFP_KERNEL /* a */ __GFP_HIGHMEM", 1), "<no edit>");
}
// Comments stay with the operand they describe: a comment at the end of an
// operand's line, or before the `|` on one line, is that operand's; a
// comment on its own lines before an operand, or after the `|` on one line,
// is the next operand's.
TEST(OrChain, RemoveKeepsTheCommentOfThePreviousOperand) {
  EXPECT_EQ(drop("GFP_NOIO |\t/* comment */\n\t\t__GFP_HIGHMEM |\n\t\t"
                 "__GFP_NOWARN",
                 1),
            "GFP_NOIO |\t/* comment */\n\t\t__GFP_NOWARN");
  EXPECT_EQ(drop("GFP_KERNEL /* why */ | __GFP_HIGHMEM", 1),
            "GFP_KERNEL /* why */");
  EXPECT_EQ(drop("GFP_NOIO | /* no fs recursion */\n\t\t__GFP_HIGHMEM", 1),
            "GFP_NOIO /* no fs recursion */");
  EXPECT_EQ(drop("GFP_NOIO\t/* a */\n\t| __GFP_HIGHMEM\n\t| __GFP_ZERO", 1),
            "GFP_NOIO\t/* a */\n\t| __GFP_ZERO");
}
TEST(OrChain, RemoveTakesTheOperandsOwnComments) {
  EXPECT_EQ(drop("GFP_KERNEL |\n\t__GFP_HIGHMEM | /* highmem ok */\n\t"
                 "__GFP_ZERO",
                 1),
            "GFP_KERNEL |\n\t__GFP_ZERO");
  EXPECT_EQ(drop("GFP_KERNEL |\n\t/* may be highmem */\n\t__GFP_HIGHMEM |\n\t"
                 "__GFP_ZERO",
                 2),
            "GFP_KERNEL |\n\t/* may be highmem */\n\t__GFP_HIGHMEM");
  EXPECT_EQ(drop("GFP_KERNEL |\n\t/* may be highmem */\n\t__GFP_HIGHMEM |\n\t"
                 "__GFP_ZERO",
                 1),
            "GFP_KERNEL |\n\t__GFP_ZERO");
  EXPECT_EQ(drop("__GFP_HIGHMEM | /* h */\n\t\tGFP_KERNEL", 0), "GFP_KERNEL");
  EXPECT_EQ(drop("GFP_KERNEL | /* k */ __GFP_HIGHMEM | __GFP_ZERO", 1),
            "GFP_KERNEL | __GFP_ZERO");
}
TEST(OrChain, RemoveKeepsTheCommentOfTheNextOperand) {
  EXPECT_EQ(drop("GFP_KERNEL |\n\t__GFP_HIGHMEM |\n\t/* zeroed */\n\t"
                 "__GFP_ZERO",
                 1),
            "GFP_KERNEL |\n\t/* zeroed */\n\t__GFP_ZERO");
  EXPECT_EQ(drop("__GFP_HIGHMEM | /* k */ GFP_KERNEL", 0),
            "/* k */ GFP_KERNEL");
  // Bars laid out both ways: one is kept.
  EXPECT_EQ(drop("GFP_NOIO | /* a */\n\t__GFP_HIGHMEM\n\t| __GFP_ZERO", 1),
            "GFP_NOIO | /* a */\n\t__GFP_ZERO");
  EXPECT_EQ(drop("GFP_NOIO /* a */\n\t| __GFP_HIGHMEM |\n\t__GFP_ZERO", 1),
            "GFP_NOIO /* a */ |\n\t__GFP_ZERO");
}
TEST(OrChain, RemoveBesideLineComments) {
  EXPECT_EQ(drop("GFP_NOIO | // a\n\t__GFP_HIGHMEM |\n\t__GFP_ZERO", 1),
            "GFP_NOIO | // a\n\t__GFP_ZERO");
  // The last operand: the comment would swallow the closing parenthesis.
  EXPECT_EQ(drop("GFP_NOIO | // a\n\t__GFP_HIGHMEM", 1), "<no edit>");
  EXPECT_EQ(drop("GFP_NOFS | /* a */ \\\n\t__GFP_HIGHMEM | __GFP_ZERO", 1),
            "GFP_NOFS | /* a */ \\\n\t__GFP_ZERO");
}
TEST(OrChain, RemoveBesideCommentsKeepsTheLines) {
  // The next operand on the removed one's line takes its place there.
  EXPECT_EQ(drop("GFP_NOIO | /* a */\n\t__GFP_HIGHMEM | __GFP_ZERO", 1),
            "GFP_NOIO | /* a */\n\t__GFP_ZERO");
  EXPECT_EQ(drop("GFP_NOIO /* a */\n\t| __GFP_HIGHMEM | __GFP_ZERO", 1),
            "GFP_NOIO /* a */\n\t| __GFP_ZERO");
  EXPECT_EQ(drop("GFP_NOIO | /* a */\n\t/* h */\n\t__GFP_HIGHMEM | /* z */ "
                 "__GFP_ZERO",
                 1),
            "GFP_NOIO | /* a */\n\t/* z */ __GFP_ZERO");
  EXPECT_EQ(drop("GFP_KERNEL | /* k */ __GFP_HIGHMEM |\n\t__GFP_ZERO", 1),
            "GFP_KERNEL |\n\t__GFP_ZERO");
}
TEST(OrChain, Append) {
  std::string S = "GFP_NOFS | __GFP_ZERO";
  auto E = appendOrOperand(S, operands(S, 0, S.size()), "__GFP_HIGHMEM");
  ASSERT_TRUE(E);
  EXPECT_EQ(applyEdits(S, {*E}), "GFP_NOFS | __GFP_ZERO | __GFP_HIGHMEM");
  EXPECT_FALSE(appendOrOperand(S, operands(S, 0, S.size()), "a b"));
}
TEST(OrChain, Replace) {
  std::string S = "GFP_HIGHUSER | __GFP_ZERO";
  auto E = replaceOrOperand(S, operands(S, 0, S.size()), 0, "GFP_USER");
  ASSERT_TRUE(E);
  EXPECT_EQ(applyEdits(S, {*E}), "GFP_USER | __GFP_ZERO");
}
TEST(OrChain, ApplyEditsSkipsOverlaps) {
  EXPECT_EQ(applyEdits("abcdef", {{1, 2, "X"}, {2, 2, "Y"}, {5, 1, "Z"}}),
            "aXdeZ");
}
