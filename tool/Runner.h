// Runs the analysis core over many files: one clang invocation per file, N
// worker threads, results merged and de-duplicated (a header site is one
// site however many translation units include it).
#ifndef VMALLOC_LINT_RUNNER_H
#define VMALLOC_LINT_RUNNER_H

#include "matchers/Finding.h"
#include "matchers/VmallocAnalysis.h"

#include <map>
#include <string>
#include <vector>

namespace vmalloc_lint {

struct FileJob {
  std::string File;
  std::vector<std::string> Command; ///< argv, argv[0] = "clang"
  AnalysisOptions Options;
};

struct RunReport {
  AnalysisResult Result;
  unsigned Files = 0;           ///< translation units parsed
  unsigned HeadersCovered = 0;  ///< headers not parsed alone: included by
                                ///< an analysed file
  unsigned FilesWithErrors = 0; ///< analysed from a partial AST
  std::vector<std::string> Crashed;
};

/// Runs the .c jobs, then the header jobs that no analysed file included
/// (a header-only wrapper is still analysed; one that .c files include is
/// not parsed twice). Overlay, if given, maps absolute paths to the text the
/// compiler reads instead of the disk's (a patch's post-image; files that do
/// not exist on disk yet included).
RunReport runJobs(const std::vector<FileJob> &Jobs, unsigned Threads,
                  bool ShowCompilerErrors,
                  const std::map<std::string, std::string> *Overlay = nullptr);

} // namespace vmalloc_lint

#endif
