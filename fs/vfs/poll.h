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
// is harmless.
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

// The waiting side of one poll() or select() call.
class PollTable;

// Adds `queue` to the queues whose wake ends the poller's sleep. A null
// table (the caller only wants the current answer) does nothing.
void poll_wait(PollTable* table, WaitQueue& queue);
