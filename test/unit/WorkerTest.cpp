// Worker processes (--isolate): the job and result files round-trip every
// field byte for byte, a broken file is an error and never a crash, and the
// parent reports each way a worker can end (stand-in workers: shell
// scripts) and goes on.
#include "tool/Runner.h"
#include "tool/WorkerIO.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <gtest/gtest.h>

#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <fstream>
#include <random>

using namespace vmalloc_lint;

namespace {

SourcePoint point(const std::string &F, unsigned L) {
  SourcePoint P;
  P.File = F;
  P.Line = L;
  P.Column = L + 1;
  P.Offset = L * 100;
  return P;
}

WorkerResult sampleResult() {
  WorkerResult W;
  W.HadErrors = true;
  W.PeakRssKB = 123456;
  W.StartVmKB = 263380;
  W.LimitBelowStart = true;
  AnalysisResult &R = W.Result;
  CallSite S;
  S.Where = point("/k/drivers/a.c", 10);
  S.Expansion = point("/k/drivers/a.c", 12);
  S.Callee = "__vmalloc";
  S.Allocator = "__vmalloc_node";
  S.Via = {"my_alloc", "their_alloc"};
  S.Function = "probe";
  S.Provenance = "vmalloc";
  S.GfpText = "GFP_KERNEL | __GFP_HIGHMEM";
  S.Gfp.Present = true;
  S.Gfp.Constant = false;
  S.Gfp.Must = 0xffffffffffffffffull;
  S.Gfp.Flags = "GFP_KERNEL";
  S.Gfp.Symbolic = {"param gfp", ""};
  S.Class = "redundant-highmem";
  S.Wrapper = true;
  S.Recovered = true;
  S.View = "arm64 defconfig; configured";
  R.Sites.push_back(S);
  R.Sites.push_back(CallSite()); // every field empty
  Finding F;
  F.Check = "vmalloc-redundant-highmem";
  // Not UTF-8, a NUL, newlines and digits-and-colons: bytes, kept as is.
  F.Where = point(std::string("/k/l\xe9gacy\0.c", 13), 3);
  F.Expansions = {point("/k/x.h", 1), point("/k/y.h", 2)};
  F.Message = "12:34 a\nb\r\n\xff";
  F.Class = "c";
  F.Callee = "vmalloc";
  F.Gfp = S.Gfp;
  F.Notes = {{point("/k/n.c", 7), "note 1"}, {SourcePoint(), ""}};
  FixIt Fix;
  Fix.Description = "drop __GFP_HIGHMEM";
  TextEdit E;
  E.File = "/k/drivers/a.c";
  E.Offset = 4000000000u;
  E.Length = 14;
  E.Text = "";
  E.FileHash = 1234567890123456789ull;
  Fix.Edits = {E, E};
  F.Fix = Fix;
  R.Findings.push_back(F);
  F.Fix.reset();
  R.Findings.push_back(F);
  R.FileHashes = {{"/k/drivers/a.c", 42}, {"", 0}};
  R.FilesRead = {"/k/drivers/a.c", "/k/include/linux/vmalloc.h"};
  R.FilesReadHashes = {0xfedcba9876543210ull, 3};
  R.FilesAbsent = {"/k/include/asm/missing.h"};
  R.BodiesParsed = 7;
  R.BodiesSkipped = 5000000000ul;
  R.BodiesJumped = 4000000000ul;
  WrapperFact Wr;
  Wr.Def = {"/k/drivers/a.c", 17, 7};
  Wr.GfpParam = 1;
  Wr.Allocator = "__vmalloc";
  Wr.Added = 0x100;
  Wr.Via = {"my_alloc"};
  R.Facts.addWrapper("my_alloc", Wr);
  MemFact M;
  M.Kinds = factKindBit("vmalloc");
  M.Origins[M.Kinds] = {"vzalloc", {"/k/drivers/a.c", 24, 12}};
  R.Facts.Fields[{"my_dev", "buf"}] = M;
  return W;
}

TEST(WorkerIO, ResultRoundTripsEveryField) {
  WorkerResult W = sampleResult();
  std::string Data = encodeResult(W);
  WorkerResult Back;
  std::string Err;
  ASSERT_TRUE(decodeResult(Data, Back, Err)) << Err;
  EXPECT_EQ(encodeResult(Back), Data);
  EXPECT_TRUE(Back.HadErrors);
  EXPECT_FALSE(Back.Crashed);
  EXPECT_EQ(Back.PeakRssKB, 123456u);
  EXPECT_EQ(Back.StartVmKB, 263380u);
  EXPECT_TRUE(Back.LimitBelowStart);
  const AnalysisResult &R = Back.Result;
  ASSERT_EQ(R.Sites.size(), 2u);
  EXPECT_EQ(R.Sites[0].Expansion->Line, 12u);
  EXPECT_FALSE(R.Sites[1].Expansion.has_value());
  EXPECT_EQ(R.Sites[0].Gfp.Must, 0xffffffffffffffffull);
  EXPECT_EQ(R.Sites[0].Via,
            (std::vector<std::string>{"my_alloc", "their_alloc"}));
  EXPECT_TRUE(R.Sites[0].Wrapper);
  EXPECT_TRUE(R.Sites[0].Recovered);
  EXPECT_EQ(R.Sites[0].View, "arm64 defconfig; configured");
  EXPECT_EQ(R.Sites[1].View, "");
  ASSERT_EQ(R.Findings.size(), 2u);
  EXPECT_EQ(R.Findings[0].Where.File, std::string("/k/l\xe9gacy\0.c", 13));
  EXPECT_EQ(R.Findings[0].Message, "12:34 a\nb\r\n\xff");
  EXPECT_EQ(R.Findings[0].Notes.size(), 2u);
  ASSERT_TRUE(R.Findings[0].Fix.has_value());
  EXPECT_EQ(R.Findings[0].Fix->Edits[1].Offset, 4000000000u);
  EXPECT_EQ(R.Findings[0].Fix->Edits[1].FileHash, 1234567890123456789ull);
  EXPECT_FALSE(R.Findings[1].Fix.has_value());
  EXPECT_EQ(R.FileHashes[0].second, 42u);
  EXPECT_EQ(R.FilesRead.size(), 2u);
  EXPECT_EQ(R.FilesReadHashes,
            (std::vector<uint64_t>{0xfedcba9876543210ull, 3}));
  EXPECT_EQ(R.FilesAbsent,
            (std::vector<std::string>{"/k/include/asm/missing.h"}));
  EXPECT_EQ(R.BodiesParsed, 7u);
  EXPECT_EQ(R.BodiesSkipped, 5000000000ul);
  EXPECT_EQ(R.BodiesJumped, 4000000000ul);
  ASSERT_EQ(R.Facts.Wrappers.count("my_alloc"), 1u);
  EXPECT_EQ(R.Facts.Wrappers.at("my_alloc").Added, 0x100u);
  EXPECT_EQ(R.Facts.Wrappers.at("my_alloc").Def.Line, 17u);
  ASSERT_EQ(R.Facts.Fields.size(), 1u);
  EXPECT_TRUE(R.Facts.Fields.begin()->second ==
              sampleResult().Result.Facts.Fields.begin()->second);
}

TEST(WorkerIO, JobRoundTrips) {
  WorkerJob J;
  J.Job.File = "/k/drivers/a.c";
  J.Job.Command = {"clang", "-D__KERNEL__", "-DX=\"a b\"", "/k/drivers/a.c"};
  J.Job.Options.Version = {4, 9};
  J.Job.Options.Checks = CheckGlob(" vmalloc-*, -vmalloc-zone-gfp ,x*");
  J.ShowCompilerErrors = true;
  J.Overlay["/k/drivers/a.c"] = "int x;\n\xfe";
  J.MemoryLimitMB = 1500;
  J.BodiesPath = "/tmp/r/bodies";
  J.Job.Options.ExportFacts = true;
  J.FactsPath = "/tmp/r/facts";
  J.ResultPath = "/tmp/r/0.result";
  J.Job.View = "configured flags: parisc: no clang target";
  WorkerJob Back;
  std::string Err;
  ASSERT_TRUE(decodeJob(encodeJob(J), Back, Err)) << Err;
  EXPECT_EQ(Back.Job.File, J.Job.File);
  EXPECT_EQ(Back.Job.Command, J.Job.Command);
  EXPECT_EQ(Back.Job.View, J.Job.View);
  EXPECT_TRUE(Back.Job.Options.Version == J.Job.Options.Version);
  EXPECT_EQ(Back.Job.Options.Checks.spec(), "vmalloc-*,-vmalloc-zone-gfp,x*");
  for (const char *C : {"vmalloc-redundant-highmem", "vmalloc-zone-gfp", "xy"})
    EXPECT_EQ(Back.Job.Options.Checks.enabled(C),
              J.Job.Options.Checks.enabled(C))
        << C;
  EXPECT_TRUE(Back.ShowCompilerErrors);
  EXPECT_EQ(Back.Overlay, J.Overlay);
  EXPECT_EQ(Back.MemoryLimitMB, 1500u);
  EXPECT_EQ(Back.BodiesPath, J.BodiesPath);
  EXPECT_TRUE(Back.Job.Options.ExportFacts);
  EXPECT_EQ(Back.FactsPath, J.FactsPath);
  EXPECT_EQ(Back.ResultPath, J.ResultPath);
  EXPECT_FALSE(Back.Job.Options.ArchFacts);
  EXPECT_EQ(Back.Job.Options.Arch, "");
}

TEST(WorkerIO, ArchFactsRoundTrip) {
  // --isolate: the worker checks stack-dma by the same arch facts.
  WorkerJob J;
  J.Job.File = "/k/arch/m68k/emu/natfeat.c";
  auto F = std::make_shared<KernelArchFacts>();
  F->ConfiguredArch = "x86";
  F->Arches = {"m68k", "um", "x86"};
  F->Selecting["HAVE_ARCH_VMAP_STACK"] = {"um", "x86"};
  F->Selecting["OTHER"] = {};
  F->Configured["HAVE_ARCH_VMAP_STACK"] = true;
  J.Job.Options.ArchFacts = F;
  J.Job.Options.Arch = "m68k";
  WorkerJob Back;
  std::string Err;
  ASSERT_TRUE(decodeJob(encodeJob(J), Back, Err)) << Err;
  ASSERT_TRUE(Back.Job.Options.ArchFacts);
  const KernelArchFacts &B = *Back.Job.Options.ArchFacts;
  EXPECT_EQ(B.ConfiguredArch, "x86");
  EXPECT_EQ(B.Arches, F->Arches);
  EXPECT_EQ(B.Selecting, F->Selecting);
  EXPECT_EQ(B.Configured, F->Configured);
  EXPECT_EQ(Back.Job.Options.Arch, "m68k");
  EXPECT_FALSE(Back.Job.Options.archApplies("HAVE_ARCH_VMAP_STACK"));
}

TEST(WorkerIO, FunctionBodyRuleRoundTrips) {
  BodySkipping B;
  B.Names = KeywordSet({"vmalloc", "__vmalloc", "kvmalloc", "xfs_kmem_big"});
  B.KeepMainFile = true;
  BodySkipping Back;
  std::string Err;
  ASSERT_TRUE(decodeBodySkipping(encodeBodySkipping(B), Back, Err)) << Err;
  EXPECT_EQ(Back.Names.names(),
            (std::vector<std::string>{"__vmalloc", "kvmalloc", "vmalloc",
                                      "xfs_kmem_big"}));
  EXPECT_TRUE(Back.KeepMainFile);
  EXPECT_FALSE(Back.FollowFields);
  EXPECT_TRUE(Back.Names.contains("vmalloc_noprof"));
  std::string Data = encodeBodySkipping(B);
  for (size_t Cut = 0; Cut < Data.size(); ++Cut)
    EXPECT_FALSE(decodeBodySkipping(Data.substr(0, Cut), Back, Err)) << Cut;
}

TEST(WorkerIO, BrokenResultsAreErrorsNotCrashes) {
  std::string Data = encodeResult(sampleResult());
  // Every truncation (a worker killed while writing) is an error.
  for (size_t N = 0; N < Data.size(); ++N) {
    WorkerResult R;
    std::string Err;
    EXPECT_FALSE(decodeResult(llvm::StringRef(Data).take_front(N), R, Err))
        << N;
    EXPECT_FALSE(Err.empty());
  }
  WorkerResult R;
  std::string Err;
  EXPECT_FALSE(decodeResult(Data + "x", R, Err));
  EXPECT_NE(Err.find("trailing data"), std::string::npos) << Err;
  // A count far beyond the data allocates nothing and fails.
  EXPECT_FALSE(decodeResult("vmalloc-lint worker result 8\n0 0 "
                            "0 0 0 99999999999999999 end\n",
                            R, Err));
  EXPECT_FALSE(decodeResult("vmalloc-lint worker result 8\n0 0 "
                            "0 0 0 999999999999999999999999 end\n",
                            R, Err));
  EXPECT_NE(Err.find("out of range"), std::string::npos) << Err;
  EXPECT_FALSE(decodeResult("not a result", R, Err));
  // Random corruption: decoded or refused, never a crash.
  std::mt19937 Rng(4);
  for (int I = 0; I < 3000; ++I) {
    std::string Bad = Data;
    for (int K = 0; K < 3; ++K)
      Bad[Rng() % Bad.size()] = "0123456789: \n\xff"[Rng() % 14];
    WorkerResult Out;
    decodeResult(Bad, Out, Err);
  }
}

/// Stand-in workers: a shell script that acts on the name of the file its
/// job names (the job file holds the path as text) and writes the result
/// where the runner expects it (SLOT.job -> SLOT.result).
class FakeWorkers : public ::testing::Test {
protected:
  void SetUp() override {
    llvm::SmallString<128> D;
    ASSERT_FALSE(
        llvm::sys::fs::createUniqueDirectory("/tmp/vl-worker-test", D));
    Dir = std::string(D);
    Tmp = Dir + "/tmp";
    llvm::sys::fs::create_directory(Tmp);
    if (const char *Old = getenv("TMPDIR"))
      OldTmp = Old;
    setenv("TMPDIR", Tmp.c_str(), 1);
    Script = Dir + "/worker.sh";
    // clang-format off
    std::ofstream(Script) << R"SH(#!/bin/sh
job="$2"
result="${job%.job}.result"
case "$(cat "$job")" in
*good*) printf 'vmalloc-lint worker result 8\n0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0:end\n' > "$result" ;;
*partial.c*) printf 'vmalloc-lint worker result 8\n1 0 0 0 0 0 0 0 1 ' > "$result" ;;
*garbage.c*) echo garbage > "$result" ;;
*contained.c*) printf 'vmalloc-lint worker result 8\n0 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0:end\n' > "$result" ;;
*small.c*) printf 'vmalloc-lint worker result 8\n0 0 4096 262144 1 0 0 0 0 0 0 0 0 0 0 0:end\n' > "$result" ;;
*failed.c*) exit 87 ;;
*noload.c*) exit 127 ;;
*oom.c*) exit 86 ;;
*segv.c*) kill -SEGV $$ ;;
*status.c*) exit 5 ;;
*sleep.c*) echo $$ > )SH" + Dir + R"SH(/sleep.pid; exec sleep 60 ;;
esac
exit 0
)SH";
    // clang-format on
    ::chmod(Script.c_str(), 0755);
  }
  void TearDown() override {
    if (OldTmp.empty())
      unsetenv("TMPDIR");
    else
      setenv("TMPDIR", OldTmp.c_str(), 1);
    llvm::sys::fs::remove_directories(Dir);
  }
  std::string Dir, Tmp, Script, OldTmp;
};

TEST_F(FakeWorkers, EveryEndIsReportedAndTheRunGoesOn) {
  std::vector<FileJob> Jobs;
  for (const char *F :
       {"good.c", "garbage.c", "partial.c", "contained.c", "oom.c", "segv.c",
        "status.c", "sleep.c", "good2.c", "small.c", "failed.c", "noload.c"}) {
    FileJob J;
    J.File = "/k/" + std::string(F);
    J.Command = {"clang", J.File};
    Jobs.push_back(J);
  }
  RunOptions Opt;
  Opt.Isolate = true;
  Opt.Threads = 3;
  Opt.TimeoutSeconds = 1;
  Opt.MemoryLimitMB = 100;
  Opt.WorkerExecutable = Script;
  std::vector<std::pair<std::string, RunOptions::Outcome>> Seen;
  Opt.OnFileDone = [&](const FileJob &J, size_t, RunOptions::Outcome O) {
    Seen.emplace_back(J.File, O);
  };
  RunReport R = runJobs(Jobs, Opt);
  // Only the units analysed: good.c and good2.c.
  EXPECT_EQ(R.Files, 2u);
  EXPECT_EQ(Seen.size(), 12u);
  EXPECT_EQ(R.WorkerProcesses, 12u);
  EXPECT_FALSE(R.Abandoned);
  std::sort(R.Crashed.begin(), R.Crashed.end());
  EXPECT_EQ(R.Crashed, (std::vector<std::string>{"/k/contained.c",
                                                 "/k/garbage.c", "/k/partial.c",
                                                 "/k/segv.c", "/k/status.c"}));
  EXPECT_EQ(R.OutOfMemory, std::vector<std::string>{"/k/oom.c"});
  EXPECT_EQ(R.TimedOut, std::vector<std::string>{"/k/sleep.c"});
  // Not crashes: a limit below the worker's start-up mappings, a worker
  // that could not read its job files (87), one the loader could not map.
  std::sort(R.FailedToStart.begin(), R.FailedToStart.end());
  EXPECT_EQ(R.FailedToStart, (std::vector<std::string>{
                                 "/k/failed.c", "/k/noload.c", "/k/small.c"}));
  EXPECT_NE(R.WorkerErrors["/k/small.c"].find(
                "--memory-limit 100 is below what a worker needs to start "
                "(about 256 MiB"),
            std::string::npos)
      << R.WorkerErrors["/k/small.c"];
  EXPECT_EQ(R.WorkerStartVmKB, 262144u);
  EXPECT_NE(R.WorkerErrors["/k/failed.c"].find("raise --memory-limit 100"),
            std::string::npos)
      << R.WorkerErrors["/k/failed.c"];
  EXPECT_NE(R.WorkerErrors["/k/noload.c"].find("could not be loaded"),
            std::string::npos)
      << R.WorkerErrors["/k/noload.c"];
  EXPECT_EQ(R.FilesWithErrors, 0u);
  EXPECT_NE(R.WorkerErrors["/k/garbage.c"].find("unreadable result file"),
            std::string::npos)
      << R.WorkerErrors["/k/garbage.c"];
  EXPECT_NE(R.WorkerErrors["/k/partial.c"].find("unreadable result file"),
            std::string::npos);
  EXPECT_NE(R.WorkerErrors["/k/segv.c"].find("signal 11"), std::string::npos)
      << R.WorkerErrors["/k/segv.c"];
  EXPECT_NE(R.WorkerErrors["/k/status.c"].find("status 5"), std::string::npos);
  EXPECT_EQ(R.WorkerErrors.count("/k/contained.c"), 0u);
  // The stuck worker was killed, not left behind.
  std::ifstream PidFile(Dir + "/sleep.pid");
  pid_t Pid = 0;
  PidFile >> Pid;
  ASSERT_GT(Pid, 0);
  EXPECT_NE(::kill(Pid, 0), 0) << "worker " << Pid << " still runs";
  // Nothing left in the temporary directory.
  std::error_code EC;
  llvm::sys::fs::directory_iterator It(Tmp, EC), End;
  EXPECT_TRUE(It == End) << "left behind: " << It->path();
}

TEST_F(FakeWorkers, AWorkerThatCannotStartIsReported) {
  FileJob J;
  J.File = "/k/good.c";
  J.Command = {"clang", J.File};
  RunOptions Opt;
  Opt.Isolate = true;
  Opt.WorkerExecutable = Dir + "/no-such-program";
  RunReport R = runJobs({J}, Opt);
  EXPECT_TRUE(R.Crashed.empty());
  EXPECT_EQ(R.FailedToStart, std::vector<std::string>{"/k/good.c"});
  EXPECT_EQ(R.Files, 0u);
  EXPECT_NE(R.WorkerErrors["/k/good.c"].find("worker"), std::string::npos);
}

} // namespace
