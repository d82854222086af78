#include "tool/Modes.h"
#include "tool/ResultOutput.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace vmalloc_lint {

int printCompileCommands(const std::vector<FileJob> &Jobs) {
  // The directory as the process has it (not resolved): the commands'
  // relative paths are relative to it.
  llvm::SmallString<256> Dir;
  llvm::sys::fs::current_path(Dir);
  llvm::json::Array Db;
  for (const FileJob &J : Jobs)
    Db.push_back(
        llvm::json::Object{{"directory", std::string(Dir)},
                           {"file", J.File},
                           {"arguments", llvm::json::Array(J.Command)}});
  resultStream() << llvm::formatv("{0:2}", llvm::json::Value(std::move(Db)))
                 << "\n";
  return 0;
}

} // namespace vmalloc_lint
