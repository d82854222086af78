#include "tool/Options.h"

#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

namespace vmalloc_lint {

void usageError(const std::string &Msg) {
  llvm::errs() << "vmalloc-lint: error: " << Msg << "\n";
  llvm::errs().flush();
  std::exit(2);
}

} // namespace vmalloc_lint
