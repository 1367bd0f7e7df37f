/* qemu-term: run a full-screen program, such as QEMU's curses display, with
 * a quit key that always works: Ctrl-A then X.
 *
 * Usage: qemu-term COMMAND [ARG...]
 *
 * QEMU's curses display takes every key for the machine, Ctrl-C included;
 * its own way out (Alt+2, then "quit") depends on the terminal sending Alt
 * as an Esc prefix, and Esc then 2 counts only within about 20 ms. So the
 * command runs here on a pseudo-terminal of its own, and every key goes
 * through to it except Ctrl-A, which starts a command, as on QEMU's serial
 * console (-serial mon:stdio):
 *
 *   Ctrl-A X        end the command (SIGTERM to its process group)
 *   Ctrl-A Ctrl-A   send one Ctrl-A
 *   Ctrl-A other    send both keys
 *
 * The terminal's size follows the real one. At the end the terminal is put
 * back as it was (modes, main screen, cursor shown), and qemu-term exits
 * with the command's status (128+N if signal N ended it), or 0 after
 * Ctrl-A X. When standard input is not a terminal, the command simply runs
 * in its place.
 */
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define KEY_PREFIX 0x01  /* Ctrl-A */

static volatile sig_atomic_t term_resized;

static void term_on_winch(int sig)
{
    (void)sig;
    term_resized = 1;
}

/* Writes all n bytes of buf to fd; returns 0, or -1 on an error. */
static int term_write_all(int fd, const char *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, buf, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        buf += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Passes the keys in buf to the command's terminal, acting on Ctrl-A
 * commands; *prefix says whether the last key was a Ctrl-A. Returns 1 when
 * the user asked to quit. */
static int term_keys(int master, const char *buf, size_t n, int *prefix)
{
    for (size_t i = 0; i < n; i++) {
        char c = buf[i];
        if (!*prefix) {
            if (c == KEY_PREFIX)
                *prefix = 1;
            else
                term_write_all(master, &c, 1);
            continue;
        }
        *prefix = 0;
        if (c == 'x' || c == 'X')
            return 1;
        if (c != KEY_PREFIX)
            term_write_all(master, (const char[]){ KEY_PREFIX }, 1);
        term_write_all(master, &c, 1);
    }
    return 0;
}

/* Copies between the real terminal and the command's until the command's
 * side closes; sends SIGTERM to the command on Ctrl-A X. Returns 1 if the
 * user quit so. */
static int term_relay(int master, pid_t child)
{
    int quit = 0;
    struct pollfd fds[2] = { { .fd = STDIN_FILENO, .events = POLLIN },
                             { .fd = master, .events = POLLIN } };
    char buf[4096];
    int prefix = 0;

    for (;;) {
        if (term_resized) {
            struct winsize ws;
            term_resized = 0;
            if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
                ioctl(master, TIOCSWINSZ, &ws);
        }
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            return quit;
        }
        if (fds[0].revents & POLLIN) {
            ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
            if (n > 0 && term_keys(master, buf, (size_t)n, &prefix)) {
                quit = 1;
                kill(-child, SIGTERM);
            }
        }
        if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = read(master, buf, sizeof buf);
            if (n <= 0)
                return quit;  /* EIO: every process on the terminal has gone */
            term_write_all(STDOUT_FILENO, buf, (size_t)n);
        }
    }
}

int main(int argc, char **argv)
{
    struct termios saved, raw;
    struct winsize ws;
    int master, status, quit;
    pid_t child;

    if (argc < 2) {
        fprintf(stderr, "usage: qemu-term COMMAND [ARG...]\n");
        return 2;
    }
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved) != 0) {
        execvp(argv[1], argv + 1);
        fprintf(stderr, "qemu-term: %s: %s\n", argv[1], strerror(errno));
        return 127;
    }
    if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) != 0)
        ws = (struct winsize){ .ws_row = 25, .ws_col = 80 };

    child = forkpty(&master, NULL, &saved, &ws);
    if (child < 0) {
        perror("qemu-term: forkpty");
        return 1;
    }
    if (child == 0) {
        execvp(argv[1], argv + 1);
        fprintf(stderr, "qemu-term: %s: %s\n", argv[1], strerror(errno));
        _exit(127);
    }

    signal(SIGWINCH, term_on_winch);
    raw = saved;
    cfmakeraw(&raw);
    tcsetattr(STDIN_FILENO, TCSADRAIN, &raw);  /* keys typed ahead go through */
    quit = term_relay(master, child);
    tcsetattr(STDIN_FILENO, TCSADRAIN, &saved);
    /* Leave the alternate screen, reset colours, show the cursor. */
    term_write_all(STDOUT_FILENO, "\033[?1049l\033[0m\033[?25h", 18);

    while (waitpid(child, &status, 0) < 0)
        if (errno != EINTR)
            return 1;
    if (quit)
        return 0;
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}
