// The statement replacement rewriters/ builds (ReplaceCode).
#include "TestSupport.h"

#include "rewriters/ReplaceCode.h"

#include <gtest/gtest.h>

using namespace vmalloc_lint;
using namespace vmalloc_lint::test;

TEST(ReplaceCode, KeepsCommentsAfterTheNewCode) {
  std::string Why;
  TextEdit E{"/f.c", 10, 0, "kvfree(p);", 0};
  std::string Old = "if (is_vmalloc_addr(p)) /* big */\n\t\tvfree(p); // "
                    "vmalloc\n\telse\n\t\tkfree(p); // slab";
  E.Length = Old.size();
  auto F = replaceCode(E, Old, "kvfree", Why);
  ASSERT_TRUE(F);
  ASSERT_EQ(F->Edits.size(), 1u);
  EXPECT_EQ(F->Edits[0].Text, "kvfree(p); /* big */ /* vmalloc */ // slab");
  EXPECT_EQ(F->Edits[0].Offset, 10u);
  EXPECT_EQ(F->Edits[0].Length, Old.size());
  EXPECT_EQ(F->Description, "use kvfree()");
}

TEST(ReplaceCode, APreprocessorLineIsNoFix) {
  std::string Why;
  std::string Old = "if (is_vmalloc_addr(p))\n\t\tvfree(p);\n#ifdef X\n"
                    "\telse\n\t\tkfree(p);\n#endif";
  TextEdit E{"/f.c", 0, (unsigned)Old.size(), "kvfree(p);", 0};
  EXPECT_FALSE(replaceCode(E, Old, "kvfree", Why));
  EXPECT_EQ(Why, "the code holds a preprocessor line the edit would drop");
  // A '#' in a string or a comment is no directive.
  Old = "if (is_vmalloc_addr(p)) /*\n # */ vfree(p); else kfree(p);";
  E.Length = Old.size();
  auto F = replaceCode(E, Old, "kvfree", Why);
  ASSERT_TRUE(F);
  EXPECT_EQ(F->Edits[0].Text, "kvfree(p); /*\n # */");
}
