// fs/cache/file_mapping.cpp -- one file's pages: read, write, truncate,
// write-back, eviction.
//
// Layer: caches. See page_cache.h. Every public method here runs with the
// file's inode lock held, which is what makes it safe to call the
// BlockMapper and to fill a page's block numbers: no other read, write or
// truncate of this file runs meanwhile. The cache's Mutex is taken only in
// short sections, never across a BlockMapper call or while waiting.
//
// Read-ahead (Linux: mm/readahead.c, on-demand read-ahead, simplified): a
// read that starts where the previous one ended (or re-reads its last page)
// is sequential. The first sequential read asks for the next
// READAHEAD_INITIAL_PAGES pages; when the reader reaches the first page of
// the latest window, the next window -- twice as large, up to
// READAHEAD_MAX_PAGES -- is asked for behind it, so the disk stays one
// window ahead. Read-ahead is submitted and not waited for. A read anywhere
// else resets the window.
#include "fs/cache/page_cache.h"

#include "fs/cache/page_io.h"
#include "kernel/lib/string.h"

namespace {

constexpr uint64_t PAGE_SIZE = PAGE_CACHE_PAGE_SIZE;

uint64_t min_u64(uint64_t a, uint64_t b) { return a < b ? a : b; }

bool is_valid(const Page& page) {
    InterruptGuard atomic;
    return page.valid;
}

// Waits until the page's I/O (a read or a write-back) is over. The caller
// holds a reference, so the page outlives the wait.
void wait_for_io(Page& page) {
    page.io_done.wait_until([&page] { return !page.io_in_flight; });
}

}  // namespace

FileMapping::FileMapping(PageCache& cache, BlockDevice& device, uint32_t block_size, BlockMapper& mapper,
                         uint64_t owner)
    : cache_(cache), device_(device), block_size_(block_size), mapper_(&mapper), owner_(owner) {
    MutexLocker locker(cache_.lock_);
    cache_.mappings_.push_back(*this);
}

FileMapping::~FileMapping() {
    if (!pages_.empty()) {
        // A file system bug; dropping the pages keeps the cache consistent.
        log_error("page cache: mapping destroyed with %u pages; dropping them", unsigned(pages_.size()));
        discard();
    }
    io_done_.wait_until([this] { return pins_ == 0 && pages_under_io_ == 0; });
    MutexLocker locker(cache_.lock_);
    cache_.mappings_.remove(*this);
}

Result<void> FileMapping::check_block_size() const {
    bool power_of_two = (block_size_ & (block_size_ - 1)) == 0;
    if (block_size_ < SECTOR_SIZE || block_size_ > PAGE_SIZE || !power_of_two ||
        block_size_ % device_.logical_block_size() != 0)
        return Error{EINVAL};
    return {};
}

size_t FileMapping::page_count() const {
    MutexLocker locker(cache_.lock_);
    return pages_.size();
}

void FileMapping::wait_for_page_io() {
    io_done_.wait_until([this] { return pages_under_io_ == 0; });
}

// Fills the page's device block numbers through the mapper. Blocks wholly
// past file_size are holes without asking (nothing of the file is there).
Result<void> FileMapping::fill_block_numbers(Page& page, uint64_t file_size, bool allocate_all) {
    uint32_t blocks_per_page = uint32_t(PAGE_SIZE / block_size_);
    uint64_t first_file_block = page.index * blocks_per_page;
    for (uint32_t i = 0; i < blocks_per_page; ++i) {
        uint64_t block_start = (first_file_block + i) * block_size_;
        if (block_start >= file_size && !allocate_all) {
            page.device_blocks[i] = 0;
            continue;
        }
        page.device_blocks[i] = TRY(mapper_->map_block(first_file_block + i, allocate_all));
    }
    return {};
}

// ---------------------------------------------------------------- reading

void FileMapping::plan_read_ahead(uint64_t first, uint64_t last, uint64_t file_pages, uint64_t& start,
                                  uint64_t& count) {
    ReadAheadState& state = readahead_;
    bool sequential = state.has_history ? (first == state.next_index || first + 1 == state.next_index)
                                        : first == 0;
    state.has_history = true;
    state.next_index = last + 1;
    count = 0;
    if (!sequential) {
        state.window = 0;
        return;
    }
    if (state.window == 0) {
        state.window = PageCache::READAHEAD_INITIAL_PAGES;
        state.issued_end = last + 1;
    } else if (last >= state.window_start) {
        state.window = min_u64(state.window * 2, PageCache::READAHEAD_MAX_PAGES);
        if (state.issued_end < last + 1) state.issued_end = last + 1;
    } else {
        return;  // still inside the window before the latest one
    }
    start = state.issued_end;
    state.window_start = start;
    state.issued_end = start + state.window;
    if (start < file_pages) count = min_u64(state.window, file_pages - start);
}

// Hands `length` bytes of page `index` from `page_offset` to the consumer,
// reading the page first if needed. Returns how many the consumer took.
Result<size_t> FileMapping::hand_page_out(uint64_t index, size_t page_offset, size_t length, uint64_t file_size,
                                          PageConsumer& consumer) {
    bool read_once = false;
    for (;;) {
        Page* page = cache_.acquire(*this, index);
        if (page) {
            // A page being written back is valid: it can be copied meanwhile.
            page->io_done.wait_until([page] { return page->valid || !page->io_in_flight; });
            if (is_valid(*page)) {
                Result<size_t> taken = consumer.consume(page->data + page_offset, length);
                cache_.release(*page);
                return taken;
            }
            int error = page->io_error;
            cache_.release(*page);
            if (read_once) return Error{error ? error : EIO};
        } else if (read_once) {
            return Error{ENOMEM};  // read, and evicted again before we looked
        }
        // Not cached (evicted, or never created for want of memory), or a
        // failed read from before: read it now, once.
        TRY(cache_.start_reads(*this, index, 1, file_size));
        read_once = true;
    }
}

bool FileMapping::last_page_is_valid(uint64_t index) {
    Page* page = nullptr;
    size_t found = cache_.acquire_valid_run(*this, index, &page, 1, false);
    cache_.release_all(&page, found);
    return found == 1;
}

// Hands out the bytes of the run of valid pages at `position` (at most
// `size` bytes, at most VALID_RUN_PAGES pages). Returns how many bytes the
// consumer took: 0 when the first page is not cached and valid, or a short
// count when the consumer took less.
Result<size_t> FileMapping::hand_valid_run_out(uint64_t position, size_t size, PageConsumer& consumer) {
    Page* run[VALID_RUN_PAGES];
    uint64_t first = position / PAGE_SIZE;
    uint64_t last = (position + size - 1) / PAGE_SIZE;
    size_t pages = cache_.acquire_valid_run(*this, first, run, size_t(min_u64(VALID_RUN_PAGES, last - first + 1)));
    size_t handed = 0;
    Result<void> failure;
    for (size_t i = 0; i < pages && handed < size; ++i) {
        size_t page_offset = size_t((position + handed) % PAGE_SIZE);
        size_t length = size_t(min_u64(PAGE_SIZE - page_offset, size - handed));
        Result<size_t> taken = consumer.consume(run[i]->data + page_offset, length);
        if (taken.is_error()) {
            failure = Error{taken.error()};
            break;
        }
        handed += taken.value();
        if (taken.value() < length) break;
    }
    cache_.release_all(run, pages);
    if (handed == 0 && failure.is_error()) return Error{failure.error()};
    return handed;
}

namespace {

// read(): the consumer that copies into the caller's buffer.
class CopyToBuffer final : public PageConsumer {
public:
    explicit CopyToBuffer(void* buffer) : next_(static_cast<uint8_t*>(buffer)) {}
    Result<size_t> consume(const uint8_t* bytes, size_t length) override {
        klib::memcpy(next_, bytes, length);
        next_ += length;
        return length;
    }

private:
    uint8_t* next_;
};

}  // namespace

Result<size_t> FileMapping::read(uint64_t offset, void* buffer, size_t size, uint64_t file_size) {
    CopyToBuffer copy(buffer);
    return read_pages(offset, size, file_size, copy);
}

Result<size_t> FileMapping::read_pages(uint64_t offset, size_t size, uint64_t file_size, PageConsumer& consumer) {
    TRY(check_block_size());
    if (offset >= file_size || size == 0) return size_t(0);
    if (size > file_size - offset) size = size_t(file_size - offset);
    uint64_t first = offset / PAGE_SIZE, last = (offset + size - 1) / PAGE_SIZE;
    uint64_t file_pages = (file_size + PAGE_SIZE - 1) / PAGE_SIZE;
    uint64_t readahead_start = 0, readahead_count = 0;
    plan_read_ahead(first, last, file_pages, readahead_start, readahead_count);
    // Start the reads of what is missing, and the read-ahead -- unless there
    // is no read-ahead to start and the range's last page is cached, when
    // most likely all of it is (a warm file): then reads start only where a
    // run of valid pages stops, below. A failure here (ENOMEM) is retried
    // page by page below.
    bool reads_started = readahead_count == 0 && last_page_is_valid(last);
    if (!reads_started)
        (void)cache_.start_reads(*this, first, last - first + 1, file_size, readahead_start, readahead_count);
    size_t handed = 0;
    while (handed < size) {
        // Pages already valid go out in runs, referenced and released with
        // one lock each way; the first other one takes the page-by-page way
        // (waiting for its read, or reading it).
        Result<size_t> run = hand_valid_run_out(offset + handed, size - handed, consumer);
        if (run.is_error()) {
            if (handed > 0) break;
            return Error{run.error()};
        }
        handed += run.value();
        if (handed == size) break;
        if (run.value() != 0) {
            if ((offset + handed) % PAGE_SIZE != 0) break;  // the consumer took less
            continue;
        }
        uint64_t position = offset + handed;
        if (!reads_started) {  // a page the warm guess missed: read the rest of the range
            (void)cache_.start_reads(*this, position / PAGE_SIZE, last - position / PAGE_SIZE + 1, file_size);
            reads_started = true;
        }
        size_t page_offset = size_t(position % PAGE_SIZE);
        size_t length = size_t(min_u64(PAGE_SIZE - page_offset, size - handed));
        Result<size_t> taken = hand_page_out(position / PAGE_SIZE, page_offset, length, file_size, consumer);
        if (taken.is_error()) {
            if (handed > 0) break;  // a short read, as read(2)
            return Error{taken.error()};
        }
        handed += taken.value();
        if (taken.value() < length) break;
    }
    return handed;
}

// ---------------------------------------------------------------- writing

// Maps (allocating) the blocks under [page_offset, page_offset+length) of
// the page. On an error, `mapped_length` is how many of those bytes lie in
// blocks that were mapped before it (a short write stops there).
Result<void> FileMapping::map_written_blocks(Page& page, size_t page_offset, size_t length, size_t& mapped_length) {
    uint32_t blocks_per_page = uint32_t(PAGE_SIZE / block_size_);
    uint32_t first = uint32_t(page_offset / block_size_), last = uint32_t((page_offset + length - 1) / block_size_);
    mapped_length = 0;
    for (uint32_t block = first; block <= last; ++block) {
        if (page.device_blocks[block] == 0) {
            Result<uint64_t> mapped = mapper_->map_block(page.index * blocks_per_page + block, true);
            if (mapped.is_error()) return Error{mapped.error()};
            page.device_blocks[block] = mapped.value();
        }
        size_t block_end = size_t(block + 1) * block_size_;
        mapped_length = min_u64(block_end, page_offset + length) - page_offset;
    }
    return {};
}

// The bytes around a partial write must come from the disk first.
Result<void> FileMapping::read_before_partial_write(uint64_t index, uint64_t file_size) {
    Page* cached = cache_.acquire(*this, index);
    if (cached) {
        wait_for_io(*cached);
        bool valid = is_valid(*cached);
        cache_.release(*cached);
        if (valid) return {};
    }
    return cache_.start_reads(*this, index, 1, file_size);  // waited for by the caller
}

// Copies up to one page's worth into page `index`; returns the bytes copied.
Result<size_t> FileMapping::write_into_page(uint64_t index, size_t page_offset, const uint8_t* source, size_t length,
                                            uint64_t file_size) {
    uint64_t page_start = index * PAGE_SIZE;
    bool whole_page = page_offset == 0 && length == PAGE_SIZE;
    bool has_old_bytes = page_start < file_size;
    if (!whole_page && has_old_bytes) TRY(read_before_partial_write(index, file_size));
    Page* page;
    {
        MutexLocker locker(cache_.lock_);
        page = cache_.find_locked(*this, index);
        if (page) cache_.reference_locked(*page);
        else page = TRY(cache_.create_page_locked(*this, index));
    }
    wait_for_io(*page);  // a read just started, or a write-back of older bytes
    if (!is_valid(*page)) {
        if (!whole_page && has_old_bytes) {
            int error = page->io_error;
            cache_.release(*page);
            return Error{error ? error : EIO};
        }
        // Nothing of the file is here yet, or all of it is overwritten --
        // if every block can be mapped. When the disk fills partway, the
        // blocks after that keep the file's bytes: write less, after a read.
        for (uint64_t& block : page->device_blocks) block = 0;
        if (has_old_bytes) {
            size_t mappable = 0;
            Result<void> all = map_written_blocks(*page, 0, PAGE_SIZE, mappable);
            if (all.is_error()) {
                cache_.release(*page);
                if (mappable == 0) return Error{all.error()};
                return write_into_page(index, 0, source, mappable, file_size);  // a partial page now
            }
        }
        // A page written whole needs no zeros first (a short copy zeroes
        // its own tail below).
        if (!whole_page) klib::memset(page->data, 0, PAGE_SIZE);
        InterruptGuard atomic;
        page->valid = true;
    }
    size_t mapped_length = 0;
    Result<void> mapped = map_written_blocks(*page, page_offset, length, mapped_length);
    if (mapped_length > 0) {
        // Bytes between the old end of the file and this write read as zeros.
        if (file_size < page_start + page_offset) {
            size_t gap_start = file_size > page_start ? size_t(file_size - page_start) : 0;
            klib::memset(page->data + gap_start, 0, page_offset - gap_start);
        }
        klib::memcpy(page->data + page_offset, source, mapped_length);
    }
    if (whole_page && mapped_length < PAGE_SIZE && !has_old_bytes)
        klib::memset(page->data + mapped_length, 0, PAGE_SIZE - mapped_length);
    {
        MutexLocker locker(cache_.lock_);
        if (mapped_length > 0) cache_.mark_dirty_locked(*page);
        cache_.release_locked(*page);
    }
    if (mapped_length == 0 && mapped.is_error()) return Error{mapped.error()};
    return mapped_length;
}

Result<size_t> FileMapping::write(uint64_t offset, const void* buffer, size_t size, uint64_t file_size) {
    TRY(check_block_size());
    const uint8_t* source = static_cast<const uint8_t*>(buffer);
    size_t written = 0;
    while (written < size) {
        uint64_t position = offset + written;
        size_t page_offset = size_t(position % PAGE_SIZE);
        size_t length = size_t(min_u64(PAGE_SIZE - page_offset, size - written));
        Result<size_t> copied = write_into_page(position / PAGE_SIZE, page_offset, source + written, length, file_size);
        if (copied.is_error()) {
            if (written > 0) break;  // a short write: ENOSPC after some bytes
            return copied;
        }
        written += copied.value();
        // Page by page, so even one huge write stays within the dirty limits.
        cache_.balance_dirty_pages(*this);
        if (copied.value() < length) break;
    }
    return written;
}

// ---------------------------------------------------------------- truncation and eviction

// Drops every page from `first_index` on, dirty or not, waiting for the
// I/O of each that is under way.
void FileMapping::drop_pages_from(uint64_t first_index) {
    for (;;) {
        Page* busy = nullptr;
        {
            MutexLocker locker(cache_.lock_);
            for (Page& page : pages_) {
                if (page.index < first_index) continue;
                bool in_flight;
                {
                    InterruptGuard atomic;
                    in_flight = page.io_in_flight;
                }
                if (in_flight) {
                    busy = &page;
                    cache_.reference_locked(page);
                    break;
                }
                if (page.reference_count != 0) {
                    // Only a reader or writer of this file holds one, and the
                    // inode lock excludes them: a bug elsewhere.
                    log_error("page cache: page %llu still referenced at truncation",
                              static_cast<unsigned long long>(page.index));
                    continue;
                }
                cache_.destroy_page_locked(page);
            }
        }
        if (!busy) return;
        wait_for_io(*busy);
        cache_.release(*busy);
    }
}

// Zeroes the page's bytes from keep_bytes on and forgets blocks wholly past
// them (the file system frees those next). The zeros of a partial block
// must reach the disk (a later growth of the file must read them), so the
// page is read if it is not cached, and becomes dirty.
Result<void> FileMapping::zero_partial_page(uint64_t index, size_t keep_bytes) {
    bool partial_block = keep_bytes % block_size_ != 0;
    Page* page = cache_.acquire(*this, index);
    if (!page) {
        if (!partial_block) return {};  // the blocks past the end are freed whole
        TRY(cache_.start_reads(*this, index, 1, index * PAGE_SIZE + keep_bytes));
        page = cache_.acquire(*this, index);
        if (!page) return Error{ENOMEM};
    }
    wait_for_io(*page);
    if (!is_valid(*page)) {
        int error = page->io_error;
        cache_.release(*page);
        return partial_block ? Error{error ? error : EIO} : Result<void>();
    }
    klib::memset(page->data + keep_bytes, 0, PAGE_SIZE - keep_bytes);
    uint32_t blocks_per_page = uint32_t(PAGE_SIZE / block_size_);
    for (uint32_t block = 0; block < blocks_per_page; ++block) {
        if (size_t(block) * block_size_ >= keep_bytes) page->device_blocks[block] = 0;
    }
    MutexLocker locker(cache_.lock_);
    if (partial_block) cache_.mark_dirty_locked(*page);
    cache_.release_locked(*page);
    return {};
}

Result<void> FileMapping::truncate(uint64_t new_size) {
    TRY(check_block_size());
    drop_pages_from((new_size + PAGE_SIZE - 1) / PAGE_SIZE);
    readahead_ = ReadAheadState{};
    if (new_size % PAGE_SIZE == 0) return {};
    return zero_partial_page(new_size / PAGE_SIZE, size_t(new_size % PAGE_SIZE));
}

Result<void> FileMapping::write_back(bool wait) {
    cache_.write_back_mapping(*this, UINT64_MAX, SIZE_MAX);
    if (wait) wait_for_page_io();
    int error;
    {
        InterruptGuard atomic;
        error = write_error_;
        write_error_ = 0;  // reported once
    }
    if (error != 0) return Error{error};
    return {};
}

Result<void> FileMapping::evict() {
    Result<void> written = write_back(true);
    discard();
    return written;
}

void FileMapping::discard() {
    drop_pages_from(0);
    // A flusher pass that pinned this mapping finishes before we return, and
    // so does every completion that still names it.
    io_done_.wait_until([this] { return pins_ == 0 && pages_under_io_ == 0; });
    drop_pages_from(0);
}
