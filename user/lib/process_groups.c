/* process_groups.c -- libc: process groups, sessions, the file-mode mask,
 * process times and ids, over the Linux i386 system calls
 * setpgid (57), getpgid (132), getpgrp (65), setsid (66), umask (60),
 * times (43), geteuid32 (201), getgid32 (200), getegid32 (202).
 *
 * Must stay true: each wrapper is the bare call with errno set on failure,
 * exactly as on Linux; nothing is cached. */
#include <sys/syscall.h>
#include <sys/times.h>
#include <unistd.h>

long __syscall_ret(long raw);

int setpgid(pid_t pid, pid_t pgid) { return (int)__syscall_ret(syscall2(57, pid, pgid)); }
pid_t getpgid(pid_t pid) { return (pid_t)__syscall_ret(syscall1(132, pid)); }
pid_t getpgrp(void) { return (pid_t)__syscall_ret(syscall0(65)); }
pid_t setsid(void) { return (pid_t)__syscall_ret(syscall0(66)); }
mode_t umask(mode_t mask) { return (mode_t)syscall1(60, (long)mask); }
uid_t geteuid(void) { return (uid_t)syscall0(201); }
gid_t getgid(void) { return (gid_t)syscall0(200); }
gid_t getegid(void) { return (gid_t)syscall0(202); }

clock_t times(struct tms *buffer) { return (clock_t)__syscall_ret(syscall1(43, (long)buffer)); }
