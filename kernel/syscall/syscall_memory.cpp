// kernel/syscall/syscall_memory.cpp -- a program's memory.
//
// Layer: system calls. The program break (brk), mappings (mmap2 of
// anonymous memory and of files, private or shared; munmap; mremap),
// protection (mprotect), advice (madvise), residency (mincore) and the
// write-back of shared file mappings (msync), over the process's
// AddressSpace (kernel/proc/address_space.h) and its regions. Here are
// the arguments' checks, in Linux's order and with its errno values;
// the address space does the work. RLIMIT_AS bounds all mappings,
// RLIMIT_DATA the break (resource_limits.h).
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
    } else if (new_top < old_top && process.address_space->unmap(new_top, old_top - new_top).is_error()) {
        return int32_t(process.break_end);
    }
    process.break_end = requested;
    return int32_t(requested);
}

constexpr uint32_t MAP_SHARED = 0x01, MAP_PRIVATE = 0x02, MAP_SHARED_VALIDATE = 0x03, MAP_TYPE = 0x0F;
constexpr uint32_t MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20, MAP_FIXED_NOREPLACE = 0x100000;
constexpr uint32_t PAGE_SIZE = memory_layout::PAGE_SIZE;

bool is_page_aligned(uint32_t address) { return address % PAGE_SIZE == 0; }

// Linux's PAGE_ALIGN on a length: 0 when it wraps around.
uint32_t page_aligned_length(uint32_t length) { return (length + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1); }

// The open file a mapping reads: a regular file opened for reading; a
// shared writable mapping needs it open for writing too, not appending.
Result<FileRef> mappable_file(uint32_t fd, bool shared_writable) {
    FileRef file = TRY(file_of(fd));
    if (!file->inode() || !file->inode()->is_regular_file()) return Error(ENODEV);
    if (!file->can_read()) return Error(EACCES);
    if (shared_writable && (!file->can_write() || file->is_append())) return Error(EACCES);
    return file;
}

// mmap2(address, length, protection, flags, fd, offset in pages): anonymous
// memory or a file's pages, private or shared (address_space.h).
int32_t sys_mmap2(const SyscallArguments& a) {
    uint32_t length = a.arg[1], protection = a.arg[2], flags = a.arg[3], page_offset = a.arg[5];
    uint32_t type = flags & MAP_TYPE;
    if (length == 0 || (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE)) return -EINVAL;
    AddressSpace::MappingRequest request;
    request.shared = type != MAP_PRIVATE;
    request.protection = protection & (PROTECTION_READ | PROTECTION_WRITE | PROTECTION_EXECUTE);
    if (!(flags & MAP_ANONYMOUS)) {
        auto opened = mappable_file(a.arg[4], request.shared && (protection & PROTECTION_WRITE));
        if (opened.is_error()) return -opened.error();
        request.file = opened.release_value();
        request.file_offset = uint64_t(page_offset) * PAGE_SIZE;
    }
    uint32_t size = page_aligned_length(length);
    if (size == 0) return -ENOMEM;
    if (uint64_t(page_offset) + size / PAGE_SIZE > 0xFFFFFFFFu) return -EOVERFLOW;
    Process& process = self();
    request.fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE);
    request.no_replace = flags & MAP_FIXED_NOREPLACE;
    request.address = request.fixed ? a.arg[0] : page_aligned_length(a.arg[0]);
    request.length = size;
    request.search_from = process.next_mapping;
    // Placed mappings stay below the region the stack may grow into
    // (address_space.h); MAP_FIXED ones only below its largest.
    request.area_end = request.fixed ? AddressSpace::MAPPING_AREA_MOST_END : process.address_space->mapping_area_end();
    if (request.fixed && !is_page_aligned(request.address)) return -EINVAL;
    if (request.fixed && uint64_t(request.address) + size > request.area_end) return -ENOMEM;
    if (exceeds_address_space_limit(process, size)) return -ENOMEM;
    auto mapped = process.address_space->map(request);
    if (mapped.is_error()) return -mapped.error();
    if (!request.fixed && mapped.value() >= process.next_mapping) process.next_mapping = mapped.value() + size + PAGE_SIZE;
    return int32_t(mapped.value());
}

int32_t sys_munmap(const SyscallArguments& a) {
    uint32_t address = a.arg[0], length = page_aligned_length(a.arg[1]);
    if (!is_page_aligned(address) || length == 0 || address >= AddressSpace::USER_END ||
        length > AddressSpace::USER_END - address) {
        return -EINVAL;
    }
    auto unmapped = self().address_space->unmap(address, length);
    return unmapped.is_error() ? -unmapped.error() : 0;
}

// mprotect(address, length, protection): on parts of regions, too.
int32_t sys_mprotect(const SyscallArguments& a) {
    constexpr uint32_t PROT_GROWSDOWN = 0x01000000, PROT_GROWSUP = 0x02000000;
    uint32_t address = a.arg[0], protection = a.arg[2];
    uint32_t every = PROTECTION_READ | PROTECTION_WRITE | PROTECTION_EXECUTE | PROT_GROWSDOWN | PROT_GROWSUP;
    if (!is_page_aligned(address) || (protection & ~every)) return -EINVAL;
    if (a.arg[1] == 0) return 0;
    uint32_t length = page_aligned_length(a.arg[1]);
    if (length == 0 || uint64_t(address) + length > AddressSpace::USER_END) return -ENOMEM;
    protection &= PROTECTION_READ | PROTECTION_WRITE | PROTECTION_EXECUTE;
    auto changed = self().address_space->change_protection(address, length, protection);
    return changed.is_error() ? -changed.error() : 0;
}

// mremap(old address, old size, new size, flags, new address).
int32_t sys_mremap(const SyscallArguments& a) {
    constexpr uint32_t MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2;
    uint32_t flags = a.arg[3];
    AddressSpace::RemapRequest request;
    request.old_address = a.arg[0];
    request.old_size = page_aligned_length(a.arg[1]);
    request.new_size = page_aligned_length(a.arg[2]);
    request.may_move = flags & MREMAP_MAYMOVE;
    request.fixed = flags & MREMAP_FIXED;
    request.new_address = a.arg[4];
    // MREMAP_DONTUNMAP (4) and duplicating a shared mapping (old size 0)
    // are not supported: EINVAL.
    if ((flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED)) || (request.fixed && !request.may_move)) return -EINVAL;
    if (!is_page_aligned(request.old_address) || request.new_size == 0 || request.old_size == 0) return -EINVAL;
    if (request.fixed) {
        uint64_t new_end = uint64_t(request.new_address) + request.new_size;
        uint64_t old_end = uint64_t(request.old_address) + request.old_size;
        if (!is_page_aligned(request.new_address) || new_end > AddressSpace::USER_END) return -EINVAL;
        if (request.new_address < old_end && request.old_address < new_end) return -EINVAL;  // they overlap
    }
    Process& process = self();
    if (request.new_size > request.old_size && exceeds_address_space_limit(process, request.new_size - request.old_size)) {
        return -ENOMEM;
    }
    request.search_from = process.next_mapping;
    request.area_end = process.address_space->mapping_area_end();
    auto remapped = process.address_space->remap(request);
    return remapped.is_error() ? -remapped.error() : int32_t(remapped.value());
}

// madvise(address, length, advice): MADV_DONTNEED (and DONTNEED_LOCKED)
// drop private pages back to what backs them; the other advice Linux
// knows is accepted and changes nothing here.
int32_t sys_madvise(const SyscallArguments& a) {
    constexpr uint32_t MADV_DONTNEED = 4, MADV_FREE = 8, MADV_POPULATE_WRITE = 23, MADV_DONTNEED_LOCKED = 24;
    constexpr uint32_t MADV_COLLAPSE = 25;
    uint32_t address = a.arg[0], advice = a.arg[2];
    bool known = advice <= MADV_DONTNEED || (advice >= MADV_FREE && advice <= MADV_COLLAPSE);
    if (!known || !is_page_aligned(address)) return -EINVAL;
    uint32_t length = page_aligned_length(a.arg[1]);
    if (a.arg[1] != 0 && length == 0) return -EINVAL;
    if (uint64_t(address) + length > AddressSpace::USER_END) return -ENOMEM;
    if (length == 0) return 0;
    AddressSpace& space = *self().address_space;
    if (advice == MADV_DONTNEED || advice == MADV_DONTNEED_LOCKED) {
        auto discarded = space.discard_pages(address, length);
        return discarded.is_error() ? -discarded.error() : 0;
    }
    if (advice == MADV_POPULATE_WRITE && !space.is_mapped(address, true)) return -ENOMEM;
    return space.is_covered(address, address + length) ? 0 : -ENOMEM;
}

// mincore(address, length, vector): one byte per page, bit 0 = resident.
int32_t sys_mincore(const SyscallArguments& a) {
    uint32_t address = a.arg[0], length = a.arg[1], vector = a.arg[2];
    if (!is_page_aligned(address)) return -EINVAL;
    if (uint64_t(address) + length > AddressSpace::USER_END) return -ENOMEM;
    uint32_t pages = uint32_t((uint64_t(length) + PAGE_SIZE - 1) / PAGE_SIZE);
    if (pages == 0) return 0;
    if (!self().address_space->is_covered(address, address + pages * PAGE_SIZE)) return -ENOMEM;
    auto* chunk = static_cast<uint8_t*>(kmalloc(PAGE_SIZE));
    if (!chunk) return -ENOMEM;
    int32_t status = 0;
    for (uint32_t done = 0; done < pages && status == 0;) {
        uint32_t count = pages - done < PAGE_SIZE ? pages - done : PAGE_SIZE;
        auto known = self().address_space->residency(address + done * PAGE_SIZE, count, chunk);
        if (known.is_error()) status = -known.error();
        else if (copy_to_user(vector + done, chunk, count).is_error()) status = -EFAULT;
        done += count;
    }
    kfree(chunk);
    return status;
}

// msync(address, length, flags): shared file pages into the file.
int32_t sys_msync(const SyscallArguments& a) {
    constexpr uint32_t MS_ASYNC = 1, MS_INVALIDATE = 2, MS_SYNC = 4;
    uint32_t address = a.arg[0], flags = a.arg[2];
    if ((flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) || !is_page_aligned(address)) return -EINVAL;
    if ((flags & MS_ASYNC) && (flags & MS_SYNC)) return -EINVAL;
    uint64_t end = uint64_t(address) + page_aligned_length(a.arg[1]);
    if (end == address) return 0;
    if (end > AddressSpace::USER_END) return -ENOMEM;
    auto synced = self().address_space->sync(address, uint32_t(end), flags & MS_SYNC, flags & MS_INVALIDATE);
    return synced.is_error() ? -synced.error() : 0;
}

}  // namespace

void register_memory_system_calls(SyscallEntry* table, uint32_t size) {
    const NumberedSyscall calls[] = {
        {45, {"brk", sys_brk}},            {91, {"munmap", sys_munmap}},   {125, {"mprotect", sys_mprotect}},
        {144, {"msync", sys_msync}},       {163, {"mremap", sys_mremap}},  {192, {"mmap2", sys_mmap2}},
        {218, {"mincore", sys_mincore}},   {219, {"madvise", sys_madvise}},
    };
    add_system_calls(table, size, calls);
}
