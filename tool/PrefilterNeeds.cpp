#include "tool/PrefilterNeeds.h"

#include "matchers/CrossFileFacts.h"
#include "matchers/MemoryApi.h"
#include "matchers/Provenance.h"
#include "matchers/VmallocAnalysis.h"
#include "matchers/VmallocApi.h"

#include "llvm/ADT/StringRef.h"

#include <set>
#include <string>
#include <vector>

namespace vmalloc_lint {

PrefilterNeeds prefilterNeeds(const CheckGlob &Glob, bool Census,
                              const CrossFileFacts *Imported,
                              bool ExportFacts) {
  enum {
    Family,
    PassTwo, // every name of pass 2's tables and the family
    Highmem,
    HighmemDma32,
    Zone,
    // Pass 2, per check: the memory it is about and the sinks it watches.
    VmallocMemory, // the family, vmap sources
    Guard,         // is_vmalloc_addr ... (not closed over the headers)
    LinearMemory,  // slab, page allocator
    LinearMapSink, // virt_to_phys, __pa, virt_to_page ...
    DmaSink,       // streaming DMA, scatterlists, USB transfers
    DeviceSink,    // MMIO writes, DMA mask setters
    LinearFreeSink,
    VmallocFreeSink,
    NumGroups
  };
  PrefilterNeeds N;
  N.Groups.resize(NumGroups);
  for (const VmallocApiEntry &E : vmallocApi())
    N.Groups[Family].push_back(E.Name);
  N.Groups[PassTwo] = memoryApiNames();
  N.Groups[PassTwo].insert(N.Groups[PassTwo].end(), N.Groups[Family].begin(),
                           N.Groups[Family].end());
  N.Groups[VmallocMemory] = N.Groups[Family];
  // A guard tells what memory a value is: inside `if (is_vmalloc_addr(p))`
  // p is vmalloc memory whatever the unit allocates. The guards' own names
  // only: what mentions a guard is no guard.
  N.Groups[Guard] = memoryGuardNames();
  N.Unclosed = 1u << Guard;
  for (const MemorySource &S : memorySources())
    N.Groups[S.Kind == SourceKind::Vmap ? VmallocMemory : LinearMemory]
        .push_back(S.Name);
  auto SinkGroup = [](SinkKind K) -> int {
    switch (K) {
    case SinkKind::LinearMap:
      return LinearMapSink;
    case SinkKind::StreamDma:
    case SinkKind::UsbTransfer:
      return DmaSink;
    case SinkKind::MmioWrite:
      return DeviceSink;
    case SinkKind::LinearFree:
      return LinearFreeSink;
    case SinkKind::VmallocFree:
      return VmallocFreeSink;
    }
    return PassTwo;
  };
  for (const MemorySink &S : memorySinks())
    N.Groups[SinkGroup(S.Kind)].push_back(S.Name);
  for (const std::string &S : dmaMaskSetterNames())
    N.Groups[DeviceSink].push_back(S);
  // The flag macros and their ___GFP_*(_BIT) building blocks (6.1 and 6.8+).
  auto Flag = [](const char *F) {
    return std::vector<std::string>{std::string("__GFP_") + F,
                                    std::string("___GFP_") + F,
                                    std::string("___GFP_") + F + "_BIT"};
  };
  auto Add = [&](int G, const char *F) {
    for (std::string &S : Flag(F))
      N.Groups[G].push_back(std::move(S));
  };
  // Imported facts: a call of another file's wrapper is a family call; a
  // function returning memory, a field or global holding it, is a source of
  // that memory; a function whose parameter reaches a sink is that sink.
  if (Imported) {
    const uint16_t Vm = mem::VmallocArea | mem::MaybeVmalloc | mem::Mixed |
                        mem::PageAddr | mem::PageAddrMaybe;
    auto Memory = [&](const std::string &Name, const MemFact &M) {
      if (M.Kinds & Vm)
        N.Groups[VmallocMemory].push_back(Name);
      if (M.Kinds & (mem::Linear | mem::MaybeVmalloc | mem::Mixed))
        N.Groups[LinearMemory].push_back(Name);
      if (!M.bottom())
        N.Groups[PassTwo].push_back(Name);
    };
    for (const auto &[Name, W] : Imported->Wrappers) {
      N.Groups[Family].push_back(Name);
      N.Groups[VmallocMemory].push_back(Name);
      N.Groups[PassTwo].push_back(Name);
    }
    for (const auto &[Name, F] : Imported->Functions) {
      Memory(Name, F.Returns);
      for (const auto &[Param, Sinks] : F.ParamSinks)
        for (const SinkFact &S : Sinks)
          if (const MemorySink *Row = lookupMemorySink(S.Sink))
            N.Groups[SinkGroup(Row->Kind)].push_back(Name);
      N.Groups[PassTwo].push_back(Name);
    }
    for (const auto &[K, M] : Imported->Fields)
      Memory(K.second, M);
    for (const auto &[Name, M] : Imported->Globals)
      Memory(Name, M);
  }
  Add(Highmem, "HIGHMEM");
  Add(HighmemDma32, "HIGHMEM");
  Add(HighmemDma32, "DMA32");
  for (const char *F : {"HIGHMEM", "DMA32", "DMA", "MOVABLE"})
    Add(Zone, F);
  std::set<std::vector<unsigned>> Alt, FileWide;
  if (Census)
    Alt.insert({Family});
  // --facts-out: every unit that can define a wrapper or hold a pass-2 fact
  // (it names the family or a memory API name), whatever the checks.
  if (ExportFacts)
    Alt.insert({PassTwo});
  // Pass 2's memory and its sink may meet anywhere in a unit (through a
  // field, a global, another function of the unit).
  auto PassTwoAlt = [&](std::vector<unsigned> A) {
    Alt.insert(A);
    FileWide.insert(A);
  };
  for (const CheckInfo &C : allChecks()) {
    if (!Glob.enabled(C.Name))
      continue;
    llvm::StringRef Name(C.Name);
    if (Name == CheckRedundantHighmem)
      Alt.insert({Family, Highmem});
    else if (Name == CheckKvmallocHighmem)
      Alt.insert({Family, HighmemDma32});
    else if (Name == CheckZoneGfp)
      Alt.insert({Family, Zone});
    else if (Name == CheckLowmemGfp || Name == CheckUnsupportedGfp)
      Alt.insert({Family});
    else if (Name == CheckVirtToPhys) {
      PassTwoAlt({VmallocMemory, LinearMapSink});
      PassTwoAlt({Guard, LinearMapSink});
    } else if (Name == CheckDmaMap) {
      PassTwoAlt({VmallocMemory, DmaSink});
      PassTwoAlt({Guard, DmaSink});
    } else if (Name == CheckDma32Device) {
      PassTwoAlt({VmallocMemory, DeviceSink});
      PassTwoAlt({Guard, DeviceSink});
    } else if (Name == CheckFreeMismatch) {
      PassTwoAlt({VmallocMemory, LinearFreeSink});
      PassTwoAlt({Guard, LinearFreeSink});
      PassTwoAlt({LinearMemory, VmallocFreeSink});
      PassTwoAlt({Guard, VmallocFreeSink});
    } else if (Name == CheckStackDma)
      Alt.insert({DmaSink}); // a stack buffer has no name to look for
    else
      Alt.insert({PassTwo});
  }
  N.Alternatives.assign(Alt.begin(), Alt.end());
  for (const std::vector<unsigned> &A : N.Alternatives)
    N.FileWide.push_back(FileWide.count(A));
  N.WrapperGroup = Family;
  // A body matters when it names the API of a selected check: the family
  // for pass 1, every pass-2 group a selected check uses for pass 2 (they
  // hold the family).
  N.BodyGroups = 1u << Family;
  for (const std::vector<unsigned> &A : N.Alternatives)
    for (unsigned G : A)
      if (G == PassTwo || G >= VmallocMemory)
        N.BodyGroups |= 1u << G;
  return N;
}

} // namespace vmalloc_lint
