// Writes the seed inputs of fuzz-worker-io (fuzz/corpus/worker-io/) from
// real data: the corpus's expected findings (corpus/expected/TREE/
// findings.json, read back as a run's result) encoded as worker results,
// (with a call site per finding, the census's view set), and jobs for
// corpus files with a kbuild command as the tool synthesises it
// (fuzz/corpus/compile-flags/kbuild-clang.txt: the file, then argv) and a
// unit's view.
// The first byte of each seed picks the decoder (0 job, 1 result, 2 the
// function-body rule), as FuzzWorkerIO.cpp reads it.
//   fuzz-make-seeds SOURCE_DIR OUT_DIR
#include "tool/FindingsJson.h"
#include "tool/WorkerIO.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>
#include <string>

using namespace vmalloc_lint;

static void write(const std::string &Path, char Kind, const std::string &Data) {
  std::error_code EC;
  llvm::raw_fd_ostream OS(Path, EC);
  if (EC) {
    fprintf(stderr, "%s: %s\n", Path.c_str(), EC.message().c_str());
    exit(1);
  }
  OS << Kind << Data;
}

int main(int Argc, char **Argv) {
  if (Argc != 3) {
    fprintf(stderr, "usage: fuzz-make-seeds SOURCE_DIR OUT_DIR\n");
    return 2;
  }
  std::string Src = Argv[1], Out = Argv[2];
  std::vector<std::string> Kbuild;
  auto Cmd = llvm::MemoryBuffer::getFile(
      Src + "/fuzz/corpus/compile-flags/kbuild-clang.txt");
  if (!Cmd) {
    fprintf(stderr, "cannot read the kbuild command seed\n");
    return 1;
  }
  llvm::StringRef Lines = (*Cmd)->getBuffer().split('\n').second;
  while (!Lines.empty()) {
    auto [L, Rest] = Lines.split('\n');
    Kbuild.push_back(L.str());
    Lines = Rest;
  }
  Kbuild.pop_back(); // the file
  for (const char *Tree : {"linux-6.1", "linux-4.9"}) {
    std::string Root = Src + "/corpus/" + Tree;
    auto Buf = llvm::MemoryBuffer::getFile(Src + "/corpus/expected/" + Tree +
                                           "/findings.json");
    if (!Buf) {
      fprintf(stderr, "cannot read %s's findings\n", Tree);
      return 1;
    }
    WorkerResult R;
    std::string Version;
    std::vector<NotAnalysedFile> NotAnalysed;
    std::string Err = mergeFindingsJson((*Buf)->getBuffer(), Root, R.Result,
                                        Version, NotAnalysed);
    if (!Err.empty()) {
      fprintf(stderr, "%s\n", Err.c_str());
      return 1;
    }
    // One result per file of the tree, as a worker sends it.
    std::map<std::string, WorkerResult> PerFile;
    for (const Finding &F : R.Result.Findings) {
      AnalysisResult &Into = PerFile[F.Where.File].Result;
      Into.Findings.push_back(F);
      // A call site for each finding, with a unit's view (the census's
      // "view", a header's joined from two units' every other one).
      CallSite S;
      S.Where = F.Where;
      S.Callee = F.Callee;
      S.Class = F.Class;
      S.Gfp = F.Gfp;
      S.View = Into.Findings.size() % 2 ? "configured"
                                        : "arm64 defconfig; configured";
      Into.Sites.push_back(std::move(S));
    }
    int N = 0;
    for (auto &[File, W] : PerFile) {
      if (N++ % 4)
        continue; // a few files of each tree are enough
      W.PeakRssKB = 123456;
      W.StartVmKB = 65432;
      write(Out + "/result-" + Tree + "-" + std::to_string(N), '\1',
            encodeResult(W));
      WorkerJob J;
      J.Job.File = File;
      J.Job.Command = Kbuild;
      J.Job.Command.push_back(File);
      J.Job.View = N % 3 ? "configured"
                         : "configured flags: parisc: no clang target in "
                           "scripts/Makefile.clang";
      J.Job.Options.Version =
          *KernelVersion::parse(std::string(Tree).substr(6));
      J.ShowCompilerErrors = N % 2;
      J.MemoryLimitMB = 450;
      J.ResultPath = "/tmp/vl-worker/slot0.result";
      if (N % 3 == 0) {
        J.Overlay[File] = "int patched;\n";
        J.FactsPath = "/tmp/vl-worker/facts.jsonl";
        J.BodiesPath = "/tmp/vl-worker/bodies";
      }
      write(Out + "/job-" + Tree + "-" + std::to_string(N), '\0', encodeJob(J));
    }
    WorkerResult Crashed;
    Crashed.Crashed = Crashed.HadErrors = true;
    write(Out + "/result-crashed", '\1', encodeResult(Crashed));
  }
  BodySkipping B;
  for (const char *Name : {"vmalloc", "__vmalloc", "kvmalloc_node",
                           "virt_to_page", "kmem_alloc_large"})
    B.Names.add(Name);
  B.FollowFields = true;
  write(Out + "/bodies", '\2', encodeBodySkipping(B));
  return 0;
}
