#!/bin/sh
# Generated from tests/expects/good/01-first.nw:14: edit the chapter, not this file.
chapter=out/ch01
"$chapter/ex/dec/prog" | grep -qx 42 && echo "PASS dec-all" || echo "FAIL dec-all"
