// The command line, parsed and validated once.
#ifndef VMALLOC_LINT_OPTIONS_H
#define VMALLOC_LINT_OPTIONS_H

#include <string>

namespace vmalloc_lint {

/// "vmalloc-lint: error: Msg" on stderr, exit status 2 (bad usage or input).
[[noreturn]] void usageError(const std::string &Msg);

} // namespace vmalloc_lint

#endif
