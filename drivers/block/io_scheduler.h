// drivers/block/io_scheduler.h -- the policy that orders and merges requests.
//
// Layer: basic I/O supervisor. A RequestQueue keeps the requests not yet
// given to the driver in an IoScheduler. Before adding a request the queue
// offers it for merging; when the driver can take more, the queue asks for
// the next leader. Schedulers differ only in those two decisions:
//   noop      FIFO order (noop_scheduler.h)
//   elevator  C-LOOK order by sector (elevator_scheduler.h)
//   deadline  C-LOOK order in batches, reads before writes, expiry times
//             (deadline_scheduler.h)
// Each merges a request with an adjacent queued one (request_merge.h).
// Flushes never merge; the sorting schedulers dispatch them first.
//
// All calls are made with the queue's lock held (interrupts off), so a
// scheduler needs no lock of its own and must never sleep.
// (Linux: struct elevator_type / elevator_mq_ops; the names are those of
// /sys/block/<disk>/queue/scheduler, with Linux's "none" called noop.)
#pragma once

#include <cstddef>
#include <cstdint>

#include "drivers/block/request.h"

struct BlockDeviceLimits;

class IoScheduler {
public:
    virtual ~IoScheduler() = default;
    virtual const char* name() const = 0;

    // Tries to merge `request` into a queued one (a back or front merge
    // within the device's limits and of the same direction). True when
    // merged: the request is then part of a queued chain and must not be
    // added.
    virtual bool try_merge(Request& request, const BlockDeviceLimits& limits) = 0;
    // Takes a leader (with any chain behind it). Its queued_at_ms is when
    // it was submitted -- or, moved over from another scheduler, when it
    // was first submitted, so expiry times survive a switch.
    virtual void add(Request& request) = 0;
    // Removes and returns the next leader to dispatch; nullptr when empty.
    // now_ms is the queue's clock, passed in so that tests can fake time.
    virtual Request* next(uint64_t now_ms) = 0;
    virtual bool empty() const = 0;
    virtual size_t queued_count() const = 0;
};

// Makes a scheduler by name ("noop", "elevator", "deadline"); nullptr for
// an unknown name or when memory is short.
IoScheduler* create_io_scheduler(const char* name);
// True when create_io_scheduler knows `name` (tells EINVAL from ENOMEM).
bool io_scheduler_exists(const char* name);
// The known names, in table order: io_scheduler_name(0) .. (count - 1).
size_t io_scheduler_count();
const char* io_scheduler_name(size_t index);

// The scheduler a new RequestQueue starts with: "noop" unless the kernel
// command line said iosched=... at boot (set before any disk registers).
// EINVAL for an unknown name (the default is then unchanged).
Result<void> set_default_io_scheduler(const char* name);
const char* default_io_scheduler();
