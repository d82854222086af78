// Kernel versions (VERSION.PATCHLEVEL) that key the rules.
#ifndef VMALLOC_LINT_KERNEL_VERSION_H
#define VMALLOC_LINT_KERNEL_VERSION_H

#include <optional>
#include <string>

namespace vmalloc_lint {

struct KernelVersion {
  int Major = 0;
  int Minor = 0;

  /// "6.1", "4.9", "v4.12", "6.1.192" (sublevel ignored).
  static std::optional<KernelVersion> parse(const std::string &Text);
  /// VERSION = / PATCHLEVEL = lines of a kernel top-level Makefile.
  static std::optional<KernelVersion> fromMakefile(const std::string &Path);
  /// Without a tree: the newest rules.
  static KernelVersion newest() { return {99, 0}; }

  bool isNewest() const { return Major == 99; }
  std::string str() const;

  friend bool operator<(KernelVersion A, KernelVersion B) {
    return A.Major != B.Major ? A.Major < B.Major : A.Minor < B.Minor;
  }
  friend bool operator>=(KernelVersion A, KernelVersion B) { return !(A < B); }
  friend bool operator==(KernelVersion A, KernelVersion B) {
    return A.Major == B.Major && A.Minor == B.Minor;
  }
};

/// A half-open range [Since, Until) of kernel versions; Until 0.0 = open.
struct VersionRange {
  KernelVersion Since;
  KernelVersion Until;
  bool contains(KernelVersion V) const {
    return V >= Since && (Until.Major == 0 || V < Until);
  }
};

} // namespace vmalloc_lint

#endif
