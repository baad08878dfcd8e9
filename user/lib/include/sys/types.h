/* sys/types.h -- the basic POSIX types of our libc, sized for Linux i386.
 * Must stay true: these widths match the i386 kernel ABI (off_t 32-bit,
 * loff_t/off64_t 64-bit, pid_t/uid_t 32-bit). */
#ifndef _SYS_TYPES_H
#define _SYS_TYPES_H
#include <stddef.h>
#include <stdint.h>

typedef int ssize_t;
typedef long off_t;
typedef long long off64_t;
typedef long long loff_t;
typedef int pid_t;
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef unsigned int mode_t;
typedef unsigned long long dev_t;
typedef unsigned long long ino_t;
typedef unsigned int nlink_t;
typedef long time_t;
typedef long clockid_t;
typedef long suseconds_t;
typedef long clock_t;
#endif
