// vmalloc-free-mismatch: vmalloc or vmap memory freed with kfree(), linear
// memory freed with vfree(), kvmalloc memory freed with either.
//
// kfree() of vmalloc memory corrupts the slab (or BUGs on the page it looks
// up); vfree() of kmalloc memory warns and leaks; kvmalloc memory may be
// either and needs kvfree(). A free reports only when no path carries memory
// it accepts: code that picks vfree() or kfree() by the same condition that
// picked the allocator is right, and the dataflow does not correlate the
// two conditions. No fix: the right free depends on how the memory is
// owned.
#include "matchers/checks/SinkCheck.h"

namespace vmalloc_lint::checks {

namespace {

class FreeMismatch : public SinkCheck {
public:
  std::optional<SinkVerdict> judge(const SinkEvent &E) const override {
    if (E.Use != SinkUse::Table)
      return std::nullopt;
    // A pointer inside an object (&bulk->fcs[i]) is no allocation: no free
    // takes it, and the code frees it on no path (mlx5's pool counters go
    // back to their pool).
    const uint16_t K = E.Value.Kinds & ~E.Value.Inner;
    if (E.Kind == SinkKind::LinearFree) {
      // kfree() accepts linear memory; kvmalloc memory needs kvfree().
      if (!(K & (mem::Linear | mem::GuardLinear | mem::Stack | mem::Mixed)))
        for (uint16_t Bit : {mem::Vmalloc, mem::Vmalloc32, mem::Vmap,
                             mem::GuardVmalloc, mem::MaybeVmalloc})
          if (K & Bit)
            return SinkVerdict{nullptr, Bit, Bit == mem::MaybeVmalloc};
    } else if (E.Kind == SinkKind::VmallocFree) {
      if (!(K & (mem::VmallocArea | mem::GuardVmalloc | mem::Mixed)))
        for (uint16_t Bit : {mem::Linear, mem::GuardLinear, mem::MaybeVmalloc})
          if (K & Bit)
            return SinkVerdict{nullptr, Bit, Bit == mem::MaybeVmalloc};
    }
    return std::nullopt;
  }
  std::string message(const SinkEvent &E, const SinkVerdict &V,
                      const SinkWording &W) const override {
    return sinkMessage(E, W, advice(E, V));
  }

private:
  static std::string advice(const SinkEvent &E, const SinkVerdict &V) {
    if (V.Kind == mem::MaybeVmalloc) {
      // A helper's page-allocator side (its origin kept without the kind):
      // kvfree() cannot free that.
      std::string Other = E.OriginName && !(E.Value.Kinds & mem::Linear)
                              ? E.OriginName(mem::Linear)
                              : "";
      const MemorySource *Src =
          Other.empty() ? nullptr : lookupMemorySource(Other);
      std::string Free = Src ? Src->Free : "";
      if (Src && Src->Kind == SourceKind::Linear && !Free.empty() &&
          Free != "kfree")
        return "free it by its kind: vfree() where is_vmalloc_addr() is "
               "true, else " +
               Free + "() (kvfree() cannot free page-allocator memory)";
      return "use kvfree()";
    }
    if (E.Kind == SinkKind::LinearFree)
      return V.Kind == mem::Vmap ? "use vunmap()"
                                 : "use vfree() (kvfree() takes both)";
    // Linear memory at vfree(): its allocator's free, from the source
    // table. kvfree() only for slab memory: it cannot free the page
    // allocator's.
    std::string From = E.OriginName ? E.OriginName(V.Kind) : "";
    const MemorySource *Src = From.empty() ? nullptr : lookupMemorySource(From);
    if (!Src || V.Kind != mem::Linear)
      return "free it as it was allocated (kfree() for kmalloc memory; "
             "kvfree() takes kmalloc and vmalloc memory)";
    std::string Free = Src->Free;
    if (Free == "kfree")
      return "use kfree() (kvfree() takes both)";
    if (Free == "__free_pages")
      return "free its pages with __free_pages() (kvfree() cannot free "
             "page-allocator memory)";
    if (Free.empty())
      return "vfree() takes only vmalloc memory";
    return "use " + Free + "()";
  }
};

} // namespace

const SinkCheck &freeMismatch() {
  static const FreeMismatch C;
  return C;
}

} // namespace vmalloc_lint::checks
