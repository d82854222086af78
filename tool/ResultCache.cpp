#include "tool/ResultCache.h"

#include "matchers/provenance/CrossFileFacts.h"
#include "matchers/text/BodySkipping.h"
#include "tool/FileIO.h"
#include "tool/Options.h"
#include "tool/WorkerIO.h"

#include "clang/Basic/Version.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/xxhash.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace vmalloc_lint {

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

namespace {

std::string computeBuildId() {
  static int Anchor;
  std::string Exe = fs::getMainExecutable(nullptr, &Anchor);
  uint64_t H = 0;
  if (auto B = llvm::MemoryBuffer::getFile(Exe, /*IsText=*/false,
                                           /*RequiresNullTerminator=*/false))
    H = llvm::xxh3_64bits(llvm::arrayRefFromStringRef((*B)->getBuffer()));
  return llvm::utohexstr(H) + " " + clang::getClangFullVersion();
}

} // namespace

const std::string &toolBuildId() {
  static const std::string Id = computeBuildId();
  return Id;
}

namespace {

std::string hexDigest(llvm::StringRef Data) {
  llvm::SHA256 S;
  S.update(Data);
  return llvm::toHex(S.final(), /*LowerCase=*/true).substr(0, 40);
}

} // namespace

std::unique_ptr<ResultCache> ResultCache::open(const std::string &Dir,
                                               uint64_t MaxBytes,
                                               const std::string &Cwd,
                                               std::string &Why) {
  std::unique_ptr<ResultCache> C(new ResultCache());
  C->Dir = Dir + "/v1";
  C->MaxBytes = MaxBytes;
  if (std::error_code EC = fs::create_directories(C->Dir)) {
    Why = "cannot create the cache directory " + C->Dir + ": " + EC.message();
    return nullptr;
  }
  // Written to, not only there: a read-only cache would warn on every store.
  if (::access(C->Dir.c_str(), W_OK | X_OK) != 0) {
    Why = "cannot write to the cache directory " + C->Dir;
    return nullptr;
  }
  C->RunKey = "vmalloc-lint cache key 1\n" + toolBuildId() + "\n" + Cwd + "\n";
  return C;
}

std::string ResultCache::keyOf(const FileJob &J) {
  // The job as a worker process gets it (tool/WorkerIO.cpp): file, command,
  // kernel rules, checks, arch facts, facts export. Its rule and facts go
  // by digest: many jobs share them.
  WorkerJob W;
  W.Job = J;
  W.Job.Options.SkipBodies.reset();
  W.Job.Options.Imported.reset();
  std::string Key = RunKey + encodeJob(W);
  auto Shared = [&](const void *P, auto Text) {
    std::lock_guard<std::mutex> G(M);
    auto [It, New] = SharedDigests.emplace(P, "");
    if (New)
      It->second = hexDigest(Text());
    return It->second;
  };
  if (const BodySkipping *B = J.Options.SkipBodies.get())
    Key += "bodies " + Shared(B, [B] { return encodeBodySkipping(*B); }) + "\n";
  if (const CrossFileFacts *F = J.Options.Imported.get())
    Key += "facts " + Shared(F, [F] { return writeFactsJsonl(*F, ""); }) + "\n";
  return hexDigest(Key);
}

std::string ResultCache::pathOf(const std::string &Key) const {
  return Dir + "/" + Key.substr(0, 2) + "/" + Key;
}

std::optional<uint64_t>
ResultCache::currentHash(const std::string &File,
                         const std::map<std::string, std::string> *Overlay) {
  if (Overlay) {
    auto It = Overlay->find(File);
    if (It != Overlay->end())
      return contentHash(It->second);
  }
  {
    std::lock_guard<std::mutex> G(M);
    auto It = DiskHashes.find(File);
    if (It != DiskHashes.end())
      return It->second;
  }
  std::optional<uint64_t> H;
  if (auto B = llvm::MemoryBuffer::getFile(File, /*IsText=*/false,
                                           /*RequiresNullTerminator=*/false))
    H = contentHash((*B)->getBuffer());
  std::lock_guard<std::mutex> G(M);
  DiskHashes.emplace(File, H);
  return H;
}

bool ResultCache::fileExists(const std::string &File) {
  {
    std::lock_guard<std::mutex> G(M);
    auto It = Exists.find(File);
    if (It != Exists.end())
      return It->second;
  }
  bool E = fs::exists(File);
  std::lock_guard<std::mutex> G(M);
  Exists.emplace(File, E);
  return E;
}

bool ResultCache::lookup(const FileJob &J,
                         const std::map<std::string, std::string> *Overlay,
                         AnalysisResult &R, bool &HadErrors) {
  std::string Key = keyOf(J);
  std::string Path = pathOf(Key);
  auto B = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                       /*RequiresNullTerminator=*/false);
  if (!B) {
    ++Counts.Misses;
    return false;
  }
  Counts.BytesRead += (*B)->getBufferSize();
  WorkerResult W;
  std::string Err;
  if (!decodeCacheEntry((*B)->getBuffer(), Key, W, Err)) {
    ++Counts.Corrupt;
    ++Counts.Misses;
    if (!CorruptReported.exchange(true))
      llvm::errs() << "vmalloc-lint: warning: cache entry " << Path
                   << " is not usable (" << Err
                   << "): removed, the unit is analysed again\n";
    fs::remove(Path);
    return false;
  }
  const AnalysisResult &Got = W.Result;
  for (size_t I = 0; I < Got.FilesRead.size(); ++I) {
    std::optional<uint64_t> H = currentHash(Got.FilesRead[I], Overlay);
    if (!H || *H != Got.FilesReadHashes[I]) {
      ++Counts.Stale;
      ++Counts.Misses;
      return false;
    }
  }
  for (const std::string &F : Got.FilesAbsent)
    if (fileExists(F)) {
      ++Counts.Stale;
      ++Counts.Misses;
      return false;
    }
  // The last use, for the size bound's least recently used order.
  ::utimensat(AT_FDCWD, Path.c_str(), nullptr, 0);
  ++Counts.Hits;
  R = std::move(W.Result);
  HadErrors = W.HadErrors;
  return true;
}

void ResultCache::store(const FileJob &J, const AnalysisResult &R,
                        bool HadErrors) {
  if (R.FilesRead.empty() || R.FilesReadHashes.size() != R.FilesRead.size()) {
    ++Counts.NotStorable;
    return;
  }
  if (WriteFailed)
    return;
  std::string Key = keyOf(J);
  std::string Data = encodeCacheEntry(Key, R, HadErrors);
  std::string Target = pathOf(Key);
  std::string Sub = path::parent_path(Target).str();
  StagedFile S;
  std::error_code EC = fs::create_directories(Sub);
  if (!EC)
    EC = stageFile(Target, Sub + "/tmp-%%%%%%%%%%%%", Data, S);
  if (!EC)
    EC = commitStagedFile(S);
  if (EC) {
    if (!S.Temp.empty())
      discardStagedFile(S);
    if (!WriteFailed.exchange(true))
      llvm::errs() << "vmalloc-lint: warning: cannot write to the cache " << Dir
                   << " (" << EC.message()
                   << "): results of this run are not stored\n";
    return;
  }
  ++Counts.Stored;
  Counts.BytesWritten += Data.size();
}

void ResultCache::finish(bool Always) {
  // Only a store makes the cache grow; the scan is for the bound (and for
  // --cache-stats' totals).
  if (!Always && !Counts.Stored)
    return;
  struct Entry {
    std::string Path;
    llvm::sys::TimePoint<> Used;
    uint64_t Size;
  };
  std::vector<Entry> Entries;
  uint64_t Total = 0;
  auto Now = std::chrono::system_clock::now();
  std::error_code EC;
  for (fs::directory_iterator D(Dir, EC), DEnd; !EC && D != DEnd;
       D.increment(EC)) {
    std::error_code EC2;
    for (fs::directory_iterator F(D->path(), EC2), FEnd; !EC2 && F != FEnd;
         F.increment(EC2)) {
      fs::file_status St;
      if (fs::status(F->path(), St) || St.type() != fs::file_type::regular_file)
        continue;
      llvm::StringRef Name = path::filename(F->path());
      if (Name.starts_with("tmp-")) {
        // Left by a run that died while writing (a live one renames its
        // temporary within moments).
        if (Now - St.getLastModificationTime() > std::chrono::hours(1))
          fs::remove(F->path());
        continue;
      }
      Entries.push_back(
          {F->path(), St.getLastModificationTime(), St.getSize()});
      Total += St.getSize();
    }
  }
  if (Total > MaxBytes) {
    std::sort(Entries.begin(), Entries.end(),
              [](const Entry &A, const Entry &B) { return A.Used < B.Used; });
    size_t I = 0;
    for (; I < Entries.size() && Total > MaxBytes; ++I) {
      if (!fs::remove(Entries[I].Path))
        ++Counts.Evicted;
      Total -= Entries[I].Size;
    }
    Entries.erase(Entries.begin(), Entries.begin() + I);
  }
  Counts.Entries = Entries.size();
  Counts.Bytes = Total;
}

void ResultCache::printStats(llvm::raw_ostream &OS) const {
  OS << "vmalloc-lint: cache " << path::parent_path(Dir) << ": " << Counts.Hits
     << " hits, " << Counts.Misses << " misses (" << Counts.Stale << " stale, "
     << Counts.Corrupt << " corrupt), " << Counts.Stored << " stored, "
     << Counts.NotStorable << " not storable; " << Counts.BytesRead
     << " bytes read, " << Counts.BytesWritten << " bytes written; "
     << Counts.Entries << " entries, " << Counts.Bytes << " bytes (bound "
     << MaxBytes << "), " << Counts.Evicted << " evicted\n";
}

std::optional<std::string> runCacheDirectory(const CliOptions &O,
                                             const std::string &Cwd) {
  if (O.NoCache || O.CompilerErrors || O.PrintCompileCommands)
    return std::nullopt;
  std::string Dir = O.CacheDir;
  if (Dir.empty()) {
    if (std::optional<std::string> E =
            llvm::sys::Process::GetEnv("VMALLOC_LINT_CACHE")) {
      if (*E == "off" || E->empty())
        return std::nullopt;
      Dir = *E;
    } else if (std::optional<std::string> X =
                   llvm::sys::Process::GetEnv("XDG_CACHE_HOME");
               X && path::is_absolute(*X)) {
      Dir = *X + "/vmalloc-lint";
    } else if (std::optional<std::string> H =
                   llvm::sys::Process::GetEnv("HOME");
               H && path::is_absolute(*H)) {
      Dir = *H + "/.cache/vmalloc-lint";
    } else {
      return std::nullopt; // nowhere to put it: no cache, as with --no-cache
    }
  }
  return absoluteFrom(Cwd, Dir);
}

std::unique_ptr<ResultCache> openRunCache(const CliOptions &O,
                                          const std::string &Cwd) {
  std::optional<std::string> Dir = runCacheDirectory(O, Cwd);
  if (!Dir)
    return nullptr;
  std::string Why;
  std::unique_ptr<ResultCache> C =
      ResultCache::open(*Dir, O.CacheBytes, Cwd, Why);
  if (!C)
    llvm::errs() << "vmalloc-lint: warning: " << Why
                 << "; running without the results cache\n";
  return C;
}

void finishRunCache(const CliOptions &O, ResultCache *Cache) {
  if (Cache)
    Cache->finish(O.CacheStats);
  if (!O.CacheStats)
    return;
  if (Cache)
    Cache->printStats(llvm::errs());
  else
    llvm::errs() << "vmalloc-lint: cache: not used\n";
}

} // namespace vmalloc_lint
