#!/bin/sh
# browser: the HTML book, opened page by page in a real browser.
#
# Usage: tests/browser.sh [BOOKDIR [SHOTDIR]]   (run from the repository root
#                                              after make book)
#
# Opens every page of BOOKDIR (out/book) in headless Chromium, with a fresh
# profile and nothing that talks to the network, and fails on a console
# error, a failed load, a broken internal link or fragment, a missing image,
# a link that leaves the site, or a page that scrolls sideways on a phone.
# Saves one chapter at desktop (1280 px) and phone (390 px) width, light and
# dark, as SHOTDIR/desktop.png, phone.png, desktop-dark.png, phone-dark.png
# (SHOTDIR: out/test/browser). tests/browser.c (built here into TOOL, unless
# it is there and newer than its source) speaks the DevTools protocol.
set -u
BOOK=${1:-out/book}
SHOTS=${2:-out/test/browser}
CHROMIUM=${CHROMIUM:-chromium}
TOOL=${TOOL:-out/tools/browser}

if [ ! -x "$TOOL" ] || [ tests/browser.c -nt "$TOOL" ]; then
    mkdir -p "$(dirname "$TOOL")" &&
    ${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -o "$TOOL" tests/browser.c ||
    { echo "FAIL browser: cannot build $TOOL from tests/browser.c"; exit 1; }
fi

command -v "$CHROMIUM" > /dev/null 2>&1 || { echo "FAIL browser: no $CHROMIUM"; exit 1; }

# The chapter to photograph: the second chapter page (the first kernel
# chapter has code, a screenshot and a run block), else the first page.
page=$(cd "$BOOK" && ls [0-9][0-9]-*.html 2> /dev/null | sed -n '2p;1h;${x;p}' | head -n 1)
[ -n "$page" ] || page=index.html
[ -f "$BOOK/$page" ] || { echo "FAIL browser: no page $BOOK/$page (make book first)"; exit 1; }

profile=$(mktemp -d "${TMPDIR:-/tmp}/browser-test.XXXXXX")
trap 'rm -rf "$profile"' EXIT INT TERM

"$TOOL" "$BOOK" "$SHOTS" "$page" "$CHROMIUM" \
    --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-default-apps --disable-extensions --hide-scrollbars \
    --user-data-dir="$profile" about:blank
