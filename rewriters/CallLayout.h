// The layout of a call the fix writes: kernel coding style's 80 columns
// (Documentation/process/coding-style.rst, "Breaking long lines and
// strings"; checkpatch's LONG_LINE), tabs counting 8. A call whose line
// would be longer is broken after a comma of its argument list, each line
// as full as fits, the continuation aligned with the column after the
// call's open parenthesis, in tabs then spaces, as maintainers write it:
//
//	off = kvmalloc_array(size, sizeof(unsigned int),
//			     GFP_KERNEL | __GFP_ZERO);
#ifndef VMALLOC_LINT_CALL_LAYOUT_H
#define VMALLOC_LINT_CALL_LAYOUT_H

#include <string>

namespace vmalloc_lint {

/// Text, the new code of bytes that follow Head on their line (the line's
/// bytes before them) and precede Tail on theirs (its bytes after them),
/// with its call at [CallBegin, CallBegin + CallLength) laid out to
/// MaxColumns: unchanged when its line fits (a comment that ends the line
/// not counted: it is the code's, kept as it was), when the call already
/// spans lines, or when it has one argument.
std::string layoutCall(const std::string &Head, const std::string &Text,
                       size_t CallBegin, size_t CallLength,
                       const std::string &Tail, unsigned MaxColumns = 80);

} // namespace vmalloc_lint

#endif
