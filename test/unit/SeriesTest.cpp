// --series: MAINTAINERS read and matched as scripts/get_maintainer.pl does,
// the subject style taken from a subsystem's history, the commit message
// wrapped for checkpatch, and a commit text for every check with a fix.
#include "matchers/checks/CheckRegistry.h"
#include "tool/Maintainers.h"
#include "tool/SeriesMode.h"
#include "tool/SeriesText.h"

#include <gtest/gtest.h>

using namespace vmalloc_lint;

namespace {

const char *Text = R"(List of maintainers
===================

	Descriptions of section entries:
	M: *Mail* patches to: FullName <address@domain>

ARM64 PORT (AARCH64 ARCHITECTURE)
M:	Catalin Marinas <catalin.marinas@arm.com>
L:	linux-arm-kernel@lists.infradead.org (moderated for non-subscribers)
S:	Maintained
F:	arch/arm64/
X:	arch/arm64/boot/dts/

KERNEL VIRTUAL MACHINE FOR ARM64 (KVM/arm64)
M:	Marc Zyngier <maz@kernel.org>
R:	James Morse <james.morse@arm.com>
L:	kvmarm@lists.linux.dev
S:	Maintained
F:	arch/arm64/kvm/
F:	arch/arm64/include/asm/kvm*

DEVICE-MAPPER  (LVM)
M:	Alasdair Kergon <agk@redhat.com>
S:	Maintained
F:	drivers/md/Kconfig
F:	drivers/md/dm*

SOFTWARE RAID (Multiple Disks) SUPPORT
M:	Song Liu <song@kernel.org>
S:	Supported
F:	drivers/md/

VLMEM DRIVER
M:	Vl Mem <vlmem@example.org>
S:	Maintained
N:	vlmem

THE REST
M:	Linus Torvalds <torvalds@linux-foundation.org>
L:	linux-kernel@vger.kernel.org
S:	Buried alive in reporters
F:	*
F:	*/
)";

std::string bestName(const Maintainers &M, const std::string &Rel) {
  const MaintainersEntry *E = M.best(Rel);
  return E ? E->Name : "";
}

TEST(Maintainers, MostSpecificSectionAsGetMaintainer) {
  Maintainers M = Maintainers::parse(Text, "/nonexistent");
  ASSERT_EQ(M.entries().size(), 6u);
  EXPECT_EQ(M.entries()[1].Name,
            "KERNEL VIRTUAL MACHINE FOR ARM64 (KVM/arm64)");
  EXPECT_EQ(M.entries()[1].Reviewers,
            std::vector<std::string>{"James Morse <james.morse@arm.com>"});
  // arch/arm64/kvm/ (depth 3) beats arch/arm64/ (depth 2).
  EXPECT_EQ(bestName(M, "arch/arm64/kvm/arm.c"),
            "KERNEL VIRTUAL MACHINE FOR ARM64 (KVM/arm64)");
  EXPECT_EQ(bestName(M, "arch/arm64/mm/init.c"),
            "ARM64 PORT (AARCH64 ARCHITECTURE)");
  // A file pattern: `*` is any text, and its depth counts the file.
  EXPECT_EQ(bestName(M, "arch/arm64/include/asm/kvm_host.h"),
            "KERNEL VIRTUAL MACHINE FOR ARM64 (KVM/arm64)");
  // drivers/md/dm* (a file pattern: depth 3) beats drivers/md/ (2) ...
  EXPECT_EQ(bestName(M, "drivers/md/dm-writecache.c"), "DEVICE-MAPPER  (LVM)");
  // ... but matches only files of its own directory.
  EXPECT_EQ(bestName(M, "drivers/md/dmx/a.c"),
            "SOFTWARE RAID (Multiple Disks) SUPPORT");
  EXPECT_EQ(bestName(M, "drivers/md/vl-bufio.c"),
            "SOFTWARE RAID (Multiple Disks) SUPPORT");
  // X: takes the section out: THE REST (its `*/` is depth -1) remains.
  EXPECT_EQ(bestName(M, "arch/arm64/boot/dts/x.dts"), "THE REST");
  // N: is depth 0, THE REST's `*` and `*/` depth -1.
  EXPECT_EQ(bestName(M, "drivers/char/vlmem/vlmem.c"), "VLMEM DRIVER");
  EXPECT_EQ(bestName(M, "mm/vmalloc.c"), "THE REST");
  // Every match, deepest first: what get_maintainer.pl lists.
  std::vector<MaintainersMatch> All = M.match("arch/arm64/kvm/arm.c");
  ASSERT_EQ(All.size(), 3u);
  EXPECT_EQ(All[0].Entry, 1u);
  EXPECT_EQ(All[0].Depth, 3);
  EXPECT_EQ(All[1].Entry, 0u);
  EXPECT_EQ(All[2].Entry, 5u);
  EXPECT_EQ(All[2].Depth, -1);
}

TEST(Maintainers, FilePatternMatch) {
  EXPECT_TRUE(maintainersFileMatch("mm/vmalloc.c", "mm/"));
  EXPECT_TRUE(maintainersFileMatch("mm/vmalloc.c", "mm/vmalloc\\.c"));
  // A prefix at the same depth matches, as in get_maintainer.pl (its
  // m@^$pattern@ is not anchored at the end).
  EXPECT_TRUE(maintainersFileMatch("mm/vmalloc.c", "mm/vmalloc"));
  EXPECT_FALSE(maintainersFileMatch("mm/vmalloc/x.c", "mm/vmalloc"));
  EXPECT_FALSE(maintainersFileMatch("xmm/vmalloc.c", "mm/"));
  EXPECT_TRUE(maintainersFileMatch("include/linux/vmalloc.h",
                                   "include/linux/vmalloc.*"));
  EXPECT_FALSE(
      maintainersFileMatch("include/linux/x/vmalloc.h", "include/linux/.*"));
}

TEST(SeriesSubjects, MostCommonPrefixOfTheHistory) {
  SubjectStyle S = subjectStyle(
      {"KVM: arm64: Fix the vgic init", "arm64: kvm: add a thing",
       "KVM: arm64: Use the new helpers", "Merge tag 'kvmarm-6.1' of git://x",
       "Revert \"KVM: arm64: Use it\""});
  EXPECT_EQ(S.Prefix, "KVM: arm64");
  EXPECT_TRUE(S.Capitalised);
  S = subjectStyle({"mm, vmalloc: use __GFP_HIGHMEM implicitly",
                    "mm/vmalloc: fix a leak", "mm, vmalloc: add a helper"});
  EXPECT_EQ(S.Prefix, "mm, vmalloc");
  EXPECT_FALSE(S.Capitalised);
  // Two words are a part ("dm writecache"), a sentence is not.
  EXPECT_EQ(subjectStyle({"dm writecache: fix a race"}).Prefix,
            "dm writecache");
  EXPECT_EQ(subjectStyle({"Fix the race in the cache: take the lock"}).Prefix,
            "");
  // A tie goes to the newest.
  EXPECT_EQ(subjectStyle({"xfs: a", "fs/xfs: b"}).Prefix, "xfs");
  EXPECT_EQ(subjectStyle({}).Prefix, "");
}

TEST(SeriesSubjects, PathPrefix) {
  EXPECT_EQ(pathSubjectPrefix("arch/arm64/kvm/arm.c"), "arm64");
  EXPECT_EQ(pathSubjectPrefix("mm/vmalloc.c"), "mm");
  EXPECT_EQ(pathSubjectPrefix("mm/kasan/kasan.c"), "kasan");
  EXPECT_EQ(pathSubjectPrefix("fs/xfs/kmem.c"), "xfs");
  EXPECT_EQ(pathSubjectPrefix("drivers/md/dm-bufio.c"), "md");
  EXPECT_EQ(pathSubjectPrefix("drivers/block/drbd/drbd_bitmap.c"), "drbd");
  EXPECT_EQ(pathSubjectPrefix("drivers/gpu/drm/etnaviv/etnaviv_dump.c"),
            "drm/etnaviv");
  EXPECT_EQ(pathSubjectPrefix("include/linux/vmalloc.h"), "vmalloc");
  EXPECT_EQ(pathSubjectPrefix("include/sound/pcm.h"), "sound");
  EXPECT_EQ(pathSubjectPrefix("include/drm/drm_mem_util.h"), "drm");
}

// Linux 4.11's DEVICE-MAPPER section has no (SUBSYSTEM/part) and its
// files live in drivers/md/ (the path gives "md", SOFTWARE RAID's); its
// "F: drivers/md/dm*" names the family, as dm's subjects do ("dm bufio:
// use BUG_ON ...", 86a49e2dac30; "dm ioctl: prevent potential spectre v1
// gadget", cd9c88da171a).
TEST(SeriesSubjects, FamilyPrefixFromTheSectionsGlob) {
  Maintainers M = Maintainers::parse(
      "DEVICE-MAPPER  (LVM)\n"
      "M:\tDm <dm@example.org>\n"
      "F:\tDocumentation/device-mapper/\n"
      "F:\tdrivers/md/dm*\n"
      "F:\tinclude/linux/dm-*.h\n"
      "\n"
      "SOUND - SOC LAYER / DYNAMIC AUDIO POWER MANAGEMENT (ASoC)\n"
      "F:\tsound/soc/\n"
      "\n"
      "AGPGART DRIVER\n"
      "F:\tinclude/linux/agp*\n",
      "/nonexistent");
  const MaintainersEntry &Dm = M.entries()[0];
  EXPECT_EQ(familySubjectPrefix(Dm, {"drivers/md/dm-bufio.c"}), "dm bufio");
  EXPECT_EQ(familySubjectPrefix(Dm, {"drivers/md/dm-cache-target.c"}),
            "dm cache");
  EXPECT_EQ(familySubjectPrefix(
                Dm, {"drivers/md/dm-bufio.c", "drivers/md/dm-ioctl.c"}),
            "dm");
  // dm.c is no "dm-part" file; a file the glob does not match; no glob.
  EXPECT_EQ(familySubjectPrefix(Dm, {"drivers/md/dm.c"}), "");
  EXPECT_EQ(familySubjectPrefix(Dm, {"drivers/md/dm-bufio.c",
                                     "drivers/md/persistent-data/x.c"}),
            "");
  EXPECT_EQ(familySubjectPrefix(M.entries()[1], {"sound/soc/soc-core.c"}), "");
  // "agp*" matches agpgart.h, which is no "agp-part" name.
  EXPECT_EQ(familySubjectPrefix(M.entries()[2], {"include/linux/agpgart.h"}),
            "");
}

TEST(SeriesSubjects, SectionPrefix) {
  EXPECT_EQ(
      sectionSubjectPrefix("KERNEL VIRTUAL MACHINE FOR ARM64 (KVM/arm64)"),
      "KVM: arm64");
  EXPECT_EQ(sectionSubjectPrefix("ACPI FOR ARM64 (ACPI/arm64)"), "ACPI: arm64");
  // Chip lists and spelled-out names are not prefixes.
  EXPECT_EQ(sectionSubjectPrefix("AD7879 TOUCHSCREEN DRIVER (AD7879/AD7889)"),
            "");
  EXPECT_EQ(sectionSubjectPrefix("MEDIA INPUT INFRASTRUCTURE (V4L/DVB)"), "");
  EXPECT_EQ(sectionSubjectPrefix("DEVICE-MAPPER  (LVM)"), "");
  EXPECT_EQ(sectionSubjectPrefix("SOUND"), "");
}

// The 4.11 series' subjects of two checks (netfilter, drm, kernel): "drop
// redundant __GFP_HIGHMEM from __vmalloc() and use kvmalloc() instead of
// open-coding it" after the prefix was 95-101 characters.
TEST(SeriesSubjects, SeveralChecksFitIn75Characters) {
  std::vector<std::vector<std::string>> Forms = {
      {"drop redundant __GFP_HIGHMEM from __vmalloc()",
       "drop redundant __GFP_HIGHMEM from vmalloc calls",
       "drop redundant __GFP_HIGHMEM"},
      {"use kvmalloc() instead of open-coding it", "use kvmalloc()"}};
  // The callee kept where there is room (not the longer family form).
  EXPECT_EQ(seriesSubjectWhat(Forms, std::string("drm").size()),
            "drop redundant __GFP_HIGHMEM from __vmalloc() and use "
            "kvmalloc()");
  // 75 characters exactly: fits.
  EXPECT_EQ(seriesSubjectWhat(Forms, std::string("netfilter").size()),
            "drop redundant __GFP_HIGHMEM from __vmalloc() and use "
            "kvmalloc()");
  EXPECT_EQ(seriesSubjectWhat(Forms, std::string("netfilter: x_tables").size()),
            "drop redundant __GFP_HIGHMEM and use kvmalloc()");
  // One check: its subject as it is when it fits.
  EXPECT_EQ(seriesSubjectWhat({Forms.front()}, 3),
            "drop redundant __GFP_HIGHMEM from __vmalloc()");
  EXPECT_EQ(seriesSubjectWhat({{"use kvfree()"}, {"use kvmalloc()"}}, 4),
            "use kvfree() and use kvmalloc()");
  // Three checks: "a, b and c"; nothing fits: the shortest.
  EXPECT_EQ(seriesSubjectWhat({{"x"}, {"y"}, {"z"}}, 0), "x, y and z");
  std::string Long(80, 'p');
  EXPECT_EQ(seriesSubjectWhat(Forms, Long.size()),
            "drop redundant __GFP_HIGHMEM and use kvmalloc()");
  for (size_t Prefix : {3u, 6u, 9u, 20u}) {
    std::string W = seriesSubjectWhat(Forms, Prefix);
    EXPECT_LE(Prefix + 2 + W.size(), MaxSubjectSummary) << Prefix;
  }
}

TEST(SeriesText, WrappedForCheckpatch) {
  std::string W = wrapText("Since Linux 4.12 the vmalloc allocator adds "
                           "__GFP_HIGHMEM itself to the gfp mask of the "
                           "pages it maps.\n\nDrop it.",
                           40);
  EXPECT_EQ(W, "Since Linux 4.12 the vmalloc allocator\n"
               "adds __GFP_HIGHMEM itself to the gfp\n"
               "mask of the pages it maps.\n"
               "\n"
               "Drop it.\n");
}

TEST(SeriesText, EveryCheckWithAFixHasItsWords) {
  for (const CheckRow &C : checkRegistry()) {
    const SeriesText *T = seriesText(C.Name);
    EXPECT_EQ(T != nullptr, C.Fix != FixKind::None) << C.Name;
    if (!T)
      continue;
    for (const UpstreamCommit &U : T->Commits)
      EXPECT_EQ(std::string(U.Id).size(), 12u) << C.Name;
    // The short form is a subject's what on its own, no longer than the
    // full one.
    EXPECT_FALSE(std::string(T->Short).empty()) << C.Name;
    EXPECT_LE(std::string(T->Short).size(), std::string(T->Subject).size())
        << C.Name;
  }
}

} // namespace
