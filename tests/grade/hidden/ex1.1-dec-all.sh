#!/bin/sh
# Exercise 1.1, instructor's test: every line of the program's output,
# the largest numbers included, and nothing more.
# Usage: tests/grade/hidden/ex1.1-dec-all.sh   (from the project root)
prog=out/ch01/ex/dec/freestanding
[ -x "$prog" ] || { echo "FAIL ex1.1-dec-all: $prog does not exist (build it first)"; exit 1; }
want='0
7
42
100
65535
4294967296
18446744073709551615'
tmp=$(mktemp) || exit 1
trap 'rm -f "$tmp"' EXIT
(ulimit -f 200; exec timeout 5 "$prog" > "$tmp" 2>&1)
status=$?
got=$(head -c 4096 "$tmp")
case $status in
124) echo "FAIL ex1.1-dec-all: the program did not end within 5 s (a hang?)"; exit 1 ;;
153) echo "FAIL ex1.1-dec-all: the program wrote more than 100 KB (a flood?)"; exit 1 ;;
esac
if [ "$got" = "$want" ] && [ $status -eq 0 ]; then
    echo "PASS ex1.1-dec-all: the output is exactly the seven numbers"
else
    echo "FAIL ex1.1-dec-all: the output is not exactly the seven numbers (status $status):"
    printf '%s\n' "$got" | head -n 10 | sed 's/^/    got: /'
    exit 1
fi
