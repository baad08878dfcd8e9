// fs/cache/page_cache.h -- file data, cached in whole 4 KiB pages.
//
// Layer: caches. Where the buffer cache keeps metadata blocks by device
// block number, the page cache keeps the *contents of files* by (file,
// page index): page 3 of a file is bytes 12288..16383, wherever the file
// system put them on the disk. (Linux: struct address_space, struct page,
// mm/filemap.c, mm/readahead.c, mm/page-writeback.c.)
//
//   PageCache          one for the kernel: the pages, their hash, the LRU
//                      list, dirty accounting, the flusher's policy
//   FileMapping        one per cached file: its pages, its dirty list, its
//                      read-ahead state and its remembered write error
//   BlockMapper        what a file system supplies per file: "which device
//                      block holds file block n?" (Linux: get_block)
//
// A page remembers the device block of each of its blocks (1, 2, 4 or 8 of
// 4096, 2048, 1024 or 512 bytes), learnt when the page was read or written
// under the inode lock, so write-back never asks the file system anything:
// the flusher takes no inode lock. A block number 0 is a hole (zeros, never
// written).
//
// Page states (the invariants the lists keep; the cache's Mutex guards them):
//   referenced (a read/write copying)      on no list, or on the dirty list
//   dirty                                  on its mapping's dirty list, oldest first
//   clean and unreferenced                 on the LRU list (maybe still being read
//                                          or written: eviction skips those)
// Write-back takes only dirty pages that are unreferenced and idle: a
// referenced page is being copied into (its bytes and block numbers are
// changing), so it waits for the next pass.
// Orthogonally a page may be under I/O (io_in_flight): a read filling it or a
// write-back copying it out. Those fields (io_in_flight, pending_requests,
// valid, io_error) are written only with interrupts off, because request
// completion -- maybe an interrupt handler -- finishes pages without taking
// the Mutex; a thread waits for one on the page's io_done queue while holding
// a reference, so the page cannot be freed under it.
//
// I/O: misses read whole pages; each run of adjacent device blocks becomes
// one request (up to the device's limits), all submitted under one plug.
// Sequential reads start asynchronous read-ahead whose window doubles from 4
// to 64 pages; a random read resets it. Write-back collects a mapping's dirty
// pages in index order and turns runs of adjacent blocks into large requests.
// A failed write leaves the page clean (as Linux does) and records the error
// in the mapping; the next write_back() returns it once (errseq, simplified).
//
// Dirty limits: past the background threshold (10% of the capacity) the
// flusher is woken; past the hard threshold (20%) the writer writes back its
// own file and waits (balance_dirty_pages), so a big copy never fills memory
// with dirty pages. flush_once(now_ms) is the flusher's whole policy: pages
// dirty for longer than 5 s are written, then whatever brings the dirty count
// below the background threshold. The flusher thread is a loop around it.
//
// Locking:
//   - FileMapping::read/write/truncate/write_back/evict/discard: the caller
//     holds the file's inode lock; only these call the BlockMapper, and never
//     with the cache's Mutex held.
//   - The cache's Mutex guards the hash, the lists, references, dirty flags
//     and counters; it is never held across I/O or a BlockMapper call.
//   - No plug of the device's queue is held across a BlockMapper call (the
//     file system may read its block maps through the same queue); plugs
//     are held only while PageIo submits, which never sleeps.
//   - A reader copies out of a page under write-back (it is valid); a
//     writer or truncate waits for that write to end before changing it.
//   - Completion callbacks run with interrupts off and touch only the
//     interrupt-guarded fields of pages, mappings and the statistics.
//   - The flusher pins a mapping (FileMapping::pins_) while it writes it;
//     evict()/discard() and the destructor wait for pins and for every page's
//     I/O to end, so no flusher or completion uses a mapping after evict()
//     or discard() returned.
#pragma once

#include <cstddef>
#include <cstdint>

#include "drivers/block/block_device.h"
#include "fs/cache/page_consumer.h"
#include "kernel/lib/hash_table.h"
#include "kernel/lib/list.h"

class PageCache;
class FileMapping;

// Implemented by a file system for one file (Linux: get_block).
class BlockMapper {
public:
    // The device block (in the file system's block size) holding file block
    // `file_block`; 0 means a hole. With allocate == true a hole gets a newly
    // allocated block (ENOSPC, EFBIG, EIO are passed back). Called with the
    // file's inode lock held (only from FileMapping::read/write/truncate,
    // never from the flusher).
    virtual Result<uint64_t> map_block(uint64_t file_block, bool allocate) = 0;

protected:
    ~BlockMapper() = default;
};

constexpr uint32_t PAGE_CACHE_PAGE_SIZE = 4096;
constexpr uint32_t PAGE_CACHE_MAX_BLOCKS_PER_PAGE = PAGE_CACHE_PAGE_SIZE / SECTOR_SIZE;

struct Page {
    FileMapping* mapping = nullptr;
    uint64_t index = 0;                 // bytes index*4096 .. of the file
    uint8_t* data = nullptr;            // one whole page from platform::allocate_page
    uint64_t device_blocks[PAGE_CACHE_MAX_BLOCKS_PER_PAGE] = {};  // 0: hole or not yet known

    // Guarded by the cache's Mutex.
    uint32_t reference_count = 0;
    bool dirty = false;
    uint64_t dirtied_at_ms = 0;         // when it last went from clean to dirty
    klib::HashNode hash_node;           // PageCache::table_
    klib::ListNode mapping_node;        // FileMapping::pages_
    klib::ListNode state_node;          // PageCache::lru_ or FileMapping::dirty_

    // Written with interrupts off (request completion).
    bool valid = false;                 // data hold the file's bytes
    bool io_in_flight = false;          // a read or a write-back is running
    bool io_is_write = false;
    uint32_t pending_requests = 0;      // requests of the current I/O not yet complete
    int io_error = 0;                   // of the last read, for the readers who waited
    WaitQueue io_done;
};

struct PageCacheStatistics {
    size_t pages = 0, dirty = 0, writeback = 0, capacity_pages = 0;
    size_t background_dirty_limit = 0, hard_dirty_limit = 0;
    uint64_t hits = 0, misses = 0, evictions = 0;
    uint64_t readahead_pages = 0;       // pages read because read-ahead asked
    uint64_t read_requests = 0, pages_read = 0;
    uint64_t write_requests = 0, pages_written = 0, write_errors = 0;
    uint64_t throttled_writes = 0;      // writers made to write back (hard limit)
};

// One per cached file (Linux: struct address_space). Not copyable.
class FileMapping {
public:
    // `owner` names the file on its device (an inode number) for adopt().
    FileMapping(PageCache& cache, BlockDevice& device, uint32_t block_size, BlockMapper& mapper,
                uint64_t owner = 0);
    ~FileMapping();  // must be empty: evict() or discard() first
    FileMapping(const FileMapping&) = delete;
    FileMapping& operator=(const FileMapping&) = delete;

    // Copies [offset, offset+size) cut at file_size into buffer (kernel
    // memory); holes read zeros.
    Result<size_t> read(uint64_t offset, void* buffer, size_t size, uint64_t file_size);
    // As read, but the bytes go to `consumer` straight from the pages
    // (page_consumer.h); a consumer that takes less ends it (a short count).
    Result<size_t> read_pages(uint64_t offset, size_t size, uint64_t file_size, PageConsumer& consumer);
    // Copies buffer into pages, allocating blocks through the mapper. A
    // partial page inside file_size is read first. Returns bytes written; a
    // short count when ENOSPC (or another error) hits after some bytes. The
    // caller then raises its size.
    Result<size_t> write(uint64_t offset, const void* buffer, size_t size, uint64_t file_size);
    // Pages wholly past new_size are dropped (after any write of them in
    // flight), the tail of a partial last page is zeroed. Call BEFORE the
    // file system frees the blocks.
    Result<void> truncate(uint64_t new_size);
    // fsync: writes every dirty page, waits when `wait`; returns a write
    // error remembered since the last call.
    Result<void> write_back(bool wait);
    // Before the inode leaves memory: write back, wait, drop every page.
    Result<void> evict();
    // The file is deleted: drop every page without writing.
    void discard();

    BlockDevice& device() const { return device_; }
    uint32_t block_size() const { return block_size_; }
    size_t page_count() const;        // for tests and statistics
    uint32_t readahead_window() const { return readahead_.window; }

private:
    friend class PageCache;
    friend class PageIo;

    // Sequential-read detection (guarded by the inode lock).
    struct ReadAheadState {
        uint64_t next_index = 0;      // where a sequential reader goes next
        uint64_t window = 0;          // pages of the latest window; 0: none
        uint64_t window_start = 0;    // its first page: reaching it starts the next
        uint64_t issued_end = 0;      // first page not yet asked for
        bool has_history = false;
    };

    Result<void> check_block_size() const;
    Result<void> fill_block_numbers(Page& page, uint64_t file_size, bool allocate_all);
    void plan_read_ahead(uint64_t first, uint64_t last, uint64_t file_pages, uint64_t& start, uint64_t& count);
    Result<size_t> hand_page_out(uint64_t index, size_t page_offset, size_t length, uint64_t file_size,
                                 PageConsumer& consumer);
    static constexpr size_t VALID_RUN_PAGES = 16;
    Result<size_t> hand_valid_run_out(uint64_t position, size_t size, PageConsumer& consumer);
    bool last_page_is_valid(uint64_t index);
    Result<size_t> write_into_page(uint64_t index, size_t page_offset, const uint8_t* source, size_t length,
                                   uint64_t file_size);
    Result<void> read_before_partial_write(uint64_t index, uint64_t file_size);
    Result<void> map_written_blocks(Page& page, size_t page_offset, size_t length, size_t& mapped_length);
    void drop_pages_from(uint64_t first_index);
    Result<void> zero_partial_page(uint64_t index, size_t keep_bytes);
    void wait_for_page_io();

    PageCache& cache_;
    BlockDevice& device_;
    uint32_t block_size_;
    BlockMapper* mapper_;          // nullptr while orphaned
    uint64_t owner_;
    bool orphaned_ = false;        // guarded by the cache's Mutex
    ReadAheadState readahead_;

    // Guarded by the cache's Mutex.
    klib::IntrusiveList<Page, &Page::mapping_node> pages_;
    klib::IntrusiveList<Page, &Page::state_node> dirty_;
    klib::ListNode cache_node;     // PageCache::mappings_
    klib::ListNode dirty_node;     // PageCache::dirty_mappings_, while dirty_ is not empty
    klib::ListNode orphan_node;    // PageCache::orphans_, while orphaned
    uint32_t pins_ = 0;            // flusher or sync_all writing it (also written with interrupts off)
    uint64_t flush_pass_ = 0;      // the last flusher/sync pass that visited it

    // Written with interrupts off (request completion).
    uint32_t pages_under_io_ = 0;
    int write_error_ = 0;          // first write error not yet reported
    WaitQueue io_done_;            // pages_under_io_ reached 0, or a pin dropped
};

class PageCache {
public:
    static constexpr size_t DEFAULT_CAPACITY_PAGES = 4096;  // 16 MiB
    static constexpr uint64_t DIRTY_EXPIRE_MS = 5000;
    static constexpr uint64_t FLUSHER_INTERVAL_MS = 1000;
    static constexpr uint32_t READAHEAD_INITIAL_PAGES = 4;
    static constexpr uint32_t READAHEAD_MAX_PAGES = 64;

    explicit PageCache(size_t capacity_pages = DEFAULT_CAPACITY_PAGES);
    ~PageCache();
    PageCache(const PageCache&) = delete;
    PageCache& operator=(const PageCache&) = delete;

    // The flusher's policy at time now_ms: writes pages dirty for longer
    // than DIRTY_EXPIRE_MS, then more until the dirty count is below the
    // background threshold; waits for those writes. Returns pages submitted.
    size_t flush_once(uint64_t now_ms);
    // The flusher thread's sleep: until woken (dirty pages above the
    // background threshold) or `timeout_ms` passed.
    void wait_for_flusher_work(uint64_t timeout_ms);
    // sync(2): every dirty page of every mapping -- or, given a device, of
    // the mappings of files on it (syncfs, unmount) -- written and waited for.
    Result<void> sync_all(const BlockDevice* device = nullptr);
    // Frees every clean, unreferenced, idle page (drop_caches). Returns how many.
    size_t drop_clean_pages();
    // Memory pressure (kernel/mm/memory_pressure.h): frees up to `pages`
    // clean, unused pages, least recently used first. Never waits: when the
    // cache's lock is taken (maybe by the very thread that needs memory)
    // it frees nothing.
    size_t reclaim(size_t pages);

    // Orphans: the pages outlive their file's in-memory inode. When an
    // inode leaves memory (the dentry cache evicted its name) its mapping is
    // handed to the cache instead of being written back and emptied on the
    // spot: its dirty pages are written by the flusher or the next sync,
    // with the writes of other files, and its clean pages stay for the next
    // reader. An inode read back into memory adopts its orphan first, so a
    // file never has two mappings. (Linux keeps such inodes, pages and all,
    // in the inode cache's LRU; here the mapping is what stays.)
    //   orphan(mapping)              takes over the mapping (no read/write/
    //                                truncate on it any more)
    //   adopt(device, owner, mapper) the orphan of that file, now the
    //                                caller's again; nullptr when none
    //   release_device(device)       every orphan of the device written
    //                                back and freed (unmount); first error
    // An orphan whose pages have all been evicted or written and dropped is
    // freed by the flusher.
    void orphan(FileMapping* mapping);
    FileMapping* adopt(BlockDevice& device, uint64_t owner, BlockMapper& mapper);
    Result<void> release_device(BlockDevice& device);

    PageCacheStatistics statistics() const;
    size_t capacity_pages() const { return capacity_pages_; }
    // The clock of dirty timestamps: platform::now_ms unless a test sets one.
    using Clock = uint64_t (*)();
    void set_clock(Clock clock) { clock_ = clock ? clock : platform::now_ms; }

private:
    friend class FileMapping;
    friend class PageIo;
    struct PageKeyTraits {
        struct Key {
            const FileMapping* mapping;
            uint64_t index;
            bool operator==(const Key&) const = default;
        };
        static Key key_of(const Page& page) { return {page.mapping, page.index}; }
        static uint32_t hash(const Key& key);
    };
    using PageTable = klib::IntrusiveHashTable<Page, &Page::hash_node, PageKeyTraits>;
    using StateList = klib::IntrusiveList<Page, &Page::state_node>;

    // --- pages; lock_ held ---------------------------------------------------
    Page* find_locked(const FileMapping& mapping, uint64_t index);
    Result<Page*> create_page_locked(FileMapping& mapping, uint64_t index);
    bool evict_one_locked();
    void destroy_page_locked(Page& page);
    void reference_locked(Page& page);
    void release_locked(Page& page);
    void mark_dirty_locked(Page& page);
    void clear_dirty_locked(Page& page);

    // --- lock_ not held --------------------------------------------------------
    void release(Page& page);
    Page* acquire(FileMapping& mapping, uint64_t index);  // referenced, or nullptr
    // With one lock: references the valid pages from `first` on, up to
    // `room` of them, stopping at the first that is missing or not valid.
    // Returns how many; release_all gives them back, with one lock too.
    // They count as hits when `are_hits` (a read handing them out).
    size_t acquire_valid_run(FileMapping& mapping, uint64_t first, Page** out, size_t room, bool are_hits = true);
    void release_all(Page* const* pages, size_t count);
    // Reads pages [first, first+count) of `mapping` that are neither cached
    // nor being read, and then (a hint: failures are ignored) the read-ahead
    // pages [readahead_first, +readahead_count); returns without waiting.
    // ENOMEM when a page asked for could not be created (the ones before it
    // are read). Inode lock held; no plug of the device's queue held, since
    // the BlockMapper may read through it.
    Result<void> start_reads(FileMapping& mapping, uint64_t first, uint64_t count, uint64_t file_size,
                             uint64_t readahead_first = 0, uint64_t readahead_count = 0);
    size_t claim_for_read(FileMapping& mapping, uint64_t& next, uint64_t end, bool is_readahead, Page** out,
                          size_t room, int& error);
    void submit_reads(FileMapping& mapping, Page** claimed, size_t count);
    // Writes the dirty pages of `mapping` dirtied at or before `dirtied_by_ms`,
    // at most `limit` of them; returns how many were submitted.
    size_t write_back_mapping(FileMapping& mapping, uint64_t dirtied_by_ms, size_t limit);
    size_t write_back_pass(uint64_t dirtied_by_ms, bool above_background, const BlockDevice* device = nullptr);
    static constexpr size_t MAPPINGS_PER_BATCH = 1024;   // files written back under one plug
    static constexpr size_t SMALL_BATCH_MAPPINGS = 32;   // when the big batch's array cannot be had
    void balance_dirty_pages(FileMapping& writer);
    size_t background_dirty_limit() const { return capacity_pages_ / 10; }
    size_t hard_dirty_limit() const { return capacity_pages_ / 5; }
    FileMapping* pin_next_locked(uint64_t pass, uint64_t dirtied_by_ms, const BlockDevice* device);
    void unpin(FileMapping& mapping);
    void kick_flusher();

    mutable Mutex lock_{"page cache"};
    klib::HashNode** buckets_ = nullptr;
    klib::HashNode* single_bucket_ = nullptr;
    PageTable table_;
    StateList lru_;                 // clean, unreferenced; least recently used first
    klib::IntrusiveList<FileMapping, &FileMapping::cache_node> mappings_;
    klib::IntrusiveList<FileMapping, &FileMapping::dirty_node> dirty_mappings_;  // the flusher's to-do list
    klib::IntrusiveList<FileMapping, &FileMapping::orphan_node> orphans_;
    void free_empty_orphans();
    // Page descriptors' memory: slabs, and a free list of unused slots
    // (guarded by lock_).
    static constexpr size_t PAGES_PER_SLAB = 64;
    struct FreeDescriptor {
        FreeDescriptor* next;
    };
    struct PageSlab {
        PageSlab* next;
        alignas(Page) unsigned char slots[PAGES_PER_SLAB][sizeof(Page)];
    };
    static_assert(sizeof(FreeDescriptor) <= sizeof(Page));
    PageSlab* slabs_ = nullptr;
    FreeDescriptor* free_descriptors_ = nullptr;
    Page* new_page_locked();
    void recycle_page_locked(Page* page);
    size_t capacity_pages_;
    size_t dirty_pages_ = 0;
    PageCacheStatistics statistics_;  // counters; interrupt-guarded ones noted in page_io.cpp
    size_t pages_under_writeback_ = 0;  // interrupts off
    bool flusher_kicked_ = false;       // interrupts off
    WaitQueue flusher_wakeup_;
    Mutex pass_lock_{"page cache write-back pass"};  // one flush_once/sync_all pass at a time
    uint64_t pass_ = 0;                 // guarded by pass_lock_
    Clock clock_ = platform::now_ms;
};
