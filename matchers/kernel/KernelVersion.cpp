#include "matchers/kernel/KernelVersion.h"

#include <cctype>
#include <fstream>
#include <regex>

namespace vmalloc_lint {

std::optional<KernelVersion> KernelVersion::parse(const std::string &Text) {
  static const std::regex Re(R"(^v?(\d+)\.(\d+)(\.\d+)?$)");
  std::smatch M;
  if (!std::regex_match(Text, M, Re))
    return std::nullopt;
  KernelVersion V;
  V.Major = std::stoi(M[1].str());
  V.Minor = std::stoi(M[2].str());
  if (V.Major <= 0 || V.Major > 98)
    return std::nullopt;
  return V;
}

std::optional<KernelVersion>
KernelVersion::fromMakefile(const std::string &Path) {
  std::ifstream In(Path);
  if (!In)
    return std::nullopt;
  static const std::regex Line(R"(^(VERSION|PATCHLEVEL)\s*=\s*(\d+)\s*$)");
  int Major = -1, Minor = -1;
  std::string L;
  for (int N = 0; N < 40 && std::getline(In, L); ++N) {
    std::smatch M;
    if (!std::regex_match(L, M, Line))
      continue;
    (M[1] == "VERSION" ? Major : Minor) = std::stoi(M[2].str());
  }
  if (Major <= 0 || Minor < 0)
    return std::nullopt;
  return KernelVersion{Major, Minor};
}

std::string KernelVersion::str() const {
  if (isNewest())
    return "newest";
  return std::to_string(Major) + "." + std::to_string(Minor);
}

} // namespace vmalloc_lint
