#!/bin/sh
# gdb test: make debug-N's GDB, in batch mode, against a paused QEMU.
#
# Usage: tests/gdb/test.sh NN...   (from the top directory, snapshots built)
#
# For every kernel chapter NN with a kernel_main: tests/gdb/debug boots
# out/chNN/os.iso under GDB, which continues to the breakpoint and lists the
# source. Checks that the breakpoint is hit in kernel_main, that the source
# GDB reports is a chapter file (up to NN), that the lines GDB lists are the
# chapter's, that kernel_main's line is its definition in a chapter, and
# that QEMU is gone afterwards.
# Each run has 60 seconds.
suite=gdb; . tests/check.sh
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gdbtest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

for n in "$@"; do
    out=out/ch$n
    [ -f "$out/os.iso" ] && nm "$out/kernel.elf" | grep -q ' T kernel_main$' || continue
    sock=$tmp/ch$n.sock log=$tmp/ch$n.log
    DEBUG_DISPLAY=none GDB_SOCKET=$sock timeout -k 5 60 \
        tests/gdb/debug "$out" -batch -ex continue -ex list -ex 'info line kernel_main' \
        < /dev/null > "$log" 2>&1
    status=$?
    if [ $status -eq 124 ] || [ $status -eq 137 ]; then
        fail "ch$n: GDB and QEMU did not finish within 60 seconds"; sed 's/^/    /' "$log"
    fi
    if pids=$(pgrep -f "$sock"); then
        fail "ch$n: QEMU still runs after GDB ended"; kill -9 $pids 2>/dev/null
    else
        pass "ch$n: QEMU is gone when GDB ends"
    fi
    # "Breakpoint 1, kernel_main (multiboot_info=...) at chapters/03-target.nw:847"
    hit=$(grep -m1 '^Breakpoint 1, kernel_main (.*) at ' "$log")
    if [ -z "$hit" ]; then
        fail "ch$n: no stop at the breakpoint in kernel_main"; sed 's/^/    /' "$log"; continue
    fi
    pass "ch$n: the breakpoint in kernel_main is hit"
    where=${hit##* at }; file=${where%:*}
    case $file in
    chapters/[0-9][0-9]-*.nw) ;;
    *) fail "ch$n: GDB reports the source $where, not a chapter"; continue ;;
    esac
    if [ -f "$file" ] && [ "$(basename "$file" | cut -c1-2)" -le "$n" ]; then
        pass "ch$n: the source GDB reports is the chapter: $where"
    else
        fail "ch$n: GDB reports $where, which is not in a chapter up to $n"; continue
    fi
    # 'Line 847 of "chapters/03-target.nw" starts at address ... <kernel_main>'
    def=$(sed -n 's/^Line \([0-9]*\) of "\(.*\)" starts at address .*<kernel_main>.*/\2:\1/p' "$log")
    dfile=${def%:*} dline=${def##*:}
    if [ -n "$def" ] && [ -f "$dfile" ] &&
       sed -n "$((dline > 1 ? dline - 1 : 1)),${dline}p" "$dfile" | grep -q 'kernel_main('; then
        pass "ch$n: kernel_main's definition is at $def"
    else
        fail "ch$n: GDB does not place kernel_main at its definition in a chapter (${def:-no line})"
    fi
    # list: lines "N<tab>text" that must be the chapter's own lines.
    bad=$(grep '^[0-9][0-9]*	' "$log" | while IFS= read -r l; do
        num=${l%%	*}; text=${l#*	}
        [ "$(sed -n "${num}p" "$file")" = "$text" ] || echo "$num"
    done)
    listed=$(grep -c '^[0-9][0-9]*	' "$log")
    if [ "$listed" -gt 1 ] && [ -z "$bad" ]; then
        pass "ch$n: list shows $listed lines of $file, as the chapter has them"
    else
        fail "ch$n: list does not show the chapter's lines (differ at: ${bad:-none listed})"
        sed 's/^/    /' "$log"
    fi
done
exit $failed
