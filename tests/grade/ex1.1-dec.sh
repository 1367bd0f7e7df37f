#!/bin/sh
# Exercise 1.1: print_dec prints the first numbers of dec.c's table, and
# the program exits with status 0.
# Usage: tests/grade/ex1.1-dec.sh   (from the project root, after make exercises)
. "${GRADE_LIB:-tests/grade}/bounded.sh"
run_bounded ex1.1-dec out/ch01/ex/dec/freestanding
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
