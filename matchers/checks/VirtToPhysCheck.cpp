// vmalloc-virt-to-phys: vmalloc, vmap or kvmalloc memory passed to a
// linear-map helper (virt_to_phys, __pa, virt_to_page, virt_to_pfn,
// virt_to_bus, virt_to_head_page).
//
// Those helpers are arithmetic on the linear map; vmalloc memory is not in
// it, so they return the wrong page or address (silently, unless
// CONFIG_DEBUG_VIRTUAL). vmalloc_to_page()/vmalloc_to_pfn() are the right
// helpers. kvmalloc memory is vmalloc memory when kmalloc failed: a "may"
// finding that asks for an is_vmalloc_addr() test. The fix renames
// virt_to_page/virt_to_pfn when the memory is vmalloc memory on every path
// (the sink table's Fixable column).
#include "matchers/checks/SinkCheck.h"

namespace vmalloc_lint::checks {

namespace {

class VirtToPhys : public SinkCheck {
public:
  std::optional<SinkVerdict> judge(const SinkEvent &E) const override {
    if (E.Use != SinkUse::Table || E.Kind != SinkKind::LinearMap)
      return std::nullopt;
    return vmallocVerdict(E.Value);
  }
  std::string message(const SinkEvent &E, const SinkVerdict &V,
                      const SinkWording &W) const override {
    if (V.Kind == mem::MaybeVmalloc || V.Kind == mem::Mixed)
      return sinkMessage(E, W,
                         "check is_vmalloc_addr() and use " +
                             insteadHelper(*E.Row) + " for vmalloc memory");
    return sinkMessage(
        E, W, "the linear map does not cover it; use " + insteadHelper(*E.Row));
  }
  bool offersRename(const SinkEvent &E, const SinkVerdict &V) const override {
    return E.Row && E.Row->Fixable &&
           (V.Kind == mem::Vmalloc || V.Kind == mem::Vmalloc32) &&
           onlyKinds(E.Value, mem::Vmalloc | mem::Vmalloc32);
  }
};

} // namespace

const SinkCheck &virtToPhys() {
  static const VirtToPhys C;
  return C;
}

} // namespace vmalloc_lint::checks
