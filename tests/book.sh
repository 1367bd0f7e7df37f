#!/bin/sh
# book: the woven book is complete and its links hold.
#
# Usage: tests/book.sh CHAPTER...   (run from the repository root after make book)
#
# Checks: index.html lists every chapter; each chapter has its page, titled by
# the chapter's first line; every internal link (href) of every page points at
# an existing page and, with #fragment, at an existing id; every image exists;
# no page is stuck with an unresolved noweb chunk; the PDF exists, has pages
# and embeds every font.
B=out/book
failed=0
pass() { echo "PASS book: $*"; }
fail() { echo "FAIL book: $*"; failed=1; }

[ -f "$B/index.html" ] && pass "index.html exists" || fail "no $B/index.html"

for c in "$@"; do
    slug=$(basename "$c" .nw)
    page="$B/$slug.html"
    title=$(head -n 1 "$c" | sed 's/^# *//')
    if [ ! -f "$page" ]; then
        fail "$slug: no page $page"; continue
    fi
    grep -qF "$title" "$page" && pass "$slug: page shows the title \"$title\"" ||
        fail "$slug: page lacks the title \"$title\""
    grep -q "href=\"$slug.html\"" "$B/index.html" && pass "$slug: listed in index.html" ||
        fail "$slug: not linked from index.html"
done

# Every internal link and image of every page.
for page in "$B"/*.html; do
    name=${page#"$B"/}
    bad=$(grep -o '\(href\|src\)="[^"]*"' "$page" | sed 's/^[a-z]*="//; s/"$//' |
        grep -v '^\(https\?:\|mailto:\|data:\)' | sort -u | while read -r link; do
            file=${link%%#*}; frag=
            case $link in *#*) frag=${link#*#} ;; esac
            target="$B/${file:-$name}"
            if [ ! -f "$target" ]; then
                echo "$link (no file)"
            elif [ -n "$frag" ] && ! grep -q "id=\"$frag\"" "$target"; then
                echo "$link (no id)"
            fi
        done)
    [ -z "$bad" ] && pass "$name: every link and image resolves" ||
        fail "$name: broken links: $(echo $bad)"
done

if [ -f out/book.pdf ]; then
    pages=$(pdfinfo out/book.pdf 2>/dev/null | awk '/^Pages:/ {print $2}')
    [ "${pages:-0}" -gt "$#" ] && pass "book.pdf has $pages pages" ||
        fail "book.pdf has ${pages:-no} pages"
    notemb=$(pdffonts out/book.pdf 2>/dev/null | awk 'NR > 2 && $(NF-4) != "yes" {print $1}')
    [ -z "$notemb" ] && pass "book.pdf embeds every font" ||
        fail "book.pdf does not embed: $notemb"
else
    fail "no out/book.pdf"
fi
exit $failed
