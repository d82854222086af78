#!/usr/bin/env bash
# ctest label "realtree": vmalloc-lint on a fixed handful (twenty-five) of real Linux 6.1
# files (Debian's linux-source-6.1, x86 defconfig, prepared once outside the
# repository by prepare-linux-6.1.sh) asserting specific findings and that
# nothing crashes (exit status 3).
set -euo pipefail
lint=$1
here=$(cd "$(dirname "$0")" && pwd)
tree=$(bash "$here/prepare-linux-6.1.sh")
# Other arches' views (arm64, m68k, um here), prepared once next to the tree
# and kept (docs/usage.md#other-arches-files).
cache=${VMALLOC_LINT_ARCH_CACHE:-$(dirname "$tree")/arch-cache}
lint_tree() { "$lint" --arch-cache "$cache" --kernel-tree . "$@"; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
files=(
  arch/arm64/kvm/arm.c        # arm64 file in an x86-configured tree
  drivers/nvme/host/zns.c
  drivers/md/dm-bufio.c
  kernel/fork.c
  mm/vmalloc.c
  mm/util.c
  fs/xfs/kmem.c
  net/core/dev.c
  mm/page_alloc.c             # GFP_ATOMIC on both branches to vmalloc_huge()
  # pass 2
  drivers/net/usb/rndis_host.c          # a stack struct as a USB transfer buffer
  net/ceph/messenger_v2.c               # kvmalloc memory in a scatterlist; a WARN_ON guard
  arch/x86/kernel/ldt.c                 # guard saved in a bool, ternary picks the helper
  drivers/infiniband/hw/efa/efa_verbs.c # caller tests the field, helper maps it
  drivers/virt/coco/sev-guest/sev-guest.c # a stack array decrypted into via sg_set_buf()
  tools/testing/crypto/chacha20-s390/test-cipher.c # vzalloc() buffers to sg_init_one()
  net/smc/smc_core.c                    # is_vm tags the buffer's kind, sg_set_buf() under !is_vm
  drivers/rtc/rtc-m41t93.c              # stack arrays to spi_write()
  arch/m68k/emu/natfeat.c               # virt_to_phys() of stack arrays: m68k has no VMAP_STACK
  arch/um/drivers/virt-pci.c            # um selects HAVE_ARCH_VMAP_STACK: a stack array to sg_init_one()
  # false alarms of the whole-6.1 triage (bench/triage-6.1-whole.md), silent:
  drivers/usb/gadget/function/f_fs.c    # vfree()/kfree() by the io_data->use_sg tag ffs_alloc_buffer() chose by
  drivers/net/ethernet/mellanox/mlx5/core/fs_counters.c # kfree() of a counter that is kzalloc()ed or inside a pool
  drivers/mmc/host/vub300.c             # urb->context: a stack completion in one function, the host in the others
  # make coccicheck's kfree_mismatch.cocci warns on these three, all false
  # (docs/side-by-side.md); vmalloc-free-mismatch stays silent on them
  kernel/rcu/rcutorture.c               # vfree() of vmalloc() memory kmalloc()ed on another branch
  fs/smb/client/file.c                  # kvfree() of kcalloc() memory
  mm/kasan/kasan_test.c                 # vfree() of vmalloc() memory in a loop
)
set +e
# Every pass-2 finding, whatever its confidence; each one's level is
# asserted below (the default, --min-confidence=likely, hides "possible").
(cd "$tree" && lint_tree -j2 --min-confidence=possible --format json "${files[@]}") >"$out"
status=$?
set -e
if [ "$status" -ne 1 ]; then
  echo "FAIL: exit status $status (want 1: findings, no crash)"
  exit 1
fi
python3 - "$out" "$tree" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
tree = sys.argv[2]

def line_of(path, text):
    """Line of the one source line containing text: Debian's 6.1 point
    releases move lines, the code stays."""
    hits = [n for n, l in enumerate(open("%s/%s" % (tree, path), errors="replace"), 1)
            if text in l]
    if len(hits) != 1:
        print("FAIL: %r found %d times in %s" % (text, len(hits), path))
        sys.exit(1)
    return hits[0]

got = sorted((f["file"], f["line"], f["check"]) for f in j["findings"])
arm = line_of("arch/arm64/kvm/arm.c",
              "__vmalloc(sz, GFP_KERNEL_ACCOUNT | __GFP_HIGHMEM | __GFP_ZERO)")
nowait = line_of("drivers/md/dm-bufio.c",
                 "alloc_buffer(c, GFP_NOWAIT | __GFP_NORETRY | __GFP_NOMEMALLOC")
noio = line_of("drivers/md/dm-bufio.c",
               "alloc_buffer(c, GFP_NOIO | __GFP_NORETRY | __GFP_NOMEMALLOC")
zns = line_of("drivers/nvme/host/zns.c", "__vmalloc(bufsize, GFP_KERNEL | __GFP_NORETRY)")
hash_ = line_of("mm/page_alloc.c", "table = vmalloc_huge(size, gfp_flags);")
smcd_page = line_of("net/smc/smc_core.c",
                    "buf_desc->pages = virt_to_page(buf_desc->cpu_addr);")
m41t93 = "drivers/rtc/rtc-m41t93.c"
m41t93_reg, m41t93_time = [n for n, l in enumerate(open("%s/%s" % (tree, m41t93)), 1)
                           if "return spi_write(spi, buf, sizeof(buf));" in l]
# Stack buffers are reported at the argument that names them (the caret is
# under the buffer, not the call).
rndis = line_of("drivers/net/usb/rndis_host.c",
                "&notification, sizeof(notification), &partial,")
ceph = line_of("net/ceph/messenger_v2.c",
               "sg_set_buf(&sgs[0], con->v2.in_kvecs[0].iov_base, rem_len);")
# get_derived_key(): the call's second line names the stack array `buf`;
# upstream fixed this as db10cb9b5746 ("virt: sevguest: Fix passing a stack
# buffer as a scatterlist target").
sev = line_of("drivers/virt/coco/sev-guest/sev-guest.c",
              "SNP_MSG_KEY_REQ, req, sizeof(*req), buf, resp_len);")
cipher = "tools/testing/crypto/chacha20-s390/test-cipher.c"
generic = line_of(cipher, 'test_skcipher("chacha20-generic", revert, cipher_generic, plain);')
s390 = line_of(cipher, 'test_skcipher("chacha20-s390", revert, cipher_s390, plain);')
# um_pci_bar_write()'s stack array `data` reaches um_pci_send_cmd()'s
# sg_init_one() when its kmalloc(GFP_ATOMIC) bounce buffer fails.
um_pci = line_of("arch/um/drivers/virt-pci.c",
                 "um_pci_bar_copy_to(priv, offset, data, size);")
want = sorted([
    ("arch/arm64/kvm/arm.c", arm, "vmalloc-redundant-highmem"),
    ("drivers/nvme/host/zns.c", zns, "vmalloc-unsupported-gfp"),
    # GFP_NOWAIT lacks __GFP_DIRECT_RECLAIM and carries __GFP_NORETRY
    ("drivers/md/dm-bufio.c", nowait, "vmalloc-unsupported-gfp"),
    ("drivers/md/dm-bufio.c", nowait, "vmalloc-unsupported-gfp"),
    ("drivers/md/dm-bufio.c", noio, "vmalloc-unsupported-gfp"),
    ("mm/page_alloc.c", hash_, "vmalloc-unsupported-gfp"),
    # pass 2. dm-bufio.c's use_bio() virt_to_page(ptr) is silent: b->data
    # is __vmalloc()ed only where alloc_buffer_data() sets *data_mode =
    # DATA_MODE_VMALLOC, and submit_io() calls use_bio() only under
    # b->data_mode != DATA_MODE_VMALLOC (tag correlation); so is smc_core.c's
    # sg_set_buf(.., buf_desc->cpu_addr, ..) under !buf_desc->is_vm.
    # smcd_new_buf_create()'s virt_to_page(): a false alarm that stays (the
    # SMC-D buffer comes from smc_ism_register_dmb() in another file, the
    # field's facts are those of the SMC-R vzalloc()).
    ("net/smc/smc_core.c", smcd_page, "vmalloc-virt-to-phys"),
    # spi_write() of a stack array (CONFIG_VMAP_STACK)
    (m41t93, m41t93_reg, "vmalloc-stack-dma"),
    (m41t93, m41t93_time, "vmalloc-stack-dma"),
    ("drivers/net/usb/rndis_host.c", rndis, "vmalloc-stack-dma"),
    ("net/ceph/messenger_v2.c", ceph, "vmalloc-dma-map"),
    ("drivers/virt/coco/sev-guest/sev-guest.c", sev, "vmalloc-stack-dma"),
    # the vzalloc()ed buffers reach sg_init_one() inside test_skcipher()
    (cipher, generic, "vmalloc-dma-map"),
    (cipher, s390, "vmalloc-dma-map"),
    # arch/m68k/emu/natfeat.c: silent (arch/m68k/Kconfig does not select
    # HAVE_ARCH_VMAP_STACK); arch/um/Kconfig does.
    ("arch/um/drivers/virt-pci.c", um_pci, "vmalloc-stack-dma"),
])
assert j["kernel_version"] == "6.1", j["kernel_version"]
if got != want:
    print("FAIL: findings\n  got  %s\n  want %s" % (got, want))
    sys.exit(1)
# The confidence levels. "possible": memory read from a field the file
# also assigns vmalloc and other memory. smc_core.c's is the false alarm
# above (so the default output drops it). ceph's in_kvecs[0].iov_base is
# assigned other buffers too, but its vmalloc side is kvmalloc memory only
# (alloc_conn_buf()), whose kind no tag can tell: "likely", shown by
# default, as kvmalloc memory read directly is.
possible = {("net/smc/smc_core.c", smcd_page)}
for f in j["findings"]:
    level = f.get("confidence", {}).get("level")
    if (f["file"], f["line"]) in possible:
        if level != "possible":
            print("FAIL: %s:%d: want confidence possible, got %s" % (f["file"], f["line"], level))
            sys.exit(1)
    elif level == "possible":
        print("FAIL: %s:%d is only 'possible'" % (f["file"], f["line"]))
        sys.exit(1)
ceph_f = [f for f in j["findings"] if (f["file"], f["line"]) == ("net/ceph/messenger_v2.c", ceph)][0]
why = ceph_f["confidence"]["reason"]
if ceph_f["confidence"]["level"] != "likely" or "only above a size" not in why:
    print("FAIL: ceph's kvmalloc buffer: want likely, vmalloc memory only above a size; got %s" % ceph_f["confidence"])
    sys.exit(1)
arm_f = [f for f in j["findings"] if f["file"] == "arch/arm64/kvm/arm.c"][0]
reps = arm_f["fix"]["replacements"]
assert len(reps) == 1 and reps[0]["text"] == "" and reps[0]["length"] == len(" | __GFP_HIGHMEM"), reps
print("real 6.1 files: %d findings as expected, arm64 fix drops ' | __GFP_HIGHMEM'" % len(got))
PY
# The default output (--min-confidence=likely): ceph's latent kvmalloc
# bug is shown, smc_core.c's SMC-D false alarm is not.
(cd "$tree" && lint_tree -j2 --format json --checks='-*,vmalloc-virt-to-phys,vmalloc-dma-map' \
  net/ceph/messenger_v2.c net/smc/smc_core.c) >"$out" || true
python3 - "$out" <<'PY'
import json, sys
got = sorted((f["file"], f["check"], f["confidence"]["level"]) for f in json.load(open(sys.argv[1]))["findings"])
want = [("net/ceph/messenger_v2.c", "vmalloc-dma-map", "likely")]
if got != want:
    print("FAIL: default output: got %s, want %s" % (got, want))
    sys.exit(1)
print("default output: ceph's kvmalloc buffer shown (likely), smc's SMC-D buffer hidden")
PY
(cd "$tree" && lint_tree --diff --quiet arch/arm64/kvm/arm.c) >"$out" || true
grep -q '^-	return __vmalloc(sz, GFP_KERNEL_ACCOUNT | __GFP_HIGHMEM | __GFP_ZERO);$' "$out"
grep -q '^+	return __vmalloc(sz, GFP_KERNEL_ACCOUNT | __GFP_ZERO);$' "$out"
(cd "$tree" && git apply --check "$out") 
echo "arm64 diff applies at the tree root"
# arm64's file is analysed as arm64 (its own defconfig view): no compiler
# error, where x86's flags give some.
(cd "$tree" && lint_tree arch/arm64/kvm/arm.c) 2>"$out" >/dev/null || true
if ! grep -q '1 file analysed, 1 of other arches analysed as their arch (arm64: 1)' "$out"; then
  echo "FAIL: arch/arm64/kvm/arm.c not analysed as arm64 without errors:"; cat "$out"; exit 1
fi
(cd "$tree" && "$lint" --no-arch-views --kernel-tree . arch/arm64/kvm/arm.c) 2>"$out" >/dev/null || true
grep -q '1 file analysed (1 did not fully compile' "$out" || { echo "FAIL: x86 flags compile arm.c?"; cat "$out"; exit 1; }
echo "arm64 file analysed as arm64, no compiler error (x86 flags: errors)"
