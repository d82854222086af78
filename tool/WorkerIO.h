// What a parent and a worker process exchange (--isolate, --memory-limit):
// the job a worker analyses and the complete result it sends back. A plain
// length-prefixed format, not JSON: file paths, source text and messages are
// bytes (kernel sources are not all UTF-8) and must come back exactly as a
// worker thread would have produced them.
#ifndef VMALLOC_LINT_WORKER_IO_H
#define VMALLOC_LINT_WORKER_IO_H

#include "matchers/Finding.h"
#include "matchers/text/BodySkipping.h"
#include "tool/FileJob.h"

#include "llvm/ADT/StringRef.h"

#include <map>
#include <string>

namespace vmalloc_lint {

/// One translation unit for a worker process.
struct WorkerJob {
  FileJob Job;
  bool ShowCompilerErrors = false;
  /// The patch gate's post-images (absolute path -> text), if any.
  std::map<std::string, std::string> Overlay;
  /// The worker's address-space limit in MiB (0: none): the worker sets
  /// RLIMIT_AS itself once it has read its job.
  unsigned MemoryLimitMB = 0;
  /// The run's function-body rule (Job.Options.SkipBodies), written once
  /// per run by the parent (encodeBodySkipping); empty: none.
  std::string BodiesPath;
  /// The run's imported facts (Job.Options.Imported, --facts-in), written
  /// once per run by the parent as a facts file; empty: none.
  std::string FactsPath;
  /// Where the worker writes its result (through Path + ".tmp" and a
  /// rename, so that a result file is either complete or absent).
  std::string ResultPath;
};

/// What a worker sends back: everything runBatch merges and counts.
struct WorkerResult {
  AnalysisResult Result;
  bool HadErrors = false; ///< the unit did not fully compile
  bool Crashed = false;   ///< the analysis crashed (contained in the worker)
  /// The worker's own peak resident set (VmHWM, KiB). Not the rusage's
  /// ru_maxrss: a posix_spawn child inherits the parent's high-water mark.
  uint64_t PeakRssKB = 0;
  /// The worker's address space (VmSize, KiB) when it had read its job,
  /// the shared libraries mapped: RLIMIT_AS must be above it.
  uint64_t StartVmKB = 0;
  /// The job's MemoryLimitMB is at or below StartVmKB: the worker did not
  /// set it nor analyse the file (every allocation would have failed).
  bool LimitBelowStart = false;
};

std::string encodeJob(const WorkerJob &J);
/// False and a reason in Err when Data is not a complete job.
bool decodeJob(llvm::StringRef Data, WorkerJob &J, std::string &Err);

/// The function-body rule that the jobs of a run share: its names are many
/// (the prefilter's closure), so they cross in one file, not in every job.
std::string encodeBodySkipping(const BodySkipping &B);
bool decodeBodySkipping(llvm::StringRef Data, BodySkipping &B,
                        std::string &Err);

/// The worker process's side of RunOptions::Isolate (vmalloc-lint --worker
/// JOBFILE, tool/WorkerMode.cpp): reads the job, analyses it, writes the
/// result file. Exit status 0 when the result is written, WorkerOutOfMemory
/// when an allocation failed, WorkerFailed when the job or result file could
/// not be read or written (its reason on stderr; under RLIMIT_AS that is
/// most often ENOMEM on reading the run's rule or facts file).
int runWorkerProcess(const std::string &JobFile);
inline constexpr int WorkerOutOfMemory = 86;
inline constexpr int WorkerFailed = 87;

std::string encodeResult(const WorkerResult &R);
/// False and a reason in Err when Data is not a complete result (truncated,
/// corrupt, another version's): never a crash.
bool decodeResult(llvm::StringRef Data, WorkerResult &R, std::string &Err);

/// One unit's entry in the results cache (tool/ResultCache.h): a checksum
/// of what follows, the unit's key, and its result in the format above
/// (its FilesRead with their FilesReadHashes: what the entry holds for).
std::string encodeCacheEntry(llvm::StringRef Key, const AnalysisResult &R,
                             bool HadErrors);
/// False and a reason in Err when Data is not a complete entry of Key (a
/// checksum that does not match: truncated or corrupt; another key; another
/// version's).
bool decodeCacheEntry(llvm::StringRef Data, llvm::StringRef Key,
                      WorkerResult &R, std::string &Err);

} // namespace vmalloc_lint

#endif
