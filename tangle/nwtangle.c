/* nwtangle: write every file of a snapshot from its pipeline, read once.
 *
 * Usage: nwtangle LIST < pipeline     (the pipeline: markup -t ... | nwreplace MODEL)
 *
 * LIST has one file to write a line: "ROOT<TAB>OUTPUT<TAB>FORMAT". OUTPUT
 * gets chunk ROOT expanded byte for byte as noweb's `nt -t -RROOT` writes it,
 * or with a FORMAT, as `nt -t -RROOT -LFORMAT` does (line directives; the
 * caller, tangle/snapshot, knows which language takes which format). One run
 * replaces two runs of nt per file, each of which read the whole pipeline.
 *
 * nt's rules (noweb's modules.nw, function expand), kept here exactly:
 *   - A chunk is its definitions joined, less its last newline.
 *   - Without directives, each line of a chunk expanded by a use is indented
 *     to the use's column (spaces; a byte, a tab too, is one column: -t).
 *   - With directives, no line is indented: text keeps its column in the
 *     chapter. Before a piece of text that does not continue the line last
 *     written (the next line of the same @file), a directive is written, on
 *     a line of its own: a line in progress is broken first and, unless the
 *     piece starts its chunk, the text is indented back to its column.
 *   - After a use, the column is as if "<<name>>" itself had been written.
 *   - Every file ends with a newline.
 * An undefined chunk or a cycle (which nwcheck reports first) is reported as
 * file:line of the use, and the run exits 1; a bad LIST line as LIST:line.
 */
#include "nwpipe.h"

enum part_kind { TEXT, NEWLINE, USE };

/* A piece of a chunk's definition, and where in the chapters it is. */
struct part {
    enum part_kind kind;
    const char *text;       /* TEXT: the text; USE: the name used */
    const char *file;       /* the @file token's name: compared by address, as nt does */
    int line;
    int target;             /* USE: the chunk it names, or -1 */
    int reported;           /* USE: its error has been reported */
};

struct chunk {
    const char *name;
    struct part *part;
    int n, cap;
};

static struct chunk *chunks;
static int nchunks;

/* The chunks being expanded, outermost first: a use of one of them is a
 * cycle, so each is there at most once. */
static int *stack;
static int depth;

/* The file being written. */
struct out {
    FILE *f;
    const char *fmt;        /* the directive format, or NULL for none */
    const char *file;       /* where the last line written came from ... */
    int line;               /* ... (NULL, -1 at the start: nt's lastfilename, lastlineno) */
    int errors;
};

/* The chunk called name, or -1. */
static int find(const char *name)
{
    for (int c = 0; c < nchunks; c++)
        if (strcmp(chunks[c].name, name) == 0)
            return c;
    return -1;
}

/* The chunk called name, added if new. */
static struct chunk *chunk_named(const char *name)
{
    int c = find(name);

    if (c >= 0)
        return &chunks[c];
    chunks = nw_xrealloc(chunks, (size_t)(nchunks + 1) * sizeof *chunks);
    chunks[nchunks] = (struct chunk){ .name = name };
    return &chunks[nchunks++];
}

static void add_part(struct chunk *ch, enum part_kind kind, const char *text,
                     const struct nw_token *t)
{
    if (ch->n == ch->cap) {
        ch->cap = ch->cap ? 2 * ch->cap : 16;
        ch->part = nw_xrealloc(ch->part, (size_t)ch->cap * sizeof *ch->part);
    }
    ch->part[ch->n++] = (struct part){ kind, text, t->file, t->line, -1, 0 };
}

/* Every code chunk of the pipeline, its definitions joined in order, less the
 * last newline, its uses resolved. */
static void read_chunks(const struct nw_pipe *p)
{
    struct chunk *ch = NULL;

    for (size_t i = 0; i < p->n; i++) {
        const char *s = p->tok[i].text;
        if (nw_is(s, "@defn ")) {
            ch = chunk_named(s + strlen("@defn "));
            if (i + 1 < p->n && strcmp(p->tok[i + 1].text, "@nl") == 0)
                i++;    /* the newline of "<<name>>=" */
        } else if (ch == NULL)
            continue;   /* documentation */
        else if (nw_is(s, "@end code"))
            ch = NULL;
        else if (nw_is(s, "@text "))
            add_part(ch, TEXT, s + strlen("@text "), &p->tok[i]);
        else if (strcmp(s, "@nl") == 0)
            add_part(ch, NEWLINE, NULL, &p->tok[i]);
        else if (nw_is(s, "@use "))
            add_part(ch, USE, s + strlen("@use "), &p->tok[i]);
    }
    for (int c = 0; c < nchunks; c++) {
        struct chunk *k = &chunks[c];
        if (k->n > 0 && k->part[k->n - 1].kind == NEWLINE)
            k->n--;
        for (int i = 0; i < k->n; i++)
            if (k->part[i].kind == USE)
                k->part[i].target = find(k->part[i].text);
    }
    stack = nw_xrealloc(NULL, (size_t)nchunks * sizeof *stack);
}

static void spaces(FILE *f, int n)
{
    while (n-- > 0)
        putc(' ', f);
}

/* Write the line directive for the line of part p, unless p continues the
 * line last written; col is the width of the line in progress. Returns
 * whether it wrote one. The format is checked (check_format). */
static int directive(struct out *o, const struct part *p, int col)
{
    if (o->fmt == NULL || (p->file == o->file && p->line == o->line))
        return 0;
    if (col > 0)
        putc('\n', o->f);
    for (const char *s = o->fmt; *s; s++) {
        if (*s != '%') {
            putc(*s, o->f);
            continue;
        }
        switch (*++s) {
        case '%': putc('%', o->f); break;
        case 'N': putc('\n', o->f); break;
        case 'F': fputs(p->file, o->f); break;
        case 'L': fprintf(o->f, "%d", p->line); break;
        default:  /* %+dL or %-dL */
            fprintf(o->f, "%d", p->line + (s[0] == '+' ? 1 : -1) * (s[1] - '0'));
            s += 2;
        }
    }
    o->file = p->file;
    o->line = p->line;
    return 1;
}

static void expand(struct out *o, int c, int indent, int col);

/* Where chunk c is on the stack, or -1. */
static int on_stack(int c)
{
    for (int k = 0; k < depth; k++)
        if (stack[k] == c)
            return k;
    return -1;
}

/* Report use p, of an undefined chunk or of chunk stack[k] (a cycle), once,
 * in nwcheck's words. */
static void bad_use(struct out *o, struct part *p, int k)
{
    o->errors++;
    if (p->reported)
        return;
    p->reported = 1;
    if (p->target < 0) {
        nw_error_at(p->file, p->line, "<<%s>> is used but never defined", p->text);
        return;
    }
    fprintf(stderr, "%s:%d: <<%s>> includes itself", p->file, p->line, p->text);
    if (k < depth - 1) {
        fputs(":", stderr);
        for (; k < depth; k++)
            fprintf(stderr, " <<%s>> ->", chunks[stack[k]].name);
        fprintf(stderr, " <<%s>>", p->text);
    }
    fputc('\n', stderr);
}

/* Write text part p, the first of its chunk or not, at column col of a chunk
 * indented by indent; return the new column. */
static int put_text(struct out *o, const struct part *p, int first, int indent, int col)
{
    if (p->text[0] == '\0')
        return col;
    if (o->fmt != NULL) {
        if (directive(o, p, col) && !first)
            spaces(o->f, col);
    } else if (col == 0) {
        spaces(o->f, indent);
        col = indent;
    }
    fputs(p->text, o->f);
    return col + (int)strlen(p->text);
}

/* Expand use p at column col of a chunk indented by indent; return the new
 * column. */
static int put_use(struct out *o, struct part *p, int indent, int col)
{
    int k = p->target < 0 ? -1 : on_stack(p->target);

    if (p->target >= 0 && o->fmt == NULL && col == 0) {
        spaces(o->f, indent);
        col = indent;
    }
    if (p->target >= 0 && k < 0)
        expand(o, p->target, col, col);
    else
        bad_use(o, p, k);
    return col + (int)strlen(p->text) + 4;  /* "<<" and ">>" */
}

/* Write chunk c, indented by indent, from column col on. */
static void expand(struct out *o, int c, int indent, int col)
{
    struct chunk *ch = &chunks[c];

    stack[depth++] = c;     /* room for every chunk: read_chunks */
    for (int i = 0; i < ch->n; i++) {
        struct part *p = &ch->part[i];
        if (p->kind == TEXT) {
            col = put_text(o, p, i == 0, indent, col);
        } else if (p->kind == USE) {
            col = put_use(o, p, indent, col);
        } else {
            putc('\n', o->f);
            o->line++;
            col = 0;
        }
    }
    depth--;
}

/* Is fmt a format nt knows (%% %N %F %L %+dL %-dL)? */
static int check_format(const char *fmt)
{
    for (const char *s = fmt; *s; s++) {
        if (*s != '%')
            continue;
        s++;
        if (*s == '+' || *s == '-') {
            if (s[1] < '0' || s[1] > '9' || s[2] != 'L')
                return 0;
            s += 2;
        } else if (*s == '\0' || strchr("%NFL", *s) == NULL) {
            return 0;
        }
    }
    return 1;
}

/* Write root chunk c into path with format fmt (NULL: no directives);
 * return the number of errors. */
static int tangle(int c, const char *path, const char *fmt)
{
    struct out o = { fopen(path, "w"), fmt, NULL, -1, 0 };

    if (o.f == NULL) {
        perror(path);
        exit(2);
    }
    expand(&o, c, 0, 0);
    putc('\n', o.f);
    if (ferror(o.f) | fclose(o.f)) {
        perror(path);
        exit(2);
    }
    return o.errors;
}

/* One line of the list, "ROOT\tOUTPUT\tFORMAT" (at line n of list): tangle
 * it, and return the number of errors. */
static int list_line(const char *list, int n, char *s)
{
    char *root = s, *path = strchr(s, '\t'), *fmt = NULL;

    if (path != NULL) {
        *path++ = '\0';
        fmt = strchr(path, '\t');
        if (fmt != NULL)
            *fmt++ = '\0';
    }
    if (path == NULL || *root == '\0' || *path == '\0') {
        nw_error_at(list, n, "not \"ROOT<TAB>OUTPUT<TAB>FORMAT\"");
        return 1;
    }
    if (fmt != NULL && !check_format(fmt)) {
        nw_error_at(list, n, "the format \"%s\" has a %% other than %%%%, %%N, %%F, %%L, %%+dL, %%-dL", fmt);
        return 1;
    }
    int c = find(root);
    if (c < 0) {
        nw_error_at(list, n, "the root chunk <<%s>> is not defined", root);
        return 1;
    }
    return tangle(c, path, fmt != NULL && *fmt != '\0' ? fmt : NULL);
}

int main(int argc, char **argv)
{
    struct nw_pipe p;
    char *buf = NULL;
    size_t cap = 0;
    ssize_t len;
    int n = 0, errors = 0;

    if (argc != 2)
        nw_die("usage: nwtangle LIST < pipeline");
    FILE *list = fopen(argv[1], "r");
    if (list == NULL) {
        perror(argv[1]);
        return 2;
    }
    nw_read(stdin, &p);
    if (nw_check(&p) != 0)
        return 2;
    read_chunks(&p);
    while ((len = getline(&buf, &cap, list)) != -1) {
        if (len > 0 && buf[len - 1] == '\n')
            buf[--len] = '\0';
        errors += list_line(argv[1], ++n, buf);
    }
    free(buf);
    fclose(list);
    return errors ? 1 : 0;
}
