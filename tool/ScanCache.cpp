#include "tool/ScanCache.h"

#include "tool/FileIO.h"
#include "tool/ResultCache.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/xxhash.h"

#include <algorithm>
#include <fcntl.h>
#include <sys/stat.h>

namespace vmalloc_lint {

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

namespace {

constexpr const char *Magic = "vmalloc-lint scan plan 1\n";
constexpr size_t KeepEntries = 8;

/// A file's stat as the index keeps it; Ok false: it could not be stat'ed.
struct Stamp {
  bool Ok = false;
  uint64_t Size = 0, Ino = 0, Dev = 0;
  int64_t MtimeNs = 0, CtimeNs = 0;
  bool operator==(const Stamp &O) const {
    return Ok == O.Ok && Size == O.Size && Ino == O.Ino && Dev == O.Dev &&
           MtimeNs == O.MtimeNs && CtimeNs == O.CtimeNs;
  }
};

Stamp stampAt(int At, const char *Name) {
  Stamp S;
  struct stat St;
  if (::fstatat(At, Name, &St, 0) != 0)
    return S;
  S.Ok = true;
  S.Size = uint64_t(St.st_size);
  S.Ino = uint64_t(St.st_ino);
  S.Dev = uint64_t(St.st_dev);
  S.MtimeNs = int64_t(St.st_mtim.tv_sec) * 1000000000 + St.st_mtim.tv_nsec;
  S.CtimeNs = int64_t(St.st_ctim.tv_sec) * 1000000000 + St.st_ctim.tv_nsec;
  return S;
}

void putStamp(std::string &Out, const Stamp &S) {
  if (!S.Ok) {
    Out += "-\n";
    return;
  }
  Out += std::to_string(S.Size) + " " + std::to_string(S.MtimeNs) + " " +
         std::to_string(S.CtimeNs) + " " + std::to_string(S.Ino) + " " +
         std::to_string(S.Dev) + "\n";
}

std::string entryPath(const ScanCacheKey &K) { return K.Dir + "/" + K.Digest; }

/// The stamps of Inputs then ExtraHeaders, in that order.
std::vector<Stamp> stamps(const std::vector<std::string> &Inputs,
                          const std::vector<std::string> &Extra) {
  std::vector<Stamp> Out(Inputs.size() + Extra.size());
  forEachInItsDirectory(Inputs, [&](int At, const char *Name, size_t I) {
    Out[I] = stampAt(At, Name);
  });
  forEachInItsDirectory(Extra, [&](int At, const char *Name, size_t I) {
    Out[Inputs.size() + I] = stampAt(At, Name);
  });
  return Out;
}

} // namespace

ScanCacheKey scanCacheKey(const std::string &CacheDir,
                          const std::vector<std::string> &Inputs,
                          const std::vector<std::string> &ExtraHeaders,
                          const PrefilterNeeds &Needs) {
  llvm::SHA256 H;
  auto Put = [&H](llvm::StringRef S) {
    H.update(std::to_string(S.size()));
    H.update(":");
    H.update(S);
  };
  Put(Magic);
  Put(toolBuildId());
  for (const std::vector<std::string> &G : Needs.Groups) {
    Put("group");
    for (const std::string &N : G)
      Put(N);
  }
  for (const std::vector<unsigned> &A : Needs.Alternatives) {
    Put("alternative");
    for (unsigned G : A)
      Put(std::to_string(G));
  }
  Put("file-wide");
  for (char C : Needs.FileWide)
    Put(C ? "1" : "0");
  Put(std::to_string(Needs.WrapperGroup));
  Put(std::to_string(Needs.BodyGroups));
  Put(std::to_string(Needs.Unclosed));
  Put("foreign");
  for (const std::string &D : Needs.ForeignDirs)
    Put(D);
  Put("public");
  for (const std::string &D : Needs.PublicDirs)
    Put(D);
  Put("inputs");
  for (const std::string &F : Inputs)
    Put(F);
  Put("headers");
  for (const std::string &F : ExtraHeaders)
    Put(F);
  return {CacheDir + "/scan-v1",
          llvm::toHex(H.final(), /*LowerCase=*/true).substr(0, 40)};
}

bool storeScanPlan(const ScanCacheKey &Key,
                   const std::vector<std::string> &Inputs,
                   const std::vector<std::string> &ExtraHeaders,
                   const PrefilterPlan &P, double ScanStart) {
  std::vector<Stamp> St = stamps(Inputs, ExtraHeaders);
  const int64_t Doubt = int64_t((ScanStart - 2) * 1e9);
  for (const Stamp &S : St)
    if (S.Ok && (S.MtimeNs >= Doubt || S.CtimeNs >= Doubt))
      return false; // may have changed while the scan read it
  // One name a line: a name with a newline is not kept (none in a tree).
  auto Plain = [](const std::vector<std::string> &L) {
    return std::none_of(L.begin(), L.end(), [](const std::string &S) {
      return S.find('\n') != std::string::npos;
    });
  };
  if (!Plain(P.Unreadable) || !Plain(P.BodyNames))
    return false;
  for (const auto &[H, Units] : P.SiteHeaders)
    if (H.find('\n') != std::string::npos || !Plain(Units))
      return false;
  std::string Body;
  Body += Key.Digest + "\n";
  for (const Stamp &S : St)
    putStamp(Body, S);
  Body += std::to_string(P.HeadersScanned) + " " + std::to_string(P.Keywords) +
          "\n";
  // Each input's fate: k kept, s skipped (the rest: unreadable).
  std::string Fate(Inputs.size(), '-');
  for (size_t I = 0; I < Inputs.size(); ++I) {
    if (std::binary_search(P.Keep.begin(), P.Keep.end(), Inputs[I]))
      Fate[I] = 'k';
    else if (std::binary_search(P.Skip.begin(), P.Skip.end(), Inputs[I]))
      Fate[I] = 's';
  }
  Body += Fate + "\n";
  auto List = [&Body](const std::vector<std::string> &L) {
    Body += std::to_string(L.size()) + "\n";
    for (const std::string &S : L)
      Body += S + "\n";
  };
  List(P.Unreadable);
  Body += std::to_string(P.SiteHeaders.size()) + "\n";
  for (const auto &[H, Units] : P.SiteHeaders) {
    Body += H + "\n";
    List(Units);
  }
  List(P.BodyNames);
  std::string Data =
      Magic + llvm::utohexstr(llvm::xxh3_64bits(Body)) + "\n" + Body;
  if (fs::create_directories(Key.Dir))
    return false;
  StagedFile S;
  if (stageFile(entryPath(Key), Key.Dir + "/tmp-%%%%%%%%%%%%", Data, S) ||
      commitStagedFile(S)) {
    if (!S.Temp.empty())
      discardStagedFile(S);
    return false;
  }
  // The bound: the most recently used entries only.
  struct Entry {
    std::string Path;
    llvm::sys::TimePoint<> Used;
  };
  std::vector<Entry> Entries;
  std::error_code EC;
  for (fs::directory_iterator D(Key.Dir, EC), End; !EC && D != End;
       D.increment(EC)) {
    fs::file_status FS;
    if (fs::status(D->path(), FS) || FS.type() != fs::file_type::regular_file)
      continue;
    if (path::filename(D->path()).starts_with("tmp-") &&
        std::chrono::system_clock::now() - FS.getLastModificationTime() <
            std::chrono::hours(1))
      continue; // another run's, being written
    Entries.push_back({D->path(), FS.getLastModificationTime()});
  }
  if (Entries.size() <= KeepEntries)
    return true;
  std::sort(Entries.begin(), Entries.end(),
            [](const Entry &A, const Entry &B) { return A.Used > B.Used; });
  for (size_t I = KeepEntries; I < Entries.size(); ++I)
    fs::remove(Entries[I].Path);
  return true;
}

std::optional<PrefilterPlan>
loadScanPlan(const ScanCacheKey &Key, const std::vector<std::string> &Inputs,
             const std::vector<std::string> &ExtraHeaders) {
  std::string File = entryPath(Key);
  auto B = llvm::MemoryBuffer::getFile(File, /*IsText=*/false,
                                       /*RequiresNullTerminator=*/false);
  if (!B)
    return std::nullopt;
  llvm::StringRef Data = (*B)->getBuffer();
  if (!Data.consume_front(Magic))
    return std::nullopt;
  auto [Sum, Body] = Data.split('\n');
  if (Sum != llvm::utohexstr(llvm::xxh3_64bits(Body)))
    return std::nullopt; // truncated or corrupt: scanned again, rewritten
  llvm::StringRef Rest = Body;
  auto Line = [&Rest]() {
    auto [L, R] = Rest.split('\n');
    Rest = R;
    return L;
  };
  auto Number = [&](size_t &N) { return !Line().getAsInteger(10, N); };
  if (Line() != Key.Digest)
    return std::nullopt;
  std::vector<Stamp> Now = stamps(Inputs, ExtraHeaders);
  for (const Stamp &S : Now) {
    std::string Was = Line().str() + "\n", Is;
    putStamp(Is, S);
    if (Was != Is)
      return std::nullopt; // a file changed: scan again
  }
  PrefilterPlan P;
  {
    auto [A, C] = Line().split(' ');
    if (A.getAsInteger(10, P.HeadersScanned) || C.getAsInteger(10, P.Keywords))
      return std::nullopt;
  }
  llvm::StringRef Fate = Line();
  if (Fate.size() != Inputs.size())
    return std::nullopt;
  for (size_t I = 0; I < Inputs.size(); ++I)
    if (Fate[I] == 'k')
      P.Keep.push_back(Inputs[I]);
    else if (Fate[I] == 's')
      P.Skip.push_back(Inputs[I]);
  std::sort(P.Keep.begin(), P.Keep.end());
  std::sort(P.Skip.begin(), P.Skip.end());
  auto List = [&](std::vector<std::string> &L) {
    size_t N;
    if (!Number(N))
      return false;
    for (size_t I = 0; I < N; ++I)
      L.push_back(Line().str());
    return true;
  };
  size_t Sites;
  if (!List(P.Unreadable) || !Number(Sites))
    return std::nullopt;
  for (size_t I = 0; I < Sites; ++I) {
    std::string H = Line().str();
    std::vector<std::string> Units;
    if (!List(Units))
      return std::nullopt;
    P.SiteHeaders.emplace_back(std::move(H), std::move(Units));
  }
  if (!List(P.BodyNames))
    return std::nullopt;
  // Used now: the bound keeps it.
  ::utimensat(AT_FDCWD, File.c_str(), nullptr, 0);
  return P;
}

} // namespace vmalloc_lint
