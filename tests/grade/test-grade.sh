#!/bin/sh
# test-grade.sh: the grader on the instructor edition (this tree), whose
# chapters hold the solutions: full marks, one exercise alone, a bad rubric.
#
# Usage: tests/grade/test-grade.sh   (from the repository root)
out=out/test/grade
failed=0
pass() { echo "PASS grade: $*"; }
fail() { echo "FAIL grade: $*"; failed=1; }
rm -rf "$out" && mkdir -p "$out"

# check_run NAME STATUS LAST-LINE: the grader run NAME ($out/NAME.log) ended
# with STATUS and printed LAST-LINE last.
check_run() {
    last=$(tail -n 1 "$out/$1.log")
    if [ "$status" -eq "$2" ] && [ "$last" = "$3" ]; then
        pass "$1: exits $2 with \"$3\""
    else
        fail "$1: exited $status with \"$last\", wanted $2 with \"$3\":"
        sed 's/^/    /' "$out/$1.log"
    fi
}

# Every solution in the chapters passes every test, hidden ones included.
tests/grade/grade -o "$out/full" > "$out/full.log" 2>&1
status=$?
max=$(awk '!/^#/ && NF == 3 { s += $3 } END { print s }' tests/grade/rubric)
check_run full 0 "Score: $max/$max"
n=$(grep -c '^OK ' "$out/full.log")
rubric_tests=$(grep -c '^[0-9]' tests/grade/rubric)
[ "$n" -eq "$rubric_tests" ] && pass "full: all $n tests of the rubric OK" ||
    fail "full: $n tests OK, the rubric has $rubric_tests"
json=$out/full/result.json
if grep -q "\"score\": $max," "$json" && grep -q "\"max\": $max,$" "$json" &&
   [ "$(grep -c '"status": "OK"' "$json")" -eq "$rubric_tests" ]; then
    pass "full: result.json holds the score and every test"
else
    fail "full: result.json:"; sed 's/^/    /' "$json"
fi

# EX=4.1: only exercise 4.1's tests, in result-4.1.json: result.json stays.
cp "$json" "$out/full.json"
tests/grade/grade -e 4.1 -o "$out/full" > "$out/one.log" 2>&1
status=$?
max41=$(awk '$1 == "4.1" { s += $3 } END { print s }' tests/grade/rubric)
check_run one 0 "Score: $max41/$max41"
others=$(grep -E '^(OK|FAIL) ' "$out/one.log" | grep -cv '^[A-Z]* *4\.1 ')
[ "$others" -eq 0 ] && pass "one: grades no other exercise" ||
    fail "one: graded $others tests of other exercises"
if cmp -s "$json" "$out/full.json" && grep -q '"score": '"$max41"',' "$out/full/result-4.1.json"; then
    pass "one: writes result-4.1.json and leaves result.json as it was"
else
    fail "one: result.json changed, or result-4.1.json does not hold $max41 points"
fi

# A snapshot file edited by hand: a warning, and the chapters win.
f=out/ch04/src/exercises/box.c
cp "$f" "$out/box.c"
sleep 1; echo '#error edited by hand' >> "$f"
tests/grade/grade -e 4.1 -o "$out/edited" > "$out/edited.log" 2>&1
status=$?
if [ $status -eq 0 ] && grep -q "^warning: $f was edited by hand; it is tangled again from the chapters" "$out/edited.log" &&
   cmp -s "$f" "$out/box.c"; then
    pass "edited: a snapshot file edited by hand is reported, tangled again and graded from the chapters"
else
    fail "edited: status $status:"; sed 's/^/    /' "$out/edited.log"; cp "$out/box.c" "$f"
fi

# A bad rubric: every mistake reported as file:line, status 2.
tests/grade/grade -o "$out/bad" tests/grade/fixtures/bad-rubric > "$out/bad.log" 2>&1
status=$?
if [ $status -eq 2 ] && cmp -s "$out/bad.log" tests/grade/fixtures/bad-rubric.err; then
    pass "bad rubric: status 2, every mistake as file:line"
else
    fail "bad rubric: status $status:"; diff tests/grade/fixtures/bad-rubric.err "$out/bad.log" | sed 's/^/    /'
fi

# The chapters' solution markers are balanced.
if tangle/solutions --check chapters/*.nw > "$out/markers.log" 2>&1; then
    pass "the chapters' solution markers are well formed"
else
    fail "the chapters' solution markers:"; sed 's/^/    /' "$out/markers.log"
fi
exit $failed
