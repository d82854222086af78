// The prefilter's groups (the names each TextGroup of the registry stands
// for) and the needs of the selected checks, from their registry rows.
#include "matchers/text/PrefilterNeeds.h"

#include "matchers/checks/CheckGlob.h"
#include "matchers/checks/CheckRegistry.h"
#include "matchers/kernel/ApiMigrations.h"
#include "matchers/kernel/KvmallocApi.h"
#include "matchers/kernel/MemoryApi.h"
#include "matchers/kernel/VmallocApi.h"
#include "matchers/provenance/CrossFileFacts.h"
#include "matchers/provenance/MemoryLattice.h"

#include <set>

namespace vmalloc_lint {

namespace {

constexpr unsigned group(TextGroup G) { return unsigned(G); }

/// The prefilter group of a sink kind.
TextGroup sinkGroup(SinkKind K) {
  switch (K) {
  case SinkKind::LinearMap:
    return TextGroup::LinearMapSink;
  case SinkKind::StreamDma:
  case SinkKind::UsbTransfer:
  case SinkKind::SpiTransfer:
    return TextGroup::DmaSink;
  case SinkKind::MmioWrite:
    return TextGroup::DeviceSink;
  case SinkKind::LinearFree:
    return TextGroup::LinearFreeSink;
  case SinkKind::VmallocFree:
    return TextGroup::VmallocFreeSink;
  }
  return TextGroup::PassTwo;
}

} // namespace

PrefilterNeeds prefilterNeeds(const CheckGlob &Glob, bool Census,
                              const CrossFileFacts *Imported,
                              bool ExportFacts) {
  using G = TextGroup;
  PrefilterNeeds N;
  N.Groups.resize(group(G::Count));
  auto Names = [&N](G Group) -> std::vector<std::string> & {
    return N.Groups[group(Group)];
  };
  for (const VmallocApiEntry &E : vmallocApi())
    Names(G::Family).push_back(E.Name);
  Names(G::PassTwo) = memoryApiNames();
  Names(G::PassTwo)
      .insert(Names(G::PassTwo).end(), Names(G::Family).begin(),
              Names(G::Family).end());
  Names(G::VmallocMemory) = Names(G::Family);
  // A guard tells what memory a value is: inside `if (is_vmalloc_addr(p))`
  // p is vmalloc memory whatever the unit allocates. The guards' own names
  // only: what mentions a guard is no guard.
  Names(G::Guard) = memoryGuardNames();
  N.Unclosed = 1u << group(G::Guard);
  for (const MemorySource &S : memorySources()) {
    if (S.Kind != SourceKind::Linear)
      Names(G::VmallocMemory).push_back(S.Name);
    if (S.Kind != SourceKind::Vmap)
      Names(G::LinearMemory).push_back(S.Name);
  }
  for (const MemorySink &S : memorySinks())
    Names(sinkGroup(S.Kind)).push_back(sinkTextName(S));
  for (const ApiMigration &M : apiMigrations())
    Names(G::Migration).push_back(M.Function);
  for (const LinearAllocator &A : linearAllocators())
    Names(G::KmallocSide).push_back(A.Name);
  for (const FallbackAllocator &A : fallbackAllocators())
    Names(G::VmallocFallback).push_back(A.Name);
  for (const std::string &S : dmaMaskSetterNames())
    Names(G::DeviceSink).push_back(S);
  // kvfree itself (a wrapper's body in the unit), and below the imported
  // wrappers: their names only, as the guards' (every function that calls
  // kvfree() would join the group otherwise; a wrapper a header defines is
  // not seen: its callers do not mention kvfree).
  for (const FreeChoice &C : freeChoices())
    Names(G::KvfreeWrapper).push_back(C.Helper);
  N.Unclosed |= 1u << group(G::KvfreeWrapper);
  // Imported facts: a call of another file's wrapper is a family call; a
  // function returning memory, a field or global holding it, is a source of
  // that memory; a function whose parameter reaches a sink is that sink.
  if (Imported) {
    const uint16_t Vm = mem::VmallocArea | mem::MaybeVmalloc | mem::Mixed |
                        mem::PageAddr | mem::PageAddrMaybe;
    auto Memory = [&](const std::string &Name, const MemFact &M) {
      if (M.Kinds & Vm)
        Names(G::VmallocMemory).push_back(Name);
      if (M.Kinds & (mem::Linear | mem::MaybeVmalloc | mem::Mixed))
        Names(G::LinearMemory).push_back(Name);
      if (!M.bottom())
        Names(G::PassTwo).push_back(Name);
    };
    for (const auto &[Name, W] : Imported->Wrappers) {
      Names(G::Family).push_back(Name);
      Names(G::VmallocMemory).push_back(Name);
      Names(G::PassTwo).push_back(Name);
    }
    for (const auto &[Name, F] : Imported->Functions) {
      Memory(Name, F.Returns);
      for (const auto &[Param, Sinks] : F.ParamSinks)
        for (const SinkFact &S : Sinks)
          if (const MemorySink *Row = lookupMemorySink(S.Sink))
            Names(sinkGroup(Row->Kind)).push_back(Name);
      Names(G::PassTwo).push_back(Name);
    }
    // A call of another file's open-coded kvmalloc helper is both
    // allocations (vmalloc-open-coded-kvmalloc's need).
    for (const auto &[Name, H] : Imported->KvHelpers)
      for (G Group : {G::LinearMemory, G::VmallocMemory, G::KmallocSide,
                      G::VmallocFallback})
        Names(Group).push_back(Name);
    for (const auto &[Name, W] : Imported->KvfreeWrappers)
      Names(G::KvfreeWrapper).push_back(Name);
    for (const auto &[K, M] : Imported->Fields)
      Memory(K.second, M);
    for (const auto &[Name, M] : Imported->Globals)
      Memory(Name, M);
  }
  // The flag macros and their ___GFP_*(_BIT) building blocks (6.1, 6.8+).
  auto Flag = [&](G Group, const char *F) {
    for (std::string S : {std::string("__GFP_") + F, std::string("___GFP_") + F,
                          std::string("___GFP_") + F + "_BIT"})
      Names(Group).push_back(std::move(S));
  };
  Flag(G::Highmem, "HIGHMEM");
  Flag(G::HighmemDma32, "HIGHMEM");
  Flag(G::HighmemDma32, "DMA32");
  for (const char *F : {"HIGHMEM", "DMA32", "DMA", "MOVABLE"})
    Flag(G::Zone, F);

  std::set<std::vector<unsigned>> Alt, FileWide;
  auto Need = [&](const std::vector<G> &Groups, bool Wide) {
    std::vector<unsigned> A;
    for (G X : Groups)
      A.push_back(group(X));
    Alt.insert(A);
    if (Wide)
      FileWide.insert(A);
  };
  if (Census)
    Need({G::Family}, false);
  // --facts-out: every unit that can define a wrapper or hold a pass-2 fact
  // (it names the family or a memory API name), whatever the checks.
  if (ExportFacts)
    Need({G::PassTwo}, false);
  for (const CheckRow &Row : checkRegistry())
    if (Glob.enabled(Row.Name))
      for (const TextNeed &T : Row.Prefilter)
        Need(T.Groups, T.FileWide);
  N.Alternatives.assign(Alt.begin(), Alt.end());
  for (const std::vector<unsigned> &A : N.Alternatives)
    N.FileWide.push_back(FileWide.count(A));
  N.WrapperGroup = group(G::Family);
  // A body matters when it names the API of a selected check: the family
  // for pass 1, every pass-2 group a selected check uses for pass 2 (they
  // hold the family).
  N.BodyGroups = 1u << group(G::Family);
  for (const std::vector<unsigned> &A : N.Alternatives)
    for (unsigned X : A)
      if (X == group(G::PassTwo) || X >= group(G::VmallocMemory))
        N.BodyGroups |= 1u << X;
  return N;
}

} // namespace vmalloc_lint
