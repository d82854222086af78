// Fuzz target: the prefilter's text scanner (tool/Prefilter.h,
// matchers/text/CodeText.h): #include lines, comment stripping, #define
// and function definitions, keyword scans, and the plan of a run whose
// inputs are the bytes as a .c file and as a header it includes.
// Properties: stripping comments keeps the length and every newline; a
// keyword that firstMention() finds is a keyword.
#include "matchers/text/CodeText.h"
#include "tool/Prefilter.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include "FuzzCheck.h"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <unistd.h>

using namespace vmalloc_lint;

namespace {

std::string Dir;

void writeFile(const std::string &Path, llvm::StringRef Text) {
  std::error_code EC;
  llvm::raw_fd_ostream OS(Path, EC);
  FUZZ_CHECK(!EC);
  OS << Text;
}
} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  llvm::SmallString<128> D;
  FUZZ_CHECK(!llvm::sys::fs::createUniqueDirectory("vl-fuzz-prefilter", D));
  Dir = std::string(D);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef Text(reinterpret_cast<const char *>(Data), Size);

  (void)includeLines(Text);

  std::string Stripped = stripComments(Text);
  FUZZ_CHECK(Stripped.size() == Text.size());
  for (size_t I = 0; I < Text.size(); ++I)
    FUZZ_CHECK((Text[I] == '\n') == (Stripped[I] == '\n'));

  std::vector<Definition> Defs = definitions(Text);
  functionDefinitions(Stripped, Defs);
  KeywordSet Keywords({"vmalloc", "__vmalloc", "__GFP_HIGHMEM", "kvmalloc"});
  llvm::StringRef First = Keywords.firstMention(Text);
  FUZZ_CHECK(First.empty() || Keywords.contains(First));
  (void)wrapperDefinitions(Text, Keywords);

  // The plan of a run over the bytes as a unit and as its header.
  writeFile(Dir + "/unit.c", Text);
  writeFile(Dir + "/unit.h", Text);
  PrefilterNeeds Needs;
  Needs.Groups = {{"vmalloc", "__vmalloc", "vmalloc_node"}, {"__GFP_HIGHMEM"}};
  Needs.Alternatives = {{0, 1}, {0}};
  Needs.FileWide = {0, 1};
  Needs.WrapperGroup = 0;
  Needs.BodyGroups = 1;
  PrefilterPlan Plan = planPrefilter({Dir + "/unit.c", Dir + "/unit.h"}, {},
                                     Needs, 1, PrefilterMemory::Free);
  FUZZ_CHECK(Plan.Keep.size() + Plan.Skip.size() == 2);
  FUZZ_CHECK(Plan.Unreadable.empty());
  return 0;
}
