/* nwcheck: check a snapshot's chunk model and list the files to tangle.
 *
 * Reads the chunk model of chapters 1..N (tangle/nwmodel) and checks snapshot
 * N, reporting each problem as file:line and exiting 1:
 *   - attributes: only [replace] and [delete], only on definitions; a
 *     replace or delete must have a live earlier definition to supersede
 *     (these first: if any is wrong, nothing else is checked);
 *   - every chunk used in live code is defined (and not deleted); a use
 *     whose name looks like code gets a hint to write a literal << as @<<;
 *   - no chunk includes itself, directly or through others (a cycle, even
 *     one that nothing else uses), reported at the use that closes it;
 *   - every chunk is used, unless it is a root (the model says which): a
 *     root's name must be a safe relative path (the file it becomes);
 *   - no two roots collide (same path ignoring case, or one is the other's
 *     directory).
 * Roots under try/ are chapter N's experiments. On success prints one line a
 * file, with the file's language (a pandoc class, - for plain text) and the
 * chapter that defines its root chunk (the first definition the snapshot holds):
 *   src PATH LANG CHAPTER     a file of the snapshot (chunk PATH)
 *   try PATH LANG CHAPTER     an experiment of chapter N (chunk try/PATH)
 *
 * Usage: nwcheck MODEL > roots
 */
#include <ctype.h>
#include "nwmodel.h"

#define TRY_PREFIX "try/"
#define MAX_PATH_LEN 200

static struct nw_model m;
static int snap;                        /* the snapshot: the last chapter */
static enum { NEW, ON_PATH, DONE } *state;  /* per generation, for the cycle search */

/* A use in live code of a defined chunk: generation "from" includes "to". */
struct edge {
    int from, to;
    const struct nwm_use *at;
};

static struct edge *edges;
static int nedges;

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

/* Has name an attribute, " [...]" at its end? */
static int has_attribute(const char *name)
{
    return nw_ends(name, "]") && strstr(name, " [") != NULL;
}

/* Attributes where they do not belong, in chapter order; then replaces and
 * deletes of nothing. */
static int attributes(void)
{
    int errors = 0, u = 0;

    for (int c = 0; c <= m.nchunks; c++) {
        for (; u < m.nuses && (c == m.nchunks || m.use[u].file < m.chunk[c].file ||
                               (m.use[u].file == m.chunk[c].file &&
                                m.use[u].line < m.chunk[c].line)); u++) {
            if (has_attribute(m.use[u].name)) {
                nw_error_at(m.chapter[m.use[u].file].path, m.use[u].line,
                          "<<%s>>: attributes belong on definitions, not uses", m.use[u].name);
                errors++;
            }
        }
        if (c < m.nchunks && m.chunk[c].kind == NWM_DEFN && has_attribute(m.chunk[c].name)) {
            nw_error_at(m.chapter[m.chunk[c].file].path, m.chunk[c].line,
                      "<<%s>>=: unknown attribute (known: [replace], [delete])", m.chunk[c].name);
            errors++;
        }
    }
    for (int c = 0; c < m.nchunks; c++) {
        const struct nwm_chunk *ch = &m.chunk[c];
        if (ch->kind == NWM_DEFN || ch->prev != NWM_NONE)
            continue;
        nw_error_at(m.chapter[ch->file].path, ch->line, "<<%s%s>>=: %s nothing: <<%s>> is not defined before this line",
                  ch->name, ch->kind == NWM_REPLACE ? NW_REPLACE : NW_DELETE,
                  ch->kind == NWM_REPLACE ? "replaces" : "deletes", ch->name);
        errors++;
    }
    return errors;
}

/* The generation of name in the snapshot, or NWM_NONE. */
static int live_gen(const char *name)
{
    for (int g = 0; g < m.ngens; g++)
        if (nwm_in_snapshot(&m, g, snap) && strcmp(m.gen[g].name, name) == 0)
            return g;
    return NWM_NONE;
}

/* Every use in the snapshot's code: an edge, or an error if undefined. */
static int scan(void)
{
    int errors = 0;

    for (int u = 0; u < m.nuses; u++) {
        const struct nwm_use *use = &m.use[u];
        if (use->chunk == NWM_NONE || !nwm_in_snapshot(&m, m.chunk[use->chunk].gen, snap))
            continue;   /* prose, or code the snapshot does not hold */
        int to = live_gen(use->name);
        if (to != NWM_NONE) {
            edges = nw_xrealloc(edges, (size_t)(nedges + 1) * sizeof *edges);
            edges[nedges++] = (struct edge){ m.chunk[use->chunk].gen, to, use };
            continue;
        }
        int dead = NWM_NONE;    /* the last definition the snapshot does not hold */
        for (int c = 0; c < m.nchunks; c++)
            if (strcmp(m.chunk[c].name, use->name) == 0 && !nwm_in_snapshot(&m, m.chunk[c].gen, snap))
                dead = c;
        if (dead != NWM_NONE)
            nw_error_at(m.chapter[use->file].path, use->line, "<<%s>> is used, but %s:%d deleted or replaced it away",
                      use->name, m.chapter[m.chunk[dead].file].path, m.chunk[dead].line);
        else if (looks_like_code(use->name))
            nw_error_at(m.chapter[use->file].path, use->line, "<<%s>> is used but never defined (noweb reads << "
                      "and >> on one line as a chunk use: write a literal << as @<<)", use->name);
        else
            nw_error_at(m.chapter[use->file].path, use->line, "<<%s>> is used but never defined", use->name);
        errors++;
    }
    return errors;
}

/* Search for cycles from generation g, the last of the path[0..depth] being
 * followed; report every use that leads back onto the path. */
static int cycles_from(int g, int *path, int depth)
{
    int errors = 0;

    state[g] = ON_PATH;
    path[depth] = g;
    for (int e = 0; e < nedges; e++) {
        if (edges[e].from != g)
            continue;
        int to = edges[e].to;
        if (state[to] == NEW) {
            errors += cycles_from(to, path, depth + 1);
        } else if (state[to] == ON_PATH) {
            int k = depth;
            while (path[k] != to)
                k--;
            fprintf(stderr, "%s:%d: <<%s>> includes itself", m.chapter[edges[e].at->file].path,
                    edges[e].at->line, m.gen[to].name);
            if (k < depth) {
                fputs(":", stderr);
                for (; k <= depth; k++)
                    fprintf(stderr, " <<%s>> ->", m.gen[path[k]].name);
                fprintf(stderr, " <<%s>>", m.gen[to].name);
            }
            fputc('\n', stderr);
            errors++;
        }
    }
    state[g] = DONE;
    return errors;
}

/* Report every cycle of live chunks, whether or not a root reaches it. */
static int cycles(void)
{
    int *path = nw_xrealloc(NULL, (size_t)(m.ngens + 1) * sizeof *path);
    int errors = 0;

    state = nw_xrealloc(NULL, (size_t)(m.ngens + 1) * sizeof *state);
    for (int g = 0; g < m.ngens; g++)
        state[g] = NEW;
    for (int g = 0; g < m.ngens; g++)
        if (state[g] == NEW)
            errors += cycles_from(g, path, 0);
    free(path);
    return errors;
}

/* Where generation g is defined first (for errors). */
static const struct nwm_chunk *first(int g)
{
    return &m.chunk[m.gen[g].chunks.v[0]];
}

/* Check the snapshot's roots and print its files. */
static int roots(void)
{
    int *seen = nw_xrealloc(NULL, (size_t)(m.ngens + 1) * sizeof *seen);
    int nseen = 0, errors = 0;

    for (int g = 0; g < m.ngens; g++) {
        const struct nwm_gen *G = &m.gen[g];
        if (G->root == NWM_NOT_ROOT || !nwm_in_snapshot(&m, g, snap))
            continue;
        if (strchr(G->name, ' ') != NULL) {
            nw_error_at(m.chapter[first(g)->file].path, first(g)->line, "<<%s>> is defined but never used "
                      "(a chunk nothing uses must be a file: name it by its path)", G->name);
            errors++;
            continue;
        }
        const char *why = path_problem(G->name);
        if (why == NULL && G->root == NWM_TRY && G->name[strlen(TRY_PREFIX)] == '\0')
            why = "names no file under try/";
        if (why != NULL) {
            nw_error_at(m.chapter[first(g)->file].path, first(g)->line, "root <<%s>>: the path %s", G->name, why);
            errors++;
            continue;
        }
        for (int j = 0; j < nseen; j++) {
            if (path_collides(m.gen[seen[j]].name, G->name)) {
                nw_error_at(m.chapter[first(g)->file].path, first(g)->line, "root <<%s>> collides with <<%s>> (%s:%d)",
                          G->name, m.gen[seen[j]].name, m.chapter[first(seen[j])->file].path,
                          first(seen[j])->line);
                errors++;
            }
        }
        seen[nseen++] = g;
    }
    for (int j = 0; j < nseen && errors == 0; j++) {
        const struct nwm_gen *G = &m.gen[seen[j]];
        int try = G->root == NWM_TRY;
        printf("%s %s %s %s\n", try ? "try" : "src", G->name + (try ? strlen(TRY_PREFIX) : 0),
               G->lang ? G->lang : "-", m.chapter[first(seen[j])->file].path);
    }
    free(seen);
    return errors;
}

int main(int argc, char **argv)
{
    if (argc != 2)
        nw_die("usage: nwcheck MODEL > roots");
    nwm_read(argv[1], &m);
    if (m.nchapters == 0)
        return 0;
    snap = m.nchapters - 1;
    if (attributes() != 0)
        return 1;
    int errors = scan();
    errors += cycles();
    errors += roots();
    return errors ? 1 : 0;
}
