#!/bin/sh
# test-grade.sh: the grader on the instructor edition (this tree), whose
# chapters hold the solutions: full marks, one exercise alone, a bad rubric.
# The exercises are the chapters' (out/rubric, from tangle/expects).
#
# Usage: tests/grade/test-grade.sh   (from the repository root)
out=out/test/grade
rubric=out/rubric
suite=grade; . tests/check.sh
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
max=$(awk '!/^#/ && NF == 3 { s += $3 } END { print s }' $rubric)
check_run full 0 "Score: $max/$max"
n=$(grep -c '^OK ' "$out/full.log")
rubric_tests=$(grep -c '^[0-9]' $rubric)
[ "$rubric_tests" -gt 0 ] || fail "$rubric lists no test"
[ "$n" -eq "$rubric_tests" ] && pass "full: all $n tests of the rubric OK" ||
    fail "full: $n tests OK, the rubric has $rubric_tests"
json=$out/full/result.json
if grep -q "\"score\": $max," "$json" && grep -q "\"max\": $max,$" "$json" &&
   [ "$(grep -c '"status": "OK"' "$json")" -eq "$rubric_tests" ]; then
    pass "full: result.json holds the score and every test"
else
    fail "full: result.json:"; sed 's/^/    /' "$json"
fi

# EX=N.M (the rubric's last exercise): only its tests, in result-N.M.json:
# result.json stays.
ex=$(awk '/^[0-9]/ { e = $1 } END { print e }' $rubric)
exre=$(echo "$ex" | sed 's/\./\\./')
cp "$json" "$out/full.json"
tests/grade/grade -e "$ex" -o "$out/full" > "$out/one.log" 2>&1
status=$?
maxex=$(awk -v e="$ex" '$1 == e { s += $3 } END { print s }' $rubric)
check_run one 0 "Score: $maxex/$maxex"
others=$(grep -E '^(OK|FAIL) ' "$out/one.log" | grep -cv "^[A-Z]* *$exre ")
[ "$others" -eq 0 ] && pass "one: EX=$ex grades no other exercise" ||
    fail "one: EX=$ex graded $others tests of other exercises"
if cmp -s "$json" "$out/full.json" && grep -q '"score": '"$maxex"',' "$out/full/result-$ex.json"; then
    pass "one: writes result-$ex.json and leaves result.json as it was"
else
    fail "one: result.json changed, or result-$ex.json does not hold $maxex points"
fi

# A snapshot file edited by hand (the file of exercise N.M's solution):
# a warning, and the chapters win.
f=$(grep -rlE "BEGIN SOLUTION ($exre|${ex#*.})\\b" "out/ch$(printf %02d "${ex%%.*}")/src" | head -n 1)
cp "$f" "$out/edited.orig"
sleep 1; echo '#error edited by hand' >> "$f"
tests/grade/grade -e "$ex" -o "$out/edited" > "$out/edited.log" 2>&1
status=$?
if [ -n "$f" ] && [ $status -eq 0 ] && grep -q "^warning: $f was edited by hand; it is tangled again from the chapters" "$out/edited.log" &&
   cmp -s "$f" "$out/edited.orig"; then
    pass "edited: a snapshot file edited by hand ($f) is reported, tangled again and graded from the chapters"
else
    fail "edited: $f: status $status:"; sed 's/^/    /' "$out/edited.log"; [ -z "$f" ] || cp "$out/edited.orig" "$f"
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
