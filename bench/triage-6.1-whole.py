#!/usr/bin/env python3
"""The whole-6.1 triage of pass 2's default output (bench/triage-6.1-whole.md).

    bench/triage-6.1-whole.py FINDINGS.json > bench/triage-6.1-whole.tsv

FINDINGS.json: `vmalloc-lint --kernel-tree . -j2 --format json .` over
Debian's 6.1 (every check, default --min-confidence). One row per pass-2
finding: file, line, check, confidence, verdict, read, reason. `read` is
"yes" for a finding whose code was read, "rule" for one judged by its class
(the class's rule and the files read for it are in the .md). The verdicts of
read findings are listed here by file:line; nothing is inferred from names.
"""
import json
import sys

PASS2 = {"vmalloc-virt-to-phys", "vmalloc-dma-map", "vmalloc-dma32-device",
         "vmalloc-free-mismatch", "vmalloc-stack-dma"}

# Read one by one: (file, line) -> (verdict, reason).
READ = {
    ("drivers/block/ps3disk.c", 358): ("false", "PS3 (PPC64) driver outside arch/: 6.1's powerpc selects no HAVE_ARCH_VMAP_STACK, so the stack is linear memory; analysed as an x86_64 file"),
    ("drivers/scsi/ps3rom.c", 125): ("false", "as ps3disk.c: a PS3-only driver, powerpc has no VMAP_STACK in 6.1"),
    ("drivers/i2c/busses/i2c-opal.c", 146): ("false", "powernv (PPC64) OPAL driver: no VMAP_STACK on powerpc in 6.1"),
    ("drivers/cpufreq/speedstep-smi.c", 69): ("false", "depends on X86_32; arch/x86/Kconfig selects HAVE_ARCH_VMAP_STACK only if X86_64"),
    ("drivers/mmc/host/vub300.c", 465): ("false", "the 'stack buffer' is &vub300->resp: vub300 comes from urb->context, a field vub300_usb_bulk_msg() sets to a stack struct completion for another urb; the field's kinds are conflated across functions"),
    ("drivers/mmc/host/vub300.c", 830): ("false", "as vub300.c:465"),
    ("drivers/staging/rtl8192u/r8192U_core.c", 1377): ("false", "&zero with transfer_buffer_length 0: usb_hcd_map_urb_for_dma() maps no zero-length buffer"),
    ("drivers/usb/gadget/function/f_fs.c", 828): ("false", "ffs_free_buffer() frees by the io_data->use_sg tag that ffs_alloc_buffer() chose by: vfree() only for the vmalloc'ed sg buffer"),
    ("drivers/usb/gadget/function/f_fs.c", 830): ("false", "as f_fs.c:828: kfree() only on the !use_sg kmalloc() buffer"),
    ("drivers/net/ethernet/mellanox/mlx5/core/fs_counters.c", 385): ("false", "mlx5_fc_release() kfree()s only a counter without ->bulk, i.e. from mlx5_fc_single_alloc()'s kzalloc(); pool counters go back to the pool"),
    ("net/packet/af_packet.c", 4430): ("false", "free_pg_vec(): vfree() inside if (is_vmalloc_addr(pg_vec[i].buffer)); the guard on an array element's field is not applied"),
    ("drivers/misc/sgi-gru/grukservices.c", 962): ("real", "uv_gpa() (__pa) of the stack variable word0 handed to the GRU; x86_64 UV has VMAP_STACK (latent: UV hardware only)"),
    ("drivers/misc/sgi-gru/grukservices.c", 972): ("real", "as :962, word1"),
    ("drivers/misc/sgi-gru/grukservices.c", 1110): ("real", "as :962, buf1 and buf2 (two findings)"),
    ("drivers/hid/wacom_sys.c", 625): ("real", "stack rep_data to hid_hw_raw_request(); usbhid passes the buffer to usb_control_msg()"),
    ("drivers/hid/wacom_sys.c", 633): ("real", "as :625"),
    ("drivers/hid/wacom_sys.c", 657): ("real", "as :625"),
    ("drivers/net/usb/rndis_host.c", 134): ("real", "stack union notification to usb_interrupt_msg() (earlier triage)"),
    ("arch/um/drivers/virt-pci.c", 400): ("real", "stack data reaches sg_init_one() when kmalloc(GFP_ATOMIC) fails; UML selects HAVE_ARCH_VMAP_STACK (earlier triage)"),
    ("drivers/virt/coco/sev-guest/sev-guest.c", 546): ("real", "stack buffer to sg_set_buf(); upstream fixed it as db10cb9b5746 (earlier triage)"),
    ("tools/testing/crypto/chacha20-s390/test-cipher.c", 282): ("real", "vzalloc() buffers to sg_init_one() (earlier triage)"),
    ("tools/testing/crypto/chacha20-s390/test-cipher.c", 297): ("real", "as :282"),
    ("net/ceph/messenger_v2.c", 1039): ("real", "kvmalloc() buffer in sg_set_buf() (latent; earlier triage)"),
    # Read for the classes below (a sample; the class rule is in the .md).
    ("drivers/mtd/devices/sst25l.c", 79): ("real", "stack cmd_resp[2] as spi_transfer.tx_buf and rx_buf"),
    ("drivers/leds/leds-el15203000.c", 116): ("real", "stack cmd to spi_write()"),
    ("drivers/rtc/rtc-m41t94.c", 69): ("real", "stack buf to spi_write()"),
    ("drivers/misc/ad525x_dpot-spi.c", 66): ("real", "stack buf_rx to spi_read()"),
    ("drivers/iio/temperature/max31856.c", 101): ("real", "stack buf to spi_write()"),
}


def sink_class(f):
    text = f["message"] + " " + " ".join(n["message"] for n in f.get("notes", []))
    if "spi" in text or "SPI" in text:
        return "SPI"
    if "usb" in text or "USB" in text or "urb" in text:
        return "USB"
    return "other"


def main():
    d = json.load(open(sys.argv[1]))
    print("file\tline\tcheck\tconfidence\tverdict\tread\treason")
    for f in sorted(d["findings"], key=lambda f: (f["file"], f["line"], f["check"])):
        if f["check"] not in PASS2:
            continue
        conf = (f.get("confidence") or {}).get("level", "")
        reason = (f.get("confidence") or {}).get("reason", "")
        key = (f["file"], f["line"])
        if key in READ:
            verdict, why = READ[key]
            read = "yes"
        elif f["check"] == "vmalloc-stack-dma" and sink_class(f) == "SPI":
            verdict, read = "real", "rule"
            why = ("a stack buffer as an SPI transfer buffer: include/linux/spi/spi.h "
                   "asks for dma-safe tx_buf/rx_buf and Documentation/spi/spi-summary.rst "
                   "says \"Don't use the stack\"; upstream fixed the shape (a89bfc5d9a07, "
                   "tpm_tis_spi)")
        elif "netdev_priv" in reason and sink_class(f) == "SPI":
            verdict, read = "latent", "rule"
            why = ("a buffer inside netdev_priv() (alloc_netdev_mqs() kvzalloc()s it) as an "
                   "SPI transfer buffer: the SPI core's spi_map_buf() maps vmalloc buffers "
                   "page by page, so only controllers that dma_map_single() tx_buf "
                   "themselves break; not demonstrated")
        elif "netdev_priv" in reason:
            verdict, read = "latent", "rule"
            why = ("a buffer inside netdev_priv() to a USB, ISA or streaming-DMA sink: "
                   "vmalloc memory when kvzalloc() falls back, the case upstream fixed "
                   "in virtio_net (12e571693837)")
        else:
            verdict, read, why = "untriaged", "no", ""
        print("\t".join([f["file"], str(f["line"]), f["check"], conf, verdict, read, why]))


if __name__ == "__main__":
    main()
