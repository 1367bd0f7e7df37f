#!/bin/sh
# onefile: a chapter is one file. A throwaway kernel chapter added to a copy
# of this tree, and nothing else changed, is tangled, built, booted under
# test, woven and indexed, checked for reproducibility, host-tested and
# graded; without its boot test the build stops and names it; and
# renumbering is a rename of files only.
#
# Usage: tests/onefile.sh   (from the repository root)
#
# The copy is the tree's files (git ls-files, new ones included) in a
# temporary directory, with this tree's out/tools and out/deps.mk so that
# it does not build them again. The throwaway chapter, NN-throwaway.nw (NN:
# one after the last chapter), replaces the greeting: it [replace]s the
# chunk that holds "Hello World!" with its text as the chapter that
# greets leaves it, but the greeting; it declares its boot test (the new greeting, anywhere
# on the screen: earlier init steps may print first) and exercise 1, "twice", a kernel of its own built by
# `make exercises` whose public test is a block of the chapter (the earlier
# chapters' exercise files stay in its snapshot, unbuilt: deleting them
# would tie it to the chapter before it). Only what the
# checks need is built (a test's out file, a page, the exercise), not the
# whole of make test. Then:
# - its boot test block taken out: make stops with "chapters/NN-throwaway.nw:
#   kernel chapter declares no boot expectation", and its image is as it was;
# - the last chapter renamed to NN+1, so that the throwaway comes before it:
#   both build, and their boot tests (under their new numbers) pass, but
#   for those of the renamed chapter that check the greeting, which the
#   throwaway changed for the chapters after it, unless the renamed chapter
#   defines the greeting again.
out=out/test/onefile
root=$(pwd)
suite=onefile; . tests/check.sh
rm -rf "$out" && mkdir -p "$out"
out=$root/$out

tree=$(mktemp -d "${TMPDIR:-/tmp}/onefile.XXXXXX") || exit 1
trap 'rm -rf "$tree"' EXIT
trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 143' TERM
git ls-files -co --exclude-standard | while read -r f; do [ -e "$f" ] && echo "$f"; done |
    tar -cf - -T - | tar -xf - -C "$tree" || { fail "cannot copy the tree to $tree"; exit 1; }
mkdir -p "$tree/out" && { cp -pR out/tools "$tree/out/"; cp -p out/deps.mk "$tree/out/"; } 2>/dev/null
cd "$tree" || exit 1
m() { make --no-print-directory "$@"; }

# The chapters as they are: the last one, and the throwaway's number.
last=$(ls chapters/[0-9][0-9]-*.nw | tail -n 1)
n=$(basename "$last" | cut -c1-2)
lastslug=$(basename "$last" .nw | cut -c4-)
nn=$(printf %02d $((${n#0} + 1)))
new=chapters/$nn-throwaway.nw
N=${nn#0}

# The chunk holding the greeting (the last that is not a file), and its
# text as the chapters before the last leave it (a [replace] starts it
# again, a plain definition continues it): the continuations after the
# greeting (a breakpoint, the idle loop) stay, so that the chapters after
# the throwaway still work; the last chapter's own are left out, since it
# moves after the throwaway below.
awk -v last="$last" '
    FILENAME == last { next }
    /^<<.*>>=[ \t]*$/ {
        name = $0; sub(/^<</, "", name); sub(/>>=[ \t]*$/, "", name)
        if (sub(/ \[replace\]$/, "", name)) text[name] = ""
        if (sub(/ \[delete\]$/, "", name)) deleted[name] = 1
        in_code = 1; greets = 0; next
    }
    in_code && /^@([ \t]|$)/ {
        in_code = 0
        # (not a file of its own: an exercise may print the words too)
        if (greets && name ~ / /) greeting[++k] = name
        next
    }
    in_code { text[name] = text[name] $0 "\n"; if (index($0, "Hello World!")) greets = 1 }
    # The last one still there: a chunk of an exercise that a later chapter
    # deletes (its dumps print the words too) is not the greeting.
    END { for (i = k; i > 0; i--) if (!(greeting[i] in deleted)) {
              printf "%s\n%s", greeting[i], text[greeting[i]]; exit } }
' chapters/[0-9][0-9]-*.nw > "$out/greeting"
chunk=$(head -n 1 "$out/greeting")
[ -n "$chunk" ] || { fail "no chunk of the chapters holds \"Hello World!\""; exit 1; }

# --- The throwaway chapter ---------------------------------------------------
{
cat <<EOF
# A Throwaway Chapter

This chapter exists only in a copy of the book that \`tests/onefile.sh\`
makes: it changes the greeting of chapter @$lastslug, and has one exercise.
Its kernel is \`out/ch{{NN}}/os.iso\`.

<<$chunk [replace]>>=
EOF
tail -n +2 "$out/greeting" | sed 's/Hello World!/Hello from a throwaway chapter!/'
cat <<'EOF'
@

The new greeting (somewhere on the screen: the init steps of the
chapters before may print before it):

```{.expect}
boot  iso os.iso
contains "Hello from a throwaway chapter!"
end   halt
```

## Exercises

EOF
cat <<EOF
**Exercise: twice** (programming). Write \`twice\`, which doubles
its argument. The exercise's kernel shows \`twice(21)\`.

<<exercises/twice.c>>=
// exercises/twice.c: the exercise "twice", twice(n) is 2n; this kernel_run,
// in place of kernel/hello.c's, shows twice(21).
#include "kernel/kernel.h"
#include "kernel/kprintf.h"
#include "kernel/panic.h"

static long twice(long n)
{
    // BEGIN SOLUTION 1
    return 2 * n;
    // STUB
    // (void)n;
    // panic("TODO: exercise twice");
    // END SOLUTION
}

void kernel_run(void)
{
    kprintf("twice(21) is %ld\n", twice(21));
}
@

<<Makefile: exercise kernels [replace]>>=
EXERCISES += twice
EX_twice_OBJS = \$(filter-out kernel/hello.o,\$(KERNEL_OBJS)) exercises/twice.o
@

EOF
cat <<'EOF'
```{.expect name=twice exercise=1 points=3}
boot  iso ex/twice/os.iso
contains "twice(21) is 42"
end   halt
```
EOF
} > "$new"
cp "$new" "$out/$(basename "$new")"

# --- Tangled, built, booted -------------------------------------------------------
m -s print-TEST_OUTS > "$out/test-outs" 2>&1
for t in boot-$nn-throwaway bochs-$nn-throwaway check-ch$nn repro; do
    grep -q "out/test/$t\.out" "$out/test-outs" && pass "make test runs $t" ||
        fail "make test does not run $t (see $out/test-outs)"
done
m -s print-NUMS | grep -qw "$nn" && pass "make test's repro.out checks snapshot $nn (NUMS)" ||
    fail "NUMS lacks $nn: tests/repro.sh would not check it"
# verdict NAME: out/test/NAME.out of the copy has PASS lines and no FAIL.
verdict() {
    f=out/test/$1.out
    if [ -s "$f" ] && grep -q '^PASS ' "$f" && ! grep -q '^FAIL ' "$f"; then
        pass "$1: $(grep -c '^PASS ' "$f") checks passed${2:+ ($2)}"
    else
        fail "$1:"; { cat "$f" 2>/dev/null || echo "(no $f)"; } | sed 's/^/    /'
    fi
}
m out/test/boot-$nn-throwaway.out > "$out/boot.log" 2>&1
verdict boot-$nn-throwaway "tangled, built and booted"
m out/test/check-ch$nn.out > "$out/check.log" 2>&1
verdict check-ch$nn "the snapshot's host tests"

# --- Woven and indexed --------------------------------------------------------------
page=out/book/$nn-throwaway.html
m "$page" out/book/chunks.html > "$out/weave.log" 2>&1
if grep -q 'Hello from a throwaway chapter!' "$page" 2>/dev/null && ! grep -q 'boot  iso os.iso' "$page"; then
    pass "woven: $page shows the new greeting and not the test blocks"
else
    fail "woven: $page:"; tail -n 5 "$out/weave.log" | sed 's/^/    /'
fi
# numbers (chapters/README.md, "Chapter numbers"): in want, "|" stands for "
numbers() {
    for want in "$@"; do
        grep -qF -- "$(echo "$want" | tr '|' '"')" "$page" || { fail "numbers: $page lacks $want"; return; }
    done
    pass "numbers: $page has $*"
}
numbers "<a href=|$n-$lastslug.html#chapter-$lastslug|>${n#0}</a>" "out/ch$nn/os.iso" \
    "Exercise $N.1: twice" "Solution $N.1"

# An unknown slug: the build names the chapter and the line.
cp "$new" "$out/with-test.nw"
echo "See chapter @no-such-chapter." >> "$new"
m out/book/md.stamp > "$out/unknown.log" 2>&1
st=$?
want="$new:$(wc -l < "$new"): unknown chapter 'no-such-chapter'"
if [ $st -ne 0 ] && grep -qxF "$want" "$out/unknown.log"; then
    pass "unknown slug: make stops with \"$want\""
else
    fail "unknown slug: status $st:"; sed 's/^/    /' "$out/unknown.log"
fi
cp "$out/with-test.nw" "$new"
if grep -q "exercises/twice.c" out/book/chunks.html && grep -q "href=\"$nn-throwaway.html#" out/book/chunks.html; then
    pass "indexed: out/book/chunks.html lists the chapter's chunks"
else
    fail "indexed: out/book/chunks.html does not list exercises/twice.c with a link to $nn-throwaway.html"
fi

# --- Reproducible ---------------------------------------------------------------------
tests/repro.sh "$nn" > "$out/repro.log" 2>&1
if grep -q '^PASS ' "$out/repro.log" && ! grep -q '^FAIL ' "$out/repro.log"; then
    pass "snapshot $nn builds byte for byte the same again (tests/repro.sh)"
else
    fail "tests/repro.sh $nn:"; sed 's/^/    /' "$out/repro.log"
fi

# --- Graded ------------------------------------------------------------------------
m grade EX="$N.1" > "$out/grade.log" 2>&1
if grep -Eq "^OK +$N\.1 +ex$N\.1-twice " "$out/grade.log" && grep -qx 'Score: 3/3' "$out/grade.log"; then
    pass "graded: make grade EX=$N.1 runs the chapter's exercise test, 3/3"
else
    fail "make grade EX=$N.1:"; sed 's/^/    /' "$out/grade.log"
fi

# --- No boot test: the build names the chapter ---------------------------------------
sum=$(cksum < out/ch$nn/os.iso)
cp "$new" "$out/with-test.nw"
awk '/^```\{\.expect\}$/ { skip = 1 } !skip { print } skip && /^```$/ { skip = 0 }' "$out/with-test.nw" > "$new"
m out/ch$nn/build.stamp > "$out/no-test.log" 2>&1
st=$?
want="$new: kernel chapter declares no boot expectation"
if [ $st -ne 0 ] && grep -q "^$want" "$out/no-test.log" && [ "$(cksum < out/ch$nn/os.iso)" = "$sum" ]; then
    pass "no boot test: make stops with \"$want\", the image as it was"
else
    fail "no boot test: status $st:"; sed 's/^/    /' "$out/no-test.log"
fi
cp "$out/with-test.nw" "$new"

# --- Renumbered: the last chapter after the throwaway -------------------------------------
after=$(printf %02d $((N + 1)))
moved=chapters/$after-$lastslug.nw
mv "$last" "$moved"
if m build > "$out/renumbered.log" 2>&1; then
    pass "renumbered: $last as $moved, after the throwaway: every chapter builds"
else
    fail "renumbered: make build:"; tail -n 10 "$out/renumbered.log" | sed 's/^/    /'
fi
# The boot tests of both chapters, found under their numbers.
redefines=$(grep -c "^<<$chunk \[replace\]>>=" "$moved")
tests=$(sed -n "s#^EXPECT_boot += out/ch\($nn\|$after\)/expect/\(.*\)\.expect#\2#p" out/expects.mk)
echo "$tests" | grep -q "^$nn-throwaway\$" && echo "$tests" | grep -q "^$after-" &&
    pass "renumbered: the boot tests are $(echo $tests)" ||
    fail "renumbered: boot tests of $nn and $after: $(echo $tests)"
for t in $tests; do
    m out/test/boot-$t.out > /dev/null 2>&1
    if [ "${t%%-*}" = "$after" ] && [ "$redefines" -eq 0 ] &&
       grep -q 'Hello World!' out/ch$after/expect/$t.expect; then
        grep -q "Hello from a throwaway chapter!" out/test/boot-$t/screen.txt 2>/dev/null &&
            pass "boot-$t: shows the throwaway's greeting, as a chapter after it should" ||
            fail "boot-$t: does not show the throwaway's greeting"
        continue
    fi
    verdict "boot-$t"
done

# Its text and exercises follow: its page, the throwaway's reference to it,
# the rubric; and nothing says its old number.
page=out/book/$after-$lastslug.html
m "$page" out/book/$nn-throwaway.html > "$out/renumbered-weave.log" 2>&1 ||
    { fail "renumbered: make $page:"; tail -n 5 "$out/renumbered-weave.log" | sed 's/^/    /'; }
want=
grep -q '^\*\*Exercise: ' "$moved" && want="Exercise $((N + 1)).1:"
grep -q '^!\[.*\]([A-Za-z0-9_-]*\.png)' "$moved" && want="$want img/ch$after/"
grep -q 'make chapter-{{N}}' "$moved" && want="$want make chapter-$((N + 1))"
[ -z "$want" ] || numbers $want
stale=$(grep -noE "(Exercise|Solution|Answer) ${n#0}\.[0-9]|ch$n/|chapter-${n#0}\b|$n-$lastslug" "$page" | head -n 3)
[ -z "$stale" ] && pass "renumbered: $page says $n nowhere as its number" ||
    fail "renumbered: $page still says its old number: $stale"
page=out/book/$nn-throwaway.html
numbers "<a href=|$after-$lastslug.html#chapter-$lastslug|>$((N + 1))</a>"
if grep -q "^${n#0}\." out/rubric; then
    fail "renumbered: out/rubric still lists exercises of chapter ${n#0}: $(grep "^${n#0}\." out/rubric | head -n 1)"
elif ! grep -q '^[0-9]' out/rubric || { grep -q 'exercise=' "$moved" && ! grep -q "^$((N + 1))\.1 " out/rubric; }; then
    fail "renumbered: out/rubric lacks exercise $((N + 1)).1 of $moved"
else
    pass "renumbered: out/rubric lists the exercises of $moved as $((N + 1)).M"
fi
exit $failed
