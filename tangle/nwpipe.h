/* nwpipe.h: reading noweb's pipeline (the output of /usr/lib/noweb/markup).
 *
 * The pipeline is one token a line ("@file NAME", "@defn NAME", "@nl", ...; see
 * noweb's hacker's guide). The tangling tools read it whole into memory, keeping
 * for every token the source file and line it came from, so that each error can
 * be reported as "file:line: message". Header-only: each tool is one C file.
 */
#ifndef NWPIPE_H
#define NWPIPE_H

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L     /* getline, strdup, strndup */
#endif

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One pipeline line and where it points in the chapters. */
struct nw_token {
    char *text;        /* the whole line, without its newline */
    const char *file;  /* the chapter it came from (owned by the last @file token) */
    int line;          /* the chapter line the token belongs to */
};

struct nw_pipe {
    struct nw_token *tok;
    size_t n, cap;
};

static inline void nw_die(const char *msg)
{
    fprintf(stderr, "%s\n", msg);
    exit(2);
}

static inline void *nw_xrealloc(void *p, size_t size)
{
    p = realloc(p, size ? size : 1);
    if (p == NULL)
        nw_die("out of memory");
    return p;
}

static inline char *nw_strndup(const char *s, size_t n)
{
    char *d = strndup(s, n);
    if (d == NULL)
        nw_die("out of memory");
    return d;
}

static inline char *nw_strdup(const char *s)
{
    return nw_strndup(s, strlen(s));
}

/* Does line s start with the token keyword kw ("@defn ")? */
static inline int nw_is(const char *s, const char *kw)
{
    return strncmp(s, kw, strlen(kw)) == 0;
}

/* Read the whole pipeline from f. Line numbers follow markup's rules: each
 * "@file" starts at line 1, and each "@nl" or "@index nl" ends a line of the
 * chapter. */
static inline void nw_read(FILE *f, struct nw_pipe *p)
{
    char *buf = NULL;
    size_t bufcap = 0;
    ssize_t len;
    const char *file = "<stdin>";
    int line = 1;

    p->tok = NULL;
    p->n = p->cap = 0;
    while ((len = getline(&buf, &bufcap, f)) != -1) {
        if (len > 0 && buf[len - 1] == '\n')
            buf[--len] = '\0';
        if (p->n == p->cap) {
            p->cap = p->cap ? 2 * p->cap : 4096;
            p->tok = nw_xrealloc(p->tok, p->cap * sizeof *p->tok);
        }
        struct nw_token *t = &p->tok[p->n++];
        t->text = nw_strndup(buf, (size_t)len);
        if (nw_is(buf, "@file ")) {
            file = t->text + strlen("@file ");
            line = 1;
        }
        t->file = file;
        t->line = line;
        /* "@index nl" ends an "@ %def" line */
        if (strcmp(buf, "@nl") == 0 || strcmp(buf, "@index nl") == 0)
            line++;
    }
    free(buf);
}

/* Report a problem of the chapters as "FILE:LINE: message"; the caller
 * decides when to exit. */
static inline void nw_error_at(const char *file, int line, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* Report a malformed pipeline at its own line ("stdin:N: what: line"). */
static inline int nw_bad(size_t i, const char *msg, const char *line)
{
    fprintf(stderr, "stdin:%zu: %s: \"%.60s\"\n", i + 1, msg, line);
    return 1;
}

/* Check that the pipeline is one markup could write: every line a keyword,
 * chunks that begin, end and do not nest, a code chunk's @defn before its
 * text, @use only in code or [[...]], no @fatal. Reports the first problem;
 * returns the number of problems (0 or 1). */
static inline int nw_check(const struct nw_pipe *p)
{
    int file = 0, docs = 0, code = 0, quote = 0, need_defn = 0;

    for (size_t i = 0; i < p->n; i++) {
        const char *s = p->tok[i].text;
        int text = nw_is(s, "@text ") || strcmp(s, "@text") == 0;
        if (s[0] != '@')
            return nw_bad(i, "not a noweb pipeline line", s);
        if (nw_is(s, "@fatal"))
            return nw_bad(i, "an earlier pipeline stage failed", s);
        if (nw_is(s, "@file ")) {
            if (docs || code)
                return nw_bad(i, "@file inside a chunk", s);
            file = 1;
            continue;
        }
        if ((nw_is(s, "@begin ") || nw_is(s, "@end ") || strcmp(s, "@nl") == 0 || text ||
             nw_is(s, "@defn ") || nw_is(s, "@use ") || strcmp(s, "@quote") == 0 ||
             strcmp(s, "@endquote") == 0) && !file)
            return nw_bad(i, "chunk before any @file", s);
        if (nw_is(s, "@begin docs") || nw_is(s, "@begin code")) {
            if (docs || code)
                return nw_bad(i, "@begin inside a chunk", s);
            docs = nw_is(s, "@begin docs");
            code = need_defn = !docs;
        } else if (nw_is(s, "@begin ")) {
            return nw_bad(i, "unknown chunk kind", s);
        } else if (nw_is(s, "@end docs")) {
            if (!docs || quote)
                return nw_bad(i, "@end docs without its @begin docs", s);
            docs = 0;
        } else if (nw_is(s, "@end code")) {
            if (!code || need_defn)
                return nw_bad(i, "@end code without its @begin code and @defn", s);
            code = 0;
        } else if (text || strcmp(s, "@nl") == 0) {
            if (!docs && !code)
                return nw_bad(i, text ? "@text outside a chunk" : "@nl outside a chunk", s);
            if (code && need_defn)
                return nw_bad(i, text ? "@text before the chunk's @defn"
                                      : "@nl before the chunk's @defn", s);
        } else if (nw_is(s, "@defn ")) {
            if (!code || !need_defn)
                return nw_bad(i, "@defn outside the start of a code chunk", s);
            need_defn = 0;
        } else if (nw_is(s, "@use ")) {
            if (!quote && (!code || need_defn))
                return nw_bad(i, "@use outside code", s);
        } else if (strcmp(s, "@quote") == 0) {
            if (!docs || quote)
                return nw_bad(i, "@quote outside documentation", s);
            quote = 1;
        } else if (strcmp(s, "@endquote") == 0) {
            if (!quote)
                return nw_bad(i, "@endquote without @quote", s);
            quote = 0;
        }
    }
    if (docs || code) {
        fprintf(stderr, "stdin:%zu: the pipeline ends inside a chunk\n", p->n);
        return 1;
    }
    return 0;
}

/* Chunk attributes: "<<name [replace]>>=" and "<<name [delete]>>=". The
 * replace filter rewrites superseded definitions to NW_SUPERSEDED. */
#define NW_REPLACE " [replace]"
#define NW_DELETE " [delete]"
#define NW_SUPERSEDED " [superseded]"

/* Does name end with suffix? */
static inline int nw_ends(const char *name, const char *suffix)
{
    size_t n = strlen(name), k = strlen(suffix);
    return n >= k && strcmp(name + n - k, suffix) == 0;
}

#endif
