#!/bin/sh
# snapshot-make-test.sh: the snapshot's own `make test` (from the chapter
# that brings the in-kernel test runner, kernel/test.c) always ends, in
# time, with a one-line reason.
#
# Usage: tests/snapshot-make-test.sh SRC   (from the repository root, after
# the snapshot is built; SRC is its out/chNN/src). Runs `make test` in SRC
# on the test kernels (must pass), on
# test-fail (a test fails), on the fixtures test-int3 (triple fault) and
# test-deadlock (hangs: the time limit), and once in a terminal (script(1)):
# a QEMU that touched the terminal from a background process group would be
# stopped until the time limit. Each run must end with the expected status
# and last line within its limit. Prints one PASS or FAIL line per check.

SRC=${1:?usage: tests/snapshot-make-test.sh SRC, the sources of the snapshot}
LIMIT=120       # seconds for any one `make test`, whatever the rule does
HANG=5          # TEST_TIMEOUT for the kernel that hangs

LC_ALL=C
export LC_ALL

failed=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# run NAME MAX WANT_STATUS LAST_LINE COMMAND...: runs COMMAND (bounded by
# LIMIT) and checks its exit status (0, or "fail" for any other), that its
# output's last line is LAST_LINE and that it took at most MAX seconds.
run() {
    name=$1 max=$2 want=$3 last=$4
    shift 4
    start=$(date +%s)
    timeout -s KILL $LIMIT "$@" > "$tmp/out" 2>&1
    status=$?
    took=$(( $(date +%s) - start ))
    got=$(tr -d '\r' < "$tmp/out" | grep -v '^make\(\[[0-9]*\]\)\{0,1\}: \*\*\*' | tail -n 1)
    why=
    if [ $status -eq 137 ]; then
        why="still running after $LIMIT s"
    elif [ "$want" = 0 ] && [ $status -ne 0 ]; then
        why="exit status $status, expected 0"
    elif [ "$want" = fail ] && [ $status -eq 0 ]; then
        why="exit status 0, expected a failure"
    elif [ "$got" != "$last" ]; then
        why="last line \"$got\", expected \"$last\""
    elif [ $took -gt "$max" ]; then
        why="took $took s, more than $max s"
    fi
    if [ -z "$why" ]; then
        echo "PASS snapshot-make-test: $name: \"$last\" after $took s"
    else
        echo "FAIL snapshot-make-test: $name: $why"
        sed 's/^/    |/' "$tmp/out" | tr -d '\r' | tail -n 15
        failed=1
    fi
}

MAKE_TEST="make -s --no-print-directory -C $SRC BUILD=.. test"

run "the test kernels pass" 100 0 "test-early_kprintf: all tests passed" $MAKE_TEST
run "a failing test" 100 fail "test-fail: FAIL: a test failed" \
    $MAKE_TEST TEST_KERNELS=test-fail
run "a triple fault" 100 fail "test-int3: FAIL: triple fault: the CPU reset" \
    $MAKE_TEST TEST_KERNELS=test-int3
run "a hang" 100 fail "test-deadlock: FAIL: no verdict after $HANG s: the kernel hangs" \
    $MAKE_TEST TEST_KERNELS=test-deadlock TEST_TIMEOUT=$HANG
run "in a terminal" 100 0 "test: all tests passed" \
    script -qec "$MAKE_TEST TEST_KERNELS=test" /dev/null

exit $failed
