#include "matchers/kernel/VmallocApi.h"

#include <unordered_map>

namespace vmalloc_lint {

namespace {
constexpr KernelVersion V(int Major, int Minor) { return {Major, Minor}; }
constexpr KernelVersion Open{0, 0};
constexpr KernelVersion Always{2, 6};
} // namespace

const std::vector<VmallocApiEntry> &vmallocApi() {
  using P = Provenance;
  using G = GfpArgument;
  static const std::vector<VmallocApiEntry> Table = {
      // gfp-taking vmalloc allocators
      {"__vmalloc",
       P::Vmalloc,
       G::Explicit,
       {Always, Open},
       "4.9: (size, gfp, prot); 5.8+: (size, gfp)"},
      {"__vmalloc_node", P::Vmalloc, G::Explicit, {Always, Open}, ""},
      {"__vmalloc_node_range", P::Vmalloc, G::Explicit, {Always, Open}, ""},
      {"__vmalloc_node_flags",
       P::Vmalloc,
       G::Explicit,
       {V(4, 3), V(5, 8)},
       "static in mm/vmalloc.c before 4.12"},
      {"__vmalloc_node_flags_caller",
       P::Vmalloc,
       G::Explicit,
       {V(4, 12), V(5, 8)},
       ""},
      {"__vmalloc_array", P::Vmalloc, G::Explicit, {V(5, 18), Open}, ""},
      {"__vcalloc", P::Vmalloc, G::Explicit, {V(5, 18), Open}, ""},
      {"__vmalloc_user_flags", P::Vmalloc, G::Explicit, {Always, Open}, ""},
      {"vmalloc_user_node_flags",
       P::Vmalloc,
       G::Explicit,
       {V(5, 6), V(5, 8)},
       ""},
      {"vmalloc_huge", P::Vmalloc, G::Explicit, {V(5, 19), Open}, ""},
      {"vmalloc_huge_node", P::Vmalloc, G::Explicit, {V(6, 13), Open}, ""},
      // implicit GFP_KERNEL (the allocator adds what it needs)
      {"vmalloc", P::Vmalloc, G::ImplicitKernel, {Always, Open}, ""},
      {"vzalloc", P::Vmalloc, G::ImplicitKernel, {Always, Open}, ""},
      {"vmalloc_user", P::Vmalloc, G::ImplicitKernel, {Always, Open}, ""},
      {"vmalloc_node", P::Vmalloc, G::ImplicitKernel, {Always, Open}, ""},
      {"vzalloc_node", P::Vmalloc, G::ImplicitKernel, {Always, Open}, ""},
      {"vmalloc_exec", P::Vmalloc, G::ImplicitKernel, {Always, V(5, 8)}, ""},
      {"vmalloc_no_huge",
       P::Vmalloc,
       G::ImplicitKernel,
       {V(5, 13), V(6, 1)},
       ""},
      {"vmalloc_array", P::Vmalloc, G::ImplicitKernel, {V(5, 18), Open}, ""},
      {"vcalloc", P::Vmalloc, G::ImplicitKernel, {V(5, 18), Open}, ""},
      // device-safe: GFP_VMALLOC32 inside
      {"vmalloc_32", P::Vmalloc32, G::Implicit32, {Always, Open}, ""},
      {"vmalloc_32_user", P::Vmalloc32, G::Implicit32, {Always, Open}, ""},
      // kmalloc first, vmalloc fallback
      {"kvmalloc", P::MaybeVmalloc, G::Explicit, {V(4, 12), Open}, ""},
      {"kvzalloc", P::MaybeVmalloc, G::Explicit, {V(4, 12), Open}, ""},
      {"kvmalloc_node", P::MaybeVmalloc, G::Explicit, {V(4, 12), Open}, ""},
      {"kvzalloc_node", P::MaybeVmalloc, G::Explicit, {V(4, 12), Open}, ""},
      {"kvcalloc", P::MaybeVmalloc, G::Explicit, {V(4, 18), Open}, ""},
      {"kvcalloc_node", P::MaybeVmalloc, G::Explicit, {V(6, 12), Open}, ""},
      {"kvmalloc_array", P::MaybeVmalloc, G::Explicit, {V(4, 12), Open}, ""},
      {"kvmalloc_array_node",
       P::MaybeVmalloc,
       G::Explicit,
       {V(6, 12), Open},
       ""},
      {"kvrealloc", P::MaybeVmalloc, G::Explicit, {V(5, 15), Open}, ""},
      {"__kvmalloc_node",
       P::MaybeVmalloc,
       G::Explicit,
       {V(6, 10), Open},
       "behind kvmalloc_node() with allocation profiling"},
  };
  return Table;
}

const VmallocApiEntry *lookupVmallocApi(const std::string &Name) {
  static const std::unordered_map<std::string, const VmallocApiEntry *> Index =
      [] {
        std::unordered_map<std::string, const VmallocApiEntry *> M;
        for (const VmallocApiEntry &E : vmallocApi())
          M.emplace(E.Name, &E);
        return M;
      }();
  auto It = Index.find(Name);
  if (It != Index.end())
    return It->second;
  // 6.10+ memory allocation profiling: kvmalloc_node() is a macro around
  // kvmalloc_node_noprof(), and so on for the whole family.
  static const std::string Suffix = "_noprof";
  if (Name.size() > Suffix.size() &&
      Name.compare(Name.size() - Suffix.size(), Suffix.size(), Suffix) == 0)
    return lookupVmallocApi(Name.substr(0, Name.size() - Suffix.size()));
  return nullptr;
}

const char *provenanceName(Provenance P) {
  switch (P) {
  case Provenance::Vmalloc:
    return "vmalloc";
  case Provenance::Vmalloc32:
    return "vmalloc_32";
  case Provenance::MaybeVmalloc:
    return "maybe-vmalloc";
  }
  return "unknown";
}

} // namespace vmalloc_lint
