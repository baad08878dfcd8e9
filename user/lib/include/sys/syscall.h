/* sys/syscall.h -- the raw system call interface: Linux i386 numbers and
 * syscall0..syscall6, which put the number in eax and the arguments in
 * ebx, ecx, edx, esi, edi, ebp and execute int 0x80 (syscall.S).
 * They return the raw result: a value in [-4095, -1] is -errno.
 * __syscall_ret() turns that into -1 with errno set (the C convention).
 * Must stay true: every number equals arch/x86/entry/syscalls/syscall_32.tbl. */
#ifndef _SYS_SYSCALL_H
#define _SYS_SYSCALL_H

#define SYS_exit 1
#define SYS_fork 2
#define SYS_read 3
#define SYS_write 4
#define SYS_open 5
#define SYS_close 6
#define SYS_link 9
#define SYS_unlink 10
#define SYS_execve 11
#define SYS_chdir 12
#define SYS_chmod 15
#define SYS_lseek 19
#define SYS_getpid 20
#define SYS_sync 36
#define SYS_kill 37
#define SYS_rename 38
#define SYS_mkdir 39
#define SYS_rmdir 40
#define SYS_dup 41
#define SYS_pipe 42
#define SYS_times 43
#define SYS_brk 45
#define SYS_ioctl 54
#define SYS_getrusage 77
#define SYS_dup2 63
#define SYS_getppid 64
#define SYS_symlink 83
#define SYS_readlink 85
#define SYS_munmap 91
#define SYS_mprotect 125
#define SYS_msync 144
#define SYS_mremap 163
#define SYS_mincore 218
#define SYS_madvise 219
#define SYS_fchmod 94
#define SYS_wait4 114
#define SYS_fsync 118
#define SYS_sigreturn 119
#define SYS_uname 122
#define SYS__llseek 140
#define SYS_nanosleep 162
#define SYS_rt_sigreturn 173
#define SYS_rt_sigaction 174
#define SYS_rt_sigprocmask 175
#define SYS_rt_sigpending 176
#define SYS_rt_sigsuspend 179
#define SYS_pread64 180
#define SYS_ftruncate64 194
#define SYS_getcwd 183
#define SYS_mmap2 192
#define SYS_stat64 195
#define SYS_lstat64 196
#define SYS_fstat64 197
#define SYS_lchown32 198
#define SYS_getuid32 199
#define SYS_fchown32 207
#define SYS_chown32 212
#define SYS_getdents64 220
#define SYS_sendfile64 239
#define SYS_gettid 224
#define SYS_tkill 238
#define SYS_exit_group 252
#define SYS_clock_gettime 265
#define SYS_statfs64 268
#define SYS_fstatfs64 269
#define SYS_tgkill 270
#define SYS_openat 295
#define SYS_utimensat 320

/* Identity and the process's settings (the kernel's syscall_identity.cpp,
 * syscall_traits.cpp, syscall_host_names.cpp): 16-bit forms first. */
#define SYS_setuid 23
#define SYS_getuid 24
#define SYS_nice 34
#define SYS_setgid 46
#define SYS_sethostname 74
#define SYS_getgroups 80
#define SYS_setgroups 81
#define SYS_getpriority 96
#define SYS_setpriority 97
#define SYS_setdomainname 121
#define SYS_personality 136
#define SYS_setfsuid 138
#define SYS_capget 184
#define SYS_capset 185
#define SYS_geteuid32 201
#define SYS_getgid32 200
#define SYS_getegid32 202
#define SYS_setreuid32 203
#define SYS_setregid32 204
#define SYS_getgroups32 205
#define SYS_setgroups32 206
#define SYS_setresuid32 208
#define SYS_getresuid32 209
#define SYS_setresgid32 210
#define SYS_getresgid32 211
#define SYS_setuid32 213
#define SYS_setgid32 214
#define SYS_setfsuid32 215
#define SYS_setfsgid32 216
#define SYS_ioprio_set 289
#define SYS_ioprio_get 290
#define SYS_getcpu 318
/* Open files and memory (syscall_file_extras.cpp, syscall_xattr.cpp,
 * syscall_memory_locks.cpp). 64-bit offsets take two arguments, low first. */
#define SYS_creat 8
#define SYS_utime 30
#define SYS_flock 143
#define SYS_mlock 150
#define SYS_munlock 151
#define SYS_mlockall 152
#define SYS_munlockall 153
#define SYS_pwrite64 181
#define SYS_readahead 225
#define SYS_setxattr 226
#define SYS_getxattr 229
#define SYS_lgetxattr 230
#define SYS_fgetxattr 231
#define SYS_listxattr 232
#define SYS_removexattr 235
#define SYS_fadvise64 250
#define SYS_utimes 271
#define SYS_fadvise64_64 272
#define SYS_futimesat 299
#define SYS_sync_file_range 314
#define SYS_fallocate 324
#define SYS_dup3 330
#define SYS_membarrier 375
#define SYS_mlock2 376
#define SYS_copy_file_range 377
#define SYS_close_range 436

/* syscall.S: the one place that executes int 0x80. */
long __syscall6(long number, long a, long b, long c, long d, long e, long f);

static inline long syscall0(long n) { return __syscall6(n, 0, 0, 0, 0, 0, 0); }
static inline long syscall1(long n, long a) { return __syscall6(n, a, 0, 0, 0, 0, 0); }
static inline long syscall2(long n, long a, long b) { return __syscall6(n, a, b, 0, 0, 0, 0); }
static inline long syscall3(long n, long a, long b, long c) { return __syscall6(n, a, b, c, 0, 0, 0); }
static inline long syscall4(long n, long a, long b, long c, long d)
{ return __syscall6(n, a, b, c, d, 0, 0); }
static inline long syscall5(long n, long a, long b, long c, long d, long e)
{ return __syscall6(n, a, b, c, d, e, 0); }
static inline long syscall6(long n, long a, long b, long c, long d, long e, long f)
{ return __syscall6(n, a, b, c, d, e, f); }

/* -errno -> -1 and errno; anything else passes through. */
long __syscall_ret(long raw);
#endif
