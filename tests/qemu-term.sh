#!/bin/sh
# qemu-term test: make chapter-N's terminal mode quits with Ctrl-A X.
#
# Usage: tests/qemu-term.sh ISO   (from the top directory, out/tools/qemu-term built)
#
# Runs QEMU's curses display of ISO under out/tools/qemu-term on a
# pseudo-terminal (script(1)), typing keys at fixed times: Ctrl-A X must end
# it at once with status 0; Ctrl-C must not (it is the machine's key); and
# Ctrl-A Ctrl-A and Ctrl-A with another key must reach the program.
term=out/tools/qemu-term iso=$1
suite=qemu-term; . tests/check.sh
tmp=$(mktemp -d "${TMPDIR:-/tmp}/qemu-term.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
qemu="qemu-system-x86_64 -cdrom $iso -display curses -no-reboot"

# run KEYS-SCRIPT COMMAND: run COMMAND under qemu-term on a pseudo-terminal,
# with the keys KEYS-SCRIPT (sh) prints; sets status and seconds.
run() {
    start=$(date +%s)
    sh -c "$1" | TERM=xterm timeout -k 5 40 script -qec "$term $2" /dev/null > "$tmp/out" 2>&1
    status=$?
    seconds=$(($(date +%s) - start))
}

run "sleep 6; printf '\\001x'" "$qemu"
if [ $status -eq 0 ] && [ $seconds -lt 15 ]; then
    pass "Ctrl-A X ends QEMU's curses display with status 0 (after ${seconds} s, keys at 6 s)"
else
    fail "Ctrl-A X did not end QEMU: status $status after $seconds s"
fi
if grep -q "$(printf '\033')\[?1049l" "$tmp/out"; then
    pass "the terminal is back on its main screen"
else
    fail "no switch back to the main screen"
fi

run "sleep 6; printf '\\003'; sleep 4; printf '\\001x'" "$qemu"
if [ $status -eq 0 ] && [ $seconds -ge 10 ]; then
    pass "Ctrl-C goes to the machine, and Ctrl-A X still quits (after ${seconds} s, keys at 6 and 10 s)"
else
    fail "Ctrl-C then Ctrl-A X: status $status after $seconds s (wanted 0, at 10 s or later)"
fi

run "sleep 2; printf 'a\\001\\001b\\001c'" "sh -c 'stty raw -echo; head -c 5 | od -An -tx1'"
if tr -d '\r' < "$tmp/out" | grep -q '61 01 62 01 63'; then
    pass "Ctrl-A Ctrl-A sends one Ctrl-A, Ctrl-A c sends both"
else
    fail "keys after Ctrl-A: wanted 61 01 62 01 63, got: $(tr -d '\r' < "$tmp/out")"
fi
exit $failed
