// fs/cache/page_cache.cpp -- the page cache's pool: pages, LRU, dirty
// accounting, and the flusher's policy.
//
// Layer: caches. See page_cache.h for the states and the locking rules.
// What lives here:
//   create/destroy/evict   the pool of pages, bounded by capacity_pages_;
//                          the least recently used clean, unreferenced,
//                          idle page goes first (also when the page
//                          allocator runs dry)
//   write_back_mapping     collects one mapping's dirty pages (oldest first,
//                          then sorted by index) and hands them to PageIo
//   flush_once, sync_all   passes over every mapping, each pinned while it
//                          is written so evict() can wait for the pass
// FileMapping's side (read, write, truncate) is in file_mapping.cpp, the
// requests in page_io.cpp.
#include "fs/cache/page_cache.h"

#include "fs/cache/page_io.h"
#include "kernel/lib/string.h"

namespace {

constexpr size_t MIN_BUCKETS = 16, MAX_BUCKETS = 65536;
// Pages claimed per write-back batch: bounds the pointer array while
// leaving room for many maximal requests in one plugged burst.
constexpr size_t WRITE_BATCH_PAGES = 256;

// Heapsort by page index: O(n log n), no memory.
void sort_by_index(Page** pages, size_t count) {
    auto sift_down = [pages](size_t root, size_t end) {
        while (2 * root + 1 < end) {
            size_t child = 2 * root + 1;
            if (child + 1 < end && pages[child]->index < pages[child + 1]->index) ++child;
            if (pages[root]->index >= pages[child]->index) return;
            Page* swapped = pages[root];
            pages[root] = pages[child];
            pages[child] = swapped;
            root = child;
        }
    };
    for (size_t i = count / 2; i-- > 0;) sift_down(i, count);
    for (size_t end = count; end-- > 1;) {
        Page* largest = pages[0];
        pages[0] = pages[end];
        pages[end] = largest;
        sift_down(0, end);
    }
}

bool io_in_flight(const Page& page) {
    InterruptGuard atomic;
    return page.io_in_flight;
}

// Valid, or being read (or written) right now: nothing to read.
bool valid_or_busy(const Page& page) {
    InterruptGuard atomic;  // one look at both: a completion sets them together
    return page.valid || page.io_in_flight;
}

}  // namespace

uint32_t PageCache::PageKeyTraits::hash(const Key& key) {
    uint32_t hash = klib::hash_u64(uint64_t(reinterpret_cast<uintptr_t>(key.mapping)));
    return klib::hash_combine(hash, klib::hash_u64(key.index));
}

PageCache::PageCache(size_t capacity_pages) : capacity_pages_(capacity_pages < 16 ? 16 : capacity_pages) {
    size_t bucket_count = capacity_pages_ / 2;
    if (bucket_count < MIN_BUCKETS) bucket_count = MIN_BUCKETS;
    if (bucket_count > MAX_BUCKETS) bucket_count = MAX_BUCKETS;
    buckets_ = static_cast<klib::HashNode**>(kzalloc(bucket_count * sizeof(klib::HashNode*)));
    if (!buckets_) {
        log_warning("page cache: no memory for %u hash buckets; using one", unsigned(bucket_count));
        buckets_ = &single_bucket_;
        bucket_count = 1;
    }
    table_.init(buckets_, bucket_count);
}

PageCache::~PageCache() {
    while (PageSlab* slab = slabs_) {
        slabs_ = slab->next;
        kfree(slab);
    }
    while (FileMapping* orphan = orphans_.front()) {
        orphans_.remove(*orphan);
        (void)orphan->evict();
        delete orphan;
    }
    if (!mappings_.empty()) log_warning("page cache destroyed with %u mappings", unsigned(mappings_.size()));
    if (buckets_ != &single_bucket_) kfree(buckets_);
}

// ---------------------------------------------------------------- pages; lock_ held

// Page descriptors come from slabs of PAGES_PER_SLAB, carved once and then
// recycled through a free list, rather than from the kernel heap one by one:
// one is made per 4 KiB of file data cached, and the heap's first-fit search
// is not made for that rate (Linux: struct page in mem_map, and slab caches).
// Slabs are kept until the cache goes (descriptors are small: about 3% of
// the page they describe).
Page* PageCache::new_page_locked() {
    if (!free_descriptors_) {
        auto* slab = static_cast<PageSlab*>(kmalloc(sizeof(PageSlab)));
        if (!slab) return nullptr;
        slab->next = slabs_;
        slabs_ = slab;
        for (size_t i = 0; i < PAGES_PER_SLAB; ++i) {
            auto* slot = reinterpret_cast<FreeDescriptor*>(&slab->slots[i]);
            slot->next = free_descriptors_;
            free_descriptors_ = slot;
        }
    }
    FreeDescriptor* slot = free_descriptors_;
    free_descriptors_ = slot->next;
    return new (slot) Page;
}

void PageCache::recycle_page_locked(Page* page) {
    page->~Page();
    auto* slot = reinterpret_cast<FreeDescriptor*>(page);
    slot->next = free_descriptors_;
    free_descriptors_ = slot;
}

Page* PageCache::find_locked(const FileMapping& mapping, uint64_t index) {
    return table_.find(PageKeyTraits::Key{&mapping, index});
}

// A new page, referenced once, not valid, in the table and its mapping.
Result<Page*> PageCache::create_page_locked(FileMapping& mapping, uint64_t index) {
    if (table_.size() >= capacity_pages_ && !evict_one_locked()) return Error{ENOMEM};
    Page* page = new_page_locked();
    if (!page) return Error{ENOMEM};
    void* data = platform::allocate_page();
    // Within the capacity but out of memory: give back clean pages until
    // the allocation succeeds or none are left.
    while (!data && evict_one_locked()) data = platform::allocate_page();
    if (!data) {
        recycle_page_locked(page);
        return Error{ENOMEM};
    }
    page->mapping = &mapping;
    page->index = index;
    page->data = static_cast<uint8_t*>(data);
    page->reference_count = 1;
    table_.insert(*page);
    mapping.pages_.push_back(*page);
    return page;
}

bool PageCache::evict_one_locked() {
    for (Page& page : lru_) {
        if (io_in_flight(page)) continue;  // a read or write still uses its memory
        destroy_page_locked(page);
        ++statistics_.evictions;
        return true;
    }
    return false;
}

void PageCache::destroy_page_locked(Page& page) {
    KASSERT(page.reference_count == 0 && !io_in_flight(page));
    if (page.dirty) clear_dirty_locked(page);  // a dropped page is never written
    if (page.state_node.is_linked()) lru_.remove(page);
    table_.remove(page);
    page.mapping->pages_.remove(page);
    platform::free_page(page.data);
    recycle_page_locked(&page);
}

void PageCache::reference_locked(Page& page) {
    if (page.reference_count++ != 0) return;
    if (!page.dirty) lru_.remove(page);  // unreferenced clean pages wait on the LRU
}

void PageCache::release_locked(Page& page) {
    KASSERT(page.reference_count > 0);
    if (--page.reference_count != 0) return;
    if (!page.dirty) lru_.push_back(page);  // the most recently used is evicted last
}

void PageCache::mark_dirty_locked(Page& page) {
    if (page.dirty) return;
    if (page.reference_count == 0) lru_.remove(page);
    page.dirty = true;
    page.dirtied_at_ms = clock_();
    if (page.mapping->dirty_.empty()) dirty_mappings_.push_back(*page.mapping);
    page.mapping->dirty_.push_back(page);  // oldest first
    ++dirty_pages_;
}

void PageCache::clear_dirty_locked(Page& page) {
    KASSERT(page.dirty);
    page.dirty = false;
    page.mapping->dirty_.remove(page);
    if (page.mapping->dirty_.empty()) dirty_mappings_.remove(*page.mapping);
    --dirty_pages_;
    if (page.reference_count == 0) lru_.push_back(page);
}

// ---------------------------------------------------------------- references; lock_ not held

Page* PageCache::acquire(FileMapping& mapping, uint64_t index) {
    MutexLocker locker(lock_);
    Page* page = find_locked(mapping, index);
    if (page) reference_locked(*page);
    return page;
}

void PageCache::release(Page& page) {
    MutexLocker locker(lock_);
    release_locked(page);
}

size_t PageCache::acquire_valid_run(FileMapping& mapping, uint64_t first, Page** out, size_t room, bool are_hits) {
    MutexLocker locker(lock_);
    size_t count = 0;
    for (; count < room; ++count) {
        Page* page = find_locked(mapping, first + count);
        if (!page) break;
        {
            InterruptGuard atomic;  // valid is written by request completion
            if (!page->valid) break;
        }
        reference_locked(*page);
        out[count] = page;
    }
    if (are_hits) statistics_.hits += count;
    return count;
}

void PageCache::release_all(Page* const* pages, size_t count) {
    MutexLocker locker(lock_);
    for (size_t i = 0; i < count; ++i) release_locked(*pages[i]);
}

// ---------------------------------------------------------------- reading

// Claims, from `next` on (up to `end`), pages that are neither valid nor
// being read, creating missing ones, until `room` are claimed. Advances
// `next`; `error` is set when a page could not be created.
size_t PageCache::claim_for_read(FileMapping& mapping, uint64_t& next, uint64_t end, bool is_readahead, Page** out,
                                 size_t room, int& error) {
    MutexLocker locker(lock_);
    size_t claimed = 0;
    for (; next < end && claimed < room; ++next) {
        Page* page = find_locked(mapping, next);
        if (page && valid_or_busy(*page)) continue;  // cached (a hit when handed out), or on its way
        if (!is_readahead) ++statistics_.misses;
        if (page) {
            reference_locked(*page);  // a failed read: try it again
        } else {
            Result<Page*> created = create_page_locked(mapping, next);
            if (created.is_error()) {
                error = created.error();
                break;
            }
            page = created.value();
        }
        if (is_readahead) ++statistics_.readahead_pages;
        PageIo::begin(*page, IoDirection::Read);
        out[claimed++] = page;
    }
    return claimed;
}

void PageCache::submit_reads(FileMapping& mapping, Page** claimed, size_t count) {
    PageIo::submit(mapping, IoDirection::Read, claimed, count);
    MutexLocker locker(lock_);
    for (size_t i = 0; i < count; ++i) release_locked(*claimed[i]);
}

Result<void> PageCache::start_reads(FileMapping& mapping, uint64_t first, uint64_t count, uint64_t file_size,
                                    uint64_t readahead_first, uint64_t readahead_count) {
    constexpr size_t BATCH = 128;
    Page* claimed[BATCH];
    size_t claimed_count = 0;
    struct Range {
        uint64_t first, end;
        bool is_readahead;
    } ranges[2] = {{first, first + count, false}, {readahead_first, readahead_first + readahead_count, true}};
    int error = 0;
    for (size_t r = 0; r < 2 && error == 0; ++r) {
        for (uint64_t next = ranges[r].first; next < ranges[r].end && error == 0;) {
            if (claimed_count == BATCH) {
                submit_reads(mapping, claimed, claimed_count);
                claimed_count = 0;
            }
            size_t added = claim_for_read(mapping, next, ranges[r].end, ranges[r].is_readahead,
                                          claimed + claimed_count, BATCH - claimed_count, error);
            // The block numbers come from the file system: without lock_, and
            // with no plug held (its lookups may read through the same queue).
            for (size_t i = claimed_count; i < claimed_count + added; ++i) {
                Result<void> mapped = mapping.fill_block_numbers(*claimed[i], file_size, false);
                if (mapped.is_error()) PageIo::fail_before_submission(*claimed[i], mapped.error());
            }
            claimed_count += added;
            if (error != 0 && ranges[r].is_readahead) {
                error = 0;  // read-ahead is only a hint: stop it, quietly
                break;
            }
        }
    }
    // The pages asked for and the read-ahead behind them go out together
    // (one plug in PageIo::submit), so adjacent ones share requests.
    submit_reads(mapping, claimed, claimed_count);
    if (error != 0) return Error{error};
    return {};
}

// ---------------------------------------------------------------- write-back

size_t PageCache::write_back_mapping(FileMapping& mapping, uint64_t dirtied_by_ms, size_t limit) {
    Page* batch[WRITE_BATCH_PAGES];
    size_t submitted = 0;
    while (submitted < limit) {
        size_t count = 0;
        {
            MutexLocker locker(lock_);
            for (Page& page : mapping.dirty_) {
                if (count == WRITE_BATCH_PAGES || submitted + count == limit) break;
                if (page.dirtied_at_ms > dirtied_by_ms) break;  // the list is oldest first
                // A referenced page is being copied into (its bytes and block
                // numbers are changing): the next pass takes it.
                if (page.reference_count != 0 || io_in_flight(page)) continue;
                // Clean from now on: a write into it meanwhile dirties it again
                // (after waiting for this write), for the next pass.
                clear_dirty_locked(page);
                PageIo::begin(page, IoDirection::Write);
                batch[count++] = &page;
            }
        }
        if (count == 0) break;
        sort_by_index(batch, count);
        PageIo::submit(mapping, IoDirection::Write, batch, count);
        submitted += count;
    }
    return submitted;
}

void PageCache::kick_flusher() {
    {
        InterruptGuard atomic;
        flusher_kicked_ = true;
    }
    flusher_wakeup_.wake_all();
}

void PageCache::balance_dirty_pages(FileMapping& writer) {
    size_t dirty;
    {
        MutexLocker locker(lock_);
        dirty = dirty_pages_;
        if (dirty > hard_dirty_limit()) ++statistics_.throttled_writes;
    }
    if (dirty > background_dirty_limit()) kick_flusher();
    if (dirty <= hard_dirty_limit()) return;
    // The writer pays for its own dirt: its pages go out now, and it waits,
    // so one big copy cannot run ahead of the disk.
    write_back_mapping(writer, UINT64_MAX, SIZE_MAX);
    writer.wait_for_page_io();
}

FileMapping* PageCache::pin_next_locked(uint64_t pass, uint64_t dirtied_by_ms, const BlockDevice* device) {
    for (FileMapping& mapping : dirty_mappings_) {
        if (mapping.flush_pass_ == pass || (device && &mapping.device_ != device)) continue;
        Page* oldest = mapping.dirty_.front();
        if (!oldest || oldest->dirtied_at_ms > dirtied_by_ms) continue;
        mapping.flush_pass_ = pass;
        InterruptGuard atomic;  // pins_ is read by waiters with interrupts off
        ++mapping.pins_;
        return &mapping;
    }
    return nullptr;
}

void PageCache::unpin(FileMapping& mapping) {
    {
        MutexLocker locker(lock_);
        InterruptGuard atomic;
        --mapping.pins_;
    }
    mapping.io_done_.wake_all();
}

// One pass over the dirty mappings, a batch of them at a time: each batch's
// pages are submitted while every disk involved is plugged, so pages of
// different files that lie side by side on the disk (a tree just copied)
// merge into large requests; then the batch is waited for and unpinned.
// `dirtied_by`: only pages dirty since then; `above_background`: stop once
// the dirty count is below the background threshold.
size_t PageCache::write_back_pass(uint64_t dirtied_by, bool above_background, const BlockDevice* device) {
    uint64_t pass = ++pass_;
    size_t written = 0;
    // Big batches merge best; a small one on the stack when memory is short.
    FileMapping* small_batch[SMALL_BATCH_MAPPINGS];
    auto* allocated = static_cast<FileMapping**>(kmalloc(MAPPINGS_PER_BATCH * sizeof(FileMapping*)));
    FileMapping** batch = allocated ? allocated : small_batch;
    size_t batch_limit = allocated ? MAPPINGS_PER_BATCH : SMALL_BATCH_MAPPINGS;
    for (;;) {
        size_t count = 0;
        {
            MutexLocker locker(lock_);
            while (count < batch_limit) {
                if (above_background && dirty_pages_ <= background_dirty_limit()) break;
                FileMapping* mapping = pin_next_locked(pass, dirtied_by, device);
                if (!mapping) break;
                batch[count++] = mapping;
            }
        }
        if (count == 0) break;
        for (size_t i = 0; i < count; ++i) batch[i]->device().queue().plug();
        for (size_t i = 0; i < count; ++i) written += write_back_mapping(*batch[i], dirtied_by, SIZE_MAX);
        for (size_t i = 0; i < count; ++i) batch[i]->device().queue().unplug();
        for (size_t i = 0; i < count; ++i) {
            batch[i]->wait_for_page_io();
            unpin(*batch[i]);
        }
    }
    kfree(allocated);
    return written;
}

size_t PageCache::flush_once(uint64_t now_ms) {
    MutexLocker one_pass_at_a_time(pass_lock_);
    {
        InterruptGuard atomic;
        flusher_kicked_ = false;  // a kick from now on asks for another pass
    }
    size_t written = 0;
    // First the pages that have waited too long, then whole files until the
    // dirty count is below the background threshold.
    if (now_ms >= DIRTY_EXPIRE_MS) written += write_back_pass(now_ms - DIRTY_EXPIRE_MS, false);
    written += write_back_pass(UINT64_MAX, true);
    free_empty_orphans();
    return written;
}

void PageCache::wait_for_flusher_work(uint64_t timeout_ms) {
    flusher_wakeup_.wait_until_or_timeout([this] { return flusher_kicked_; }, timeout_ms);
}

Result<void> PageCache::sync_all(const BlockDevice* device) {
    MutexLocker one_pass_at_a_time(pass_lock_);
    uint64_t errors_before;
    {
        InterruptGuard atomic;
        errors_before = statistics_.write_errors;
    }
    write_back_pass(UINT64_MAX, false, device);
    // The errors stay with their mappings for fsync; sync says only that
    // something failed.
    InterruptGuard atomic;
    if (statistics_.write_errors != errors_before) return Error{EIO};
    return {};
}

size_t PageCache::reclaim(size_t pages) {
    if (!lock_.try_lock()) return 0;
    size_t freed = 0;
    while (freed < pages && evict_one_locked()) ++freed;
    lock_.unlock();
    return freed;
}

// ---------------------------------------------------------------- orphans

void PageCache::orphan(FileMapping* mapping) {
    {
        MutexLocker locker(lock_);
        if (!mapping->pages_.empty()) {
            mapping->mapper_ = nullptr;
            mapping->orphaned_ = true;
            orphans_.push_back(*mapping);
            return;
        }
    }
    delete mapping;  // nothing cached: nothing to keep
}

FileMapping* PageCache::adopt(BlockDevice& device, uint64_t owner, BlockMapper& mapper) {
    MutexLocker locker(lock_);
    for (FileMapping& mapping : orphans_) {
        if (&mapping.device_ != &device || mapping.owner_ != owner) continue;
        orphans_.remove(mapping);
        mapping.orphaned_ = false;
        mapping.mapper_ = &mapper;
        return &mapping;
    }
    return nullptr;
}

Result<void> PageCache::release_device(BlockDevice& device) {
    Result<void> first;
    for (;;) {
        FileMapping* found = nullptr;
        {
            MutexLocker locker(lock_);
            for (FileMapping& mapping : orphans_) {
                if (&mapping.device_ != &device) continue;
                orphans_.remove(mapping);
                mapping.orphaned_ = false;
                found = &mapping;
                break;
            }
        }
        if (!found) return first;
        Result<void> written = found->evict();
        if (written.is_error() && !first.is_error()) first = written;
        delete found;
    }
}

// Orphans left without pages (evicted under pressure, or written and then
// evicted) are freed here, by the flusher: never while a pass pins them.
void PageCache::free_empty_orphans() {
    for (;;) {
        FileMapping* empty = nullptr;
        {
            MutexLocker locker(lock_);
            for (FileMapping& mapping : orphans_) {
                InterruptGuard atomic;
                if (!mapping.pages_.empty() || mapping.pins_ != 0 || mapping.pages_under_io_ != 0) continue;
                orphans_.remove(mapping);
                mapping.orphaned_ = false;
                empty = &mapping;
                break;
            }
        }
        if (!empty) return;
        delete empty;
    }
}

size_t PageCache::drop_clean_pages() {
    MutexLocker locker(lock_);
    size_t dropped = 0;
    for (Page& page : lru_) {
        if (io_in_flight(page)) continue;
        destroy_page_locked(page);
        ++dropped;
    }
    return dropped;
}

PageCacheStatistics PageCache::statistics() const {
    MutexLocker locker(lock_);
    InterruptGuard atomic;  // some counters change in request completion
    PageCacheStatistics snapshot = statistics_;
    snapshot.pages = table_.size();
    snapshot.dirty = dirty_pages_;
    snapshot.writeback = pages_under_writeback_;
    snapshot.capacity_pages = capacity_pages_;
    snapshot.background_dirty_limit = background_dirty_limit();
    snapshot.hard_dirty_limit = hard_dirty_limit();
    return snapshot;
}
