#!/bin/sh
# Exercise 1.1: print_dec prints the first numbers of dec.c's table, and
# the program exits with status 0.
# Usage: tests/grade/ex1.1-dec.sh   (from the project root, after make exercises)
prog=out/ch01/ex/dec/freestanding
[ -x "$prog" ] || { echo "FAIL ex1.1-dec: $prog does not exist (build it first)"; exit 1; }
# run: the program's output in $out and its status in $status; at most 5 s
# and 100 KB of output (ulimit -f counts 512-byte blocks).
tmp=$(mktemp) || exit 1
trap 'rm -f "$tmp"' EXIT
(ulimit -f 200; exec timeout 5 "$prog" > "$tmp" 2>&1)
status=$?
out=$(head -c 4096 "$tmp")
case $status in
124) echo "FAIL ex1.1-dec: the program did not end within 5 s (a hang?)"; exit 1 ;;
153) echo "FAIL ex1.1-dec: the program wrote more than 100 KB (a flood?)"; exit 1 ;;
esac
failed=0
n=0
for want in 0 7 42 100; do
    n=$((n + 1))
    got=$(printf '%s\n' "$out" | sed -n "${n}p")
    if [ "$got" = "$want" ]; then
        echo "PASS ex1.1-dec: line $n is $want"
    else
        echo "FAIL ex1.1-dec: line $n is \"$got\", not $want"; failed=1
    fi
done
if [ $status -eq 0 ]; then
    echo "PASS ex1.1-dec: exit status 0"
else
    echo "FAIL ex1.1-dec: exit status $status, not 0"; failed=1
    printf '%s\n' "$out" | head -n 3 | sed 's/^/    /'
fi
exit $failed
