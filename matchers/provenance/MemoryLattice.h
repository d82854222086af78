// Pass 2's lattice: what kind of memory a pointer (or a value derived from
// it) may hold at a program point. Pure data and rules, no Clang: the
// dataflow (ProvenanceEngine.cpp) applies them, and the checks
// (matchers/checks/SinkCheck.h) judge the values that reach sinks.
#ifndef VMALLOC_LINT_MEMORY_LATTICE_H
#define VMALLOC_LINT_MEMORY_LATTICE_H

#include "matchers/kernel/MemoryApi.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace vmalloc_lint {

/// Kinds of memory, as bits: a value's set holds every kind some path to
/// the program point gives it.
namespace mem {
enum Kind : uint16_t {
  Vmalloc = 1 << 0,       ///< vmalloc family except vmalloc_32
  Vmalloc32 = 1 << 1,     ///< vmalloc_32*: device-safe pages
  MaybeVmalloc = 1 << 2,  ///< kvmalloc*, or a field assigned both kinds
  Vmap = 1 << 3,          ///< vmap, vm_map_ram
  Linear = 1 << 4,        ///< kmalloc family, page_address, __get_free_pages
  Stack = 1 << 5,         ///< address of a local object or array
  Unknown = 1 << 6,       ///< anything else
  PageAddr = 1 << 7,      ///< vmalloc_to_page/pfn of non-vmalloc_32 memory
  PageAddrMaybe = 1 << 8, ///< the same of maybe-vmalloc memory
  Mixed = 1 << 9, ///< a field or global the translation unit assigns both
                  ///< vmalloc and other memory: maybe vmalloc memory
  /// What a guard alone tells (is_vmalloc_addr() true or false) about a
  /// value of no known kind. Reported only inside the guarded region: after
  /// the branches join the value is both, and says nothing.
  GuardVmalloc = 1 << 10,
  GuardLinear = 1 << 11,
};
/// In the vmalloc area (is_vmalloc_addr() is true).
constexpr uint16_t VmallocArea = Vmalloc | Vmalloc32 | Vmap;
} // namespace mem

/// An abstract value: kinds, the parameters of the enclosing function it may
/// come from (bit i: parameter i), and for each kind one allocation it came
/// from (for messages; the smallest Order wins so results do not depend on
/// visit order).
struct MemValue {
  static constexpr unsigned NumKinds = 12;
  uint16_t Kinds = 0;
  uint64_t Params = 0;
  std::array<const void *, NumKinds> Origin{};
  std::array<unsigned, NumKinds> OriginOrder{};
  /// For a Mixed value: the kinds of the vmalloc side of the field or
  /// global it was read from (factRead). kvmalloc memory alone
  /// (MaybeVmalloc) is memory whose kind no tag or path of the code picks;
  /// 0 when not known (an imported fact), read as a vmalloc side.
  uint16_t MixedFrom = 0;
  /// The kinds whose memory the value points inside of, on every path
  /// where it has that kind: the address of a member at a nonzero offset
  /// or of an element of an embedded array (mlx5's pool counter
  /// `&bulk->fcs[i]` in a kvzalloc()ed bulk). No free function takes such
  /// a pointer, and a function that returns it returns no allocation.
  /// InnerParams: the same of the parameters' part.
  uint16_t Inner = 0;
  bool InnerParams = false;

  static unsigned index(uint16_t KindBit) {
    unsigned I = 0;
    while (KindBit > 1) {
      KindBit >>= 1;
      ++I;
    }
    return I;
  }
  static MemValue of(uint16_t Kinds, const void *Origin = nullptr,
                     unsigned Order = 0) {
    MemValue V;
    V.Kinds = Kinds;
    if (Origin)
      for (unsigned I = 0; I < NumKinds; ++I)
        if (Kinds & (1u << I)) {
          V.Origin[I] = Origin;
          V.OriginOrder[I] = Order;
        }
    return V;
  }
  static MemValue unknown() { return of(mem::Unknown); }
  static MemValue param(unsigned I) {
    MemValue V;
    V.Params = I < 64 ? uint64_t(1) << I : 0;
    if (!V.Params)
      V.Kinds = mem::Unknown;
    return V;
  }
  /// Where memory of this kind (one bit) came from, or nullptr.
  const void *originOf(uint16_t KindBit) const {
    return Origin[index(KindBit)];
  }
  /// Re-labels every kind as Kinds, keeping the first origin found.
  void relabel(uint16_t NewKinds);
  bool bottom() const { return !Kinds && !Params; }
  friend bool operator==(const MemValue &A, const MemValue &B) {
    return A.Kinds == B.Kinds && A.Params == B.Params && A.Origin == B.Origin &&
           A.OriginOrder == B.OriginOrder && A.MixedFrom == B.MixedFrom &&
           A.Inner == B.Inner && A.InnerParams == B.InnerParams;
  }
  friend bool operator!=(const MemValue &A, const MemValue &B) {
    return !(A == B);
  }
};

/// Least upper bound: kinds and parameters of both paths (a kind is inner
/// when it is on every path that has it).
MemValue joinValues(const MemValue &A, const MemValue &B);
/// p + off, pfn << PAGE_SHIFT, page - vmemmap: the kinds of the operands,
/// where an operand of unknown kind (the offset) adds nothing when another
/// one is known.
MemValue arithmetic(const MemValue &A, const MemValue &B);
/// The value on the edge where is_vmalloc_addr(p) is Truth: its vmalloc
/// area kinds, or its other kinds (linear memory); what was not known
/// becomes GuardVmalloc or GuardLinear.
MemValue afterIsVmallocAddr(const MemValue &V, bool Truth);
/// The value on the edge where virt_addr_valid(p) is Truth: linear memory,
/// or unchanged.
MemValue afterVirtAddrValid(const MemValue &V, bool Truth);
/// What a read of a struct field or global sees, from the union of what the
/// translation unit assigns it: one kind everywhere is that kind; vmalloc
/// memory mixed with anything else is Mixed (MixedFrom: its vmalloc side);
/// anything else mixed is unknown. Parameters do not survive into facts.
MemValue factRead(const MemValue &Fact);
/// vmalloc_to_page(p) / vmalloc_to_pfn(p): the page address kinds.
MemValue pageLookup(const MemValue &Pointer);

/// "vmalloc", "vmalloc_32", "vmap", "maybe-vmalloc", "linear", "stack",
/// "page-address" (the class of a finding).
const char *kindName(uint16_t Kind);
/// V pointing inside the memory it points to (&p->member): its kinds and
/// parameters inner.
MemValue innerOf(MemValue V);

/// The kinds a value holds on every path are in Allowed (and it holds one).
bool onlyKinds(const MemValue &V, uint16_t Allowed);

} // namespace vmalloc_lint

#endif
