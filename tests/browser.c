/* browser: open every page of the HTML book in headless Chromium.
 *
 * Usage: browser BOOKDIR SHOTDIR PAGE CHROMIUM [FLAG...]
 *
 * Helper of tests/browser.sh (which builds it and chooses the flags). It runs
 * the CHROMIUM command line given plus --remote-debugging-pipe, in a process
 * group of its own, and speaks the DevTools protocol over that pipe: fd 3
 * carries our commands to Chromium, fd 4 its replies and events, each message
 * one JSON text ended by a NUL byte. No network port, no JSON library: a
 * command is built with snprintf and proper string escaping; a reply is the
 * message with the top-level "id":N, read by a small scanner that skips
 * whole values (so an "id" nested in an event never matches).
 *
 * For every .html file under BOOKDIR, at desktop width (1280 px) it checks:
 *   - no console error, uncaught exception or failed load (a missing image,
 *     stylesheet, ...);
 *   - every link and image in the page (a, img, link): a target inside
 *     BOOKDIR that exists and, for a #fragment in an HTML page, an element
 *     with that id; no link leaves the site (file:// outside BOOKDIR);
 *   - every image decoded (naturalWidth > 0);
 * and at phone width (390 px) that the page does not scroll sideways.
 * It saves PAGE (relative to BOOKDIR) at 1280 and 390 px as
 * SHOTDIR/desktop.png and SHOTDIR/phone.png, and in the dark theme as
 * SHOTDIR/desktop-dark.png and SHOTDIR/phone-dark.png. Chromium's standard
 * error goes to SHOTDIR/chromium.log.
 *
 * Prints one "PASS ..." or "FAIL ..." line per check; exits 1 if any failed.
 *
 * Bounded: every wait (a reply, a page's load event, a write) ends after
 * TIMEOUT seconds. A page that does not load is a FAIL naming it, and the
 * page is then reopened in a fresh tab; after MAX_TIMEOUTS timeouts in a row,
 * or if Chromium closes the pipe, the run stops with a FAIL. Chromium's whole
 * process group is killed at the end, and on SIGINT, SIGTERM or SIGHUP.
 */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TIMEOUT 30      /* seconds: any one wait */
#define MAX_TIMEOUTS 3  /* timeouts in a row before Chromium counts as hung */

/* ---- growing strings and string lists ------------------------------------ */

struct buf { char *s; size_t n, cap; };
struct strs { char **v; size_t n, cap; };

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) { puts("FAIL browser: out of memory"); exit(1); }
    return p;
}

static void buf_add(struct buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->s = xrealloc(b->s, b->cap);
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static void buf_puts(struct buf *b, const char *s) { buf_add(b, s, strlen(s)); }

static void buf_printf(struct buf *b, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof small) { buf_add(b, small, n); return; }
    char *big = xrealloc(NULL, n + 1);
    va_start(ap, fmt);
    vsnprintf(big, n + 1, fmt, ap);
    va_end(ap);
    buf_add(b, big, n);
    free(big);
}

/* buf_json: S as a JSON string, quotes and escapes included. */
static void buf_json(struct buf *b, const char *s)
{
    buf_puts(b, "\"");
    for (; *s; s++) {
        unsigned char c = *s;
        if (c == '"' || c == '\\') buf_printf(b, "\\%c", c);
        else if (c < 0x20) buf_printf(b, "\\u%04x", c);
        else buf_add(b, (const char *)&c, 1);
    }
    buf_puts(b, "\"");
}

static void buf_clear(struct buf *b) { b->n = 0; if (b->s) b->s[0] = '\0'; }
static const char *buf_str(const struct buf *b) { return b->s ? b->s : ""; }

static void strs_push(struct strs *l, char *s)   /* takes S */
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = s;
}

static void strs_free(struct strs *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* strs_sort: sorted by bytes (the order of code points), duplicates gone. */
static void strs_sort(struct strs *l)
{
    if (!l->n) return;
    qsort(l->v, l->n, sizeof *l->v, cmp_str);
    size_t k = 1;
    for (size_t i = 1; i < l->n; i++) {
        if (strcmp(l->v[i], l->v[k - 1])) l->v[k++] = l->v[i];
        else free(l->v[i]);
    }
    l->n = k;
}

static int strs_has(const struct strs *l, const char *s)   /* L sorted */
{
    return l->n && bsearch(&s, l->v, l->n, sizeof *l->v, cmp_str);
}

/* strs_join: the strings of L with SEP between them. */
static void strs_join(struct buf *b, const struct strs *l, const char *sep)
{
    for (size_t i = 0; i < l->n; i++) {
        if (i) buf_puts(b, sep);
        buf_puts(b, l->v[i]);
    }
}

/* ---- reading JSON: pointers into a message, values skipped whole --------- */

static const char *ws(const char *p)
{
    while (p && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
    return p;
}

static const char *skip_string(const char *p)   /* P at '"' */
{
    for (p++; *p && *p != '"'; p++)
        if (*p == '\\' && !*++p) return NULL;
    return *p ? p + 1 : NULL;
}

static const char *skip_value(const char *p)
{
    p = ws(p);
    if (!p || !*p) return NULL;
    if (*p == '"') return skip_string(p);
    if (*p != '{' && *p != '[') {
        const char *q = p;
        while (*q && strchr("+-.0123456789Eaeflnrstu", *q)) q++;
        return q > p ? q : NULL;
    }
    int depth = 0;
    do {
        if (*p == '"') { if (!(p = skip_string(p))) return NULL; continue; }
        if (*p == '{' || *p == '[') depth++;
        else if (*p == '}' || *p == ']') depth--;
        else if (!*p) return NULL;
        p++;
    } while (depth > 0);
    return p;
}

/* jkey: the value of KEY in the object at P (top level only), or NULL. */
static const char *jkey(const char *p, const char *key, size_t keylen)
{
    p = ws(p);
    if (!p || *p != '{') return NULL;
    for (p = ws(p + 1); p && *p == '"'; p = ws(p + 1)) {
        const char *end = skip_string(p);
        if (!end) return NULL;
        int match = (size_t)(end - p - 2) == keylen && !memcmp(p + 1, key, keylen);
        p = ws(end);
        if (*p != ':') return NULL;
        p = ws(p + 1);
        if (match) return p;
        p = ws(skip_value(p));
        if (!p || *p != ',') return NULL;
    }
    return NULL;
}

/* jget: the value at PATH ("params.entry.level") under P, or NULL. */
static const char *jget(const char *p, const char *path)
{
    while (p && *path) {
        size_t n = strcspn(path, ".");
        p = jkey(p, path, n);
        path += n + (path[n] == '.');
    }
    return p;
}

/* jfirst, jnext: the elements of the array at P. */
static const char *jfirst(const char *p)
{
    p = ws(p);
    if (!p || *p != '[') return NULL;
    p = ws(p + 1);
    return *p == ']' ? NULL : p;
}

static const char *jnext(const char *p)
{
    p = ws(skip_value(p));
    return p && *p == ',' ? ws(p + 1) : NULL;
}

static void put_utf8(struct buf *b, unsigned long c)
{
    char u[4];
    int n;
    if (c < 0x80) { u[0] = c; n = 1; }
    else if (c < 0x800) { u[0] = 0xc0 | c >> 6; n = 2; }
    else if (c < 0x10000) { u[0] = 0xe0 | c >> 12; n = 3; }
    else { u[0] = 0xf0 | c >> 18; n = 4; }
    for (int i = 1; i < n; i++) u[i] = 0x80 | ((c >> (6 * (n - 1 - i))) & 0x3f);
    buf_add(b, u, n);
}

static unsigned long hex4(const char *p)
{
    char h[5] = {0};
    for (int i = 0; i < 4 && p[i]; i++) h[i] = p[i];
    return strtoul(h, NULL, 16);
}

/* jstr: the JSON string at P decoded (malloc'd, UTF-8), or NULL. */
static char *jstr(const char *p)
{
    p = ws(p);
    if (!p || *p != '"' || !skip_string(p)) return NULL;
    struct buf b = {0};
    buf_add(&b, "", 0);
    for (p++; *p != '"'; p++) {
        if (*p != '\\') { buf_add(&b, p, 1); continue; }
        char c = *++p;
        const char *plain = strchr("\"\\/bfnrt", c);
        if (c != 'u' || !p[1] || !p[2] || !p[3] || !p[4]) {
            buf_add(&b, plain ? &"\"\\/\b\f\n\r\t"[plain - "\"\\/bfnrt"] : p, 1);
            continue;
        }
        unsigned long u = hex4(p + 1);
        p += 4;
        if (u >= 0xd800 && u < 0xdc00 && p[1] == '\\' && p[2] == 'u') {
            unsigned long lo = hex4(p + 3);
            if (lo >= 0xdc00 && lo < 0xe000) {
                u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
                p += 6;
            }
        }
        put_utf8(&b, u);
    }
    return b.s;
}

static int jstr_is(const char *p, const char *s)
{
    char *v = jstr(p);
    int is = v && !strcmp(v, s);
    free(v);
    return is;
}

/* jtext: the string at P decoded, else the JSON text of the value. */
static char *jtext(const char *p)
{
    char *s = jstr(p);
    const char *end = skip_value(p);
    if (s || !end) return s ? s : strdup("");
    p = ws(p);
    return strndup(p, end - p);
}

/* ---- base64 ---------------------------------------------------------------- */

static int b64val(int c)
{
    static const char abc[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *p = c ? strchr(abc, c) : NULL;
    return p ? (int)(p - abc) : -1;
}

/* b64decode: decodes S into OUT (at least 3/4 of strlen(S)); its length. */
static size_t b64decode(const char *s, unsigned char *out)
{
    size_t n = 0;
    unsigned long acc = 0;
    int bits = 0;
    for (; *s && *s != '='; s++) {
        int v = b64val((unsigned char)*s);
        if (v < 0) continue;
        acc = acc << 6 | v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[n++] = acc >> bits & 0xff;
        }
    }
    return n;
}

/* ---- time ------------------------------------------------------------------ */

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int ms_left(double deadline)
{
    double left = deadline - now();
    return left <= 0 ? 0 : (int)(left * 1000) + 1;
}

/* ---- Chromium over the pipe ------------------------------------------------ */

struct browser {
    pid_t pid;          /* also its process group */
    int w, r;           /* our ends: commands out, replies in */
    struct buf in;      /* bytes read, not yet a whole message */
    char *reply;        /* the last reply to a command */
    int next_id;
    char session[128];
    char target[128];
    int dead;           /* the pipe closed, or too many timeouts */
    int timeouts;       /* in a row */
    char err[512];      /* why the last call or wait failed */
    /* the state of the page being checked */
    int loaded;
    struct strs errors;
    /* the emulation, applied again to a fresh tab */
    int width, mobile, dark;
};

static volatile sig_atomic_t chromium_group;

static void on_signal(int sig)
{
    if (chromium_group > 0) kill(-chromium_group, SIGKILL);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* child: in the forked child; R (fd 3) and W (fd 4), nothing else. */
static void child(char **argv, int r, int w, int log)
{
    setpgid(0, 0);
    signal(SIGPIPE, SIG_DFL);
    int a = fcntl(r, F_DUPFD, 10), b = fcntl(w, F_DUPFD, 10);
    int null = open("/dev/null", O_RDWR);
    if (a < 0 || b < 0 || null < 0) _exit(127);
    dup2(null, 0);
    dup2(null, 1);
    dup2(log, 2);
    dup2(a, 3);
    dup2(b, 4);
    long max = sysconf(_SC_OPEN_MAX);
    for (int fd = 5; fd < (max > 0 && max < 65536 ? max : 65536); fd++) close(fd);
    execvp(argv[0], argv);
    fprintf(stderr, "browser: cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

static int spawn(struct browser *b, char **argv, int log)
{
    int in[2], out[2];   /* in: we write, Chromium reads; out: the reverse */
    if (pipe(in) || pipe(out)) return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(in[i], F_SETFD, FD_CLOEXEC);
        fcntl(out[i], F_SETFD, FD_CLOEXEC);
    }
    b->pid = fork();
    if (b->pid < 0) return -1;
    if (b->pid == 0) child(argv, in[0], out[1], log);
    setpgid(b->pid, b->pid);
    chromium_group = b->pid;
    close(in[0]);
    close(out[1]);
    b->w = in[1];
    b->r = out[0];
    fcntl(b->w, F_SETFL, O_NONBLOCK);
    return 0;
}

static void fail_call(struct browser *b, const char *fmt, const char *what)
{
    snprintf(b->err, sizeof b->err, fmt, what);
    if (++b->timeouts >= MAX_TIMEOUTS) b->dead = 1;
}

static void lost(struct browser *b, const char *why)
{
    snprintf(b->err, sizeof b->err, "%s", why);
    b->dead = 1;
}

static int write_all(struct browser *b, const char *s, size_t n, double deadline)
{
    while (n > 0) {
        struct pollfd p = { b->w, POLLOUT, 0 };
        if (poll(&p, 1, ms_left(deadline)) <= 0) {
            fail_call(b, "Chromium took no command in %s s", "30");
            return -1;
        }
        ssize_t k = write(b->w, s, n);
        if (k < 0 && errno != EAGAIN && errno != EINTR) {
            lost(b, "Chromium closed the DevTools pipe");
            return -1;
        }
        if (k > 0) { s += k; n -= k; }
    }
    return 0;
}

/* read_message: the next whole message (malloc'd), or NULL at DEADLINE. */
static char *read_message(struct browser *b, double deadline)
{
    char *nul;
    while (!b->in.s || !(nul = memchr(b->in.s, '\0', b->in.n))) {
        struct pollfd p = { b->r, POLLIN, 0 };
        int ready = poll(&p, 1, ms_left(deadline));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) return NULL;
        char chunk[65536];
        ssize_t k = read(b->r, chunk, sizeof chunk);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) { lost(b, "Chromium closed the DevTools pipe"); return NULL; }
        buf_add(&b->in, chunk, k);
    }
    char *msg = strdup(b->in.s);
    size_t used = nul - b->in.s + 1;
    memmove(b->in.s, nul + 1, b->in.n - used + 1);
    b->in.n -= used;
    return msg;
}

/* console_error: a console.error or console.assert call, as one line. */
static void console_error(struct buf *e, const char *params)
{
    const char *sep = "console: ";
    for (const char *a = jfirst(jget(params, "args")); a; a = jnext(a)) {
        const char *v = jkey(a, "value", 5);
        char *s = jtext(v ? v : jkey(a, "description", 11));
        buf_puts(e, sep);
        buf_puts(e, s);
        sep = " ";
        free(s);
    }
    if (!e->n) buf_puts(e, "console:");
}

/* event_error: the error an event reports, into E (left empty if none). */
static void event_error(struct buf *e, const char *method, const char *p)
{
    char *a = NULL, *c = NULL;
    if (!strcmp(method, "Runtime.consoleAPICalled")) {
        if (jstr_is(jget(p, "type"), "error") || jstr_is(jget(p, "type"), "assert"))
            console_error(e, p);
    } else if (!strcmp(method, "Runtime.exceptionThrown")) {
        a = jtext(jget(p, "exceptionDetails.text"));
        c = jstr(jget(p, "exceptionDetails.exception.description"));
        if (c) c[strcspn(c, "\n")] = '\0';   /* the message, not the stack */
        buf_printf(e, "exception: %s%s%s", a, c ? " " : "", c ? c : "");
    } else if (!strcmp(method, "Log.entryAdded")) {
        if (jstr_is(jget(p, "entry.level"), "error")) {
            a = jtext(jget(p, "entry.text"));
            c = jtext(jget(p, "entry.url"));
            buf_printf(e, "log: %s %s", a, c);
        }
    } else if (!strcmp(method, "Network.loadingFailed")) {
        a = jtext(jget(p, "errorText"));
        buf_printf(e, "failed load: %s", a);
    }
    free(a);
    free(c);
}

static void on_event(struct browser *b, const char *msg)
{
    char *method = jstr(jkey(msg, "method", 6));
    if (!method) return;
    if (!strcmp(method, "Page.loadEventFired")) b->loaded = 1;
    struct buf e = {0};
    event_error(&e, method, jkey(msg, "params", 6));
    if (e.n) strs_push(&b->errors, e.s);
    else free(e.s);
    free(method);
}

/* dispatch: handles MSG; 1 if it is the reply with id ID. */
static int dispatch(struct browser *b, char *msg, int id)
{
    const char *idv = jkey(msg, "id", 2);
    if (idv && atoi(idv) == id) {
        free(b->reply);
        b->reply = msg;
        return 1;
    }
    if (!idv) on_event(b, msg);
    free(msg);
    return 0;
}

/* call: sends METHOD with PARAMS (a JSON object or NULL), in the page's
 * session if SESSION; the "result" of the reply, or NULL (reason in err). */
static const char *call(struct browser *b, const char *method, const char *params,
                        int session)
{
    if (b->dead) return NULL;
    struct buf m = {0};
    buf_printf(&m, "{\"id\":%d,\"method\":", ++b->next_id);
    buf_json(&m, method);
    buf_printf(&m, ",\"params\":%s", params ? params : "{}");
    if (session && b->session[0]) {
        buf_puts(&m, ",\"sessionId\":");
        buf_json(&m, b->session);
    }
    buf_add(&m, "}", 2);   /* the closing brace and the NUL that ends it */
    double deadline = now() + TIMEOUT;
    int sent = write_all(b, m.s, m.n, deadline) == 0;
    free(m.s);
    if (!sent) return NULL;
    for (;;) {
        char *msg = read_message(b, deadline);
        if (!msg) {
            if (!b->dead) fail_call(b, "no answer to %s in 30 s", method);
            return NULL;
        }
        if (dispatch(b, msg, b->next_id)) break;
    }
    b->timeouts = 0;
    const char *err = jkey(b->reply, "error", 5);
    if (err) {
        char *text = jtext(jget(err, "message"));
        snprintf(b->err, sizeof b->err, "%s: %s", method, text);
        free(text);
        return NULL;
    }
    const char *r = jkey(b->reply, "result", 6);
    return r ? r : "{}";
}

/* wait_load: 0 once the page's load event has come, -1 after TIMEOUT. */
static int wait_load(struct browser *b)
{
    double deadline = now() + TIMEOUT;
    while (!b->loaded && !b->dead) {
        char *msg = read_message(b, deadline);
        if (!msg) {
            if (!b->dead) fail_call(b, "no load event in %s s", "30");
            return -1;
        }
        dispatch(b, msg, -1);
    }
    return b->dead ? -1 : 0;
}

/* copy_str: the string at path PATH of R into OUT[N]; 0, or -1 if none. */
static int copy_str(const char *r, const char *path, char *out, size_t n)
{
    char *s = jstr(jget(r, path));
    if (!s || strlen(s) >= n) { free(s); return -1; }
    strcpy(out, s);
    free(s);
    return 0;
}

static int set_metrics(struct browser *b, int width, int mobile)
{
    char p[160];
    snprintf(p, sizeof p, "{\"width\":%d,\"height\":%d,\"deviceScaleFactor\":1,"
             "\"mobile\":%s}", width, mobile ? 844 : 900, mobile ? "true" : "false");
    b->width = width;
    b->mobile = mobile;
    return call(b, "Emulation.setDeviceMetricsOverride", p, 1) ? 0 : -1;
}

static int set_dark(struct browser *b, int dark)
{
    char p[160];
    snprintf(p, sizeof p, "{\"features\":[{\"name\":\"prefers-color-scheme\","
             "\"value\":\"%s\"}]}", dark ? "dark" : "light");
    b->dark = dark;
    return call(b, "Emulation.setEmulatedMedia", p, 1) ? 0 : -1;
}

/* open_tab: a fresh tab (closing the old one), attached, with the domains
 * enabled and the current emulation; 0, or -1 (reason in err). */
static int open_tab(struct browser *b)
{
    struct buf p = {0};
    if (b->target[0]) {
        buf_puts(&p, "{\"targetId\":");
        buf_json(&p, b->target);
        buf_puts(&p, "}");
        call(b, "Target.closeTarget", p.s, 0);
        buf_clear(&p);
    }
    b->session[0] = b->target[0] = '\0';
    const char *r = call(b, "Target.createTarget", "{\"url\":\"about:blank\"}", 0);
    if (r && copy_str(r, "targetId", b->target, sizeof b->target) == 0) {
        buf_puts(&p, "{\"flatten\":true,\"targetId\":");
        buf_json(&p, b->target);
        buf_puts(&p, "}");
        r = call(b, "Target.attachToTarget", p.s, 0);
    }
    free(p.s);
    if (!r || copy_str(r, "sessionId", b->session, sizeof b->session)) return -1;
    static const char *const domains[] = {
        "Page.enable", "Runtime.enable", "Log.enable", "Network.enable" };
    for (size_t i = 0; i < sizeof domains / sizeof *domains; i++)
        if (!call(b, domains[i], NULL, 1)) return -1;
    if (b->width && set_metrics(b, b->width, b->mobile)) return -1;
    return set_dark(b, b->dark);
}

/* stop: closes Chromium politely (waiting up to 10 s for it to exit), then
 * kills its whole process group. */
static void stop(struct browser *b)
{
    if (b->pid <= 0) return;
    int status, polite = !b->dead && !b->timeouts && call(b, "Browser.close", NULL, 0);
    double deadline = now() + (polite ? 10 : 0);
    pid_t done;
    while ((done = waitpid(b->pid, &status, WNOHANG)) == 0 && now() < deadline) {
        struct timespec t = { 0, 50 * 1000 * 1000 };
        nanosleep(&t, NULL);
    }
    kill(-b->pid, SIGKILL);
    if (done == 0) waitpid(b->pid, &status, 0);
    chromium_group = 0;
    b->pid = 0;
    close(b->w);
    close(b->r);
}

/* ---- the site -------------------------------------------------------------- */

static struct strs pages;   /* every .html under the book, relative, sorted */
static size_t bookdir_len;

static int add_page(const char *path, const struct stat *st, int type, struct FTW *f)
{
    (void)st;
    (void)f;
    struct stat target;
    size_t n = strlen(path);
    int file = type == FTW_F ||
        (type == FTW_SL && (stat(path, &target) || !S_ISDIR(target.st_mode)));
    if (file && n > 5 && !strcmp(path + n - 5, ".html") && n > bookdir_len)
        strs_push(&pages, strdup(path + bookdir_len + 1));
    return 0;
}

static void find_pages(const char *book)
{
    bookdir_len = strlen(book);
    nftw(book, add_page, 32, FTW_PHYS);
    strs_sort(&pages);
}

/* url_of: file:// and the path, percent-quoted but for "/" and _.-~. */
static void url_of(struct buf *u, const char *path)
{
    buf_puts(u, "file://");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
            (*p >= '0' && *p <= '9') || strchr("/_.-~", *p))
            buf_add(u, (const char *)p, 1);
        else
            buf_printf(u, "%%%02X", *p);
    }
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    c |= 0x20;
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* unquote: S[0..N) with %XX decoded (malloc'd). */
static char *unquote(const char *s, size_t n)
{
    char *out = xrealloc(NULL, n + 1), *o = out;
    for (const char *end = s + n; s < end; s++) {
        int hi = end - s > 2 && *s == '%' ? hexval(s[1]) : -1;
        int lo = hi >= 0 ? hexval(s[2]) : -1;
        if (lo >= 0) { *o++ = (char)(hi << 4 | lo); s += 2; }
        else *o++ = *s;
    }
    *o = '\0';
    return out;
}

/* ---- one page -------------------------------------------------------------- */

/* What the probe collects in a page: ids, links (resolved), images that
 * failed to decode, and whether the page is wider than the window. */
static const char PROBE[] =
"({\n"
"  ids: Array.from(document.querySelectorAll('[id]'), e => e.id)\n"
"        .concat(Array.from(document.querySelectorAll('a[name]'), e => e.name)),\n"
"  links: Array.from(document.querySelectorAll('a[href], link[href], img[src]'),\n"
"        e => e.href || e.src),\n"
"  badimages: Array.from(document.images).filter(i => !i.complete || i.naturalWidth == 0)\n"
"        .map(i => i.src),\n"
"  overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,\n"
"  wide: Array.from(document.querySelectorAll('body *')).filter(e =>\n"
"        e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 &&\n"
"        !e.closest('pre') && !(e.parentElement && e.parentElement.getBoundingClientRect().right >\n"
"                                document.documentElement.clientWidth + 1))\n"
"        .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') +\n"
"                         ' \"' + e.textContent.slice(0, 40) + '\"'),\n"
"  title: document.title\n"
"})";

struct info {
    int ok;                 /* loaded and probed */
    struct strs ids;        /* sorted */
    struct strs links;      /* sorted, unique */
    struct strs badimages;
    struct strs wide;
    long overflow;
};

static void info_free(struct info *in)
{
    strs_free(&in->ids);
    strs_free(&in->links);
    strs_free(&in->badimages);
    strs_free(&in->wide);
    in->ok = 0;
}

static void get_strs(struct strs *l, const char *value, const char *key)
{
    for (const char *e = jfirst(jget(value, key)); e; e = jnext(e))
        strs_push(l, jtext(e));
}

static int parse_probe(struct info *in, const char *r)
{
    const char *v = jget(r, "result.value");
    if (!v || *v != '{') return -1;
    get_strs(&in->ids, v, "ids");
    get_strs(&in->links, v, "links");
    get_strs(&in->badimages, v, "badimages");
    get_strs(&in->wide, v, "wide");
    in->overflow = strtol(jget(v, "overflow") ? jget(v, "overflow") : "0", NULL, 10);
    strs_sort(&in->ids);
    strs_sort(&in->links);
    in->ok = 1;
    return 0;
}

/* load: opens PAGE, waits for its load event and probes it into IN; 0, or -1
 * with the reason in b->err (and, after a timeout, in a fresh tab). */
static int load(struct browser *b, const char *book, const char *page, struct info *in)
{
    struct buf u = {0}, p = {0};
    buf_printf(&p, "%s/%s", book, page);
    url_of(&u, p.s);
    buf_clear(&p);
    buf_puts(&p, "{\"url\":");
    buf_json(&p, u.s);
    buf_puts(&p, "}");
    strs_free(&b->errors);
    b->loaded = 0;
    int ok = call(b, "Page.navigate", p.s, 1) && wait_load(b) == 0 &&
             call(b, "Runtime.evaluate", "{\"expression\":\"1\"}", 1);
    buf_clear(&p);
    buf_puts(&p, "{\"returnByValue\":true,\"expression\":");
    buf_json(&p, PROBE);
    buf_puts(&p, "}");
    const char *r = ok ? call(b, "Runtime.evaluate", p.s, 1) : NULL;
    if (r && parse_probe(in, r)) {
        char *why = jtext(jget(r, "exceptionDetails.exception.description"));
        snprintf(b->err, sizeof b->err, "probe failed: %s", why);
        free(why);
    }
    free(u.s);
    free(p.s);
    if (in->ok) return 0;
    char why[sizeof b->err];
    memcpy(why, b->err, sizeof why);
    if (!b->dead) open_tab(b);
    memcpy(b->err, why, sizeof why);
    return -1;
}

/* ---- the checks ------------------------------------------------------------ */

static int failed;

/* result: one line per check (a newline in WHAT becomes a space). */
static void result(int ok, const char *what)
{
    printf("%s browser: ", ok ? "PASS" : "FAIL");
    for (; *what; what++) putchar(*what == '\n' || *what == '\r' ? ' ' : *what);
    putchar('\n');
    fflush(stdout);
    failed |= !ok;
}

/* check_loads: the first pass, at desktop width; fills INFO. */
static void check_loads(struct browser *b, const char *book, struct info *info)
{
    struct buf line = {0};
    for (size_t i = 0; i < pages.n && !b->dead; i++) {
        int ok = load(b, book, pages.v[i], &info[i]) == 0;
        if (!ok) strs_push(&b->errors, strdup(b->err));
        buf_clear(&line);
        buf_printf(&line, "%s: no console error or failed load", pages.v[i]);
        if (b->errors.n) buf_puts(&line, ": ");
        strs_join(&line, &b->errors, "; ");
        result(!b->errors.n, line.s);
        if (!ok) continue;
        buf_clear(&line);
        buf_printf(&line, "%s: every image shows", pages.v[i]);
        if (info[i].badimages.n) buf_puts(&line, ": ");
        strs_join(&line, &info[i].badimages, " ");
        result(!info[i].badimages.n, line.s);
    }
    free(line.s);
}

/* is_page_id: FRAG (quoted) names an element of the page REL. */
static int is_page_id(const struct info *info, const char *rel, const char *frag)
{
    const char *key = rel;
    char **hit = pages.n ? bsearch(&key, pages.v, pages.n, sizeof *pages.v, cmp_str) : NULL;
    char *id = unquote(frag, strlen(frag));
    int is = hit && strs_has(&info[hit - pages.v].ids, id);
    free(id);
    return is;
}

/* check_file_link: a file: URL's problem, into BAD (nothing if none). */
static void check_file_link(struct buf *bad, const char *book, const char *link,
                            const struct info *info)
{
    const char *p = link + 5;   /* after "file:" */
    if (!strncmp(p, "//", 2)) p += strcspn(p + 2, "/") + 2;
    size_t n = strcspn(p, "?#");
    const char *hash = strchr(p, '#');
    char *path = unquote(p, n), real[PATH_MAX];
    const char *full = realpath(path, real) ? real : path;
    size_t bl = strlen(book);
    const char *rel = !strcmp(full, book) ? "." :
        !strncmp(full, book, bl) && full[bl] == '/' ? full + bl + 1 : NULL;
    struct stat st;
    size_t rl = rel ? strlen(rel) : 0;
    if (!rel)
        buf_printf(bad, " %s (outside the site)", full);
    else if (stat(full, &st) || !S_ISREG(st.st_mode))
        buf_printf(bad, " %s (no file)", rel);
    else if (hash && hash[1] && rl > 5 && !strcmp(rel + rl - 5, ".html") &&
             !is_page_id(info, rel, hash + 1))
        buf_printf(bad, " %s%s (no such id)", rel, hash);
    free(path);
}

static void check_link(struct buf *bad, const char *book, const char *link,
                       const struct info *info)
{
    size_t n = strcspn(link, ":");
    char scheme[16] = "";
    if (link[n] == ':' && n < sizeof scheme)
        for (size_t i = 0; i < n; i++) scheme[i] = link[i] | 0x20;   /* lower */
    if (!strcmp(scheme, "http") || !strcmp(scheme, "https") ||
        !strcmp(scheme, "mailto") || !strcmp(scheme, "data"))
        return;
    if (strcmp(scheme, "file")) buf_printf(bad, " %s (scheme)", link);
    else check_file_link(bad, book, link, info);
}

static void check_links(const char *book, const struct info *info)
{
    struct buf line = {0}, bad = {0};
    for (size_t i = 0; i < pages.n; i++) {
        if (!info[i].ok) continue;
        buf_clear(&bad);
        for (size_t k = 0; k < info[i].links.n; k++)
            check_link(&bad, book, info[i].links.v[k], info);
        buf_clear(&line);
        buf_printf(&line, "%s: every link and image resolves%s%s", pages.v[i],
                   bad.n ? ":" : "", buf_str(&bad));
        result(!bad.n, line.s);
    }
    free(line.s);
    free(bad.s);
}

/* check_phone: the second pass, at phone width. */
static void check_phone(struct browser *b, const char *book)
{
    struct buf line = {0};
    if (set_metrics(b, 390, 1)) return;
    for (size_t i = 0; i < pages.n && !b->dead; i++) {
        struct info in = {0};
        buf_clear(&line);
        buf_printf(&line, "%s: no sideways scroll at 390 px", pages.v[i]);
        if (load(b, book, pages.v[i], &in)) {
            buf_printf(&line, ": %s", b->err);
        } else if (in.overflow > 0) {
            buf_printf(&line, " (%ld px too wide: ", in.overflow);
            strs_join(&line, &in.wide, "; ");
            buf_puts(&line, ")");
        }
        result(in.ok && in.overflow <= 0, line.s);
        info_free(&in);
    }
    free(line.s);
}

/* save: the base64 data of R into FILE (through FILE.tmp); its size. */
static long save(const char *r, const char *file)
{
    char *data = jstr(jget(r, "data"));
    if (!data) return -1;
    unsigned char *png = xrealloc(NULL, strlen(data) / 4 * 3 + 3);
    size_t n = b64decode(data, png);
    free(data);
    struct buf tmp = {0};
    buf_printf(&tmp, "%s.tmp", file);
    FILE *f = fopen(tmp.s, "wb");
    int ok = f && fwrite(png, 1, n, f) == n;
    if (f && fclose(f)) ok = 0;
    free(png);
    if (!ok || rename(tmp.s, file)) remove(tmp.s);
    free(tmp.s);
    return ok ? (long)n : -1;
}

static void screenshot(struct browser *b, const char *book, const char *page,
                       const char *shots, const char *name)
{
    struct buf file = {0}, what = {0};
    buf_printf(&file, "%s/%s%s.png", shots, name, b->dark ? "-dark" : "");
    buf_printf(&what, "screenshot %s", file.s);
    struct info in = {0};
    const char *r = NULL;
    if (load(b, book, page, &in) == 0)
        r = call(b, "Page.captureScreenshot", "{\"format\":\"png\"}", 1);
    long size = r ? save(r, file.s) : -1;
    if (!r) buf_printf(&what, ": %s", b->err);
    else if (size < 0) buf_printf(&what, ": cannot write it: %s", strerror(errno));
    result(size > 1000, what.s);
    info_free(&in);
    free(file.s);
    free(what.s);
}

static void screenshots(struct browser *b, const char *book, const char *page,
                        const char *shots)
{
    for (int dark = 0; dark < 2 && !b->dead; dark++) {
        set_dark(b, dark);
        set_metrics(b, 1280, 0);
        screenshot(b, book, page, shots, "desktop");
        set_metrics(b, 390, 1);
        screenshot(b, book, page, shots, "phone");
    }
}

/* ---- main ------------------------------------------------------------------ */

static void mkdirs(const char *dir)
{
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s", dir);
    for (char *s = p + 1; *s; s++)
        if (*s == '/') { *s = '\0'; mkdir(p, 0777); *s = '/'; }
    mkdir(p, 0777);
}

/* chromium_argv: CHROMIUM [FLAG...] --remote-debugging-pipe, NULL-ended. */
static char **chromium_argv(int argc, char **argv)
{
    char **v = xrealloc(NULL, (argc - 4 + 2) * sizeof *v);
    int n = 0;
    for (int i = 4; i < argc; i++) v[n++] = argv[i];
    v[n++] = "--remote-debugging-pipe";
    v[n] = NULL;
    return v;
}

static void on_signals(void)
{
    signal(SIGPIPE, SIG_IGN);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGHUP, on_signal);
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: browser BOOKDIR SHOTDIR PAGE CHROMIUM [FLAG...]\n");
        return 2;
    }
    char book[PATH_MAX], log_name[PATH_MAX];
    const char *shots = argv[2], *shotpage = argv[3];
    if (!realpath(argv[1], book)) { printf("FAIL browser: no %s\n", argv[1]); return 1; }
    mkdirs(shots);
    find_pages(book);
    snprintf(log_name, sizeof log_name, "%s/chromium.log", shots);
    int log = open(log_name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    on_signals();
    struct browser b = {0};
    char **cargv = chromium_argv(argc, argv);
    if (log < 0 || spawn(&b, cargv, log)) {
        printf("FAIL browser: cannot start %s: %s\n", argv[4], strerror(errno));
        return 1;
    }
    struct info *info = xrealloc(NULL, (pages.n + 1) * sizeof *info);
    memset(info, 0, (pages.n + 1) * sizeof *info);
    if (open_tab(&b) == 0 && set_metrics(&b, 1280, 0) == 0) {
        check_loads(&b, book, info);
        check_links(book, info);
        check_phone(&b, book);
        screenshots(&b, book, shotpage, shots);
    }
    if (b.dead || !b.session[0]) {
        printf("FAIL browser: Chromium: %s (see %s)\n", b.err, log_name);
        failed = 1;
    }
    stop(&b);
    char what[64];
    snprintf(what, sizeof what, "opened %zu pages", pages.n);
    result(pages.n > 0, what);
    for (size_t i = 0; i < pages.n; i++) info_free(&info[i]);
    free(info);
    free(cargv);
    strs_free(&pages);
    strs_free(&b.errors);
    free(b.in.s);
    free(b.reply);
    close(log);
    return failed;
}
