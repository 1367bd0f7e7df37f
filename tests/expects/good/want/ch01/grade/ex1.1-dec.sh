#!/bin/sh
# Generated from tests/expects/good/01-first.nw:10: edit the chapter, not this file.
chapter=out/ch01
"$chapter/ex/dec/prog" | grep -q 42 && echo "PASS dec" || echo "FAIL dec"
