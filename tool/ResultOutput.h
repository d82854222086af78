// Where a run's results go: standard output, or with -o FILE (--output=FILE)
// a buffer that replaces FILE atomically when the run ends, so that nothing
// the run reads (-p's compile_commands.json, a --baseline, a merged input)
// is truncated while it is read, and an error (exit status 2) leaves FILE as
// it was. Every mode prints its results to resultStream(); main() calls
// finishResults() on its way out.
#ifndef VMALLOC_LINT_RESULT_OUTPUT_H
#define VMALLOC_LINT_RESULT_OUTPUT_H

#include "llvm/Support/raw_ostream.h"

#include <string>

namespace vmalloc_lint {

/// -o FILE: the results are buffered and written to Path by finishResults().
void setResultFile(const std::string &Path);
/// The -o file ("" without -o).
const std::string &resultFile();
/// Standard output, or the -o buffer.
llvm::raw_ostream &resultStream();
/// Whether OS (resultStream() or stderr) gets colours: Always, Never, or
/// Auto: when OS is the terminal (never the -o buffer).
bool wantColors(int Choice, const llvm::raw_ostream &OS);
/// With -o, replaces the file with the buffer (a file that cannot be written
/// is a usage error, exit status 2); without, flushes standard output.
void finishResults();

} // namespace vmalloc_lint

#endif
