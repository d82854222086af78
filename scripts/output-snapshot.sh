#!/usr/bin/env bash
# scripts/output-snapshot.sh LINT OUTDIR: the outputs a restructuring must
# keep byte-identical: both corpus trees (findings JSON and text, census JSON
# and text, --diff, SARIF, facts out and in, no prefilter), 15 files of the
# real 6.1 tree, and its drivers/md and mm. Compare two runs with diff -r
# (SARIF holds the corpus path: run both from the same checkout).
set -u
lint=$1; out=$2; mkdir -p "$out"
corpus=${CORPUS:-$(cd "$(dirname "$0")/../corpus" && pwd)}
k=${VMALLOC_LINT_KERNEL_DIR:-/var/tmp/vmalloc-lint/linux-source-6.1}
for t in linux-6.1 linux-4.9; do
  cd $corpus/$t
  $lint --kernel-tree . -j2 --format json . > $out/$t.json 2>$out/$t.json.err; echo "rc $?" >> $out/$t.json.err
  $lint --kernel-tree . -j2 . > $out/$t.txt 2>$out/$t.txt.err
  $lint --kernel-tree . -j2 --census --format json . > $out/$t.census.json 2>/dev/null
  $lint --kernel-tree . -j2 --census . > $out/$t.census.txt 2>/dev/null
  $lint --kernel-tree . -j2 --diff . > $out/$t.diff 2>/dev/null
  $lint --kernel-tree . -j2 --format sarif . > $out/$t.sarif 2>/dev/null
  $lint --kernel-tree . -j2 --facts-out $out/$t.facts . > /dev/null 2>&1
  $lint --kernel-tree . -j2 --facts-in $out/$t.facts --format json . > $out/$t.factsin.json 2>/dev/null
  $lint --kernel-tree . -j2 --no-prefilter --format json . > $out/$t.nopf.json 2>/dev/null
done
cd $k
files="arch/arm64/kvm/arm.c drivers/nvme/host/zns.c drivers/md/dm-bufio.c kernel/fork.c mm/vmalloc.c mm/util.c fs/xfs/kmem.c net/core/dev.c mm/page_alloc.c drivers/net/usb/rndis_host.c net/ceph/messenger_v2.c arch/x86/kernel/ldt.c drivers/infiniband/hw/efa/efa_verbs.c drivers/virt/coco/sev-guest/sev-guest.c tools/testing/crypto/chacha20-s390/test-cipher.c"
$lint --kernel-tree . -j2 --format json $files > $out/realtree.json 2>$out/realtree.err
$lint --kernel-tree . -j2 --census --format json $files > $out/realtree.census.json 2>/dev/null
$lint --kernel-tree . -j2 --format json drivers/md > $out/md.json 2>$out/md.err
$lint --kernel-tree . -j2 --census --format json drivers/md > $out/md.census.json 2>/dev/null
$lint --kernel-tree . -j2 --format json --no-skip-bodies --no-prefilter drivers/md > $out/md.full.json 2>$out/md.full.err
$lint --kernel-tree . -j2 --census --format json mm > $out/mm.census.json 2>$out/mm.err
