// fs/vfs/poll.h -- "is this file ready?", asked of every kind of File.
//
// Layer: virtual file system. poll(2) and select(2) ask each File they
// watch which events are true now (File::poll). A File answers from its own
// state and, when the caller passes a PollTable, hands it every wait queue
// whose wake-up may change that answer: the same queues its read() and
// write() sleep on (a pipe's readable/writable queues, the console's
// readers). The system call sleeps until one of them is woken, a signal
// arrives or the timeout passes, then asks again. (Linux: poll_table and
// poll_wait in include/linux/poll.h.)
//
// Must stay true: File::poll never sleeps; registering the same queue twice
// is harmless. A File::poll checks its state and calls poll_wait() under
// one InterruptGuard, so a wake between the two cannot be missed: the
// table's entries are on the queues from then on, and a wake sets their
// flag, which the sleep checks with interrupts off (wait_queue.h).
#pragma once

#include <cstdint>

class WaitQueue;

namespace poll_events {
// Linux's values (include/uapi/asm-generic/poll.h).
constexpr uint32_t IN = 0x001, PRI = 0x002, OUT = 0x004, ERR = 0x008, HUP = 0x010, NVAL = 0x020,
                   READ_NORMAL = 0x040, READ_BAND = 0x080, WRITE_NORMAL = 0x100, WRITE_BAND = 0x200,
                   READ_HANGUP = 0x2000;
// Always reported, whether asked for or not.
constexpr uint32_t ALWAYS = ERR | HUP | NVAL;
}  // namespace poll_events

struct PollEntryBlock;

// Takes the queues a File::poll names instead of a table's entries: epoll
// keeps entries of its own on them between calls (fs/event/epoll.h).
class PollQueueCollector {
public:
    virtual void collect(WaitQueue& queue) = 0;

protected:
    ~PollQueueCollector() = default;
};

// The waiting side of one poll() or select() call: its entries on the
// queues that the polled files named. Lives on the poller's stack; its
// entries leave their queues in detach_all() and the destructor.
class PollTable {
public:
    PollTable() = default;
    // A table that hands every queue to `collector` and keeps no entries.
    explicit PollTable(PollQueueCollector& collector) : collector_(&collector) {}
    PollTable(const PollTable&) = delete;
    PollTable& operator=(const PollTable&) = delete;
    ~PollTable() { detach_all(); }

    // poll_wait(): one more entry, on `queue`. Out of memory is remembered
    // (out_of_memory()) and the poll call fails with ENOMEM.
    void add(WaitQueue& queue);
    // Takes every entry off its queue and forgets them (interrupts may be on).
    void detach_all();
    // Sleeps until one of the queues is woken, a signal wakes the thread,
    // or `deadline_ms` (UINT64_MAX: none) passes -- then false. Returns at
    // once when a queue was woken since its entry was added.
    bool sleep_until(uint64_t deadline_ms);
    bool out_of_memory() const { return out_of_memory_; }
    bool any_woken() const;

private:
    PollEntryBlock* blocks_ = nullptr;
    PollQueueCollector* collector_ = nullptr;
    bool out_of_memory_ = false;
};

// Adds `queue` to the queues whose wake ends the poller's sleep. A null
// table (the caller only wants the current answer) does nothing.
void poll_wait(PollTable* table, WaitQueue& queue);
