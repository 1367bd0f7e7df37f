#!/bin/sh
# markers/run.sh: tests of tangle/solutions, the solution-marker tool.
#
# Usage: tests/markers/run.sh   (from the repository root)
#
# good.nw holds every kind of solution (C, C block comments, NASM, make,
# prose): --check accepts it, --strip must give good.student and
# --solutions good.solutions. good.submission is a student's chapter with
# one good solution, an answer, and a broken region of every kind:
# --splice must give good.spliced and report good.splice.err. Every other NAME.nw is broken in one way:
# --check and --strip must exit 1 with exactly NAME.err on standard error.
T=tests/markers
tool=tangle/solutions
suite=markers; . tests/check.sh
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

if $tool --check $T/good.nw > "$tmp/out" 2>&1 && [ ! -s "$tmp/out" ]; then
    pass "good.nw: --check accepts it, silently"
else
    fail "good.nw: --check"; sed 's/^/    /' "$tmp/out"
fi
for kind in student solutions; do
    opt=--strip; [ $kind = solutions ] && opt=--solutions
    if $tool $opt $T/good.nw > "$tmp/$kind" 2> "$tmp/err" && cmp -s "$tmp/$kind" $T/good.$kind; then
        pass "good.nw: $opt gives good.$kind"
    else
        fail "good.nw: $opt differs from good.$kind:"
        diff $T/good.$kind "$tmp/$kind" | sed 's/^/    /'; sed 's/^/    /' "$tmp/err"
    fi
done

for f in $T/*.nw; do
    name=$(basename "$f" .nw)
    [ "$name" = good ] && continue
    for opt in --check --strip; do
        $tool $opt "$f" > /dev/null 2> "$tmp/err"
        status=$?
        if [ $status -eq 1 ] && cmp -s "$tmp/err" "$T/$name.err"; then
            pass "$name.nw: $opt reports $(cat "$T/$name.err" | head -n 1)"
        else
            fail "$name.nw: $opt exited $status, wanted 1 and $name.err:"
            diff "$T/$name.err" "$tmp/err" | sed 's/^/    /'
        fi
    done
done

# Several files at once: each error names its own file.
$tool --check $T/good.nw $T/unended.nw $T/good.nw > /dev/null 2> "$tmp/err"
if [ $? -eq 1 ] && cmp -s "$tmp/err" $T/unended.err; then
    pass "--check of several files names the broken one"
else
    fail "--check of several files:"; sed 's/^/    /' "$tmp/err"
fi
# --splice: only the student's regions count; every problem is reported.
# splice STUDENT WANT-STATUS WANT-OUTPUT WANT-ERRORS: --splice good.nw STUDENT.
splice() {
    $tool --splice $T/good.nw "$1" good.nw > "$tmp/spliced" 2> "$tmp/err"
    status=$?
    if [ $status -eq "$2" ] && cmp -s "$tmp/spliced" "$3" && cmp -s "$tmp/err" "$4"; then
        pass "--splice of $(basename "$1"): status $2, $(basename "$3"), $(wc -l < "$4") problems reported"
    else
        fail "--splice of $1: status $status (wanted $2):"
        diff "$3" "$tmp/spliced" | sed 's/^/    /'; diff "$4" "$tmp/err" | sed 's/^/    /'
    fi
}
splice $T/good.submission 1 $T/good.spliced $T/good.splice.err
splice $T/crlf.submission 1 $T/good.spliced $T/crlf.splice.err
splice $T/good.student 0 $T/good.student /dev/null
# The instructor's own chapter as a submission: its solutions, up to STUB.
$tool --splice $T/good.nw $T/good.nw > "$tmp/self" 2> "$tmp/err"
if [ $? -eq 0 ] && [ ! -s "$tmp/err" ] && grep -q '^    return a + b;$' "$tmp/self" && ! grep -q 'exercise_todo("9.1")' "$tmp/self"; then
    pass "--splice of the instructor's chapter takes its solutions"
else
    fail "--splice of the instructor's chapter:"; sed 's/^/    /' "$tmp/err"
fi
if [ "$($tool --answers $T/good.submission)" = "$(printf '== 9.1\nIt adds.\n')" ] &&
   [ "$($tool --answers $T/good.student)" = "$(printf '== 9.1\n(no answer)\n')" ]; then
    pass "--answers: the student's answer to 9.1, or (no answer)"
else
    fail "--answers:"; $tool --answers $T/good.submission | sed 's/^/    /'
fi

$tool --strip > /dev/null 2>&1
[ $? -eq 2 ] && pass "no file: usage, status 2" || fail "no file: wanted status 2"
exit $failed
