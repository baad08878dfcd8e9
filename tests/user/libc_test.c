/* libc_test.c -- self-checking test of our libc (user/lib/), built by
 * user/user.mk as build/user/tests/libc_test and run by test_programs.py.
 * Each CHECK prints a line on failure; the exit status is the number of
 * failed checks (0 = all passed), and the last line says how many ran. */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

static int checks, failures;

#define CHECK(cond) check((cond), #cond, __LINE__)
static void check(int ok, const char *what, int line)
{
    checks++;
    if (!ok) {
        failures++;
        printf("FAIL line %d: %s\n", line, what);
    }
}

/* Formats with snprintf and compares with what glibc prints. */
#define FORMAT(expected, ...) format_is(expected, __LINE__, __VA_ARGS__)
static void format_is(const char *expected, int line, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    checks++;
    if (strcmp(buf, expected) != 0 || n != (int)strlen(expected)) {
        failures++;
        printf("FAIL line %d: format \"%s\" gave \"%s\" (%d), expected \"%s\"\n",
               line, fmt, buf, n, expected);
    }
}

static void test_printf(void)
{
    FORMAT("42", "%d", 42);
    FORMAT("-42", "%i", -42);
    FORMAT("-2147483648", "%d", INT_MIN);
    FORMAT("4294967295", "%u", UINT_MAX);
    FORMAT("ff FF 0xff 0XFF", "%x %X %#x %#X", 255, 255, 255, 255);
    FORMAT("17 017 0", "%o %#o %#o", 15, 15, 0);
    FORMAT("0", "%#x", 0);
    FORMAT("[   42] [42   ] [00042] [+42] [ 42]", "[%5d] [%-5d] [%05d] [%+d] [% d]", 42, 42, 42, 42, 42);
    FORMAT("[  -42] [-0042] [-42  ]", "[%5d] [%05d] [%-5d]", -42, -42, -42);
    FORMAT("[  007] [007]", "[%5.3d] [%.3d]", 7, 7);
    FORMAT("[] [    ]", "[%.0d] [%4.0d]", 0, 0);
    FORMAT("[0x00ff]", "[%#06x]", 255);
    FORMAT("[ab] [   ab] [ab   ] [a]", "[%s] [%5s] [%-5s] [%.1s]", "ab", "ab", "ab", "ab");
    FORMAT("[(null)]", "[%s]", (char *)NULL);
    FORMAT("[x] [  x] [x  ]", "[%c] [%3c] [%-3c]", 'x', 'x', 'x');
    FORMAT("100%", "100%%");
    FORMAT("[  12]", "[%*d]", 4, 12);
    FORMAT("[12  ]", "[%*d]", -4, 12);
    FORMAT("[1.2]", "[%.*s]", 3, "1.2345");
    FORMAT("9223372036854775807 -9223372036854775808", "%lld %lld", LLONG_MAX, LLONG_MIN);
    FORMAT("18446744073709551615", "%llu", ULLONG_MAX);
    FORMAT("ffffffffffffffff", "%llx", ULLONG_MAX);
    FORMAT("123456 4294967295", "%ld %lu", 123456L, ULONG_MAX);
    FORMAT("65535 -1 255 -1", "%hu %hd %hhu %hhd", 0xffff, 0xffff, 0x1ff, 0xff);
    FORMAT("12345 -7", "%zu %zd", (size_t)12345, (ssize_t)-7);
    FORMAT("0x1234", "%p", (void *)0x1234);
    FORMAT("(nil)", "%p", (void *)0);

    char small[5];
    CHECK(snprintf(small, sizeof small, "%s", "abcdefgh") == 8);
    CHECK(strcmp(small, "abcd") == 0);
    CHECK(snprintf(NULL, 0, "%d", 12345) == 5);
    char big[64];
    CHECK(sprintf(big, "%s-%d", "x", 3) == 3 && strcmp(big, "x-3") == 0);
}

static void test_malloc(void)
{
    /* Many sizes, each filled with a pattern that must survive the others. */
    enum { N = 300 };
    static unsigned char *blocks[N];
    static size_t sizes[N];
    for (int i = 0; i < N; i++) {
        sizes[i] = (size_t)(i * 37 % 1000) + 1 + (i % 50 == 0 ? 200000 : 0);
        blocks[i] = malloc(sizes[i]);
        CHECK(blocks[i] != NULL);
        CHECK(((uintptr_t)blocks[i] & 15) == 0);
        memset(blocks[i], i & 0xff, sizes[i]);
    }
    int intact = 1;
    for (int i = 0; i < N; i++)
        for (size_t j = 0; j < sizes[i]; j++)
            if (blocks[i][j] != (i & 0xff))
                intact = 0;
    CHECK(intact);

    /* realloc keeps the contents while growing and shrinking. */
    for (int i = 0; i < N; i += 3) {
        size_t bigger = sizes[i] * 3 + 10;
        blocks[i] = realloc(blocks[i], bigger);
        CHECK(blocks[i] != NULL);
        int same = 1;
        for (size_t j = 0; j < sizes[i]; j++)
            if (blocks[i][j] != (i & 0xff))
                same = 0;
        CHECK(same);
        memset(blocks[i], i & 0xff, bigger);
        sizes[i] = bigger;
    }
    for (int i = 0; i < N; i++)
        free(blocks[i]);

    /* Freed memory is reused: the same pattern again needs no new heap. */
    void *before = sbrk(0);
    for (int round = 0; round < 20; round++) {
        void *p[50];
        for (int i = 0; i < 50; i++)
            p[i] = malloc((size_t)(i * 13 % 700) + 1);
        for (int i = 0; i < 50; i++)
            free(p[i]);
    }
    CHECK(sbrk(0) == before);
    void *a = malloc(100);
    free(a);
    void *b = malloc(100);
    CHECK(a == b);
    free(b);

    int *zeros = calloc(1000, sizeof(int));
    int all_zero = 1;
    for (int i = 0; i < 1000; i++)
        all_zero &= zeros[i] == 0;
    CHECK(zeros && all_zero);
    free(zeros);
    CHECK(calloc(SIZE_MAX / 2, 4) == NULL);
    CHECK(malloc(SIZE_MAX - 4) == NULL && errno == ENOMEM);
    CHECK(realloc(NULL, 10) != NULL);
    free(NULL);
}

static void test_getopt(void)
{
    char *argv1[] = { "prog", "-la", "-o", "out", "-vfile", "--", "-x", NULL };
    int argc1 = 7, c;
    char seen[16] = "";
    char *o = NULL, *v = NULL;
    optind = 1;
    while ((c = getopt(argc1, argv1, "lao:v:")) != -1) {
        strncat(seen, (char[]){ (char)c, 0 }, 1);
        if (c == 'o') o = optarg;
        if (c == 'v') v = optarg;
    }
    CHECK(strcmp(seen, "laov") == 0);
    CHECK(o && strcmp(o, "out") == 0);
    CHECK(v && strcmp(v, "file") == 0);
    CHECK(optind == 6 && strcmp(argv1[optind], "-x") == 0);

    char *argv2[] = { "prog", "-q", "-a", "name", "-", NULL };
    optind = 1;
    opterr = 0;
    CHECK(getopt(5, argv2, "a") == '?' && optopt == 'q');
    CHECK(getopt(5, argv2, "a") == 'a');
    CHECK(getopt(5, argv2, "a") == -1 && optind == 3);

    char *argv3[] = { "prog", "-o", NULL };
    optind = 1;
    CHECK(getopt(2, argv3, "o:") == '?' && optopt == 'o');
    optind = 1;
    CHECK(getopt(2, argv3, ":o:") == ':');
    opterr = 1;
    optind = 1;
}

static void test_strtol(void)
{
    char *end;
    CHECK(strtol("  -123abc", &end, 10) == -123 && strcmp(end, "abc") == 0);
    CHECK(strtol("0x1f", &end, 0) == 31 && *end == '\0');
    CHECK(strtol("0x1f", &end, 16) == 31);
    CHECK(strtol("017", &end, 0) == 15);
    CHECK(strtol("0xg", &end, 0) == 0 && strcmp(end, "xg") == 0);
    CHECK(strtol("zz", &end, 36) == 35 * 36 + 35);
    const char *none = "  +";
    CHECK(strtol(none, &end, 10) == 0 && end == none);
    errno = 0;
    CHECK(strtol("2147483647", NULL, 10) == LONG_MAX && errno == 0);
    CHECK(strtol("2147483648", NULL, 10) == LONG_MAX && errno == ERANGE);
    errno = 0;
    CHECK(strtol("-2147483648", NULL, 10) == LONG_MIN && errno == 0);
    CHECK(strtol("-2147483649", NULL, 10) == LONG_MIN && errno == ERANGE);
    errno = 0;
    CHECK(strtoul("4294967295", NULL, 10) == ULONG_MAX && errno == 0);
    CHECK(strtoul("4294967296", NULL, 10) == ULONG_MAX && errno == ERANGE);
    errno = 0;
    CHECK(strtoul("-1", NULL, 10) == ULONG_MAX && errno == 0);
    CHECK(strtoll("-9223372036854775808", NULL, 10) == LLONG_MIN);
    CHECK(strtoull("18446744073709551615", NULL, 10) == ULLONG_MAX);
    CHECK(atoi("  42xyz") == 42);
}

static int compare_ints(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_qsort(void)
{
    int values[1000];
    unsigned seed = 12345;
    for (int i = 0; i < 1000; i++) {
        seed = seed * 1103515245 + 12345;
        values[i] = (int)(seed >> 8) % 500 - 250;   /* with duplicates and negatives */
    }
    qsort(values, 1000, sizeof values[0], compare_ints);
    int sorted = 1;
    for (int i = 1; i < 1000; i++)
        sorted &= values[i - 1] <= values[i];
    CHECK(sorted);

    char *words[] = { "pear", "Apple", "apple", "_x", "banana", "a" };
    qsort(words, 6, sizeof words[0], compare_strings);
    CHECK(strcmp(words[0], "Apple") == 0 && strcmp(words[1], "_x") == 0 &&
          strcmp(words[2], "a") == 0 && strcmp(words[5], "pear") == 0);
    qsort(words, 0, sizeof words[0], compare_strings);   /* nothing to do, no crash */
}

static void test_strings_and_env(void)
{
    CHECK(strcmp("a", "b") < 0 && strcmp("b", "a") > 0 && strcmp("x", "x") == 0);
    CHECK(strcmp("\xff", "a") > 0);   /* bytes compare unsigned */
    CHECK(strncmp("abcx", "abcy", 3) == 0);
    CHECK(strlen("hello") == 5);
    const char *hello = "hello";
    CHECK(strchr(hello, 'l') == hello + 2 && strchr(hello, '\0') == hello + 5);
    CHECK(strrchr("hello", 'l') != NULL && strrchr("hello", 'z') == NULL);
    CHECK(strstr("haystack", "st") != NULL && strstr("haystack", "xx") == NULL);
    char buf[16] = "abcdef";
    memmove(buf + 2, buf, 4);
    CHECK(memcmp(buf, "ababcd", 6) == 0);
    CHECK(strcmp(strerror(ENOENT), "No such file or directory") == 0);
    CHECK(strcmp(strerror(EACCES), "Permission denied") == 0);

    CHECK(setenv("LIBC_TEST_VAR", "one", 1) == 0);
    CHECK(getenv("LIBC_TEST_VAR") && strcmp(getenv("LIBC_TEST_VAR"), "one") == 0);
    CHECK(setenv("LIBC_TEST_VAR", "two", 0) == 0 && strcmp(getenv("LIBC_TEST_VAR"), "one") == 0);
    CHECK(setenv("LIBC_TEST_VAR", "two", 1) == 0 && strcmp(getenv("LIBC_TEST_VAR"), "two") == 0);
    CHECK(unsetenv("LIBC_TEST_VAR") == 0 && getenv("LIBC_TEST_VAR") == NULL);
    CHECK(setenv("BAD=NAME", "x", 1) == -1 && errno == EINVAL);
}

/* Every wrapper once, in a scratch directory under /tmp that is removed again. */
static void test_syscalls(void)
{
    char dir[64], cwd[256];
    snprintf(dir, sizeof dir, "/tmp/libc_test.%d", getpid());
    CHECK(getpid() > 0 && getppid() > 0 && getpid() != getppid());
    CHECK(mkdir(dir, 0755) == 0);
    CHECK(mkdir(dir, 0755) == -1 && errno == EEXIST);
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    CHECK(chdir(dir) == 0);
    char here[256];
    CHECK(getcwd(here, sizeof here) && strcmp(here, dir) == 0);
    CHECK(getcwd(here, 3) == NULL && errno == ERANGE);

    int fd = open("data", O_RDWR | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0);
    CHECK(write(fd, "0123456789", 10) == 10);
    CHECK(lseek(fd, 2, SEEK_SET) == 2);
    char buf[16] = "";
    CHECK(read(fd, buf, 3) == 3 && memcmp(buf, "234", 3) == 0);
    CHECK(lseek64(fd, -1, SEEK_END) == 9);
    loff_t where = 0;
    CHECK(_llseek(fd, 0, 4, &where, SEEK_SET) == 0 && where == 4);
    CHECK(pread64(fd, buf, 4, 6) == 4 && memcmp(buf, "6789", 4) == 0);
    struct stat st;
    CHECK(fstat(fd, &st) == 0 && st.st_size == 10 && S_ISREG(st.st_mode) &&
          (st.st_mode & 0777) == 0644);
    int copy = dup(fd);
    CHECK(copy > fd && lseek(copy, 0, SEEK_CUR) == 4);
    CHECK(dup2(fd, 20) == 20 && close(20) == 0 && close(copy) == 0);
    CHECK(close(fd) == 0 && close(fd) == -1 && errno == EBADF);

    int at = openat(AT_FDCWD, "data", O_RDONLY);
    CHECK(at >= 0 && close(at) == 0);
    CHECK(open("missing", O_RDONLY) == -1 && errno == ENOENT);
    CHECK(rename("data", "renamed") == 0 && stat("renamed", &st) == 0 && st.st_size == 10);
    CHECK(stat("data", &st) == -1 && errno == ENOENT);

    int fds[2];
    CHECK(pipe(fds) == 0 && write(fds[1], "ab", 2) == 2 && read(fds[0], buf, 2) == 2 &&
          memcmp(buf, "ab", 2) == 0);
    close(fds[0]);
    close(fds[1]);

    /* There is no symlink wrapper (not in our call list): /proc/self is a link. */
    char link[256];
    ssize_t n = readlink("/proc/self/cwd", link, sizeof link);
    CHECK(n == (ssize_t)strlen(dir) && memcmp(link, dir, (size_t)n) == 0);   /* we are in dir */
    CHECK(lstat("/proc/self", &st) == 0 && S_ISLNK(st.st_mode));
    CHECK(readlink("renamed", buf, sizeof buf) == -1 && errno == EINVAL);

    CHECK(mkdir("sub", 0700) == 0 && rmdir("sub") == 0 && rmdir("sub") == -1 && errno == ENOENT);
    int fd2 = open("sub2", O_WRONLY | O_CREAT, 0600);
    close(fd2);
    DIR *d = opendir(".");
    int entries = 0, found = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
        entries++;
        found += strcmp(e->d_name, "renamed") == 0 && e->d_type == DT_REG;
    }
    CHECK(d && closedir(d) == 0 && entries == 4 && found == 1);
    CHECK(opendir("renamed") == NULL && errno == ENOTDIR);
    CHECK(unlink("renamed") == 0 && unlink("sub2") == 0 && unlink("renamed") == -1);
    CHECK(chdir(cwd) == 0 && rmdir(dir) == 0);

    struct utsname u;
    CHECK(uname(&u) == 0 && strcmp(u.sysname, "Linux") == 0);
    struct timespec t1, t2, nap = { 0, 20 * 1000 * 1000 };
    CHECK(clock_gettime(CLOCK_MONOTONIC, &t1) == 0);
    CHECK(nanosleep(&nap, NULL) == 0);
    CHECK(clock_gettime(CLOCK_MONOTONIC, &t2) == 0);
    long long elapsed = (t2.tv_sec - t1.tv_sec) * 1000000000LL + (t2.tv_nsec - t1.tv_nsec);
    CHECK(elapsed >= 20 * 1000 * 1000);
    CHECK(time(NULL) > 1600000000);

    char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(m != MAP_FAILED && m[0] == 0 && m[8191] == 0);
    if (m != MAP_FAILED) {
        m[5000] = 7;
        CHECK(munmap(m, 8192) == 0);
    }
    CHECK(kill(getpid(), 0) == 0);
    CHECK(ioctl(-1, 0x5401, buf) == -1 && errno == EBADF);
    CHECK(isatty(-1) == 0);
    CHECK(sbrk(0) != (void *)-1);
}

/* fopen/fwrite/fread/fgets/getline/fseek through a scratch file. */
static void test_stdio(void)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/libc_test_stdio.%d", getpid());
    FILE *f = fopen(path, "w+");
    CHECK(f != NULL);
    if (!f)
        return;
    for (int i = 0; i < 1000; i++)
        fprintf(f, "line %d\n", i);
    CHECK(fputs("no newline", f) == 0);
    CHECK(fseek(f, 0, SEEK_SET) == 0);
    char buf[32];
    CHECK(fgets(buf, sizeof buf, f) && strcmp(buf, "line 0\n") == 0);
    CHECK(fgets(buf, 4, f) && strcmp(buf, "lin") == 0);
    CHECK(fgetc(f) == 'e' && ungetc('E', f) == 'E' && fgetc(f) == 'E');
    char *line = NULL;
    size_t cap = 0;
    int lines = 1;
    ssize_t len = 0, last = 0;
    while ((len = getline(&line, &cap, f)) > 0)
        lines++, last = len;
    CHECK(lines == 1001 && last == 10 && strcmp(line, "no newline") == 0);
    CHECK(feof(f) && !ferror(f));
    free(line);
    CHECK(fseek(f, 5, SEEK_SET) == 0 && ftell(f) == 5);
    char block[6000];
    size_t got = fread(block, 1, sizeof block, f);
    CHECK(got == sizeof block && memcmp(block, "0\nline 1\n", 9) == 0);
    CHECK(fclose(f) == 0);

    f = fopen(path, "a");
    CHECK(f && fwrite("XYZ", 1, 3, f) == 3 && fclose(f) == 0);
    int fd = open(path, O_RDONLY);
    FILE *g = fdopen(fd, "r");
    CHECK(g != NULL);
    static char whole[20000];
    size_t total = g ? fread(whole, 1, sizeof whole, g) : 0;
    CHECK(total > 13 && memcmp(whole + total - 13, "no newlineXYZ", 13) == 0);
    CHECK(g && fclose(g) == 0);
    CHECK(fopen("/no/such/dir/file", "r") == NULL && errno == ENOENT);
    CHECK(fopen(path, "q") == NULL && errno == EINVAL);
    unlink(path);
}

/* The sigset_t functions and strsignal need no kernel; the signal calls
 * themselves are sigcheck's (user/bin/sigcheck.c). */
static void test_signal_sets_and_names(void)
{
    sigset_t set;
    CHECK(sigemptyset(&set) == 0 && set.sig[0] == 0 && set.sig[1] == 0);
    CHECK(sigaddset(&set, SIGINT) == 0 && set.sig[0] == 2);
    CHECK(sigaddset(&set, 64) == 0 && set.sig[1] == 0x80000000UL);
    CHECK(sigismember(&set, SIGINT) == 1 && sigismember(&set, SIGTERM) == 0);
    CHECK(sigdelset(&set, SIGINT) == 0 && sigismember(&set, SIGINT) == 0);
    errno = 0;
    CHECK(sigaddset(&set, 0) == -1 && errno == EINVAL);
    CHECK(sigismember(&set, 65) == -1);
    CHECK(sigfillset(&set) == 0 && sigismember(&set, 1) == 1 && sigismember(&set, 64) == 1);
    CHECK(strcmp(strsignal(SIGSEGV), "Segmentation fault") == 0);
    CHECK(strcmp(strsignal(SIGFPE), "Floating point exception") == 0);
    CHECK(strcmp(strsignal(SIGKILL), "Killed") == 0);
    CHECK(strcmp(strsignal(SIGTSTP), "Stopped") == 0);
    CHECK(strcmp(strsignal(SIGSYS), "Bad system call") == 0);
    CHECK(strcmp(strsignal(32), "Unknown signal 32") == 0);
    CHECK(strcmp(strsignal(34), "Real-time signal 0") == 0);
    CHECK(strcmp(strsignal(64), "Real-time signal 30") == 0);
    CHECK(strcmp(strsignal(0), "Unknown signal 0") == 0);
    CHECK(strcmp(strsignal(65), "Unknown signal 65") == 0);
}

static int atexit_order;
static void second_handler(void) { atexit_order = atexit_order * 10 + 2; }
static void first_handler(void)
{
    atexit_order = atexit_order * 10 + 1;
    /* Handlers run in reverse order: second (registered last) already ran. */
    printf("atexit %s\n", atexit_order == 21 ? "ok" : "FAIL");
}

int main(void)
{
    test_printf();
    test_malloc();
    test_getopt();
    test_strtol();
    test_qsort();
    test_strings_and_env();
    test_syscalls();
    test_stdio();
    test_signal_sets_and_names();
    atexit(first_handler);
    atexit(second_handler);
    printf("%d checks, %d failed\n", checks, failures);
    return failures;
}
