// fs/event/epoll.h -- epoll: a set of watched files, asked all at once.
//
// Layer: VFS special files, on the poll layer (Linux: fs/eventpoll.c).
// An epoll file holds items, one per (file, descriptor) added with
// epoll_ctl: the events wanted and 64 bits of the caller's data. A wait
// asks each item's File::poll (fs/vfs/poll.h) and reports the items whose
// answer meets their events (EPOLLERR and EPOLLHUP always count):
//   level-triggered (the default)  reported at every wait while ready
//   EPOLLET, edge-triggered        reported once, then again only after one
//                                  of the file's wait queues was woken (new
//                                  data, a new state): the item keeps entries
//                                  of its own on those queues between waits
//   EPOLLONESHOT                   reported once, then disabled until MOD
// Ready items are reported in the order they were found ready; a reported
// level-triggered item goes to the back, so a wait with room for fewer
// events than are ready serves them all in turn (as Linux's ready list).
// An item goes away with EPOLL_CTL_DEL, or when its file is closed for the
// last time (a FileWatch on the file, as Linux's eventpoll_release); the
// epoll file holds no reference to the files it watches.
//
// Locking: an epoll file's items and every item's state are guarded by
// InterruptGuard; a wait asks the files and reports under one guard, so no
// item can go away in between. Must stay true: an epoll never watches
// itself, directly or through other epolls (ELOOP).
#pragma once

#include "fs/vfs/file.h"

namespace epoll_abi {
// Linux's values (include/uapi/linux/eventpoll.h).
constexpr uint32_t EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
constexpr uint32_t EPOLLEXCLUSIVE = 1u << 28, EPOLLWAKEUP = 1u << 29, EPOLLONESHOT = 1u << 30,
                   EPOLLET = 1u << 31;
constexpr uint32_t PRIVATE_BITS = EPOLLEXCLUSIVE | EPOLLWAKEUP | EPOLLONESHOT | EPOLLET;
}  // namespace epoll_abi

// One reported event, as the i386 struct epoll_event (packed: 12 bytes).
struct __attribute__((packed)) EpollEvent {
    uint32_t events;
    uint64_t data;
};
static_assert(sizeof(EpollEvent) == 12);

Result<FileRef> create_epoll(uint32_t flags);

// epoll_ctl on `epoll` (EINVAL unless an epoll file other than `target`):
// ADD (EEXIST), MOD and DEL (ENOENT) the item of (target, fd); EPERM for a
// file that cannot be polled (regular files, directories), ELOOP for a loop.
Result<void> epoll_control(File& epoll, uint32_t operation, int fd, File& target, const EpollEvent& event);

// Asks the items once; sleeps until one is ready, `deadline_ms` passes
// (0: do not wait, UINT64_MAX: never) or a signal comes (EINTR). Returns
// how many of `events` (room for `capacity`) it filled.
Result<int> epoll_wait_for_events(File& epoll, EpollEvent* events, int capacity, uint64_t deadline_ms);
