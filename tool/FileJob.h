// One translation unit to analyse: the file, its compile command and the
// analysis options (checks, kernel rules, facts) it is analysed with.
#ifndef VMALLOC_LINT_FILE_JOB_H
#define VMALLOC_LINT_FILE_JOB_H

#include "matchers/Analysis.h"

#include <string>
#include <vector>

namespace vmalloc_lint {

struct FileJob {
  std::string File;
  std::vector<std::string> Command; ///< argv, argv[0] = "clang"
  AnalysisOptions Options;
  /// How the unit is compiled, for the census's "view" of its sites
  /// (CallSite::View): "" when no kernel tree synthesised the command.
  std::string View;
};

} // namespace vmalloc_lint

#endif
