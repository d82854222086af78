// SPDX-License-Identifier: GPL-2.0
/// __GFP_HIGHMEM in the gfp argument of a vmalloc allocator that takes one.
/// Since v4.12 ("mm, vmalloc: use __GFP_HIGHMEM implicitly") __vmalloc*
/// add __GFP_HIGHMEM themselves (unless the mask has a DMA zone modifier),
/// so an explicit one is redundant. The flag may sit anywhere in the
/// argument, also inside a chain of '|'. A textual rule: it does not see
/// the flag through a macro (GFP_HIGHUSER, a driver's own GFP macro), a
/// variable or a wrapper's parameter; vmalloc-lint's
/// vmalloc-redundant-highmem check does (bench/whole-tree.sh compares).
///
/// `& ~__GFP_HIGHMEM` clears the flag: not reported.
/// The gfp argument is found by position, per allocator (6.1 signatures;
/// __vmalloc also matches 4.9's three-argument form).
//
// Confidence: High
// Options: --no-includes --include-headers

virtual report

@cleared depends on report@
position q;
@@
~__GFP_HIGHMEM@q

@r depends on report@
identifier f1 = {__vmalloc, vmalloc_huge, vmalloc_huge_node,
                 __vmalloc_user_flags};
identifier f2 = {__vmalloc_node, __vmalloc_array, __vcalloc};
identifier f4 = {__vmalloc_node_range};
expression list[1] A1;
expression list[2] A2;
expression list[4] A4;
position p != cleared.q;
@@
(
 f1(A1, <+... __GFP_HIGHMEM@p ...+>, ...)
|
 f2(A2, <+... __GFP_HIGHMEM@p ...+>, ...)
|
 f4(A4, <+... __GFP_HIGHMEM@p ...+>, ...)
)

@script:python depends on report@
p << r.p;
@@
coccilib.report.print_report(p[0],
    "WARNING: redundant __GFP_HIGHMEM in a vmalloc gfp argument")
