/* nwreplace: the noweb filter that lets a later chapter change earlier code.
 *
 * noweb joins every definition of a chunk name. This filter gives two chunk
 * attributes their meaning (see chapters/README.md):
 *
 *   <<name [replace]>>=   supersedes every earlier definition of name
 *   <<name [delete]>>=    supersedes every earlier definition and itself
 *
 * Names under try/ (experiments) belong to their chapter: a definition of
 * try/NAME continues, replaces or deletes only its own chapter's, and in the
 * pipeline of chapters 1..N only chapter N's are live; the earlier chapters'
 * are superseded.
 *
 * Superseded definitions are renamed to "name [superseded]" rather than
 * removed, so that every line of the pipeline stays and notangle's line
 * directives stay right; nothing uses the new name, so nothing tangles it.
 * A replace or delete with no live earlier definition, an unknown attribute,
 * or an attribute on a use is an error reported as file:line.
 *
 * Usage: markup -t chapters... | nwreplace | nt ...   (exit 1 on errors)
 */
#include "nwpipe.h"

#define TRY_PREFIX "try/"

enum kind { PLAIN, REPLACE, DELETE };

/* A definition token: where it is, the name it defines, and how. */
struct defn {
    size_t tok;   /* index of its "@defn" token */
    char *base;   /* the name without its attribute */
    enum kind kind;
    int live;     /* still in force after the definitions that follow it */
};

/* Do definitions a and b define the same chunk? try/ names are per chapter. */
static int defn_same(const struct nw_pipe *p, const struct defn *a, const struct defn *b)
{
    return strcmp(a->base, b->base) == 0 &&
           (!nw_is(a->base, TRY_PREFIX) || strcmp(p->tok[a->tok].file, p->tok[b->tok].file) == 0);
}

/* Split "@defn name [attr]" into its base name and kind; 0 on a bad attribute. */
static int defn_parse(const char *name, char **base, enum kind *kind)
{
    size_t n = strlen(name);

    *kind = PLAIN;
    if (nw_ends(name, NW_REPLACE)) {
        *kind = REPLACE;
        n -= strlen(NW_REPLACE);
    } else if (nw_ends(name, NW_DELETE)) {
        *kind = DELETE;
        n -= strlen(NW_DELETE);
    } else if (n > 0 && name[n - 1] == ']' && strstr(name, " [") != NULL) {
        return 0;
    }
    *base = strndup(name, n);
    if (*base == NULL)
        nw_die("out of memory");
    return 1;
}

int main(void)
{
    struct nw_pipe p;
    struct defn *d = NULL;
    size_t nd = 0;
    int errors = 0;

    nw_read(stdin, &p);

    /* Collect every definition; flag attributes where they do not belong. */
    for (size_t i = 0; i < p.n; i++) {
        const char *s = p.tok[i].text;
        if (nw_is(s, "@use ") && nw_ends(s, "]") && strstr(s, " [") != NULL) {
            nw_error(&p.tok[i], "<<%s>>: attributes belong on definitions, not uses",
                     s + strlen("@use "));
            errors++;
        }
        if (!nw_is(s, "@defn "))
            continue;
        d = nw_xrealloc(d, (nd + 1) * sizeof *d);
        if (!defn_parse(s + strlen("@defn "), &d[nd].base, &d[nd].kind)) {
            nw_error(&p.tok[i], "<<%s>>=: unknown attribute (known: [replace], [delete])",
                     s + strlen("@defn "));
            errors++;
            continue;
        }
        d[nd].tok = i;
        d[nd].live = 1;
        nd++;
    }

    /* Walk forward: a replace or delete kills every live definition before it. */
    for (size_t j = 0; j < nd; j++) {
        if (d[j].kind == PLAIN)
            continue;
        int killed = 0;
        for (size_t i = 0; i < j; i++) {
            if (d[i].live && defn_same(&p, &d[i], &d[j])) {
                d[i].live = 0;
                killed++;
            }
        }
        if (killed == 0) {
            nw_error(&p.tok[d[j].tok], "<<%s>>=: %s nothing: <<%s>> is not defined before this line",
                     p.tok[d[j].tok].text + strlen("@defn "),
                     d[j].kind == REPLACE ? "replaces" : "deletes", d[j].base);
            errors++;
        }
        if (d[j].kind == DELETE)
            d[j].live = 0;
    }
    if (errors)
        return 1;

    /* Only the last chapter's experiments are live. */
    const char *last = p.n > 0 ? p.tok[p.n - 1].file : "";
    for (size_t j = 0; j < nd; j++)
        if (nw_is(d[j].base, TRY_PREFIX) && strcmp(p.tok[d[j].tok].file, last) != 0)
            d[j].live = 0;

    /* Rewrite the definition tokens and pass everything else through. */
    size_t next = 0;
    for (size_t i = 0; i < p.n; i++) {
        if (next < nd && d[next].tok == i) {
            printf("@defn %s%s\n", d[next].base, d[next].live ? "" : NW_SUPERSEDED);
            next++;
        } else {
            puts(p.tok[i].text);
        }
    }
    return ferror(stdout) ? 2 : 0;
}
