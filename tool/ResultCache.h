// The persistent results cache (--cache DIR, on by default; docs/cache.md):
// per translation unit, the result of its analysis (findings, census rows,
// facts, the files it read), reused when nothing it depends on changed.
//
// An entry's name is a digest of the unit's key: the tool's build (a hash
// of this executable and Clang's version), the job as a worker gets it
// (file, exact compile command, kernel rules, check set, arch facts, facts
// export), the run's function-body rule, its imported facts and the current
// directory. The entry holds every file the parse read with the hash of its
// contents as the parse saw it (tool/AnalyseJob.cpp, from the
// SourceManager): a lookup hashes those files now (a gate's post-images
// where it has them) and reuses the entry only if every hash matches. So a
// re-run over an unchanged tree parses nothing, and an edited header
// re-analyses exactly the units that read it.
//
// Entries are written to a temporary file and renamed (a reader sees a
// whole entry or none; concurrent runs on one directory are safe), carry a
// checksum (a truncated or corrupt entry is reported once, removed and
// re-analysed), and the directory is kept under a size bound by removing
// the least recently used entries at the end of a run. A directory that
// cannot be created or written: one warning, and the run goes on without.
#ifndef VMALLOC_LINT_RESULT_CACHE_H
#define VMALLOC_LINT_RESULT_CACHE_H

#include "matchers/Finding.h"
#include "tool/FileJob.h"

#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace vmalloc_lint {

struct CliOptions;

class ResultCache {
public:
  /// The cache in Dir (created if needed) holding at most MaxBytes, or null
  /// and the reason in Why when it cannot be used.
  static std::unique_ptr<ResultCache> open(const std::string &Dir,
                                           uint64_t MaxBytes,
                                           const std::string &Cwd,
                                           std::string &Why);

  /// The entry of J, if there is one and every file it read is as it was
  /// (Overlay: texts that replace files on disk, a gate's post-images):
  /// true and the unit's result and whether it compiled with errors.
  bool lookup(const FileJob &J,
              const std::map<std::string, std::string> *Overlay,
              AnalysisResult &R, bool &HadErrors);
  /// Stores J's result (thread-safe). A result without the hashes of the
  /// files it read (FilesReadHashes) is not stored.
  void store(const FileJob &J, const AnalysisResult &R, bool HadErrors);
  /// End of the run, when it stored entries (or Always): the size bound
  /// kept (least recently used entries removed), temporary files of runs
  /// that died removed, the totals counted.
  void finish(bool Always);
  /// --cache-stats: one line.
  void printStats(llvm::raw_ostream &OS) const;

  struct Stats {
    std::atomic<uint64_t> Hits{0}, Misses{0}, Stale{0}, Stored{0},
        NotStorable{0}, Corrupt{0}, BytesRead{0}, BytesWritten{0};
    uint64_t Entries = 0, Bytes = 0, Evicted = 0;
  };
  const Stats &stats() const { return Counts; }
  const std::string &directory() const { return Dir; }

private:
  ResultCache() = default;
  std::string keyOf(const FileJob &J);
  std::string pathOf(const std::string &Key) const;
  std::optional<uint64_t>
  currentHash(const std::string &File,
              const std::map<std::string, std::string> *Overlay);

  std::string Dir; ///< .../v1
  uint64_t MaxBytes = 0;
  std::string RunKey; ///< build id and current directory

  std::mutex M;
  /// Digests of the rules and facts the jobs share, by address.
  std::map<const void *, std::string> SharedDigests;
  /// Hashes of the files on disk, once per run (nullopt: unreadable).
  std::unordered_map<std::string, std::optional<uint64_t>> DiskHashes;
  /// Whether the places of headers not found exist now, once per run.
  std::unordered_map<std::string, bool> Exists;
  bool fileExists(const std::string &File);
  std::atomic<bool> WriteFailed{false};
  std::atomic<bool> CorruptReported{false};
  Stats Counts;
};

/// This executable's contents and the Clang it is built on (a digest): a
/// rebuilt tool never reuses another build's results.
const std::string &toolBuildId();

/// The directory of the cache a run uses (absolute), or none: see
/// openRunCache.
std::optional<std::string> runCacheDirectory(const CliOptions &O,
                                             const std::string &Cwd);

/// The cache a run uses: --cache DIR, else $VMALLOC_LINT_CACHE (a
/// directory, or "off"), else $XDG_CACHE_HOME/vmalloc-lint, else
/// ~/.cache/vmalloc-lint; none with --no-cache, --compiler-errors (the
/// compiler's messages are not stored) or --print-compile-commands. A
/// directory that cannot be used: a warning on stderr, and null.
std::unique_ptr<ResultCache> openRunCache(const CliOptions &O,
                                          const std::string &Cwd);

/// After the run: Cache->finish and, with --cache-stats, its counts (or
/// that no cache was used).
void finishRunCache(const CliOptions &O, ResultCache *Cache);

} // namespace vmalloc_lint

#endif
