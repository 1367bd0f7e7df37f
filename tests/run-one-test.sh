#!/bin/sh
# run-one-test.sh: the test runner (tests/run-one) gives every way a test can
# end a verdict: passed, failed, crashed, silent, flooding its output,
# outliving its bound, interrupted; .sh files run with sh, in -C's directory.
# (Boot tests and the serial flood: tests/grade/test-submission.sh.)
#
# Usage: tests/run-one-test.sh   (from the repository root)
T=out/test/runner
suite=runner; . tests/check.sh
rm -rf "$T" && mkdir -p "$T/dir" || exit 1

# run NAME [OPTION...] -- TEST...: tests/run-one's output in $T/NAME.out,
# its status in $st, its time on the clock in $secs.
run() {
    _n=$1; shift
    _t0=$(date +%s)
    tests/run-one "$@" > "$T/$_n.out" 2>&1
    st=$?
    secs=$(( $(date +%s) - _t0 ))
}
# expect NAME STATUS LINE...: run NAME exited with STATUS and printed
# exactly these lines.
expect() {
    _n=$1 _s=$2; shift 2
    printf '%s\n' "$@" > "$T/$_n.want"
    if [ "$st" = "$_s" ] && cmp -s "$T/$_n.want" "$T/$_n.out"; then
        pass "$_n: status $_s, $(tail -n 1 "$T/$_n.want")"
    else
        fail "$_n: status $st (wanted $_s), output:"; diff "$T/$_n.want" "$T/$_n.out" | sed 's/^/    /'
    fi
}

printf 'echo "PASS ok: one"\necho "PASS ok: $1 in $(basename "$(pwd)")"\n' > "$T/ok.sh"
run ok -C "$T/dir" ok "$(pwd)/$T/ok.sh" two
expect ok 0 "PASS ok: one" "PASS ok: two in dir"

run failed failed sh -c 'echo "PASS failed: a"; echo "FAIL failed: b"; exit 1'
expect failed 0 "PASS failed: a" "FAIL failed: b"

run crash crash sh -c 'echo "PASS crash: a"; exit 3'
expect crash 0 "PASS crash: a" "FAIL crash: exited with status 3 without reporting a failed check"

run silent silent true
expect silent 0 "FAIL silent: ran no check"

run flood -o 100 flood sh -c 'yes "PASS flood: again"'
if [ $st -eq 0 ] && [ "$(head -c 100 "$T/flood.out" | wc -c)" -eq 100 ] && [ "$secs" -lt 20 ] &&
   [ "$(tail -n 1 "$T/flood.out")" = "FAIL flood: output flood: more than 100 bytes of output (cut there)" ] &&
   [ "$(wc -c < "$T/flood.out")" -lt 200 ]; then
    pass "flood: endless output cut at 100 bytes, the test stopped, FAIL output flood"
else
    fail "flood: status $st after $secs s:"; tail -c 300 "$T/flood.out" | sed 's/^/    /'
fi

run bound -t 1 bound sh -c 'echo "PASS bound: started"; sleep 30'
if [ $st -eq 124 ] && [ "$secs" -lt 15 ] &&
   [ "$(tail -n 1 "$T/bound.out")" = "FAIL bound: did not finish within 1 s (the runner's bound on a test)" ]; then
    pass "bound: a test that outlives -t 1 is ended, status 124, FAIL did not finish"
else
    fail "bound: status $st after $secs s:"; sed 's/^/    /' "$T/bound.out"
fi

# Interrupted: the test goes with the runner.
tests/run-one slow sh -c "echo 'PASS slow: started'; exec sleep 301" > "$T/slow.out" 2>&1 &
pid=$!
i=0
until pgrep -f 'sleep 301' > /dev/null || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
kill -TERM $pid
wait $pid
st=$?
sleep 0.5
left=$(pgrep -f 'sleep 301' | while read -r p; do
    [ "$(readlink "/proc/$p/cwd")" = "$PWD" ] && echo "$p"; done)
if [ $st -eq 143 ] && [ -z "$left" ]; then
    pass "interrupted: status 143, the test ended with the runner"
else
    fail "interrupted: status $st, left running: ${left:-nothing}"
    [ -z "$left" ] || kill $left
fi

run usage usage
[ $st -eq 2 ] && grep -q '^usage: tests/run-one' "$T/usage.out" && pass "usage: status 2 and the usage line" ||
    fail "usage: status $st"
exit $failed
