/* sys/mman.h -- mmap (through mmap2, call 192, offset in 4 KiB pages),
 * munmap, mprotect, mremap, madvise, mincore and msync. */
#ifndef _SYS_MMAN_H
#define _SYS_MMAN_H
#include <sys/types.h>
#define PROT_NONE 0
#define PROT_READ 1
#define PROT_WRITE 2
#define PROT_EXEC 4
#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_SHARED_VALIDATE 0x03
#define MAP_NORESERVE 0x4000
#define MAP_FIXED_NOREPLACE 0x100000
#define MAP_FAILED ((void *)-1)
#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED 2
#define MADV_NORMAL 0
#define MADV_RANDOM 1
#define MADV_SEQUENTIAL 2
#define MADV_WILLNEED 3
#define MADV_DONTNEED 4
#define MADV_FREE 8
#define MADV_NOHUGEPAGE 15
#define MS_ASYNC 1
#define MS_INVALIDATE 2
#define MS_SYNC 4
void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset);
void *mmap2(void *addr, size_t length, int prot, int flags, int fd, unsigned long pgoffset);
int munmap(void *addr, size_t length);
int mprotect(void *addr, size_t length, int prot);
/* The fifth argument, the new address, only with MREMAP_FIXED. */
void *mremap(void *old_address, size_t old_size, size_t new_size, int flags, ...);
int madvise(void *addr, size_t length, int advice);
int mincore(void *addr, size_t length, unsigned char *vector);
int msync(void *addr, size_t length, int flags);
#endif
