#!/bin/sh
# test-submission.sh: grading submissions that cheat, hang, flood,
# triple-fault or are interrupted: only the solutions count, the grade is
# the instructor's, and the exit status tells the truth.
#
# Usage: tests/grade/test-submission.sh   (from the repository root)
#
# The fixtures (tests/grade/bad-submission, tests/grade/cheats) are graded
# together as a class (tests/grade/class), which also tests the gradebook;
# then make grade-submission is interrupted, and run with too little disk.
# Which exercise each fixture breaks is tests/grade/roles': the exercises
# and the rubric (out/rubric) are the chapters'.
out=out/test/submission
suite=submission; . tests/check.sh
rm -rf "$out" && mkdir -p "$out/class"
root=$(pwd)
rubric=out/rubric
max=$(awk '!/^#/ && NF == 3 { s += $3 } END { print s }' $rubric)
n=$(grep -c '^[0-9]' $rubric)
. tests/grade/limits
tests/grade/roles > "$out/roles" || { fail "tests/grade/roles"; exit 1; }
# ex ROLE: the role's exercise; chapter ROLE: its chapter; chapter_re: as
# a pattern.
ex() { awk -v r="$1" '$1 == r { print $2 }' "$out/roles"; }
chapter() { awk -v r="$1" '$1 == r { print $3 }' "$out/roles"; }
re() { echo "$1" | sed 's/\./\\./g'; }
first=$(ls chapters/[0-9][0-9]-*.nw | head -n 1)
hidden=$(awk '$2 ~ /\/hidden\// { print $2; exit }' $rubric)

# The instructor's tree, every file but out/ and .git, and its tests and
# rubric (out/rubric, out/chNN/grade/): compared at the end.
tree_sum() {
    { find . \( -path ./out -o -path ./.git \) -prune -o -type f -print
      find out/rubric out/ch*/grade -type f; } | LC_ALL=C sort | xargs sha256sum | sha256sum
}
before=$(tree_sum)
rm -rf /tmp/stolen-hidden-tests

# --- The sandbox itself ---------------------------------------------------
sb=tests/grade/sandbox
if [ -z "$hidden" ]; then
    fail "$rubric lists no hidden test"
elif $sb -- cat "$root/$hidden" > "$out/sb.log" 2>&1; then
    fail "the sandbox can read a hidden test"
else
    pass "the sandbox cannot read the hidden tests ($(head -c 80 "$out/sb.log"))"
fi
mkdir -p "$out/sbdir"
if $sb -r "$root/$out/sbdir" -- sh -c "echo x > $root/$out/sbdir/f" > "$out/sb.log" 2>&1; then
    fail "the sandbox can write a read-only directory"
else
    pass "the sandbox cannot write a read-only directory"
fi
nets=$($sb -- sh -c 'tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " "' 2>&1)
[ "$nets" = lo ] && pass "the sandbox has no network (its only interface: lo)" ||
    fail "the sandbox's network interfaces: $nets"
t0=$(date +%s)
$sb -t 2 -- sh -c 'sleep 30 & sleep 30'
st=$?
[ $st -eq 124 ] && [ $(( $(date +%s) - t0 )) -lt 15 ] && pass "a sandboxed command that hangs ends at its time limit (124)" ||
    fail "a hanging sandboxed command: status $st after $(( $(date +%s) - t0 )) s"
$sb -f 10 -w "$root/$out/sbdir" -- sh -c "head -c 100000 /dev/zero > $root/$out/sbdir/big" 2>/dev/null
st=$?
[ $st -eq 153 ] && pass "a sandboxed command that writes too much is stopped (SIGXFSZ)" ||
    fail "a sandboxed flood of a file: status $st"

# --- A class of fixtures ---------------------------------------------------
C=$out/class
tests/grade/bad-submission "$C/bad" > "$out/make.log" 2>&1 &&
tests/grade/cheats symlinks "$C/symlinks" >> "$out/make.log" 2>&1 &&
tests/grade/cheats makefile "$C/makefile" >> "$out/make.log" 2>&1 &&
tests/grade/cheats hang "$C/hang" >> "$out/make.log" 2>&1 &&
mkdir -p "$C/solved/chapters" && cp chapters/*.nw "$C/solved/chapters/" &&
(cd "$C/solved" && git init -q && git add chapters && git -c user.name=s -c user.email=s@example.org commit -qm solved) ||
    { fail "making the fixtures:"; sed 's/^/    /' "$out/make.log"; exit 1; }
commit=$(git -C "$C/solved" rev-parse HEAD)

t0=$(date +%s)
GRADE_BUILD_TIMEOUT=60 tests/grade/class -j 2 -o "$out/grades" "$C" > "$out/class.log" 2>&1
status=$?
secs=$(( $(date +%s) - t0 ))
[ $status -eq 0 ] && pass "grade-class graded the 5 fixtures in $secs s, status 0" ||
    { fail "grade-class: status $status"; sed 's/^/    /' "$out/class.log"; }
G=$out/grades

# score ID WANT: the student's result.json says score WANT of the maximum.
score() {
    if grep -q "\"score\": $2,\$" "$G/$1/result.json" 2>/dev/null && grep -q "\"max\": $max,\$" "$G/$1/result.json"; then
        pass "$1: $2/$max"
    else
        fail "$1: wanted $2/$max:"; grep -E '^(OK|FAIL|Score|grading)' "$G/$1/grade.log" | sed 's/^/    /'
    fi
}
# reason ID EXERCISE WHAT PATTERN: every test of EXERCISE failed with PATTERN.
reason() {
    lines=$(grep -E "^[A-Z]+ +$(re "$2") " "$G/$1/grade.log")
    if [ -n "$lines" ] && ! echo "$lines" | grep -v "^FAIL" | grep -q . &&
       ! echo "$lines" | grep -vq -- "$4"; then
        pass "$1: exercise $2 $3 fails with \"$4\""
    else
        fail "$1: exercise $2 $3: wanted every test FAIL with \"$4\":"; echo "$lines" | sed 's/^/    /'
    fi
}
# reported ID PATTERN: report.txt has a line matching PATTERN.
reported() {
    if grep -q -- "$2" "$G/$1/report.txt"; then
        pass "$1: reported: $(grep -m 1 -- "$2" "$G/$1/report.txt")"
    else
        fail "$1: report.txt has no line \"$2\":"; sed 's/^/    /' "$G/$1/report.txt"
    fi
}

score solved $max
grep -q "\"commit\": \"$commit\"" "$G/solved/result.json" && pass "solved: the git commit is recorded" ||
    fail "solved: no commit $commit in result.json"
[ -s "$G/solved/report.txt" ] && { fail "solved: reports problems:"; sed 's/^/    /' "$G/solved/report.txt"; } ||
    pass "solved: nothing reported"

score bad 0
reason bad "$(ex output)" "flooding its output" "more than $GRADE_PROG_OUTPUT_KB KB (a flood?)"
reason bad "$(ex serial)" "flooding the serial line" "serial flood: more than $GRADE_SERIAL_BYTES bytes"
reason bad "$(ex triple)" "triple-faulting" "triple fault"
reason bad "$(ex hang)" "hanging" "no match after"
reason bad "$(ex unsolved)" "left unsolved" "unsolved (TODO: exercise $(ex unsolved))"
reason bad "$(ex unsolved)" "left unsolved" "edit $(chapter unsolved):[0-9]*, chunk <<"

score symlinks 0
reported symlinks "^$first: not a regular file (a symbolic link?): ignored, the starter code is graded"
[ "$(grep -c 'not a regular file' "$G/symlinks/report.txt")" -eq "$(ls chapters/[0-9]*.nw | wc -l)" ] &&
    pass "symlinks: every chapter reported" || fail "symlinks: not every chapter reported"

score makefile 0
n1=$(basename "$first"); n1=${n1%%-*}
reported makefile "^$first:[0-9]*: text outside solution ${n1#0}\.[0-9] changed: ignored"
reason makefile "$(ex hang)" "including a hidden test" "did not build"
hidden_hang=$(basename "$(awk -v e="$(ex hang)" '$1 == e && $2 ~ /\/hidden\// { print $2; exit }' $rubric)")
log=$G/makefile/build-ch$(printf %02d "$(ex hang | cut -d. -f1)").log
if grep -q "$hidden_hang' file not found" "$log"; then
    pass "makefile: the hidden test is not there for the build (\"file not found\")"
else
    fail "makefile: $log does not say the hidden test $hidden_hang is missing:"; head -n 5 "$log" | sed 's/^/    /'
fi

score hang 0
reason hang "$(ex serial)" "hanging its build" "build took longer than 60 s"

if [ -f "$G/grades.csv" ] && [ "$(wc -l < "$G/grades.csv")" -eq 6 ] &&
   grep -q "^solved,$commit,graded,.*,$max\$" "$G/grades.csv" && grep -q '^bad,,graded,.*,0$' "$G/grades.csv"; then
    pass "grades.csv: a header and one row per student, with the commit and the total"
else
    fail "grades.csv:"; sed 's/^/    /' "$G/grades.csv"
fi
e=$(ex hang)
p=$(awk -v e="$e" '$1 == e { s += $3 } END { print s }' $rubric)
if grep -q "^total: mean $((max / 5))\.[0-9], median 0, min 0, max $max\$" "$G/summary.txt" &&
   grep -q "^exercise $(re "$e")  *mean $(awk -v p="$p" 'BEGIN { printf "%.2f", p / 5 }')  points:  0 x 4  $p x 1\$" "$G/summary.txt"; then
    pass "summary.txt: mean, median and range; per exercise the mean and the distribution"
else
    fail "summary.txt:"; sed 's/^/    /' "$G/summary.txt"
fi
# The first question of the chapters, and the first line of its answer.
q=$(for c in chapters/[0-9][0-9]-*.nw; do tangle/solutions --answers "$c"; done | awk '/^== / { q = $2; next } q != "" && NF { print q; print; exit }')
qn=$(echo "$q" | head -n 1) qa=$(echo "$q" | sed -n 2p)
if [ -n "$qn" ] && grep -qF -- "$qa" "$G/answers/$qn.md" && grep -q '^## solved$' "$G/answers/$qn.md" &&
   grep -A1 '^## bad$' "$G/answers/$qn.md" | grep -q '(no answer)'; then
    pass "answers/$qn.md: each student's answer to question $qn"
else
    fail "answers/$qn.md (question \"$qn\", answer \"$qa\"):"; sed 's/^/    /' "$G/answers/$qn.md"
fi

# --- A serial flood on a slow machine: the same verdict ---------------------
# Every QEMU of this grading runs at half its speed (stopped 0.1 s of every
# 0.2 s): a flood reaches the cap later, but it is the same flood.
throttle() {
    while [ -f "$out/throttle" ]; do
        pids=$(ps -eo pid=,args= | awk -v p="$1" '$2 ~ /qemu-system/ && index($0, p) { print $1 }')
        [ -z "$pids" ] || kill -STOP $pids 2>/dev/null
        sleep 0.1
        [ -z "$pids" ] || kill -CONT $pids 2>/dev/null
        sleep 0.1
    done
}
touch "$out/throttle"
throttle "$root/$out/slow/" &
tpid=$!
e=$(ex serial)
tests/grade/submission -e "$e" -o "$out/slow" "$C/bad" > "$out/slow.log" 2>&1
rm -f "$out/throttle"; wait $tpid
flooded=yes
for t in $(awk -v e="$e" '$1 == e { print $2 }' $rubric); do
    t=$(basename "$t"); t=${t%.*}
    grep -Eq "^FAIL +$(re "$e") +$(re "$t") .*serial flood: more than" "$out/slow.log" || flooded=
done
if [ -n "$flooded" ]; then
    pass "at half the speed, exercise $e is still a serial flood"
else
    fail "a serial flood at half the speed:"; grep -E '^(FAIL|OK|note)' "$out/slow.log" | sed 's/^/    /'
fi

# --- Interrupted: make grade-submission, Ctrl-C while QEMU runs ------------
# (env --default-signal: a background job of sh starts with SIGINT ignored.)
# Its grading tree goes to a directory of its own (GRADE_WORK), so that what
# is left is told apart from another make test's grading at the same time.
work=$(mktemp -d "${TMPDIR:-/tmp}/grade-int.XXXXXX")
setsid env --default-signal=INT GRADE_WORK="$work" make --no-print-directory grade-submission DIR="$C/solved" > "$out/int.log" 2>&1 &
pid=$!
i=0
until ps -eo args= | grep -q "^qemu-system.*$root/out/submission/runs" || [ $i -ge 1500 ]; do sleep 0.2; i=$((i + 1)); done
/bin/kill -INT -- -$pid
wait $pid
status=$?
sleep 1
left=$(ps -eo pid=,args= | grep -e "$work/grade-solved\." -e "$root/out/submission/runs" | grep -v grep)
if [ $i -lt 1500 ] && [ $status -ne 0 ] && grep -q 'interrupted (signal 2): no score' "$out/int.log" &&
   ! grep -q '^Score' "$out/int.log" && [ ! -f out/submission/result.json ] && [ -z "$left" ] &&
   ! ls -d "$work"/grade-solved.* > /dev/null 2>&1; then
    pass "Ctrl-C while a test boots: exit status $status, \"interrupted\", no score, no process or grading tree left"
else
    fail "interrupted grade-submission: status $status:"; sed 's/^/    /' "$out/int.log"; echo "$left" | sed 's/^/    left: /'
fi
rm -rf "$work"

# --- The grading machine fails: too little disk -----------------------------
GRADE_FREE_KB=999999999999 tests/grade/submission -o "$out/disk" "$C/solved" > "$out/disk.log" 2>&1
status=$?
if [ $status -eq 3 ] && grep -q '^grading failed: no space left' "$out/disk.log" && ! grep -q '^Score' "$out/disk.log" &&
   grep -q '"error": "grading failed: no space left' "$out/disk/result.json" && ! grep -q '"score"' "$out/disk/result.json"; then
    pass "a full disk: status 3, \"grading failed: no space left\", no score anywhere"
else
    fail "a full disk: status $status:"; sed 's/^/    /' "$out/disk.log"
fi

# --- Nothing of the instructor's changed, nothing leaked --------------------
[ "$(tree_sum)" = "$before" ] && pass "the instructor's tree is byte-identical afterwards" ||
    { fail "the instructor's tree changed:"; git status --short | sed 's/^/    /'; }
[ -e /tmp/stolen-hidden-tests ] && fail "/tmp/stolen-hidden-tests exists" ||
    pass "no copy of the hidden tests in /tmp"
exit $failed
