#include "rewriters/OrChain.h"

#include "matchers/text/CIdentifier.h"

#include <algorithm>
#include <cctype>

namespace vmalloc_lint {

namespace {

bool validRanges(std::string_view Buffer, const std::vector<ByteRange> &Ops) {
  unsigned Prev = 0;
  for (const ByteRange &R : Ops) {
    if (R.Begin >= R.End || R.End > Buffer.size() || R.Begin < Prev)
      return false;
    Prev = R.End;
  }
  return true;
}

/// True when Gap is blanks and line continuations around exactly one '|'.
bool isOrSeparator(std::string_view Gap) {
  int Bars = 0;
  for (size_t I = 0; I < Gap.size(); ++I) {
    char C = Gap[I];
    if (C == '|') {
      ++Bars;
    } else if (C == '\\' && I + 1 < Gap.size() &&
               (Gap[I + 1] == '\n' || Gap[I + 1] == '\r')) {
      continue;
    } else if (C != ' ' && C != '\t' && C != '\n' && C != '\r' && C != '\f' &&
               C != '\v') {
      return false;
    }
  }
  return Bars == 1;
}

} // namespace

std::optional<BufferEdit> removeOrOperand(std::string_view Buffer,
                                          const std::vector<ByteRange> &Ops,
                                          size_t Index) {
  if (Ops.size() < 2 || Index >= Ops.size() || !validRanges(Buffer, Ops))
    return std::nullopt;
  if (Index == 0) {
    std::string_view Gap = Buffer.substr(Ops[0].End, Ops[1].Begin - Ops[0].End);
    if (!isOrSeparator(Gap))
      return std::nullopt;
    return BufferEdit{Ops[0].Begin, Ops[1].Begin - Ops[0].Begin, ""};
  }
  const ByteRange &Prev = Ops[Index - 1];
  const ByteRange &Cur = Ops[Index];
  std::string_view Gap = Buffer.substr(Prev.End, Cur.Begin - Prev.End);
  if (!isOrSeparator(Gap))
    return std::nullopt;
  return BufferEdit{Prev.End, Cur.End - Prev.End, ""};
}

std::optional<BufferEdit> appendOrOperand(std::string_view Buffer,
                                          const std::vector<ByteRange> &Ops,
                                          const std::string &Operand) {
  if (Ops.empty() || !validRanges(Buffer, Ops) || !isCIdentifier(Operand))
    return std::nullopt;
  return BufferEdit{Ops.back().End, 0, " | " + Operand};
}

std::optional<BufferEdit> replaceOrOperand(std::string_view Buffer,
                                           const std::vector<ByteRange> &Ops,
                                           size_t Index,
                                           const std::string &Replacement) {
  if (Index >= Ops.size() || !validRanges(Buffer, Ops) ||
      !isCIdentifier(Replacement))
    return std::nullopt;
  const ByteRange &R = Ops[Index];
  if (!isCIdentifier(Buffer.substr(R.Begin, R.End - R.Begin)))
    return std::nullopt;
  return BufferEdit{R.Begin, R.End - R.Begin, Replacement};
}

std::string applyEdits(std::string_view Buffer, std::vector<BufferEdit> Edits) {
  std::sort(Edits.begin(), Edits.end(),
            [](const BufferEdit &A, const BufferEdit &B) {
              return A.Offset < B.Offset;
            });
  std::string Out;
  unsigned Pos = 0;
  for (const BufferEdit &E : Edits) {
    if (E.Offset < Pos || E.Offset + E.Length > Buffer.size())
      continue; // overlapping or out of range: skipped
    Out.append(Buffer.substr(Pos, E.Offset - Pos));
    Out.append(E.Text);
    Pos = E.Offset + E.Length;
  }
  Out.append(Buffer.substr(Pos));
  return Out;
}

} // namespace vmalloc_lint
