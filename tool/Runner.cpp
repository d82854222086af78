#include "tool/Runner.h"

#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

using namespace clang;

namespace vmalloc_lint {

namespace {

std::mutex OutputLock;

/// Counts errors; prints them only when asked (--compiler-errors).
class CountingConsumer : public DiagnosticConsumer {
public:
  explicit CountingConsumer(bool Print) {
    if (Print)
      Printer = std::make_unique<TextDiagnosticPrinter>(
          llvm::errs(), new DiagnosticOptions());
  }
  void BeginSourceFile(const LangOptions &LO, const Preprocessor *PP) override {
    if (Printer)
      Printer->BeginSourceFile(LO, PP);
  }
  void EndSourceFile() override {
    if (Printer)
      Printer->EndSourceFile();
  }
  void HandleDiagnostic(DiagnosticsEngine::Level Level,
                        const Diagnostic &Info) override {
    DiagnosticConsumer::HandleDiagnostic(Level, Info);
    if (Printer && Level >= DiagnosticsEngine::Error) {
      std::lock_guard<std::mutex> G(OutputLock);
      Printer->HandleDiagnostic(Level, Info);
    }
  }

private:
  std::unique_ptr<TextDiagnosticPrinter> Printer;
};

} // namespace

namespace {

/// One batch of jobs on Threads workers; results merged in input order so
/// the output is deterministic.
/// The real file system, or the overlay's files over it (one per job: the
/// in-memory file system is not shared between threads).
llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem>
fileSystem(const std::map<std::string, std::string> *Overlay) {
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> Real =
      llvm::vfs::getRealFileSystem();
  if (!Overlay || Overlay->empty())
    return Real;
  auto Mem = llvm::makeIntrusiveRefCnt<llvm::vfs::InMemoryFileSystem>();
  for (const auto &[Path, Text] : *Overlay)
    Mem->addFile(Path, 0, llvm::MemoryBuffer::getMemBufferCopy(Text, Path));
  auto Over = llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(Real);
  Over->pushOverlay(Mem);
  return Over;
}

void runBatch(const std::vector<const FileJob *> &Jobs, unsigned Threads,
              bool ShowCompilerErrors, RunReport &Report,
              std::set<std::string> &FilesRead,
              const std::map<std::string, std::string> *Overlay) {
  std::atomic<size_t> Next{0};
  std::mutex ReadLock;
  std::vector<AnalysisResult> Results(Jobs.size());
  std::vector<char> HadErrors(Jobs.size(), 0), Crashed(Jobs.size(), 0);
  auto Worker = [&] {
    for (size_t I; (I = Next++) < Jobs.size();) {
      const FileJob &J = *Jobs[I];
      llvm::CrashRecoveryContext CRC;
      bool Ok = CRC.RunSafely([&] {
        llvm::IntrusiveRefCntPtr<FileManager> Files(
            new FileManager(FileSystemOptions(), fileSystem(Overlay)));
        CountingConsumer Diags(ShowCompilerErrors);
        tooling::ToolInvocation Inv(
            J.Command, makeAnalysisAction(J.Options, Results[I]), Files.get());
        Inv.setDiagnosticConsumer(&Diags);
        Inv.run();
        HadErrors[I] = Diags.getNumErrors() > 0;
        // Fold the files read into the shared set now: a kernel file reads
        // ~1,500 headers, too many to keep per job until the batch ends.
        std::lock_guard<std::mutex> G(ReadLock);
        FilesRead.insert(Results[I].FilesRead.begin(),
                         Results[I].FilesRead.end());
        std::vector<std::string>().swap(Results[I].FilesRead);
      });
      if (!Ok)
        Crashed[I] = 1;
    }
  };
  Threads = std::max(1u, std::min<unsigned>(Threads, Jobs.size()));
  std::vector<std::thread> Pool;
  for (unsigned T = 1; T < Threads; ++T)
    Pool.emplace_back(Worker);
  Worker();
  for (std::thread &T : Pool)
    T.join();
  for (size_t I = 0; I < Jobs.size(); ++I) {
    ++Report.Files;
    if (Crashed[I]) {
      Report.Crashed.push_back(Jobs[I]->File);
      continue;
    }
    if (HadErrors[I])
      ++Report.FilesWithErrors;
    mergeResults(Report.Result, std::move(Results[I]));
  }
}

bool isHeader(const std::string &F) {
  return F.size() > 2 && F.compare(F.size() - 2, 2, ".h") == 0;
}

} // namespace

RunReport runJobs(const std::vector<FileJob> &Jobs, unsigned Threads,
                  bool ShowCompilerErrors,
                  const std::map<std::string, std::string> *Overlay) {
  RunReport Report;
  std::set<std::string> FilesRead;
  std::vector<const FileJob *> Sources, Headers;
  for (const FileJob &J : Jobs)
    (isHeader(J.File) ? Headers : Sources).push_back(&J);
  if (!Sources.empty())
    runBatch(Sources, Threads, ShowCompilerErrors, Report, FilesRead, Overlay);
  std::vector<const FileJob *> Alone;
  for (const FileJob *J : Headers) {
    if (FilesRead.count(J->File))
      ++Report.HeadersCovered;
    else
      Alone.push_back(J);
  }
  if (!Alone.empty())
    runBatch(Alone, Threads, ShowCompilerErrors, Report, FilesRead, Overlay);
  sortResults(Report.Result);
  return Report;
}

} // namespace vmalloc_lint
