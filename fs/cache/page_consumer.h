// fs/cache/page_consumer.h -- where cached file bytes go without a copy.
//
// Layer: caches (an interface the VFS passes down). A read usually copies a
// page's bytes into a buffer; a PageConsumer instead receives a pointer to
// the bytes inside the cached page and does with them what it wants --
// sendfile(2) to a device writes them straight from the page. The page is
// referenced (it cannot be evicted or dropped) during the call, and the
// bytes must not be changed. (Linux: splice_read into a pipe of page
// references, and the splice actor.)
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernel/platform.h"

class PageConsumer {
public:
    // Takes up to `length` bytes; returns how many it took (fewer ends the
    // transfer there), or an error (which ends it too).
    virtual Result<size_t> consume(const uint8_t* bytes, size_t length) = 0;

protected:
    ~PageConsumer() = default;
};
