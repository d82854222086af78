// Fuzz target: the worker protocol decoder (tool/WorkerIO.h): a job file a
// worker reads, the result file its parent reads, the function-body rule.
// The first byte chooses the decoder. Property: a decoded message encodes
// to bytes that decode to the same encoding.
#include "tool/WorkerIO.h"

#include "FuzzCheck.h"

#include <cstdint>
#include <cstdlib>
#include <string>

using namespace vmalloc_lint;

namespace {} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  if (Size == 0)
    return 0;
  llvm::StringRef Bytes(reinterpret_cast<const char *>(Data) + 1, Size - 1);
  std::string Err;
  switch (Data[0] % 3) {
  case 0: {
    WorkerJob J;
    if (!decodeJob(Bytes, J, Err))
      return 0;
    std::string E = encodeJob(J);
    WorkerJob K;
    FUZZ_CHECK(decodeJob(E, K, Err));
    FUZZ_CHECK(encodeJob(K) == E);
    break;
  }
  case 1: {
    WorkerResult R;
    if (!decodeResult(Bytes, R, Err))
      return 0;
    std::string E = encodeResult(R);
    WorkerResult S;
    FUZZ_CHECK(decodeResult(E, S, Err));
    FUZZ_CHECK(encodeResult(S) == E);
    break;
  }
  default: {
    BodySkipping B;
    if (!decodeBodySkipping(Bytes, B, Err))
      return 0;
    std::string E = encodeBodySkipping(B);
    BodySkipping C;
    FUZZ_CHECK(decodeBodySkipping(E, C, Err));
    FUZZ_CHECK(encodeBodySkipping(C) == E);
    break;
  }
  }
  return 0;
}
