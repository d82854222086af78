// The command line, parsed and validated once (tool/Options.cpp holds the
// llvm::cl declarations; nothing else reads them): every mode gets a
// CliOptions. A bad command line is a usage error (exit status 2) with the
// messages the options have always had, checked in the order they always
// were: a mode checks only what it uses.
#ifndef VMALLOC_LINT_OPTIONS_H
#define VMALLOC_LINT_OPTIONS_H

#include "matchers/checks/CheckGlob.h"
#include "matchers/kernel/KernelVersion.h"
#include "tool/Output.h"
#include "tool/PatchGate.h"

#include <optional>
#include <string>
#include <vector>

namespace vmalloc_lint {

/// "vmalloc-lint: error: Msg" on stderr, exit status 2 (bad usage or input).
[[noreturn]] void usageError(const std::string &Msg);

enum class CliMode {
  Worker,     ///< --worker JOBFILE (internal: a worker process of --isolate)
  Checker,    ///< --cc: kbuild's checker hook, one file
  Merge,      ///< `vmalloc-lint merge FILE...`
  ListChecks, ///< --list-checks
  ListApiMigrations, ///< --list-api-migrations
  Tree,              ///< files, directories or -p's database
  Gate,              ///< --patch, --git-range or --since
  Lsp,               ///< --lsp: a language server on stdio
};

/// --color: clang's -fcolor-diagnostics choice.
enum class ColorChoice { Auto, Always, Never };

struct CliOptions {
  CliMode Mode = CliMode::Tree;
  std::string Argv0; ///< for --isolate's worker executable

  // What to analyse.
  std::vector<std::string> Inputs; ///< the positional arguments
  std::string BuildPath;           ///< -p DIR
  std::string KernelTreeDir;       ///< --kernel-tree DIR
  std::string ArchCache;           ///< --arch-cache DIR
  bool NoArchViews = false;        ///< --no-arch-views
  /// --kernel-version X.Y (validated where the mode uses it).
  std::optional<KernelVersion> ForcedVersion;
  CheckGlob Checks{"vmalloc-*"};
  /// --migrate-to X.Y: the API migration's target (without it, the
  /// vmalloc-api-migration check is removed from Checks).
  std::optional<KernelVersion> MigrateTo;

  // Gate mode (Mode == Gate): exactly one of them is set.
  std::string PatchFile; ///< --patch FILE|-
  std::string GitRange;  ///< --git-range A..B
  std::string Since;     ///< --since REV
  /// --baseline FILE, read (tree and gate modes): the keys of its findings.
  std::string BaselineFile;
  /// --min-confidence: pass-2 findings less sure are not reported.
  Confidence MinConfidence = Confidence::Likely;
  std::vector<FindingKey> Baseline;

  // What to print.
  OutputFormat Format = OutputFormat::Text; ///< not checked with --cc
  bool Census = false;
  bool Diff = false;
  bool Fix = false;
  std::string ExportFixes;
  std::string Series;  ///< --series DIR
  std::string Signoff; ///< --signoff "Name <email>"
  bool SeriesBuild = false;
  std::string CommandLine; ///< "vmalloc-lint ARGS...", shell-quoted
  /// -o FILE, --output=FILE: the results (findings, census, diff, compile
  /// commands) written there atomically at the end ("": stdout).
  std::string OutputFile;
  ColorChoice Color = ColorChoice::Auto;
  bool ListChecks = false;
  bool PrintCompileCommands = false;
  bool Quiet = false;
  bool Progress = false;
  bool Summary = false;
  bool CompilerErrors = false;
  bool Werror = false; ///< --cc only
  /// --warn-unused-nolint: report NOLINTs for this tool's checks that
  /// suppress nothing (exit status 1, as a finding).
  bool WarnUnusedNoLint = false;

  // How to run.
  unsigned Threads = 1; ///< -j N, else the number of CPUs
  bool NoPrefilter = false;
  bool NoSkipBodies = false;
  unsigned TimeoutSeconds = 0; ///< 0: none
  unsigned MemoryLimitMB = 0;  ///< 0: none
  bool Isolate = false;        ///< --isolate or --memory-limit
  unsigned ShardK = 1, ShardN = 1;
  std::string WorkerJob; ///< --worker JOBFILE

  // The results cache (tool/ResultCache.h).
  std::string CacheDir; ///< --cache DIR ("": the default place)
  bool NoCache = false;
  uint64_t CacheBytes = uint64_t(2) << 30; ///< --cache-size
  bool CacheStats = false;

  // Cross-file facts.
  std::string FactsOut;
  std::vector<std::string> FactsIn;

  // --cc: the compiler's arguments without the file, and the file (the last
  // .c argument, which exists).
  std::vector<std::string> CcArgs;
  std::string CcFile;
};

/// Parses and validates argv (`vmalloc-lint merge ...` included), exiting
/// for --help, --version and every usage error.
CliOptions parseCommandLine(int Argc, const char **Argv);

} // namespace vmalloc_lint

#endif
