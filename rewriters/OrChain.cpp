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

bool isBlank(char C) {
  return C == ' ' || C == '\t' || C == '\f' || C == '\v' || C == '\r';
}

/// A separator that may hold comments, split where its second operand's
/// text begins: Head is what belongs to the operand before it (the rest of
/// that operand's line: a trailing comment; with no line break, what comes
/// before the `|`), Tail what belongs to the operand after it (its own
/// lines of comments, the comments on its line).
struct Separator {
  bool Valid = false;
  bool Comments = false;
  bool LineComment = false; ///< a `//` comment (it ends at a line break)
  size_t Split = 0;         ///< Head is Gap[0, Split), Tail Gap[Split, end)
  size_t Bar = 0;           ///< where the one `|` is
};

Separator scanSeparator(std::string_view Gap) {
  Separator S;
  int Bars = 0;
  size_t FirstBreak = std::string_view::npos;
  for (size_t I = 0; I < Gap.size();) {
    char C = Gap[I];
    if (C == '|') {
      ++Bars;
      S.Bar = I++;
    } else if (C == '\n') {
      if (FirstBreak == std::string_view::npos)
        FirstBreak = I;
      ++I;
    } else if (C == '\\' && I + 1 < Gap.size() &&
               (Gap[I + 1] == '\n' || Gap[I + 1] == '\r')) {
      // A continuation is a line break of the macro body's text.
      if (FirstBreak == std::string_view::npos)
        FirstBreak = I;
      I += 2;
    } else if (Gap.compare(I, 2, "/*") == 0) {
      size_t End = Gap.find("*/", I + 2);
      if (End == std::string_view::npos)
        return S;
      S.Comments = true;
      I = End + 2;
    } else if (Gap.compare(I, 2, "//") == 0) {
      S.Comments = S.LineComment = true;
      size_t End = Gap.find('\n', I);
      if (End == std::string_view::npos)
        return S;
      I = End; // the line break is the separator's
    } else if (isBlank(C)) {
      ++I;
    } else {
      return S;
    }
  }
  if (Bars != 1)
    return S;
  S.Valid = true;
  S.Split = FirstBreak != std::string_view::npos ? FirstBreak : S.Bar;
  return S;
}

/// Text without its one `|` and one blank beside it (the one after it, or
/// else the one before).
std::string withoutBar(std::string_view Text) {
  size_t Bar = std::string_view::npos;
  for (size_t I = 0; I < Text.size(); ++I) {
    if (Text.compare(I, 2, "/*") == 0) {
      size_t End = Text.find("*/", I + 2);
      I = End == std::string_view::npos ? Text.size() : End + 1;
    } else if (Text.compare(I, 2, "//") == 0) {
      size_t End = Text.find('\n', I);
      I = End == std::string_view::npos ? Text.size() : End;
    } else if (Text[I] == '|') {
      Bar = I;
      break;
    }
  }
  std::string Out(Text);
  if (Bar == std::string_view::npos)
    return Out;
  size_t B = Bar, E = Bar + 1;
  if (E < Out.size() && (Out[E] == ' ' || Out[E] == '\t'))
    ++E;
  else if (B > 0 && (Out[B - 1] == ' ' || Out[B - 1] == '\t'))
    --B;
  Out.erase(B, E - B);
  return Out;
}

bool hasBar(std::string_view Text) {
  return withoutBar(Text).size() != Text.size();
}

/// Whether a `//` comment in Head still ends at a line break once Next
/// follows it (a continuation would carry it onto the next line).
bool lineCommentEnds(const std::string &Head, const std::string &Next) {
  if (Head.find("//") == std::string::npos)
    return true;
  return !Next.empty() && (Next[0] == '\n' || Next[0] == '\r');
}

/// The edit replacing Buffer[Begin, End) by Text, trimmed to the bytes that
/// change.
BufferEdit replacement(std::string_view Buffer, unsigned Begin, unsigned End,
                       std::string Text) {
  std::string_view Old = Buffer.substr(Begin, End - Begin);
  size_t Prefix = 0;
  while (Prefix < Old.size() && Prefix < Text.size() &&
         Old[Prefix] == Text[Prefix])
    ++Prefix;
  size_t Suffix = 0;
  while (Suffix < Old.size() - Prefix && Suffix < Text.size() - Prefix &&
         Old[Old.size() - 1 - Suffix] == Text[Text.size() - 1 - Suffix])
    ++Suffix;
  return BufferEdit{unsigned(Begin + Prefix),
                    unsigned(Old.size() - Prefix - Suffix),
                    Text.substr(Prefix, Text.size() - Prefix - Suffix)};
}

/// Removes operand Index where a separator beside it holds comments: each
/// comment stays with the operand it describes (see Separator), the
/// removed operand's go with it, the other bytes are kept as written.
std::optional<BufferEdit>
removeBesideComments(std::string_view Buffer, const std::vector<ByteRange> &Ops,
                     size_t Index) {
  const ByteRange &Cur = Ops[Index];
  std::string_view Left, Right;
  Separator L, R;
  if (Index > 0) {
    Left = Buffer.substr(Ops[Index - 1].End, Cur.Begin - Ops[Index - 1].End);
    L = scanSeparator(Left);
    if (!L.Valid)
      return std::nullopt;
  }
  if (Index + 1 < Ops.size()) {
    Right = Buffer.substr(Cur.End, Ops[Index + 1].Begin - Cur.End);
    R = scanSeparator(Right);
    if (!R.Valid)
      return std::nullopt;
  }
  if (Index == 0) {
    // The next operand takes the first one's place.
    std::string Tail = withoutBar(Right.substr(R.Split));
    size_t Lead = 0;
    while (Lead < Tail.size() && (isBlank(Tail[Lead]) || Tail[Lead] == '\n'))
      ++Lead;
    return replacement(Buffer, Cur.Begin, Ops[1].Begin, Tail.substr(Lead));
  }
  const ByteRange &Prev = Ops[Index - 1];
  std::string Head(Left.substr(0, L.Split));
  if (Index + 1 == Ops.size()) {
    // The last: the previous operand ends the chain, its comment kept;
    // a `//` comment would swallow what follows the chain.
    if (Head.find("//") != std::string::npos)
      return std::nullopt;
    Head = withoutBar(Head);
    while (!Head.empty() && isBlank(Head.back()))
      Head.pop_back();
    return replacement(Buffer, Prev.End, Cur.End, Head);
  }
  if (R.Split == R.Bar) {
    // The next operand is on this one's line: it takes its place, after
    // the line break and indentation (and a leading `|`) that precede it.
    size_t From = L.Split == L.Bar ? L.Bar : Left.find_last_of('\n');
    if (From != L.Bar && From > 0 && Left[From - 1] == '\r')
      --From;
    if (From != L.Bar && From > 0 && Left[From - 1] == '\\')
      --From;
    size_t To = From;
    while (To < Left.size() &&
           (isBlank(Left[To]) || Left[To] == '\n' || Left[To] == '\\'))
      ++To;
    if (To < Left.size() && Left[To] == '|')
      ++To;
    while (To < Left.size() && isBlank(Left[To]))
      ++To;
    std::string Place(Left.substr(From, To - From));
    std::string After = withoutBar(Right.substr(R.Split));
    size_t Lead = 0;
    while (Lead < After.size() && isBlank(After[Lead]))
      ++Lead;
    std::string Joined = Head + Place;
    if (!hasBar(Joined) || !lineCommentEnds(Head, Place))
      return std::nullopt;
    return replacement(Buffer, Prev.End, Ops[Index + 1].Begin,
                       Joined + After.substr(Lead));
  }
  std::string Tail(Right.substr(R.Split));
  if (!lineCommentEnds(Head, Tail))
    return std::nullopt;
  bool HeadBar = hasBar(Head), TailBar = hasBar(Tail);
  if (HeadBar && TailBar) {
    Tail = withoutBar(Tail);
  } else if (!HeadBar && !TailBar) {
    if (L.LineComment && Head.find("//") != std::string::npos)
      return std::nullopt; // a `|` after it would be commented out
    while (!Head.empty() && isBlank(Head.back()))
      Head.pop_back();
    Head += " |";
  }
  return replacement(Buffer, Prev.End, Ops[Index + 1].Begin, Head + Tail);
}

} // namespace

std::optional<BufferEdit> removeOrOperand(std::string_view Buffer,
                                          const std::vector<ByteRange> &Ops,
                                          size_t Index) {
  if (Ops.size() < 2 || Index >= Ops.size() || !validRanges(Buffer, Ops))
    return std::nullopt;
  auto Commented = [&](size_t Gap) {
    return Gap + 1 < Ops.size() &&
           scanSeparator(
               Buffer.substr(Ops[Gap].End, Ops[Gap + 1].Begin - Ops[Gap].End))
               .Comments;
  };
  if ((Index > 0 && Commented(Index - 1)) || Commented(Index))
    return removeBesideComments(Buffer, Ops, Index);
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
