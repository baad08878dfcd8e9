/* termcheck -- does the terminal on stdin keep Linux's termios rules?
 *
 * A diagnostic program driven by a person or a test at the keyboard: it
 * says what to type ("raw: type 5 keys"), reads, and prints what it got,
 * one line per step, in words that do not depend on the machine:
 *
 *   settings   the settings it found (TCGETS)
 *   raw        TCSETSF to raw mode (cfmakeraw: no echo, no signals, bytes
 *              at once), five keys read one read() each, shown in hex
 *   nonblock   O_NONBLOCK with nothing typed: EAGAIN
 *   timeout    VMIN=0 VTIME=3 with nothing typed: 0 bytes after ~0.3 s
 *   immediate  VMIN=0 VTIME=0: 0 bytes at once
 *   fionread   FIONREAD after three keys, then the bytes
 *   interbyte  VMIN=5 VTIME=2: two keys, then the timer ends the read
 *   vmin       VMIN=3 VTIME=0: a read waits for all three of 1 + 2 keys
 *   winsize    TIOCSWINSZ to 40x100 and TIOCGWINSZ reads it back; a
 *              change (not the same size again) sends SIGWINCH
 *   canon      the first settings again: FIONREAD counts only a finished
 *              line, read() gives that line, TCFLSH drops the rest
 *   signal     ^C is SIGINT; a read() it interrupts fails with EINTR, or,
 *              with SA_RESTART, goes on and gets the next line
 *   restored   the first settings are back (TCSETS, then TCGETS)
 *
 * In raw mode output is not processed, so every line ends in "\r\n" itself.
 * Exit status: 0, or 1 when a call failed (the line says which); 2 for a
 * usage error. It runs on a Linux terminal (the reference) and on our
 * console, which must agree.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

/* The i386 kernel's struct termios and struct winsize, and the requests
 * (include/uapi/asm-generic/termbits.h, ioctls.h). */
struct kernel_termios {
    unsigned int iflag, oflag, cflag, lflag;
    unsigned char line;
    unsigned char cc[19];
};
struct window_size {
    unsigned short rows, columns, x_pixels, y_pixels;
};
enum {
    REQUEST_TCGETS = 0x5401, REQUEST_TCSETS = 0x5402, REQUEST_TCSETSF = 0x5404, REQUEST_TCFLSH = 0x540B,
    REQUEST_TIOCGWINSZ = 0x5413, REQUEST_TIOCSWINSZ = 0x5414, REQUEST_FIONREAD = 0x541B,
};
enum { CC_VTIME = 5, CC_VMIN = 6 };
/* c_iflag, c_oflag, c_lflag bits cfmakeraw(3) clears. */
#define RAW_IFLAG_OFF 0x5ebu /* IGNBRK BRKINT PARMRK ISTRIP INLCR IGNCR ICRNL IXON */
#define RAW_OFLAG_OFF 0x1u   /* OPOST */
#define RAW_LFLAG_OFF 0x804bu /* ECHO ECHONL ICANON ISIG IEXTEN */

const char *program_name = "termcheck";
static int failures;
static volatile int interrupts;

static void say(const char *text)
{
    write(1, text, strlen(text));
    write(1, "\r\n", 2);
}

static void fail(const char *what)
{
    char line[160];
    snprintf(line, sizeof line, "FAIL %s: %s", what, strerror(errno));
    say(line);
    failures++;
}

static long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

static void sleep_ms(long ms)
{
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&t, NULL);
}

static void set_timing(struct kernel_termios *settings, int vmin, int vtime)
{
    settings->cc[CC_VMIN] = (unsigned char)vmin;
    settings->cc[CC_VTIME] = (unsigned char)vtime;
    if (ioctl(0, REQUEST_TCSETS, settings) != 0)
        fail("TCSETS");
}

/* Waits (at most 20 s) until FIONREAD reports `count` bytes. */
static int wait_for_bytes(int count)
{
    int available = 0;
    for (long start = now_ms(); now_ms() - start < 20000; sleep_ms(50)) {
        if (ioctl(0, REQUEST_FIONREAD, &available) != 0) {
            fail("FIONREAD");
            return -1;
        }
        if (available >= count)
            break;
    }
    sleep_ms(300); /* anything more that was coming has come */
    ioctl(0, REQUEST_FIONREAD, &available);
    return available;
}

static void hex_line(const char *label, const unsigned char *bytes, int count)
{
    char line[160];
    int used = snprintf(line, sizeof line, "%s %d bytes", label, count);
    for (int i = 0; i < count && used < (int)sizeof line - 4; i++)
        used += snprintf(line + used, sizeof line - used, " %02x", bytes[i]);
    say(line);
}

static void check_raw_keys(struct kernel_termios raw)
{
    raw.cc[CC_VMIN] = 1;
    raw.cc[CC_VTIME] = 0;
    if (ioctl(0, REQUEST_TCSETSF, &raw) != 0)
        fail("TCSETSF");
    say("raw: type 5 keys");
    unsigned char keys[5];
    int got = 0;
    while (got < 5) {
        ssize_t n = read(0, keys + got, 1);
        if (n != 1) {
            fail("raw read");
            break;
        }
        got++;
    }
    hex_line("raw: got", keys, got);
}

static void check_nonblocking(void)
{
    int flags = fcntl(0, F_GETFL);
    fcntl(0, F_SETFL, flags | O_NONBLOCK);
    char byte;
    ssize_t n = read(0, &byte, 1);
    int error = errno;
    fcntl(0, F_SETFL, flags);
    say(n < 0 && error == EAGAIN ? "nonblock: EAGAIN" : "nonblock: FAIL, read did not say EAGAIN");
}

static void check_timeouts(struct kernel_termios *raw)
{
    char buffer[16], line[80];
    set_timing(raw, 0, 3);
    long start = now_ms();
    ssize_t n = read(0, buffer, sizeof buffer);
    long waited = now_ms() - start;
    if (waited >= 250 && waited < 2500)
        snprintf(line, sizeof line, "timeout: %d bytes after about 0.3 s", (int)n);
    else
        snprintf(line, sizeof line, "timeout: %d bytes after %ld ms", (int)n, waited);
    say(line);
    set_timing(raw, 0, 0);
    start = now_ms();
    n = read(0, buffer, sizeof buffer);
    snprintf(line, sizeof line, "immediate: %d bytes%s", (int)n, now_ms() - start < 200 ? " at once" : " late");
    say(line);
}

static void check_fionread(struct kernel_termios *raw)
{
    unsigned char buffer[16];
    char line[80];
    set_timing(raw, 0, 0);
    say("fionread: type 3 keys");
    int available = wait_for_bytes(3);
    snprintf(line, sizeof line, "fionread: %d", available);
    say(line);
    ssize_t n = read(0, buffer, sizeof buffer);
    hex_line("fionread: read", buffer, (int)n);
}

static void check_vmin_vtime(struct kernel_termios *raw)
{
    unsigned char buffer[16];
    set_timing(raw, 5, 2);
    say("interbyte: type 2 keys");
    ssize_t n = read(0, buffer, sizeof buffer);
    hex_line("interbyte: read", buffer, (int)n);
    set_timing(raw, 3, 0);
    say("vmin: type 1 key, then 2");
    n = read(0, buffer, sizeof buffer);
    hex_line("vmin: read", buffer, (int)n);
}

static volatile int window_changes;

static void count_window_change(int sig)
{
    (void)sig;
    window_changes++;
}

/* A new size sends SIGWINCH to the foreground group; the same size again
 * does not. */
static void check_window_size(void)
{
    struct window_size original, wanted = {40, 100, 0, 0}, got = {0, 0, 0, 0};
    struct sigaction action, old;
    char line[120];
    memset(&action, 0, sizeof action);
    action.sa_handler = count_window_change;
    sigaction(SIGWINCH, &action, &old);
    if (ioctl(0, REQUEST_TIOCGWINSZ, &original) != 0 || ioctl(0, REQUEST_TIOCSWINSZ, &wanted) != 0 ||
        ioctl(0, REQUEST_TIOCGWINSZ, &got) != 0) {
        fail("TIOCGWINSZ/TIOCSWINSZ");
        return;
    }
    int after_change = window_changes;
    ioctl(0, REQUEST_TIOCSWINSZ, &wanted);
    int after_same = window_changes;
    ioctl(0, REQUEST_TIOCSWINSZ, &original);
    snprintf(line, sizeof line, "winsize: %ux%u, SIGWINCH after a change %d, the same size %d, the old size %d",
             got.rows, got.columns, after_change, after_same, window_changes);
    say(line);
    sigaction(SIGWINCH, &old, NULL);
}

static void check_canonical(const struct kernel_termios *original)
{
    char buffer[64], line[120];
    if (ioctl(0, REQUEST_TCSETSF, original) != 0)
        fail("TCSETSF");
    say("canon: type a line and more");
    int available = wait_for_bytes(1);
    ssize_t n = read(0, buffer, sizeof buffer);
    int after = -1;
    if (ioctl(0, REQUEST_TCFLSH, 0) != 0)
        fail("TCFLSH");
    ioctl(0, REQUEST_FIONREAD, &after);
    snprintf(line, sizeof line, "canon: fionread %d, read %d, after TCFLSH %d", available, (int)n, after);
    say(line);
}

static void count_interrupt(int sig)
{
    (void)sig;
    interrupts++;
}

static void check_signal_key(void)
{
    char buffer[64], line[120];
    struct sigaction action, old;
    memset(&action, 0, sizeof action);
    action.sa_handler = count_interrupt;
    sigaction(SIGINT, &action, &old);
    say("signal: press ^C");
    ssize_t n = read(0, buffer, sizeof buffer);
    snprintf(line, sizeof line, "signal: read %s, %d SIGINT", n < 0 && errno == EINTR ? "EINTR" : "did not fail",
             interrupts);
    say(line);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, NULL);
    say("restart: press ^C, then type a line");
    n = read(0, buffer, sizeof buffer);
    snprintf(line, sizeof line, "restart: read %d bytes, %d SIGINT", (int)n, interrupts);
    say(line);
    sigaction(SIGINT, &old, NULL);
}

static int usage(int fd, int status)
{
    static const char text[] =
        "Usage: termcheck\n"
        "Check the terminal on stdin with a person or a test at the keys: raw mode,\n"
        "VMIN/VTIME reads, O_NONBLOCK, FIONREAD, TIOCSWINSZ and SIGWINCH, a canonical\n"
        "line and TCFLSH, ^C as SIGINT ending or restarting a read; then the first\n"
        "settings again. It says what to type and prints one line per result.\n"
        "Exit status: 0; 1 when a terminal call failed; 2: usage error.\n";
    write(fd, text, sizeof text - 1);
    return status;
}

int main(int argc, char **argv)
{
    struct kernel_termios original, raw, now;
    char line[200];
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(1, 0);
    if (argc != 1)
        return usage(2, 2);
    if (ioctl(0, REQUEST_TCGETS, &original) != 0) {
        fail("TCGETS (stdin is no terminal?)");
        return 1;
    }
    snprintf(line, sizeof line, "settings: iflag %#x oflag %#x cflag %#x lflag %#x", original.iflag,
             original.oflag, original.cflag, original.lflag);
    say(line);
    raw = original;
    raw.iflag &= ~RAW_IFLAG_OFF;
    raw.oflag &= ~RAW_OFLAG_OFF;
    raw.lflag &= ~RAW_LFLAG_OFF;
    raw.cflag = (raw.cflag & ~0x130u) | 0x30u; /* CS8, no PARENB */
    check_raw_keys(raw);
    check_nonblocking();
    check_timeouts(&raw);
    check_fionread(&raw);
    check_vmin_vtime(&raw);
    check_window_size();
    check_canonical(&original);
    check_signal_key();
    if (ioctl(0, REQUEST_TCSETS, &original) != 0 || ioctl(0, REQUEST_TCGETS, &now) != 0)
        fail("TCSETS/TCGETS");
    say(memcmp(&now, &original, sizeof now) == 0 ? "restored: yes" : "restored: NO, the settings differ");
    return failures ? 1 : 0;
}
