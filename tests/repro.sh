#!/bin/sh
# repro: every snapshot builds to byte-identical outputs.
#
# Usage: tests/repro.sh NN...   (run from the repository root, snapshots built)
#
# Rebuilds each snapshot from scratch into a fresh directory and compares every
# file it makes with the one the normal build left in out/chNN/.
failed=0
for n in "$@"; do
    fresh=out/test/repro/ch$n
    rm -rf "$fresh"; mkdir -p "$fresh"
    if ! make --no-print-directory -s -C "out/ch$n/src" BUILD="$(pwd)/$fresh" > "$fresh.log" 2>&1; then
        echo "FAIL repro: ch$n: a fresh build failed (see $fresh.log)"; failed=1; continue
    fi
    files=$(cd "$fresh" && find . -path ./obj -prune -o -type f -print | sort)
    if [ -z "$files" ]; then
        echo "FAIL repro: ch$n: a fresh build made no file"; failed=1; continue
    fi
    for f in $files; do
        f=${f#./}
        if cmp -s "$fresh/$f" "out/ch$n/$f"; then
            echo "PASS repro: ch$n/$f is byte-identical in two builds"
        else
            echo "FAIL repro: ch$n/$f differs between two builds ($fresh/$f)"; failed=1
        fi
    done
done
exit $failed
