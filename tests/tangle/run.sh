#!/bin/sh
# Tests of the tangler (tangle/snapshot with nwmodel, nwcheck, nwreplace and nwtangle).
#
# Run from the repository root after the tools are built (make test does both).
# - Each broken fixture (a directory with chapters and an "expect" file) must
#   fail with exactly the file:line messages in "expect" and write nothing.
# - good/: a replace, a continuation after it, a deleted root and experiments
#   tangle to exactly the files in good/want/.
# - A broken chapter leaves an earlier good snapshot byte for byte and time
#   for time as it was; a re-tangle keeps unchanged files' timestamps; a file
#   that is no longer a root disappears.
# - nwtangle writes what noweb's nt writes, byte for byte, for every
#   snapshot of the book and nwtangle/'s tricky cases, plain and with line
#   directives; it reports an undefined chunk or a cycle at its use.
# - lines/: gcc and nasm report errors at the chapter's line.
# - The top-level Makefile refuses two chapters with the same number.
# - Interrupts: make (INT or TERM to its whole process group) interrupted just
#   after snapshot moved a file in: the next make rebuilds the kernel. The
#   snapshot, book/weave and the grader, signalled, clean up and exit 128+N
#   instead of carrying on.
# - A prose edit tangles nothing again; a line added above the code does.
T=tests/tangle
W=out/test/tangle
rm -rf "$W"; mkdir -p "$W"
suite=tangle; . tests/check.sh


# --- broken chapters -----------------------------------------------------------
for expect in "$T"/*/expect; do
    dir=${expect%/expect}; name=${dir#"$T"/}
    if tangle/snapshot "$W/$name" "$dir"/*.nw > "$W/$name.out" 2> "$W/$name.err"; then
        fail "$name: a broken chapter was accepted"
    elif ! cmp -s "$expect" "$W/$name.err"; then
        fail "$name: wrong messages"; diff "$expect" "$W/$name.err" | sed 's/^/    /'
    elif [ -n "$(find "$W/$name" -type f 2> /dev/null)" ]; then
        fail "$name: files were written although the chapter is broken"
    else
        pass "$name: $(head -n 1 "$expect" | sed 's/^[^ ]* //')"
    fi
done

# --- a good two-chapter book ------------------------------------------------------
good="$T/good/01-a.nw $T/good/02-b.nw"
if ! tangle/snapshot "$W/good" $good; then
    fail "good: tangling failed"
elif diff -r "$T/good/want/src" "$W/good/src" > "$W/good.diff" &&
     diff -r "$T/good/want/try" "$W/good/try" >> "$W/good.diff"; then
    pass "good: replace, continuation, delete and try/ (a name chapter 1 used too) give the expected files"
else
    fail "good: tangled files differ from $T/good/want"; sed 's/^/    /' "$W/good.diff"
fi
[ -f "$W/good/tangle.stamp" ] && pass "good: the stamp is written" ||
    fail "good: no tangle.stamp"

# The chunk model of the same book (tangle/nwmodel): generations, replaces,
# the delete, uses, roots, languages and the per-chapter try/ names.
/usr/lib/noweb/markup -t $good | out/tools/nwmodel > "$W/model.tsv" &&
    cmp -s "$T/good/want/model.tsv" "$W/model.tsv" &&
    pass "model: nwmodel writes the expected chunk model of good/" ||
    { fail "model: nwmodel's model of good/ differs"; diff "$T/good/want/model.tsv" "$W/model.tsv" | sed 's/^/    /'; }
printf '# nwmodel 1\nchunk\t0\t5\t1\t1\tdefn\t-\t-\tx\n' > "$W/bad-model.tsv"
out/tools/nwcheck "$W/bad-model.tsv" > /dev/null 2> "$W/bad-model.err"
[ $? -eq 2 ] && grep -qxF "$W/bad-model.tsv:2: not a chunk model (tangle/nwmodel): an index out of range" "$W/bad-model.err" &&
    pass "model: a broken model is refused at its line" ||
    { fail "model: a broken model was not refused"; sed 's/^/    /' "$W/bad-model.err"; }

/usr/lib/noweb/markup -t "$T/good/01-a.nw" | out/tools/nwreplace "$W/model.tsv" > /dev/null 2> "$W/other-model.err"
[ $? -eq 2 ] && grep -qF 'the pipeline has fewer chunks than the model' "$W/other-model.err" &&
    pass "model: nwreplace refuses the model of other chapters" ||
    { fail "model: nwreplace used the model of other chapters"; sed 's/^/    /' "$W/other-model.err"; }

# Snapshot 1 of the same book still has the root that chapter 2 deletes, and
# chapter 1's experiment try/first.c, not chapter 2's of the same name.
tangle/snapshot "$W/good1" "$T/good/01-a.nw" &&
    [ -f "$W/good1/src/old/legacy.c" ] && [ "$(cat "$W/good1/try/first.c")" = "int first;" ] &&
    grep -q 'return 0;' "$W/good1/src/kernel/main.c" &&
    ! grep -q 'return 2;' "$W/good1/src/kernel/main.c" &&
    pass "good: snapshot 1 is tangled from chapter 1 alone" ||
    fail "good: snapshot 1 shows code from chapter 2 or lacks its own"

# A broken third chapter changes nothing in the existing snapshot.
listing() { (cd "$1" && find . -type f -exec ls -l --time-style=full-iso {} + | sort &&
    find . -type f -exec md5sum {} + | sort); }
listing "$W/good" > "$W/before"
sleep 1
cp "$T/undefined/01-a.nw" "$W/03-broken.nw"
if tangle/snapshot "$W/good" $good "$W/03-broken.nw" 2> /dev/null; then
    fail "intact: a broken chapter was accepted"
else
    listing "$W/good" > "$W/after"
    cmp -s "$W/before" "$W/after" && pass "intact: a broken chapter leaves the earlier snapshot untouched" ||
        fail "intact: the earlier snapshot changed"
    [ -z "$(find "$W/good" -name '.tangle.*')" ] && pass "intact: no temporary files are left behind" ||
        fail "intact: temporary files left behind"
fi

# Re-tangling the same chapters keeps every timestamp.
tangle/snapshot "$W/good" $good
listing "$W/good" | grep -v tangle.stamp > "$W/again"
grep -v tangle.stamp "$W/before" | cmp -s - "$W/again" &&
    pass "incremental: unchanged files (and content.stamp) keep their timestamps" ||
    fail "incremental: unchanged files were rewritten"

# Changing one chunk rewrites its file only (chapters copied, so that the
# line directives name the same files before and after the edit).
mkdir -p "$W/edit"
cp "$T/good/01-a.nw" "$T/good/02-b.nw" "$W/edit/"
tangle/snapshot "$W/edit/out" "$W/edit/01-a.nw" "$W/edit/02-b.nw"
before=$(stat -c %y "$W/edit/out/src/kernel/main.c" "$W/edit/out/src/boot/boot.asm")
stamp=$(stat -c %y "$W/edit/out/content.stamp")
plain=$(stat -c %y "$W/edit/out/plain.stamp")
sleep 1
sed 's/    hlt/    cli\n    hlt/' "$T/good/02-b.nw" > "$W/edit/02-b.nw"
tangle/snapshot "$W/edit/out" "$W/edit/01-a.nw" "$W/edit/02-b.nw"
after=$(stat -c %y "$W/edit/out/src/kernel/main.c" "$W/edit/out/src/boot/boot.asm")
if grep -q cli "$W/edit/out/src/boot/boot.asm" &&
   [ "$(echo "$before" | head -n 1)" = "$(echo "$after" | head -n 1)" ] &&
   [ "$(echo "$before" | tail -n 1)" != "$(echo "$after" | tail -n 1)" ]; then
    pass "incremental: an edited chunk rewrites its own file and no other"
else
    fail "incremental: wrong files rewritten after an edit"
fi
[ "$(stat -c %y "$W/edit/out/content.stamp")" != "$stamp" ] &&
    pass "incremental: an edit that changes a file touches content.stamp" ||
    fail "incremental: content.stamp not touched although a file changed"
[ "$(stat -c %y "$W/edit/out/plain.stamp")" != "$plain" ] &&
    pass "incremental: an edit that changes a file's text touches plain.stamp" ||
    fail "incremental: plain.stamp not touched although a file's text changed"

# Prose that moves code to other lines changes the line directives of src/,
# not plain/: content.stamp is touched, plain.stamp (book/snapshot-pages) not.
stamp=$(stat -c %y "$W/edit/out/content.stamp")
plain=$(stat -c %y "$W/edit/out/plain.stamp")
sleep 1
sed '1a\
\
A line of prose.' "$W/edit/02-b.nw" > "$W/edit/02-b.new" && mv "$W/edit/02-b.new" "$W/edit/02-b.nw"
tangle/snapshot "$W/edit/out" "$W/edit/01-a.nw" "$W/edit/02-b.nw"
if [ "$(stat -c %y "$W/edit/out/content.stamp")" != "$stamp" ] &&
   [ "$(stat -c %y "$W/edit/out/plain.stamp")" = "$plain" ]; then
    pass "incremental: prose that moves code lines touches content.stamp, not plain.stamp"
else
    fail "incremental: prose that moves code lines touches content.stamp, not plain.stamp"
fi

# A root that disappears takes its file with it.
tangle/snapshot "$W/good" "$T/good/01-a.nw" > /dev/null
tangle/snapshot "$W/good" $good
[ ! -e "$W/good/src/old/legacy.c" ] && [ ! -d "$W/good/src/old" ] &&
    pass "removal: a deleted root's file and empty directory are removed" ||
    fail "removal: old/legacy.c survived its [delete]"

# --- nwtangle: noweb's nt, byte for byte ---------------------------------------------
# nwtangle writes every file of a snapshot in one pass; each must be what
# noweb's nt writes for its root: plain, with C's and with NASM's line
# directives, for every snapshot of the book and for nwtangle/ (a use in
# the middle of an indented line, a chunk used twice, a use after a tab, an
# empty chunk, text after a use of two lines, a continued root, a root that
# starts with an indented use, a chapter that ends without a newline).
# nt tangles them all in one run (one -R a root), but it does not forget
# where it was between roots; a separator root from a file of its own,
# tangled between them, makes it write each root's first line directive as
# a run of its own would.
C_LINES='#line %L "%F"%N'
NASM_LINES='%%line %-1L+1 %F%N'
SEP='nwtangle test separator'
# same_as_nt DIR CHAPTER...: tangle the snapshot of the chapters with both;
# print the first difference and return 1 if there is one.
same_as_nt() {
    d=$1; shift
    mkdir -p "$d/files"
    /usr/lib/noweb/markup -t "$@" > "$d/markup" &&
        out/tools/nwmodel < "$d/markup" > "$d/model" &&
        out/tools/nwcheck "$d/model" > "$d/roots" &&
        out/tools/nwreplace "$d/model" < "$d/markup" > "$d/pipeline" || return 1
    printf '@file %s\n@begin code 0\n@defn %s\n@nl\n@text %s\n@nl\n@end code 0\n' \
        "$SEP" "$SEP" "$SEP" >> "$d/pipeline"
    : > "$d/list"
    for mode in plain c nasm; do
        case $mode in plain) fmt= ;; c) fmt=$C_LINES ;; nasm) fmt=$NASM_LINES ;; esac
        set --
        i=1000
        while read -r kind path rest; do
            root=$path; [ "$kind" = src ] || root=try/$path
            set -- "$@" -R"$root" -R"$SEP"
            printf '%s\t%s/files/%s.%d\t%s\n' "$root" "$d" $mode $((i += 1)) "$fmt" \
                "$SEP" "$d" $mode $((i += 1)) "$fmt" >> "$d/list"
        done < "$d/roots"
        /usr/lib/noweb/nt -t ${fmt:+"-L$fmt"} "$@" < "$d/pipeline" > "$d/nt.$mode" || return 1
    done
    out/tools/nwtangle "$d/list" < "$d/pipeline" || return 1
    for mode in plain c nasm; do
        cat "$d/files/$mode".* > "$d/nwtangle.$mode"
        diff "$d/nt.$mode" "$d/nwtangle.$mode" > "$d/$mode.diff" ||
            { echo "    $mode, $(wc -l < "$d/roots") roots:"; head -n 20 "$d/$mode.diff" | sed 's/^/    /'; return 1; }
    done
}
same_as_nt "$W/nt/unit" "$T/nwtangle/01-a.nw" &&
    pass "nwtangle: nwtangle/ is tangled as nt tangles it, plain and with C's and NASM's line directives" ||
    fail "nwtangle: nwtangle/ is not tangled as nt tangles it"
tangle/snapshot "$W/unit" "$T/nwtangle/01-a.nw" &&
    diff -r "$T/nwtangle/want/src" "$W/unit/src" > "$W/unit.diff" &&
    diff -r "$T/nwtangle/want/plain" "$W/unit/plain" >> "$W/unit.diff" &&
    diff -r "$T/nwtangle/want/try" "$W/unit/try" >> "$W/unit.diff" &&
    pass "nwtangle: the snapshot of nwtangle/ is nwtangle/want/ (indentation, directives, no final newline)" ||
    { fail "nwtangle: the snapshot of nwtangle/ differs from nwtangle/want/"; sed 's/^/    /' "$W/unit.diff"; }
chapters=
for ch in chapters/[0-9]*.nw; do
    chapters="$chapters $ch"
    n=$(basename "$ch" | sed 's/-.*//')
    same_as_nt "$W/nt/$n" $chapters &&
        pass "nwtangle: snapshot $n ($(wc -l < "$W/nt/$n/roots") roots) is tangled as nt tangles it" ||
        fail "nwtangle: snapshot $n is not tangled as nt tangles it"
done
# Errors: at the use, in nwcheck's words (which reports them first).
for c in "undefined main.c" "cycle main.c" "self-use a loop" "cycle-unused ping"; do
    name=${c%% *}; root=${c#* }
    printf '%s\t%s\t\n' "$root" "$W/nt/$name.out" > "$W/nt/$name.list"
    /usr/lib/noweb/markup -t "$T/$name/01-a.nw" | out/tools/nwtangle "$W/nt/$name.list" 2> "$W/nt/$name.err"
    status=$?
    [ $status -eq 1 ] && cmp -s "$T/$name/expect" "$W/nt/$name.err" &&
        pass "nwtangle: $name: exit 1, $(sed 's/^[^ ]* //' "$W/nt/$name.err")" ||
        { fail "nwtangle: $name: status $status, wrong message"; sed 's/^/    /' "$W/nt/$name.err"; }
done
printf 'kernel/main.c\t%s\t%%Q\n' "$W/nt/bad.out" > "$W/nt/bad.list"
/usr/lib/noweb/markup -t "$T/good/01-a.nw" | out/tools/nwtangle "$W/nt/bad.list" 2> "$W/nt/bad.err"
[ $? -eq 1 ] && grep -q "^$W/nt/bad.list:1: the format \"%Q\" has a %" "$W/nt/bad.err" &&
    pass "nwtangle: a bad format is refused at its line of the list" ||
    { fail "nwtangle: a bad format was not refused"; sed 's/^/    /' "$W/nt/bad.err"; }

# --- line directives ---------------------------------------------------------------
if tangle/snapshot "$W/lines" "$T/lines/01-a.nw"; then
    # Never "-o /dev/null": NASM deletes its output file when assembly fails.
    (cd "$W/lines/src" && cc -c bad.c -o bad.o) > "$W/cc.err" 2>&1
    grep -q "^$T/lines/01-a.nw:14:[0-9]*: error:" "$W/cc.err" &&
        pass "lines: a C error points at the chapter line" ||
        { fail "lines: C error not at $T/lines/01-a.nw:14"; sed 's/^/    /' "$W/cc.err"; }
    (cd "$W/lines/src" && nasm -f elf64 bad.asm -o bad-asm.o) > "$W/nasm.err" 2>&1
    grep -q "^$T/lines/01-a.nw:24: error:" "$W/nasm.err" &&
        pass "lines: a NASM error points at the chapter line" ||
        { fail "lines: NASM error not at $T/lines/01-a.nw:24"; sed 's/^/    /' "$W/nasm.err"; }
else
    fail "lines: tangling failed"
fi
# --- two chapters with the same number ---------------------------------------------
# The top-level Makefile says so before it does anything (one pair of rules a number).
# submake ARGS: the top-level make, on its own (not part of make test's jobs).
submake() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory "$@"; }
same="$T/same-number/01-a.nw $T/same-number/01-b.nw"
if submake -n tangle CHAPTERS="$same" > "$W/same.out" 2> "$W/same.err"; then
    fail "same number: the Makefile accepted two chapters numbered 01"
elif head -n 1 "$W/same.err" | cmp -s "$T/same-number/expect" -; then
    pass "same number: the Makefile names both chapters"
else
    fail "same number: wrong Makefile message"; sed 's/^/    /' "$W/same.err"
fi

# --- interrupts ----------------------------------------------------------------------
# SNAPSHOT_TEST_KILL=SIG makes tangle/snapshot send SIG to its own process group
# just after it moved the first changed files (one directory's) in: what a
# Ctrl-C (INT) or a kill of the job (TERM) does at the worst moment. setsid gives the signal a group
# of its own. A scratch tree runs the real Makefile on the chapter in interrupt/.
tree=$W/tree
mkdir -p "$tree/chapters" "$tree/out"
for f in *; do
    case $f in out|chapters) ;; *) ln -s "$PWD/$f" "$tree/$f" ;; esac
done
echo "# packages checked" > "$tree/out/deps.mk"
chapter=$tree/chapters/01-int.nw
kernel=$tree/out/ch01/kernel.elf
sed 's/version = 0/version = 1/' "$T/interrupt/01-a.nw" > "$chapter"
submake -C "$tree" out/ch01/build.stamp > "$W/int.log" 2>&1 ||
    { fail "interrupt: the scratch tree does not build"; sed 's/^/    /' "$W/int.log"; }
v=1
for sig in INT TERM; do
    v=$((v + 1))
    sleep 1  # a new timestamp for the chapter
    sed "s/version = 0/version = $v/" "$T/interrupt/01-a.nw" > "$chapter"
    SNAPSHOT_TEST_KILL=$sig setsid -w env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
        make --no-print-directory -C "$tree" out/ch01/build.stamp > "$W/int-$sig.log" 2>&1
    status=$?
    if [ $status -eq 0 ] || ! grep -q "version = $v" "$tree/out/ch01/src/kernel/main.c"; then
        fail "interrupt $sig: make was not interrupted after the move (status $status)"
        sed 's/^/    /' "$W/int-$sig.log"
        continue
    fi
    sleep 1
    submake -C "$tree" out/ch01/build.stamp > "$W/int-$sig.log" 2>&1
    grep -q "version = $v" "$kernel" &&
        pass "interrupt $sig: the next make rebuilds the kernel of an interrupted install" ||
        fail "interrupt $sig: the kernel is stale after an interrupted make: $(grep version "$kernel")"
done

# Prose: a word of it changes no code and moves no line, so the snapshot is
# not tangled again (out/code/, tangle/codelines); a line of it added above
# the code moves the code's lines (the line directives), so it is.
sleep 1
sed -i 's/^# Interrupted$/# Interrupted (edited)/' "$chapter"
stamp=$(stat -c %y "$tree/out/ch01/tangle.stamp")
submake -C "$tree" out/ch01/tangle.stamp > "$W/prose.log" 2>&1
[ "$(stat -c %y "$tree/out/ch01/tangle.stamp")" = "$stamp" ] &&
    pass "prose edit: the snapshot is not tangled again" ||
    fail "prose edit: the snapshot was tangled again for a word of prose"
sed -i '1a A line of prose.' "$chapter"
submake -C "$tree" out/ch01/tangle.stamp > "$W/prose.log" 2>&1
grep -q '^#line 10 ' "$tree/out/ch01/src/kernel/main.c" &&
    pass "line edit: the snapshot is tangled again, its line directives moved" ||
    fail "line edit: kernel/main.c has not moved from line 9 to 10: $(grep '^#line' "$tree/out/ch01/src/kernel/main.c")"

# The snapshot alone, signalled: status 128+N, nothing left behind, no
# tangle.stamp; the next run marks the content changed.
k=$W/killed
mkdir -p "$k"
cp "$T/interrupt/01-a.nw" "$k/01-a.nw"
tangle/snapshot "$k/out" "$k/01-a.nw"
sleep 1
stamps=$(stat -c %y "$k/out/tangle.stamp" "$k/out/content.stamp" 2>&1)
sed 's/version = 0/version = 1/' "$T/interrupt/01-a.nw" > "$k/01-a.nw"
SNAPSHOT_TEST_KILL=TERM setsid -w tangle/snapshot "$k/out" "$k/01-a.nw" > "$k/err" 2>&1
status=$?
if [ $status -eq 143 ] && [ ! -s "$k/err" ] && [ -z "$(find "$k/out" -name '.tangle.*')" ] &&
   [ "$(stat -c %y "$k/out/tangle.stamp")" = "${stamps%%
*}" ]; then
    pass "trap: a signalled snapshot cleans up and exits 143"
else
    fail "trap: the snapshot carried on after TERM (status $status)"; sed 's/^/    /' "$k/err"
fi
tangle/snapshot "$k/out" "$k/01-a.nw"
[ "$(stat -c %y "$k/out/content.stamp")" != "${stamps#*
}" ] && pass "trap: the run after an interrupted install marks the content changed" ||
    fail "trap: content.stamp unchanged after an interrupted install"

# book/weave, signalled while nwpandoc runs: exits 143 at once, cleaned up.
cat > "$W/nwpandoc" <<'EOS'
#!/bin/sh
echo called >> "${0%/*}/nwpandoc.calls"
kill -TERM $PPID
EOS
chmod +x "$W/nwpandoc"
NWPANDOC=$W/nwpandoc book/weave "$W/weave" $good > "$W/weave.err" 2>&1
status=$?
if [ $status -eq 143 ] && [ ! -s "$W/weave.err" ] && [ "$(wc -l < "$W/nwpandoc.calls")" -eq 1 ] &&
   [ -z "$(find "$W/weave" -name '.weave.*')" ]; then
    pass "trap: a signalled book/weave cleans up and exits 143"
else
    fail "trap: book/weave carried on after TERM (status $status)"; sed 's/^/    /' "$W/weave.err"
fi

# The grader, signalled while it builds: exits 143, runs no test, gives no score.
# (The build runs in the grader's sandbox, which cannot signal the grader: the
# signal comes from here, while the build sleeps.)
printf '#!/bin/sh\nsleep 60\n' > "$W/make"
printf 'touch "%s/ran"\n' "$PWD/$W" > "$W/ran.sh"
echo "1.1 $W/ran.sh 1" > "$W/rubric"
chmod +x "$W/make"
MAKE=$W/make tests/grade/grade -o "$W/grade" "$W/rubric" > "$W/grade.out" 2>&1 &
pid=$!
i=0
until grep -q '^build ' "$W/grade.out" 2>/dev/null || [ $i -ge 300 ]; do sleep 0.1; i=$((i + 1)); done
sleep 1
kill -TERM $pid
wait $pid
status=$?
if [ $status -eq 143 ] && [ ! -e "$W/ran" ] && ! grep -q Score "$W/grade.out"; then
    pass "trap: a signalled grader stops at once with status 143"
else
    fail "trap: the grader carried on after TERM (status $status)"; sed 's/^/    /' "$W/grade.out"
fi
exit $failed
