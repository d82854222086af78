#include "tool/FileIO.h"

#include "matchers/text/FileText.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Casting.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <fcntl.h>
#include <unistd.h>

namespace vmalloc_lint {

namespace fs = llvm::sys::fs;

std::string realAbsolutePath(const std::string &P) { return realAbsolute(P); }

void forEachInItsDirectory(
    const std::vector<std::string> &Paths,
    llvm::function_ref<void(int At, const char *Name, size_t I)> Fn) {
  // Each directory's paths (by index), in the order first seen: one hash
  // per path (sorting 55,000 paths by their long shared prefixes was a
  // tenth of the walk).
  llvm::StringMap<std::vector<size_t>> ByDir;
  std::vector<llvm::StringMapEntry<std::vector<size_t>> *> Dirs;
  for (size_t I = 0; I < Paths.size(); ++I) {
    size_t Slash = Paths[I].rfind('/');
    auto [It, New] = ByDir.try_emplace(llvm::StringRef(Paths[I]).take_front(
        Slash == std::string::npos ? 0 : Slash));
    if (New)
      Dirs.push_back(&*It);
    It->second.push_back(I);
  }
  for (auto *D : Dirs) {
    size_t Len = D->getKey().size();
    int At = Len == 0 ? -1
                      : ::open(D->getKey().str().c_str(),
                               O_PATH | O_DIRECTORY | O_CLOEXEC);
    for (size_t I : D->second) {
      const std::string &P = Paths[I];
      if (At < 0)
        Fn(AT_FDCWD, P.c_str(), I);
      else
        Fn(At, P.c_str() + Len + 1, I);
    }
    if (At >= 0)
      ::close(At);
  }
}

std::string realCurrentDirectory() {
  llvm::SmallString<256> Cwd;
  fs::current_path(Cwd);
  return realAbsolutePath(std::string(Cwd));
}

llvm::ErrorOr<std::string> readWholeFileOrStdin(const std::string &Path) {
  auto B = llvm::MemoryBuffer::getFileOrSTDIN(Path, /*IsText=*/false,
                                              /*RequiresNullTerminator=*/false);
  if (!B)
    return B.getError();
  return (*B)->getBuffer().str();
}

std::string readWholeFile(const std::string &Path, std::string &Err) {
  llvm::ErrorOr<std::string> Text = readWholeFile(Path);
  if (!Text) {
    Err = "cannot read " + Path + ": " + Text.getError().message();
    return "";
  }
  return std::move(*Text);
}

namespace {

/// Data to an open stream, then the stream's error, cleared (a raw_fd_ostream
/// destroyed with an error pending aborts the process).
std::error_code writeAll(llvm::raw_fd_ostream &OS, llvm::StringRef Data,
                         bool Close) {
  OS << Data;
  if (Close)
    OS.close();
  else
    OS.flush();
  std::error_code EC;
  if (OS.has_error()) {
    EC = OS.error();
    OS.clear_error();
  }
  return EC;
}

} // namespace

std::error_code writeFile(const std::string &Path, llvm::StringRef Data) {
  std::error_code EC;
  llvm::raw_fd_ostream OS(Path, EC);
  if (EC)
    return EC;
  return writeAll(OS, Data, /*Close=*/true);
}

bool writeFile(const std::string &Path, llvm::StringRef Data,
               std::string &Err) {
  std::error_code EC = writeFile(Path, Data);
  if (EC)
    Err = "cannot write " + Path + ": " + EC.message();
  return !EC;
}

std::error_code writeFileAtomically(const std::string &Path,
                                    llvm::StringRef Data) {
  // Something that exists and is not a regular file (/dev/null, a FIFO,
  // /dev/stdout) is written to, never replaced: a rename over a device
  // would turn it into a file (as root, /dev/null).
  fs::file_status St;
  if (!fs::status(Path, St) && fs::exists(St) && !fs::is_regular_file(St) &&
      !fs::is_directory(St))
    return writeFile(Path, Data);
  std::string Name = Path == "-" ? "./-" : Path;
  llvm::Error E =
      llvm::writeToOutput(Name, [&](llvm::raw_ostream &OS) -> llvm::Error {
        // A file, never stdout or the null stream: see Name.
        auto &FD = llvm::cast<llvm::raw_fd_ostream>(OS);
        if (std::error_code EC = writeAll(FD, Data, /*Close=*/false))
          return llvm::errorCodeToError(EC);
        return llvm::Error::success();
      });
  return llvm::errorToErrorCode(std::move(E));
}

std::error_code stageFile(const std::string &Target,
                          const std::string &TempModel, llvm::StringRef Data,
                          StagedFile &S) {
  S.Target = Target;
  S.Temp.clear();
  int FD;
  llvm::SmallString<256> Tmp;
  if (std::error_code EC = fs::createUniqueFile(TempModel, FD, Tmp))
    return EC;
  S.Temp = std::string(Tmp);
  llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
  std::error_code EC = writeAll(OS, Data, /*Close=*/true);
  if (EC)
    fs::remove(S.Temp);
  return EC;
}

std::error_code stageFileAt(const std::string &Target, const std::string &Temp,
                            llvm::StringRef Data, StagedFile &S) {
  S.Target = Target;
  S.Temp.clear();
  std::error_code EC;
  llvm::raw_fd_ostream OS(Temp, EC);
  if (EC)
    return EC;
  S.Temp = Temp;
  if ((EC = writeAll(OS, Data, /*Close=*/true)))
    fs::remove(S.Temp);
  return EC;
}

std::error_code commitStagedFile(const StagedFile &S) {
  return fs::rename(S.Temp, S.Target);
}

void discardStagedFile(const StagedFile &S) { fs::remove(S.Temp); }

} // namespace vmalloc_lint
