// Fuzz target: the cross-file facts reader (--facts-in, the worker's facts
// file: matchers/provenance/CrossFileFacts.h). The input is read as it is
// (the header's count and digest refuse almost every mutation), then with
// its first line replaced by the header its other lines deserve, so that
// the record parser sees the mutations too. Property: what it accepts,
// written back and read again, is the same facts file.
#include "matchers/provenance/CrossFileFacts.h"

#include "FuzzCheck.h"

#include <cstdint>
#include <cstdlib>
#include <string>

using namespace vmalloc_lint;

namespace {
void roundTrip(llvm::StringRef Text) {
  CrossFileFacts F;
  if (!readFactsJsonl(Text, "/tree", F).empty())
    return;
  F.numberOrigins();
  std::string Out = writeFactsJsonl(F, "/tree");
  CrossFileFacts G;
  std::string Err = readFactsJsonl(Out, "/tree", G);
  FUZZ_CHECK(Err.empty());
  FUZZ_CHECK(looksLikeFacts(Out));
  FUZZ_CHECK(G.records() == F.records());
  G.numberOrigins();
  FUZZ_CHECK(writeFactsJsonl(G, "/tree") == Out);
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef Text(reinterpret_cast<const char *>(Data), Size);
  (void)looksLikeFacts(Text);
  roundTrip(Text);
  llvm::StringRef Records = Text.split('\n').second;
  roundTrip(factsHeader(Records) + Records.str());
  return 0;
}
