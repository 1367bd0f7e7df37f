#!/bin/sh
# test-submission.sh: make grade-submission grades a student's chapters with
# the instructor's tests, hidden ones included, and survives submissions
# that flood, hang or triple-fault, in bounded time.
#
# Usage: tests/grade/test-submission.sh   (from the repository root)
#
# The submission is the starter code with misbehaving code in place of the
# stubs (tests/grade/bad-submission).
out=out/test/submission
failed=0
pass() { echo "PASS submission: $*"; }
fail() { echo "FAIL submission: $*"; failed=1; }
rm -rf "$out" && mkdir -p "$out"
max=$(awk '!/^#/ && NF == 3 { s += $3 } END { print s }' tests/grade/rubric)
n=$(grep -c '^[0-9]' tests/grade/rubric)

# grade NAME DIR: make grade-submission DIR=DIR into $out/NAME.log; sets
# $status and $secs.
grade() {
    t0=$(date +%s)
    make --no-print-directory grade-submission DIR="$2" > "$out/$1.log" 2>&1
    status=$?
    secs=$(( $(date +%s) - t0 ))
}

# A misbehaving submission: each failure has a clear reason.
tests/grade/bad-submission "$out/bad" > "$out/bad-make.log" 2>&1 ||
    { fail "tests/grade/bad-submission:"; sed 's/^/    /' "$out/bad-make.log"; exit 1; }
grade bad "$out/bad"
# reason EXERCISE WHAT PATTERN: every test of EXERCISE failed with PATTERN.
reason() {
    lines=$(grep -E "^[A-Z]+ +$1 " "$out/bad.log")
    if [ -n "$lines" ] && ! echo "$lines" | grep -v "^FAIL" | grep -q . &&
       ! echo "$lines" | grep -vq -- "$3"; then
        pass "exercise $1 $2 fails with \"$3\""
    else
        fail "exercise $1 $2: wanted every test FAIL with \"$3\":"; echo "$lines" | sed 's/^/    /'
    fi
}
reason 1.1 "flooding its output" "more than 100 KB (a flood?)"
reason 2.1 "flooding the serial line" "bytes on the serial line (a flood?)"
reason 3.1 "triple-faulting" "triple fault"
reason 4.1 "hanging" "no match after 5 s"
if [ $status -ne 0 ] && grep -qx "Score: 0/$max" "$out/bad.log" && [ $secs -le 120 ] &&
   [ "$(grep -c '^FAIL ' "$out/bad.log")" -eq "$n" ]; then
    pass "all $n tests of the instructor's rubric (hidden ones too) fail: 0/$max in $secs s (at most 120)"
else
    fail "the bad submission: status $status, $secs s:"; tail -n 3 "$out/bad.log" | sed 's/^/    /'
fi
exit $failed
