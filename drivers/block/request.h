// drivers/block/request.h -- one transfer between memory and a block device.
//
// Layer: physical I/O. A Request says: move `sector_count()` sectors starting
// at `sector`, in `direction`, to or from these memory segments (scatter-
// gather: the bytes of the transfer are the segments, in order). It is what
// every layer above the drivers speaks: the caches build Requests, the
// RequestQueue and its IoScheduler order and merge them, a driver performs
// them. (Linux: a `struct bio`, and once merged, a `struct request`.)
//
// Sectors are always 512 bytes here, whatever the device's logical block
// size (as in Linux); a request's byte count must be a multiple of the
// device's logical block size.
//
// Merging: the scheduler may chain a Request behind another whose sectors it
// continues (a back merge) or precedes (a front merge). The first of a chain
// is the leader; the driver receives only leaders and transfers the whole
// chain, segment after segment (for_each_segment). Each request of a chain
// completes on its own when the leader does. A request carries at most
// MAX_SEGMENTS segments of its own, so it stays small (Requests are made a
// page at a time); a chain carries as many as the device's limits allow
// (max_segments counts a chain's physical pieces: physical_segments.h).
//
// Ownership and lifetime: the submitter owns the Request and its memory and
// must keep both alive until completion. Completion happens exactly once,
// all of it with interrupts off: the error code is set, waiters are woken
// (they run only after the completing code is done), and on_complete (if
// any) is called last -- possibly from an interrupt handler, so it must not
// sleep; being last, it may free the request. A completed request may be
// submitted again as it is (a retry); one still in flight may not (EBUSY).
#pragma once

#include <cstddef>
#include <cstdint>

#include "drivers/block/physical_segments.h"
#include "kernel/lib/list.h"
#include "kernel/platform.h"

constexpr uint32_t SECTOR_SIZE = 512;

enum class IoDirection : uint8_t { Read, Write, Flush };

struct MemorySegment {
    void* address;    // kernel virtual address (the direct map in the kernel)
    uint32_t length;  // bytes
};

class Request {
public:
    static constexpr uint32_t MAX_SEGMENTS = 32;

    Request() = default;
    Request(const Request&) = delete;
    Request& operator=(const Request&) = delete;

    // --- set by the submitter before RequestQueue::submit -----------------
    IoDirection direction = IoDirection::Read;
    uint64_t sector = 0;  // first 512-byte sector
    // Adds a segment; false when MAX_SEGMENTS are already used.
    bool add_segment(void* address, uint32_t length);
    // Like add_segment, but memory that continues the last segment (in
    // kernel virtual addresses) lengthens it instead, while it stays within
    // max_segment_bytes: a forwarder copying a long chain into one request.
    bool add_or_extend_segment(void* address, uint32_t length, uint32_t max_segment_bytes);
    // Forgets every segment, so a completed request can carry new ones
    // (a stacked driver reusing its own request). Not while in flight.
    void clear_segments();
    // Called once on completion, maybe in interrupt context; must not sleep.
    void (*on_complete)(Request& request, void* context) = nullptr;
    void* completion_context = nullptr;

    // --- the request's own view (without merged followers) ----------------
    uint32_t segment_count() const { return segment_count_; }
    const MemorySegment& segment(uint32_t i) const { return segments_[i]; }
    uint64_t byte_count() const { return byte_count_; }
    uint32_t sector_count() const { return uint32_t(byte_count_ / SECTOR_SIZE); }
    uint64_t end_sector() const { return sector + sector_count(); }

    // --- the whole chain, for drivers (call on a leader) ------------------
    // O(1): a leader keeps its chain's total (merging and scheduling ask
    // for it often, and a chain may hold hundreds of requests).
    uint64_t chain_byte_count() const { return merged_next_ ? chain_bytes_ : byte_count_; }
    uint32_t chain_sector_count() const { return uint32_t(chain_byte_count() / SECTOR_SIZE); }
    uint32_t chain_segment_count() const;
    // Calls visit(segment) for every segment of every chained request, in order.
    template <typename Visitor>
    void for_each_segment(Visitor visit) const {
        for (const Request* r = this; r; r = r->merged_next_) {
            for (uint32_t i = 0; i < r->segment_count_; ++i) visit(r->segments_[i]);
        }
    }
    const Request* merged_next() const { return merged_next_; }
    // The physical pieces of the whole chain, adjacent memory joined, as
    // the queue counted them against the limits (set by submit, updated by
    // every merge; meaningful on a queued or started leader).
    const PhysicalSegments& chain_physical_segments() const { return chain_physical_; }

    // --- completion -------------------------------------------------------
    bool is_complete() const { return complete_; }
    int error() const { return error_; }  // 0 or an errno value
    // Sleeps until complete; returns the request's error, if any.
    Result<void> wait();

    // Queue-internal (RequestQueue, schedulers, request_merge.cpp). A
    // queued leader sits on one list through queue_node (a FIFO, or a list
    // sorted by sector); the deadline scheduler also keeps it on an arrival
    // list through fifo_node.
    klib::ListNode queue_node;
    klib::ListNode fifo_node;
    uint64_t queued_at_ms = 0;
    uint64_t started_at_ms = 0;

private:
    friend class RequestQueue;
    friend bool merge_back(Request& leader, Request& follower, const BlockDeviceLimits& limits);
    friend void merge_front(Request& new_leader, Request& old_leader, const BlockDeviceLimits& limits);

    MemorySegment segments_[MAX_SEGMENTS] = {};
    uint32_t segment_count_ = 0;
    uint64_t byte_count_ = 0;
    Request* merged_next_ = nullptr;  // chain of followers (leader only)
    Request* merged_tail_ = nullptr;  // last of the chain (leader only)
    PhysicalSegments chain_physical_;   // leader only: the whole chain's pieces
    uint64_t chain_bytes_ = 0;          // leader with followers only: the chain's bytes
    volatile bool complete_ = false;
    bool in_flight_ = false;  // between a successful submit and completion
    int error_ = 0;
    WaitQueue waiters_;
};
