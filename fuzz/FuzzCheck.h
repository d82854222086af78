// A fuzz target's property: when it does not hold, say which one and abort
// (libFuzzer saves the input as a crash).
#ifndef VMALLOC_LINT_FUZZ_CHECK_H
#define VMALLOC_LINT_FUZZ_CHECK_H

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(Cond)                                                       \
  do {                                                                         \
    if (!(Cond)) {                                                             \
      std::fprintf(stderr, "property failed: %s (%s:%d)\n", #Cond, __FILE__,   \
                   __LINE__);                                                  \
      std::abort();                                                            \
    }                                                                          \
  } while (0)

#endif
