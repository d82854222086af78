// The cross-file facts files of a run: --facts-in read, --facts-out checked
// and written (JSON lines, matchers/CrossFileFacts.h). Usage errors (exit
// status 2) for files that cannot be read or written.
#ifndef VMALLOC_LINT_FACTS_FILES_H
#define VMALLOC_LINT_FACTS_FILES_H

#include "matchers/provenance/CrossFileFacts.h"
#include "tool/Options.h"

#include <memory>
#include <string>

namespace vmalloc_lint {

/// --facts-in: every file joined, origins numbered, shared by the jobs
/// (null without --facts-in). Relative paths are relative to Cwd.
std::shared_ptr<const CrossFileFacts> loadFacts(const CliOptions &O,
                                                const std::string &Cwd);

/// --facts-out can be written (checked before any analysis).
void checkFactsOut(const CliOptions &O);

/// Writes F to --facts-out atomically (paths relative to Cwd) and, unless
/// --quiet, says how many records it holds.
void writeFacts(const CliOptions &O, const CrossFileFacts &F,
                const std::string &Cwd);

} // namespace vmalloc_lint

#endif
