#include "matchers/checks/CheckGlob.h"

namespace vmalloc_lint {

bool globMatch(const std::string &Pattern, const std::string &Text) {
  size_t P = 0, T = 0, Star = std::string::npos, Mark = 0;
  while (T < Text.size()) {
    if (P < Pattern.size() && Pattern[P] == '*') {
      Star = P++;
      Mark = T;
    } else if (P < Pattern.size() && Pattern[P] == Text[T]) {
      ++P;
      ++T;
    } else if (Star != std::string::npos) {
      P = Star + 1;
      T = ++Mark;
    } else {
      return false;
    }
  }
  while (P < Pattern.size() && Pattern[P] == '*')
    ++P;
  return P == Pattern.size();
}

CheckGlob::CheckGlob(const std::string &Spec) {
  size_t Pos = 0;
  while (Pos <= Spec.size()) {
    size_t Comma = Spec.find(',', Pos);
    std::string Part = Spec.substr(
        Pos, Comma == std::string::npos ? std::string::npos : Comma - Pos);
    // trim
    size_t B = Part.find_first_not_of(" \t\n");
    size_t E = Part.find_last_not_of(" \t\n");
    Part = B == std::string::npos ? "" : Part.substr(B, E - B + 1);
    if (!Part.empty()) {
      bool Positive = Part[0] != '-';
      Items.push_back({Positive, Positive ? Part : Part.substr(1)});
    }
    if (Comma == std::string::npos)
      break;
    Pos = Comma + 1;
  }
}

bool CheckGlob::enabled(const std::string &Check) const {
  bool On = false;
  for (const Item &I : Items)
    if (globMatch(I.Pattern, Check))
      On = I.Positive;
  return On;
}

std::vector<std::string>
CheckGlob::select(const std::vector<std::string> &Known) const {
  std::vector<std::string> Out;
  for (const std::string &K : Known)
    if (enabled(K))
      Out.push_back(K);
  return Out;
}

std::string CheckGlob::spec() const {
  std::string S;
  for (const Item &I : Items) {
    if (!S.empty())
      S += ',';
    if (!I.Positive)
      S += '-';
    S += I.Pattern;
  }
  return S;
}

} // namespace vmalloc_lint
