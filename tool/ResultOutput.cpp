#include "tool/ResultOutput.h"

#include "tool/FileIO.h"
#include "tool/Options.h"

#include "llvm/Support/Process.h"

namespace vmalloc_lint {

namespace {
std::string &path() {
  static std::string P;
  return P;
}
std::string &buffer() {
  static std::string B;
  return B;
}
} // namespace

void setResultFile(const std::string &Path) { path() = Path; }

const std::string &resultFile() { return path(); }

llvm::raw_ostream &resultStream() {
  if (path().empty())
    return llvm::outs();
  static llvm::raw_string_ostream OS(buffer());
  return OS;
}

bool wantColors(int Choice, const llvm::raw_ostream &OS) {
  switch (ColorChoice(Choice)) {
  case ColorChoice::Always:
    return true;
  case ColorChoice::Never:
    return false;
  case ColorChoice::Auto:
    break;
  }
  if (&OS == &llvm::outs())
    return path().empty() && llvm::sys::Process::StandardOutHasColors();
  if (&OS == &llvm::errs())
    return llvm::sys::Process::StandardErrHasColors();
  return false;
}

void finishResults() {
  if (path().empty()) {
    llvm::outs().flush();
    return;
  }
  resultStream().flush();
  if (std::error_code EC = writeFileAtomically(path(), buffer()))
    usageError("cannot write -o file '" + path() + "': " + EC.message());
}

} // namespace vmalloc_lint
