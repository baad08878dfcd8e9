// kernel/proc/thread_local_storage.cpp -- see thread_local_storage.h.
#include "kernel/proc/thread_local_storage.h"

#include "kernel/arch/x86/gdt.h"
#include "kernel/lib/errno.h"
#include "kernel/proc/user_memory.h"
#include "kernel/sched/scheduler.h"

namespace {

// struct user_desc of set_thread_area(2).
struct [[gnu::packed]] UserDescriptor {
    uint32_t entry_number, base_address, limit;
    uint32_t flags;  // seg_32bit:1 contents:2 read_exec_only:1 limit_in_pages:1 seg_not_present:1 useable:1
};

constexpr uint32_t OUR_ENTRY = gdt::USER_TLS >> 3;

}  // namespace

Result<ThreadLocalStorage> read_tls_descriptor(uint32_t address) {
    UserDescriptor descriptor;
    if (copy_from_user(&descriptor, address, sizeof descriptor).is_error()) return Error(EFAULT);
    if (descriptor.entry_number != uint32_t(-1) && descriptor.entry_number != OUR_ENTRY) return Error(EINVAL);
    bool limit_in_pages = descriptor.flags & (1 << 4), not_present = descriptor.flags & (1 << 5);
    ThreadLocalStorage tls;
    tls.base = descriptor.base_address;
    tls.limit_pages = limit_in_pages ? descriptor.limit : descriptor.limit >> 12;
    tls.present = !not_present;
    return tls;
}

Result<void> write_tls_entry_number(uint32_t address) {
    uint32_t entry = OUR_ENTRY;  // entry_number is the first field
    if (copy_to_user(address, &entry, sizeof entry).is_error()) return Error(EFAULT);
    return {};
}

Result<void> write_tls_descriptor(uint32_t address, const ThreadLocalStorage& tls) {
    uint32_t entry;
    if (copy_from_user(&entry, address, sizeof entry).is_error()) return Error(EFAULT);
    if (entry != OUR_ENTRY) return Error(EINVAL);
    // seg_32bit, writable data, limit in pages, usable -- what glibc asks for
    constexpr uint32_t FLAGS = 1 << 0 | 1 << 4 | 1 << 6;
    UserDescriptor descriptor{OUR_ENTRY, tls.base, tls.limit_pages, FLAGS | (tls.present ? 0u : 1u << 5)};
    if (copy_to_user(address, &descriptor, sizeof descriptor).is_error()) return Error(EFAULT);
    return {};
}

ThreadLocalStorage thread_local_storage_of(const Thread& thread) {
    return {thread.tls_base, thread.tls_limit_pages, thread.tls_present};
}

void set_thread_local_storage(Thread& thread, const ThreadLocalStorage& tls) {
    thread.tls_base = tls.base;
    thread.tls_limit_pages = tls.limit_pages;
    thread.tls_present = tls.present;
    if (&thread == &scheduler::current()) gdt::set_user_tls(tls.base, tls.limit_pages, tls.present);
}
