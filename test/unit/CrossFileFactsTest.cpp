// Cross-file facts: the JSON lines format (round trip, order, errors), the
// join, and the analyses exporting and importing them.
#include "TestSupport.h"

#include "matchers/checks/SinkCheck.h"
#include "matchers/provenance/CrossFileFacts.h"
#include "matchers/provenance/MemoryLattice.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/xxhash.h"

#include <gtest/gtest.h>

using namespace vmalloc_lint;
using namespace vmalloc_lint::test;

namespace {

FactPoint at(const std::string &File, unsigned Line, unsigned Col = 1) {
  return {File, Line, Col};
}

MemFact memFact(uint16_t Kinds, const std::string &Callee, FactPoint Where) {
  MemFact M;
  M.Kinds = Kinds;
  for (unsigned I = 0; I < MemValue::NumKinds; ++I)
    if (Kinds & (1u << I))
      M.Origins[1u << I] = {Callee, Where};
  return M;
}

/// One fact of every kind, in the tree /t.
CrossFileFacts sample() {
  CrossFileFacts F;
  WrapperFact W;
  W.Def = at("/t/drivers/a.c", 17, 7);
  W.GfpParam = 1;
  W.Allocator = "__vmalloc";
  W.Added = 0x100;
  W.Via = {"vlx_alloc"};
  F.addWrapper("vlx_alloc", W);
  FunctionFact &Get = F.Functions["vlx_buf_get"];
  Get.Def = at("/t/drivers/a.c", 22, 7);
  Get.Returns = memFact(mem::Vmalloc, "vzalloc", at("/t/drivers/a.c", 24, 12));
  FunctionFact &Page = F.Functions["vlx_first_page"];
  Page.Def = at("/t/drivers/a.c", 47, 14);
  Page.Returns.Params = 1;
  Page.ParamSinks[0].insert({"virt_to_page", at("/t/drivers/a.c", 49, 9)});
  Page.ParamFields[1].insert({"vlx_dev", "scratch"});
  F.Fields[{"vlx_dev", "buf"}] =
      memFact(mem::Vmalloc, "vmalloc", at("/t/drivers/a.c", 36, 11));
  F.Globals["vlx_global_buf"] =
      memFact(mem::Vmalloc, "vzalloc", at("/outside/x.c", 39, 19));
  return F;
}

} // namespace

TEST(CrossFileFacts, RoundTripIsExact) {
  CrossFileFacts F = sample();
  std::string Text = writeFactsJsonl(F, "/t");
  EXPECT_TRUE(looksLikeFacts(Text));
  // Paths under the root are relative, others absolute.
  EXPECT_NE(Text.find("\"file\":\"drivers/a.c\""), std::string::npos);
  EXPECT_NE(Text.find("\"file\":\"/outside/x.c\""), std::string::npos);
  CrossFileFacts Back;
  ASSERT_EQ(readFactsJsonl(Text, "/t", Back), "");
  EXPECT_EQ(writeFactsJsonl(Back, "/t"), Text);
  EXPECT_EQ(Back.records(), 7u); // wrapper, 2 returns, sink, field x2, global
  EXPECT_EQ(Back.Wrappers.at("vlx_alloc").Added, 0x100u);
  EXPECT_EQ(Back.Wrappers.at("vlx_alloc").Def.File, "/t/drivers/a.c");
  EXPECT_EQ(Back.Functions.at("vlx_first_page").ParamSinks.at(0).begin()->Sink,
            "virt_to_page");
  EXPECT_EQ(Back.Functions.at("vlx_first_page").Returns.Params, 1u);
  EXPECT_EQ(Back.Fields.at({"vlx_dev", "buf"}).Kinds, mem::Vmalloc);
  // One header line, then one record per line; the first is the wrapper.
  llvm::StringRef T(Text);
  EXPECT_EQ(T.split('\n').first,
            "{\"digest\":\"" +
                llvm::formatv("{0:x}", llvm::xxh3_64bits(T.split('\n').second))
                    .str() +
                "\",\"kind\":\"vmalloc-lint-facts\",\"records\":7,"
                "\"version\":4}");
  EXPECT_TRUE(T.split('\n').second.starts_with("{\"added\":\"0x100\""));
  EXPECT_EQ(T.count('\n'), 8u);
}

TEST(CrossFileFacts, JoinIsCommutativeAndKeepsTheFirstOrigin) {
  CrossFileFacts A, B;
  A.Fields[{"s", "p"}] = memFact(mem::Vmalloc, "vmalloc", at("/t/b.c", 5));
  B.Fields[{"s", "p"}] =
      memFact(mem::Vmalloc | mem::Linear, "kmalloc", at("/t/a.c", 9));
  B.Fields[{"s", "p"}].Origins[mem::Vmalloc] = {"vzalloc", at("/t/c.c", 1)};
  WrapperFact W1, W2;
  W1.Def = at("/t/b.c", 3);
  W1.Added = 0x102;
  W1.Cleared = 0x10;
  W1.Allocator = "__vmalloc";
  W2 = W1;
  W2.Def = at("/t/a.c", 3);
  W2.Added = 0x100;
  W2.Allocator = "__vmalloc_node";
  A.addWrapper("w", W1);
  B.addWrapper("w", W2);
  CrossFileFacts AB = A, BA = B;
  AB.join(B);
  BA.join(A);
  EXPECT_EQ(writeFactsJsonl(AB, "/t"), writeFactsJsonl(BA, "/t"));
  const MemFact &P = AB.Fields.at({"s", "p"});
  EXPECT_EQ(P.Kinds, mem::Vmalloc | mem::Linear);
  EXPECT_EQ(P.Origins.at(mem::Vmalloc).Callee, "vmalloc"); // b.c < c.c
  EXPECT_EQ(P.Origins.at(mem::Linear).Callee, "kmalloc");
  // A wrapper seen twice: bits every definition adds, the first definition.
  const WrapperFact &W = AB.Wrappers.at("w");
  EXPECT_EQ(W.Added, 0x100u);
  EXPECT_EQ(W.Cleared, 0x10u);
  EXPECT_EQ(W.Def.File, "/t/a.c");
  EXPECT_EQ(W.Allocator, "__vmalloc_node");
  // Idempotent: joining again changes nothing.
  CrossFileFacts Again = AB;
  Again.join(B);
  EXPECT_EQ(writeFactsJsonl(Again, "/t"), writeFactsJsonl(AB, "/t"));
}

TEST(CrossFileFacts, ReadingRejectsWhatIsNotFacts) {
  CrossFileFacts F;
  // An empty file is none the tool wrote (it always writes the header).
  EXPECT_EQ(readFactsJsonl("", "/t", F),
            "empty: no header record (a facts file always has one)");
  EXPECT_EQ(readFactsJsonl("\n\n", "/t", F),
            "empty: no header record (a facts file always has one)");
  EXPECT_FALSE(looksLikeFacts(""));
  EXPECT_FALSE(looksLikeFacts("{\"findings\": []}"));
  EXPECT_NE(readFactsJsonl("{\"findings\": []}\n", "/t", F)
                .find("not a vmalloc-lint facts file"),
            std::string::npos);
  auto WithHeader = [](const std::string &Records) {
    return factsHeader(Records) + Records;
  };
  EXPECT_EQ(readFactsJsonl(WithHeader("{\"kind\":\"nonsense\"}\n"), "/t", F),
            "line 2: unknown kind 'nonsense'");
  EXPECT_EQ(readFactsJsonl(WithHeader("{\"kind\":\"returns\"}\n"), "/t", F),
            "line 2: returns record: no string 'function'");
  EXPECT_EQ(
      readFactsJsonl(WithHeader("not json\n"), "/t", F).rfind("line 2: ", 0),
      0u);
  // Another version is refused with both versions and what to do: a newer
  // file may hold kinds this tool does not know, an older one lacks kinds
  // this tool writes (version 3 had no kvmalloc-helper-call records), and a
  // record skipped would be findings lost without a word.
  EXPECT_EQ(readFactsJsonl("{\"kind\":\"vmalloc-lint-facts\",\"version\":5}",
                           "/t", F),
            "line 1: facts format version 5, this vmalloc-lint reads version 4 "
            "(the file was written by a newer vmalloc-lint): write it again "
            "with this one");
  EXPECT_EQ(readFactsJsonl("{\"kind\":\"vmalloc-lint-facts\",\"version\":1}\n",
                           "/t", F),
            "line 1: facts format version 1, this vmalloc-lint reads version 4 "
            "(the file was written by an older vmalloc-lint): write it again "
            "with this one");
  EXPECT_EQ(readFactsJsonl("{\"kind\":\"vmalloc-lint-facts\"}\n", "/t", F),
            "line 1: header record without a 'version'");
  EXPECT_EQ(readFactsJsonl("{\"kind\":\"vmalloc-lint-facts\",\"version\":4}\n",
                           "/t", F),
            "line 1: header record without 'records' and 'digest'");
  // A whole version 3 file, as the tool of before the kvmalloc-helper-call
  // records wrote it (count and digest right): refused by its version.
  {
    std::string Records = "{\"column\":7,\"file\":\"a.c\",\"function\":\"f\","
                          "\"kind\":\"returns\",\"kinds\":[\"vmalloc\"],"
                          "\"line\":1,\"origins\":[]}\n";
    std::string V4 = factsHeader(Records);
    std::string V3 = V4;
    V3.replace(V3.find("\"version\":4"), 11, "\"version\":3");
    EXPECT_EQ(readFactsJsonl(V3 + Records, "/t", F),
              "line 1: facts format version 3, this vmalloc-lint reads "
              "version 4 (the file was written by an older vmalloc-lint): "
              "write it again with this one");
  }
  EXPECT_TRUE(F.empty()); // nothing joined from a bad file
}

TEST(CrossFileFacts, ReadingRefusesATruncatedOrChangedFile) {
  CrossFileFacts Facts;
  Facts.Fields[{"vlx_dev", "buf"}] =
      memFact(mem::Vmalloc, "vmalloc", at("/t/drivers/a.c", 36));
  Facts.Globals["vlx_global_buf"] =
      memFact(mem::Vmalloc, "vzalloc", at("/t/drivers/a.c", 39));
  Facts.Fields[{"vlx_dev", "scratch"}] =
      memFact(mem::Linear, "kmalloc", at("/t/drivers/a.c", 41));
  std::string Text = writeFactsJsonl(Facts, "/t");
  CrossFileFacts F;
  ASSERT_EQ(readFactsJsonl(Text, "/t", F), "");
  EXPECT_EQ(F.records(), 3u);
  // Cut at a line boundary: every line is a good record, one is missing.
  size_t LastLine = Text.rfind('\n', Text.size() - 2) + 1;
  CrossFileFacts G;
  EXPECT_EQ(readFactsJsonl(Text.substr(0, LastLine), "/t", G),
            "the records do not match the header's digest (the file is "
            "truncated or corrupted)");
  // Cut in a line, one byte changed (still JSON), the header line only.
  EXPECT_NE(readFactsJsonl(Text.substr(0, Text.size() - 5), "/t", G), "");
  std::string Flipped = Text;
  size_t Name = Flipped.find("vlx_global_buf");
  ASSERT_NE(Name, std::string::npos);
  Flipped[Name + 4] = 'G';
  EXPECT_EQ(readFactsJsonl(Flipped, "/t", G),
            "the records do not match the header's digest (the file is "
            "truncated or corrupted)");
  EXPECT_NE(readFactsJsonl(Text.substr(0, Text.find('\n') + 1), "/t", G), "");
  // A header whose count disagrees with its records (digest recomputed).
  std::string Records = Text.substr(Text.find('\n') + 1);
  std::string Header = factsHeader(Records);
  size_t Count = Header.find("\"records\":3");
  ASSERT_NE(Count, std::string::npos);
  Header[Count + 10] = '4';
  EXPECT_EQ(readFactsJsonl(Header + Records, "/t", G),
            "the header says 4 records, the file holds 3 (truncated or "
            "corrupted)");
  EXPECT_TRUE(G.empty()); // nothing joined from any of them
}

// ---- the analyses --------------------------------------------------------

namespace {

const char *Decls = R"(
void *__vmalloc(unsigned long size, gfp_t gfp_mask);
void *vzalloc(unsigned long size);
void *kmalloc(size_t size, gfp_t flags);
typedef unsigned long long u64;
static inline u64 virt_to_phys(volatile void *address) { return (u64)address; }
)";

AnalysisOptions exporting() {
  AnalysisOptions O;
  O.ExportFacts = true;
  return O;
}

AnalysisOptions importing(const CrossFileFacts &F) {
  AnalysisOptions O;
  auto P = std::make_shared<CrossFileFacts>(F);
  P->numberOrigins();
  O.Imported = P;
  return O;
}

} // namespace

TEST(CrossFileFactsAnalysis, ExportsExternalFunctionsOnly) {
  Analysed A = analyse(std::string(Decls) + R"(
void *my_alloc(unsigned long n, gfp_t gfp) { return __vmalloc(n, gfp); }
static void *my_static(unsigned long n, gfp_t gfp) { return __vmalloc(n, gfp); }
void *my_buf(unsigned long n) { void *p = vzalloc(n); return p; }
static void *my_static_buf(unsigned long n) { return vzalloc(n); }
u64 my_phys(void *p) { return virt_to_phys(p); }
void *use(unsigned long n) { return my_static(n, GFP_KERNEL) + (long)my_static_buf(n); }
)",
                       "6.1", {}, "vmalloc-*", exporting());
  const CrossFileFacts &F = A.Result.Facts;
  ASSERT_EQ(F.Wrappers.size(), 1u);
  const WrapperFact &W = F.Wrappers.at("my_alloc");
  EXPECT_EQ(W.GfpParam, 1u);
  EXPECT_EQ(W.Allocator, "__vmalloc");
  EXPECT_EQ(W.Def.File, "/vl/test.c");
  EXPECT_EQ(F.Functions.count("my_static"), 0u);
  EXPECT_EQ(F.Functions.count("my_static_buf"), 0u);
  EXPECT_EQ(F.Functions.at("my_buf").Returns.Kinds, mem::Vmalloc);
  EXPECT_EQ(F.Functions.at("my_buf").Returns.Origins.at(mem::Vmalloc).Callee,
            "vzalloc");
  EXPECT_EQ(F.Functions.at("my_phys").ParamSinks.at(0).begin()->Sink,
            "virt_to_phys");
  // Without ExportFacts nothing is exported.
  Analysed B = analyse(std::string(Decls) + "void *f(unsigned long n, gfp_t "
                                            "g) { return __vmalloc(n, g); }");
  EXPECT_TRUE(B.Result.Facts.empty());
}

TEST(CrossFileFactsAnalysis, ImportedFactsMakeSitesAndFindings) {
  CrossFileFacts F;
  WrapperFact W;
  W.Def = at("/elsewhere/alloc.c", 17, 7);
  W.GfpParam = 1;
  W.Allocator = "__vmalloc";
  W.Via = {"ext_alloc"};
  F.addWrapper("ext_alloc", W);
  F.Functions["ext_buf"].Def = at("/elsewhere/alloc.c", 22);
  F.Functions["ext_buf"].Returns =
      memFact(mem::Vmalloc, "vzalloc", at("/elsewhere/alloc.c", 24, 12));
  F.Functions["ext_phys"].Def = at("/elsewhere/alloc.c", 30);
  F.Functions["ext_phys"].ParamSinks[0].insert(
      {"virt_to_page", at("/elsewhere/alloc.c", 32, 9)});
  std::string Code = std::string(Decls) + R"(
void *ext_alloc(unsigned long n, gfp_t gfp);
void *ext_buf(unsigned long n);
u64 ext_phys(void *p);
void *a(unsigned long n) { return ext_alloc(n, GFP_KERNEL | __GFP_HIGHMEM); }
u64 b(unsigned long n) { return virt_to_phys(ext_buf(n)); }
u64 c(unsigned long n) { return ext_phys(vzalloc(n)); }
u64 d(unsigned long n) { return ext_phys(kmalloc(n, GFP_KERNEL)); }
)";
  // Per unit: nothing.
  EXPECT_TRUE(analyse(Code).Result.Findings.empty());
  Analysed A = analyse(Code, "6.1", {}, "vmalloc-*", importing(F));
  ASSERT_EQ(A.Result.Findings.size(), 3u);
  const Finding &High = A.Result.Findings[0];
  EXPECT_EQ(High.Check, "vmalloc-redundant-highmem");
  EXPECT_NE(High.Message.find("ext_alloc() -> __vmalloc()"), std::string::npos);
  ASSERT_FALSE(High.Notes.empty());
  EXPECT_EQ(High.Notes[0].Where.File, "/elsewhere/alloc.c");
  EXPECT_EQ(High.Notes[0].Where.Line, 17u);
  const Finding &Ret = A.Result.Findings[1];
  EXPECT_EQ(Ret.Check, "vmalloc-virt-to-phys");
  EXPECT_NE(Ret.Message.find("(from vzalloc())"), std::string::npos);
  ASSERT_EQ(Ret.Notes.size(), 1u);
  EXPECT_EQ(Ret.Notes[0].Where.File, "/elsewhere/alloc.c");
  EXPECT_EQ(Ret.Notes[0].Where.Line, 24u);
  const Finding &Sink = A.Result.Findings[2];
  EXPECT_EQ(Sink.Check, "vmalloc-virt-to-phys");
  EXPECT_NE(Sink.Message.find("passed to ext_phys() reaches virt_to_page()"),
            std::string::npos);
  EXPECT_EQ(Sink.Notes[0].Where.Line, 32u);
  // The census has the wrapper's caller as a site.
  bool Site = false;
  for (const CallSite &S : A.Result.Sites)
    Site |= S.Callee == "ext_alloc" && S.Allocator == "__vmalloc";
  EXPECT_TRUE(Site);
  // A definition in the unit wins over an imported fact of the same name.
  Analysed Own = analyse(std::string(Decls) + R"(
static void *ext_buf(unsigned long n) { return kmalloc(n, GFP_KERNEL); }
u64 b(unsigned long n) { return virt_to_phys(ext_buf(n)); }
)",
                         "6.1", {}, "vmalloc-*", importing(F));
  EXPECT_TRUE(Own.Result.Findings.empty());
}
