// fbtext: reads the text off a screenshot of the framebuffer console.
//
// Usage: fbtext FONT.psf SCREEN.ppm > SCREEN.bin
//
// The framebuffer console (the chapter "Booting today's PCs") draws 80 x 25
// cells of 8 x 16 pixels at the top left of the screen, each a glyph of a
// PSF1 font in one of the VGA's sixteen colours on one of its first eight.
// fbtext renders the glyphs of printable ASCII and of the square (U+25A0,
// code page 437's 0xFE) from the font file, with its own parser, and
// matches every cell of the screenshot (a binary PPM, as QEMU's screendump
// writes) against them, pixel for pixel. It writes the cells as the VGA
// text buffer holds them, 4000 bytes of character and attribute, so that
// tests/qemu-test checks them as it checks the text mode's.
//
// A cell matches a glyph when every pixel the glyph sets has one colour of
// the palette and every other pixel another (or the same, for a blank).
// A cell whose last two rows are all its foreground colour carries the
// cursor: its other rows must match. A blank cell shows no foreground
// colour: it gets that of the cell before it on the row (light grey at the
// start of a row). A cell that matches nothing, or a screen smaller than
// 640 x 400, gives UNKNOWN (an inverted question mark) in black on black:
// no check of text can pass on it. Exit status: 0, or 2 on bad usage or
// an unreadable file (with a message on stderr).

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COLS 80
#define ROWS 25
#define GLYPH_W 8
#define GLYPH_H 16
#define CURSOR_ROWS 2
#define SQUARE 0xfe
#define SQUARE_UNICODE 0x25a0
#define UNKNOWN 0xa8            // code page 437's inverted question mark
#define DEFAULT_FG 7

static const uint32_t palette[16] = {
    0x000000, 0x0000aa, 0x00aa00, 0x00aaaa, 0xaa0000, 0xaa00aa, 0xaa5500, 0xaaaaaa,
    0x555555, 0x5555ff, 0x55ff55, 0x55ffff, 0xff5555, 0xff55ff, 0xffff55, 0xffffff,
};

static uint8_t glyphs[256][GLYPH_H];     // by cell byte
static int have_glyph[256];

static void die(const char *what, const char *file)
{
    fprintf(stderr, "fbtext: %s: %s\n", file, what);
    exit(2);
}

static unsigned char *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    unsigned char *data = NULL;
    size_t cap = 0, n = 0, got;

    if (f == NULL)
        die("cannot open", path);
    do {
        if (n == cap && (data = realloc(data, cap = cap ? 2 * cap : 1 << 20)) == NULL)
            die("out of memory", path);
        got = fread(data + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    fclose(f);
    *size = n;
    return data;
}

// PSF1: magic 36 04, mode (bit 0: 512 glyphs; bit 1: a Unicode table),
// height; the glyphs; per glyph, 16-bit code points up to FFFF (FFFE
// starts sequences).
static void load_font(const char *path)
{
    size_t size, at;
    unsigned char *d = slurp(path, &size);
    unsigned count, height, g = 0;
    int seq = 0;

    if (size < 4 || d[0] != 0x36 || d[1] != 0x04)
        die("not a PSF1 font", path);
    count = d[2] & 1 ? 512 : 256;
    height = d[3];
    if (height != GLYPH_H || !(d[2] & 2) || size < 4 + count * height)
        die("not a PSF1 font of 16-row glyphs with a Unicode table", path);
    for (at = 4 + count * height; at + 2 <= size && g < count; at += 2) {
        unsigned u = d[at] | d[at + 1] << 8, c;

        if (u == 0xffff) {
            g++;
            seq = 0;
            continue;
        }
        if (u == 0xfffe)
            seq = 1;
        if (seq)
            continue;
        c = u == SQUARE_UNICODE ? SQUARE : u;
        if (((c >= 0x20 && c <= 0x7e) || (c == SQUARE && u == SQUARE_UNICODE)) && !have_glyph[c]) {
            memcpy(glyphs[c], d + 4 + g * height, GLYPH_H);
            have_glyph[c] = 1;
        }
    }
    free(d);
}

struct image {
    unsigned w, h;
    const unsigned char *rgb;
};

// A binary PPM with maxval 255 (QEMU's screendump).
static struct image load_ppm(const char *path)
{
    size_t size;
    unsigned char *d = slurp(path, &size);
    unsigned w, h, max;
    int off = 0;
    struct image im;

    if (size < 2 || sscanf((char *)d, "P6 %u %u %u%n", &w, &h, &max, &off) != 3 || max != 255)
        die("not a binary PPM with maxval 255", path);
    off++;  // the one whitespace byte after maxval
    if ((size_t)off + (size_t)w * h * 3 > size)
        die("the PPM is cut short", path);
    im.w = w;
    im.h = h;
    im.rgb = d + off;
    return im;
}

static int colour_at(const struct image *im, unsigned x, unsigned y)
{
    const unsigned char *p = im->rgb + ((size_t)y * im->w + x) * 3;
    uint32_t rgb = (uint32_t)p[0] << 16 | p[1] << 8 | p[2];

    for (int i = 0; i < 16; i++)
        if (palette[i] == rgb)
            return i;
    return -1;
}

// The colours of a cell's pixels, as palette indexes (-1: none of them).
typedef int cell_pixels[GLYPH_H][GLYPH_W];

// Do rows 0..last of the cell show glyph c, set pixels in fg, others in bg?
static int shows(cell_pixels px, int c, int fg, int bg, unsigned last)
{
    for (unsigned y = 0; y <= last; y++)
        for (unsigned x = 0; x < GLYPH_W; x++)
            if (px[y][x] != (glyphs[c][y] & (0x80 >> x) ? fg : bg))
                return 0;
    return 1;
}

// Finds the character and colours of cell (row, col): returns the
// character (or -1), and sets *fg and *bg (*fg is -1 for a blank).
static int decode(const struct image *im, unsigned row, unsigned col, int *fg, int *bg)
{
    cell_pixels px;
    int colours[2], n = 0, cursor;

    for (unsigned y = 0; y < GLYPH_H; y++)
        for (unsigned x = 0; x < GLYPH_W; x++) {
            int k = px[y][x] = colour_at(im, col * GLYPH_W + x, row * GLYPH_H + y);

            if (k < 0)
                return -1;
            if (n == 0 || (colours[0] != k && (n == 1 || colours[1] != k))) {
                if (n == 2)
                    return -1;
                colours[n++] = k;
            }
        }
    // The cursor: the last rows all of one colour, which must be the
    // foreground of a glyph in the rows above.
    cursor = px[GLYPH_H - 1][0];
    for (unsigned y = GLYPH_H - CURSOR_ROWS; y < GLYPH_H; y++)
        for (unsigned x = 0; x < GLYPH_W; x++)
            if (px[y][x] != cursor)
                cursor = -1;
    for (int c = 0; c < 256; c++) {
        if (!have_glyph[c] || (n == 1 && c != ' '))
            continue;       // a one-colour cell is a blank or nothing we know
        for (int i = 0; i < n; i++) {
            int f = colours[i], b = colours[n - 1 - i];

            if (shows(px, c, f, b, GLYPH_H - 1) ||
                (cursor == f && shows(px, c, f, b, GLYPH_H - 1 - CURSOR_ROWS))) {
                *fg = n == 1 ? -1 : f;
                *bg = b;
                return c;
            }
        }
    }
    return -1;
}

int main(int argc, char **argv)
{
    static unsigned char cells[ROWS * COLS * 2];
    struct image im;

    if (argc != 3) {
        fprintf(stderr, "usage: fbtext FONT.psf SCREEN.ppm > SCREEN.bin\n");
        return 2;
    }
    load_font(argv[1]);
    im = load_ppm(argv[2]);
    for (unsigned r = 0; r < ROWS; r++) {
        int last_fg = DEFAULT_FG;

        for (unsigned c = 0; c < COLS; c++) {
            int fg = 0, bg = 0, ch = -1;

            if (im.w >= COLS * GLYPH_W && im.h >= ROWS * GLYPH_H)
                ch = decode(&im, r, c, &fg, &bg);
            if (ch < 0) {
                ch = UNKNOWN;
                fg = bg = 0;
            } else if (fg < 0) {
                fg = last_fg;
            }
            if (ch != ' ')
                last_fg = fg;
            cells[2 * (r * COLS + c)] = (unsigned char)ch;
            cells[2 * (r * COLS + c) + 1] = (unsigned char)(bg << 4 | fg);
        }
    }
    if (fwrite(cells, 1, sizeof cells, stdout) != sizeof cells)
        die("cannot write", "stdout");
    return 0;
}
