#include "rewriters/CallLayout.h"

#include <vector>

namespace vmalloc_lint {

namespace {

/// The column after Text, starting at column Col (tabs to the next
/// multiple of 8; a newline restarts at 0).
unsigned columnAfter(const std::string &Text, unsigned Col) {
  for (char C : Text) {
    if (C == '\n')
      Col = 0;
    else if (C == '\t')
      Col = (Col / 8 + 1) * 8;
    else
      ++Col;
  }
  return Col;
}

/// The code of a line's rest: without the comment that ends it and the
/// blanks before that.
std::string codeOf(const std::string &Rest) {
  size_t Cut = Rest.size();
  for (size_t I = 0; I + 1 < Rest.size(); ++I) {
    if (Rest[I] == '"' || Rest[I] == '\'') {
      char Q = Rest[I];
      for (++I; I < Rest.size() && Rest[I] != Q; ++I)
        if (Rest[I] == '\\')
          ++I;
      continue;
    }
    if (Rest[I] == '/' && (Rest[I + 1] == '*' || Rest[I + 1] == '/')) {
      Cut = I;
      break;
    }
  }
  size_t End = Rest.find_last_not_of(" \t", Cut == 0 ? 0 : Cut - 1);
  if (Cut == 0 || End == std::string::npos)
    return "";
  return Rest.substr(0, std::min(End + 1, Cut));
}

/// Blanks from column 0 to column Col: tabs, then spaces.
std::string indentTo(unsigned Col) {
  return std::string(Col / 8, '\t') + std::string(Col % 8, ' ');
}

} // namespace

std::string layoutCall(const std::string &Head, const std::string &Text,
                       size_t CallBegin, size_t CallLength,
                       const std::string &Tail, unsigned MaxColumns) {
  if (CallLength == 0 || CallBegin + CallLength > Text.size())
    return Text;
  std::string Call = Text.substr(CallBegin, CallLength);
  size_t Open = Call.find('(');
  if (Open == std::string::npos || Call.back() != ')' ||
      Call.find('\n') != std::string::npos)
    return Text;
  // The top-level arguments.
  std::vector<std::string> Args;
  int Depth = 0;
  size_t Start = Open + 1;
  for (size_t I = Open + 1; I + 1 < Call.size(); ++I) {
    char C = Call[I];
    if (C == '"' || C == '\'') {
      for (++I; I + 1 < Call.size() && Call[I] != C; ++I)
        if (Call[I] == '\\')
          ++I;
    } else if (C == '(' || C == '[' || C == '{') {
      ++Depth;
    } else if (C == ')' || C == ']' || C == '}') {
      --Depth;
    } else if (C == ',' && Depth == 0) {
      Args.push_back(Call.substr(Start, I - Start));
      Start = I + 1;
    }
  }
  Args.push_back(Call.substr(Start, Call.size() - 1 - Start));
  for (std::string &A : Args) {
    size_t B = A.find_first_not_of(' '), E = A.find_last_not_of(' ');
    A = B == std::string::npos ? "" : A.substr(B, E - B + 1);
  }
  if (Args.size() < 2 || Depth != 0)
    return Text;
  // The code after the call on its line: the new text's, through its
  // first newline, else the rest of the old line's.
  std::string After = Text.substr(CallBegin + CallLength);
  size_t NL = After.find('\n');
  std::string LineEnd =
      NL == std::string::npos ? codeOf(After + Tail) : After.substr(0, NL);
  unsigned CallCol =
      columnAfter(Text.substr(0, CallBegin), columnAfter(Head, 0));
  if (columnAfter(Call + LineEnd, CallCol) <= MaxColumns)
    return Text;
  unsigned Align = columnAfter(Call.substr(0, Open + 1), CallCol);
  std::string Out = Call.substr(0, Open + 1) + Args[0];
  unsigned Col = columnAfter(Out, CallCol);
  for (size_t I = 1; I < Args.size(); ++I) {
    std::string Piece = Args[I] + (I + 1 == Args.size() ? ")" + LineEnd : ",");
    if (columnAfter(", " + Piece, Col) <= MaxColumns) {
      Out += ", " + Args[I];
      Col = columnAfter(", " + Args[I], Col);
    } else {
      Out += ",\n" + indentTo(Align) + Args[I];
      Col = columnAfter(Args[I], Align);
    }
  }
  Out += ")";
  return Text.substr(0, CallBegin) + Out + After;
}

} // namespace vmalloc_lint
