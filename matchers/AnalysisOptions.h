// What one analysis of a translation unit is asked to do.
#ifndef VMALLOC_LINT_ANALYSIS_OPTIONS_H
#define VMALLOC_LINT_ANALYSIS_OPTIONS_H

#include "matchers/checks/CheckGlob.h"
#include "matchers/kernel/KernelTree.h"
#include "matchers/kernel/KernelVersion.h"

#include <memory>
#include <optional>

namespace vmalloc_lint {

struct BodySkipping;
struct CrossFileFacts;

struct AnalysisOptions {
  KernelVersion Version = KernelVersion::newest();
  CheckGlob Checks{"vmalloc-*"};
  /// The kernel the code is to be migrated to (--migrate-to): the API
  /// migration check runs only with one.
  std::optional<KernelVersion> MigrateTo;
  /// When set, the parse skips function bodies that cannot hold what the
  /// selected checks look for (matchers/text/BodySkipping.h). Null: every
  /// body is parsed.
  std::shared_ptr<const BodySkipping> SkipBodies;
  /// Fill AnalysisResult::Facts (pass 2's facts are computed then even when
  /// no pass-2 check is selected).
  bool ExportFacts = false;
  /// Facts of other units (--facts-in): a callee the unit does not define
  /// is looked up here by name. Shared, read-only.
  std::shared_ptr<const CrossFileFacts> Imported;
  /// The tree's arch facts (KernelTree::ArchFacts, read once per tree) and
  /// the arch of the unit's code (KernelTree::archOf). A check row whose
  /// Arches symbol the unit's arch cannot have is not run. Null: no tree,
  /// every row runs.
  std::shared_ptr<const KernelArchFacts> ArchFacts;
  std::string Arch;

  /// Whether a row with this Arches column applies to the unit.
  bool archApplies(const char *Arches) const {
    return !Arches || !*Arches || !ArchFacts ||
           ArchFacts->archCanHave(Arch, Arches);
  }
};

} // namespace vmalloc_lint

#endif
