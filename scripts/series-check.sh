#!/usr/bin/env bash
# scripts/series-check.sh TREE SERIES AMDIR: each patch of a --series
# directory checked by hand, as docs/series.md's real runs do: the tree's
# scripts/checkpatch.pl --strict --no-tree (totals and each message), the
# subject's length, To/Cc against the tree's scripts/get_maintainer.pl
# --no-git --no-git-fallback --no-rolestats, then git am of the whole series
# on a fresh git clone of TREE in AMDIR (removed first). Absolute paths.
tree=$1; series=$2; am=$3
cd $tree
for p in $(ls $series/*.patch | grep -v /0000); do
  n=$(basename $p)
  t=$(perl scripts/checkpatch.pl --strict --no-tree $p 2>/dev/null | grep '^total:')
  echo "checkpatch $n: $t"
  perl scripts/checkpatch.pl --strict --no-tree --show-types $p 2>/dev/null | grep -E '^(ERROR|WARNING|CHECK):' | sed 's/^/    /'
  s=$(grep -m1 '^Subject:' $p | sed 's/^Subject: \[PATCH [0-9]*\/[0-9]*\] //')
  echo "  subject ${#s}: $s"
  want=$(perl scripts/get_maintainer.pl --no-git --no-git-fallback --no-rolestats $p 2>/dev/null | sort)
  [ -z "$want" ] && want=$(perl scripts/get_maintainer.pl --no-tree --no-git --no-git-fallback --no-rolestats $p 2>/dev/null | sort)
  got=$(python3 -c '
import re,sys
t=open(sys.argv[1]).read().split("\n\n",1)[0]
out=[]
for h in ("To","Cc"):
    m=re.search(r"^%s: (.*(?:\n    .*)*)"%h,t,re.M)
    if m: out+= [a.strip() for a in m.group(1).split(",\n")]
print("\n".join(out))' $p | sort)
  if [ "$want" = "$got" ]; then echo "  To/Cc = get_maintainer.pl ($(echo "$got" | wc -l) addresses)"; else echo "  To/Cc DIFFER"; diff <(echo "$want") <(echo "$got") | sed 's/^/    /'; fi
done
rm -rf $am
git clone -q -- $tree $am && cd $am && git -c user.name=Am -c user.email=am@example.org am -q $(ls $series/*.patch | grep -v /0000) && echo "git am: applied $(git rev-list --count HEAD~$(ls $series/*.patch | grep -vc /0000)..HEAD) commits" && git diff --shortstat HEAD~$(ls $series/*.patch | grep -vc /0000) HEAD
echo "git am rc $?"
