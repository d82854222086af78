// Fuzz target: the OR-chain rewriter (rewriters/OrChain.h) on random
// layouts of a gfp chain: operands (flags, casts, parenthesised chains,
// numbers) joined by separators made of blanks, line breaks, line
// continuations, comments and one or two bars. Properties: removing an
// operand gives a chain that re-parses with exactly that operand fewer, the
// others unchanged and in order, every comment outside the separators
// beside it kept and none added; it is refused only when the separator it
// would delete is not blanks around one `|` or a separator beside it holds
// a comment (each comment stays with the operand it describes, which is not
// always possible: `A | // c` before the last operand); appending and replacing
// give one operand more and the one operand changed.
#include "rewriters/OrChain.h"

#include "FuzzCheck.h"

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

using namespace vmalloc_lint;

namespace {

struct Input {
  const uint8_t *P, *E;
  unsigned byte() { return P < E ? *P++ : 0; }
};

const char *const Operands[] = {"GFP_KERNEL",
                                "__GFP_HIGHMEM",
                                "__GFP_ZERO",
                                "(__force gfp_t)0x02u",
                                "(GFP_NOFS | __GFP_NOWARN)",
                                "0x10",
                                "flags",
                                "(gfp)",
                                "__GFP_DMA32",
                                "FLAG(1)"};
const char *const Pieces[] = {" ",      "\t", "\n",   "\\\n",    "\\\r\n",
                              "\n\t\t", "  ", "\r\n", "/* c */", "// c\n"};

/// A C token split of Text enough for a gfp chain: identifiers, numbers,
/// punctuators; blanks, line continuations and comments skipped.
std::vector<std::string> tokens(const std::string &Text) {
  std::vector<std::string> Out;
  for (size_t I = 0; I < Text.size();) {
    char C = Text[I];
    if (C == ' ' || C == '\t' || C == '\n' || C == '\r' || C == '\f' ||
        C == '\v') {
      ++I;
    } else if (C == '\\' && I + 1 < Text.size() &&
               (Text[I + 1] == '\n' || Text[I + 1] == '\r')) {
      I += 2;
    } else if (Text.compare(I, 2, "/*") == 0) {
      size_t End = Text.find("*/", I + 2);
      I = End == std::string::npos ? Text.size() : End + 2;
    } else if (Text.compare(I, 2, "//") == 0) {
      size_t End = Text.find('\n', I);
      I = End == std::string::npos ? Text.size() : End + 1;
    } else if (isalnum((unsigned char)C) || C == '_') {
      size_t B = I;
      while (I < Text.size() &&
             (isalnum((unsigned char)Text[I]) || Text[I] == '_'))
        ++I;
      Out.push_back(Text.substr(B, I - B));
    } else if (Text.compare(I, 2, "||") == 0) {
      Out.push_back("||");
      I += 2;
    } else {
      Out.push_back(std::string(1, C));
      ++I;
    }
  }
  return Out;
}

/// The top-level operands of a chain `x = A | B | ... ;`, each as its
/// tokens; nullopt when it is not one.
std::optional<std::vector<std::vector<std::string>>>
chain(const std::string &Text) {
  std::vector<std::string> T = tokens(Text);
  if (T.size() < 4 || T[0] != "x" || T[1] != "=" || T.back() != ";")
    return std::nullopt;
  std::vector<std::vector<std::string>> Ops(1);
  int Depth = 0;
  for (size_t I = 2; I + 1 < T.size(); ++I) {
    if (T[I] == "(")
      ++Depth;
    if (T[I] == ")" && --Depth < 0)
      return std::nullopt;
    if (Depth == 0 && T[I] == "|") {
      Ops.emplace_back();
      continue;
    }
    if (Depth == 0 && T[I] == "||")
      return std::nullopt;
    Ops.back().push_back(T[I]);
  }
  for (auto &O : Ops)
    if (O.empty())
      return std::nullopt;
  if (Depth != 0)
    return std::nullopt;
  return Ops;
}

bool plainSeparator(const std::string &Gap) {
  int Bars = 0;
  for (size_t I = 0; I < Gap.size(); ++I) {
    char C = Gap[I];
    if (C == '|')
      ++Bars;
    else if (C == '\\' && I + 1 < Gap.size() &&
             (Gap[I + 1] == '\n' || Gap[I + 1] == '\r'))
      ++I;
    else if (C != ' ' && C != '\t' && C != '\n' && C != '\r')
      return false;
  }
  return Bars == 1;
}

bool commented(const std::string &Gap) {
  return Gap.find("/*") != std::string::npos ||
         Gap.find("//") != std::string::npos;
}

/// The comments of Text, in order (as the tokens() split sees them).
std::vector<std::string> comments(const std::string &Text) {
  std::vector<std::string> Out;
  for (size_t I = 0; I < Text.size();) {
    if (Text.compare(I, 2, "/*") == 0) {
      size_t End = Text.find("*/", I + 2);
      End = End == std::string::npos ? Text.size() : End + 2;
      Out.push_back(Text.substr(I, End - I));
      I = End;
    } else if (Text.compare(I, 2, "//") == 0) {
      size_t End = Text.find('\n', I);
      End = End == std::string::npos ? Text.size() : End;
      std::string C = Text.substr(I, End - I);
      while (!C.empty() && C.back() == '\r') // the line break's
        C.pop_back();
      Out.push_back(C);
      I = End;
    } else {
      ++I;
    }
  }
  return Out;
}

bool isSubsequence(const std::vector<std::string> &Part,
                   const std::vector<std::string> &Whole) {
  size_t J = 0;
  for (const std::string &W : Whole)
    if (J < Part.size() && Part[J] == W)
      ++J;
  return J == Part.size();
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  Input In{Data, Data + Size};
  size_t N = 1 + In.byte() % 8;
  std::string Buffer = "x = ";
  std::vector<ByteRange> Ops;
  std::vector<std::string> Gaps;
  for (size_t I = 0; I < N; ++I) {
    if (I > 0) {
      // A separator: pieces, a bar (rarely two, or none), pieces.
      std::string Gap;
      unsigned Shape = In.byte();
      for (unsigned K = Shape & 3; K > 0; --K)
        Gap += Pieces[In.byte() % 10];
      unsigned Bars = (Shape >> 2) % 16 == 0   ? 2
                      : (Shape >> 2) % 16 == 1 ? 0
                                               : 1;
      Gap += std::string(Bars, '|');
      for (unsigned K = (Shape >> 6) & 3; K > 0; --K)
        Gap += Pieces[In.byte() % 10];
      Buffer += Gap;
      Gaps.push_back(Gap);
    }
    std::string Op = Operands[In.byte() % 10];
    Ops.push_back(
        {unsigned(Buffer.size()), unsigned(Buffer.size() + Op.size())});
    Buffer += Op;
  }
  Buffer += In.byte() & 1 ? ";\n" : " ;";
  size_t Index = In.byte() % N;

  std::optional<std::vector<std::vector<std::string>>> Before = chain(Buffer);

  // The separators beside the operand: commented ones take the comment path.
  bool Beside = (Index > 0 && commented(Gaps[Index - 1])) ||
                (Index + 1 < N && commented(Gaps[Index]));
  if (std::optional<BufferEdit> E = removeOrOperand(Buffer, Ops, Index)) {
    FUZZ_CHECK(N >= 2);
    FUZZ_CHECK(Beside || plainSeparator(Gaps[Index == 0 ? 0 : Index - 1]));
    std::string After = applyEdits(Buffer, {*E});
    // Comments: none added or reordered; only those of the separators
    // beside the operand may go.
    std::vector<std::string> Kept = comments(After), All = comments(Buffer);
    FUZZ_CHECK(isSubsequence(Kept, All));
    size_t Near = 0;
    if (Index > 0)
      Near += comments(Gaps[Index - 1]).size();
    if (Index + 1 < N)
      Near += comments(Gaps[Index]).size();
    FUZZ_CHECK(Kept.size() + Near >= All.size());
    if (Before && Before->size() == N) {
      auto Parsed = chain(After);
      FUZZ_CHECK(Parsed.has_value());
      std::vector<std::vector<std::string>> Want = *Before;
      Want.erase(Want.begin() + Index);
      FUZZ_CHECK(*Parsed == Want);
    }
  } else {
    // Refused: a single operand, the separator to delete is not plain, or
    // a separator beside it holds a comment.
    FUZZ_CHECK(N < 2 || Beside ||
               !plainSeparator(Gaps[Index == 0 ? 0 : Index - 1]));
  }

  if (std::optional<BufferEdit> E =
          appendOrOperand(Buffer, Ops, "__GFP_NOWARN")) {
    std::string After = applyEdits(Buffer, {*E});
    if (Before && Before->size() == N) {
      auto Parsed = chain(After);
      FUZZ_CHECK(Parsed.has_value());
      std::vector<std::vector<std::string>> Want = *Before;
      Want.push_back({"__GFP_NOWARN"});
      FUZZ_CHECK(*Parsed == Want);
    }
  }

  if (std::optional<BufferEdit> E =
          replaceOrOperand(Buffer, Ops, Index, "GFP_USER")) {
    std::string After = applyEdits(Buffer, {*E});
    if (Before && Before->size() == N) {
      auto Parsed = chain(After);
      FUZZ_CHECK(Parsed.has_value());
      std::vector<std::vector<std::string>> Want = *Before;
      Want[Index] = {"GFP_USER"};
      FUZZ_CHECK(*Parsed == Want);
    }
  }
  return 0;
}
