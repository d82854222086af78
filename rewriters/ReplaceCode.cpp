#include "rewriters/ReplaceCode.h"

#include <vector>

namespace vmalloc_lint {

namespace {

/// The comments of C code, in order (string and character literals
/// skipped); false when a line of it is a preprocessor directive.
bool scanComments(const std::string &Code, std::vector<std::string> &Out) {
  bool LineStart = false; // only blanks since a newline
  for (size_t I = 0; I < Code.size(); ++I) {
    char C = Code[I];
    if (C == '\n') {
      LineStart = true;
      continue;
    }
    if (C == ' ' || C == '\t')
      continue;
    if (LineStart && C == '#')
      return false;
    LineStart = false;
    if (C == '"' || C == '\'') {
      for (++I; I < Code.size() && Code[I] != C; ++I)
        if (Code[I] == '\\')
          ++I;
      continue;
    }
    if (C != '/' || I + 1 >= Code.size())
      continue;
    if (Code[I + 1] == '*') {
      size_t End = Code.find("*/", I + 2);
      End = End == std::string::npos ? Code.size() : End + 2;
      Out.push_back(Code.substr(I, End - I));
      I = End - 1;
    } else if (Code[I + 1] == '/') {
      size_t End = Code.find('\n', I);
      End = End == std::string::npos ? Code.size() : End;
      Out.push_back(Code.substr(I, End - I));
      I = End - 1;
    }
  }
  return true;
}

} // namespace

std::optional<FixIt> replaceCode(const TextEdit &Edit,
                                 const std::string &Original,
                                 const std::string &Helper,
                                 std::string &WhyNot) {
  std::vector<std::string> Comments;
  if (!scanComments(Original, Comments)) {
    WhyNot = "the code holds a preprocessor line the edit would drop";
    return std::nullopt;
  }
  TextEdit E = Edit;
  for (size_t I = 0; I < Comments.size(); ++I) {
    std::string C = Comments[I];
    // A // comment ends the line: one that is not the last becomes /* */.
    if (C.rfind("//", 0) == 0 && I + 1 < Comments.size()) {
      if (C.find("*/") != std::string::npos) {
        WhyNot = "a comment of the code cannot be kept";
        return std::nullopt;
      }
      size_t B = C.find_first_not_of("/ ");
      C = "/* " + (B == std::string::npos ? "" : C.substr(B)) + " */";
    }
    E.Text += " " + C;
  }
  FixIt F;
  F.Description = "use " + Helper + "()";
  F.Edits.push_back(std::move(E));
  return F;
}

} // namespace vmalloc_lint
