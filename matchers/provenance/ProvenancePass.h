// Pass 2's engine, inside matchers/provenance/ only: the state of the
// dataflow, the facts about functions, fields and globals, and the pass
// that computes them. Its members are defined in three files:
// ProvenanceEngine.cpp (which functions, values, transfer, guards, the CFG
// walk), ProvenanceFacts.cpp (facts of this unit and of others: import,
// export, field and global reads) and ProvenanceFindings.cpp (a value at a
// sink: the registry's checks judge it; the findings).
#ifndef VMALLOC_LINT_PROVENANCE_PASS_H
#define VMALLOC_LINT_PROVENANCE_PASS_H

#include "matchers/AnalysisOptions.h"
#include "matchers/CallSites.h"
#include "matchers/Finding.h"
#include "matchers/MacroExpansions.h"
#include "matchers/SourcePoints.h"
#include "matchers/checks/SinkCheck.h"
#include "matchers/provenance/CrossFileFacts.h"
#include "matchers/provenance/MemoryLattice.h"

#include "clang/Analysis/CFG.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace clang {
class ASTContext;
class CallExpr;
class Expr;
class FieldDecl;
class FunctionDecl;
class InitListExpr;
class SourceManager;
class Stmt;
class ValueDecl;
class VarDecl;
} // namespace clang

namespace vmalloc_lint {

struct CheckRow;

namespace provenance {

// The pass is Clang code through and through; this header is included
// only by its three files.
using namespace clang;

/// What a value is stored in: a variable (Field null), or a field of the
/// struct a variable points to or holds (dev->buf, s.buf).
using Key = std::pair<const ValueDecl *, const FieldDecl *>;

/// A tag: an integer variable or field that records which allocator was
/// chosen (b->data_mode, buf_desc->is_vm, a local `mode`), or what an
/// integer out-parameter points to (`*data_mode`, Deref).
struct TagKey {
  const ValueDecl *Base = nullptr;
  const FieldDecl *Field = nullptr;
  bool Deref = false;
  friend bool operator<(const TagKey &A, const TagKey &B) {
    return std::tie(A.Base, A.Field, A.Deref) <
           std::tie(B.Base, B.Field, B.Deref);
  }
  friend bool operator==(const TagKey &A, const TagKey &B) {
    return A.Base == B.Base && A.Field == B.Field && A.Deref == B.Deref;
  }
};

/// The constants a tag holds where a value has one kind: Vals, or any
/// value but those of Not (Any; f_fs's `if (io_data->use_sg) return
/// vmalloc'ed memory`: use_sg is not 0 there). Join is union.
struct TagSet {
  bool Any = false;
  std::set<int64_t> Vals;
  std::set<int64_t> Not;
  void join(const TagSet &O) {
    if (Any && O.Any) {
      for (auto It = Not.begin(); It != Not.end();)
        It = O.Not.count(*It) ? std::next(It) : Not.erase(It);
    } else if (Any) {
      for (int64_t C : O.Vals)
        Not.erase(C);
    } else if (O.Any) {
      Not = O.Not;
      for (int64_t C : Vals)
        Not.erase(C);
      Vals.clear();
      Any = true;
    } else {
      Vals.insert(O.Vals.begin(), O.Vals.end());
    }
  }
  friend bool operator==(const TagSet &A, const TagSet &B) {
    return A.Any == B.Any && A.Vals == B.Vals && A.Not == B.Not;
  }
};
/// Per kind of a value (MemValue's bits), the constants of one tag.
using TagSets = std::array<TagSet, MemValue::NumKinds>;

/// What a path knows of a tag: it holds one of Is (when HasIs), none of
/// Not.
struct TagKnown {
  bool HasIs = false;
  std::set<int64_t> Is;
  std::set<int64_t> Not;
  bool allows(int64_t C) const {
    return (!HasIs || Is.count(C)) && !Not.count(C);
  }
  /// No constant of S is possible here.
  bool excludes(const TagSet &S) const {
    if (S.Any) {
      // Any value but S.Not: excluded only by a known set of constants,
      // all of them in S.Not.
      if (!HasIs)
        return false;
      for (int64_t C : Is)
        if (allows(C) && !S.Not.count(C))
          return false;
      return true;
    }
    for (int64_t C : S.Vals)
      if (allows(C))
        return false;
    return true;
  }
  /// What a value assigned here records of the tag: its constants, or any
  /// value but those the path excludes.
  TagSet asSet() const {
    TagSet S;
    S.Any = !HasIs;
    for (int64_t C : HasIs ? Is : Not)
      if (!HasIs || !Not.count(C))
        (HasIs ? S.Vals : S.Not).insert(C);
    return S;
  }
  /// The path knows something of the tag.
  bool known() const { return HasIs || !Not.empty(); }
  friend bool operator==(const TagKnown &A, const TagKnown &B) {
    return A.HasIs == B.HasIs && A.Is == B.Is && A.Not == B.Not;
  }
};

struct State {
  std::map<Key, MemValue> Values;
  /// Tag correlation (dm-bufio's data_mode, smc's is_vm): what the path
  /// knows of each tag, and per value and tag which constants the tag holds
  /// where the value has each of its kinds. A test of the tag drops the
  /// kinds whose constants it excludes.
  std::map<TagKey, TagKnown> Tags;
  std::map<Key, std::map<TagKey, TagSets>> Corr;
  /// Local pointers copied from a parameter's field the function does not
  /// track (`ptr = (char *)b->data + offset`): a sink on them is the
  /// field's, judged by the callers like one on b->data itself.
  std::map<const VarDecl *, Key> FieldCopies;
  /// Local variables holding a condition (`vm = is_vmalloc_addr(p)`,
  /// WARN_ON()'s `__ret_warn_on`): a branch on them is a branch on it.
  std::map<const VarDecl *, const Expr *> Conditions;
  /// What a guard told of an array element's field, `a[i].f` (af_packet's
  /// `if (is_vmalloc_addr(pg_vec[i].buffer)) vfree(pg_vec[i].buffer)`):
  /// Key{a, f}, for any index, until a store to such a field or to a.
  std::map<Key, MemValue> Elements;
  bool Reached = false;
  friend bool operator==(const State &A, const State &B) {
    return A.Reached == B.Reached && A.Values == B.Values &&
           A.Conditions == B.Conditions && A.Tags == B.Tags &&
           A.Corr == B.Corr && A.FieldCopies == B.FieldCopies &&
           A.Elements == B.Elements;
  }
  friend bool operator!=(const State &A, const State &B) { return !(A == B); }
};

/// Which local variables of a function a statement may still read after
/// each CFG block (a backward liveness without kills: every path from the
/// block's end to a reference of the variable by name). Only those are
/// kept in the block's state: the unrolled test macros of 6.1's
/// lib/overflow_kunit.c declare a thousand locals in one function, each
/// read only inside its own expansion, and kept to the end they made each
/// block's state hold all of them (2.4 GB for the unit).
struct LocalLiveness {
  /// The function's local variables (not its parameters) by number.
  llvm::DenseMap<const ValueDecl *, unsigned> Index;
  /// Per block ID: the locals to keep in its out-state, those live at its
  /// end and those its terminator's condition reads (the edges refine
  /// them, and the values correlated with them).
  std::vector<llvm::BitVector> Keep;
  /// The locals each expression a State::Conditions entry holds reads.
  llvm::DenseMap<const Expr *, llvm::SmallVector<unsigned, 4>> CondReads;
};

/// A sink a function's parameter reaches.
struct ParamSink {
  const MemorySink *Row;
  std::string SinkName;
  SourceLocation SinkLoc;
  /// A sink in another file (an imported fact; SinkLoc is invalid).
  const FactPoint *ExtLoc = nullptr;
  friend bool operator<(const ParamSink &A, const ParamSink &B) {
    if (A.SinkLoc != B.SinkLoc)
      return A.SinkLoc.getRawEncoding() < B.SinkLoc.getRawEncoding();
    if (A.ExtLoc != B.ExtLoc) {
      if (!A.ExtLoc || !B.ExtLoc)
        return !A.ExtLoc;
      if (!(*A.ExtLoc == *B.ExtLoc))
        return *A.ExtLoc < *B.ExtLoc;
    }
    return A.SinkName < B.SinkName;
  }
};

struct FunctionFacts {
  MemValue Returns;
  std::map<unsigned, std::set<ParamSink>> ParamSinks;
  std::map<unsigned, std::set<const FieldDecl *>> ParamFields;
  /// A field of what parameter i points to (pbl->pbl_buf) reaching a sink:
  /// judged at each caller with the caller's knowledge of that field (a
  /// caller may have tested it with is_vmalloc_addr()).
  std::map<std::pair<unsigned, const FieldDecl *>, std::set<ParamSink>>
      ParamFieldSinks;
  /// Imported facts: fields of other units' structs by name.
  std::map<unsigned, std::set<FieldName>> ParamFieldNames;
  /// Per integer out-parameter i (`*data_mode = DATA_MODE_VMALLOC`), the
  /// constants it is set to where the return value has each kind.
  std::map<unsigned, TagSets> ReturnTags;
  /// Per parameter i and tag field F of what it points to (f_fs's
  /// ffs_alloc_buffer(): vmalloc() where io_data->use_sg is not 0, else
  /// kmalloc()), the constants param->F holds where the return value has
  /// each kind: the caller's `io_data->buf = ffs_alloc_buffer(io_data, n)`
  /// correlates io_data->buf with io_data->use_sg.
  std::map<std::pair<unsigned, const FieldDecl *>, TagSets> ReturnFieldTags;
};

/// A function of the tables (its own body is not followed).
bool isTableFunction(llvm::StringRef Name);
/// The name of the function a call calls directly ("" if none).
std::string calleeName(const CallExpr *CE);

class ProvenancePass {
public:
  ProvenancePass(ASTContext &Ctx, const MacroExpansionLog &Log,
                 const AnalysisOptions &Opts)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), Log(Log), Opts(Opts) {}

  AnalysisResult run();

  /// The function CE calls, also through a function-pointer field
  /// (ProvenanceEngine.cpp).
  const FunctionDecl *calleeOf(const CallExpr *CE) const;

private:
  // ---- the dataflow (ProvenanceEngine.cpp) ----

  /// The main file's functions, and the functions they call (transitively)
  /// that the translation unit defines: callees first, so that one round
  /// mostly suffices.
  void collectFunctions();
  void visitFunction(const FunctionDecl *FD,
                     std::set<const FunctionDecl *> &Seen);
  /// L lies in the body of an expansion of a recorded sink macro (its
  /// own implementation, not the argument it was given).
  bool insideSinkMacro(SourceLocation L);
  /// L was produced by the expansion whose name token is at NameLoc: as
  /// part of its body or of an argument (also one pre-expanded as the
  /// argument of an enclosing macro: page_to_pfn(virt_to_page(p))).
  bool withinExpansionOf(SourceLocation L, SourceLocation NameLoc);
  /// L and, up the macro stack, every location it was expanded from: an
  /// argument's spelling, the invocation of the macro (its end when End).
  void ancestry(SourceLocation L, bool End,
                llvm::SmallVectorImpl<SourceLocation> &Out);
  /// For each outermost sink macro expansion, the expression of its pointer
  /// argument: the largest expression spelled exactly by the argument's
  /// tokens inside that expansion.
  void indexSinkMacros();
  unsigned order(const Expr *E);
  static std::optional<Key> keyOf(const Expr *E);
  /// `a[i].f` or `a[i]->f` of a variable a: Key{a, f} (State::Elements).
  static std::optional<Key> elementKeyOf(const Expr *E);
  MemValue read(const State &S, const Key &K);
  void write(State &S, const Key &K, const MemValue &V);
  /// The address of an lvalue: &x, &p->f, &a[i], array decay.
  MemValue address(const State &S, const Expr *E);
  MemValue eval(const State &S, const Expr *E);
  MemValue evalCall(const State &S, const CallExpr *CE);
  /// V's linear side comes from the page allocator (its source's free is
  /// not kfree()).
  bool linearIsPages(const MemValue &V) const;
  void assign(State &S, const Expr *LHS, const MemValue &V);
  void initRecord(State &S, const InitListExpr *ILE);
  void transfer(State &S, const Stmt *St);
  void call(State &S, const CallExpr *CE);
  /// CE passes Row's length argument as a constant 0 (no transfer).
  bool zeroLength(const MemorySink &Row, const CallExpr *CE);
  /// A local scalar set from an expression that calls a guard.
  void noteCondition(State &S, const VarDecl *VD, const Expr *Init);
  void refine(State &S, const Expr *Cond, bool Truth, unsigned Depth = 0);

  // ---- tag correlation (ProvenanceEngine.cpp) ----

  /// The tag an lvalue of integer type is: x, p->f, *param.
  static std::optional<TagKey> tagKeyOf(const Expr *E);
  /// E's value when it is an integer constant (an enumerator, true).
  std::optional<int64_t> constantOf(const Expr *E);
  /// Tag T now holds C (Known), or something unknown (nullptr).
  void setTag(State &S, const TagKey &T, const TagKnown *Known);
  /// A test on the edge: T is known to satisfy K; drop the kinds of every
  /// value that the tag's constants exclude.
  void learnTag(State &S, const TagKey &T, const TagKnown &K);
  /// The correlation of a value just assigned from E (V): E's own, the
  /// out-parameters of the call it is, and the tags the path knows.
  std::map<TagKey, TagSets> corrFor(const State &S, const Expr *E,
                                    const MemValue &V);
  /// A return of V (from RV): the constants each integer out-parameter
  /// holds where V has each kind, into the function's ReturnTags.
  void returnTags(const State &S, const Expr *RV, const MemValue &V);
  /// The fields of Base's object in the state, with their tags, into the
  /// field tag facts (the object is handed to a caller).
  void publishFields(const State &S, const ValueDecl *Base);
  /// The kinds of field K.second's facts (V) that what the path knows of
  /// K.first's tags excludes, dropped.
  MemValue dropByTags(const State &S, const Key &K, MemValue V);
  State edgeState(const State &Out, const CFGBlock *Pred, const CFGBlock *Succ);
  void joinInto(State &Into, const State &From);
  static bool isLocal(const Key &K);
  CFG *cfgFor(const FunctionDecl *FD);
  LocalLiveness &livenessFor(const FunctionDecl *FD, const CFG &G);
  /// S without the locals no statement after block B reads (LocalLiveness).
  void prune(State &S, LocalLiveness &L, const CFGBlock *B);
  /// What a state holds: values, tags and each value's correlation with a
  /// tag, copies, conditions, elements (pass2StateBudget()).
  static size_t stateEntries(const State &S);
  void analyzeFunction(const FunctionDecl *FD);

  // ---- facts, also across files (ProvenanceFacts.cpp) ----

  /// What a read sees when the state does not track the key (with S:
  /// what the path knows of the object's tags).
  MemValue untracked(const Key &K, const State *S = nullptr);
  /// The same, stack addresses of other frames included.
  MemValue untrackedFacts(const Key &K, const State *S);
  /// The struct tag and field name other units know a field by: none for
  /// an anonymous struct or one defined in the main file (no other unit
  /// sees that type), nor for a link to the struct's own type
  /// (list_head.next, rb_node.rb_left): a vmalloc()ed hash table of list
  /// heads makes them point into vmalloc memory in the unit that
  /// initialises it, which says nothing of the nodes other units link in.
  std::optional<FieldName> fieldName(const FieldDecl *F);
  /// An imported value: its origins are the facts' records, ordered after
  /// every origin of this unit.
  MemValue importedValue(const MemFact &M);
  const FactOrigin *externalOrigin(const void *P) const;
  /// What is known of a callee: the unit's facts if it defines it, else
  /// the facts another unit exported for it (--facts-in).
  const FunctionFacts *factsFor(const FunctionDecl *FD);
  FactPoint factPoint(SourceLocation L);
  MemFact exported(const MemValue &V);
  /// What another unit may use of a value of type T. An integer carries
  /// the kinds of the pointer it was computed from (offset_in_page(buf),
  /// a length): in one unit that is harmless, but exported it would give
  /// every reader of scatterlist's offset vmalloc memory. So only pointers
  /// carry their kinds across files, integers only page addresses (a pfn).
  static MemValue exportable(MemValue V, QualType T);
  /// Only unknown memory: nothing another unit can use.
  static bool worthExporting(const MemValue &V);
  void exportFacts(CrossFileFacts &Out);
  void addFact(MemValue &Slot, const MemValue &V);
  void fieldAssigned(const FieldDecl *F, const MemValue &V);

  // ---- sinks and findings (ProvenanceFindings.cpp) ----

  /// A sink's pointer is param->F, read without this function knowing more
  /// of it than the facts of F: if the function has callers in the
  /// translation unit, record it for them (they may know more) and say so.
  bool deferToCallers(const State &S, const Key &K, const ParamSink &PS);
  /// param->F at the root of Arg (through casts and p + off), also through
  /// a local copy of it (State::FieldCopies).
  static std::optional<Key> paramFieldRoot(const Expr *Arg,
                                           const State *S = nullptr);
  /// After `VD = RHS`: VD is a copy of a parameter's untracked field.
  void noteFieldCopy(State &S, const VarDecl *VD, const Expr *RHS);
  /// ViaField: the value is what a field (or global) of that name holds by
  /// the unit's facts, not what this path stored in it (set by the callers
  /// that have no Arg; with an Arg it is found from Arg).
  /// A value stored into a field sink of the table (lookupFieldSink).
  void fieldSink(State &S, const FieldDecl *FD, SourceLocation Loc,
                 const Expr *Value, const MemValue &V);
  void sinkReached(const State &S, const MemorySink &Row,
                   const std::string &SinkName, SourceLocation Loc,
                   const Expr *Arg, const MemValue &V, const ParamSink *Via,
                   const std::string &ViaCallee,
                   const std::string &ViaField = "");
  /// The field or global at the root of Arg when its value is read from
  /// the unit's facts (this path did not store it), else "".
  std::string factFieldOf(const State &S, const Expr *Arg);
  /// How sure a finding on V with this verdict is, and why.
  std::pair<Confidence, std::string> confidenceOf(const SinkVerdict &Verdict,
                                                  const MemValue &V,
                                                  const std::string &ViaField,
                                                  SinkKind Sink);
  /// The verdict of check C, when it is a selected pass-2 check for the
  /// target kernel.
  std::optional<SinkVerdict> judge(const CheckRow &C, const SinkEvent &E);
  void descriptorStore(const MemValue &V, const Expr *Where);
  std::string originName(const MemValue &V, uint16_t Kind);
  std::string kindPhrase(const SinkVerdict &Verdict, const MemValue &V);
  /// The finding at the sink call Loc; a stack buffer's at its argument
  /// Arg (when known), the thing that is wrong.
  void report(const SinkCheck &C, const SinkEvent &E,
              const SinkVerdict &Verdict, const std::string &SinkName,
              SourceLocation Loc, const Expr *Arg, const ParamSink *Via,
              const std::string &ViaCallee, const std::string &ViaField);
  static SourcePoint sourcePoint(const FactPoint &P);
  void addOriginNote(Finding &F, const MemValue &V, uint16_t Kind);
  /// virt_to_page -> vmalloc_to_page where the name is written in a file.
  void renameRequest(Finding &F, SourceLocation Loc, const std::string &From,
                     const std::string &To);
  /// The device the unit drives, from its DMA mask setters' constant masks.
  DeviceDma deviceDma();
  SourcePoint point(SourceLocation L);

  ASTContext &Ctx;
  SourceManager &SM;
  const MacroExpansionLog &Log;
  const AnalysisOptions &Opts;
  DeviceDma Device;
  std::vector<const FunctionDecl *> Functions;
  std::map<const FunctionDecl *, FunctionFacts> Facts;
  std::set<const FunctionDecl *> Called; ///< called by an analysed function
  /// A function-pointer field -> the one function the unit stores in it
  /// and defines (calleeOf()).
  std::map<const FieldDecl *, const FunctionDecl *> FieldCallees;
  std::map<const FieldDecl *, MemValue> FieldFacts;
  /// Per pointer field and tag field of the same struct: the tag's
  /// constants where the field holds each kind, from the objects the
  /// unit's functions hand to their callers; FieldTagAny: the kinds stored
  /// where no tag is followed (they are never dropped).
  std::map<const FieldDecl *, std::map<const FieldDecl *, TagSets>>
      FieldTagFacts;
  std::map<const FieldDecl *, uint16_t> FieldTagAny;
  std::map<const VarDecl *, MemValue> GlobalFacts;
  /// Fields of other units' structs that a call of an imported function
  /// stores a value in (param-field facts).
  std::map<FieldName, MemValue> NamedFieldFacts;
  /// Imported function facts, converted once per callee.
  std::map<const FunctionDecl *, std::optional<FunctionFacts>> Imported;
  llvm::DenseSet<const void *> ExternalOrigins;
  std::map<const FunctionDecl *, std::unique_ptr<CFG>> CFGs;
  std::map<const FunctionDecl *, std::unique_ptr<LocalLiveness>> Liveness;
  /// Functions whose states grew over pass2StateBudget(): not followed.
  std::set<const FunctionDecl *> OverStateBudget;
  llvm::DenseSet<unsigned> SinkMacroNames;
  llvm::DenseMap<unsigned, std::vector<const MacroExpansionLog::CallMacro *>>
      ArgStarts;
  std::set<const MacroExpansionLog::CallMacro *> Resolved;
  llvm::DenseMap<const Expr *, const MacroExpansionLog::CallMacro *>
      MacroSinkArgs;
  const FunctionDecl *Current = nullptr;
  const Expr *CurrentRHS = nullptr;
  bool FactsChanged = false;
  bool Reporting = false;
  SourcePoints Points{SM};
  MemoryCalls Calls;
  AnalysisResult Result;
  /// check|file:offset -> index in Result.Findings of the findings
  /// reported at a call through a callee's sink (report()).
  std::map<std::string, size_t> ViaFindings;
};

} // namespace provenance
} // namespace vmalloc_lint

#endif
