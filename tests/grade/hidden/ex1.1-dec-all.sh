#!/bin/sh
# Exercise 1.1, instructor's test: every line of the program's output,
# the largest numbers included, and nothing more.
# Usage: tests/grade/hidden/ex1.1-dec-all.sh   (from the project root)
want='0
7
42
100
65535
4294967296
18446744073709551615'
. "${GRADE_LIB:-tests/grade}/bounded.sh"
run_bounded ex1.1-dec-all out/ch01/ex/dec/freestanding
got=$out
if [ "$got" = "$want" ] && [ $status -eq 0 ]; then
    echo "PASS ex1.1-dec-all: the output is exactly the seven numbers"
else
    echo "FAIL ex1.1-dec-all: the output is not exactly the seven numbers (status $status):"
    printf '%s\n' "$got" | head -n 10 | sed 's/^/    got: /'
    exit 1
fi
