#!/bin/sh
# Tests of the tangler (tangle/snapshot with nwreplace and nwcheck).
#
# Run from the repository root after the tools are built (make test does both).
# - Each broken fixture (a directory with chapters and an "expect" file) must
#   fail with exactly the file:line messages in "expect" and write nothing.
# - good/: a replace, a continuation after it, a deleted root and experiments
#   tangle to exactly the files in good/want/.
# - A broken chapter leaves an earlier good snapshot byte for byte and time
#   for time as it was; a re-tangle keeps unchanged files' timestamps; a file
#   that is no longer a root disappears.
# - lines/: gcc and nasm report errors at the chapter's line.
T=tests/tangle
W=out/test/tangle
rm -rf "$W"; mkdir -p "$W"
failed=0

pass() { echo "PASS tangle: $*"; }
fail() { echo "FAIL tangle: $*"; failed=1; }

# --- broken chapters -----------------------------------------------------------
for expect in "$T"/*/expect; do
    dir=${expect%/expect}; name=${dir#"$T"/}
    if tangle/snapshot "$W/$name" "$dir"/*.nw > "$W/$name.out" 2> "$W/$name.err"; then
        fail "$name: a broken chapter was accepted"
    elif ! cmp -s "$expect" "$W/$name.err"; then
        fail "$name: wrong messages"; diff "$expect" "$W/$name.err" | sed 's/^/    /'
    elif [ -n "$(find "$W/$name" -type f)" ]; then
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
    pass "good: replace, continuation, delete and try/ give the expected files"
else
    fail "good: tangled files differ from $T/good/want"; sed 's/^/    /' "$W/good.diff"
fi
[ -f "$W/good/tangle.stamp" ] && pass "good: the stamp is written" ||
    fail "good: no tangle.stamp"

# Snapshot 1 of the same book still has the root that chapter 2 deletes.
tangle/snapshot "$W/good1" "$T/good/01-a.nw" &&
    [ -f "$W/good1/src/old/legacy.c" ] && [ -f "$W/good1/try/first.c" ] &&
    grep -q 'return 0;' "$W/good1/src/kernel/main.c" &&
    ! grep -q 'return 2;' "$W/good1/src/kernel/main.c" &&
    pass "good: snapshot 1 is tangled from chapter 1 alone" ||
    fail "good: snapshot 1 shows code from chapter 2 or lacks its own"

# A broken third chapter changes nothing in the existing snapshot.
listing() { (cd "$1" && find . -type f -exec ls -l --time-style=full-iso {} + | sort &&
    find . -type f -exec md5sum {} + | sort); }
listing "$W/good" > "$W/before"
sleep 1
if tangle/snapshot "$W/good" $good "$T/undefined/01-a.nw" 2> /dev/null; then
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

# A root that disappears takes its file with it.
tangle/snapshot "$W/good" "$T/good/01-a.nw" > /dev/null
tangle/snapshot "$W/good" $good
[ ! -e "$W/good/src/old/legacy.c" ] && [ ! -d "$W/good/src/old" ] &&
    pass "removal: a deleted root's file and empty directory are removed" ||
    fail "removal: old/legacy.c survived its [delete]"

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
exit $failed
