// The modes of the command line, one file each: each takes the parsed
// options (tool/Options.h) and returns the exit status.
#ifndef VMALLOC_LINT_MODES_H
#define VMALLOC_LINT_MODES_H

#include "tool/FileJob.h"
#include "tool/Options.h"
#include "tool/Runner.h"

#include <chrono>
#include <vector>

namespace vmalloc_lint {

/// Files, directories or -p's database (tool/TreeMode.cpp). Start: when
/// the program started (the summary's wall time).
int runTreeMode(const CliOptions &O,
                std::chrono::steady_clock::time_point Start);
/// --patch, --git-range, --since: the tree run over what a change touches,
/// reporting what it adds or changes (tool/GateMode.cpp).
int runGateMode(const CliOptions &O,
                std::chrono::steady_clock::time_point Start);
/// `vmalloc-lint merge FILE...` (tool/MergeMode.cpp).
int runMergeMode(const CliOptions &O);
/// --cc: kbuild's checker hook, one file (tool/CheckerMode.cpp).
int runCheckerMode(const CliOptions &O);
/// --lsp: a language server on stdio (tool/LspMode.cpp).
int runLspMode(const CliOptions &O);
/// --list-checks, --list-api-migrations (tool/ListModes.cpp).
int listChecks();
int listApiMigrations();
/// --worker JOBFILE: a worker process of --isolate (tool/WorkerMode.cpp).
int runWorkerMode(const CliOptions &O);
/// --print-compile-commands (tree and --cc modes): the jobs' commands as
/// compile_commands.json on stdout; exit status 0 (tool/PrintCommands.cpp).
int printCompileCommands(const std::vector<FileJob> &Jobs);

/// The units whose analysis crashed, as internal errors on stderr.
void reportCrashes(const RunReport &Report);
/// The units whose worker process could not start, as errors on stderr.
void reportStartFailures(const RunReport &Report);

} // namespace vmalloc_lint

#endif
