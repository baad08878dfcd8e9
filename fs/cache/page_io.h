// fs/cache/page_io.h -- turning claimed pages into block requests.
//
// Layer: caches (internal to the page cache). A page that a thread has
// claimed with begin() (under the cache's Mutex) is under I/O: nobody else
// reads into it, writes it out, evicts or drops it until it is finished.
// submit() cuts the claimed pages' blocks into requests -- a run of
// adjacent device blocks is one request, up to the device's limits; the
// blocks of one page that are adjacent on the disk are one segment -- and
// submits them under one plug, without waiting. Completion (maybe in an
// interrupt handler, interrupts off) finishes each page once all of its
// requests are done: a read makes it valid (or records the error for its
// waiters), a write records any error in the mapping; then the page's and
// the mapping's waiters are woken. Holes (block number 0) are zeroed on a
// read and skipped on a write; a page with nothing to transfer is finished
// at once.
#pragma once

#include "fs/cache/page_cache.h"

class PageIo {
public:
    // Cache's Mutex held. The page must not be under I/O already.
    static void begin(Page& page, IoDirection direction);
    // A claimed page whose preparation failed (its blocks could not be
    // mapped): submit() transfers nothing for it and finishes it with `error`.
    static void fail_before_submission(Page& page, int error);
    // Submits the claimed pages (sorted by index) of `mapping`; returns
    // without waiting. No lock held. Every page gets finished.
    static void submit(FileMapping& mapping, IoDirection direction, Page* const* pages, size_t count);

private:
    struct Transfer;
    static Transfer* plan(FileMapping& mapping, IoDirection direction, Page* const* pages, size_t count, int& error);
    static void complete_transfer(Transfer& transfer, int error);  // interrupts off; frees it
    static void on_complete(Request& request, void* context);
    static void finish_page(Page& page, int error);                // interrupts off
};
