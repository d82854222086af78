// What one analysis of a translation unit is asked to do.
#ifndef VMALLOC_LINT_ANALYSIS_OPTIONS_H
#define VMALLOC_LINT_ANALYSIS_OPTIONS_H

#include "matchers/checks/CheckGlob.h"
#include "matchers/kernel/KernelVersion.h"

#include <memory>

namespace vmalloc_lint {

struct BodySkipping;
struct CrossFileFacts;

struct AnalysisOptions {
  KernelVersion Version = KernelVersion::newest();
  CheckGlob Checks{"vmalloc-*"};
  /// When set, the parse skips function bodies that cannot hold what the
  /// selected checks look for (matchers/text/BodySkipping.h). Null: every
  /// body is parsed.
  std::shared_ptr<const BodySkipping> SkipBodies;
  /// Fill AnalysisResult::Facts (pass 2's facts are computed then even when
  /// no pass-2 check is selected).
  bool ExportFacts = false;
  /// Facts of other units (--facts-in): a callee the unit does not define
  /// is looked up here by name. Shared, read-only.
  std::shared_ptr<const CrossFileFacts> Imported;
};

} // namespace vmalloc_lint

#endif
