#include "matchers/provenance/MemoryLattice.h"

namespace vmalloc_lint {

void MemValue::relabel(uint16_t NewKinds) {
  const void *O = nullptr;
  unsigned Ord = 0;
  for (unsigned I = 0; I < NumKinds; ++I)
    if ((Kinds & (1u << I)) && Origin[I] && (!O || OriginOrder[I] < Ord)) {
      O = Origin[I];
      Ord = OriginOrder[I];
    }
  MemValue R = of(NewKinds, O, Ord);
  R.Params = Params;
  if (NewKinds & mem::Mixed)
    R.MixedFrom = MixedFrom;
  *this = R;
}

MemValue joinValues(const MemValue &A, const MemValue &B) {
  MemValue R = A;
  const uint16_t IA = A.Inner & A.Kinds, IB = B.Inner & B.Kinds;
  R.Inner = (IA & IB) | (IA & ~B.Kinds) | (IB & ~A.Kinds);
  R.InnerParams = A.Params && B.Params ? A.InnerParams && B.InnerParams
                  : A.Params           ? A.InnerParams
                                       : B.InnerParams && B.Params;
  R.Kinds |= B.Kinds;
  R.Params |= B.Params;
  R.MixedFrom |= B.MixedFrom;
  for (unsigned I = 0; I < MemValue::NumKinds; ++I)
    if (B.Origin[I] && (!R.Origin[I] || B.OriginOrder[I] < R.OriginOrder[I])) {
      R.Origin[I] = B.Origin[I];
      R.OriginOrder[I] = B.OriginOrder[I];
    }
  return R;
}

MemValue arithmetic(const MemValue &A, const MemValue &B) {
  MemValue R = joinValues(A, B);
  if ((R.Kinds & ~mem::Unknown) || R.Params)
    R.Kinds &= ~mem::Unknown;
  return R;
}

/// The kinds of V in Keep, with their origins.
static MemValue only(const MemValue &V, uint16_t Keep) {
  MemValue R;
  for (unsigned I = 0; I < MemValue::NumKinds; ++I)
    if ((V.Kinds & Keep) & (1u << I))
      R = joinValues(R, MemValue::of(1u << I, V.Origin[I], V.OriginOrder[I]));
  if (R.Kinds & mem::Mixed)
    R.MixedFrom = V.MixedFrom;
  R.Inner = V.Inner & R.Kinds;
  return R;
}

/// V's kinds outside Known, and its parameters, as the kind Guess (with the
/// first origin among them).
static MemValue guessed(const MemValue &V, uint16_t Known, uint16_t Guess) {
  if (!(V.Kinds & ~Known) && !V.Params)
    return {};
  MemValue R = only(V, ~Known);
  R.Params = 0;
  R.Kinds |= mem::Unknown; // so relabel has a kind to start from
  R.relabel(Guess);
  return R;
}

MemValue afterIsVmallocAddr(const MemValue &V, bool Truth) {
  const uint16_t Linearish = mem::Linear | mem::GuardLinear | mem::Stack;
  if (Truth)
    return joinValues(only(V, mem::VmallocArea | mem::GuardVmalloc),
                      guessed(V,
                              mem::VmallocArea | mem::GuardVmalloc | Linearish,
                              mem::GuardVmalloc));
  return joinValues(only(V, Linearish),
                    guessed(V, mem::VmallocArea | mem::GuardVmalloc | Linearish,
                            mem::GuardLinear));
}

MemValue afterVirtAddrValid(const MemValue &V, bool Truth) {
  if (!Truth)
    return V;
  const uint16_t Linearish = mem::Linear | mem::GuardLinear;
  return joinValues(
      only(V, Linearish),
      guessed(V, mem::VmallocArea | mem::GuardVmalloc | Linearish | mem::Stack,
              mem::GuardLinear));
}

MemValue factRead(const MemValue &Fact) {
  MemValue R = Fact;
  R.Params = 0;
  uint16_t K = Fact.Kinds;
  if (!K || (K & (K - 1)) == 0) // nothing, or one kind everywhere
    return R;
  if (K & (mem::VmallocArea | mem::MaybeVmalloc | mem::GuardVmalloc)) {
    // Keep the vmalloc-side origin: that is what a message names.
    MemValue V = MemValue::of(0);
    for (uint16_t Bit : {mem::Vmalloc, mem::Vmalloc32, mem::Vmap,
                         mem::MaybeVmalloc, mem::GuardVmalloc})
      if (K & Bit)
        V = joinValues(V, MemValue::of(Bit, Fact.originOf(Bit),
                                       Fact.OriginOrder[MemValue::index(Bit)]));
    // What the vmalloc side was: these kinds, and those of the Mixed
    // values stored in it (read from another such field; not known: a
    // vmalloc side).
    uint16_t From =
        K & (mem::VmallocArea | mem::MaybeVmalloc | mem::GuardVmalloc);
    if (K & mem::Mixed)
      From |= Fact.MixedFrom ? Fact.MixedFrom : uint16_t(mem::Vmalloc);
    V.relabel(mem::Mixed);
    V.MixedFrom = From;
    return V;
  }
  return MemValue::unknown();
}

MemValue pageLookup(const MemValue &P) {
  MemValue R;
  if (P.Kinds & (mem::Vmalloc | mem::Vmap)) {
    uint16_t Src = (P.Kinds & mem::Vmalloc) ? mem::Vmalloc : mem::Vmap;
    R = MemValue::of(mem::PageAddr, P.originOf(Src),
                     P.OriginOrder[MemValue::index(Src)]);
  } else if (P.Kinds & (mem::MaybeVmalloc | mem::Mixed)) {
    uint16_t Src =
        (P.Kinds & mem::MaybeVmalloc) ? mem::MaybeVmalloc : mem::Mixed;
    R = MemValue::of(mem::PageAddrMaybe, P.originOf(Src),
                     P.OriginOrder[MemValue::index(Src)]);
  } else {
    R = MemValue::unknown();
  }
  return R;
}

const char *kindName(uint16_t Kind) {
  switch (Kind) {
  case mem::Vmalloc:
  case mem::GuardVmalloc:
    return "vmalloc";
  case mem::Vmalloc32:
    return "vmalloc_32";
  case mem::MaybeVmalloc:
  case mem::Mixed:
    return "maybe-vmalloc";
  case mem::Vmap:
    return "vmap";
  case mem::Linear:
  case mem::GuardLinear:
    return "linear";
  case mem::Stack:
    return "stack";
  case mem::PageAddr:
  case mem::PageAddrMaybe:
    return "page-address";
  default:
    return "unknown";
  }
}

MemValue innerOf(MemValue V) {
  V.Inner = V.Kinds;
  V.InnerParams = V.Params != 0;
  return V;
}

bool onlyKinds(const MemValue &V, uint16_t Allowed) {
  return V.Kinds && !(V.Kinds & ~Allowed) && !V.Params;
}

} // namespace vmalloc_lint
