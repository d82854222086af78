#include "matchers/kernel/KvmallocApi.h"

namespace vmalloc_lint {

namespace {
template <typename Row>
const Row *lookupName(const std::vector<Row> &Rows, const std::string &Name) {
  for (const Row &R : Rows)
    if (Name == R.Name)
      return &R;
  return nullptr;
}
constexpr KernelVersion Open{0, 0};
} // namespace

const std::vector<LinearAllocator> &linearAllocators() {
  // include/linux/slab.h: kmalloc(size, flags), kmalloc_array(n, size,
  // flags), kcalloc(n, size, flags) = kmalloc_array | __GFP_ZERO; the
  // _node forms take the node last (kmalloc_node(size, flags, node) and
  // kzalloc_node() in 4.11 and 6.1, kmalloc_array_node() and
  // kcalloc_node() in 6.1).
  static const std::vector<LinearAllocator> Rows = {
      {"kmalloc", -1, 0, 1, -1, false},
      {"kzalloc", -1, 0, 1, -1, true},
      {"kmalloc_array", 0, 1, 2, -1, false},
      {"kcalloc", 0, 1, 2, -1, true},
      {"kmalloc_node", -1, 0, 1, 2, false},
      {"kzalloc_node", -1, 0, 1, 2, true},
      {"kmalloc_array_node", 0, 1, 2, 3, false},
      {"kcalloc_node", 0, 1, 2, 3, true},
  };
  return Rows;
}

const LinearAllocator *lookupLinearAllocator(const std::string &Name) {
  return lookupName(linearAllocators(), Name);
}

const std::vector<FallbackAllocator> &fallbackAllocators() {
  // include/linux/vmalloc.h: vmalloc(size), vzalloc(size) (GFP_KERNEL),
  // __vmalloc(size, gfp_mask, prot) before v5.8, __vmalloc(size, gfp_mask)
  // since (the prot is found by its index when the call has one);
  // vmalloc_node(size, node), vzalloc_node(size, node) (4.11 and 6.1).
  static const std::vector<FallbackAllocator> Rows = {
      {"vmalloc", 0, -1, -1, -1, false},
      {"vzalloc", 0, -1, -1, -1, true},
      {"__vmalloc", 0, 1, 2, -1, false},
      {"vmalloc_node", 0, -1, -1, 1, false},
      {"vzalloc_node", 0, -1, -1, 1, true},
  };
  return Rows;
}

const FallbackAllocator *lookupFallbackAllocator(const std::string &Name) {
  return lookupName(fallbackAllocators(), Name);
}

const KvHelper *kvHelperFor(bool Array, bool Zeroes, bool Node,
                            KernelVersion Target) {
  // include/linux/mm.h: kvmalloc, kvzalloc, kvmalloc_array,
  // kvmalloc_node(size, flags, node) and kvzalloc_node() since v4.12
  // (a7c3e901a46f "mm: introduce kv[mz]alloc helpers"; include/linux/
  // slab.h in 6.1); kvcalloc since v4.18 (absent from 4.12's mm.h, present
  // in 5.7's). No array form takes a node in 4.12 or 6.1.
  static const std::vector<KvHelper> Rows = {
      {"kvcalloc", true, true, false, {{4, 18}, Open}},
      {"kvmalloc_array", true, false, false, {{4, 12}, Open}},
      {"kvzalloc", false, true, false, {{4, 12}, Open}},
      {"kvmalloc", false, false, false, {{4, 12}, Open}},
      {"kvzalloc_node", false, true, true, {{4, 12}, Open}},
      {"kvmalloc_node", false, false, true, {{4, 12}, Open}},
  };
  for (const KvHelper &H : Rows)
    if (H.Array == Array && H.Zeroes == Zeroes && H.Node == Node &&
        H.Kernels.contains(Target))
      return &H;
  if (Array && Zeroes) // kvmalloc_array(n, size, flags | __GFP_ZERO)
    return kvHelperFor(true, false, Node, Target);
  return nullptr;
}

const MemallocScope *lookupMemallocScope(const std::string &Save) {
  // include/linux/sched/mm.h (4.11 and 6.1): memalloc_noio_save() returns
  // the flags memalloc_noio_restore() takes; memalloc_nofs_* since 4.12.
  static const std::vector<MemallocScope> Rows = {
      {"memalloc_noio_save", "memalloc_noio_restore"},
      {"memalloc_nofs_save", "memalloc_nofs_restore"},
  };
  for (const MemallocScope &R : Rows)
    if (Save == R.Save)
      return &R;
  return nullptr;
}

bool isMaskWarning(const std::string &Macro) {
  // include/asm-generic/bug.h (4.11 and 6.1): each evaluates its condition
  // once and warns; nothing else.
  static const std::vector<std::string> Rows = {"WARN_ON", "WARN_ON_ONCE"};
  for (const std::string &R : Rows)
    if (Macro == R)
      return true;
  return false;
}

const KvmallocRule *kvmallocRule(KernelVersion Target) {
  // mm/util.c kvmalloc_node(), read in the trees: 4.12 (WARN_ON_ONCE(
  // (flags & GFP_KERNEL) != GFP_KERNEL)), 5.7.14, 5.8.1 and 5.10.13
  // (`if ((flags & GFP_KERNEL) != GFP_KERNEL) return kmalloc_node(...)`),
  // 6.1 (`if (!gfpflags_allow_blocking(flags)) return NULL;` after the
  // kmalloc attempt; GFP_NOFS/GFP_NOIO go to __vmalloc_node_range, which
  // takes them through memalloc_nofs/noio_save()). The change is v5.16's
  // "mm: allow !GFP_KERNEL allocations for kvmalloc" (after 5.10.13's
  // text, before 6.1's).
  //
  // __GFP_REPEAT: 4.12's kvmalloc_node() (linux-4.12 mm/util.c, lines
  // 366-376) sets __GFP_NORETRY on its kmalloc attempt for sizes over
  // PAGE_SIZE unless the mask has __GFP_REPEAT and the size is costly ("We
  // have to override __GFP_REPEAT by __GFP_NORETRY for !costly requests");
  // up to PAGE_SIZE the slab and vmalloc's order-0 pages do not look at
  // it. Only 4.12's text was read for this rule, so only the 4.12 row has
  // it: later targets keep the flag (the safe side).
  static const std::vector<KvmallocRule> Rows = {
      {{{4, 12}, {4, 13}},
       KvmallocMaskRule::GfpKernelSuperset,
       true,
       "mm/util.c of 4.12-5.15: the mask must be compatible (superset) with "
       "GFP_KERNEL",
       "4.12's mm/util.c: \"We have to override __GFP_REPEAT by "
       "__GFP_NORETRY for !costly requests\""},
      {{{4, 13}, {5, 16}},
       KvmallocMaskRule::GfpKernelSuperset,
       true,
       "mm/util.c of 4.12-5.15: the mask must be compatible (superset) with "
       "GFP_KERNEL"},
      {{{5, 16}, Open},
       KvmallocMaskRule::Blocking,
       true,
       "mm/util.c since 5.16: GFP_NOWAIT and GFP_ATOMIC are not supported, "
       "neither is __GFP_NORETRY"},
  };
  for (const KvmallocRule &R : Rows)
    if (R.Kernels.contains(Target))
      return &R;
  return nullptr;
}

} // namespace vmalloc_lint
