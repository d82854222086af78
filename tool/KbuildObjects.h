// What kbuild makes of one source file in a configured tree: the object it
// is linked into and whether the configuration builds it in, as a module or
// not at all. Computed the way scripts/Makefile.lib does (obj-y / obj-m after
// obj-$(CONFIG_X) is evaluated with include/config/auto.conf, composite
// objects from xxx-objs / xxx-y / xxx-m), from the Makefile or Kbuild that
// lists the file.
#ifndef VMALLOC_LINT_KBUILD_OBJECTS_H
#define VMALLOC_LINT_KBUILD_OBJECTS_H

#include <map>
#include <string>
#include <vector>

namespace vmalloc_lint {

/// CONFIG_X -> its value in include/config/auto.conf ("y", "m", "0x10",
/// "\"str\""); an option that is not set is absent.
using KconfigValues = std::map<std::string, std::string>;

/// The tree's include/config/auto.conf (empty if the tree is not prepared).
KconfigValues readAutoConf(const std::string &Root);

enum class KbuildBuild {
  BuiltIn,  ///< in real-obj-y or lib-y of its directory's Makefile
  Module,   ///< in real-obj-m: kbuild compiles it with -DMODULE
  NotBuilt, ///< listed by no obj-y/obj-m/lib-y the configuration selects
  Unknown,  ///< no Makefile/Kbuild lists objects for its directory
};

const char *kbuildBuildName(KbuildBuild B); ///< built-in, module, ...

struct KbuildObject {
  KbuildBuild Build = KbuildBuild::Unknown;
  /// KBUILD_BASENAME: the file's own name, '-' and ',' made '_' (dm_bufio).
  std::string BaseName;
  /// KBUILD_MODNAME: the composite objects the file is part of, else its
  /// own name, name-fixed, several joined with ':' (dm_mod).
  std::string ModName;
  /// KBUILD_MODFILE: the same names under the Makefile's directory,
  /// relative to the tree, '-' kept, several joined with ' '
  /// (drivers/md/dm-mod).
  std::string ModFile;
  /// kbuild's $(target-stem): the object relative to its Makefile's
  /// directory, without .o (libxfs/xfs_alloc; page_alloc.nvhe when the
  /// directory's own pattern rule names it), as in CFLAGS_$(target-stem).o.
  std::string TargetStem;
};

/// What kbuild makes of File (absolute, inside Root), listed by the
/// Makefile or Kbuild of MakefileDir (File's directory or an ancestor).
KbuildObject kbuildObject(const std::string &Root, const KconfigValues &Config,
                          const std::string &MakefileDir,
                          const std::string &File);

/// The directory whose Makefile or Kbuild builds File: its own or the
/// nearest ancestor's inside Root (fs/xfs/Makefile builds libxfs/*.o);
/// Root itself when none has one. For a .c or .S file whose nearest one is
/// a fragment that lists no objects of its own (nouveau's
/// nvkm/core/Kbuild: `nvkm-y += nvkm/core/client.o`), the first ancestor's
/// that lists objects and names the file's object, with its `include`s
/// read (drivers/gpu/drm/nouveau/Kbuild): kbuild builds it from there,
/// with that Makefile's flags.
std::string kbuildMakefileDir(const std::string &Root, const std::string &File);

/// What the configuration builds of File: kbuildObject's answer for its
/// directory, limited by the directories above it, as kbuild descends: a
/// directory its parent lists in obj-y is built in, in obj-m or
/// subdir-y/-m only for modules, elsewhere not at all. The top-level
/// directories are taken as reached. A .h file, or a file outside Root, is
/// Unknown.
KbuildBuild kbuildFileBuild(const std::string &Root,
                            const KconfigValues &Config,
                            const std::string &File);

/// For a file the configuration does not build: the options (without
/// CONFIG_) that would build it and are not set, up to 16. Those named by
/// $(CONFIG_X) on the lines of MakefileDir's Makefile that list its object
/// (or a composite object it is part of), then what each needs in the
/// Kconfig files of MakefileDir and the directories above it: the plain
/// symbols of its `depends on` (top-level `&&` terms, an enclosing `if`'s)
/// and, for an option without a prompt, those of the first option that
/// selects it. Empty when no line lists the object.
std::vector<std::string> kbuildGateOptions(const std::string &Root,
                                           const KconfigValues &Config,
                                           const std::string &MakefileDir,
                                           const std::string &File);
/// The options named by $(CONFIG_X) on the lines of a Makefile's Text that
/// list Target ("ps3disk.o", or a subdirectory "ps3/") or a composite
/// object Target is part of: the options that would build it.
std::vector<std::string> kbuildMakefileGates(const std::string &Text,
                                             const std::string &Target);

/// The text of Dir's Kbuild, else its Makefile ("" if neither): the file
/// kbuild reads for that directory.
std::string readKbuildFile(const std::string &Dir);

/// The kbuild variables a Makefile/Kbuild assigns, with $(CONFIG_X) (in
/// names, values and ifeq/ifneq/ifdef/ifndef conditions) evaluated with
/// Config and the Makefile's own variables expanded; another name Config
/// holds (KERNELRELEASE, as kbuild exports it) expands to its value, other
/// references (kbuild's, $(shell ...), functions) to nothing. With
/// IncludeRoot (kbuild's srctree, where make runs), `include`,
/// `-include` and `sinclude` lines read their files (a relative path from
/// IncludeRoot) in place, as make does: nouveau's Kbuild lists its objects
/// through `include $(src)/nvkm/Kbuild`. Exposed for tests.
std::map<std::string, std::vector<std::string>>
evaluateKbuildMakefile(const std::string &Text, const KconfigValues &Config,
                       const std::string &IncludeRoot = "");

/// kbuild's own variables for the Makefile of Dir in a build inside the
/// tree Root: srctree, objtree, src and obj, as make assignments.
std::string kbuildMakefilePrelude(const std::string &Root,
                                  const std::string &Dir);

} // namespace vmalloc_lint

#endif
