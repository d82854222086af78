#include "tool/ExportFixes.h"

#include "clang/Tooling/Core/Diagnostic.h"
#include "clang/Tooling/DiagnosticsYaml.h"
#include "llvm/Support/YAMLTraits.h"
#include "llvm/Support/raw_ostream.h"

namespace vmalloc_lint {

std::string exportFixesYaml(const AnalysisResult &R,
                            const std::string &MainFile) {
  clang::tooling::TranslationUnitDiagnostics TUD;
  TUD.MainSourceFile = MainFile;
  for (const Finding &F : R.Findings) {
    clang::tooling::Diagnostic D;
    D.DiagnosticName = F.Check;
    D.DiagLevel = clang::tooling::Diagnostic::Warning;
    D.Message.Message = F.Message;
    D.Message.FilePath = F.Where.File;
    D.Message.FileOffset = F.Where.Offset;
    if (F.Fix)
      for (const TextEdit &E : F.Fix->Edits) {
        clang::tooling::Replacement Rep(E.File, E.Offset, E.Length, E.Text);
        llvm::Error Err = D.Message.Fix[E.File].add(Rep);
        if (Err)
          llvm::consumeError(std::move(Err));
      }
    TUD.Diagnostics.push_back(std::move(D));
  }
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  llvm::yaml::Output Y(OS);
  Y << TUD;
  OS.flush();
  return Out;
}

} // namespace vmalloc_lint
