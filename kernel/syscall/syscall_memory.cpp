// kernel/syscall/syscall_memory.cpp -- a program's memory.
//
// Layer: system calls. The program break (brk), mappings (mmap2: anonymous
// memory and private copies of files; munmap) and page protection
// (mprotect), over the process's AddressSpace (kernel/proc/address_space.h),
// which gives anonymous pages on first touch and shares pages copy-on-write
// after fork. RLIMIT_AS bounds all mappings, RLIMIT_DATA the break
// (resource_limits.h); Linux counts private writable mappings in DATA too.
#include "fs/vfs/vfs.h"
#include "kernel/lib/errno.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/mm/memory_layout.h"
#include "kernel/proc/process.h"
#include "kernel/syscall/syscall.h"
#include "kernel/syscall/syscall_support.h"

namespace {

// RLIMIT_AS: would `more` bytes of mappings take the program past it?
bool exceeds_address_space_limit(const Process& process, uint32_t more) {
    uint64_t total = uint64_t(process.address_space->virtual_pages()) * memory_layout::PAGE_SIZE + more;
    return total > process.limits.soft(resource_limits::AS);
}

// brk(address): moves the program break; returns the (new or unchanged) break.
int32_t sys_brk(const SyscallArguments& a) {
    Process& process = self();
    uint32_t requested = a.arg[0];
    if (requested < process.break_start || requested >= 0x40000000) return int32_t(process.break_end);
    uint32_t old_top = memory_layout::page_round_up(process.break_end);
    uint32_t new_top = memory_layout::page_round_up(requested);
    if (new_top > old_top) {
        // RLIMIT_DATA bounds the break (Linux: brk fails, the break stays).
        if (requested - process.break_start > process.limits.soft(resource_limits::DATA) ||
            exceeds_address_space_limit(process, new_top - old_top)) {
            return int32_t(process.break_end);
        }
        if (process.address_space->map_anonymous(old_top, new_top - old_top, true).is_error()) {
            return int32_t(process.break_end);
        }
    } else if (new_top < old_top) {
        process.address_space->unmap(new_top, old_top - new_top);
    }
    process.break_end = requested;
    return int32_t(requested);
}

constexpr uint32_t MAP_SHARED = 0x01, MAP_PRIVATE = 0x02, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20;
constexpr uint32_t PROT_WRITE = 0x2;

// A private file mapping is a copy: the file's bytes from `offset` are read
// into the fresh pages. What lies past the end of the file is zero -- also
// in whole pages beyond it, where Linux would raise SIGBUS. Without a page
// cache there is nothing to share, so later writes to the file are not
// seen through the mapping, and MAP_SHARED is refused (ENODEV).
Result<void> copy_file_into(AddressSpace& space, uint32_t address, uint32_t size, File& file, uint64_t offset) {
    auto* chunk = static_cast<uint8_t*>(kmalloc(memory_layout::PAGE_SIZE));
    if (!chunk) return Error(ENOMEM);
    Result<void> status;
    for (uint32_t done = 0; done < size; done += memory_layout::PAGE_SIZE) {
        auto got = vfs_pread(file, chunk, memory_layout::PAGE_SIZE, int64_t(offset + done));
        if (got.is_error()) {
            status = Error(got.error());
            break;
        }
        if (got.value() == 0) break;  // end of file
        status = space.write(address + done, chunk, uint32_t(got.value()));
        if (status.is_error() || got.value() < memory_layout::PAGE_SIZE) break;
    }
    kfree(chunk);
    return status;
}

// The open file a mapping reads: a regular file opened for reading.
Result<FileRef> mappable_file(uint32_t fd) {
    FileRef file = TRY(file_of(fd));
    if (!file->can_read()) return Error(EACCES);
    if (!file->inode() || !file->inode()->is_regular_file()) return Error(ENODEV);
    return file;
}

// mmap2(address, length, protection, flags, fd, offset in pages):
// anonymous memory (demand-zero) or a private copy of a file's pages.
int32_t sys_mmap2(const SyscallArguments& a) {
    uint32_t length = a.arg[1], protection = a.arg[2], flags = a.arg[3];
    if (length == 0 || ((flags & MAP_SHARED) != 0) == ((flags & MAP_PRIVATE) != 0)) return -EINVAL;
    bool anonymous = flags & MAP_ANONYMOUS;
    if (flags & MAP_SHARED) return anonymous ? -EINVAL : -ENODEV;
    FileRef file;
    if (!anonymous) {
        auto opened = mappable_file(a.arg[4]);
        if (opened.is_error()) return -opened.error();
        file = opened.release_value();
    }
    Process& process = self();
    uint32_t size = memory_layout::page_round_up(length);
    uint32_t address = (flags & MAP_FIXED) ? a.arg[0] : process.next_mapping;
    if (address % memory_layout::PAGE_SIZE) return -EINVAL;
    // Placed mappings stay below the region the stack may grow into
    // (address_space.h); MAP_FIXED ones only below its largest.
    uint32_t area_end = (flags & MAP_FIXED) ? AddressSpace::MAPPING_AREA_MOST_END
                                            : process.address_space->mapping_area_end();
    if (size < length || uint64_t(address) + size > area_end) return -ENOMEM;
    if (exceeds_address_space_limit(process, size)) return -ENOMEM;
    if (flags & MAP_FIXED) process.address_space->unmap(address, size);
    if (auto mapped = process.address_space->map_anonymous(address, size, protection & PROT_WRITE); mapped.is_error()) {
        return -mapped.error();
    }
    if (!anonymous) {
        auto copied = copy_file_into(*process.address_space, address, size, *file, uint64_t(a.arg[5]) << 12);
        if (copied.is_error()) {
            process.address_space->unmap(address, size);
            return -copied.error();
        }
    }
    if (!(flags & MAP_FIXED)) process.next_mapping = address + size + memory_layout::PAGE_SIZE;
    return int32_t(address);
}

int32_t sys_munmap(const SyscallArguments& a) {
    if (a.arg[0] % memory_layout::PAGE_SIZE || a.arg[0] >= AddressSpace::USER_END || a.arg[1] == 0) return -EINVAL;
    self().address_space->unmap(a.arg[0], a.arg[1]);
    return 0;
}

// mprotect(address, length, protection): read-only or writable pages.
int32_t sys_mprotect(const SyscallArguments& a) {
    uint32_t address = a.arg[0], length = a.arg[1];
    if (address % memory_layout::PAGE_SIZE || uint64_t(address) + length > AddressSpace::USER_END) return -EINVAL;
    for (uint64_t page = address; page < uint64_t(address) + length; page += memory_layout::PAGE_SIZE) {
        if (!self().address_space->is_mapped(uint32_t(page), false)) return -ENOMEM;
    }
    self().address_space->protect(address, length, a.arg[2] & PROT_WRITE);
    return 0;
}

}  // namespace

void register_memory_system_calls(SyscallEntry* table, uint32_t size) {
    const NumberedSyscall calls[] = {
        {45, {"brk", sys_brk}},            {91, {"munmap", sys_munmap}},
        {125, {"mprotect", sys_mprotect}}, {192, {"mmap2", sys_mmap2}},
    };
    add_system_calls(table, size, calls);
}
