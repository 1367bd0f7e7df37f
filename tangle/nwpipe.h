/* nwpipe.h: reading noweb's pipeline (the output of /usr/lib/noweb/markup).
 *
 * The pipeline is one token a line ("@file NAME", "@defn NAME", "@nl", ...; see
 * noweb's hacker's guide). The tangling tools read it whole into memory, keeping
 * for every token the source file and line it came from, so that each error can
 * be reported as "file:line: message". Header-only: each tool is one C file.
 */
#ifndef NWPIPE_H
#define NWPIPE_H

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

static void nw_die(const char *msg)
{
    fprintf(stderr, "%s\n", msg);
    exit(2);
}

static void *nw_xrealloc(void *p, size_t size)
{
    p = realloc(p, size);
    if (p == NULL)
        nw_die("out of memory");
    return p;
}

/* Does line s start with the token keyword kw ("@defn ")? */
static int nw_is(const char *s, const char *kw)
{
    return strncmp(s, kw, strlen(kw)) == 0;
}

/* Read the whole pipeline from f. Line numbers follow markup's rules: each
 * "@file" starts at line 1, and each "@nl" or "@index nl" ends a line of the
 * chapter. */
static void nw_read(FILE *f, struct nw_pipe *p)
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
        t->text = strdup(buf);
        if (t->text == NULL)
            nw_die("out of memory");
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

/* Report an error at a token's place; the caller decides when to exit. */
static void nw_error(const struct nw_token *t, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s:%d: ", t->file, t->line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* Chunk attributes: "<<name [replace]>>=" and "<<name [delete]>>=". The
 * replace filter rewrites superseded definitions to NW_SUPERSEDED. */
#define NW_REPLACE " [replace]"
#define NW_DELETE " [delete]"
#define NW_SUPERSEDED " [superseded]"

/* Does name end with suffix? */
static int nw_ends(const char *name, const char *suffix)
{
    size_t n = strlen(name), k = strlen(suffix);
    return n >= k && strcmp(name + n - k, suffix) == 0;
}

#endif
