#!/bin/sh
# book: the woven book is complete and its links hold.
#
# Usage: tests/book.sh CHAPTER...   (run from the repository root after make book)
#
# Checks: index.html lists every chapter; each chapter has its page, titled by
# the chapter's first line, and at most READING_MAX (1,100) lines on its
# reading path; every internal link (href) of every page points at
# an existing page and, with #fragment, at an existing id; every image exists;
# no page is stuck with an unresolved noweb chunk; the PDF exists, has pages,
# embeds every font, lacks no glyph and has no undefined reference; the chunk
# index lists every chunk and the identifier index has entries; each chapter
# ends with its snapshot: a listing page per file of its tarball, a tarball
# with fixed owners and times that is byte-identical when made again and that
# builds on its own with `make`. (tests/browser.py opens every page.)
B=out/book
READING_MAX=${READING_MAX:-1100}
suite=book; . tests/check.sh

[ -f "$B/index.html" ] && pass "index.html exists" || fail "no $B/index.html"

for c in "$@"; do
    slug=$(basename "$c" .nw)
    page="$B/$slug.html"
    # (pandoc's smart quotes make an apostrophe a right single quote)
    title=$(head -n 1 "$c" | sed "s/^# *//; s/'/’/g")
    if [ ! -f "$page" ]; then
        fail "$slug: no page $page"; continue
    fi
    grep -qF "$title" "$page" && pass "$slug: page shows the title \"$title\"" ||
        fail "$slug: page lacks the title \"$title\""
    grep -q "href=\"$slug.html\"" "$B/index.html" && pass "$slug: listed in index.html" ||
        fail "$slug: not linked from index.html"
    # The reading path: the lines a reader meets, outside the test blocks
    # (never shown) and the plumbing and detour divs (folded). The guide's
    # aim is about 1,000 lines a chapter.
    reading=$(awk '/^```\{\.(expect|test)/ { hidden = 1 }
                   /^::: *\{\.(plumbing|detour)/ { fold = 1 }
                   !hidden && !fold { n++ }
                   hidden && /^```[ \t]*$/ { hidden = 0 }
                   fold && /^:::[ \t]*$/ { fold = 0 }
                   END { print n + 0 }' "$c")
    [ "$reading" -le "$READING_MAX" ] &&
        pass "$slug: $reading lines on the reading path (at most $READING_MAX)" ||
        fail "$slug: $reading lines on the reading path, over $READING_MAX: tighten it, or fold its plumbing"
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

# The indexes.
missing=$(cat "$B"/[0-9][0-9]-*.html | grep -o 'id="nw-[0-9]*\.[0-9]*"' | sort -u |
    sed 's/^id="//; s/"$//' | while read -r id; do
        grep -q "#$id\"" "$B/chunks.html" || echo "$id"
    done)
[ -f "$B/chunks.html" ] && [ -z "$missing" ] && pass "chunks.html lists every chunk" ||
    fail "chunks.html lacks: $(echo $missing)"
n=$(grep -c 'defined in' "$B/identifiers.html" 2> /dev/null)
[ "${n:-0}" -gt 0 ] && pass "identifiers.html has $n identifiers" ||
    fail "identifiers.html has no identifier"

# Each chapter's snapshot: listings, tarball.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/book-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 143' TERM   # clean up, stop
last=
for c in "$@"; do
    slug=$(basename "$c" .nw); nn=${slug%%-*}; tgz=$B/snapshots/ch$nn.tar.gz
    grep -q 'id="snapshot"' "$B/$slug.html" && pass "$slug: page ends with its snapshot" ||
        fail "$slug: page lacks the snapshot section"
    if ! tar -tzf "$tgz" > "$tmp/list" 2> /dev/null; then
        fail "$slug: no tarball $tgz"; continue
    fi
    nolist=$(grep -v '/$' "$tmp/list" | sed "s|^ch$nn/||" | while read -r f; do
        [ -f "$B/snapshots/ch$nn/$f.html" ] || echo "$f"; done)
    [ -z "$nolist" ] && pass "$slug: a listing page for every file" ||
        fail "$slug: no listing page for: $(echo $nolist)"
    odd=$(tar -tvzf "$tgz" | awk '$2 != "0/0" || $4 != "1970-01-01" {print $NF}')
    [ -z "$odd" ] && pass "$slug: tarball has owner 0/0 and time 0" ||
        fail "$slug: tarball entries with other owners or times: $(echo $odd)"
    mkdir -p "$tmp/$nn"
    if (cd "$tmp/$nn" && tar -xzf "$OLDPWD/$tgz" && make -C "ch$nn" > make.log 2>&1); then
        pass "$slug: the tarball builds on its own (make)"
    else
        fail "$slug: make in the unpacked tarball failed: $(tail -n 3 "$tmp/$nn/make.log")"
    fi
    last=$c
done
# Made again from the same chapters, the last tarball has the same bytes.
if [ -n "$last" ]; then
    nn=$(basename "$last" .nw); nn=${nn%%-*}
    mkdir -p "$tmp/again" && cp -R "$B/md" "$tmp/again/"
    if book/snapshot-pages "$tmp/again" "$@" > /dev/null 2>&1 &&
        cmp -s "$tmp/again/snapshots/ch$nn.tar.gz" "$B/snapshots/ch$nn.tar.gz"; then
        pass "ch$nn.tar.gz is the same when made again"
    else
        fail "ch$nn.tar.gz differs when made again"
    fi
fi

if [ -f out/book.pdf ]; then
    pages=$(pdfinfo out/book.pdf 2>/dev/null | awk '/^Pages:/ {print $2}')
    [ "${pages:-0}" -gt "$#" ] && pass "book.pdf has $pages pages" ||
        fail "book.pdf has ${pages:-no} pages"
    notemb=$(pdffonts out/book.pdf 2>/dev/null | awk 'NR > 2 && $(NF-4) != "yes" {print $1}')
    [ -z "$notemb" ] && pass "book.pdf embeds every font" ||
        fail "book.pdf does not embed: $notemb"
    log=$B/tex/book.log
    if [ -f "$log" ]; then
        lost=$(grep -c 'Missing character' "$log")
        [ "$lost" -eq 0 ] && pass "book.pdf lacks no glyph (no Missing character in $log)" ||
            fail "book.pdf: $lost missing characters, see $log"
        undef=$(grep -c 'Reference .* undefined' "$log")
        [ "$undef" -eq 0 ] && pass "book.pdf has no undefined reference" ||
            fail "book.pdf: $undef undefined references, see $log"
    else
        fail "no $log"
    fi
    pdftotext out/book.pdf - 2> /dev/null | grep -q '⟨.* [0-9]*\.[0-9]*, p\. [0-9]*⟩' &&
        pass "book.pdf: chunk uses give page numbers" ||
        fail "book.pdf: no chunk use with its page number"
else
    fail "no out/book.pdf"
fi

# Build plumbing and detours (::: {.plumbing summary="..."} or {.detour ...}
# in a chapter, book/plumbing.lua) are folded in the page, under their
# summaries, and set apart in the PDF; no fence is left in a page as text.
pdf=$(pdftotext out/book.pdf - 2> /dev/null)
for c in "$@"; do
    slug=$(basename "$c" .nw)
    n=$(grep -c '^:::* *{\.\(plumbing\|detour\)' "$c")
    [ "$n" -gt 0 ] || continue
    folded=$(grep -o '<details class="\(plumbing\|detour\)"><summary>' "$B/$slug.html" | wc -l)
    [ "$folded" -eq "$n" ] &&
        pass "$slug: its $n plumbing sections are folded" ||
        fail "$slug: $n plumbing sections, $folded folded (<details class=\"plumbing\">)"
    ! grep -q '{\.\(plumbing\|detour\)\|::: *{' "$B/$slug.html" &&
        pass "$slug: no plumbing fence shows as text" ||
        fail "$slug: a plumbing fence shows as text in the page"
done
# The PDF holds every chapter, whichever chapters this run checks.
set_apart=$(printf '%s\n' "$pdf" | grep -c '^\(Build plumbing\|Detour\): ')
sections=$(cat chapters/[0-9][0-9]-*.nw | grep -c '^:::* *{\.\(plumbing\|detour\)')
[ "$set_apart" -eq "$sections" ] &&
    pass "book.pdf: every plumbing section is set apart, after its summary" ||
    fail "book.pdf: $sections plumbing sections, $set_apart start with 'Build plumbing: ' or 'Detour: '"

# The instructor's book: every solution and answer folded under its exercise,
# no solution marker left in a page, and all of them in the PDF's appendix.
if [ -e tangle/solutions ]; then
    pdf=$(pdftotext out/book.pdf - 2> /dev/null)
    for c in "$@"; do
        slug=$(basename "$c" .nw)
        n=$(echo "$slug" | sed 's/^0*\([0-9][0-9]*\)-.*/\1/')
        for ex in $(sed -n 's/.*BEGIN SOLUTIO[N] \([0-9.]*\).*/\1/p' "$c"); do
            case $ex in *.*) ;; *) ex=$n.$ex ;; esac   # numbered within the chapter
            id=solution-$(echo "$ex" | tr . -)
            grep -q "<details class=\"solution\" id=\"$id-" "$B/$slug.html" &&
                pass "$slug: solution $ex folded under its exercise" ||
                fail "$slug: solution $ex not folded (no <details id=\"$id-...\">)"
            [ "$(printf '%s\n' "$pdf" | grep -c "^\(Solution\|Answer\) $ex\b")" -ge 2 ] &&
                pass "book.pdf: solution $ex in the appendix, pointed to from its exercise" ||
                fail "book.pdf: solution $ex not in the appendix"
        done
        ! grep -q 'STUB' "$B/$slug.html" &&
            pass "$slug: no STUB marker in the page (the starter code is shown as students have it)" ||
            fail "$slug: a STUB marker shows in the page"
    done
fi
exit $failed
