#include "tool/Progress.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>

namespace vmalloc_lint {

namespace {

std::string duration(double Secs) {
  unsigned S = unsigned(Secs + 0.5);
  if (S >= 3600)
    return std::to_string(S / 3600) + "h" + std::to_string(S / 60 % 60) + "m";
  if (S >= 60)
    return std::to_string(S / 60) + "m" + std::to_string(S % 60) + "s";
  return std::to_string(S) + "s";
}

} // namespace

Progress::Progress(llvm::raw_ostream &OS, Style S, size_t Total)
    : OS(OS), S(S), Total(Total), Start(std::chrono::steady_clock::now()) {}

void Progress::fileDone(const std::string &File, size_t NewFindings,
                        RunOptions::Outcome O) {
  ++Done;
  Total = std::max(Total, Done);
  Findings += NewFindings;
  if (S == Style::Lines) {
    OS << "vmalloc-lint: [" << Done << "/" << Total << "] " << File << ": ";
    switch (O) {
    case RunOptions::Outcome::Crashed:
      OS << "crashed";
      break;
    case RunOptions::Outcome::TimedOut:
      OS << "timed out";
      break;
    case RunOptions::Outcome::OutOfMemory:
      OS << "out of memory";
      break;
    case RunOptions::Outcome::FailedToStart:
      OS << "worker failed to start";
      break;
    default:
      OS << NewFindings << " finding" << (NewFindings == 1 ? "" : "s");
      if (O == RunOptions::Outcome::Errors)
        OS << " (did not fully compile)";
    }
    OS << "\n";
    OS.flush();
  } else if (S == Style::Bar) {
    auto Now = std::chrono::steady_clock::now();
    if (!Drawn || Done == Total ||
        Now - LastDraw > std::chrono::milliseconds(100))
      draw();
  }
}

void Progress::draw() {
  auto Now = std::chrono::steady_clock::now();
  LastDraw = Now;
  Drawn = true;
  double Elapsed = std::chrono::duration<double>(Now - Start).count();
  const unsigned Width = 30;
  unsigned Filled = Total ? unsigned(Width * Done / Total) : Width;
  OS << "\r[" << std::string(Filled, '=') << std::string(Width - Filled, ' ')
     << "] " << Done << "/" << Total << " files, " << Findings << " finding"
     << (Findings == 1 ? "" : "s");
  if (Done && Done < Total)
    OS << ", ETA " << duration(Elapsed / Done * (Total - Done));
  OS << "\x1b[K";
  OS.flush();
}

void Progress::finish() {
  if (S == Style::Bar && Drawn) {
    OS << "\r\x1b[K";
    OS.flush();
  }
}

void printSummaryTable(llvm::raw_ostream &OS, const SummaryCounts &C) {
  auto Row = [&OS](llvm::StringRef Name, unsigned long N) {
    OS << "  " << llvm::left_justify(Name, 34)
       << llvm::right_justify(std::to_string(N), 8) << "\n";
  };
  OS << "vmalloc-lint summary\n";
  Row("translation units analysed", C.Analysed);
  if (C.ForHeaders)
    Row("  of them for headers (prefilter)", C.ForHeaders);
  if (!C.UnitsByBuild.empty()) {
    auto N = [&](const char *K) {
      auto It = C.UnitsByBuild.find(K);
      return It == C.UnitsByBuild.end() ? 0u : It->second;
    };
    Row("  built in by the configuration", N("built-in"));
    Row("  modules of the configuration", N("module"));
    Row("  not built by the configuration", N("not-built"));
    Row("  build unknown", N("unknown"));
  }
  Row("headers covered by including units", C.HeadersCovered);
  Row("skipped: no call of interest", C.SkippedByPrefilter);
  if (C.NotInShard)
    Row("in other shards", C.NotInShard);
  if (C.BodiesSkipped || C.BodiesParsed) {
    Row("function bodies parsed", C.BodiesParsed);
    Row("function bodies skipped", C.BodiesSkipped);
    Row("  not preprocessed", C.BodiesJumped);
  }
  Row("did not fully compile", C.WithErrors);
  if (!C.UnitsByBuild.empty()) {
    auto N = [&](const char *K) {
      auto It = C.ErrorsByCause.find(K);
      return It == C.ErrorsByCause.end() ? 0u : It->second;
    };
    Row("  other arch, no clang target", N("other-arch-no-clang-target"));
    Row("  not built by the configuration", N("not-built"));
    Row("  the rest", N("other"));
  }
  Row("crashed", C.Crashed);
  Row("timed out", C.TimedOut);
  Row("out of memory", C.OutOfMemory);
  Row("worker failed to start", C.FailedToStart);
  Row("findings", C.Findings);
  for (const auto &[Check, N] : C.FindingsByCheck)
    Row("  " + Check, N);
  Row("suppressed by NOLINT comments", C.Suppressed);
  OS << "  " << llvm::left_justify("wall time", 34)
     << llvm::right_justify(llvm::formatv("{0:f1} s", C.WallSeconds).str(), 8)
     << "\n";
  if (C.WorkerProcesses) {
    Row("worker processes", C.WorkerProcesses);
    OS << "  " << llvm::left_justify("worker CPU time", 34)
       << llvm::right_justify(
              llvm::formatv("{0:f1} s", C.WorkerCpuSeconds).str(), 8)
       << "\n";
    // None when no worker sent a result (all failed to start, say).
    auto MiB = [](uint64_t KB) {
      return KB ? std::to_string((KB + 1023) / 1024) + " MiB"
                : std::string("none");
    };
    OS << "  " << llvm::left_justify("largest worker peak RSS", 34)
       << llvm::right_justify(MiB(C.WorkerPeakRssKB), 8) << "\n";
    OS << "  " << llvm::left_justify("worker address space at start", 34)
       << llvm::right_justify(MiB(C.WorkerStartVmKB), 8) << "\n";
    OS << "  " << llvm::left_justify("peak RSS of the parent process", 34)
       << llvm::right_justify(
              std::to_string((C.ParentPeakRssKB + 1023) / 1024) + " MiB", 8)
       << "\n";
  }
}

} // namespace vmalloc_lint
