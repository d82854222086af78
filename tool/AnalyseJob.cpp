// analyseJob: the one place that analyses a unit, for the worker threads
// (tool/ThreadPool.cpp) and the worker processes (tool/WorkerMode.cpp). The
// front end's one translation unit with Clang's frontend headers; besides
// it only CompileFlags.cpp (the driver's options), Inputs.cpp (compile
// databases) and ExportFixes.cpp (the YAML) include Clang headers.
#include "tool/Runner.h"

#include "rewriters/FixBuilder.h"
#include "tool/RunnerPools.h"

#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Frontend/TextDiagnosticPrinter.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <mutex>

using namespace clang;

namespace vmalloc_lint {

namespace {

/// Counts errors; prints them only when asked (--compiler-errors).
class CountingConsumer : public DiagnosticConsumer {
public:
  explicit CountingConsumer(bool Print) {
    if (Print)
      Printer = std::make_unique<TextDiagnosticPrinter>(
          Buffered, new DiagnosticOptions());
  }
  /// The unit's errors, written out together: with several threads, one
  /// unit's lines are not interleaved with another's.
  void flush() {
    if (Text.empty())
      return;
    std::lock_guard<std::mutex> G(outputLock());
    llvm::errs() << Text;
    llvm::errs().flush();
    Text.clear();
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
    if (Printer && Level >= DiagnosticsEngine::Error)
      Printer->HandleDiagnostic(Level, Info);
  }

private:
  std::string Text;
  llvm::raw_string_ostream Buffered{Text};
  std::unique_ptr<TextDiagnosticPrinter> Printer;
};

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

} // namespace

bool analyseJob(const FileJob &J, bool ShowCompilerErrors,
                const std::map<std::string, std::string> *Overlay,
                AnalysisResult &Out, bool &HadErrors) {
  llvm::CrashRecoveryContext CRC;
  return CRC.RunSafely([&] {
    llvm::IntrusiveRefCntPtr<FileManager> Files(
        new FileManager(FileSystemOptions(), fileSystem(Overlay)));
    CountingConsumer Diags(ShowCompilerErrors);
    tooling::ToolInvocation Inv(J.Command, makeAnalysisAction(J.Options, Out),
                                Files.get());
    Inv.setDiagnosticConsumer(&Diags);
    Inv.run();
    Diags.flush();
    HadErrors = Diags.getNumErrors() > 0;
    // The census's view of a site is the unit's (a header's sites too).
    for (CallSite &S : Out.Sites)
      S.View = J.View;
    // The analysis asked for fixes by kind; build them (rewriters/).
    buildFixes(Out);
  });
}

} // namespace vmalloc_lint
