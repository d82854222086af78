// Layout-preserving edits of a gfp OR chain (`A | B | C`), on plain text.
// The operands are given as byte ranges of the buffer in source order; the
// edit touches only the operand and the one `|` that joins it to a
// neighbour, so every other byte (spacing, line breaks, parentheses,
// comments elsewhere) stays as the maintainer wrote it.
#ifndef VMALLOC_LINT_OR_CHAIN_H
#define VMALLOC_LINT_OR_CHAIN_H

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vmalloc_lint {

struct ByteRange {
  unsigned Begin = 0; ///< first byte
  unsigned End = 0;   ///< one past the last byte
};

struct BufferEdit {
  unsigned Offset = 0;
  unsigned Length = 0;
  std::string Text;
};

/// Removes operand Index of the chain. Not the first operand: deletes from
/// the end of the previous operand through the end of this one (` | FLAG`,
/// `|FLAG`, ` |\n\t\tFLAG`, `\n\t| FLAG`). The first: deletes from its start
/// to the start of the next operand. Returns nullopt when the chain has a
/// single operand, or when the text between the operands is anything but
/// blanks, line continuations and one `|` (a comment, say): no safe edit.
std::optional<BufferEdit> removeOrOperand(std::string_view Buffer,
                                          const std::vector<ByteRange> &Ops,
                                          size_t Index);

/// Appends ` | Operand` after the last operand.
std::optional<BufferEdit> appendOrOperand(std::string_view Buffer,
                                          const std::vector<ByteRange> &Ops,
                                          const std::string &Operand);

/// Replaces operand Index (a single identifier) by Replacement.
std::optional<BufferEdit> replaceOrOperand(std::string_view Buffer,
                                           const std::vector<ByteRange> &Ops,
                                           size_t Index,
                                           const std::string &Replacement);

/// Applies non-overlapping edits (any order) to Buffer.
std::string applyEdits(std::string_view Buffer, std::vector<BufferEdit> Edits);

} // namespace vmalloc_lint

#endif
