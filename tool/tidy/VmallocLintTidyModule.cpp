// The clang-tidy module of vmalloc-lint, loaded with
// clang-tidy-19 --load=libVmallocLintTidy.so: every check of the CLI, under
// the same name (a row of matchers/checks/CheckRegistry.cpp each).
#include "matchers/checks/CheckRegistry.h"
#include "tool/tidy/VmallocLintCheck.h"

#include "clang-tidy/ClangTidyModule.h"
#include "clang-tidy/ClangTidyModuleRegistry.h"

#include <memory>

namespace vmalloc_lint::tidy {
namespace {

class VmallocLintModule : public clang::tidy::ClangTidyModule {
public:
  void
  addCheckFactories(clang::tidy::ClangTidyCheckFactories &Factories) override {
    for (const CheckRow &C : checkRegistry())
      Factories.registerCheckFactory(
          C.Name,
          [](llvm::StringRef Name, clang::tidy::ClangTidyContext *Context) {
            return std::make_unique<VmallocLintCheck>(Name, Context);
          });
  }
};

} // namespace
} // namespace vmalloc_lint::tidy

// The registry lives in the clang-tidy executable (it exports
// llvm::Registry<ClangTidyModule>::add_node); loading the library adds the
// module there.
static clang::tidy::ClangTidyModuleRegistry::Add<
    vmalloc_lint::tidy::VmallocLintModule>
    VmallocLintModuleInit("vmalloc-lint-module",
                          "vmalloc-lint: vmalloc-family gfp flags and "
                          "vmalloc memory in the Linux kernel");
