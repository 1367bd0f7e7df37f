#!/bin/sh
# tests/weave/run.sh: tests of the weave (tangle/nwmodel, book/nwpandoc, book/weave,
# book/run.lua, book/chunks.lua, the LaTeX header, the listing pages of
# book/snapshot-pages), on the sample chapters in tests/weave/chapters/ and
# tests/weave/bad/.
#
# Run from the repository root. Builds into out/test/weave/. Prints one
# "PASS ..." or "FAIL ..." line per check; exits 1 if any check failed.
set -u

T=out/test/weave
S=tests/weave/chapters
NW=$T/nwpandoc
NWM=$T/nwmodel
NOWEB=${NOWEB:-/usr/lib/noweb}
failed=0

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1"; failed=1; }

# check DESC FILE STRING: FILE contains STRING (fixed string).
check() {
    if grep -qF -- "$3" "$2" 2>/dev/null; then pass "$1"; else
        fail "$1"; echo "  expected in $2: $3"; fi
}

# check_not DESC FILE STRING: FILE does not contain STRING.
check_not() {
    if grep -qF -- "$3" "$2" 2>/dev/null; then
        fail "$1"; echo "  not expected in $2: $3"; else pass "$1"; fi
}

rm -rf "$T"
mkdir -p "$T"

# --- the model and the back end build cleanly as strict C99 -------------------
if cc -std=c99 -pedantic -O2 -Wall -Wextra -Werror -o "$NW" book/nwpandoc.c 2> "$T/cc.err" &&
   cc -std=c99 -pedantic -O2 -Wall -Wextra -Werror -o "$NWM" tangle/nwmodel.c 2>> "$T/cc.err"; then
    pass "nwpandoc and nwmodel compile as C99 with -Wall -Wextra -Werror"
else
    fail "nwpandoc and nwmodel compile as C99 with -Wall -Wextra -Werror"; cat "$T/cc.err"
    exit 1
fi

# --- Markdown of the samples ------------------------------------------------
if NWPANDOC=$NW NWMODEL=$NWM book/weave "$T/md" $S/*.nw 2> "$T/weave.err"; then
    pass "book/weave writes the samples' Markdown"
else
    fail "book/weave writes the samples' Markdown"; cat "$T/weave.err"
fi
M1=$T/md/01-first.md
M2=$T/md/02-second.md
check "chunk 1.2 has an anchor and its language" $M1 '``` {#nw-1.2 .c}'
check "a use reads as name and number in code" $M1 '    ⟨main body 1.2⟩'
check "the code block says where each use links to" $M1 'nwlinks="1.4=#nw-1.4 1.2=#nw-1.2"'
check "a continuation is +≡ and links to the first definition" $M1 \
    '[+≡]{.nwdef} [continues [1.2](#nw-1.2)]{.nwcont}'
check "the first definition says where it continues" $M1 'Continued in [1.3](#nw-1.3).'
check "a chunk says which file it ends up in" $M1 '[in `hello.c`]{.nwfile}'
check "a chunk used from two chapters' files names both" $M1 '[in `hello.c`, `lib.c`]{.nwfile}'
check "used in, across chapters" $M1 'Used in [1.1](#nw-1.1), [2.5](02-second.html#nw-2.5).'
check "a replaced chunk links to its replacement" $M1 'Replaced in [2.1](02-second.html#nw-2.1).'
check "a replacement links to all it replaces" $M2 \
    '[replaces [1.2](01-first.html#nw-1.2), [1.3](01-first.html#nw-1.3)]{.nwrepl}'
check "a replacement is used where the replaced chunk was" $M2 'Used in [1.1](01-first.html#nw-1.1).'
check "a deleted chunk links to its deletion" $M1 'Deleted in [2.3](02-second.html#nw-2.3).'
check "a deletion is shown, anchored, with what it deletes" $M2 \
    '[2.3]{.nwnum #nw-2.3} [⟨util\.h⟩]{.nwname} [deleted]{.nwdef} [(defined in [1.5](01-first.html#nw-1.5))]{.nwrepl}'
check "a continuation in a later chapter links back" $M2 '[continues [1.6](01-first.html#nw-1.6)]{.nwcont}'
check "a use of an earlier chapter's chunk links to its page" $M2 'nwlinks="1.4=01-first.html#nw-1.4"'
check "a Makefile is highlighted as makefile" $M1 '``` {#nw-1.6 .makefile}'
check "a linker script has class ld" $M1 '``` {#nw-1.8 .ld}'
check "[[code]] becomes inline code" $M1 'Inline code: `int x = 1 << 2;`,'
check "[[<<chunk>>]] in prose links to the chunk" $M1 'named in prose: [⟨main body 1.2⟩](#nw-1.2).'
check "@<< in code is a literal <<" $M1 '    return 1 << 2;'
check "@@ at the start of a code line is a literal @" $M1 '@ this line starts with an at sign'
check "an experiment says where it is tangled" $M1 '[experiment `out/ch01/try/broken.c`]{.nwfile}'
check "a root chunk is marked as a file" $M1 '[⟨hello\.c⟩]{.nwname} [≡]{.nwdef} [file]{.nwfile}'
line=$(grep -n '^```{.run status=1}' $S/01-first.nw | cut -d: -f1)
check "a run block is tagged with its file and line" $M1 \
    "\`\`\`{.run status=1 nwfile=\"$S/01-first.nw\" nwline=\"$line\"}"
check "other fenced blocks are left alone" $M1 '```c'
check "the page metadata names the next chapter" $M1 'href: "02-second.html"'
check "the index lists the chapters" $T/md/index.md '2. [Second Steps](02-second.html)'
if [ "$(grep -A1 -F '{#nw-1.2 .c}' $M1 | sed -n 2p)" = 'puts("one");' ]; then
    pass "code starts on the line after <<name>>="
else
    fail "code starts on the line after <<name>>="
fi

# Same input, same bytes; a file that did not change keeps its timestamp.
cp -p $M1 "$T/01-first.before"
sleep 1
NWPANDOC=$NW NWMODEL=$NWM book/weave "$T/md" $S/*.nw 2>/dev/null
if cmp -s $M1 "$T/01-first.before" && [ ! $M1 -nt "$T/01-first.before" ]; then
    pass "weaving again changes neither bytes nor timestamps"
else
    fail "weaving again changes neither bytes nor timestamps"
fi

# A prose edit rewrites the chapter's Markdown, not what its listings' sidebar
# (sidebar/) or the indexes (code/: the metadata and the chunks' code) read.
mkdir -p "$T/prose"
cp $S/*.nw "$T/prose/"
NWPANDOC=$NW NWMODEL=$NWM book/weave "$T/prose/md" "$T"/prose/*.nw 2>/dev/null
cp -p "$T/prose/md/code/01-first.md" "$T/prose/code.before"
cp -p "$T/prose/md/sidebar/01-first.yaml" "$T/prose/sidebar.before"
sed -i 's/This sample chapter exercises/This sample chapter tries/' "$T/prose/01-first.nw"
sleep 1
NWPANDOC=$NW NWMODEL=$NWM book/weave "$T/prose/md" "$T"/prose/*.nw 2>/dev/null
if grep -q 'chapter tries' "$T/prose/md/01-first.md" &&
   [ ! "$T/prose/md/code/01-first.md" -nt "$T/prose/code.before" ] &&
   [ ! "$T/prose/md/sidebar/01-first.yaml" -nt "$T/prose/sidebar.before" ]; then
    pass "a prose edit leaves the code blocks and the sidebar files as they were"
else
    fail "a prose edit leaves the code blocks and the sidebar files as they were"
fi
check "the indexes' input has the chunks' code" "$T/prose/md/code/01-first.md" '``` {#nw-1.2 .c}'
check_not "the indexes' input has no prose" "$T/prose/md/code/01-first.md" 'chapter tries'
check "a listing's sidebar lists the chapters" "$T/prose/md/sidebar/02-second.yaml" 'current: true'
check_not "a listing's sidebar has no page title" "$T/prose/md/sidebar/02-second.yaml" 'pagetitle:'

# --- the back end's errors ------------------------------------------------------
nwerr() {   # nwerr DESC EXPECTED-MESSAGE ARGS... < input
    desc=$1 want=$2; shift 2
    "$NW" "$@" > "$T/err.out" 2> "$T/err.txt"
    rc=$?
    if [ $rc -eq 1 ] && grep -qF -- "$want" "$T/err.txt"; then pass "$desc"; else
        fail "$desc"; echo "  exit $rc, stderr:"; cat "$T/err.txt"; fi
}
E=$T/md/model.tsv
printf 'hello\n' | nwerr "a non-pipeline line is an error with its line" \
    'stdin:1: not a noweb pipeline line' -m $E -c x.nw
printf '@file a.nw\n@begin code 0\n@text x\n' | nwerr "a chunk without @defn is an error" \
    'stdin:3: @text' -m $E -c a.nw
printf '@file a.nw\n@begin docs 0\n@text x\n' | nwerr "a truncated pipeline is an error" \
    'the pipeline ends inside a chunk' -m $E -c a.nw
"$NOWEB/markup" -t $S/01-first.nw | "$NWM" > "$T/first.tsv"
"$NOWEB/markup" -t $S/01-first.nw | nwerr "an unknown chapter is an error" \
    'nope.nw: not a chapter of the input' -m "$T/first.tsv" -c nope.nw
"$NOWEB/markup" -t $S/01-first.nw | nwerr "a model of other chapters is an error" \
    'the chunk model is not of this pipeline' -m $E -c $S/01-first.nw
nwerr "no arguments: usage" 'usage:' < /dev/null
head -c 3000 /dev/urandom | tr -d '\000' > "$T/noise"
"$NW" -m $E -c a.nw < "$T/noise" > /dev/null 2>&1
rc=$?
if [ $rc -eq 1 ]; then pass "random input is rejected without a crash"; else
    fail "random input is rejected without a crash (exit $rc)"; fi

# --- run blocks, links in code, pages ----------------------------------------
for n in 01 02; do mkdir -p "$T/ch$n/try"; done
notangle -Rtry/broken.c $S/01-first.nw > "$T/ch01/try/broken.c"
for n in 01-first:01 02-second:02; do
    name=${n%:*} num=${n#*:}
    pandoc -f markdown -t json -L book/run.lua -L book/xref.lua -M chapterdir=$T/ch$num \
        -o "$T/$name.json" "$T/md/$name.md" 2> "$T/$name.run.err" \
    && pandoc -f json "$T/$name.json" -L book/chunks.lua \
        --syntax-definition=book/ld.xml --template book/template.html \
        --metadata-file book/book.yaml --toc --number-sections \
        --number-offset=$(expr $num - 1) -t html -o "$T/$name.html" 2>> "$T/$name.run.err"
    if [ $? -eq 0 ]; then pass "page $name.html is made"; else
        fail "page $name.html is made"; cat "$T/$name.run.err"; fi
done
H1=$T/01-first.html
H2=$T/02-second.html
check "run block shows the command" $H1 '$ cc -o broken broken.c'
check "run block shows the real output" $H1 "undefined reference to \`missing&#39;"
check "run block output has stable temp names" $H1 '/tmp/ccXXXXXX.o'
check "run block shows each command's output" $H1 'compiling broken.c'
check "run block output in the second chapter" $H2 '$ printf &#39;a\nb\n&#39; | wc -l
2</code>'
check "a use in code is a link to its chunk" $H1 '<a class="nwuse" href="#nw-1.2">⟨main body 1.2⟩</a>'
check "a use in code links to another chapter's page" $H2 \
    '<a class="nwuse" href="01-first.html#nw-1.4">⟨hello: includes 1.4⟩</a>'
check "code is highlighted" $H1 '<span class="cf">return</span>'
check "linker scripts are highlighted (book/ld.xml)" $H1 '<span class="kw">ENTRY</span>'
check "the code block carries its anchor" $H1 '<div class="sourceCode" id="nw-1.2">'
check_not "no placeholder is left in the page" $H1 'NWUSE'
check "the page links to the next chapter" $H1 '<a class="next" rel="next" href="02-second.html">'
check "the sidebar marks the current chapter" $H2 '<li class="current"><a href="02-second.html"'
check "chapter pages are numbered from the chapter" $H2 '<span class="header-section-number">2</span>'

check "@slug is the chapter's number, linked (book/xref.lua)" $H1 \
    '<a href="02-second.html#chapter-second">2</a>'
check "the first heading is the target of those links" $H2 '<section id="chapter-second"'
check "{{NN:slug}} in code is that chapter's number" $H1 '<code>out/ch02/os.iso</code>'
check "{{N}} and {{file}} in code are the chapter's own" $H1 \
    '<code>make chapter-1</code> from <code>chapters/01-first.nw</code>'
check "exercises are numbered in order" $H1 '<strong>Exercise 1.2: another</strong>'
printf '# Bad refs\n\nSee chapter @second, and chapter\n@nowhere. `{{N:elsewhere}}`\n' > "$T/03-refs.nw"
if book/xrefs $S/*.nw "$T/03-refs.nw" > "$T/xrefs.out" 2>&1; then
    fail "book/xrefs rejects unknown slugs"
else
    check "an unknown slug: FILE:LINE: unknown chapter 'x'" "$T/xrefs.out" "$T/03-refs.nw:4: unknown chapter 'nowhere'"
    check "an unknown slug in a token too" "$T/xrefs.out" "$T/03-refs.nw:4: unknown chapter 'elsewhere'"
    check_not "a known slug is no error" "$T/xrefs.out" "'second'"
fi

# A failing command stops the weave with the chapter's file and line.
B=tests/weave/bad/01-bad.nw
mkdir -p "$T/bad/ch01/try"
notangle -Rtry/t.sh $B > "$T/bad/ch01/try/t.sh"
"$NOWEB/markup" -t $B > "$T/bad.pipe"
"$NWM" < "$T/bad.pipe" > "$T/bad.tsv"
"$NW" -m "$T/bad.tsv" -c $B -o "$T/bad.md" < "$T/bad.pipe"
pandoc -f markdown -t json -L book/run.lua -M chapterdir=$T/bad/ch01 \
    -o "$T/bad.json" "$T/bad.md" 2> "$T/bad.err"
rc=$?
line=$(grep -n '^\$ sh t.sh' $B | cut -d: -f1)
if [ $rc -ne 0 ]; then pass "a failing run block makes pandoc fail"; else
    fail "a failing run block makes pandoc fail"; fi
check "the failure is reported as FILE:LINE with the status" "$T/bad.err" \
    "$B:$line: command \"sh t.sh; exit 3\" exited 3, expected 0"
check "the failure shows the command's output" "$T/bad.err" 'out'

# --- the run blocks' cache (book/run.lua -M runcache) ---------------------------
# A chapter directory whose roots name one tangled try/ file. Each run of the
# commands adds a line to ../count (outside try/, which a run may empty).
C=$T/cache
R=$C/ch01
mkdir -p "$R/try" "$R/src"
printf 'try t.sh - x.nw\n' > "$R/roots"
printf 'echo one\n' > "$R/try/t.sh"
printf 'int x;\n' > "$R/src/main.c"
printf 'Some prose.\n\n```{.run}\n$ echo ran >> ../count; sh t.sh; touch made; ls\n```\n' > "$C/a.md"
# cached MD: weave MD with the cache into $C/out.json; prints the run count.
cached() {
    pandoc -f markdown -t json -L book/run.lua -M chapterdir=$R -M runcache=$C/runs \
        -o "$C/out.json" "$1" 2> "$C/err" || cat "$C/err"
    wc -l < "$R/count"
}
runs=$(cached "$C/a.md")
pandoc -f markdown -t json -L book/run.lua -M chapterdir=$R -o "$C/plain.json" "$C/a.md"
[ "$runs" = 1 ] && cmp -s "$C/out.json" "$C/plain.json" &&
    pass "cache: a first run runs the commands; the page is as without the cache" ||
    fail "cache: a first run runs the commands; the page is as without the cache ($runs runs)"
sed 's/Some prose/Other prose/' "$C/a.md" > "$C/b.md"
runs=$(cached "$C/b.md")
[ "$runs" = 2 ] && grep -q 'one' "$C/out.json" &&
    pass "cache: a prose edit runs nothing and shows the same output" ||
    fail "cache: a prose edit runs nothing and shows the same output ($runs runs)"
sed 's/touch made/touch made; true/' "$C/a.md" > "$C/c.md"
runs=$(cached "$C/c.md")
[ "$runs" = 3 ] && pass "cache: a changed command runs again" ||
    fail "cache: a changed command runs again ($runs runs)"
printf 'echo two\n' > "$R/try/t.sh"
touch "$R/try/stray"
runs=$(cached "$C/c.md")
[ "$runs" = 4 ] && grep -q 'two' "$C/out.json" && ! grep -q 'stray' "$C/out.json" &&
[ ! -e "$R/try/stray" ] &&
    pass "cache: a changed try/ file runs again, in a try/ emptied of earlier runs' files" ||
    fail "cache: a changed try/ file runs again, in a try/ emptied of earlier runs' files ($runs runs)"
printf 'int y;\n' > "$R/src/main.c"
runs=$(cached "$C/c.md")
[ "$runs" = 5 ] && pass "cache: a changed src/ file runs again" ||
    fail "cache: a changed src/ file runs again ($runs runs)"
rm "$R/try/made"
runs=$(cached "$C/c.md")
[ "$runs" = 6 ] && [ -e "$R/try/made" ] &&
    pass "cache: a file the commands made, removed, makes them run again" ||
    fail "cache: a file the commands made, removed, makes them run again ($runs runs)"
runs=$(cached "$C/c.md")
[ "$runs" = 6 ] && pass "cache: nothing changed, nothing runs" ||
    fail "cache: nothing changed, nothing runs ($runs runs)"

# --- the indexes (book/index.lua) ---------------------------------------------------
for i in chunks identifiers; do
    if pandoc -f markdown "$M1" "$M2" -L book/index.lua -M index=$i -M model=$T/md/model.tsv \
            -t markdown --wrap=none -o "$T/$i.md" 2> "$T/$i.err"; then
        pass "book/index.lua makes the $i index"
    else fail "book/index.lua makes the $i index"; cat "$T/$i.err"; fi
done
check "the chunk index lists definitions and uses" "$T/chunks.md" \
    '**⟨main body⟩**: defined in [1.2](01-first.html#nw-1.2),'
check "the chunk index marks experiments" "$T/chunks.md" 'an experiment, not part of the kernel'
check "the chunk index lists deletions" "$T/chunks.md" 'deleted in [2.3](02-second.html#nw-2.3)'
check "the identifier index finds a C function" "$T/identifiers.md" \
    '`main`{#id-main} *function*: defined in [1.1](01-first.html#nw-1.1)'
check "the identifier index finds a C macro" "$T/identifiers.md" '`UTIL`{#id-UTIL} *macro*'
check_not "the identifier index leaves experiments out" "$T/identifiers.md" 'missing'
# The indexes read the chunk model, not the chunk headers' words: reworded
# headers give the same index.
sed 's/\[deleted\]{\.nwdef}/[gone]{.nwdef}/; s/\[file\]{\.nwfile}/[a file]{.nwfile}/
     s/\[in /[part of /; s/\[experiment /[trial /' "$M1" > "$T/reworded1.md"
sed 's/\[deleted\]{\.nwdef}/[gone]{.nwdef}/; s/\[in /[part of /' "$M2" > "$T/reworded2.md"
pandoc -f markdown "$T/reworded1.md" "$T/reworded2.md" -L book/index.lua -M index=chunks \
    -M model=$T/md/model.tsv -t markdown --wrap=none -o "$T/chunks-reworded.md" 2> "$T/reworded.err"
if grep -q '\[gone\]' "$T/reworded2.md" && cmp -s "$T/chunks.md" "$T/chunks-reworded.md"; then
    pass "the chunk index does not depend on the words of the chunk headers"
else
    fail "the chunk index changed when the chunk headers were reworded"
    diff "$T/chunks.md" "$T/chunks-reworded.md" | sed 's/^/    /'; cat "$T/reworded.err"
fi

# --- the snapshots' listing pages (book/snapshot-pages) ----------------------------
# Two made-up snapshots of the samples: a.c differs between them, b.c is the
# same, same.h has the same bytes but is C in one and plain text in the other.
# Listings share one highlighting cache across snapshots; each page must
# still show its own snapshot's text, in its own language, with the bytes
# a page rendered without the cache has.
P=$T/pages
mkdir -p "$P/snaps/ch01/plain" "$P/snaps/ch02/plain" "$P/book/md"
cp -R "$T/md/sidebar" "$P/book/md/"
printf 'int snapshot_one(void);\n' > "$P/snaps/ch01/plain/a.c"
printf 'int snapshot_two(void);\n' > "$P/snaps/ch02/plain/a.c"
printf 'static int unchanged;\n' | tee "$P/snaps/ch01/plain/b.c" > "$P/snaps/ch02/plain/b.c"
printf 'int same_bytes;\n' | tee "$P/snaps/ch01/plain/same.h" > "$P/snaps/ch02/plain/same.h"
printf 'src a.c c x\nsrc b.c c x\nsrc same.h c x\n' > "$P/snaps/ch01/roots"
printf 'src a.c c x\nsrc b.c c x\nsrc same.h - x\n' > "$P/snaps/ch02/roots"
cp -R "$P/book" "$P/cold"; cp -R "$P/book" "$P/both"
# pandoc, noting in rendered the pages that book/listings.lua is asked for
printf '%s\n' '#!/bin/sh' \
    'for a; do case $a in listings=*) cat "${a#listings=}" >> "${0%/*}/rendered" ;; esac; done' \
    'exec pandoc "$@"' > "$P/pandoc"
chmod +x "$P/pandoc"
pages() {   # pages BOOKDIR CHAPTER...: book/snapshot-pages of the samples' snapshots
    PANDOC=$P/pandoc SNAPSHOTS=$P/snaps book/snapshot-pages "$@" >> "$P/err" 2>&1
}
L1=$P/book/snapshots/ch01 L2=$P/book/snapshots/ch02
if pages "$P/book" $S/01-first.nw && pages "$P/book" $S/01-first.nw $S/02-second.nw &&
   pages "$P/cold" $S/01-first.nw $S/02-second.nw; then
    pass "book/snapshot-pages makes the samples' listing pages"
else
    fail "book/snapshot-pages makes the samples' listing pages"; cat "$P/err"
fi
check "snapshot 1's page of a file shows snapshot 1's text" "$L1/a.c.html" 'snapshot_one'
check_not "snapshot 1's page of a file does not show snapshot 2's" "$L1/a.c.html" 'snapshot_two'
check "snapshot 2's page of a file shows snapshot 2's text" "$L2/a.c.html" 'snapshot_two'
check_not "snapshot 2's page of a file does not show snapshot 1's" "$L2/a.c.html" 'snapshot_one'
check "the same bytes as C are highlighted as C" "$L1/same.h.html" '<span class="dt">int</span>'
check_not "the same bytes as plain text are not highlighted as C" "$L2/same.h.html" '<span class="dt">'
n=$(find "$P/book/snap/hl" -type f | wc -l)
[ "$n" -eq 5 ] && pass "the file both snapshots hold alike is highlighted once (5 in the cache)" ||
    fail "the cache has $n highlighted files, not 5 (a.c twice, b.c once, same.h as C and as plain)"
if diff -r "$P/book/snapshots/ch02" "$P/cold/snapshots/ch02" > "$P/diff" &&
   cmp -s "$P/book/snap/02-second.md" "$P/cold/snap/02-second.md"; then
    pass "pages made from the cache have the bytes of pages made without it"
else
    fail "pages made from the cache differ from pages made without it"; head -20 "$P/diff"
fi
# Both snapshots at once (make -j), from an empty cache: the same pages.
pages "$P/both" $S/01-first.nw & pages "$P/both" $S/01-first.nw $S/02-second.nw & wait
if diff -r "$P/book/snapshots" "$P/both/snapshots" > "$P/diff"; then
    pass "two snapshots made at once make the same pages"
else
    fail "two snapshots made at once make other pages"; head -20 "$P/diff"; cat "$P/err"
fi
# An edit to one file renders its page alone; the next run renders and
# writes nothing.
printf 'int snapshot_two_edited(void);\n' > "$P/snaps/ch02/plain/a.c"
: > "$P/rendered"
pages "$P/book" $S/01-first.nw $S/02-second.nw
check "an edited file's page shows the edit" "$L2/a.c.html" 'snapshot_two_edited'
rendered=$(cut -d ' ' -f 2 "$P/rendered")
[ "$rendered" = "$L2/a.c.html" ] && pass "an edit to one file renders its page alone" ||
    fail "an edit to one file rendered: $(echo $rendered)"
: > "$P/rendered"; touch "$P/mark"; sleep 1
pages "$P/book" $S/01-first.nw $S/02-second.nw
newer=$(find "$P/book/snapshots" "$P/book/snap" -newer "$P/mark" -type f)
[ ! -s "$P/rendered" ] && [ -z "$newer" ] &&
    pass "made again without a change, the snapshot renders and writes nothing" ||
    fail "made again without a change, the snapshot rendered $(cut -d ' ' -f 2 "$P/rendered") and wrote $(echo $newer)"
n=$(find "$P/book/snap/hl" -type f | wc -l)
book/snapshot-pages -c "$P/book"
m=$(find "$P/book/snap/hl" -type f | wc -l)
[ "$n" -eq 6 ] && [ "$m" -eq 5 ] && [ -n "$(find "$P/book/snap/hl" -name "c.$(sha256sum < "$P/snaps/ch02/plain/a.c" | cut -c1-64).html")" ] &&
    pass "the cache loses the file no snapshot holds any more (-c), and keeps the others" ||
    fail "the cache had $n files, then $m after -c (expected 6, then 5)"

# --- the PDF ----------------------------------------------------------------------
if pandoc -f json "$T/01-first.json" "$T/02-second.json" -L book/chunks.lua \
        --syntax-definition=book/ld.xml \
        -M imagedir=$T --metadata-file book/book.yaml -H book/header.tex -s -t latex \
        --toc --number-sections --top-level-division=chapter -o "$T/book.tex" 2> "$T/tex.err"; then
    pass "LaTeX of the samples is made"
else
    fail "LaTeX of the samples is made"; cat "$T/tex.err"
fi
check "a use in code is a LaTeX link with a page reference" "$T/book.tex" '\nwuse{1.2}{main body 1.2}'
check "a link to a chunk gives its page in LaTeX" "$T/book.tex" '\hyperlink{nw-2.1}{2.1}\nwpage{nw-2.1}'
check "links to another chapter's page become links in the book" "$T/book.tex" \
    '\hyperlink{nw-2.1}{2.1}'
check "linker scripts are highlighted in LaTeX" "$T/book.tex" '\KeywordTok{ENTRY}'
mkdir -p "$T/tex"
( cd "$T" && for i in 1 2; do SOURCE_DATE_EPOCH=0 FORCE_SOURCE_DATE=1 pdflatex \
    -interaction=nonstopmode -halt-on-error -output-directory=tex book.tex > tex/out.txt 2>&1 || exit 1; done )
if [ $? -eq 0 ] && [ -f "$T/tex/book.pdf" ]; then
    pass "pdflatex typesets the samples"
    pdftotext "$T/tex/book.pdf" "$T/book.txt"
    check "⟨ ⟩ and ≡ appear in the PDF" "$T/book.txt" '1.2 ⟨main body⟩ ≡ in hello.c'
    check "uses appear in the PDF's code, with their page" "$T/book.txt" '⟨main body 1.2, p. 1⟩'
    check "chunk links in the PDF give their page" "$T/book.txt" 'Used in 1.1 (p. 1)'
    if grep -q 'Missing character\|undefined' "$T/tex/book.log"; then
        fail "no missing glyph or undefined reference in the PDF"
        grep 'Missing character\|undefined' "$T/tex/book.log" | head -5
    else pass "no missing glyph or undefined reference in the PDF"; fi
else
    fail "pdflatex typesets the samples"; tail -20 "$T/tex/out.txt"
fi

exit $failed
