/* nwpandoc: noweb back end that writes one chapter of the book as Pandoc Markdown.
 *
 * Usage: markup -t chapters/[0-9]*.nw | nwpandoc -c chapters/NN-slug.nw [-o FILE]
 *        markup -t chapters/[0-9]*.nw | nwpandoc -i [-o FILE]      (the book's index)
 *
 * It reads noweb's pipeline of ALL chapters (identifier tokens from finduses
 * may be present; they are ignored), so that it can cross-reference chunks
 * between chapters, and writes the chapter named by -c:
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
 * Chunk semantics follow chapters/README.md. A definition of a name continues
 * it; "<<name [replace]>>=" starts a new generation of the name, superseding
 * every earlier definition; "<<name [delete]>>=" ends the name. Names under
 * try/ belong to their chapter alone. A use in chapter k refers to the
 * generation live at the end of chapter k (snapshot k). A generation is "used
 * in" every chunk whose use refers to it or that is part of some snapshot that
 * also holds the generation. A generation that nothing uses is a root: a file.
 *
 * Errors in the input (malformed pipeline) are reported as "stdin:LINE:
 * message" with exit status 1; problems of the chapters themselves (a use of
 * an undefined chunk) are warnings "FILE:LINE: warning: ...", since tangling,
 * not weaving, is where chapters are checked.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPLACE_ATTR " [replace]"
#define DELETE_ATTR  " [delete]"
#define TRY_PREFIX   "try/"
#define ANCHOR       "nw-"      /* a chunk's id is ANCHOR "N.M" */
#define NONE         (-1)

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

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (p == NULL)
        die("out of memory");
    return p;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xrealloc(NULL, n), s, n);
}

/* Grow array *p of *cap elements of size sz so that it holds n+1. */
static void grow(void *pp, int n, int *cap, size_t sz)
{
    void **p = pp;

    if (n < *cap)
        return;
    *cap = *cap ? 2 * *cap : 16;
    *p = xrealloc(*p, (size_t)*cap * sz);
}

static int starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int ends(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
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
        b->s = xrealloc(b->s, (size_t)b->cap);
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

/* ------------------------------------------------------------- the model */

enum toktype {
    T_FILE, T_BEGIN_DOCS, T_END_DOCS, T_BEGIN_CODE, T_END_CODE, T_TEXT, T_NL,
    T_DEFN, T_USE, T_QUOTE, T_ENDQUOTE
};

/* A pipeline token that matters here, with where it came from. */
struct token {
    enum toktype type;
    char *arg;      /* text after the keyword (T_TEXT, T_DEFN, T_USE, T_FILE) */
    int file;       /* index into files[] */
    int line;       /* line in that chapter */
    int chunk;      /* code chunk it belongs to, or NONE */
    int use;        /* for T_USE in code: index into uses[] */
};

/* A chapter file. */
struct file {
    char *path;     /* as in "@file" */
    char *page;     /* NN-slug.html */
    char *title;    /* its first "# " heading, or the path */
    int number;     /* NN, or its position in the input if it has none */
    int nchunks;
};

enum kind { K_DEFN, K_REPLACE, K_DELETE };

/* A code chunk. */
struct chunk {
    int file, num, line;
    char *name;     /* without the attribute */
    enum kind kind;
    int key;        /* index into keys[] */
    int gen;        /* generation it belongs to; NONE for a delete */
    int prevgen;    /* for replace and delete: the generation it supersedes */
};

/* A chunk name; names under try/ are one key per chapter. */
struct key {
    char *name;
    int file;       /* for try/ names: the chapter; else NONE */
    int *gens, ngens, capgens;
    int *live;      /* per file: the generation live at its end, or NONE */
};

/* The definitions of a name from one definition or replace to the next. */
struct gen {
    int key;
    int *chunks, nchunks, capchunks;
    int ender;      /* the chunk that replaces or deletes it, or NONE */
    int *users, nusers, capusers;   /* chunks that use it */
    int *roots, nroots, caproots;   /* root generations it ends up in */
    int state;      /* for root search: 0 new, 1 visiting, 2 done */
};

/* A use of a name in a code chunk. */
struct use {
    int chunk, key;
    int target;     /* generation it refers to, or NONE if undefined */
};

static struct token *toks;  static int ntoks, captoks;
static struct file *files;  static int nfiles, capfiles;
static struct chunk *chunks; static int nchunks, capchunks;
static struct key *keys;    static int nkeys, capkeys;
static struct gen *gens;    static int ngens, capgens;
static struct use *uses;    static int nuses, capuses;

/* The key of name as seen from file (try/ names are per chapter), or NONE. */
static int find_key(const char *name, int file)
{
    int scope = starts(name, TRY_PREFIX) ? file : NONE;

    for (int i = 0; i < nkeys; i++)
        if (keys[i].file == scope && strcmp(keys[i].name, name) == 0)
            return i;
    return NONE;
}

/* The key of name as seen from file, made if new (only while reading). */
static int key_of(const char *name, int file)
{
    int scope = starts(name, TRY_PREFIX) ? file : NONE;
    int k = find_key(name, file);

    if (k != NONE)
        return k;
    grow(&keys, nkeys, &capkeys, sizeof *keys);
    memset(&keys[nkeys], 0, sizeof keys[nkeys]);
    keys[nkeys].name = xstrdup(name);
    keys[nkeys].file = scope;
    return nkeys++;
}

static void add_int(int **a, int *n, int *cap, int v)
{
    for (int i = 0; i < *n; i++)
        if ((*a)[i] == v)
            return;
    grow(a, *n, cap, sizeof **a);
    (*a)[(*n)++] = v;
}

/* ------------------------------------------------------------ reading */

static int inline_no;   /* line of the pipeline being read, for errors */

static void bad_input(const char *msg, const char *line)
{
    die("stdin:%d: %s: \"%.60s\"", inline_no, msg, line);
}

/* Read one line of any length from f into b, without its newline; 0 at EOF. */
static int read_line(FILE *f, struct buf *b)
{
    int c;

    bclear(b);
    while ((c = getc(f)) != EOF && c != '\n')
        bputc(b, (char)c);
    if (c == EOF && b->n == 0)
        return 0;
    if (b->s == NULL)
        bputs(b, "");
    return 1;
}

/* The chapter's page and number from its path: dir/NN-slug.nw -> NN-slug.html. */
static void name_file(struct file *f, int position)
{
    const char *base = strrchr(f->path, '/');
    size_t n;

    base = base ? base + 1 : f->path;
    n = strlen(base);
    if (ends(base, ".nw"))
        n -= 3;
    f->page = xrealloc(NULL, n + 6);
    memcpy(f->page, base, n);
    strcpy(f->page + n, ".html");
    f->number = position;
    if (base[0] >= '0' && base[0] <= '9')
        f->number = atoi(base);
    f->title = NULL;
}

/* Split a definition's name into base name and kind. */
static void parse_defn(const char *name, char **base, enum kind *kind)
{
    size_t n = strlen(name);

    *kind = K_DEFN;
    if (ends(name, REPLACE_ATTR)) {
        *kind = K_REPLACE;
        n -= strlen(REPLACE_ATTR);
    } else if (ends(name, DELETE_ATTR)) {
        *kind = K_DELETE;
        n -= strlen(DELETE_ATTR);
    }
    *base = xrealloc(NULL, n + 1);
    memcpy(*base, name, n);
    (*base)[n] = '\0';
}

/* Record a chapter title from a docs line "# Title {#id}" (the first one wins). */
static void note_title(struct file *f, const char *line)
{
    char *t, *brace;
    size_t n;

    if (f->title != NULL || !starts(line, "# "))
        return;
    t = xstrdup(line + 2);
    brace = strchr(t, '{');
    if (brace != NULL && ends(t, "}"))
        *brace = '\0';
    n = strlen(t);
    while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '#'))
        t[--n] = '\0';
    f->title = t;
}

static void add_token(enum toktype type, const char *arg, int file, int line, int chunk)
{
    grow(&toks, ntoks, &captoks, sizeof *toks);
    toks[ntoks].type = type;
    toks[ntoks].arg = arg ? xstrdup(arg) : NULL;
    toks[ntoks].file = file;
    toks[ntoks].line = line;
    toks[ntoks].chunk = chunk;
    toks[ntoks].use = NONE;
    ntoks++;
}

/* Read the pipeline: keep the tokens, the files and the code chunks. */
static void read_pipeline(FILE *in)
{
    struct buf b = {0}, docline = {0};
    int file = NONE, line = 1, chunk = NONE;
    int in_docs = 0, in_code = 0, in_quote = 0, need_defn = 0;
    const char *arg;

    while (read_line(in, &b)) {
        const char *s = b.s;
        inline_no++;
        if (s[0] != '@')
            bad_input("not a noweb pipeline line", s);
        if (starts(s, "@file ")) {
            if (in_docs || in_code)
                bad_input("@file inside a chunk", s);
            grow(&files, nfiles, &capfiles, sizeof *files);
            files[nfiles].path = xstrdup(s + 6);
            files[nfiles].nchunks = 0;
            name_file(&files[nfiles], nfiles + 1);
            file = nfiles++;
            line = 1;
            add_token(T_FILE, s + 6, file, line, NONE);
            continue;
        }
        if (starts(s, "@begin ") || starts(s, "@end ") || strcmp(s, "@nl") == 0
            || starts(s, "@text ") || strcmp(s, "@text") == 0 || starts(s, "@defn ")
            || starts(s, "@use ") || strcmp(s, "@quote") == 0
            || strcmp(s, "@endquote") == 0) {
            if (file == NONE)
                bad_input("chunk before any @file", s);
        }
        if (starts(s, "@begin docs")) {
            if (in_docs || in_code)
                bad_input("@begin inside a chunk", s);
            in_docs = 1;
            bclear(&docline);
            add_token(T_BEGIN_DOCS, NULL, file, line, NONE);
        } else if (starts(s, "@begin code")) {
            if (in_docs || in_code)
                bad_input("@begin inside a chunk", s);
            in_code = need_defn = 1;
            grow(&chunks, nchunks, &capchunks, sizeof *chunks);
            memset(&chunks[nchunks], 0, sizeof chunks[nchunks]);
            chunks[nchunks].file = file;
            chunks[nchunks].num = ++files[file].nchunks;
            chunks[nchunks].line = line;
            chunk = nchunks++;
            add_token(T_BEGIN_CODE, NULL, file, line, chunk);
        } else if (starts(s, "@begin ")) {
            bad_input("unknown chunk kind", s);
        } else if (starts(s, "@end docs")) {
            if (!in_docs || in_quote)
                bad_input("@end docs without its @begin docs", s);
            in_docs = 0;
            add_token(T_END_DOCS, NULL, file, line, NONE);
        } else if (starts(s, "@end code")) {
            if (!in_code || need_defn)
                bad_input("@end code without its @begin code and @defn", s);
            in_code = 0;
            add_token(T_END_CODE, NULL, file, line, chunk);
            chunk = NONE;
        } else if (starts(s, "@text ") || strcmp(s, "@text") == 0) {
            arg = s[5] ? s + 6 : "";
            if (!in_docs && !in_code)
                bad_input("@text outside a chunk", s);
            if (need_defn)
                bad_input("@text before the chunk's @defn", s);
            if (in_docs && !in_quote)
                bputs(&docline, arg);
            add_token(T_TEXT, arg, file, line, chunk);
        } else if (strcmp(s, "@nl") == 0) {
            if (!in_docs && !in_code)
                bad_input("@nl outside a chunk", s);
            if (in_code && need_defn)
                bad_input("@nl before the chunk's @defn", s);
            if (in_docs) {
                note_title(&files[file], docline.s ? docline.s : "");
                bclear(&docline);
            }
            add_token(T_NL, NULL, file, line, chunk);
            line++;
        } else if (starts(s, "@defn ")) {
            if (!in_code || !need_defn)
                bad_input("@defn outside the start of a code chunk", s);
            need_defn = 0;
            parse_defn(s + 6, &chunks[chunk].name, &chunks[chunk].kind);
            chunks[chunk].line = line;
            chunks[chunk].key = key_of(chunks[chunk].name, file);
            add_token(T_DEFN, s + 6, file, line, chunk);
        } else if (starts(s, "@use ")) {
            if (!in_quote && (!in_code || need_defn))
                bad_input("@use outside code", s);
            add_token(T_USE, s + 5, file, line, in_quote ? NONE : chunk);
            if (!in_quote) {
                grow(&uses, nuses, &capuses, sizeof *uses);
                uses[nuses].chunk = chunk;
                uses[nuses].key = key_of(s + 5, file);
                uses[nuses].target = NONE;
                toks[ntoks - 1].use = nuses++;
            }
        } else if (strcmp(s, "@quote") == 0) {
            if (!in_docs || in_quote)
                bad_input("@quote outside documentation", s);
            in_quote = 1;
            add_token(T_QUOTE, NULL, file, line, NONE);
        } else if (strcmp(s, "@endquote") == 0) {
            if (!in_quote)
                bad_input("@endquote without @quote", s);
            in_quote = 0;
            add_token(T_ENDQUOTE, NULL, file, line, NONE);
        } else if (strcmp(s, "@index nl") == 0) {
            line++;     /* a markup line that belongs to no chunk */
        } else if (starts(s, "@fatal")) {
            die("an earlier pipeline stage failed: %s", s);
        }
        /* Every other keyword (@index, @xref, @language, @header...) is
         * information this back end does not need. */
    }
    if (in_docs || in_code)
        die("stdin:%d: the pipeline ends inside a chunk", inline_no);
    free(b.s);
    free(docline.s);
}

/* ------------------------------------------------------- cross-reference */

static int new_gen(int key)
{
    grow(&gens, ngens, &capgens, sizeof *gens);
    memset(&gens[ngens], 0, sizeof gens[ngens]);
    gens[ngens].key = key;
    gens[ngens].ender = NONE;
    grow(&keys[key].gens, keys[key].ngens, &keys[key].capgens, sizeof(int));
    keys[key].gens[keys[key].ngens++] = ngens;
    return ngens++;
}

/* Split every name's definitions into generations; note what is live when. */
static void build_generations(void)
{
    int *cur = xrealloc(NULL, (size_t)nkeys * sizeof *cur);
    int c = 0;

    for (int k = 0; k < nkeys; k++) {
        cur[k] = NONE;
        keys[k].live = xrealloc(NULL, (size_t)nfiles * sizeof(int));
    }
    for (int f = 0; f < nfiles; f++) {
        for (; c < nchunks && chunks[c].file == f; c++) {
            struct chunk *ch = &chunks[c];
            int k = ch->key;
            ch->prevgen = NONE;
            if (ch->kind != K_DEFN) {
                ch->prevgen = cur[k];
                if (cur[k] != NONE)
                    gens[cur[k]].ender = c;
                cur[k] = NONE;
            }
            ch->gen = NONE;
            if (ch->kind != K_DELETE) {
                if (cur[k] == NONE)
                    cur[k] = new_gen(k);
                ch->gen = cur[k];
                add_int(&gens[ch->gen].chunks, &gens[ch->gen].nchunks,
                        &gens[ch->gen].capchunks, c);
            }
        }
        for (int k = 0; k < nkeys; k++)
            keys[k].live[f] = cur[k];
    }
    free(cur);
}

static int gen_file(int g)
{
    return chunks[gens[g].chunks[0]].file;
}

/* The generation a use of key in file f refers to: the one live at the end
 * of f; else the last one begun by then; else the first; else NONE. */
static int resolve(int key, int f)
{
    struct key *k = &keys[key];
    int best = NONE;

    if (k->live[f] != NONE)
        return k->live[f];
    for (int i = 0; i < k->ngens; i++)
        if (gen_file(k->gens[i]) <= f)
            best = k->gens[i];
    if (best == NONE && k->ngens > 0)
        best = k->gens[0];
    return best;
}

/* Is chunk c (in generation g) part of snapshot f? */
static int in_snapshot(int c, int f)
{
    int g = chunks[c].gen;
    return g != NONE && chunks[c].file <= f && keys[gens[g].key].live[f] == g;
}

static int gen_in_snapshot(int g, int f)
{
    return keys[gens[g].key].live[f] == g;
}

/* Fill in every use's target and every generation's users. */
static void link_uses(void)
{
    for (int u = 0; u < nuses; u++) {
        int c = uses[u].chunk;
        uses[u].target = resolve(uses[u].key, chunks[c].file);
        for (int i = 0; i < keys[uses[u].key].ngens; i++) {
            int g = keys[uses[u].key].gens[i], shared = g == uses[u].target;
            for (int f = 0; f < nfiles && !shared; f++)
                shared = in_snapshot(c, f) && gen_in_snapshot(g, f);
            if (shared && chunks[c].gen != NONE)
                add_int(&gens[g].users, &gens[g].nusers, &gens[g].capusers, c);
        }
    }
}

/* Collect into gens[g].roots the root generations g ends up in. */
static void find_roots(int g)
{
    struct gen *G = &gens[g];

    if (G->state != 0)
        return;     /* done, or a cycle of uses: stop there */
    G->state = 1;
    if (G->nusers == 0)
        add_int(&G->roots, &G->nroots, &G->caproots, g);
    for (int i = 0; i < G->nusers; i++) {
        int p = chunks[G->users[i]].gen;
        find_roots(p);
        for (int j = 0; j < gens[p].nroots; j++)
            add_int(&G->roots, &G->nroots, &G->caproots, gens[p].roots[j]);
    }
    G->state = 2;
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
    bprintf(b, "%d.%d", files[chunks[c].file].number, chunks[c].num);
}

/* Write the link target of chunk c as seen from the chapter being written. */
static void href(struct buf *b, int c)
{
    if (chunks[c].file != chapter)
        bputs(b, files[chunks[c].file].page);
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

/* Write a comma-separated list of links to chunks a[0..n). */
static void chunk_links(struct buf *b, const int *a, int n)
{
    for (int i = 0; i < n; i++) {
        if (i > 0)
            bputs(b, ", ");
        chunk_link(b, a[i]);
    }
}

/* Does name look like a file path (chapters/README.md's rule for roots)? */
static int is_path(const char *name)
{
    if (*name == '\0' || *name == '/')
        return 0;
    for (const char *p = name; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                     "0123456789._-/", *p))
            return 0;
    return 1;
}

/* The pandoc language class of a file, or NULL for plain text. */
static const char *language(const char *path)
{
    const char *base = strrchr(path, '/');
    const char *dot;

    base = base ? base + 1 : path;
    dot = strrchr(base, '.');
    if (strcmp(base, "Makefile") == 0 || strcmp(base, "GNUmakefile") == 0
        || (dot && strcmp(dot, ".mk") == 0))
        return "makefile";
    if (strcmp(base, "grub.cfg") == 0)
        return "bash";  /* GRUB's configuration language is shell-like */
    if (dot == NULL)
        return NULL;
    if (strcmp(dot, ".c") == 0 || strcmp(dot, ".h") == 0)
        return "c";
    if (strcmp(dot, ".asm") == 0)
        return "nasm";
    if (strcmp(dot, ".S") == 0 || strcmp(dot, ".s") == 0)
        return "gnuassembler";
    if (strcmp(dot, ".ld") == 0)
        return "ld";    /* pandoc --syntax-definition book/ld.xml */
    if (strcmp(dot, ".sh") == 0)
        return "bash";
    if (strcmp(dot, ".py") == 0)
        return "python";
    return NULL;
}

/* Write where the root generation r lives: "kernel/main.c" or the experiment. */
static void root_place(struct buf *b, int r)
{
    struct key *k = &keys[gens[r].key];

    if (k->file != NONE) {
        struct buf p = {0};
        int num = files[k->file].number;
        bprintf(&p, "out/ch%02d/try/%s", num, k->name + strlen(TRY_PREFIX));
        bputs(b, "experiment ");
        md_code(b, p.s);
        free(p.s);
    } else if (is_path(k->name)) {
        md_code(b, k->name);
    } else {
        bputs(b, "nothing (never used)");
    }
}

/* Write the header line of chunk c. */
static void chunk_header(int c)
{
    struct chunk *ch = &chunks[c];
    struct gen *G = ch->gen != NONE ? &gens[ch->gen] : NULL;
    int first = G != NULL && G->chunks[0] == c;
    int g = G ? ch->gen : ch->prevgen;

    bputs(&out, "::: {.nwhead}\n");
    if (ch->kind == K_DELETE) {
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
    if (ch->kind == K_DELETE)
        bputs(&out, " [deleted]{.nwdef}");
    else if (first)
        bputs(&out, " [≡]{.nwdef}");
    else {
        bputs(&out, " [+≡]{.nwdef} [continues ");
        chunk_link(&out, G->chunks[0]);
        bputs(&out, "]{.nwcont}");
    }
    if (g != NONE) {
        struct gen *R = &gens[g];
        int root = R->nroots == 1 && R->roots[0] == g;
        if (root && keys[R->key].file == NONE && is_path(keys[R->key].name)) {
            if (ch->kind != K_DELETE)
                bputs(&out, " [file]{.nwfile}");
        }
        else if (R->nroots > 0) {
            bputs(&out, root ? " [" : " [in ");
            for (int i = 0; i < R->nroots; i++) {
                if (i > 0)
                    bputs(&out, ", ");
                root_place(&out, R->roots[i]);
            }
            bputs(&out, "]{.nwfile}");
        }
    }
    if (ch->kind != K_DEFN && ch->prevgen != NONE) {
        bputs(&out, ch->kind == K_DELETE ? " [(defined in " : " [replaces ");
        chunk_links(&out, gens[ch->prevgen].chunks, gens[ch->prevgen].nchunks);
        bputs(&out, ch->kind == K_DELETE ? ")]{.nwrepl}" : "]{.nwrepl}");
    }
    bputs(&out, "\n:::\n\n");
}

/* Write the footer line of chunk c, if it has anything to say (a root whose
 * name nothing continues or replaces has not). */
static void chunk_footer(int c)
{
    struct chunk *ch = &chunks[c];
    struct gen *G;
    struct buf b = {0};
    int i;

    if (ch->gen == NONE)
        return;
    G = &gens[ch->gen];
    for (i = 0; i < G->nchunks && G->chunks[i] != c; i++)
        ;
    if (i + 1 < G->nchunks) {
        bputs(&b, " Continued in ");
        chunk_links(&b, G->chunks + i + 1, G->nchunks - i - 1);
        bputs(&b, ".");
    }
    if (G->nusers > 0) {
        bputs(&b, " Used in ");
        chunk_links(&b, G->users, G->nusers);
        bputs(&b, ".");
    }
    if (G->ender != NONE) {
        bputs(&b, chunks[G->ender].kind == K_DELETE ? " Deleted in " : " Replaced in ");
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
    struct chunk *ch = &chunks[c];
    const char *path = files[ch->file].path;

    if (ch->kind != K_DEFN && ch->prevgen == NONE)
        fprintf(stderr, "%s:%d: warning: %s of <<%s>>, which has no earlier definition\n",
                path, ch->line, ch->kind == K_REPLACE ? "replace" : "delete", ch->name);
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
            int g = uses[k->use].target;
            bputs(code, "⟨");
            bputs(code, k->arg);
            if (g == NONE) {
                bputs(code, " ?⟩");
                fprintf(stderr, "%s:%d: warning: <<%s>> is never defined\n",
                        files[k->file].path, k->line, k->arg);
                continue;
            }
            bputc(code, ' ');
            label(code, gens[g].chunks[0]);
            bputs(code, "⟩");
            bputc(links, ' ');
            label(links, gens[g].chunks[0]);
            bputc(links, '=');
            href(links, gens[g].chunks[0]);
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
    struct chunk *ch = &chunks[c];
    struct buf code = {0}, links = {0};
    const char *lang = NULL;
    int g = ch->gen, n;

    chunk_warnings(c);
    bputs(&out, "\n:::: {.nwchunk}\n");
    chunk_header(c);
    chunk_code(t, &code, &links);
    if (ch->kind != K_DELETE) {
        if (g != NONE && gens[g].nroots > 0)
            lang = language(keys[gens[gens[g].roots[0]].key].name);
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
        bprintf(&out, " nwfile=\"%s\" nwline=\"%d\"", files[file].path, lineno);
        bputs(&out, close);
    } else {
        bputs(&out, line);
    }
}

/* Write a use of name in prose: a link to its definition live at the end of
 * the chapter, when there is one. */
static void quoted_use(struct buf *b, const char *name)
{
    int k = find_key(name, chapter);
    int g = k == NONE ? NONE : resolve(k, chapter);

    if (g != NONE)
        bputc(b, '[');
    bputs(b, "⟨");
    md_text(b, name);
    if (g != NONE) {
        bputc(b, ' ');
        label(b, gens[g].chunks[0]);
    }
    bputs(b, "⟩");
    if (g != NONE) {
        bputs(b, "](");
        href(b, gens[g].chunks[0]);
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
            quoted_use(&line, k->arg);
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
    return files[f].title ? files[f].title : files[f].path;
}

/* Write the page metadata: title, neighbours, all chapters (current = f). */
static void write_metadata(int f)
{
    bputs(&out, "---\n");
    bputs(&out, "pagetitle: ");
    yaml_string(f == NONE ? "Contents" : title_of(f));
    bputc(&out, '\n');
    if (f != NONE)
        bprintf(&out, "chapter: \"%d\"\n", files[f].number);
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
        bprintf(&out, "- number: \"%d\"\n  href: ", files[i].number);
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
        bprintf(&out, "%d. [", files[i].number);
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
    die("usage: nwpandoc (-c CHAPTER.nw | -i) [-o FILE] < pipeline");
}

int main(int argc, char **argv)
{
    const char *want = NULL, *output = NULL;
    int index = 0;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
            want = argv[++i];
        else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
            output = argv[++i];
        else if (strcmp(argv[i], "-i") == 0)
            index = 1;
        else
            usage();
    }
    if ((want == NULL) == (index == 0))
        usage();
    read_pipeline(stdin);
    if (nfiles == 0)
        die("stdin: no chapters in the input (no @file line)");
    build_generations();
    link_uses();
    for (int g = 0; g < ngens; g++)
        find_roots(g);
    bputs(&out, "");
    if (index) {
        write_index();
    } else {
        chapter = NONE;
        for (int f = 0; f < nfiles; f++)
            if (strcmp(files[f].path, want) == 0)
                chapter = f;
        if (chapter == NONE)
            die("%s: not a chapter of the input", want);
        write_metadata(chapter);
        write_body();
    }
    emit(output);
    return 0;
}
