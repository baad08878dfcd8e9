// fs/cache/page_io.cpp -- see page_io.h.
//
// Layer: caches. The counters touched here (pages_under_writeback_, the
// mapping's pages_under_io_ and write_error_, the statistics of pages read
// and written) change with interrupts off, because completion may run in
// an interrupt handler, which must not take the cache's Mutex.
#include "fs/cache/page_io.h"

#include "drivers/block/transfer_limits.h"
#include "kernel/lib/string.h"

// One request and the pages it carries bytes of.
struct PageIo::Transfer {
    Request request;
    Transfer* next = nullptr;
    MemorySegment segments[Request::MAX_SEGMENTS] = {};
    uint32_t segment_count = 0;
    Page* pages[Request::MAX_SEGMENTS] = {};  // each page brings at least one segment
    uint32_t page_count = 0;
    uint64_t bytes = 0;

    void add_segment(Page& page, uint8_t* address, uint32_t length) {
        segments[segment_count++] = {address, length};
        if (page_count == 0 || pages[page_count - 1] != &page) {
            pages[page_count++] = &page;
            InterruptGuard atomic;
            ++page.pending_requests;
        }
    }
};

void PageIo::begin(Page& page, IoDirection direction) {
    FileMapping& mapping = *page.mapping;
    InterruptGuard atomic;
    KASSERT(!page.io_in_flight);
    page.io_in_flight = true;
    page.io_is_write = direction == IoDirection::Write;
    page.pending_requests = 0;
    page.io_error = 0;
    ++mapping.pages_under_io_;
    if (page.io_is_write) ++mapping.cache_.pages_under_writeback_;
}

void PageIo::fail_before_submission(Page& page, int error) {
    InterruptGuard atomic;
    page.io_error = error;
}

void PageIo::finish_page(Page& page, int error) {
    FileMapping& mapping = *page.mapping;
    PageCache& cache = mapping.cache_;
    if (error != 0 && page.io_error == 0) page.io_error = error;
    if (page.io_is_write) {
        --cache.pages_under_writeback_;
        if (page.io_error != 0) {
            // As Linux: the page stays clean; the error waits for fsync.
            ++cache.statistics_.write_errors;
            if (mapping.write_error_ == 0) mapping.write_error_ = page.io_error;
        } else {
            ++cache.statistics_.pages_written;
        }
    } else {
        page.valid = page.io_error == 0;
        if (page.valid) ++cache.statistics_.pages_read;
    }
    page.io_in_flight = false;
    --mapping.pages_under_io_;
    page.io_done.wake_all();
    mapping.io_done_.wake_all();
}

// Cuts the pages' mapped blocks into transfers within the device's limits.
// nullptr with `error` set when memory or the limits do not allow it (no
// page's pending count is then left raised).
PageIo::Transfer* PageIo::plan(FileMapping& mapping, IoDirection direction, Page* const* pages, size_t count,
                               int& error) {
    TransferLimits limits(mapping.device_);
    uint32_t block_size = mapping.block_size_;
    if (limits.segments == 0 || block_size > limits.segment_bytes) {
        error = EINVAL;  // a driver whose limits do not fit one block
        return nullptr;
    }
    uint32_t sectors_per_block = block_size / SECTOR_SIZE;
    Transfer *head = nullptr, *current = nullptr;
    uint64_t next_sector = 0;
    for (size_t i = 0; i < count && error == 0; ++i) {
        Page& page = *pages[i];
        if (page.io_error != 0) continue;  // failed before submission
        for (uint32_t block = 0; block < PAGE_CACHE_PAGE_SIZE / block_size; ++block) {
            uint8_t* address = page.data + block * block_size;
            uint64_t device_block = page.device_blocks[block];
            if (device_block == 0) {
                if (direction == IoDirection::Read) klib::memset(address, 0, block_size);  // a hole
                continue;
            }
            uint64_t sector = device_block * sectors_per_block;
            bool continues = current && sector == next_sector && current->bytes + block_size <= limits.request_bytes;
            if (continues) {
                MemorySegment& last = current->segments[current->segment_count - 1];
                if (current->pages[current->page_count - 1] == &page &&
                    static_cast<uint8_t*>(last.address) + last.length == address &&
                    last.length + block_size <= limits.segment_bytes) {
                    last.length += block_size;  // the next block of the same page
                } else if (current->segment_count < limits.segments) {
                    current->add_segment(page, address, block_size);
                } else {
                    continues = false;
                }
            }
            if (!continues) {
                Transfer* started = new (std::nothrow) Transfer;
                if (!started) {
                    error = ENOMEM;
                    break;
                }
                started->request.direction = direction;
                started->request.sector = sector;
                started->add_segment(page, address, block_size);
                if (current) current->next = started; else head = started;
                current = started;
            }
            current->bytes += block_size;
            next_sector = sector + sectors_per_block;
        }
    }
    if (error == 0) return head;
    while (head) {
        Transfer* next = head->next;
        InterruptGuard atomic;
        for (uint32_t p = 0; p < head->page_count; ++p) --head->pages[p]->pending_requests;
        delete head;
        head = next;
    }
    return nullptr;
}

void PageIo::submit(FileMapping& mapping, IoDirection direction, Page* const* pages, size_t count) {
    if (count == 0) return;
    int error = 0;
    Transfer* transfers = plan(mapping, direction, pages, count, error);
    PageCache& cache = mapping.cache_;
    RequestQueue& queue = mapping.device_.queue();
    {
        // Pages with nothing to transfer (holes, failures) are done now;
        // the others when their last request completes.
        InterruptGuard atomic;
        for (size_t i = 0; i < count; ++i) {
            if (pages[i]->pending_requests == 0) finish_page(*pages[i], error);
        }
    }
    // From here on the mapping may only be touched through pages still
    // under I/O (evict() waits for them): `queue` was looked up before.
    QueuePlug plug(queue);
    for (Transfer* transfer = transfers; transfer;) {
        Transfer* next = transfer->next;  // a completion frees `transfer`
        for (uint32_t s = 0; s < transfer->segment_count; ++s)
            transfer->request.add_segment(transfer->segments[s].address, transfer->segments[s].length);
        transfer->request.on_complete = on_complete;
        transfer->request.completion_context = transfer;
        {
            InterruptGuard atomic;
            if (direction == IoDirection::Read) ++cache.statistics_.read_requests;
            else ++cache.statistics_.write_requests;
        }
        Result<void> submitted = queue.submit(transfer->request);
        if (submitted.is_error()) {
            InterruptGuard atomic;
            complete_transfer(*transfer, submitted.error());
        }
        transfer = next;
    }
}

void PageIo::on_complete(Request& request, void* context) {
    complete_transfer(*static_cast<Transfer*>(context), request.error());
}

void PageIo::complete_transfer(Transfer& transfer, int error) {
    for (uint32_t i = 0; i < transfer.page_count; ++i) {
        Page& page = *transfer.pages[i];
        if (error != 0 && page.io_error == 0) page.io_error = error;
        if (--page.pending_requests == 0) finish_page(page, 0);
    }
    delete &transfer;
}
