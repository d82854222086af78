// Pass 2: the provenance lattice and sink rules (pure), and the transfer
// rules of the CFG dataflow on in-memory kernel-shaped code.
#include "TestSupport.h"

#include "matchers/checks/SinkCheck.h"
#include "matchers/provenance/MemoryLattice.h"

#include <gtest/gtest.h>

using namespace vmalloc_lint;
using namespace vmalloc_lint::test;

namespace {

// Sinks and sources as the x86 6.1 headers define them: functions, and
// macros whose expansion bottoms out in an inline function.
const char *MemHeader = R"(
typedef unsigned long long u64;
typedef unsigned int u32;
typedef unsigned char u8;
typedef _Bool bool;
struct page { unsigned long flags; };
struct device;
struct scatterlist;
struct usb_device;
void kfree(const void *);
void kvfree(const void *);
void *kzalloc(size_t size, gfp_t flags);
void *vzalloc(unsigned long size);
void *vmap(struct page **pages, unsigned int count, unsigned long flags,
           int prot);
bool is_vmalloc_addr(const void *x);
extern unsigned long vmemmap_base;
static inline unsigned long __phys_addr_nodebug(unsigned long x) { return x; }
#define __phys_addr(x) __phys_addr_nodebug(x)
#define __pa(x) __phys_addr((unsigned long)(x))
#define vmemmap ((struct page *)vmemmap_base)
#define pfn_to_page(pfn) (vmemmap + (pfn))
#define page_to_pfn(page) (unsigned long)((page) - vmemmap)
#define virt_to_page(kaddr) pfn_to_page(__pa(kaddr) >> 12)
bool __virt_addr_valid(unsigned long kaddr);
#define virt_addr_valid(kaddr) __virt_addr_valid((unsigned long)(kaddr))
static inline u64 virt_to_phys(volatile void *address) { return __pa(address); }
struct page *vmalloc_to_page(const void *addr);
unsigned long vmalloc_to_pfn(const void *addr);
void sg_init_one(struct scatterlist *, const void *, unsigned int);
int usb_bulk_msg(struct usb_device *usb_dev, unsigned int pipe, void *data,
                 int len, int *actual_length, int timeout);
static inline void writel(unsigned int val, volatile void *addr) {}
int dma_set_mask(struct device *dev, u64 mask);
#define DMA_BIT_MASK(n) (((n) == 64) ? ~0ULL : ((1ULL << (n)) - 1))
)";

Analysed pass2(const std::string &Code) {
  return analyse(std::string(MemHeader) + Code, "6.1", {},
                 "-*,vmalloc-virt-to-phys,vmalloc-dma-map,vmalloc-dma32-"
                 "device,vmalloc-free-mismatch,vmalloc-stack-dma");
}

/// "check@function-relative line" of every finding, with the line counted
/// from the first line of Code after the header.
std::vector<std::string> found(const Analysed &A) {
  unsigned HeaderLines = 1; // #include "gfp.h"
  for (const char *C = MemHeader; *C; ++C)
    HeaderLines += *C == '\n';
  std::vector<std::string> Out;
  for (const Finding &F : A.Result.Findings)
    Out.push_back(F.Check + "@" + std::to_string(F.Where.Line - HeaderLines));
  return Out;
}

const Finding &only(const Analysed &A) {
  EXPECT_EQ(A.Result.Findings.size(), 1u);
  static Finding None;
  return A.Result.Findings.empty() ? None : A.Result.Findings.front();
}

using V = std::vector<std::string>;

} // namespace

// ---- lattice and sink rules ----------------------------------------------

TEST(ProvenanceLattice, JoinKeepsEveryPathAndTheFirstOrigin) {
  int A = 0, B = 0;
  MemValue X = MemValue::of(mem::Vmalloc, &A, 20);
  MemValue Y = MemValue::of(mem::Vmalloc | mem::Linear, &B, 10);
  MemValue J = joinValues(X, Y);
  EXPECT_EQ(J.Kinds, mem::Vmalloc | mem::Linear);
  EXPECT_EQ(J.originOf(mem::Vmalloc), &B); // smaller order wins
  EXPECT_EQ(joinValues(Y, X), J);          // commutative
  EXPECT_EQ(joinValues(J, J), J);          // idempotent
  EXPECT_TRUE(MemValue().bottom());
  EXPECT_EQ(MemValue::param(3).Params, 8u);
}

TEST(ProvenanceLattice, ArithmeticIgnoresTheUnknownOffset) {
  MemValue P = MemValue::of(mem::Vmalloc);
  EXPECT_EQ(arithmetic(P, MemValue::unknown()).Kinds, mem::Vmalloc);
  EXPECT_EQ(arithmetic(MemValue::unknown(), MemValue::unknown()).Kinds,
            mem::Unknown);
  EXPECT_EQ(arithmetic(MemValue::param(0), MemValue::unknown()).Kinds, 0);
}

TEST(ProvenanceLattice, Guards) {
  MemValue Kv = MemValue::of(mem::MaybeVmalloc);
  // What only the guard tells is a guard kind...
  EXPECT_EQ(afterIsVmallocAddr(Kv, true).Kinds, mem::GuardVmalloc);
  EXPECT_EQ(afterIsVmallocAddr(Kv, false).Kinds, mem::GuardLinear);
  EXPECT_EQ(afterIsVmallocAddr(MemValue::param(0), true).Params, 0u);
  EXPECT_EQ(afterVirtAddrValid(Kv, true).Kinds, mem::GuardLinear);
  EXPECT_EQ(afterVirtAddrValid(Kv, false).Kinds, mem::MaybeVmalloc);
  // ... known kinds stay, the impossible side goes.
  MemValue Both = MemValue::of(mem::Vmap | mem::Linear);
  EXPECT_EQ(afterIsVmallocAddr(Both, true).Kinds, mem::Vmap);
  EXPECT_EQ(afterIsVmallocAddr(Both, false).Kinds, mem::Linear);
  // Inside the guarded region a sink reports; after the join it does not.
  DeviceDma D;
  EXPECT_EQ(
      judgeSink(SinkKind::LinearMap, afterIsVmallocAddr(Kv, true), D).size(),
      1u);
  MemValue Joined = joinValues(afterIsVmallocAddr(MemValue::unknown(), true),
                               afterIsVmallocAddr(MemValue::unknown(), false));
  EXPECT_EQ(judgeSink(SinkKind::LinearMap, Joined, D).size(), 0u);
  EXPECT_EQ(judgeSink(SinkKind::LinearFree, Joined, D).size(), 0u);
  EXPECT_EQ(judgeSink(SinkKind::VmallocFree, Joined, D).size(), 0u);
}

TEST(ProvenanceLattice, FactsOfFields) {
  EXPECT_EQ(factRead(MemValue::of(mem::Vmalloc)).Kinds, mem::Vmalloc);
  EXPECT_EQ(factRead(MemValue::of(mem::Vmalloc | mem::Linear)).Kinds,
            mem::Mixed);
  EXPECT_EQ(factRead(MemValue::of(mem::Vmalloc | mem::Unknown)).Kinds,
            mem::Mixed);
  EXPECT_EQ(factRead(MemValue::of(mem::Linear | mem::Unknown)).Kinds,
            mem::Unknown);
  // The vmalloc side of a mixed field: kvmalloc memory alone, or with
  // vmalloc memory; a stored mixed value of unknown side counts as vmalloc.
  MemValue KvOnly = factRead(MemValue::of(mem::MaybeVmalloc | mem::Unknown));
  EXPECT_EQ(KvOnly.Kinds, mem::Mixed);
  EXPECT_EQ(KvOnly.MixedFrom, mem::MaybeVmalloc);
  EXPECT_EQ(
      factRead(MemValue::of(mem::MaybeVmalloc | mem::Vmalloc | mem::Linear))
          .MixedFrom,
      mem::MaybeVmalloc | mem::Vmalloc);
  MemValue Self = MemValue::of(mem::MaybeVmalloc | mem::Unknown | mem::Mixed);
  Self.MixedFrom = mem::MaybeVmalloc;
  EXPECT_EQ(factRead(Self).MixedFrom, mem::MaybeVmalloc);
  EXPECT_EQ(factRead(MemValue::of(mem::MaybeVmalloc | mem::Mixed)).MixedFrom,
            mem::MaybeVmalloc | mem::Vmalloc);
  EXPECT_EQ(joinValues(KvOnly, MemValue::of(mem::Linear)).MixedFrom,
            mem::MaybeVmalloc);
  EXPECT_EQ(pageLookup(MemValue::of(mem::Vmalloc)).Kinds, mem::PageAddr);
  EXPECT_EQ(pageLookup(MemValue::of(mem::Vmalloc32)).Kinds, mem::Unknown);
  EXPECT_EQ(pageLookup(MemValue::of(mem::MaybeVmalloc)).Kinds,
            mem::PageAddrMaybe);
}

TEST(ProvenanceLattice, SinkVerdicts) {
  DeviceDma Any;
  auto One = [&](SinkKind K, uint16_t Kinds, DeviceDma D = {}) {
    auto R = judgeSink(K, MemValue::of(Kinds), D);
    return R.size() == 1 ? std::string(R[0].Check) + (R[0].May ? "?" : "")
                         : std::to_string(R.size());
  };
  EXPECT_EQ(One(SinkKind::LinearMap, mem::Vmalloc | mem::Linear),
            "vmalloc-virt-to-phys");
  EXPECT_EQ(One(SinkKind::LinearMap, mem::MaybeVmalloc),
            "vmalloc-virt-to-phys?");
  EXPECT_EQ(One(SinkKind::LinearMap, mem::Linear | mem::Unknown), "0");
  EXPECT_EQ(One(SinkKind::StreamDma, mem::Stack), "vmalloc-stack-dma");
  EXPECT_EQ(One(SinkKind::UsbTransfer, mem::Vmalloc), "vmalloc-dma-map");
  // spi_write()/spi_read(): the controller DMA-maps the buffer.
  EXPECT_EQ(One(SinkKind::SpiTransfer, mem::Vmalloc), "vmalloc-dma-map");
  EXPECT_EQ(One(SinkKind::SpiTransfer, mem::Stack), "vmalloc-stack-dma");
  EXPECT_EQ(One(SinkKind::SpiTransfer, mem::Linear), "0");
  ASSERT_NE(lookupMemorySink("spi_write"), nullptr);
  EXPECT_EQ(lookupMemorySink("spi_write")->Arg, 1u);
  EXPECT_EQ(lookupMemorySink("spi_read")->Arg, 1u);
  // They copy into a DMA-safe buffer: not sinks.
  EXPECT_EQ(lookupMemorySink("spi_write_then_read"), nullptr);
  EXPECT_EQ(lookupMemorySink("usb_control_msg_send"), nullptr);
  EXPECT_EQ(lookupMemorySink("usb_control_msg_recv"), nullptr);
  // Frees: only when no path carries memory the free accepts.
  EXPECT_EQ(One(SinkKind::LinearFree, mem::Vmalloc | mem::Unknown),
            "vmalloc-free-mismatch");
  EXPECT_EQ(One(SinkKind::LinearFree, mem::Vmalloc | mem::Linear), "0");
  EXPECT_EQ(One(SinkKind::LinearFree, mem::Mixed), "0");
  EXPECT_EQ(One(SinkKind::LinearFree, mem::MaybeVmalloc),
            "vmalloc-free-mismatch?");
  EXPECT_EQ(One(SinkKind::VmallocFree, mem::Linear), "vmalloc-free-mismatch");
  EXPECT_EQ(One(SinkKind::VmallocFree, mem::Linear | mem::Vmalloc), "0");
  // A device: no mask is the 32-bit default; a 64-bit mask is fine.
  DeviceDma Wide;
  Wide.AnyMask = true;
  Wide.MinBits = 64;
  DeviceDma Narrow = Wide;
  Narrow.MinBits = 32;
  EXPECT_EQ(One(SinkKind::MmioWrite, mem::PageAddr), "vmalloc-dma32-device");
  EXPECT_EQ(One(SinkKind::MmioWrite, mem::PageAddr, Wide), "0");
  EXPECT_EQ(judgeSink(SinkKind::MmioWrite, MemValue::of(mem::PageAddr), Any,
                      SinkUse::DescriptorStore)
                .size(),
            0u);
  EXPECT_EQ(judgeSink(SinkKind::MmioWrite, MemValue::of(mem::PageAddr), Narrow,
                      SinkUse::DescriptorStore)
                .size(),
            1u);
}

// ---- transfer rules ------------------------------------------------------

TEST(ProvenanceFlow, ReassignmentKills) {
  auto A = pass2("u64 f(unsigned long n) {\n"
                 "  void *p = vmalloc(n);\n"
                 "  u64 a = virt_to_phys(p);\n"
                 "  vfree(p);\n"
                 "  p = kmalloc(n, GFP_KERNEL);\n"
                 "  return a + virt_to_phys(p);\n"
                 "}\n");
  EXPECT_EQ(found(A), V({"vmalloc-virt-to-phys@3"}));
}

TEST(ProvenanceFlow, OffsetsCastsAndSubscriptsKeepIt) {
  auto A = pass2("unsigned long f(unsigned long n, int i) {\n"
                 "  char *p = vzalloc(n);\n"
                 "  unsigned long a = (unsigned long)p + 4096;\n"
                 "  return __pa(&p[i]) + __pa(a) + __pa((char *)p + 8);\n"
                 "}\n");
  EXPECT_EQ(found(A), V({"vmalloc-virt-to-phys@4", "vmalloc-virt-to-phys@4",
                         "vmalloc-virt-to-phys@4"}));
}

TEST(ProvenanceFlow, BranchesJoin) {
  auto A = pass2("u64 f(unsigned long n, bool big) {\n"
                 "  void *p, *q;\n"
                 "  if (big) { p = vmalloc(n); q = kzalloc(n, GFP_KERNEL); }\n"
                 "  else { p = kmalloc(n, GFP_KERNEL); q = kmalloc(n, 0); }\n"
                 "  return virt_to_phys(p) + virt_to_phys(q);\n"
                 "}\n");
  EXPECT_EQ(found(A), V({"vmalloc-virt-to-phys@5"}));
  EXPECT_EQ(only(A).Where.Column, 10u);
  EXPECT_NE(only(A).Message.find("(from vmalloc())"), std::string::npos);
}

TEST(ProvenanceFlow, LoopsReachAFixpoint) {
  auto A = pass2("u64 f(unsigned long n) {\n"
                 "  void *p = kmalloc(n, GFP_KERNEL);\n"
                 "  u64 s = 0;\n"
                 "  for (int i = 0; i < 4; i++) {\n"
                 "    s += virt_to_phys(p);\n"
                 "    p = vmalloc(n);\n"
                 "  }\n"
                 "  return s;\n"
                 "}\n");
  EXPECT_EQ(found(A), V({"vmalloc-virt-to-phys@5"}));
}

TEST(ProvenanceFlow, GuardsChooseTheHelper) {
  auto A = pass2("struct page *f(const void *p) {\n"
                 "  if (is_vmalloc_addr(p)) return vmalloc_to_page(p);\n"
                 "  return virt_to_page(p);\n"
                 "}\n"
                 "u64 g(void *p) {\n"
                 "  if (!virt_addr_valid(p)) return 0;\n"
                 "  return virt_to_phys(p);\n"
                 "}\n"
                 "u64 h(void *p) {\n"
                 "  if (p && is_vmalloc_addr(p)) return virt_to_phys(p);\n"
                 "  return 0;\n"
                 "}\n"
                 "u64 k(unsigned long n) { return f(vmalloc(n)) != 0; }\n");
  EXPECT_EQ(found(A), V({"vmalloc-virt-to-phys@10"}));
}

TEST(ProvenanceFlow, GuardsThroughConditionVariables) {
  // WARN_ON(x) is ({ int __ret_warn_on = !!(x); ...; unlikely(__ret_warn_on);
  // })
  auto A =
      pass2("#define WARN_ON(c) ({ int __ret = !!(c); "
            "__builtin_expect(!!(__ret), 0); })\n"
            "void sink_it(struct scatterlist *sg, void *b) {\n"
            "  if (WARN_ON(is_vmalloc_addr(b) || !sg)) return;\n"
            "  sg_init_one(sg, b, 8);\n"
            "}\n"
            "struct ldt { void *entries; };\n"
            "void alloc(struct ldt *l, unsigned long n) {\n"
            "  l->entries = n > 4096 ? vmalloc(n) : kzalloc(n, GFP_KERNEL);\n"
            "}\n"
            "unsigned long map(struct ldt *l, int i) {\n"
            "  bool is_vm = is_vmalloc_addr(l->entries);\n"
            "  const char *src = (char *)l->entries + i * 4096;\n"
            "  return is_vm ? vmalloc_to_pfn(src)\n"
            "               : page_to_pfn(virt_to_page(src));\n"
            "}\n"
            "void use(struct scatterlist *sg, unsigned long n) {\n"
            "  sink_it(sg, vmalloc(n));\n"
            "}\n");
  // sink_it's parameter reaches sg_init_one only where it is not vmalloc
  // memory; map() picks the helper by the saved test of the same buffer.
  EXPECT_EQ(found(A), V{});
}

TEST(ProvenanceFlow, TheJoinAfterAGuardSaysNothing) {
  auto A = pass2("u64 f(void *p) {\n"
                 "  u64 a = is_vmalloc_addr(p) ? 0 : virt_to_phys(p);\n"
                 "  return a + virt_to_phys(p);\n"
                 "}\n"
                 "u64 g(unsigned long n) { return f(kzalloc(n, 0)); }\n");
  EXPECT_EQ(found(A), V{});
}

TEST(ProvenanceFlow, MaybeVmallocSaysMay) {
  auto A = pass2("struct page *f(unsigned long n) {\n"
                 "  void *p = kvmalloc(n, GFP_KERNEL);\n"
                 "  return virt_to_page(p);\n"
                 "}\n");
  const Finding &F = only(A);
  EXPECT_EQ(F.Class, "maybe-vmalloc");
  EXPECT_NE(F.Message.find("may be vmalloc memory"), std::string::npos);
  EXPECT_FALSE(F.Fix); // only definite vmalloc memory is renamed
}

TEST(ProvenanceFlow, MacroSinkFixRenamesTheHelper) {
  auto A = pass2("struct page *f(unsigned long n) {\n"
                 "  void *p = vzalloc(n);\n"
                 "  return virt_to_page(p);\n"
                 "}\n");
  const Finding &F = only(A);
  EXPECT_EQ(F.Callee, "virt_to_page");
  ASSERT_TRUE(F.Fix);
  EXPECT_NE(fixed(A).find("  return vmalloc_to_page(p);\n"), std::string::npos);
}

TEST(ProvenanceFlow, ReturnsAndParametersCrossFunctions) {
  auto A = pass2("static void *alloc_table(unsigned long n) {\n"
                 "  void *t = vzalloc(n);\n"
                 "  return t;\n"
                 "}\n"
                 "static u64 buf_phys(void *b) { return virt_to_phys(b); }\n"
                 "static void release(void *b) { kfree(b); }\n"
                 "u64 f(unsigned long n) {\n"
                 "  void *t = alloc_table(n);\n"
                 "  release(kzalloc(n, GFP_KERNEL));\n"
                 "  release(t);\n"
                 "  return buf_phys(kzalloc(n, GFP_KERNEL)) + buf_phys(t);\n"
                 "}\n");
  EXPECT_EQ(found(A),
            V({"vmalloc-free-mismatch@10", "vmalloc-virt-to-phys@11"}));
  const Finding &Via = A.Result.Findings.back();
  ASSERT_EQ(Via.Notes.size(), 2u);
  EXPECT_EQ(Via.Notes[0].Message, "virt_to_phys() here");
  EXPECT_EQ(Via.Notes[1].Message, "allocated by vzalloc() here");
}

// virtio_net before 12e571693837: virtnet_send_command() puts two fields
// of netdev_priv() memory in scatterlists; the caller's one finding names
// both sinks (the second was merged away before).
TEST(ProvenanceFlow, OneCallReachingTwoSinksNotesBoth) {
  auto A = pass2("struct hdr { u8 cls, cmd; };\n"
                 "struct info { struct hdr ctrl_hdr; u8 ctrl_status; };\n"
                 "static void send(struct info *vi) {\n"
                 "  struct scatterlist *hdr = 0, *stat = 0;\n"
                 "  sg_init_one(hdr, &vi->ctrl_hdr, 2);\n"
                 "  sg_init_one(stat, &vi->ctrl_status, 1);\n"
                 "}\n"
                 "void f(unsigned long n) {\n"
                 "  struct info *vi = vzalloc(n);\n"
                 "  send(vi);\n"
                 "}\n");
  EXPECT_EQ(found(A), V({"vmalloc-dma-map@10"}));
  const Finding &F = only(A);
  ASSERT_EQ(F.Notes.size(), 3u);
  EXPECT_EQ(F.Notes[0].Message, "sg_init_one() here");
  EXPECT_EQ(F.Notes[1].Message, "sg_init_one() here");
  EXPECT_NE(F.Notes[0].Where.Line, F.Notes[1].Where.Line);
  EXPECT_EQ(F.Notes[2].Message, "allocated by vzalloc() here");
}

// tpm_tis_spi before "Use DMA-safe memory for SPI transfers": a stack
// u32 through the ops table's write_bytes pointer, whose one function in
// the unit hands it to the transfer.
TEST(ProvenanceFlow, CallThroughAnOpsFieldFollowsItsOneFunction) {
  auto A =
      pass2("struct ops { int (*write_bytes)(void *d, u8 *v);\n"
            "             int (*read_bytes)(void *d, u8 *v); };\n"
            "struct data { const struct ops *ops; };\n"
            "static int wr(void *d, u8 *v) { return (int)virt_to_phys(v); }\n"
            "static int rd(void *d, u8 *v) { return 0; }\n"
            "static int rd2(void *d, u8 *v) { return (int)virt_to_phys(v); }\n"
            "static const struct ops o = { .write_bytes = wr,\n"
            "                              .read_bytes = rd };\n"
            "static const struct ops o2 = { .read_bytes = rd2 };\n"
            "int write32(struct data *d, u32 value) {\n"
            "  return d->ops->write_bytes(d, (u8 *)&value);\n"
            "}\n"
            "int read32(struct data *d, u32 value) {\n"
            "  return d->ops->read_bytes(d, (u8 *)&value);\n"
            "}\n"
            "const struct ops *get(void) { return &o; }\n"
            "const struct ops *get2(void) { return &o2; }\n");
  // read_bytes holds rd or rd2: which one is not known, nothing followed.
  EXPECT_EQ(found(A), V({"vmalloc-stack-dma@11"}));
  const Finding &F = only(A);
  EXPECT_EQ(F.Callee, "wr");
  ASSERT_FALSE(F.Notes.empty());
  EXPECT_EQ(F.Notes[0].Message, "virt_to_phys() here");
}

TEST(ProvenanceFlow, StructFieldsAndGlobals) {
  auto A = pass2("struct dev { void *buf, *scratch, *ring; };\n"
                 "static void *shared;\n"
                 "void setup(struct dev *d, bool big, unsigned long n) {\n"
                 "  d->buf = vzalloc(n);\n"
                 "  d->ring = kzalloc(n, GFP_KERNEL);\n"
                 "  d->scratch = big ? vmalloc(n) : kmalloc(n, GFP_KERNEL);\n"
                 "  shared = vmalloc(n);\n"
                 "  d->buf = NULL;\n"
                 "}\n"
                 "u64 use(struct dev *d) {\n"
                 "  kfree(d->scratch);\n"
                 "  return virt_to_phys(d->buf) + virt_to_phys(d->ring) +\n"
                 "         virt_to_phys(d->scratch) + virt_to_phys(shared);\n"
                 "}\n");
  EXPECT_EQ(found(A), V({"vmalloc-virt-to-phys@12", "vmalloc-virt-to-phys@13",
                         "vmalloc-virt-to-phys@13"}));
  EXPECT_EQ(A.Result.Findings[1].Class, "maybe-vmalloc"); // d->scratch
  EXPECT_EQ(A.Result.Findings[2].Class, "vmalloc");       // shared
}

TEST(ProvenanceFlow, FieldTestedByTheCallerOfTheSink) {
  auto A = pass2("struct pbl { void *buf; };\n"
                 "static u64 pbl_phys(struct pbl *p) {\n"
                 "  return virt_to_phys(p->buf);\n"
                 "}\n"
                 "u64 checked(struct pbl *p, unsigned long n) {\n"
                 "  p->buf = kvmalloc(n, GFP_KERNEL);\n"
                 "  if (is_vmalloc_addr(p->buf)) return 0;\n"
                 "  return pbl_phys(p);\n"
                 "}\n"
                 "u64 unchecked(struct pbl *p, unsigned long n) {\n"
                 "  p->buf = vmalloc(n);\n"
                 "  return pbl_phys(p);\n"
                 "}\n");
  EXPECT_EQ(found(A), V({"vmalloc-virt-to-phys@12"}));
}

TEST(ProvenanceFlow, AddressPassedOutIsForgotten) {
  auto A = pass2("void get_buf(void **out);\n"
                 "u64 f(unsigned long n) {\n"
                 "  void *p = vmalloc(n);\n"
                 "  get_buf(&p);\n"
                 "  return virt_to_phys(p);\n"
                 "}\n");
  EXPECT_EQ(found(A), V{});
}

TEST(ProvenanceFlow, StackBuffers) {
  auto A = pass2("struct cmd { u8 op, arg[7]; };\n"
                 "int f(struct usb_device *u, struct scatterlist *sg) {\n"
                 "  u8 buf[8]; struct cmd c; int actual;\n"
                 "  u8 *heap = kzalloc(8, GFP_KERNEL);\n"
                 "  usb_bulk_msg(u, 1, heap, 8, &actual, 100);\n"
                 "  sg_init_one(sg, &c, sizeof(c));\n"
                 "  return usb_bulk_msg(u, 1, buf, 8, &actual, 100);\n"
                 "}\n");
  EXPECT_EQ(found(A), V({"vmalloc-stack-dma@6", "vmalloc-stack-dma@7"}));
  EXPECT_NE(A.Result.Findings[1].Message.find("('buf')"), std::string::npos);
}

TEST(ProvenanceFlow, Dma32DeviceNeedsVmalloc32) {
  const std::string Body =
      "void f(void *regs, u32 *desc, unsigned long n) {\n"
      "  void *fb = vmalloc(n), *fb32 = vmalloc_32(n);\n"
      "  writel(vmalloc_to_pfn(fb), regs);\n"
      "  writel(vmalloc_to_pfn(fb32), regs);\n"
      "  desc[0] = (u32)page_to_pfn(vmalloc_to_page(fb));\n"
      "}\n";
  // No mask in the file: the default 32-bit mask; MMIO writes are reported,
  // descriptor stores need an explicit mask.
  EXPECT_EQ(found(pass2(Body)), V({"vmalloc-dma32-device@3"}));
  EXPECT_EQ(found(pass2(Body + "int probe(struct device *d) {\n"
                               "  return dma_set_mask(d, DMA_BIT_MASK(32));\n"
                               "}\n")),
            V({"vmalloc-dma32-device@3", "vmalloc-dma32-device@5"}));
  EXPECT_EQ(found(pass2(Body + "int probe(struct device *d) {\n"
                               "  return dma_set_mask(d, DMA_BIT_MASK(64));\n"
                               "}\n")),
            V{});
}

TEST(ProvenanceFlow, FreesFollowTheAllocatorChoice) {
  auto A = pass2("void f(unsigned long n) {\n"
                 "  void *p = n > 4096 ? vmalloc(n) : kmalloc(n, GFP_KERNEL);\n"
                 "  if (n > 4096) vfree(p); else kfree(p);\n"
                 "  void *v = vmap(0, 1, 0, 0);\n"
                 "  kfree(v);\n"
                 "  void *k = kvmalloc(n, GFP_KERNEL);\n"
                 "  vfree(k);\n"
                 "  kvfree(kvmalloc(n, GFP_KERNEL));\n"
                 "}\n");
  EXPECT_EQ(found(A),
            V({"vmalloc-free-mismatch@5", "vmalloc-free-mismatch@7"}));
}

// One call of a "kmalloc, else vmalloc" helper (4.12's ip_set_alloc()) may
// return either kind: kfree() or vfree() alone of its result is wrong, as of
// kvmalloc() memory; kvfree() and the free is_vmalloc_addr() picks are right;
// inside the helper each path frees its own kind.
TEST(ProvenanceFlow, AHelperReturningEitherKindIsMaybeVmalloc) {
  auto A = pass2("static void *set_alloc(unsigned long n, int t) {\n"
                 "  void *m = n < 4096 ? kzalloc(n, GFP_KERNEL) : 0;\n"
                 "  if (m) { if (t) { kfree(m); return 0; } return m; }\n"
                 "  m = vzalloc(n);\n"
                 "  if (m && t) { vfree(m); return 0; }\n"
                 "  return m;\n"
                 "}\n"
                 "void f(unsigned long n) {\n"
                 "  void *a = set_alloc(n, 0);\n"
                 "  kfree(a);\n"
                 "  void *b = set_alloc(n, 0);\n"
                 "  vfree(b);\n"
                 "  kvfree(set_alloc(n, 0));\n"
                 "  void *c = set_alloc(n, 0);\n"
                 "  if (is_vmalloc_addr(c)) vfree(c); else kfree(c);\n"
                 "  void *d = n > 4096 ? vzalloc(n) : kzalloc(n, GFP_KERNEL);\n"
                 "  if (n > 4096) vfree(d); else kfree(d);\n"
                 "}\n");
  EXPECT_EQ(found(A),
            V({"vmalloc-free-mismatch@10", "vmalloc-free-mismatch@12"}));
  ASSERT_EQ(A.Result.Findings.size(), 2u);
  const Finding &F = A.Result.Findings.front();
  EXPECT_EQ(F.Class, "maybe-vmalloc");
  EXPECT_NE(F.Message.find("use kvfree()"), std::string::npos) << F.Message;
  EXPECT_NE(F.Message.find("set_alloc()"), std::string::npos) << F.Message;
}

TEST(ProvenanceFlow, OnlySelectedChecksRun) {
  auto A = analyse(std::string(MemHeader) +
                       "void f(unsigned long n) { kfree(vmalloc(n)); }\n",
                   "6.1", {}, "vmalloc-*,-vmalloc-free-mismatch");
  EXPECT_TRUE(A.Result.Findings.empty());
}

// ---- budget ----------------------------------------------------------------

TEST(Provenance, AFunctionOverTheCfgBudgetIsNotFollowedAndSaysSo) {
  // The same mismatch, in a small function and behind 3,000 branches (over
  // 5,000 CFG blocks, as in 5.8's hns_roce_srq.c alloc_srq_buf()): the
  // second is not followed, and the result names it.
  std::string Big = "void big(int *n)\n{\n\tvoid *p = vzalloc(64);\n";
  for (int I = 0; I < 3000; ++I)
    Big += "\tif (n[" + std::to_string(I) + "])\n\t\tn[0]++;\n";
  Big += "\tkfree(p);\n}\n";
  Analysed A = pass2("void small(void)\n{\n\tvoid *p = vzalloc(64);\n"
                     "\tkfree(p);\n}\n" +
                     Big);
  EXPECT_EQ(found(A), V{"vmalloc-free-mismatch@4"});
  ASSERT_EQ(A.Result.NotFollowed.size(), 1u);
  EXPECT_EQ(A.Result.NotFollowed[0].rfind("big (/vl/test.c:", 0), 0u)
      << A.Result.NotFollowed[0];
  EXPECT_NE(A.Result.NotFollowed[0].find(
                "blocks): its control-flow graph is over the budget of "
                "5000 blocks"),
            std::string::npos)
      << A.Result.NotFollowed[0];
}

TEST(Provenance, AFunctionOverTheStateBudgetIsNotFollowedAndSaysSo) {
  // Under the CFG budget (2,000 branches), but 250 pointers live from the
  // first line to the last across every block: over 500,000 values held
  // by the blocks' states together. The same mismatch in a small function
  // is reported; in the large one it is not, and the result names it.
  std::string Big = "void big(int *n)\n{\n\tvoid *p = vzalloc(64);\n";
  for (int I = 0; I < 250; ++I)
    Big += "\tvoid *q" + std::to_string(I) + " = vzalloc(64);\n";
  for (int I = 0; I < 2000; ++I)
    Big += "\tif (n[" + std::to_string(I) + "])\n\t\tn[0]++;\n";
  for (int I = 0; I < 250; ++I)
    Big += "\tvfree(q" + std::to_string(I) + ");\n";
  Big += "\tkfree(p);\n}\n";
  Analysed A = pass2("void small(void)\n{\n\tvoid *p = vzalloc(64);\n"
                     "\tkfree(p);\n}\n" +
                     Big);
  EXPECT_EQ(found(A), V{"vmalloc-free-mismatch@4"});
  ASSERT_EQ(A.Result.NotFollowed.size(), 1u);
  EXPECT_EQ(A.Result.NotFollowed[0].rfind("big (/vl/test.c:", 0), 0u)
      << A.Result.NotFollowed[0];
  EXPECT_NE(A.Result.NotFollowed[0].find(
                "blocks): its dataflow state is over the budget of 500000 "
                "entries"),
            std::string::npos)
      << A.Result.NotFollowed[0];
}

TEST(Provenance, LocalsNoLaterStatementReadsAreNotKeptInTheState) {
  // 6.1's lib/overflow_kunit.c: macro-unrolled tests, each declaring its
  // own locals and reading them only inside its expansion. 1,500 such
  // blocks in one function: kept to its end, their values alone would be
  // over the state budget (about 2,500 blocks times 1,500 pointers); only
  // what a later statement reads is kept, and the function is followed.
  std::string Wide = "void wide(int *n)\n{\n\tvoid *p = vzalloc(64);\n";
  for (int I = 0; I < 1500; ++I)
    Wide += "\t{\n\t\tvoid *q = vzalloc(8);\n\t\tif (n[" + std::to_string(I) +
            "])\n\t\t\tn[0]++;\n\t\tvfree(q);\n\t}\n";
  Wide += "\tkfree(p);\n}\n";
  Analysed A = pass2(Wide);
  EXPECT_TRUE(A.Result.NotFollowed.empty())
      << (A.Result.NotFollowed.empty() ? "" : A.Result.NotFollowed[0]);
  EXPECT_EQ(found(A),
            V{"vmalloc-free-mismatch@" + std::to_string(4 + 6 * 1500)});
}

TEST(Provenance, ALocalReadAfterItsLastMentionThroughACondition) {
  // `vm` keeps what its condition reads: p, tested through it at the
  // branch after p's last mention by name before the frees.
  Analysed A = pass2("void f(unsigned long n)\n{\n\tvoid *p = kvmalloc(n, "
                     "GFP_KERNEL);\n\tvoid *q = p;\n\tbool vm = "
                     "is_vmalloc_addr(q);\n\tif (vm)\n\t\tvfree(p);\n"
                     "\telse\n\t\tkfree(p);\n}\n");
  EXPECT_EQ(found(A), V{});
}

TEST(Provenance, StackBuffersAreReportedInTreesBeforeVmapStack) {
  // 4.8 has no CONFIG_VMAP_STACK, but its code is what the 4.9-4.12 "don't
  // do DMA on stack" fixes changed (bench/realbugs RB01-RB15 are 4.8.15
  // code): the check applies to every kernel.
  std::string Code = "int f(struct usb_device *u)\n{\n\tu8 buf[4];\n\tint n;\n"
                     "\treturn usb_bulk_msg(u, 0, buf, 4, &n, 100);\n}\n";
  for (const char *V : {"4.8", "6.1"}) {
    Analysed A =
        analyse(std::string(MemHeader) + Code, V, {}, "-*,vmalloc-stack-dma");
    EXPECT_EQ(checks(A), std::vector<std::string>{"vmalloc-stack-dma"}) << V;
  }
}

TEST(Provenance, StackBuffersOnlyWhereTheArchCanHaveVmapStack) {
  // The Arches column (HAVE_ARCH_VMAP_STACK) gates the row through the
  // tree's arch facts: um selects it, m68k does not; no facts (no tree):
  // every arch.
  std::string Code = "int f(struct usb_device *u)\n{\n\tu8 buf[4];\n\tint n;\n"
                     "\treturn usb_bulk_msg(u, 0, buf, 4, &n, 100);\n}\n";
  auto Facts = std::make_shared<KernelArchFacts>();
  Facts->Arches = {"m68k", "um", "x86"};
  Facts->Selecting["HAVE_ARCH_VMAP_STACK"] = {"um", "x86"};
  Facts->ConfiguredArch = "x86";
  auto Run = [&](std::shared_ptr<const KernelArchFacts> F,
                 const std::string &Arch) {
    AnalysisOptions O;
    O.ArchFacts = std::move(F);
    O.Arch = Arch;
    return checks(analyse(std::string(MemHeader) + Code, "6.1", {},
                          "-*,vmalloc-stack-dma", O));
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(Run(Facts, "um"), V{"vmalloc-stack-dma"});
  EXPECT_EQ(Run(Facts, "m68k"), V{});
  EXPECT_EQ(Run(nullptr, "m68k"), V{"vmalloc-stack-dma"});
  // An arch the facts have no Kconfig for: no data, the check runs.
  EXPECT_EQ(Run(Facts, "sparc"), V{"vmalloc-stack-dma"});
  // The configured arch of a prepared tree: CONFIG_VMAP_STACK decides.
  Facts->Configured["HAVE_ARCH_VMAP_STACK"] = false;
  EXPECT_EQ(Run(Facts, "x86"), V{});
  EXPECT_EQ(Run(Facts, "um"), V{"vmalloc-stack-dma"});
}
