/* nwpandoc: noweb back end that writes one chapter of the book as Pandoc Markdown.
 *
 * Usage: nwpandoc -m MODEL -c chapters/NN-slug.nw [-o FILE] < pipeline
 *        nwpandoc -m MODEL -i [-o FILE] < pipeline       (the book's contents page)
 *
 * It reads noweb's pipeline of ALL chapters (markup -t chapters/[0-9]*.nw;
 * tokens it does not need are ignored) and the chunk model of the same
 * chapters (tangle/nwmodel: what each chunk continues, replaces or deletes,
 * where it is used, which files it ends up in, their language), and writes
 * the chapter named by -c:
 *
 *   - a YAML metadata block for the HTML template: page title, chapter number,
 *     previous/next page and the list of all chapters (the sidebar);
 *   - the documentation verbatim (it is Markdown), [[code]] as inline code, and
 *     fenced blocks of class "run" tagged nwfile="FILE" nwline="LINE" so that
 *     book/run.lua can report a failing command as FILE:LINE;
 *   - every code chunk as a Div of class "nwchunk": a header line (number N.M =
 *     chapter.chunk, the name in ⟨ ⟩, ≡ or +≡, the file it ends up in, what it
 *     replaces), a fenced code block with the id "nw-N.M" and the language of
 *     its file, and a footer line (continued in, used in, replaced in).
 *
 * Links inside code. Pandoc 2.17 cannot put links in a highlighted code block,
 * and raw HTML code would lose pandoc's highlighting (and the PDF). So the code
 * stays a fenced block, where each use reads "⟨name N.M⟩" and the block's
 * attribute nwlinks="N.M=HREF ..." says where each N.M lives. The filter
 * book/chunks.lua highlights the block itself (pandoc.write), then turns each
 * ⟨name N.M⟩ into a link, in HTML and in LaTeX alike. Without the filter the
 * Markdown still reads right: the uses are plain text.
 *
 * It is a renderer: every fact about chunks comes from the model, which
 * tangle/nwmodel computes once for the tangler, the checker, this back end
 * and book/index.lua alike (its format is at the top of tangle/nwmodel.c).
 *
 * Errors in the input (malformed pipeline) are reported as "stdin:LINE:
 * message" with exit status 1; problems of the chapters themselves (a use of
 * an undefined chunk) are warnings "FILE:LINE: warning: ...", since tangling,
 * not weaving, is where chapters are checked.
 */
#include "../tangle/nwmodel.h"


#define TRY_PREFIX   "try/"
#define ANCHOR       "nw-"      /* a chunk's id is ANCHOR "N.M" */
#define NONE         NWM_NONE
/* ---------------------------------------------------------------- utilities */

static const char *progname = "nwpandoc";

static void die(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s: ", progname);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}


/* A growing string. */
struct buf {
    char *s;
    int n, cap;
};

static void bputn(struct buf *b, const char *s, int n)
{
    while (b->n + n + 1 > b->cap) {
        b->cap = b->cap ? 2 * b->cap : 256;
        b->s = nw_xrealloc(b->s, (size_t)b->cap);
    }
    memcpy(b->s + b->n, s, (size_t)n);
    b->n += n;
    b->s[b->n] = '\0';
}

static void bputs(struct buf *b, const char *s) { bputn(b, s, (int)strlen(s)); }
static void bputc(struct buf *b, char c) { bputn(b, &c, 1); }

static void bprintf(struct buf *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || n >= (int)sizeof tmp)
        die("internal error: formatted text too long");
    bputn(b, tmp, n);
}

static void bclear(struct buf *b)
{
    b->n = 0;
    if (b->s)
        b->s[0] = '\0';
}

/* ------------------------------------------------------------- the input */

enum toktype {
    T_FILE, T_BEGIN_DOCS, T_END_DOCS, T_BEGIN_CODE, T_END_CODE, T_TEXT, T_NL,
    T_DEFN, T_USE, T_QUOTE, T_ENDQUOTE
};

/* A pipeline token that matters here, with where it came from. */
struct token {
    enum toktype type;
    const char *arg;    /* text after the keyword (T_TEXT, T_DEFN, T_USE) */
    int file;           /* chapter */
    int line;           /* line in that chapter */
    int chunk;          /* code chunk it belongs to, or NONE */
    int use;            /* for T_USE: its use in the model */
};

/* What the page needs of a chapter beyond the model. */
struct file {
    char *page;         /* NN-slug.html */
    char *title;        /* its first "# " heading, or NULL */
};

static struct nw_model m;
static struct token *toks;  static int ntoks;
static struct file *files;  static int nfiles;

/* The chapter's page from its path: dir/NN-slug.nw -> NN-slug.html. */
static char *page_of(const char *path)
{
    const char *base = strrchr(path, '/');
    size_t n;
    char *page;

    base = base ? base + 1 : path;
    n = strlen(base);
    if (nw_ends(base, ".nw"))
        n -= 3;
    page = nw_xrealloc(NULL, n + 6);
    memcpy(page, base, n);
    strcpy(page + n, ".html");
    return page;
}

static void note_title(struct file *f, const char *line)
{
    char *t, *brace;
    size_t n;

    if (f->title != NULL || !nw_is(line, "# "))
        return;
    t = nw_strdup(line + 2);
    brace = strchr(t, '{');
    if (brace != NULL && nw_ends(t, "}"))
        *brace = '\0';
    n = strlen(t);
    while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '#'))
        t[--n] = '\0';
    f->title = t;
}


/* Read the pipeline (stdin) and the model, and check that they are of the
 * same chapters: the same chapters, code chunks and uses, in the same order. */
static void read_input(const char *model)
{
    struct nw_pipe p;
    struct buf docline = {0};
    int file = NONE, chunk = NONE, nchunks = 0, nuses = 0, in_docs = 0, in_quote = 0;

    nw_read(stdin, &p);
    if (nw_check(&p) != 0)
        exit(1);
    nwm_read(model, &m);
    files = nw_xrealloc(NULL, (size_t)m.nchapters * sizeof *files);
    toks = nw_xrealloc(NULL, (p.n + 1) * sizeof *toks);
    for (size_t i = 0; i < p.n; i++) {
        const char *s = p.tok[i].text;
        struct token *t = &toks[ntoks];
        *t = (struct token){ .file = file, .line = p.tok[i].line, .chunk = chunk, .use = NONE };
        if (nw_is(s, "@file ")) {
            if (nfiles == m.nchapters || strcmp(m.chapter[nfiles].path, s + 6) != 0)
                die("%s: the chunk model is not of this pipeline's chapters", model);
            files[nfiles].page = page_of(s + 6);
            files[nfiles].title = NULL;
            t->type = T_FILE;
            t->file = file = nfiles++;
        } else if (nw_is(s, "@begin docs")) {
            t->type = T_BEGIN_DOCS;
            in_docs = 1;
            bclear(&docline);
        } else if (nw_is(s, "@begin code")) {
            t->type = T_BEGIN_CODE;
            t->chunk = chunk = nchunks++;
        } else if (nw_is(s, "@end docs")) {
            t->type = T_END_DOCS;
            in_docs = 0;
        } else if (nw_is(s, "@end code")) {
            t->type = T_END_CODE;
            chunk = NONE;
        } else if (nw_is(s, "@text ") || strcmp(s, "@text") == 0) {
            t->type = T_TEXT;
            t->arg = s[5] ? s + 6 : "";
            if (in_docs && !in_quote)
                bputs(&docline, t->arg);
        } else if (strcmp(s, "@nl") == 0) {
            t->type = T_NL;
            if (in_docs)
                note_title(&files[file], docline.s ? docline.s : "");
            bclear(&docline);
        } else if (nw_is(s, "@defn ")) {
            t->type = T_DEFN;
            t->arg = s + 6;
        } else if (nw_is(s, "@use ")) {
            t->type = T_USE;
            t->arg = s + 5;
            t->use = nuses++;
            if (in_quote)
                t->chunk = NONE;
        } else if (strcmp(s, "@quote") == 0 || strcmp(s, "@endquote") == 0) {
            t->type = s[1] == 'q' ? T_QUOTE : T_ENDQUOTE;
            in_quote = t->type == T_QUOTE;
        } else {
            continue;   /* @index, @xref, @language...: not needed here */
        }
        ntoks++;
    }
    if (nfiles != m.nchapters || nchunks != m.nchunks || nuses != m.nuses)
        die("%s: the chunk model is not of this pipeline's chapters", model);
    free(docline.s);
}

/* ---------------------------------------------------------- writing */

static int chapter;     /* the file being written */
static struct buf out;

/* Write s with every ASCII punctuation character backslash-escaped. */
static void md_text(struct buf *b, const char *s)
{
    for (; *s; s++) {
        if (strchr("\\`*_{}[]()<>#+-.!|~^\"'$%&:;=?@,/", *s))
            bputc(b, '\\');
        bputc(b, *s);
    }
}

/* Write s as a Markdown code span, whatever backticks it holds. */
static void md_code(struct buf *b, const char *s)
{
    int run = 0, longest = 0, n = (int)strlen(s);

    for (const char *p = s; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    for (int i = 0; i <= longest; i++)
        bputc(b, '`');
    if (n == 0 || s[0] == '`' || s[n - 1] == '`' || s[0] == ' ')
        bputc(b, ' ');
    bputs(b, s);
    if (n == 0 || s[0] == '`' || s[n - 1] == '`' || s[0] == ' ')
        bputc(b, ' ');
    for (int i = 0; i <= longest; i++)
        bputc(b, '`');
}

/* Write the label "N.M" of chunk c. */
static void label(struct buf *b, int c)
{
    bprintf(b, "%d.%d", m.chapter[m.chunk[c].file].number, m.chunk[c].num);
}

/* Write the link target of chunk c as seen from the chapter being written. */
static void href(struct buf *b, int c)
{
    if (m.chunk[c].file != chapter)
        bputs(b, files[m.chunk[c].file].page);
    bputs(b, "#" ANCHOR);
    label(b, c);
}

/* Write "[N.M](href)". */
static void chunk_link(struct buf *b, int c)
{
    bputc(b, '[');
    label(b, c);
    bputs(b, "](");
    href(b, c);
    bputc(b, ')');
}

/* Write a comma-separated list of links to the chunks l[from..]. */
static void chunk_links(struct buf *b, const struct nwm_list *l, int from)
{
    for (int i = from; i < l->n; i++) {
        if (i > from)
            bputs(b, ", ");
        chunk_link(b, l->v[i]);
    }
}

/* Write where the root generation r lives: "kernel/main.c" or the experiment. */
static void root_place(struct buf *b, int r)
{
    const struct nwm_gen *R = &m.gen[r];

    if (R->root == NWM_TRY) {
        struct buf p = {0};
        bprintf(&p, "out/ch%02d/try/%s", m.chapter[R->scope].number, R->name + strlen(TRY_PREFIX));
        bputs(b, "experiment ");
        md_code(b, p.s);
        free(p.s);
    } else if (R->root == NWM_SRC) {
        md_code(b, R->name);
    } else {
        bputs(b, "nothing (never used)");
    }
}

/* Write the header line of chunk c. */
static void chunk_header(int c)
{
    const struct nwm_chunk *ch = &m.chunk[c];
    const struct nwm_gen *G = ch->gen != NONE ? &m.gen[ch->gen] : NULL;
    int first = G != NULL && G->chunks.v[0] == c;
    int g = G ? ch->gen : ch->prev;

    bputs(&out, "::: {.nwhead}\n");
    if (ch->kind == NWM_DELETE) {
        bputs(&out, "[");
        label(&out, c);
        bputs(&out, "]{.nwnum #" ANCHOR);
        label(&out, c);
        bputs(&out, "} [⟨");
    } else {
        bputs(&out, "[");
        label(&out, c);
        bputs(&out, "]{.nwnum} [⟨");
    }
    md_text(&out, ch->name);
    bputs(&out, "⟩]{.nwname}");
    if (ch->kind == NWM_DELETE)
        bputs(&out, " [deleted]{.nwdef}");
    else if (first)
        bputs(&out, " [≡]{.nwdef}");
    else {
        bputs(&out, " [+≡]{.nwdef} [continues ");
        chunk_link(&out, G->chunks.v[0]);
        bputs(&out, "]{.nwcont}");
    }
    if (g != NONE) {
        const struct nwm_gen *R = &m.gen[g];
        int root = R->root != NWM_NOT_ROOT;
        if (R->root == NWM_SRC) {
            if (ch->kind != NWM_DELETE)
                bputs(&out, " [file]{.nwfile}");
        }
        else if (R->roots.n > 0) {
            bputs(&out, root ? " [" : " [in ");
            for (int i = 0; i < R->roots.n; i++) {
                if (i > 0)
                    bputs(&out, ", ");
                root_place(&out, R->roots.v[i]);
            }
            bputs(&out, "]{.nwfile}");
        }
    }
    if (ch->kind != NWM_DEFN && ch->prev != NONE) {
        bputs(&out, ch->kind == NWM_DELETE ? " [(defined in " : " [replaces ");
        chunk_links(&out, &m.gen[ch->prev].chunks, 0);
        bputs(&out, ch->kind == NWM_DELETE ? ")]{.nwrepl}" : "]{.nwrepl}");
    }
    bputs(&out, "\n:::\n\n");
}

/* Write the footer line of chunk c, if it has anything to say (a root whose
 * name nothing continues or replaces has not). */
static void chunk_footer(int c)
{
    const struct nwm_chunk *ch = &m.chunk[c];
    const struct nwm_gen *G;
    struct buf b = {0};
    int i;

    if (ch->gen == NONE)
        return;
    G = &m.gen[ch->gen];
    for (i = 0; i < G->chunks.n && G->chunks.v[i] != c; i++)
        ;
    if (i + 1 < G->chunks.n) {
        bputs(&b, " Continued in ");
        chunk_links(&b, &G->chunks, i + 1);
        bputs(&b, ".");
    }
    if (G->users.n > 0) {
        bputs(&b, " Used in ");
        chunk_links(&b, &G->users, 0);
        bputs(&b, ".");
    }
    if (G->ender != NONE) {
        bputs(&b, m.chunk[G->ender].kind == NWM_DELETE ? " Deleted in " : " Replaced in ");
        chunk_link(&b, G->ender);
        bputs(&b, ".");
    }
    if (b.n > 0) {
        bputs(&out, "::: {.nwfoot}\n");
        bputs(&out, b.s + 1);
        bputs(&out, "\n:::\n");
    }
    free(b.s);
}

/* Warn about chunk c's problems (only for the chapter being written). */
static void chunk_warnings(int c)
{
    const struct nwm_chunk *ch = &m.chunk[c];
    const char *path = m.chapter[ch->file].path;

    if (ch->kind != NWM_DEFN && ch->prev == NONE)
        fprintf(stderr, "%s:%d: warning: %s of <<%s>>, which has no earlier definition\n",
                path, ch->line, ch->kind == NWM_REPLACE ? "replace" : "delete", ch->name);
}

/* The code of the chunk at token t with uses as ⟨name N.M⟩; also its links and fence. */
static void chunk_code(int t, struct buf *code, struct buf *links)
{
    int after_defn = 0;     /* the newline that ends "<<name>>=" is no code */

    for (; t < ntoks && toks[t].type != T_END_CODE; t++) {
        struct token *k = &toks[t];
        if (k->type == T_DEFN)
            after_defn = 1;
        else if (k->type == T_TEXT)
            bputs(code, k->arg);
        else if (k->type == T_NL && after_defn)
            after_defn = 0;
        else if (k->type == T_NL)
            bputc(code, '\n');
        else if (k->type == T_USE) {
            int g = m.use[k->use].target;
            bputs(code, "⟨");
            bputs(code, k->arg);
            if (g == NONE) {
                bputs(code, " ?⟩");
                fprintf(stderr, "%s:%d: warning: <<%s>> is never defined\n",
                        m.chapter[k->file].path, k->line, k->arg);
                continue;
            }
            bputc(code, ' ');
            label(code, m.gen[g].chunks.v[0]);
            bputs(code, "⟩");
            bputc(links, ' ');
            label(links, m.gen[g].chunks.v[0]);
            bputc(links, '=');
            href(links, m.gen[g].chunks.v[0]);
        }
    }
    if (code->n > 0 && code->s[code->n - 1] != '\n')
        bputc(code, '\n');
}

/* The number of backticks a fence around code needs. */
static int fence_length(const char *code)
{
    int longest = 2;

    for (const char *p = code; *p; ) {
        int run = 0;
        for (int sp = 0; sp < 3 && *p == ' '; sp++)
            p++;
        while (*p == '`')
            run++, p++;
        if (run > longest)
            longest = run;
        while (*p && *p != '\n')
            p++;
        if (*p == '\n')
            p++;
    }
    return longest + 1;
}

/* Write code chunk c, whose @begin code is token t; return its @end token. */
static int write_chunk(int c, int t)
{
    const struct nwm_chunk *ch = &m.chunk[c];
    struct buf code = {0}, links = {0};
    const char *lang = NULL;
    int g = ch->gen, n;

    chunk_warnings(c);
    bputs(&out, "\n:::: {.nwchunk}\n");
    chunk_header(c);
    chunk_code(t, &code, &links);
    if (ch->kind != NWM_DELETE) {
        if (g != NONE)
            lang = m.gen[g].lang;
        n = fence_length(code.s ? code.s : "");
        for (int i = 0; i < n; i++)
            bputc(&out, '`');
        bputs(&out, " {#" ANCHOR);
        label(&out, c);
        if (lang)
            bprintf(&out, " .%s", lang);
        if (links.n > 0)
            bprintf(&out, " nwlinks=\"%s\"", links.s + 1);
        bputs(&out, "}\n");
        bputs(&out, code.s ? code.s : "");
        for (int i = 0; i < n; i++)
            bputc(&out, '`');
        bputs(&out, "\n\n");
        chunk_footer(c);
    }
    bputs(&out, "::::\n\n");
    free(code.s);
    free(links.s);
    while (t < ntoks && toks[t].type != T_END_CODE)
        t++;
    return t;
}

/* Is line the opening fence of a code block of class run? */
static int is_run_fence(const char *line)
{
    const char *p = line, *open, *close;
    int n = 0;

    while (*p == ' ' && p - line < 3)
        p++;
    if (*p != '`' && *p != '~')
        return 0;
    while (p[n] == p[0])
        n++;
    if (n < 3)
        return 0;
    p += n;
    while (*p == ' ')
        p++;
    open = p;
    if (*open != '{' || (close = strrchr(open, '}')) == NULL)
        return 0;
    for (const char *q = close + 1; *q; q++)
        if (*q != ' ')
            return 0;
    for (const char *q = open; (q = strstr(q, ".run")) != NULL && q < close; q += 4)
        if ((q[-1] == '{' || q[-1] == ' ') && (q[4] == ' ' || q[4] == '}'))
            return 1;
    return 0;
}

/* Write one documentation line (without newline), tagging run fences. */
static void write_docs_line(const char *line, int quoted, int file, int lineno)
{
    if (!quoted && is_run_fence(line)) {
        const char *close = strrchr(line, '}');
        bputn(&out, line, (int)(close - line));
        bprintf(&out, " nwfile=\"%s\" nwline=\"%d\"", m.chapter[file].path, lineno);
        bputs(&out, close);
    } else {
        bputs(&out, line);
    }
}

/* Write a use of name in prose: a link to its definition live at the end of
 * the chapter, when there is one. */
static void quoted_use(struct buf *b, const char *name, int use)
{
    int g = m.use[use].target;

    if (g != NONE)
        bputc(b, '[');
    bputs(b, "⟨");
    md_text(b, name);
    if (g != NONE) {
        bputc(b, ' ');
        label(b, m.gen[g].chunks.v[0]);
    }
    bputs(b, "⟩");
    if (g != NONE) {
        bputs(b, "](");
        href(b, m.gen[g].chunks.v[0]);
        bputc(b, ')');
    }
}

/* Write the documentation and code of the chapter. */
static void write_body(void)
{
    struct buf line = {0}, quote = {0};
    int in_quote = 0, quoted = 0, lineno = 0;

    for (int t = 0; t < ntoks; t++) {
        struct token *k = &toks[t];
        if (k->file != chapter)
            continue;
        switch (k->type) {
        case T_BEGIN_CODE:
            t = write_chunk(k->chunk, t);
            break;
        case T_TEXT:
            if (line.n == 0 && !in_quote)
                lineno = k->line;
            bputs(in_quote ? &quote : &line, k->arg);
            break;
        case T_QUOTE:
            if (line.n == 0)
                lineno = k->line;
            in_quote = quoted = 1;
            bclear(&quote);
            break;
        case T_USE:     /* only in quoted code here: [[<<name>>]] */
            if (quote.n > 0)
                md_code(&line, quote.s);
            bclear(&quote);
            quoted_use(&line, k->arg, k->use);
            break;
        case T_ENDQUOTE:
            if (quote.n > 0)
                md_code(&line, quote.s);
            bclear(&quote);
            in_quote = 0;
            break;
        case T_NL:
            if (in_quote) {     /* [[...]] across lines: keep it on one */
                bputc(&quote, ' ');
                break;
            }
            write_docs_line(line.s ? line.s : "", quoted, k->file, lineno ? lineno : k->line);
            bputc(&out, '\n');
            bclear(&line);
            quoted = lineno = 0;
            break;
        case T_END_DOCS:
            if (line.n > 0) {
                write_docs_line(line.s, quoted, k->file, lineno);
                bputc(&out, '\n');
            }
            bclear(&line);
            quoted = lineno = 0;
            break;
        default:
            break;
        }
    }
    free(line.s);
    free(quote.s);
}

/* Write s as a double-quoted YAML string (pandoc reads it as Markdown). */
static void yaml_string(const char *s)
{
    bputc(&out, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            bputc(&out, '\\');
        bputc(&out, *s);
    }
    bputc(&out, '"');
}

static const char *title_of(int f)
{
    return files[f].title ? files[f].title : m.chapter[f].path;
}

/* Write the page metadata: title, neighbours, all chapters (current = f). */
static void write_metadata(int f)
{
    bputs(&out, "---\n");
    bputs(&out, "pagetitle: ");
    yaml_string(f == NONE ? "Contents" : title_of(f));
    bputc(&out, '\n');
    if (f != NONE)
        bprintf(&out, "chapter: \"%d\"\n", m.chapter[f].number);
    if (f != NONE) {
        bputs(&out, "prev:\n  href: ");
        yaml_string(f == 0 ? "index.html" : files[f - 1].page);
        bputs(&out, "\n  title: ");
        yaml_string(f == 0 ? "Contents" : title_of(f - 1));
        bputc(&out, '\n');
    }
    if (f + 1 < nfiles) {
        bputs(&out, "next:\n  href: ");
        yaml_string(files[f + 1].page);
        bputs(&out, "\n  title: ");
        yaml_string(title_of(f + 1));
        bputc(&out, '\n');
    }
    bputs(&out, "chapters:\n");
    for (int i = 0; i < nfiles; i++) {
        bprintf(&out, "- number: \"%d\"\n  href: ", m.chapter[i].number);
        yaml_string(files[i].page);
        bputs(&out, "\n  title: ");
        yaml_string(title_of(i));
        bputc(&out, '\n');
        if (i == f)
            bputs(&out, "  current: true\n");
    }
    bputs(&out, "---\n\n");
}

/* Write the table of contents of the index page. */
static void write_index(void)
{
    write_metadata(NONE);
    bputs(&out, "## Contents {.unnumbered}\n\n");
    for (int i = 0; i < nfiles; i++) {
        bprintf(&out, "%d. [", m.chapter[i].number);
        bputs(&out, title_of(i));
        bputs(&out, "](");
        bputs(&out, files[i].page);
        bputs(&out, ")\n");
    }
}

/* Write the output to path (via a temporary file and a rename) or stdout. */
static void emit(const char *path)
{
    struct buf tmp = {0};
    FILE *f;

    if (path == NULL) {
        if (fwrite(out.s, 1, (size_t)out.n, stdout) != (size_t)out.n || fflush(stdout) != 0)
            die("cannot write the output");
        return;
    }
    bprintf(&tmp, "%s.tmp", path);
    f = fopen(tmp.s, "w");
    if (f == NULL)
        die("cannot write %s", tmp.s);
    if (fwrite(out.s, 1, (size_t)out.n, f) != (size_t)out.n || fclose(f) != 0) {
        remove(tmp.s);
        die("cannot write %s", tmp.s);
    }
    if (rename(tmp.s, path) != 0) {
        remove(tmp.s);
        die("cannot rename %s to %s", tmp.s, path);
    }
    free(tmp.s);
}

static void usage(void)
{
    die("usage: nwpandoc -m MODEL (-c CHAPTER.nw | -i) [-o FILE] < pipeline");
}

int main(int argc, char **argv)
{
    const char *want = NULL, *output = NULL, *model = NULL;
    int index = 0;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
            want = argv[++i];
        else if (strcmp(argv[i], "-m") == 0 && i + 1 < argc)
            model = argv[++i];
        else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
            output = argv[++i];
        else if (strcmp(argv[i], "-i") == 0)
            index = 1;
        else
            usage();
    }
    if ((want == NULL) == (index == 0) || model == NULL)
        usage();
    read_input(model);
    if (nfiles == 0)
        die("stdin: no chapters in the input (no @file line)");
    bputs(&out, "");
    if (index) {
        write_index();
    } else {
        chapter = NONE;
        for (int f = 0; f < nfiles; f++)
            if (strcmp(m.chapter[f].path, want) == 0)
                chapter = f;
        if (chapter == NONE)
            die("%s: not a chapter of the input", want);
        write_metadata(chapter);
        write_body();
    }
    emit(output);
    return 0;
}
