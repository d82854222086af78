// Fuzz target: the readers of --format json output (tool/FindingsJson.h):
// a --baseline file and the inputs of `vmalloc-lint merge`. Whatever the
// bytes, a reason or a result, never a crash.
#include "tool/FindingsJson.h"

#include "FuzzCheck.h"

#include <cstdint>
#include <cstdlib>
#include <string>

using namespace vmalloc_lint;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef Json(reinterpret_cast<const char *>(Data), Size);

  llvm::json::Value Doc(nullptr);
  const llvm::json::Array *Findings = nullptr;
  if (parseFindingsJson(Json, Doc, Findings).empty())
    FUZZ_CHECK(Findings != nullptr); // success gives the findings array

  std::vector<FindingKey> Keys;
  if (loadBaseline(Json, Keys).empty())
    (void)matchBaseline(Keys, Keys);

  AnalysisResult Into;
  std::string Version;
  std::vector<NotAnalysedFile> Missing;
  if (mergeFindingsJson(Json, "/tree", Into, Version, Missing).empty()) {
    // Merging the same input again de-duplicates: no new finding; its
    // not_analysed records are read again, the same ones.
    size_t N = Into.Findings.size(), M = Missing.size();
    std::string Again;
    FUZZ_CHECK(mergeFindingsJson(Json, "/tree", Into, Again, Missing).empty());
    FUZZ_CHECK(Into.Findings.size() == N);
    FUZZ_CHECK(Missing.size() == 2 * M);
  }
  return 0;
}
