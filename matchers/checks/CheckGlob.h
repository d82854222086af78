// --checks=GLOB[,-GLOB] in clang-tidy syntax: later globs win, '-' negates,
// '*' matches any run of characters.
#ifndef VMALLOC_LINT_CHECK_GLOB_H
#define VMALLOC_LINT_CHECK_GLOB_H

#include <string>
#include <vector>

namespace vmalloc_lint {

class CheckGlob {
public:
  explicit CheckGlob(const std::string &Spec = "vmalloc-*");
  bool enabled(const std::string &Check) const;
  /// Names in Known that the spec enables.
  std::vector<std::string> select(const std::vector<std::string> &Known) const;
  /// The spec in canonical form: CheckGlob(spec()) selects the same checks
  /// (what a worker process is given).
  std::string spec() const;

private:
  struct Item {
    bool Positive;
    std::string Pattern;
  };
  std::vector<Item> Items;
};

bool globMatch(const std::string &Pattern, const std::string &Text);

} // namespace vmalloc_lint

#endif
