/* unistd.h -- POSIX system call wrappers (syscalls.c) and getopt (getopt.c).
 * Each wrapper returns what the Linux i386 call returns, except that a
 * -errno result becomes -1 with errno set. */
#ifndef _UNISTD_H
#define _UNISTD_H
#include <stddef.h>
#include <sys/types.h>

#define STDIN_FILENO 0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2
#ifndef SEEK_SET
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#endif

/* access (call 33, access.c): may the real user read, write, execute? */
#define F_OK 0
#define X_OK 1
#define W_OK 2
#define R_OK 4
int access(const char *path, int mode);

ssize_t read(int fd, void *buf, size_t count);
ssize_t write(int fd, const void *buf, size_t count);
ssize_t pread64(int fd, void *buf, size_t count, off64_t offset);
ssize_t pread(int fd, void *buf, size_t count, off_t offset);
int ftruncate64(int fd, off64_t length);
int ftruncate(int fd, off_t length);
int close(int fd);
off_t lseek(int fd, off_t offset, int whence);
off64_t lseek64(int fd, off64_t offset, int whence);
int _llseek(int fd, unsigned long high, unsigned long low, loff_t *result, int whence);
int dup(int fd);
int dup2(int oldfd, int newfd);
int pipe(int fds[2]);
ssize_t readlink(const char *path, char *buf, size_t size);
int chdir(const char *path);
char *getcwd(char *buf, size_t size);
int rmdir(const char *path);
int unlink(const char *path);
int link(const char *existing, const char *new_path);
int symlink(const char *target, const char *link_path);
int chown(const char *path, uid_t owner, gid_t group);
int lchown(const char *path, uid_t owner, gid_t group);   /* the link itself */
int fchown(int fd, uid_t owner, gid_t group);
void sync(void);
int fsync(int fd);
int brk(void *addr);
void *sbrk(ptrdiff_t increment);
_Noreturn void _exit(int status);
pid_t fork(void);
pid_t getpid(void);
pid_t getppid(void);
uid_t getuid(void);
int isatty(int fd);
int execve(const char *path, char *const argv[], char *const envp[]);
int execvp(const char *file, char *const argv[]);
int pause(void);                 /* signal.c: sleeps until a signal's handler ran */
unsigned alarm(unsigned seconds); /* timers.c: SIGALRM after `seconds`; 0 cancels */

/* process_groups.c: process groups, sessions, umask, ids */
int setpgid(pid_t pid, pid_t pgid);
pid_t getpgid(pid_t pid);
pid_t getpgrp(void);
pid_t setsid(void);
mode_t umask(mode_t mask);
uid_t geteuid(void);
gid_t getgid(void);
gid_t getegid(void);
/* terminal_jobs.c: a terminal's foreground process group */
pid_t tcgetpgrp(int fd);
int tcsetpgrp(int fd, pid_t group);

extern char *optarg;
extern int optind, opterr, optopt;
int getopt(int argc, char *const argv[], const char *optstring);
#endif
