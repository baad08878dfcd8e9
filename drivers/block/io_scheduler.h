// drivers/block/io_scheduler.h -- the policy that orders and merges requests.
//
// Layer: basic I/O supervisor. A RequestQueue keeps the requests not yet
// given to the driver in an IoScheduler. Before adding a request the queue
// offers it for merging; when the driver can take more, the queue asks for
// the next leader. Schedulers differ only in those two decisions:
//   noop      FIFO order; merges a request with an adjacent queued one
//   elevator  (later) C-LOOK order by sector
//   deadline  (later) elevator order plus expiry times
// All calls are made with the queue's lock held (interrupts off).
// (Linux: struct elevator_type / elevator_mq_ops.)
#pragma once

#include <cstddef>

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
    virtual void add(Request& request) = 0;
    // Removes and returns the next leader to dispatch; nullptr when empty.
    virtual Request* next() = 0;
    virtual bool empty() const = 0;
    virtual size_t queued_count() const = 0;
};

// Makes a scheduler by name ("noop"; later "elevator", "deadline");
// nullptr for an unknown name or when memory is short.
IoScheduler* create_io_scheduler(const char* name);
// True when create_io_scheduler knows `name` (tells EINVAL from ENOMEM).
bool io_scheduler_exists(const char* name);
