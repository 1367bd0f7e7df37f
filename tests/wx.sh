#!/bin/sh
# wx: no kernel has a segment that is both writable and executable (W^X).
#
# Usage: tests/wx.sh   (from the repository root, snapshots built)
#
# Checks every ELF file the builds left under out/chNN/: each kernel.elf and
# every variant, test and exercise kernel next to it, found rather than
# listed. Experiments (out/chNN/try/) and the copies of the snapshot that
# the book's commands run in (out/chNN/run/), both made when the book is
# woven, are left out. One line per file; a failure names the file and the
# program header.
failed=0 found=0
for f in $(find out/ch[0-9]* \( -path 'out/ch*/try' -o -path 'out/ch*/run' \) -prune \
           -o -name '*.elf' -type f -print | sort); do
    found=$((found + 1))
    if ! headers=$(readelf -lW "$f" 2>&1); then
        echo "FAIL wx: $f: readelf failed: $headers"; failed=1; continue
    fi
    # A program header line ends with its flags (R, W, E or blank, in that
    # order) and its alignment; W and E together read "WE".
    bad=$(printf '%s\n' "$headers" | awk '/^ +[A-Z_]+ +0x/ && / [R ]WE 0x[0-9a-f]+$/ {
        sub(/^ +/, ""); gsub(/ +/, " "); print }')
    if [ -n "$bad" ]; then
        printf '%s\n' "$bad" | while read -r line; do
            echo "FAIL wx: $f: a segment is writable and executable: $line"
        done
        failed=1
    else
        echo "PASS wx: $f: no segment is both writable and executable"
    fi
done
[ "$found" -gt 0 ] || { echo "FAIL wx: no ELF file under out/ch*/ (build first)"; exit 1; }
exit $failed
