/* nwreplace: the pipeline of snapshot N, as the tangler must see it.
 *
 * noweb joins every definition of a chunk name. The chunk model
 * (tangle/nwmodel) knows which definitions snapshot N holds: those of the
 * generations live at the end of chapter N (of a try/ name, chapter N's own),
 * after every [replace] and [delete]. This filter renames every other
 * definition to "name [superseded]" rather than removing it, so that every
 * line of the pipeline stays and the line directives stay right;
 * nothing uses the new name, so nothing tangles it. Attributes come off the
 * names that stay. It checks nothing: nwcheck has checked the model.
 *
 * Usage: markup -t chapters... | nwreplace MODEL | nwtangle LIST
 * (MODEL: nwmodel's output for the same chapters)
 */
#include "nwmodel.h"

int main(int argc, char **argv)
{
    struct nw_model m;
    struct nw_pipe p;
    int c = 0;

    if (argc != 2)
        nw_die("usage: nwreplace MODEL < pipeline");
    nwm_read(argv[1], &m);
    nw_read(stdin, &p);
    for (size_t i = 0; i < p.n; i++) {
        if (!nw_is(p.tok[i].text, "@defn ")) {
            puts(p.tok[i].text);
            continue;
        }
        if (c >= m.nchunks)
            nw_die("nwreplace: the pipeline has more chunks than the model");
        const struct nwm_chunk *ch = &m.chunk[c++];
        printf("@defn %s%s\n", ch->name,
               nwm_in_snapshot(&m, ch->gen, m.nchapters - 1) ? "" : NW_SUPERSEDED);
    }
    if (c != m.nchunks)
        nw_die("nwreplace: the pipeline has fewer chunks than the model");
    return ferror(stdout) ? 2 : 0;
}
