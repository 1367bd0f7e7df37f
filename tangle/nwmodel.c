/* nwmodel: the chunk model of a book, computed once and written as data.
 *
 * Usage: markup -t CHAPTER... | nwmodel > model.tsv   (exit 1 on a malformed pipeline)
 *
 * Every tool that needs to know what the chunks mean reads this model instead
 * of working it out again: nwcheck (the checks), nwreplace (the pipeline
 * nwtangle tangles), book/nwpandoc (the chunk headers and links) and
 * book/index.lua (the chunk and identifier indexes). nwmodel itself checks
 * nothing about the chapters: a replace of nothing, an unknown attribute or
 * a use of an undefined chunk is recorded as it is, and nwcheck says what is
 * wrong with it. The rules are chapters/README.md's:
 *
 *   - A definition of a name continues it. "<<name [replace]>>=" starts a new
 *     generation of the name, superseding every earlier definition;
 *     "<<name [delete]>>=" ends the name. Names under try/ are their chapter's
 *     own (a name and a chapter make a key).
 *   - A generation is live at the end of chapter f from the chapter that
 *     starts it until the chapter before the one that replaces or deletes it.
 *     Snapshot f is the generations live at the end of f (of a try/ name, only
 *     chapter f's own).
 *   - A use in chapter k refers to the generation of its name live at the end
 *     of k (else the last one begun by then, else the first). A generation is
 *     used by every chunk whose use refers to it or that is part of some
 *     snapshot that also holds the generation.
 *   - A generation nothing uses is a root: a file of the snapshot (a name
 *     made of letters, digits and ._-/), an experiment (a try/ name) or an
 *     error. Each generation ends up in the roots that use it, directly or not.
 *   - A root's language (a pandoc class) comes from its file name.
 *
 * The model (one record a line, fields separated by tabs, numbers counted
 * from 0, "-" for none, lists comma-separated; names last since they may hold
 * blanks; names never hold tabs, which noweb does not allow in chunk names):
 *
 *   chapter F NUMBER PATH          chapter F, its number (NN of NN-slug.nw, else F+1)
 *   chunk C F LINE NUM KIND GEN PREV NAME
 *                                  code chunk C (in book order), in chapter F,
 *                                  its <<...>>= on LINE, the NUMth of its chapter
 *                                  (its label is NUMBER.NUM); KIND is defn,
 *                                  replace or delete; GEN its generation (- for a
 *                                  delete); PREV the generation a replace or
 *                                  delete supersedes (- if none: an error);
 *                                  NAME without the attribute
 *   gen G SCOPE LIVE ENDER CHUNKS USERS ROOTS ROOT LANG NAME
 *                                  generation G of NAME: SCOPE the chapter of a
 *                                  try/ name (else -); LIVE the snapshots "A-B"
 *                                  that hold it (- if none); ENDER the
 *                                  chunk that replaces or deletes it; CHUNKS its
 *                                  definitions; USERS the chunks that use it;
 *                                  ROOTS the root generations it ends up in; ROOT
 *                                  (roots only, else -) src for a file, try for an
 *                                  experiment, none for a name that is no path;
 *                                  LANG the language of its first root (or -)
 *   use U C F LINE TARGET NAME     the Uth @use of the pipeline, in chunk C (- for
 *                                  [[<<name>>]] in prose), chapter F, LINE; TARGET
 *                                  the generation it refers to (- if undefined)
 *
 * Records come in this order: chapters, chunks, generations, uses. The first
 * line is "# nwmodel 1" (the version of this format).
 */
#include "nwpipe.h"

#define TRY_PREFIX "try/"
#define NONE (-1)

/* A list of indices. */
struct ints {
    int *v, n;
};

static void ints_add(struct ints *l, int x)
{
    for (int i = 0; i < l->n; i++)
        if (l->v[i] == x)
            return;
    l->v = nw_xrealloc(l->v, (size_t)(l->n + 1) * sizeof *l->v);
    l->v[l->n++] = x;
}

enum kind { K_DEFN, K_REPLACE, K_DELETE };
static const char *const kind_name[] = { "defn", "replace", "delete" };

struct chapter {
    const char *path;
    int number, nchunks;
};

struct chunk {
    int file, line, num;
    enum kind kind;
    char *name;     /* without the attribute */
    int key, gen, prev;
};

/* A chunk name; names under try/ are one key per chapter. */
struct key {
    const char *name;
    int scope;      /* for try/ names: the chapter; else NONE */
    struct ints gens;
    int *live;      /* per chapter: the generation live at its end, or NONE */
};

struct gen {
    int key, ender, state;  /* state: for the root search, 0 new, 1 visiting, 2 done */
    struct ints chunks, users, roots;
};

struct use {
    int chunk, file, line, target;
    const char *name;
};

static struct chapter *chapters; static int nchapters;
static struct chunk *chunks;     static int nchunks;
static struct key *keys;         static int nkeys;
static struct gen *gens;         static int ngens;
static struct use *uses;         static int nuses;

#define PUSH(a, n) (a = nw_xrealloc(a, (size_t)(n + 1) * sizeof *a), &a[n++])

/* The key of name as seen from chapter f, or NONE. */
static int find_key(const char *name, int f)
{
    int scope = nw_is(name, TRY_PREFIX) ? f : NONE;

    for (int k = 0; k < nkeys; k++)
        if (keys[k].scope == scope && strcmp(keys[k].name, name) == 0)
            return k;
    return NONE;
}

static int key_of(const char *name, int f)
{
    int k = find_key(name, f);

    if (k == NONE) {
        struct key *n = PUSH(keys, nkeys);
        *n = (struct key){ .name = name, .scope = nw_is(name, TRY_PREFIX) ? f : NONE };
        k = nkeys - 1;
    }
    return k;
}

/* Chapter number: the digits that start the file's base name, else position. */
static int chapter_number(const char *path, int position)
{
    const char *base = strrchr(path, '/');

    base = base ? base + 1 : path;
    return base[0] >= '0' && base[0] <= '9' ? atoi(base) : position;
}

/* Split "<<name [attr]>>=" into base name and kind. */
static void parse_defn(struct chunk *c, const char *name)
{
    size_t n = strlen(name);

    c->kind = K_DEFN;
    if (nw_ends(name, NW_REPLACE)) {
        c->kind = K_REPLACE;
        n -= strlen(NW_REPLACE);
    } else if (nw_ends(name, NW_DELETE)) {
        c->kind = K_DELETE;
        n -= strlen(NW_DELETE);
    }
    c->name = nw_strndup(name, n);
}

/* Read chapters, code chunks and uses from the pipeline. */
static void read_model(const struct nw_pipe *p)
{
    int file = NONE, chunk = NONE;

    for (size_t i = 0; i < p->n; i++) {
        const char *s = p->tok[i].text;
        if (nw_is(s, "@file ")) {
            int position = nchapters + 1;   /* counted from 1 */
            struct chapter *ch = PUSH(chapters, nchapters);
            *ch = (struct chapter){ .path = p->tok[i].file,
                                    .number = chapter_number(p->tok[i].file, position) };
            file = nchapters - 1;
        } else if (nw_is(s, "@begin code")) {
            struct chunk *c = PUSH(chunks, nchunks);
            *c = (struct chunk){ .file = file, .num = ++chapters[file].nchunks };
            chunk = nchunks - 1;
        } else if (nw_is(s, "@end code")) {
            chunk = NONE;
        } else if (nw_is(s, "@defn ")) {
            struct chunk *c = &chunks[chunk];
            if (strchr(s, '\t') != NULL) {
                nw_error_at(p->tok[i].file, p->tok[i].line, "<<%s>>=: a tab in a chunk name",
                            s + strlen("@defn "));
                exit(1);
            }
            parse_defn(c, s + strlen("@defn "));
            c->line = p->tok[i].line;
            c->key = key_of(c->name, file);
        } else if (nw_is(s, "@use ")) {
            if (strchr(s, '\t') != NULL) {
                nw_error_at(p->tok[i].file, p->tok[i].line, "<<%s>>: a tab in a chunk name",
                            s + strlen("@use "));
                exit(1);
            }
            struct use *u = PUSH(uses, nuses);
            *u = (struct use){ .chunk = chunk, .file = file, .line = p->tok[i].line,
                               .name = s + strlen("@use "), .target = NONE };
            if (chunk != NONE)
                key_of(u->name, file);
        }
    }
}

static int new_gen(int k)
{
    struct gen *g = PUSH(gens, ngens);

    *g = (struct gen){ .key = k, .ender = NONE };
    ints_add(&keys[k].gens, ngens - 1);
    return ngens - 1;
}

/* Split every name's definitions into generations; note what is live when. */
static void build_generations(void)
{
    int *cur = nw_xrealloc(NULL, (size_t)(nkeys + 1) * sizeof *cur);
    int c = 0;

    for (int k = 0; k < nkeys; k++) {
        cur[k] = NONE;
        keys[k].live = nw_xrealloc(NULL, (size_t)nchapters * sizeof(int));
    }
    for (int f = 0; f < nchapters; f++) {
        for (; c < nchunks && chunks[c].file == f; c++) {
            struct chunk *ch = &chunks[c];
            int k = ch->key;
            ch->prev = ch->gen = NONE;
            if (ch->kind != K_DEFN) {
                ch->prev = cur[k];
                if (cur[k] != NONE)
                    gens[cur[k]].ender = c;
                cur[k] = NONE;
            }
            if (ch->kind != K_DELETE) {
                if (cur[k] == NONE)
                    cur[k] = new_gen(k);
                ch->gen = cur[k];
                ints_add(&gens[ch->gen].chunks, c);
            }
        }
        for (int k = 0; k < nkeys; k++)
            keys[k].live[f] = cur[k];
    }
    free(cur);
}

/* The generation a use of key k in chapter f refers to: the one live at the
 * end of f; else the last one begun by then; else the first; else NONE. */
static int resolve(int k, int f)
{
    const struct key *K = &keys[k];
    int best = NONE;

    if (K->live[f] != NONE)
        return K->live[f];
    for (int i = 0; i < K->gens.n; i++)
        if (chunks[gens[K->gens.v[i]].chunks.v[0]].file <= f)
            best = K->gens.v[i];
    if (best == NONE && K->gens.n > 0)
        best = K->gens.v[0];
    return best;
}

/* Is generation g part of snapshot f (live at its end)? */
static int gen_in_snapshot(int g, int f)
{
    return keys[gens[g].key].live[f] == g;
}

/* Fill in every use's target and every generation's users. */
static void link_uses(void)
{
    for (int u = 0; u < nuses; u++) {
        int c = uses[u].chunk, k = find_key(uses[u].name, uses[u].file);
        if (k == NONE)
            continue;
        uses[u].target = resolve(k, uses[u].file);
        if (c == NONE || chunks[c].gen == NONE)
            continue;   /* prose and deletions use nothing */
        for (int i = 0; i < keys[k].gens.n; i++) {
            int g = keys[k].gens.v[i], shared = g == uses[u].target;
            for (int f = chunks[c].file; f < nchapters && !shared; f++)
                shared = gen_in_snapshot(chunks[c].gen, f) && gen_in_snapshot(g, f);
            if (shared)
                ints_add(&gens[g].users, c);
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
    if (G->users.n == 0)
        ints_add(&G->roots, g);
    for (int i = 0; i < G->users.n; i++) {
        int p = chunks[G->users.v[i]].gen;
        find_roots(p);
        for (int j = 0; j < gens[p].roots.n; j++)
            ints_add(&G->roots, gens[p].roots.v[j]);
    }
    G->state = 2;
}

/* Does name look like a file path (chapters/README.md's characters)? */
static int is_path(const char *name)
{
    return *name != '\0' && *name != '/' &&
           strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                        "0123456789._-/") == strlen(name);
}

/* The language of a file, as a pandoc highlighting class, or NULL for plain
 * text: the only table of languages. The tangler's line directives, the
 * book's highlighting and its listing pages all follow it. An entry "*.x"
 * matches the last dot of the base name, any other the whole base name. */
static const char *language(const char *path)
{
    static const struct { const char *name, *lang; } table[] = {
        { "Makefile", "makefile" }, { "GNUmakefile", "makefile" }, { "*.mk", "makefile" },
        { "grub.cfg", "bash" },     /* GRUB's configuration language is shell-like */
        { "*.c", "c" }, { "*.h", "c" }, { "*.asm", "nasm" },
        { "*.S", "gnuassembler" }, { "*.s", "gnuassembler" },
        { "*.ld", "ld" },           /* pandoc --syntax-definition book/ld.xml */
        { "*.sh", "bash" }, { "*.py", "python" },
    };
    const char *base = strrchr(path, '/'), *dot;

    base = base ? base + 1 : path;
    dot = strrchr(base, '.');
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        const char *n = table[i].name;
        if (n[0] == '*' ? dot != NULL && strcmp(dot, n + 1) == 0 : strcmp(base, n) == 0)
            return table[i].lang;
    }
    return NULL;
}

/* ---------------------------------------------------------------- writing */

static void put_index(int i)
{
    if (i == NONE)
        fputs("\t-", stdout);
    else
        printf("\t%d", i);
}

static void put_list(const struct ints *l)
{
    putchar('\t');
    if (l->n == 0)
        putchar('-');
    for (int i = 0; i < l->n; i++)
        printf(i ? ",%d" : "%d", l->v[i]);
}

/* The snapshots "A-B" that hold generation g (chapter A to B), or "-". A try/
 * name is only in its own chapter's snapshot. */
static void put_live(int g)
{
    int from = NONE, to = NONE, scope = keys[gens[g].key].scope;

    for (int f = 0; f < nchapters; f++)
        if (gen_in_snapshot(g, f) && (scope == NONE || scope == f)) {
            if (from == NONE)
                from = f;
            to = f;
        }
    if (from == NONE)
        fputs("\t-", stdout);
    else
        printf("\t%d-%d", from, to);
}

static void write_model(void)
{
    puts("# nwmodel 1");
    for (int f = 0; f < nchapters; f++)
        printf("chapter\t%d\t%d\t%s\n", f, chapters[f].number, chapters[f].path);
    for (int c = 0; c < nchunks; c++) {
        const struct chunk *ch = &chunks[c];
        printf("chunk\t%d\t%d\t%d\t%d\t%s", c, ch->file, ch->line, ch->num, kind_name[ch->kind]);
        put_index(ch->gen);
        put_index(ch->prev);
        printf("\t%s\n", ch->name);
    }
    for (int g = 0; g < ngens; g++) {
        const struct gen *G = &gens[g];
        const struct key *K = &keys[G->key];
        const char *root = "-", *lang = NULL;
        printf("gen\t%d", g);
        put_index(K->scope);
        put_live(g);
        put_index(G->ender);
        put_list(&G->chunks);
        put_list(&G->users);
        put_list(&G->roots);
        if (G->users.n == 0)
            root = K->scope != NONE ? "try" : is_path(K->name) ? "src" : "none";
        if (G->roots.n > 0)
            lang = language(keys[gens[G->roots.v[0]].key].name);
        printf("\t%s\t%s\t%s\n", root, lang ? lang : "-", K->name);
    }
    for (int u = 0; u < nuses; u++) {
        printf("use\t%d", u);
        put_index(uses[u].chunk);
        printf("\t%d\t%d", uses[u].file, uses[u].line);
        put_index(uses[u].target);
        printf("\t%s\n", uses[u].name);
    }
}

int main(void)
{
    struct nw_pipe p;

    nw_read(stdin, &p);
    if (nw_check(&p) != 0)
        return 1;
    read_model(&p);
    build_generations();
    link_uses();
    for (int g = 0; g < ngens; g++)
        find_roots(g);
    write_model();
    return ferror(stdout) || fflush(stdout) != 0 ? 2 : 0;
}
