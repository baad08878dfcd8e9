/* stdio.c -- buffered streams: FILE, fopen/fdopen/fclose, reading,
 * writing, flushing. Formatting lives in printf.c.
 *
 * A FILE is either reading or writing at any moment:
 *   reading: buf[read_pos, read_len) holds bytes read but not consumed;
 *   writing: buf[0, write_len) holds bytes not yet written to fd.
 * Switching direction first empties the buffer (flush, or seek back over
 * unread input). Must stay true:
 *   - stdout is line-buffered on a terminal (ioctl TCGETS succeeds on fd 1)
 *     and fully buffered otherwise, decided at its first use;
 *   - stderr is unbuffered: every call writes at once;
 *   - every FILE is on `all_files`, so exit() -> fflush(NULL) reaches it;
 *   - a failed write sets the error flag and drops the buffered bytes, so a
 *     closed stdout cannot make a program loop or crash. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MODE_UNDECIDED (-1)
#define F_READ 1
#define F_WRITE 2
#define F_EOF 4
#define F_ERROR 8
#define F_OWN_BUFFER 16   /* buf came from malloc: free it in fclose */
#define F_STATIC 32       /* stdin/stdout/stderr: the FILE itself is not freed */

struct FILE {
    int fd;
    int flags;
    int mode;              /* _IOFBF, _IOLBF, _IONBF or MODE_UNDECIDED */
    char *buf;
    size_t size;
    size_t write_len;
    size_t read_pos, read_len;
    int pushed_back;       /* from ungetc, or EOF when none */
    int error_number;      /* errno of the last failed read or write */
    struct FILE *next;     /* all_files list */
};

static char stdin_buffer[BUFSIZ], stdout_buffer[BUFSIZ];
static FILE stderr_file = { .fd = 2, .flags = F_WRITE | F_STATIC, .mode = _IONBF,
                            .pushed_back = EOF, .next = NULL };
static FILE stdout_file = { .fd = 1, .flags = F_WRITE | F_STATIC, .mode = MODE_UNDECIDED,
                            .buf = stdout_buffer, .size = BUFSIZ, .pushed_back = EOF,
                            .next = &stderr_file };
static FILE stdin_file = { .fd = 0, .flags = F_READ | F_STATIC, .mode = _IOFBF,
                           .buf = stdin_buffer, .size = BUFSIZ, .pushed_back = EOF,
                           .next = &stdout_file };
FILE *stdin = &stdin_file, *stdout = &stdout_file, *stderr = &stderr_file;
static FILE *all_files = &stdin_file;

/* ---- opening and closing ---- */

/* Parses an fopen mode ("r", "w+", "ab", ...) into open() flags and FILE flags. */
static int parse_mode(const char *mode, int *oflags, int *fflags)
{
    switch (mode[0]) {
    case 'r': *oflags = O_RDONLY; *fflags = F_READ; break;
    case 'w': *oflags = O_WRONLY | O_CREAT | O_TRUNC; *fflags = F_WRITE; break;
    case 'a': *oflags = O_WRONLY | O_CREAT | O_APPEND; *fflags = F_WRITE; break;
    default: errno = EINVAL; return -1;
    }
    if (strchr(mode, '+')) {
        *oflags = (*oflags & ~O_ACCMODE) | O_RDWR;
        *fflags = F_READ | F_WRITE;
    }
    if (strchr(mode, 'e'))
        *oflags |= O_CLOEXEC;
    return 0;
}

FILE *fdopen(int fd, const char *mode)
{
    int oflags, fflags;
    if (parse_mode(mode, &oflags, &fflags) < 0)
        return NULL;
    FILE *f = calloc(1, sizeof *f);
    char *buf = malloc(BUFSIZ);
    if (!f || !buf) {
        free(f);
        free(buf);
        return NULL;
    }
    f->fd = fd;
    f->flags = fflags | F_OWN_BUFFER;
    f->mode = isatty(fd) ? _IOLBF : _IOFBF;
    f->buf = buf;
    f->size = BUFSIZ;
    f->pushed_back = EOF;
    f->next = all_files;
    all_files = f;
    return f;
}

FILE *fopen(const char *path, const char *mode)
{
    int oflags, fflags;
    if (parse_mode(mode, &oflags, &fflags) < 0)
        return NULL;
    int fd = open(path, oflags, 0666);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, mode);
    if (!f)
        close(fd);
    return f;
}

int fclose(FILE *f)
{
    int result = fflush(f);
    if (close(f->fd) < 0)
        result = EOF;
    for (FILE **p = &all_files; *p; p = &(*p)->next)
        if (*p == f) {
            *p = f->next;
            break;
        }
    if (f->flags & F_OWN_BUFFER)
        free(f->buf);
    if (!(f->flags & F_STATIC))
        free(f);
    return result;
}

int setvbuf(FILE *f, char *buf, int mode, size_t size)
{
    if (mode != _IONBF && buf && size) {
        if (f->flags & F_OWN_BUFFER)
            free(f->buf);
        f->flags &= ~F_OWN_BUFFER;
        f->buf = buf;
        f->size = size;
    }
    f->mode = mode;
    return 0;
}

/* ---- writing ---- */

/* Writes all n bytes (retrying short writes); on error sets F_ERROR. */
static int write_all(FILE *f, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t done = write(f->fd, p, n);
        if (done < 0) {
            if (errno == EINTR)
                continue;
            f->flags |= F_ERROR;
            f->error_number = errno;
            return EOF;
        }
        p += done;
        n -= (size_t)done;
    }
    return 0;
}

static void decide_mode(FILE *f)
{
    if (f->mode == MODE_UNDECIDED)
        f->mode = isatty(f->fd) ? _IOLBF : _IOFBF;
}

/* Gives up unread input by moving the file offset back over it. */
static void drop_read_buffer(FILE *f)
{
    size_t unread = f->read_len - f->read_pos + (f->pushed_back != EOF);
    if (unread)
        lseek(f->fd, -(off_t)unread, SEEK_CUR);
    f->read_pos = f->read_len = 0;
    f->pushed_back = EOF;
}

static int flush_one(FILE *f)
{
    if (f->read_len || f->pushed_back != EOF) {
        drop_read_buffer(f);
        return 0;
    }
    size_t n = f->write_len;
    f->write_len = 0;   /* dropped even on error: never retried forever */
    return n ? write_all(f, f->buf, n) : 0;
}

int fflush(FILE *f)
{
    if (f)
        return flush_one(f);
    int result = 0;
    for (FILE *g = all_files; g; g = g->next)
        if (g->write_len && flush_one(g) == EOF)
            result = EOF;
    return result;
}

size_t fwrite(const void *data, size_t size, size_t count, FILE *f)
{
    size_t n = size * count;
    const char *p = data;
    if (n == 0)
        return 0;
    if (!(f->flags & F_WRITE)) {
        errno = EBADF;
        f->flags |= F_ERROR;
        return 0;
    }
    decide_mode(f);
    if (f->read_len || f->pushed_back != EOF)
        drop_read_buffer(f);
    if (f->mode == _IONBF || n >= f->size) {
        if (flush_one(f) == EOF || write_all(f, p, n) == EOF)
            return 0;
        return count;
    }
    while (n > 0) {
        size_t room = f->size - f->write_len;
        size_t chunk = n < room ? n : room;
        memcpy(f->buf + f->write_len, p, chunk);
        f->write_len += chunk;
        p += chunk;
        n -= chunk;
        if (f->write_len == f->size && flush_one(f) == EOF)
            return 0;
    }
    if (f->mode == _IOLBF && memchr(data, '\n', size * count) && flush_one(f) == EOF)
        return 0;
    return count;
}

int fputc(int c, FILE *f)
{
    unsigned char byte = (unsigned char)c;
    return fwrite(&byte, 1, 1, f) == 1 ? byte : EOF;
}

int putc(int c, FILE *f) { return fputc(c, f); }
int putchar(int c) { return fputc(c, stdout); }

int fputs(const char *s, FILE *f)
{
    size_t n = strlen(s);
    return n == 0 || fwrite(s, 1, n, f) == n ? 0 : EOF;
}

int puts(const char *s)
{
    return fputs(s, stdout) == EOF || fputc('\n', stdout) == EOF ? EOF : 0;
}

/* ---- reading ---- */

/* Refills an empty read buffer; returns the bytes now available (0 at EOF/error). */
static size_t fill(FILE *f)
{
    if (f->write_len)
        flush_one(f);
    if (f == stdin) {
        decide_mode(stdout);
        if (stdout->mode == _IOLBF)
            fflush(stdout);   /* a prompt appears before we wait for input */
    }
    for (;;) {
        ssize_t n = read(f->fd, f->buf, f->size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            f->flags |= n == 0 ? F_EOF : F_ERROR;
            if (n < 0)
                f->error_number = errno;
            f->read_pos = f->read_len = 0;
            return 0;
        }
        f->read_pos = 0;
        f->read_len = (size_t)n;
        return (size_t)n;
    }
}

int fgetc(FILE *f)
{
    if (!(f->flags & F_READ)) {
        errno = EBADF;
        f->flags |= F_ERROR;
        return EOF;
    }
    if (f->pushed_back != EOF) {
        int c = f->pushed_back;
        f->pushed_back = EOF;
        return c;
    }
    if (f->read_pos == f->read_len && fill(f) == 0)
        return EOF;
    return (unsigned char)f->buf[f->read_pos++];
}

int getc(FILE *f) { return fgetc(f); }
int getchar(void) { return fgetc(stdin); }

int ungetc(int c, FILE *f)
{
    if (c == EOF || f->pushed_back != EOF)
        return EOF;
    f->pushed_back = (unsigned char)c;
    f->flags &= ~F_EOF;
    return c;
}

size_t fread(void *data, size_t size, size_t count, FILE *f)
{
    size_t want = size * count, got = 0;
    char *p = data;
    if (want == 0)
        return 0;
    if (!(f->flags & F_READ)) {
        errno = EBADF;
        f->flags |= F_ERROR;
        return 0;
    }
    while (got < want) {
        if (f->pushed_back != EOF) {
            p[got++] = (char)f->pushed_back;
            f->pushed_back = EOF;
            continue;
        }
        size_t available = f->read_len - f->read_pos;
        if (available) {
            size_t chunk = available < want - got ? available : want - got;
            memcpy(p + got, f->buf + f->read_pos, chunk);
            f->read_pos += chunk;
            got += chunk;
        } else if (want - got >= f->size) {
            if (f->write_len)
                flush_one(f);
            ssize_t n = read(f->fd, p + got, want - got);   /* big reads skip the buffer */
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                f->flags |= n == 0 ? F_EOF : F_ERROR;
                break;
            }
            got += (size_t)n;
        } else if (fill(f) == 0) {
            break;
        }
    }
    return got / size;
}

ssize_t getdelim(char **line, size_t *cap, int delim, FILE *f)
{
    size_t len = 0;
    for (;;) {
        int c = fgetc(f);
        if (c == EOF) {
            if (len == 0)
                return -1;
            break;
        }
        if (len + 2 > *cap || !*line) {
            size_t bigger = *cap < 64 ? 128 : *cap * 2;
            char *grown = realloc(*line, bigger);
            if (!grown) {
                f->flags |= F_ERROR;
                return -1;
            }
            *line = grown;
            *cap = bigger;
        }
        (*line)[len++] = (char)c;
        if (c == delim)
            break;
    }
    (*line)[len] = '\0';
    return (ssize_t)len;
}

ssize_t getline(char **line, size_t *cap, FILE *f) { return getdelim(line, cap, '\n', f); }

char *fgets(char *buf, int size, FILE *f)
{
    int i = 0;
    while (i < size - 1) {
        int c = fgetc(f);
        if (c == EOF)
            break;
        buf[i++] = (char)c;
        if (c == '\n')
            break;
    }
    if (i == 0 || size <= 0)
        return NULL;
    buf[i] = '\0';
    return buf;
}

/* ---- state and position ---- */

int feof(FILE *f) { return (f->flags & F_EOF) != 0; }
int ferror(FILE *f) { return (f->flags & F_ERROR) != 0; }
void clearerr(FILE *f) { f->flags &= ~(F_EOF | F_ERROR); f->error_number = 0; }
int ferror_number(FILE *f) { return f->error_number; }
int fileno(FILE *f) { return f->fd; }

int fseek(FILE *f, long offset, int whence)
{
    if (flush_one(f) == EOF)
        return -1;
    f->flags &= ~F_EOF;
    return lseek(f->fd, offset, whence) < 0 ? -1 : 0;
}

long ftell(FILE *f)
{
    off_t pos = lseek(f->fd, 0, SEEK_CUR);
    if (pos < 0)
        return -1;
    return pos - (long)(f->read_len - f->read_pos) - (f->pushed_back != EOF) + (long)f->write_len;
}
