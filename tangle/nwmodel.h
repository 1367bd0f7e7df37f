/* nwmodel.h: reading the chunk model that tangle/nwmodel writes.
 *
 * The format is described at the top of tangle/nwmodel.c; this header turns
 * it back into arrays, with every index checked, for the tools written in C
 * (nwcheck, nwreplace, book/nwpandoc). Header-only, like nwpipe.h.
 */
#ifndef NWMODEL_H
#define NWMODEL_H

#include "nwpipe.h"

#define NWM_NONE (-1)

enum nwm_kind { NWM_DEFN, NWM_REPLACE, NWM_DELETE };
enum nwm_root { NWM_NOT_ROOT, NWM_SRC, NWM_TRY, NWM_NO_PATH };

struct nwm_list {
    int *v, n;
};

struct nwm_chapter {
    int number;
    char *path;
};

struct nwm_chunk {
    int file, line, num;
    enum nwm_kind kind;
    int gen, prev;
    char *name;
};

struct nwm_gen {
    int scope, from, to, ender;     /* from..to: the snapshots that hold it */
    struct nwm_list chunks, users, roots;
    enum nwm_root root;
    char *lang;                     /* NULL for plain text */
    char *name;
};

struct nwm_use {
    int chunk, file, line, target;
    char *name;
};

struct nw_model {
    struct nwm_chapter *chapter; int nchapters;
    struct nwm_chunk *chunk;     int nchunks;
    struct nwm_gen *gen;         int ngens;
    struct nwm_use *use;         int nuses;
};

/* Is generation g part of snapshot f (chapters 1..f+1)? */
static inline int nwm_in_snapshot(const struct nw_model *m, int g, int f)
{
    return g != NWM_NONE && m->gen[g].from != NWM_NONE && m->gen[g].from <= f && f <= m->gen[g].to;
}

static const char *nwm_path;    /* for errors */
static int nwm_lineno;

static inline void nwm_bad(const char *what)
{
    fprintf(stderr, "%s:%d: not a chunk model (tangle/nwmodel): %s\n", nwm_path, nwm_lineno, what);
    exit(2);
}

/* The next tab-separated field of *s; the last one takes the rest. */
static inline char *nwm_field(char **s, int last)
{
    char *f = *s;

    if (f == NULL)
        nwm_bad("too few fields");
    if (last) {
        *s = NULL;
    } else {
        char *tab = strchr(f, '\t');
        if (tab == NULL)
            nwm_bad("too few fields");
        *tab = '\0';
        *s = tab + 1;
    }
    return f;
}

/* An index below limit, or NWM_NONE for "-". */
static inline int nwm_index(char *f, int limit)
{
    char *end;
    long v;

    if (strcmp(f, "-") == 0)
        return NWM_NONE;
    v = strtol(f, &end, 10);
    if (*end != '\0' || end == f || v < 0 || v >= limit)
        nwm_bad("an index out of range");
    return (int)v;
}

/* A comma-separated list of indices below limit, or "-". */
static inline struct nwm_list nwm_ints(char *f, int limit)
{
    struct nwm_list l = { NULL, 0 };

    if (strcmp(f, "-") == 0)
        return l;
    for (char *tok = strtok(f, ","); tok != NULL; tok = strtok(NULL, ",")) {
        l.v = nw_xrealloc(l.v, (size_t)(l.n + 1) * sizeof *l.v);
        l.v[l.n++] = nwm_index(tok, limit);
    }
    return l;
}

/* Check that a record's index (its next field) is the next one, n, and make
 * room for it in the array *arr of elements of size size. */
static inline void nwm_next(char **s, void *arr, int *n, size_t size, const char *what)
{
    void **a = arr;

    if (nwm_index(nwm_field(s, 0), 1 << 30) != *n)
        nwm_bad(what);
    *a = nw_xrealloc(*a, (size_t)(*n + 1) * size);
    memset((char *)*a + (size_t)*n * size, 0, size);
    (*n)++;
}

/* Read the model in file path into m; exit 2 with path:line if it is not one.
 * Records refer only to records before them, except that a chunk's generation
 * and a generation's ender are checked once all are read. */
static inline void nwm_read(const char *path, struct nw_model *m)
{
    FILE *f = fopen(path, "r");
    char *buf = NULL, *s;
    size_t cap = 0;
    ssize_t len;
    const int big = 1 << 30;

    nwm_path = path;
    nwm_lineno = 0;
    memset(m, 0, sizeof *m);
    if (f == NULL) {
        fprintf(stderr, "%s: cannot read the chunk model\n", path);
        exit(2);
    }
    while ((len = getline(&buf, &cap, f)) != -1) {
        nwm_lineno++;
        if (len > 0 && buf[len - 1] == '\n')
            buf[--len] = '\0';
        if (nwm_lineno == 1 && strcmp(buf, "# nwmodel 1") != 0)
            nwm_bad("the first line is not \"# nwmodel 1\"");
        if (buf[0] == '#')
            continue;
        s = buf;
        char *type = nwm_field(&s, 0);
        if (strcmp(type, "chapter") == 0) {
            nwm_next(&s, &m->chapter, &m->nchapters, sizeof *m->chapter, "chapters out of order");
            struct nwm_chapter *c = &m->chapter[m->nchapters - 1];
            c->number = nwm_index(nwm_field(&s, 0), big);
            c->path = nw_strdup(nwm_field(&s, 1));
        } else if (strcmp(type, "chunk") == 0) {
            nwm_next(&s, &m->chunk, &m->nchunks, sizeof *m->chunk, "chunks out of order");
            struct nwm_chunk *c = &m->chunk[m->nchunks - 1];
            c->file = nwm_index(nwm_field(&s, 0), m->nchapters);
            c->line = nwm_index(nwm_field(&s, 0), big);
            c->num = nwm_index(nwm_field(&s, 0), big);
            char *kind = nwm_field(&s, 0);
            c->kind = strcmp(kind, "replace") == 0 ? NWM_REPLACE
                    : strcmp(kind, "delete") == 0 ? NWM_DELETE : NWM_DEFN;
            if (c->kind == NWM_DEFN && strcmp(kind, "defn") != 0)
                nwm_bad("an unknown kind of chunk");
            c->gen = nwm_index(nwm_field(&s, 0), big);
            c->prev = nwm_index(nwm_field(&s, 0), big);
            c->name = nw_strdup(nwm_field(&s, 1));
            if (c->file == NWM_NONE)
                nwm_bad("a chunk in no chapter");
        } else if (strcmp(type, "gen") == 0) {
            nwm_next(&s, &m->gen, &m->ngens, sizeof *m->gen, "generations out of order");
            struct nwm_gen *g = &m->gen[m->ngens - 1];
            g->scope = nwm_index(nwm_field(&s, 0), m->nchapters);
            char *live = nwm_field(&s, 0), *dash = strchr(live, '-');
            g->from = g->to = NWM_NONE;
            if (strcmp(live, "-") != 0) {
                if (dash == NULL)
                    nwm_bad("LIVE is not A-B");
                *dash = '\0';
                g->from = nwm_index(live, m->nchapters);
                g->to = nwm_index(dash + 1, m->nchapters);
            }
            g->ender = nwm_index(nwm_field(&s, 0), m->nchunks);
            g->chunks = nwm_ints(nwm_field(&s, 0), m->nchunks);
            g->users = nwm_ints(nwm_field(&s, 0), m->nchunks);
            g->roots = nwm_ints(nwm_field(&s, 0), big);
            char *root = nwm_field(&s, 0);
            g->root = strcmp(root, "src") == 0 ? NWM_SRC : strcmp(root, "try") == 0 ? NWM_TRY
                    : strcmp(root, "none") == 0 ? NWM_NO_PATH : NWM_NOT_ROOT;
            if (g->root == NWM_NOT_ROOT && strcmp(root, "-") != 0)
                nwm_bad("an unknown kind of root");
            char *lang = nwm_field(&s, 0);
            g->lang = strcmp(lang, "-") == 0 ? NULL : nw_strdup(lang);
            g->name = nw_strdup(nwm_field(&s, 1));
            if (g->chunks.n == 0)
                nwm_bad("a generation without chunks");
        } else if (strcmp(type, "use") == 0) {
            nwm_next(&s, &m->use, &m->nuses, sizeof *m->use, "uses out of order");
            struct nwm_use *u = &m->use[m->nuses - 1];
            u->chunk = nwm_index(nwm_field(&s, 0), m->nchunks);
            u->file = nwm_index(nwm_field(&s, 0), m->nchapters);
            u->line = nwm_index(nwm_field(&s, 0), big);
            u->target = nwm_index(nwm_field(&s, 0), m->ngens);
            u->name = nw_strdup(nwm_field(&s, 1));
        } else {
            nwm_bad("an unknown record");
        }
    }
    free(buf);
    fclose(f);
    for (int c = 0; c < m->nchunks; c++)
        if (m->chunk[c].gen >= m->ngens || m->chunk[c].prev >= m->ngens)
            nwm_bad("a chunk's generation is out of range");
    for (int g = 0; g < m->ngens; g++)
        for (int i = 0; i < m->gen[g].roots.n; i++)
            if (m->gen[g].roots.v[i] >= m->ngens)
                nwm_bad("a root is out of range");
}

#endif
