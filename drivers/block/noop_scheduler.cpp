// drivers/block/noop_scheduler.cpp -- FIFO order with back and front merges.
//
// Layer: basic I/O supervisor. See noop_scheduler.h. The merge rules
// themselves (direction, adjacency, limits) are request_merge.cpp's; this
// file only decides where in the queue to look and keeps the FIFO intact.
#include "drivers/block/noop_scheduler.h"

#include "drivers/block/request_merge.h"

bool NoopScheduler::try_merge(Request& request, const BlockDeviceLimits& limits) {
    // A linear scan: the queue holds at most a few dozen leaders, and a
    // student can see every candidate in gdb. Merging only ever joins the
    // new request to one chain; two queued chains that become adjacent
    // through it stay separate (they are still dispatched back to back).
    for (Request& leader : fifo_) {
        if (can_merge_back(leader, request, limits)) {
            merge_back(leader, request);
            return true;
        }
        if (can_merge_back(request, leader, limits)) {
            // The new request leads now; it inherits the old leader's place
            // in line, so FIFO order among chains is unchanged.
            fifo_.insert_before(leader, request);
            fifo_.remove(leader);
            merge_front(request, leader);
            return true;
        }
    }
    return false;
}
