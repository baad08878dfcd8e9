/* sys/eventfd.h -- a 64-bit counter as a file: eventfd2 (call 328), in events.c. */
#ifndef _SYS_EVENTFD_H
#define _SYS_EVENTFD_H
#include <stdint.h>

typedef uint64_t eventfd_t;
#define EFD_SEMAPHORE 1
#define EFD_NONBLOCK 04000
#define EFD_CLOEXEC 02000000

int eventfd(unsigned int initial, int flags);
#endif
