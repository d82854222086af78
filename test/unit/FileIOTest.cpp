// The front end's atomic writes replace regular files and never a device or
// a FIFO (--facts-out /dev/null as root used to turn /dev/null into a file).
#include "tool/FileIO.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

using namespace vmalloc_lint;

namespace {

std::string tempDir() {
  llvm::SmallString<128> D;
  EXPECT_FALSE(llvm::sys::fs::createUniqueDirectory("vl-fileio", D));
  return std::string(D);
}

} // namespace

TEST(FileIO, AtomicWriteReplacesARegularFile) {
  std::string D = tempDir(), P = D + "/out.json";
  { std::ofstream(P) << "old"; }
  ASSERT_FALSE(writeFileAtomically(P, "new"));
  std::ifstream In(P);
  std::stringstream S;
  S << In.rdbuf();
  EXPECT_EQ(S.str(), "new");
  // Nothing is left beside it.
  std::error_code EC;
  unsigned N = 0;
  for (llvm::sys::fs::directory_iterator It(D, EC), End; It != End && !EC;
       It.increment(EC))
    ++N;
  EXPECT_EQ(N, 1u);
  llvm::sys::fs::remove_directories(D);
}

TEST(FileIO, AtomicWriteWritesIntoAFifoWithoutReplacingIt) {
  std::string D = tempDir(), P = D + "/fifo";
  ASSERT_EQ(::mkfifo(P.c_str(), 0600), 0);
  // A reader that does not block: the write finds it, and a broken write
  // (a rename over the FIFO) cannot hang the test.
  int FD = ::open(P.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(FD, 0);
  EXPECT_FALSE(writeFileAtomically(P, "facts"));
  char Buf[16] = {};
  ssize_t N = ::read(FD, Buf, sizeof(Buf));
  ::close(FD);
  EXPECT_EQ(std::string(Buf, N > 0 ? N : 0), "facts");
  struct stat St;
  ASSERT_EQ(::stat(P.c_str(), &St), 0);
  EXPECT_TRUE(S_ISFIFO(St.st_mode)) << "the FIFO was replaced by a file";
  llvm::sys::fs::remove_directories(D);
}

// forEachInItsDirectory hands each path once, as its directory's descriptor
// and its own name (one path walk per directory), and the whole path
// against AT_FDCWD where the directory cannot be opened.
TEST(FileIO, ForEachInItsDirectoryResolvesEachNameOnce) {
  std::string D = tempDir();
  llvm::sys::fs::create_directories(D + "/a/b");
  for (const char *F : {"/a/x", "/a/b/y", "/a/z"})
    std::ofstream(D + F) << F;
  std::vector<std::string> Paths = {D + "/a/x", D + "/a/b/y", D + "/a/z",
                                    D + "/none/w"};
  std::vector<int> Seen(Paths.size());
  forEachInItsDirectory(Paths, [&](int At, const char *Name, size_t I) {
    ++Seen[I];
    struct stat St;
    if (I == 3) {
      EXPECT_EQ(At, AT_FDCWD);
      EXPECT_EQ(std::string(Name), Paths[3]);
      EXPECT_NE(::fstatat(At, Name, &St, 0), 0);
      return;
    }
    EXPECT_NE(At, AT_FDCWD);
    EXPECT_EQ(std::string(Name), llvm::sys::path::filename(Paths[I]).str());
    ASSERT_EQ(::fstatat(At, Name, &St, 0), 0);
    EXPECT_EQ(St.st_size, off_t(Paths[I].size() - D.size()));
  });
  EXPECT_EQ(Seen, (std::vector<int>{1, 1, 1, 1}));
  llvm::sys::fs::remove_directories(D);
}
