// Fuzz target: compile-database adjustment (tool/CompileFlags.h): a
// command of a compile_commands.json (the arguments, one per line of the
// input, the first line the file) made fit for analysis, whatever the
// arguments. Property: the result is a clang command line that names the
// file.
#include "tool/CompileFlags.h"

#include "llvm/ADT/StringRef.h"

#include "FuzzCheck.h"
#include <algorithm>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

using namespace vmalloc_lint;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::StringRef Text(reinterpret_cast<const char *>(Data), Size);
  auto [File, Rest] = Text.split('\n');
  std::vector<std::string> Command;
  while (!Rest.empty()) {
    auto [Arg, Tail] = Rest.split('\n');
    Command.push_back(Arg.str());
    Rest = Tail;
  }
  std::vector<std::string> Out = adjustDatabaseCommand(Command, File.str());
  FUZZ_CHECK(!Out.empty() && Out[0] == "clang");
  FUZZ_CHECK(Command.size() < 2 ||
             std::find(Out.begin(), Out.end(), File.str()) != Out.end());
  return 0;
}
