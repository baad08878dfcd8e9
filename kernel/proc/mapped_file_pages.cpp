// kernel/proc/mapped_file_pages.cpp -- the pages of file mappings: filled
// from the file, and for shared ones written back to it (msync, munmap,
// exit). See address_space.h.
//
// Layer: processes, over the VFS. A file mapping's pages are frames of the
// address space's own, filled from the file (its page cache) when mapped;
// they are not the page cache's frames themselves. So:
//   - MAP_PRIVATE: the copy is the private copy (Linux would copy a page
//     cache page on its first write instead); later writes to the file
//     are not seen through the mapping, as on Linux only for pages the
//     program already wrote.
//   - MAP_SHARED: the frames are shared by fork (SHARED_FRAME), and a page
//     the program wrote (the MMU's dirty bit of its entry) is copied into
//     the file's page cache by msync (MS_ASYNC and MS_SYNC alike; MS_SYNC
//     syncs the file to its disk too), by munmap and at exit. From then on
//     read() of any process sees it, and the flusher takes it to the disk
//     as it does the pages write() made. msync(MS_INVALIDATE) refreshes the
//     pages not written since from the file, so write()s of others become
//     visible too; without it a mapping sees the file as it was when mapped.
// Only bytes inside the file are written: a mapping never makes a file
// longer, and pages past its end read zeros (Linux sends SIGBUS there).
// Each address space tracks the dirty bits of its own entries: a page a
// forked child wrote is written back by the child's msync, munmap or exit.
// A write into a page between its write-back and its munmap by another
// thread of the program is lost, as the write raced the unmap.
//
// Locking: as address_space.h says, the entries are read and their dirty
// bits cleared with interrupts masked; the frames being written are held
// by one more reference each meanwhile, so an munmap by another thread
// cannot free them under the write.
#include "fs/vfs/inode.h"
#include "fs/vfs/vfs.h"
#include "kernel/arch/x86/interrupt_guard.h"
#include "kernel/arch/x86/paging.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/string.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/mm/memory_layout.h"
#include "kernel/mm/page_references.h"
#include "kernel/mm/physical_allocator.h"
#include "kernel/proc/address_space.h"

namespace {

using memory_layout::PAGE_SIZE;
constexpr uint32_t FRAME_MASK = 0xFFFFF000;
constexpr uint32_t WRITE_BACK_BATCH = 16;  // pages written per pass of the guard

uint8_t* bytes_of(uint32_t frame) { return memory_layout::physical_to_pointer<uint8_t>(frame); }

// How many bytes of the page at `offset` lie inside the file.
uint32_t bytes_in_file(File& file, uint64_t offset) {
    uint64_t size = file.inode()->size();
    if (offset >= size) return 0;
    return size - offset < PAGE_SIZE ? uint32_t(size - offset) : PAGE_SIZE;
}

// Pages of a shared file mapping, referenced while they are written.
struct WriteBackBatch {
    FileRef file;
    uint32_t frames[WRITE_BACK_BATCH];
    uint64_t offsets[WRITE_BACK_BATCH];
    uint32_t count = 0;
    bool region_done = false;  // the batch holds the last pages of its region's range
};

Result<void> write_batch(WriteBackBatch& batch, bool wait) {
    Result<void> status;
    for (uint32_t i = 0; i < batch.count; ++i) {
        uint32_t length = bytes_in_file(*batch.file, batch.offsets[i]);
        if (length > 0 && !status.is_error()) {
            auto written = vfs_pwrite(*batch.file, bytes_of(batch.frames[i]), length, int64_t(batch.offsets[i]));
            if (written.is_error()) status = Error(written.error());
        }
        page_references::drop_reference(batch.frames[i]);
    }
    if (wait && batch.region_done && !status.is_error()) status = vfs_fsync(*batch.file);
    return status;
}

}  // namespace

Result<uint32_t*> AddressSpace::prepare_frames(const MappedRegion& like, uint32_t address, uint32_t pages) {
    if ((!like.shared && !like.is_file()) || pages == 0) return static_cast<uint32_t*>(nullptr);
    if (pages > physical_allocator::statistics().free_pages) return Error(ENOMEM);
    auto* frames = static_cast<uint32_t*>(kmalloc(pages * sizeof(uint32_t)));
    if (!frames) return Error(ENOMEM);
    klib::memset(frames, 0, pages * sizeof(uint32_t));
    bool at_end_of_file = false;
    for (uint32_t i = 0; i < pages; ++i) {
        frames[i] = page_references::allocate_page();
        if (!frames[i]) {
            release_frames(frames, pages);
            return Error(ENOMEM);
        }
        uint8_t* page = bytes_of(frames[i]);
        klib::memset(page, 0, PAGE_SIZE);
        if (!like.is_file() || at_end_of_file) continue;
        auto got = vfs_pread(*like.file, page, PAGE_SIZE, int64_t(like.offset_of(address + i * PAGE_SIZE)));
        if (got.is_error()) {
            release_frames(frames, pages);
            return Error(got.error());
        }
        at_end_of_file = got.value() < PAGE_SIZE;
    }
    return frames;
}

void AddressSpace::release_frames(uint32_t* frames, uint32_t pages) {
    if (!frames) return;
    for (uint32_t i = 0; i < pages; ++i) {
        if (frames[i]) page_references::drop_reference(frames[i]);
    }
    kfree(frames);
}

Result<void> AddressSpace::write_back(uint32_t start, uint32_t end, bool wait) {
    Result<void> status;
    for (uint32_t address = start; address < end;) {
        WriteBackBatch batch;
        {
            InterruptGuard atomic;
            MappedRegion* region = regions_.first_ending_after(address);
            while (region && region->start < end && !region->is_shared_file()) region = region->next;
            if (!region || region->start >= end) break;
            if (address < region->start) address = region->start;
            uint32_t stop = region->end < end ? region->end : end;
            batch.file = region->file;
            for (; address < stop && batch.count < WRITE_BACK_BATCH; address += PAGE_SIZE) {
                uint32_t* entry = entry_for(address, false);
                if (!entry || !(*entry & paging::DIRTY)) continue;
                *entry &= ~uint32_t(paging::DIRTY);
                flush_page(address);  // so the next write marks the entry again
                page_references::add_reference(*entry & FRAME_MASK);
                batch.frames[batch.count] = *entry & FRAME_MASK;
                batch.offsets[batch.count++] = region->offset_of(address);
            }
            batch.region_done = address >= stop;
        }
        auto written = write_batch(batch, wait);
        if (written.is_error() && !status.is_error()) status = written;
    }
    return status;
}

// Copies the file's bytes into the pages of shared file mappings in
// [start, end) that were not written since the last write-back.
Result<void> AddressSpace::refresh_from_files(uint32_t start, uint32_t end) {
    auto* buffer = static_cast<uint8_t*>(kmalloc(PAGE_SIZE));
    if (!buffer) return Error(ENOMEM);
    Result<void> status;
    for (uint32_t address = start; address < end && !status.is_error(); address += PAGE_SIZE) {
        FileRef file;
        uint64_t offset = 0;
        {
            InterruptGuard atomic;
            MappedRegion* region = regions_.find(address);
            if (!region || !region->is_shared_file()) continue;
            file = region->file;
            offset = region->offset_of(address);
        }
        klib::memset(buffer, 0, PAGE_SIZE);
        auto got = vfs_pread(*file, buffer, PAGE_SIZE, int64_t(offset));
        if (got.is_error()) status = Error(got.error());
        InterruptGuard atomic;
        MappedRegion* region = regions_.find(address);
        uint32_t* entry = entry_for(address, false);
        bool unchanged = region && region->file.get() == file.get() && region->offset_of(address) == offset;
        if (!got.is_error() && unchanged && entry && !(*entry & paging::DIRTY)) {
            klib::memcpy(bytes_of(*entry & FRAME_MASK), buffer, PAGE_SIZE);
        }
    }
    kfree(buffer);
    return status;
}

Result<void> AddressSpace::sync(uint32_t start, uint32_t end, bool wait, bool invalidate) {
    bool covered = is_covered(start, end);
    Result<void> status = write_back(start, end, wait);
    if (invalidate && !status.is_error()) status = refresh_from_files(start, end);
    if (status.is_error()) return status;
    return covered ? Result<void>() : Result<void>(Error(ENOMEM));
}

FileRef AddressSpace::take_one_file() {
    InterruptGuard atomic;
    for (MappedRegion* region = regions_.first(); region; region = region->next) {
        if (region->is_file()) return std::move(region->file);
    }
    return FileRef();
}

void AddressSpace::release_file_mappings() {
    {
        InterruptGuard atomic;
        if (users_ != 1) return;
    }
    (void)write_back(0, USER_END, false);
    // Dropped one at a time, each outside the guard: it may be the last
    // reference to its file.
    for (FileRef file = take_one_file(); file; file = take_one_file()) file.reset();
}
