#!/bin/sh
# host-program.sh: checks the freestanding programs of the chapter that
# builds them (the one that defines freestanding/main.c).
#
# Usage: tests/host-program.sh OUT   (from the repository root, after the
# snapshot is built in OUT, such as out/chNN). Prints one PASS or FAIL line
# per check and exits 1 if any check failed.

OUT=${1:?usage: tests/host-program.sh OUT, the build directory of the snapshot}
BIN=$OUT/freestanding
NONE=$OUT/freestanding-none.elf

# What chapter 1 says the program does.
HELLO='Hello from a freestanding C program!'
MAIN_STATUS=42
PANIC_MSG='panic: this program takes no arguments'
PANIC_STATUS=99

LC_ALL=C
export LC_ALL

failed=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 143' TERM   # clean up, stop

# check DESCRIPTION COMMAND...: PASS if the command succeeds; on failure,
# FAIL followed by what the command printed, indented.
check() {
    desc=$1
    shift
    if "$@" > "$tmp/detail" 2>&1; then
        echo "PASS host-program: $desc"
    else
        echo "FAIL host-program: $desc"
        sed 's/^/  /' "$tmp/detail"
        failed=1
    fi
}

# same EXPECTED ACTUAL: true if the files are equal; else shows ACTUAL.
same() {
    cmp -s "$1" "$2" || { echo "got:"; sed 's/^/| /' "$2"; return 1; }
}

for f in "$BIN" "$NONE"; do
    if [ ! -f "$f" ]; then
        echo "FAIL host-program: $f exists"
        echo "  build it first: make -C $OUT/src BUILD=.."
        exit 1
    fi
done

# run_prog OUTFILE ARGS...: runs the host program, output to OUTFILE,
# and sets $status.
run_prog() {
    outfile=$1
    shift
    "$BIN" "$@" > "$outfile" 2>&1
    status=$?
}

# status_is N: true if the last run_prog exited with status N.
status_is() {
    [ "$status" -eq "$1" ] || { echo "got status $status"; return 1; }
}

# Normal run: exactly one line, and main's status.
printf '%s\n' "$HELLO" > "$tmp/hello.expected"
run_prog "$tmp/hello.out"
check "freestanding prints exactly '$HELLO'" \
    same "$tmp/hello.expected" "$tmp/hello.out"
check "freestanding exits with status $MAIN_STATUS" \
    status_is "$MAIN_STATUS"

# Panic: an argument makes main panic.
printf '%s\n' "$PANIC_MSG" > "$tmp/panic.expected"
run_prog "$tmp/panic.out" unexpected
check "freestanding with an argument prints '$PANIC_MSG'" \
    same "$tmp/panic.expected" "$tmp/panic.out"
check "freestanding panics with status $PANIC_STATUS" \
    status_is "$PANIC_STATUS"

# Static, with no program interpreter and no dynamic section.
readelf -lW "$BIN" > "$tmp/phdrs" 2>&1
check "freestanding has program headers" grep -q LOAD "$tmp/phdrs"
check "freestanding has no INTERP program header" \
    sh -c '! grep -q INTERP "$1"' sh "$tmp/phdrs"
readelf -d "$BIN" > "$tmp/dynamic" 2>&1
check "freestanding has no dynamic section" \
    grep -q 'There is no dynamic section' "$tmp/dynamic"

# No C library: nothing undefined, and none of libc's symbols defined
# either (a static libc would define them rather than leave them undefined).
# undefined_none FILE: true if nm lists no undefined symbols in FILE.
undefined_none() {
    nm -u "$1" > "$tmp/undef" 2>&1 && [ ! -s "$tmp/undef" ] ||
        { echo "undefined:"; sed 's/^/| /' "$tmp/undef"; return 1; }
}
check "freestanding has no undefined symbols" undefined_none "$BIN"
nm "$BIN" > "$tmp/syms" 2>&1
for sym in __libc_start_main printf puts _IO_stdin_used; do
    check "freestanding has no symbol $sym" \
        sh -c '! grep -Eq " $2(@.*)?$" "$1"' sh "$tmp/syms" "$sym"
done
check "freestanding defines its own _start, memset and memcpy" \
    sh -c 'grep -q " T _start$" "$1" && grep -q " T memset$" "$1" &&
           grep -q " T memcpy$" "$1"' sh "$tmp/syms"

# entry_is_start FILE: true if FILE's entry point is its _start symbol.
entry_is_start() {
    entry=$(readelf -h "$1" | sed -n 's/^ *Entry point address: *0x0*//p')
    start=$(nm "$1" | sed -n 's/^0*\([0-9a-f]*\) T _start$/\1/p')
    [ -n "$entry" ] && [ "$entry" = "$start" ] ||
        { echo "entry 0x$entry, _start 0x$start"; return 1; }
}
check "freestanding's entry point is _start" entry_is_start "$BIN"

# The bare-metal build: an x86-64 ELF64 executable, complete, entry _start.
readelf -h "$NONE" > "$tmp/none.h" 2>&1
check "freestanding-none.elf is ELF64" \
    grep -Eq 'Class: +ELF64' "$tmp/none.h"
check "freestanding-none.elf is x86-64" \
    grep -Eq 'Machine: +Advanced Micro Devices X86-64' "$tmp/none.h"
check "freestanding-none.elf is an executable" \
    grep -Eq 'Type: +EXEC' "$tmp/none.h"
check "freestanding-none.elf's entry point is _start" entry_is_start "$NONE"
check "freestanding-none.elf has no undefined symbols" undefined_none "$NONE"
check "freestanding-none.elf has no Linux entry code" \
    sh -c '! nm "$1" | grep -q linux_start' sh "$NONE"

# Unwind tables were turned off in both.
for f in "$BIN" "$NONE"; do
    check "$(basename "$f") has no .eh_frame section" \
        sh -c '! readelf -SW "$1" | grep -q "\.eh_frame"' sh "$f"
done

exit $failed
