// kernel/proc/thread_local_storage.h -- a thread's TLS segment on i386.
//
// Layer: processes. i386 Linux programs reach their thread-local variables
// through %gs: glibc and musl ask set_thread_area (or clone's CLONE_SETTLS)
// for a GDT data segment based at their thread's control block and load
// its selector into %gs. The kernel keeps one such segment per thread (in
// the kernel Thread) and writes it into the one GDT entry USER_TLS at every
// context switch (scheduler.cpp), so each thread sees its own.
#pragma once

#include <cstdint>

#include "kernel/lib/result.h"

struct Thread;

struct ThreadLocalStorage {
    uint32_t base = 0;
    uint32_t limit_pages = 0;
    bool present = false;
};

// Reads a struct user_desc at `address` (set_thread_area, CLONE_SETTLS).
// The entry number must be -1 ("any": the kernel fills in its one entry)
// or that entry; EINVAL otherwise, EFAULT.
Result<ThreadLocalStorage> read_tls_descriptor(uint32_t address);
// Tells the program (set_thread_area) which entry it got.
Result<void> write_tls_entry_number(uint32_t address);
// get_thread_area: fills the struct user_desc at `address`, whose entry
// number must be the one entry; EINVAL otherwise, EFAULT.
Result<void> write_tls_descriptor(uint32_t address, const ThreadLocalStorage& tls);

ThreadLocalStorage thread_local_storage_of(const Thread& thread);
// Gives `thread` the segment; loaded now if it is the running thread.
void set_thread_local_storage(Thread& thread, const ThreadLocalStorage& tls);
