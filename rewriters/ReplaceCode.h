// A whole piece of code (a statement) replaced with new code: the
// open-coded kvfree() becomes `kvfree(p);`. The comments of the old code are
// kept, after the new code, in their order; code that holds a preprocessor
// line is not replaced (the edit would drop the directive).
#ifndef VMALLOC_LINT_REPLACE_CODE_H
#define VMALLOC_LINT_REPLACE_CODE_H

#include "matchers/Finding.h"

#include <optional>
#include <string>

namespace vmalloc_lint {

/// The fix that replaces Original, the bytes Edit covers as analysed, with
/// Edit.Text and Original's comments; nullopt and the reason in WhyNot when
/// there is no safe edit. Helper names the fix ("use kvfree()").
std::optional<FixIt> replaceCode(const TextEdit &Edit,
                                 const std::string &Original,
                                 const std::string &Helper,
                                 std::string &WhyNot);

} // namespace vmalloc_lint

#endif
