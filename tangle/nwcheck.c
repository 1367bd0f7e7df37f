/* nwcheck: check a snapshot's chunks and list the files to tangle.
 *
 * Reads the pipeline of chapters 1..N after nwreplace, so superseded
 * definitions are named "name [superseded]". Checks, reporting each problem as
 * file:line and exiting 1:
 *   - every chunk used in live code is defined (and not deleted); a use
 *     whose name looks like code gets a hint to write a literal << as @<<;
 *   - no chunk includes itself, directly or through others (a cycle, even
 *     one that nothing else uses), reported at the use that closes it;
 *   - every chunk is used, unless it is a root: a root is a chunk nothing uses,
 *     and its name must be a safe relative path (the file it becomes);
 *   - no two roots collide (same path ignoring case, or one is the other's
 *     directory).
 * Roots under try/ are chapter N's experiments (nwreplace has superseded the
 * earlier chapters' ones). On success prints one line a file:
 *   src PATH      a file of the snapshot (chunk PATH)
 *   try PATH      an experiment of chapter N (chunk try/PATH)
 *
 * Usage: nwcheck < pipeline > roots
 */
#include <ctype.h>
#include "nwpipe.h"

#define TRY_PREFIX "try/"
#define MAX_PATH_LEN 200

/* What the pipeline says about one chunk name. */
struct chunk {
    const char *name;
    const struct nw_token *first_live;  /* first live definition, or NULL */
    const struct nw_token *last_dead;   /* last superseded definition, or NULL */
    int used;                           /* used anywhere, even in superseded code */
    enum { NEW, ON_PATH, DONE } state;  /* for the cycle search */
};

/* A use in live code of a defined chunk: chunk "from" includes chunk "to". */
struct edge {
    size_t from, to;
    const struct nw_token *at;          /* the use */
};

static struct chunk *chunks;
static size_t nchunks;
static struct edge *edges;
static size_t nedges;

/* The index of the chunk called name, made if new. */
static size_t chunk_index(const char *name)
{
    for (size_t i = 0; i < nchunks; i++)
        if (strcmp(chunks[i].name, name) == 0)
            return i;
    chunks = nw_xrealloc(chunks, (nchunks + 1) * sizeof *chunks);
    chunks[nchunks] = (struct chunk){ .name = name };
    return nchunks++;
}

static struct chunk *chunk_get(const char *name)
{
    size_t i = chunk_index(name);  /* may move chunks */
    return &chunks[i];
}

/* Does a used name look like code? noweb reads "a << 4) | (b >> 2" as a use
 * of the chunk " 4) | (b ": names with blanks at their ends or C's operators
 * and punctuation are taken for such. */
static int looks_like_code(const char *name)
{
    size_t n = strlen(name);
    return n == 0 || isspace((unsigned char)name[0]) || isspace((unsigned char)name[n - 1]) ||
           strpbrk(name, "(){};=|&^!~+*%<>\"'") != NULL;
}

/* Return NULL if path is a safe relative file path, else what is wrong. */
static const char *path_problem(const char *path)
{
    if (path[0] == '/')
        return "is absolute";
    if (strlen(path) > MAX_PATH_LEN)
        return "is too long";
    for (const char *c = path; *c; c++)
        if (!isalnum((unsigned char)*c) && strchr("._-/", *c) == NULL)
            return "has a character other than letters, digits, '.', '_', '-' and '/'";
    for (const char *comp = path; ; ) {
        size_t n = strcspn(comp, "/");
        if (n == 0)
            return "has an empty component";
        if ((n == 1 && comp[0] == '.') || (n == 2 && strncmp(comp, "..", 2) == 0))
            return "has a '.' or '..' component: it would leave the snapshot";
        if (comp[0] == '-')
            return "has a component starting with '-'";
        if (comp[n] == '\0')
            return NULL;
        comp += n + 1;
    }
}

/* Do two paths collide: equal ignoring case, or one a directory of the other? */
static int path_collides(const char *a, const char *b)
{
    while (*a && *b && tolower((unsigned char)*a) == tolower((unsigned char)*b))
        a++, b++;
    return (*a == '\0' && (*b == '\0' || *b == '/')) || (*b == '\0' && *a == '/');
}

/* Read the pipeline: record definitions and uses; report undefined uses. */
static int scan(const struct nw_pipe *p)
{
    int errors = 0, live = 0;
    size_t from = 0;

    for (size_t i = 0; i < p->n; i++) {
        const char *s = p->tok[i].text;
        if (nw_is(s, "@defn ")) {
            const char *name = s + strlen("@defn ");
            live = !nw_ends(name, NW_SUPERSEDED);
            if (live) {
                struct chunk *c = chunk_get(name);
                if (c->first_live == NULL)
                    c->first_live = &p->tok[i];
            } else {
                char *base = strndup(name, strlen(name) - strlen(NW_SUPERSEDED));
                if (base == NULL)
                    nw_die("out of memory");
                chunk_get(base)->last_dead = &p->tok[i];
            }
        } else if (nw_is(s, "@use ")) {
            chunk_get(s + strlen("@use "))->used = 1;
        }
    }
    /* Second pass, now that all definitions are known: uses in live code. */
    for (size_t i = 0; i < p->n; i++) {
        const char *s = p->tok[i].text;
        if (nw_is(s, "@defn ")) {
            live = !nw_ends(s, NW_SUPERSEDED);
            if (live)
                from = chunk_index(s + strlen("@defn "));
        }
        if (!live || !nw_is(s, "@use "))
            continue;
        size_t to = chunk_index(s + strlen("@use "));
        struct chunk *c = &chunks[to];
        if (c->first_live != NULL) {
            edges = nw_xrealloc(edges, (nedges + 1) * sizeof *edges);
            edges[nedges++] = (struct edge){ .from = from, .to = to, .at = &p->tok[i] };
            continue;
        }
        if (c->last_dead != NULL)
            nw_error(&p->tok[i], "<<%s>> is used, but %s:%d deleted or replaced it away",
                     c->name, c->last_dead->file, c->last_dead->line);
        else if (looks_like_code(c->name))
            nw_error(&p->tok[i], "<<%s>> is used but never defined (noweb reads << and >> "
                     "on one line as a chunk use: write a literal << as @<<)", c->name);
        else
            nw_error(&p->tok[i], "<<%s>> is used but never defined", c->name);
        errors++;
    }
    return errors;
}

/* Search for cycles from chunk c, the last of the path[0..depth] being
 * followed; report every use that leads back onto the path. */
static int cycles_from(size_t c, size_t *path, size_t depth)
{
    int errors = 0;

    chunks[c].state = ON_PATH;
    path[depth] = c;
    for (size_t e = 0; e < nedges; e++) {
        if (edges[e].from != c)
            continue;
        size_t to = edges[e].to;
        if (chunks[to].state == NEW) {
            errors += cycles_from(to, path, depth + 1);
        } else if (chunks[to].state == ON_PATH) {
            size_t k = depth;
            while (path[k] != to)
                k--;
            fprintf(stderr, "%s:%d: <<%s>> includes itself", edges[e].at->file,
                    edges[e].at->line, chunks[to].name);
            if (k < depth) {
                fputs(":", stderr);
                for (; k <= depth; k++)
                    fprintf(stderr, " <<%s>> ->", chunks[path[k]].name);
                fprintf(stderr, " <<%s>>", chunks[to].name);
            }
            fputc('\n', stderr);
            errors++;
        }
    }
    chunks[c].state = DONE;
    return errors;
}

/* Report every cycle of live chunks, whether or not a root reaches it. */
static int cycles(void)
{
    size_t *path = nw_xrealloc(NULL, (nchunks + 1) * sizeof *path);
    int errors = 0;

    for (size_t c = 0; c < nchunks; c++)
        if (chunks[c].state == NEW)
            errors += cycles_from(c, path, 0);
    free(path);
    return errors;
}

/* Check the roots and print the files of the snapshot. */
static int roots(void)
{
    const struct chunk **seen = nw_xrealloc(NULL, (nchunks + 1) * sizeof *seen);
    size_t nseen = 0;
    int errors = 0;

    for (size_t i = 0; i < nchunks; i++) {
        const struct chunk *c = &chunks[i];
        if (c->used || c->first_live == NULL)
            continue;
        int is_try = nw_is(c->name, TRY_PREFIX);
        if (strchr(c->name, ' ') != NULL) {
            nw_error(c->first_live, "<<%s>> is defined but never used "
                     "(a chunk nothing uses must be a file: name it by its path)", c->name);
            errors++;
            continue;
        }
        const char *why = path_problem(c->name);
        if (why == NULL && is_try && c->name[strlen(TRY_PREFIX)] == '\0')
            why = "names no file under try/";
        if (why != NULL) {
            nw_error(c->first_live, "root <<%s>>: the path %s", c->name, why);
            errors++;
            continue;
        }
        for (size_t j = 0; j < nseen; j++) {
            if (path_collides(seen[j]->name, c->name)) {
                nw_error(c->first_live, "root <<%s>> collides with <<%s>> (%s:%d)", c->name,
                         seen[j]->name, seen[j]->first_live->file, seen[j]->first_live->line);
                errors++;
            }
        }
        seen[nseen++] = c;
    }
    if (errors == 0)
        for (size_t j = 0; j < nseen; j++) {
            if (nw_is(seen[j]->name, TRY_PREFIX))
                printf("try %s\n", seen[j]->name + strlen(TRY_PREFIX));
            else
                printf("src %s\n", seen[j]->name);
        }
    free(seen);
    return errors;
}

int main(void)
{
    struct nw_pipe p;

    nw_read(stdin, &p);
    int errors = scan(&p);
    errors += cycles();
    errors += roots();
    return errors ? 1 : 0;
}
