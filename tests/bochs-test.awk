# bochs-test.awk: the boot tests' expect files, for tests/bochs-test.
#
# Two modes (awk -v mode=...), run with LC_ALL=C so that strings are bytes:
#
#   parse   awk -v mode=parse -f tests/bochs-test.awk EXPECT
#           Checks the file and prints it as tab-separated lines:
#             boot PATH / timeout SECONDS / end halt / end exit STATUS
#             check screen ROW TEXT LABEL / check contains TEXT LABEL /
#             check colour ROW COL LEN ATTR LABEL / check serial TEXT LABEL
#           A bad file: "EXPECT:LINE: message" on standard error, exit 2.
#
#   check   awk -v mode=check -v name=NAME -v end_ok=0|1 -v end_msg=TEXT \
#               -v screen_txt=FILE -v saved=TEXT -f tests/bochs-test.awk \
#               PARSED SCREEN SERIAL
#           PARSED is the output of parse, SCREEN the 4000 bytes of the text
#           screen as decimal numbers one a line (empty if there was no
#           dump), SERIAL the serial output without carriage returns. Prints
#           "PASS NAME: CHECK" or "FAIL NAME: CHECK" for the end condition
#           (end_ok, end_msg) and each check, writes the screen as 25 rows of
#           text to screen_txt, and on a failure the non-blank rows, the last
#           serial lines and the line "saved: ...". Exits 1 if a check failed.
#
# The format is tests/qemu-test's (tests/qemu-test.md); "qemu", "boot
# kernel", and the keys and waits ("key", "type", "burst", "wait") are
# refused (QEMU-only), and "screenshot" is left to qemu-test.

BEGIN {
    ROWS = 25; COLS = 80
    if (mode == "parse")
        parsing = 1
    else if (mode != "check") {
        print "bochs-test.awk: mode must be parse or check" > "/dev/stderr"
        exit 2
    }
    cp437_table()
}

# --- parse ------------------------------------------------------------------

function fail(msg) {
    printf "%s:%d: %s\n", (lfile != "" ? lfile : FILENAME), FNR + loff, msg > "/dev/stderr"
    bad = 1
    exit 2
}

# Splits the current line into tok[1..ntok]; kind[i] is "word" or "str".
function tokenize(line,    i, n, c, s, j) {
    ntok = 0
    n = length(line)
    i = 1
    while (i <= n) {
        c = substr(line, i, 1)
        if (c == " " || c == "\t") { i++; continue }
        if (c == "#") break
        if (c == "\"") {
            s = ""
            i++
            for (;;) {
                if (i > n) fail("unterminated string")
                c = substr(line, i, 1)
                if (c == "\"") { i++; break }
                if (c == "\\") {
                    c = substr(line, i + 1, 1)
                    if (c != "\"" && c != "\\")
                        fail("unknown escape in string (only \\\" and \\\\ exist)")
                    s = s c
                    i += 2
                    continue
                }
                s = s c
                i++
            }
            c = substr(line, i, 1)
            if (i <= n && c != " " && c != "\t") fail("no blank after a string")
            tok[++ntok] = s; kind[ntok] = "str"
        } else {
            j = i
            while (j <= n && (c = substr(line, j, 1)) != " " && c != "\t") {
                if (c == "\"") fail("quote inside a word")
                j++
            }
            tok[++ntok] = substr(line, i, j - i); kind[ntok] = "word"
            i = j
        }
    }
}

function quote(s) {
    gsub(/\\/, "\\\\", s)
    gsub(/"/, "\\\"", s)
    return "\"" s "\""
}

function nargs(want) {
    if (ntok - 1 != want)
        fail(tok[1] " takes " want " argument" (want == 1 ? "" : "s"))
}

# The number in argument k (decimal or 0x hex), within lo..hi.
function integer(k, lo, hi, what,    v, x, i, d) {
    v = tok[k]
    if (kind[k] != "word") fail(tok[1] ": " quote(v) " is not a number")
    if (v ~ /^0[xX][0-9a-fA-F]+$/) {
        x = 0
        for (i = 3; i <= length(v); i++) {
            d = index("0123456789abcdef", tolower(substr(v, i, 1))) - 1
            x = x * 16 + d
        }
    } else if (v ~ /^[0-9]+$/)
        x = v + 0
    else
        fail(tok[1] ": " v " is not a number")
    if (x < lo || x > hi) fail(tok[1] ": " what " " x " is out of range " lo ".." hi)
    return x
}

function string(k) {
    if (kind[k] != "str") fail(tok[1] ": text must be in double quotes: \"" tok[k] "\"")
    return tok[k]
}

function once(    w) {
    w = tok[1]
    if (w in seen) fail(w " given twice (first on line " seen[w] + loff ")")
    seen[w] = FNR
}

# The number of characters (not bytes) of a UTF-8 string.
function chars(s) {
    gsub(/[\200-\277]/, "", s)
    return length(s)
}

# `#line N "FILE"` (tangle/expects writes it into the expect files it takes
# from the chapters): the next line is line N of FILE, and errors say so.
parsing && /^#line [0-9]+ "[^"]*"[ \t]*$/ {
    lfile = $0; sub(/^#line [0-9]+ "/, "", lfile); sub(/"[ \t]*$/, "", lfile)
    loff = $2 - FNR - 1
    next
}

parsing {
    tokenize($0)
    if (ntok == 0) next
    w = tok[1]
    if (kind[1] != "word") fail("a line starts with a directive, not a string")
    if (w == "boot") {
        once(); nargs(2)
        if (tok[2] == "kernel")
            fail("boot kernel: QEMU's Multiboot loader; Bochs boots an image (boot iso PATH)")
        if (tok[2] != "iso") fail("boot: say 'boot iso PATH' or 'boot kernel PATH'")
        boot = tok[3]
    } else if (w == "qemu") {
        fail("qemu: this test needs a QEMU machine of its own; Bochs cannot run it")
    } else if (w == "key" || w == "type" || w == "burst" || w == "wait") {
        fail(w ": typed keys and waits are QEMU's (its monitor types them); Bochs cannot run this test")
    } else if (w == "timeout") {
        once(); nargs(1)
        if (kind[2] != "word" || tok[2] !~ /^([0-9]+\.?[0-9]*|\.[0-9]+)$/)
            fail("timeout: " tok[2] " is not a number of seconds")
        if (tok[2] + 0 <= 0 || tok[2] + 0 > 3600)
            fail("timeout: " tok[2] " is out of range (0, 3600] seconds")
        timeout = tok[2]
    } else if (w == "screen") {
        nargs(2)
        row = integer(2, 0, ROWS - 1, "row"); text = string(3)
        t = text; sub(/ +$/, "", t)
        if (chars(t) > COLS) fail("screen: text is longer than " COLS " columns")
        checks[++nchecks] = "screen\t" row "\t" text "\tscreen " row " " quote(text)
    } else if (w == "contains") {
        nargs(1)
        text = string(2)
        if (text == "") fail("contains: empty text")
        checks[++nchecks] = "contains\t" text "\tcontains " quote(text)
    } else if (w == "colour" || w == "color") {
        nargs(4)
        row = integer(2, 0, ROWS - 1, "row")
        col = integer(3, 0, COLS - 1, "column")
        len = integer(4, 1, COLS - col, "length")
        attr = integer(5, 0, 255, "attribute")
        checks[++nchecks] = sprintf("colour\t%d\t%d\t%d\t%d\tcolour %d %d %d 0x%02x",
                                    row, col, len, attr, row, col, len, attr)
    } else if (w == "serial") {
        nargs(1)
        text = string(2)
        checks[++nchecks] = "serial\t" text "\tserial " quote(text)
    } else if (w == "end") {
        once()
        if (ntok == 2 && tok[2] == "halt" && kind[2] == "word")
            end = "halt"
        else if (ntok == 3 && tok[2] == "exit" && kind[2] == "word")
            end = "exit\t" integer(3, 0, 255, "status")
        else
            fail("end: say 'end halt' or 'end exit N'")
    } else if (w == "screenshot") {
        once(); nargs(1)         # taken by tests/qemu-test
    } else
        fail("unknown directive '" w "'")
    next
}

END {
    if (bad) exit 2
    if (parsing) {
        if (boot == "") { FNR = NR; fail("no 'boot iso PATH' line") }
        if (end == "") end = "halt"
        if (end == "halt" && nchecks == 0) {
            FNR = NR
            fail("end halt needs at least one screen, contains, colour or serial check")
        }
        print "boot\t" boot
        print "timeout\t" (timeout == "" ? 20 : timeout)
        print "end\t" end
        for (i = 1; i <= nchecks; i++) print "check\t" checks[i]
        exit 0
    }
    check_all()
}

# --- check ------------------------------------------------------------------

# glyph[b]: the UTF-8 text of CP437 byte b as the VGA text mode shows it.
function cp437_table(    low, high, a, n, i) {
    low = "☺|☻|♥|♦|♣|♠|•|◘|○|◙|♂|♀|♪|♫|☼|►|◄|↕|‼|¶|§|▬|↨|↑|↓|→|←|∟|↔|▲|▼"
    high = "Ç|ü|é|â|ä|à|å|ç|ê|ë|è|ï|î|ì|Ä|Å|É|æ|Æ|ô|ö|ò|û|ù|ÿ|Ö|Ü|¢|£|¥|₧|ƒ|" \
           "á|í|ó|ú|ñ|Ñ|ª|º|¿|⌐|¬|½|¼|¡|«|»|░|▒|▓|│|┤|╡|╢|╖|╕|╣|║|╗|╝|╜|╛|┐|" \
           "└|┴|┬|├|─|┼|╞|╟|╚|╔|╩|╦|╠|═|╬|╧|╨|╤|╥|╙|╘|╒|╓|╫|╪|┘|┌|█|▄|▌|▐|▀|" \
           "α|ß|Γ|π|Σ|σ|µ|τ|Φ|Θ|Ω|δ|∞|φ|ε|∩|≡|±|≥|≤|⌠|⌡|÷|≈|°|∙|·|√|ⁿ|²|■| "
    glyph[0] = " "
    n = split(low, a, "|")
    for (i = 1; i <= n; i++) glyph[i] = a[i]
    for (i = 32; i < 127; i++) glyph[i] = sprintf("%c", i)
    glyph[127] = "⌂"
    n = split(high, a, "|")
    for (i = 1; i <= n; i++) glyph[127 + i] = a[i]
}

FILENAME == ARGV[1] {           # the parsed expect file
    if ($0 ~ /^check\t/) {
        ncheck++
        nf = split(substr($0, 7), f, "\t")
        ck_kind[ncheck] = f[1]
        for (i = 2; i <= nf; i++) ck_arg[ncheck, i - 1] = f[i]
        ck_label[ncheck] = f[nf]
    }
    next
}

FILENAME == ARGV[2] {           # the screen: character, attribute, ...
    cell = int((FNR - 1) / 2)
    if (FNR % 2) scr_char[cell] = $1 + 0
    else scr_attr[cell] = $1 + 0
    ncells = cell + 1
    next
}

FILENAME == ARGV[3] {           # the serial lines
    serial[++nserial] = $0
    has_serial[$0] = 1
    next
}

function row_text(r,    c, s) {
    s = ""
    for (c = 0; c < COLS; c++) s = s glyph[scr_char[r * COLS + c] + 0]
    sub(/ +$/, "", s)
    return s
}

function report(ok, what) {
    printf "%s %s: %s\n", ok ? "PASS" : "FAIL", name, what
    if (!ok) failed = 1
}

function check_one(i,    k, row, text, actual, col, len, attr, a, c, j, runs, where, r, want, ok, all) {
    k = ck_kind[i]
    if (k == "serial") {
        report(ck_arg[i, 1] in has_serial, ck_label[i])
        return
    }
    if (!dumped) {
        report(0, ck_label[i] ": no screen (Bochs did not dump it)")
        return
    }
    if (k == "screen") {
        row = ck_arg[i, 1]; text = ck_arg[i, 2]
        actual = row_text(row)
        want = text; sub(/ +$/, "", want)
        report(actual == want, ck_label[i])
        if (actual != want) {
            print "    expected row " row ": " quote(text)
            print "    actual   row " row ": " quote(actual)
        }
    } else if (k == "contains") {
        text = ck_arg[i, 1]
        for (r = 0; r < ROWS; r++) {
            a = ""
            for (c = 0; c < COLS; c++) a = a glyph[scr_char[r * COLS + c] + 0]
            all = all a
        }
        report(index(all, text) > 0, ck_label[i])
    } else if (k == "colour") {
        row = ck_arg[i, 1]; col = ck_arg[i, 2]; len = ck_arg[i, 3]; attr = ck_arg[i, 4]
        ok = 1
        runs = ""
        for (c = 0; c < len; c = j + 1) {
            a = scr_attr[row * COLS + col + c]
            if (a != attr) ok = 0
            for (j = c; j + 1 < len && scr_attr[row * COLS + col + j + 1] == a; j++)
                ;
            where = (c == j) ? "column " (col + c) : "columns " (col + c) "-" (col + j)
            runs = runs (runs == "" ? "" : ", ") sprintf("0x%02x at %s", a, where)
        }
        report(ok, ck_label[i])
        if (!ok) {
            printf "    expected attribute 0x%02x, actual %s\n", attr, runs
            print "    row " row " reads " quote(row_text(row))
        }
    }
}

function check_all(    i, r, any_screen, any_serial, first, shown) {
    dumped = (ncells == ROWS * COLS)
    for (r = 0; r < ROWS; r++)
        print (dumped ? row_text(r) : "") > screen_txt
    report(end_ok, end_msg)
    for (i = 1; i <= ncheck; i++) {
        check_one(i)
        if (ck_kind[i] == "serial") any_serial = 1
        else any_screen = 1
    }
    if (!failed) exit 0
    if (any_screen) {
        print "    screen (last read, non-blank rows):"
        for (r = 0; r < ROWS; r++)
            if (dumped && row_text(r) != "") {
                printf "    %2d|%s\n", r, row_text(r)
                shown = 1
            }
        if (!shown) print "      (" (dumped ? "all blank" : "no screen") ")"
    }
    if (any_serial) {
        print "    serial output (last 10 of " nserial + 0 " lines):"
        first = nserial > 10 ? nserial - 9 : 1
        for (i = first; i <= nserial; i++) print "      |" serial[i]
    }
    print "    saved: " saved
    exit 1
}
