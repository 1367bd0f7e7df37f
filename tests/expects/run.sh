#!/bin/sh
# Tests of tangle/expects, which writes the tests the chapters declare as
# files for the drivers.
#
# Run from the repository root.
# - good/: every kind of block (the chapter's boot test, named ones, a
#   test of experiments, exercise tests and hidden ones, host-program
#   tests, a fence inside a code chunk) gives exactly the files in
#   good/want/ (written with OUT out/test/expects/good); run again after a
#   prose edit, no file's timestamp changes; a block taken out takes its
#   file with it.
# - bad/: each malformed block is reported as FILE:LINE: message (bad/expect)
#   and nothing is written.
# - A bad line of a block: tests/qemu-test and the Bochs driver's parser
#   report it at the chapter's line.
# - --kernel: a snapshot with boot/boot.asm and no boot test is an error
#   that names the chapter; with one, or without a kernel, it is not.
T=tests/expects
W=out/test/expects
rm -rf "$W"; mkdir -p "$W"
suite=expects; . tests/check.sh

# --- good/ ------------------------------------------------------------------
if ! tangle/expects "$W/good" "$T"/good/*.nw 2> "$W/good.err"; then
    fail "good: tangle/expects failed:"; sed 's/^/    /' "$W/good.err"
else
    find "$W/good" -type d -empty -delete
    if diff -r "$T/good/want" "$W/good" > "$W/good.diff"; then
        pass "good: boot, named, try/, exercise, hidden and host tests, the rubric and expects.mk as in $T/good/want"
    else
        fail "good: files differ from $T/good/want:"; sed 's/^/    /' "$W/good.diff"
    fi
fi

# A copy, edited: prose only (nothing rewritten), then a block taken out.
mkdir -p "$W/copy"
cp "$T"/good/*.nw "$W/copy/"
tangle/expects "$W/edit" "$W"/copy/*.nw
ls -l --time-style=+%s.%N -R "$W/edit" | grep -v expects.mk > "$W/times.before"
sleep 1
sed 's/^The screen:$/The screen, as QEMU shows it:/' "$W/copy/02-kernel.nw" > "$W/x" && mv "$W/x" "$W/copy/02-kernel.nw"
tangle/expects "$W/edit" "$W"/copy/*.nw
ls -l --time-style=+%s.%N -R "$W/edit" | grep -v expects.mk > "$W/times.after"
if cmp -s "$W/times.before" "$W/times.after"; then
    pass "a prose edit rewrites no test file (timestamps kept)"
else
    fail "a prose edit rewrote test files:"; diff "$W/times.before" "$W/times.after" | sed 's/^/    /'
fi
awk '/^~~~ \{\.expect name=mb1\}/ { skip = 1 } !skip { print } skip && /^~~~$/ { skip = 0 }' \
    "$W/copy/02-kernel.nw" > "$W/x" && mv "$W/x" "$W/copy/02-kernel.nw"
tangle/expects "$W/edit" "$W"/copy/*.nw
if [ ! -e "$W/edit/ch02/expect/02-mb1.expect" ] && ! grep -q mb1 "$W/edit/ch02/expect.list" "$W/edit/expects.mk" &&
   [ -e "$W/edit/ch02/expect/02-kernel.expect" ]; then
    pass "a block taken out: its file and its lines are gone, the others stay"
else
    fail "a block taken out: 02-mb1.expect or its lines are still there"
fi

# --- bad/ -------------------------------------------------------------------
if tangle/expects "$W/bad" "$T"/bad/*.nw 2> "$W/bad.err"; then
    fail "bad: broken blocks were accepted"
elif ! cmp -s "$T/bad/expect" "$W/bad.err"; then
    fail "bad: wrong messages:"; diff "$T/bad/expect" "$W/bad.err" | sed 's/^/    /'
elif [ -n "$(find "$W/bad" -type f)" ]; then
    fail "bad: files were written although the blocks are broken"
else
    pass "bad: $(wc -l < "$W/bad.err") broken blocks, each reported as file:line, nothing written"
fi
# A broken chapter after a good run leaves the earlier files as they were.
cp "$T"/bad/01-bad.nw "$W/copy/03-bad.nw"
ls -l --time-style=+%s.%N -R "$W/edit" > "$W/times.before"
if tangle/expects "$W/edit" "$W"/copy/*.nw 2> /dev/null; then
    fail "a broken third chapter was accepted"
else
    ls -l --time-style=+%s.%N -R "$W/edit" > "$W/times.after"
    cmp -s "$W/times.before" "$W/times.after" && pass "a broken chapter leaves the earlier files as they were" ||
        fail "a broken chapter changed the earlier files"
fi
rm "$W/copy/03-bad.nw"

# --- a bad line of a block, reported at the chapter's line ---------------------
printf '# X\n\nText.\n\n```{.expect}\nboot iso os.iso\nscreen 0 "x"\nbogus 1\n```\n' > "$W/copy/03-drivers.nw"
tangle/expects "$W/drv" "$W/copy/03-drivers.nw"
e=$W/drv/ch03/expect/03-drivers.expect
want="$W/copy/03-drivers.nw:8: unknown directive 'bogus'"
tests/qemu-test "$e" "$W/qemu" > /dev/null 2> "$W/qemu.err"
[ "$(cat "$W/qemu.err")" = "$want" ] && pass "tests/qemu-test: $want" ||
    fail "tests/qemu-test said \"$(cat "$W/qemu.err")\", not \"$want\""
LC_ALL=C awk -v mode=parse -f tests/bochs-test.awk "$e" > /dev/null 2> "$W/bochs.err"
[ "$(cat "$W/bochs.err")" = "$want" ] && pass "the Bochs driver: $want" ||
    fail "the Bochs driver said \"$(cat "$W/bochs.err")\", not \"$want\""

# --- --kernel -------------------------------------------------------------------
mkdir -p "$W/k"
echo "src boot/boot.asm nasm chapters/02-x.nw" > "$W/k/roots"
printf '02-x try\n' > "$W/k/expect.list"
msg=$(tangle/expects --kernel "$W/k" chapters/02-x.nw 2>&1)
st=$?
[ $st -eq 1 ] && [ "$msg" = 'chapters/02-x.nw: kernel chapter declares no boot expectation (a ```{.expect} block: see chapters/README.md)' ] &&
    pass "--kernel: a kernel with only a test of experiments: \"${msg%% (*}\"" ||
    fail "--kernel: status $st, \"$msg\""
printf '02-x try\n02-x-more boot\n' > "$W/k/expect.list"
tangle/expects --kernel "$W/k" chapters/02-x.nw && pass "--kernel: a kernel with a boot test passes" ||
    fail "--kernel: a kernel with a boot test is refused"
echo "src Makefile makefile chapters/02-x.nw" > "$W/k/roots"; : > "$W/k/expect.list"
tangle/expects --kernel "$W/k" chapters/02-x.nw && pass "--kernel: a chapter without a kernel needs no boot test" ||
    fail "--kernel: a chapter without a kernel is refused"
exit $failed
