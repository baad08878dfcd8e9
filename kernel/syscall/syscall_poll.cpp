// kernel/syscall/syscall_poll.cpp -- waiting for several files at once.
//
// Layer: system calls. poll (168), ppoll (309) and ppoll_time64 (414) take
// an array of struct pollfd; select (82, old_select: one pointer to its
// five arguments), _newselect (142), pselect6 (308) and pselect6_time64
// (413) take three fd_set bitmaps. All of them ask each File which events
// are true now (File::poll, fs/vfs/poll.h) with a PollTable that collects
// the wait queues those files sleep on, and if nothing is ready sleep on
// all of those queues until one is woken, a signal comes or the timeout
// passes -- then ask again. (Linux: fs/select.c.)
//
// What Linux does and so do these:
//   - poll: a negative fd is skipped (revents 0), a closed one gets
//     POLLNVAL; nfds over RLIMIT_NOFILE is EINVAL; the timeout is in ms,
//     negative for none; POLLERR, POLLHUP and POLLNVAL come unasked.
//   - select: a set bit for a closed fd is EBADF; n < 0 is EINVAL, n
//     beyond the descriptor table is cut to it; readable means POLLIN,
//     POLLHUP or POLLERR, writable POLLOUT or POLLERR, exceptional POLLPRI.
//     select, pselect6 and ppoll write the time left back (not poll).
//   - a signal ends the wait with EINTR, never restarted after a handler
//     (syscall.cpp); ppoll and pselect6 wait with the given signal mask,
//     and the old mask comes back after the handler ran (signals.h).
//   - a bad pointer is EFAULT.
#include "fs/vfs/poll.h"
#include "kernel/lib/errno.h"
#include "kernel/proc/process.h"
#include "kernel/proc/signals.h"
#include "kernel/proc/user_memory.h"
#include "kernel/syscall/syscall.h"
#include "kernel/syscall/syscall_support.h"
#include "kernel/syscall/temporary_signal_mask.h"
#include "kernel/syscall/user_time.h"
#include "kernel/time/monotonic_clock.h"

namespace {

constexpr uint64_t NO_DEADLINE = UINT64_MAX;
constexpr int MAX_FDS = FileDescriptorTable::MAX_DESCRIPTORS;  // the table's size, RLIMIT_NOFILE's ceiling

struct PollFd {
    int32_t fd;
    int16_t events, revents;
};
static_assert(sizeof(PollFd) == 8);

// ---- timeouts ---------------------------------------------------------

// A relative timeout in nanoseconds -> the monotonic deadline in ms,
// rounded up so that a wait is never shorter than asked.
uint64_t deadline_after_ns(int64_t nanoseconds) {
    if (nanoseconds == 0) return 0;
    int64_t milliseconds = (nanoseconds + 999999) / 1000000;
    return monotonic_clock::uptime_ms() + uint64_t(milliseconds);
}

// The nanoseconds left until `deadline` (never negative).
int64_t left_until(uint64_t deadline) {
    uint64_t now = monotonic_clock::uptime_ms();
    return deadline > now ? int64_t(deadline - now) * 1000000 : 0;
}

// As Linux: a time left that cannot be written back is not an error.
void write_time_left(uint32_t address, int64_t nanoseconds, bool time64) {
    (void)write_timespec_ns(address, nanoseconds, time64);
}

// select's struct timeval: microseconds beyond a second carry over, a
// negative time is EINVAL.
Result<int64_t> read_timeval(uint32_t address) {
    int32_t t[2];
    TRY(copy_from_user(t, address, sizeof t));
    if (t[0] < 0 || t[1] < 0) return Error(EINVAL);
    int64_t seconds = int64_t(t[0]) + t[1] / 1000000;
    return seconds * NANOSECONDS_PER_SECOND + int64_t(t[1] % 1000000) * 1000;
}

void write_timeval(uint32_t address, int64_t nanoseconds) {
    int32_t t[2] = {int32_t(nanoseconds / NANOSECONDS_PER_SECOND),
                    int32_t(nanoseconds % NANOSECONDS_PER_SECOND / 1000)};
    (void)copy_to_user(address, t, sizeof t);
}

// ---- the wait ---------------------------------------------------------

// Asks `scan` (a count of ready files, or -errno) until it finds one, the
// deadline passes (0: ask once), or a signal comes (EINTR).
template <typename Scan>
int32_t wait_for_events(Scan scan, uint64_t deadline) {
    for (;;) {
        PollTable table;
        int32_t ready = scan(&table);
        if (ready != 0) return ready;
        if (table.out_of_memory()) return -ENOMEM;
        if (deadline != NO_DEADLINE && monotonic_clock::uptime_ms() >= deadline) return 0;
        if (WaitQueue::signal_pending()) return -EINTR;
        table.sleep_until(deadline);
    }
}

// ---- poll -------------------------------------------------------------

int32_t scan_poll_fds(PollFd* fds, uint32_t count, PollTable* table) {
    using namespace poll_events;
    int32_t ready = 0;
    for (uint32_t i = 0; i < count; ++i) {
        PollFd& entry = fds[i];
        entry.revents = 0;
        if (entry.fd < 0) continue;
        auto file = self().files->get(entry.fd);
        uint32_t events = file.is_error() ? NVAL : file.value()->poll(table);
        entry.revents = int16_t(events & (uint16_t(entry.events) | ALWAYS));
        if (entry.revents) ++ready;
    }
    return ready;
}

int32_t poll_common(uint32_t user_fds, uint32_t count, uint64_t deadline) {
    if (count > uint32_t(self().files->limit())) return -EINVAL;  // the soft RLIMIT_NOFILE, as Linux
    PollFd* fds = new (std::nothrow) PollFd[count ? count : 1];
    if (!fds) return -ENOMEM;
    int32_t result;
    if (copy_from_user(fds, user_fds, count * sizeof(PollFd)).is_error()) {
        result = -EFAULT;
    } else {
        result = wait_for_events([&](PollTable* table) { return scan_poll_fds(fds, count, table); }, deadline);
        // revents go back even after EINTR is decided, as Linux only does
        // on success; the program must not look at them then anyway.
        if (result >= 0) {
            for (uint32_t i = 0; i < count; ++i) {
                uint32_t address = user_fds + i * sizeof(PollFd) + 6;
                if (copy_to_user(address, &fds[i].revents, 2).is_error()) {
                    result = -EFAULT;
                    break;
                }
            }
        }
    }
    delete[] fds;
    return result;
}

int32_t sys_poll(const SyscallArguments& a) {
    int32_t timeout_ms = int32_t(a.arg[2]);
    uint64_t deadline = timeout_ms < 0 ? NO_DEADLINE : deadline_after_ns(int64_t(timeout_ms) * 1000000);
    return poll_common(a.arg[0], a.arg[1], deadline);
}

// ppoll(fds, nfds, timespec*, sigmask*, sigsetsize)
int32_t ppoll_common(const SyscallArguments& a, bool time64) {
    uint64_t deadline = NO_DEADLINE;
    int64_t timeout = -1;
    if (a.arg[2]) {
        auto read = read_timespec(a.arg[2], time64);
        if (read.is_error()) return -read.error();
        timeout = read.value();
        deadline = deadline_after_ns(timeout);
    }
    TemporarySignalMask mask;
    if (auto installed = mask.install(a.arg[3], a.arg[4]); installed.is_error()) return -installed.error();
    int32_t result = poll_common(a.arg[0], a.arg[1], deadline);
    if (timeout > 0) write_time_left(a.arg[2], left_until(deadline), time64);
    return mask.finish(result);
}
int32_t sys_ppoll(const SyscallArguments& a) { return ppoll_common(a, false); }
int32_t sys_ppoll_time64(const SyscallArguments& a) { return ppoll_common(a, true); }

// ---- select -----------------------------------------------------------

// The three fd_sets of one select, in kernel memory.
struct SelectSets {
    uint32_t in[MAX_FDS / 32], out[MAX_FDS / 32], except[MAX_FDS / 32];
    uint32_t ready_in[MAX_FDS / 32], ready_out[MAX_FDS / 32], ready_except[MAX_FDS / 32];
};

bool bit(const uint32_t* set, int fd) { return set[fd / 32] & (1u << (fd % 32)); }
void set_bit(uint32_t* set, int fd) { set[fd / 32] |= 1u << (fd % 32); }

int32_t scan_select_sets(SelectSets& sets, int count, PollTable* table) {
    using namespace poll_events;
    constexpr uint32_t READABLE = IN | READ_NORMAL | READ_BAND | HUP | ERR, WRITABLE = OUT | WRITE_NORMAL | WRITE_BAND | ERR,
                       EXCEPTIONAL = PRI;
    for (int i = 0; i < MAX_FDS / 32; ++i) sets.ready_in[i] = sets.ready_out[i] = sets.ready_except[i] = 0;
    int32_t ready = 0;
    for (int fd = 0; fd < count; ++fd) {
        bool want_in = bit(sets.in, fd), want_out = bit(sets.out, fd), want_except = bit(sets.except, fd);
        if (!want_in && !want_out && !want_except) continue;
        auto file = self().files->get(fd);
        if (file.is_error()) return -EBADF;
        uint32_t events = file.value()->poll(table);
        if (want_in && (events & READABLE)) set_bit(sets.ready_in, fd), ++ready;
        if (want_out && (events & WRITABLE)) set_bit(sets.ready_out, fd), ++ready;
        if (want_except && (events & EXCEPTIONAL)) set_bit(sets.ready_except, fd), ++ready;
    }
    return ready;
}

// Reads the sets (null: empty), waits, writes the ready sets back.
int32_t select_common(int count, const uint32_t user_sets[3], uint64_t deadline) {
    if (count < 0) return -EINVAL;
    if (count > MAX_FDS) count = MAX_FDS;
    auto* sets = new (std::nothrow) SelectSets{};
    if (!sets) return -ENOMEM;
    size_t bytes = size_t((count + 31) / 32) * 4;
    uint32_t* kernel_sets[3] = {sets->in, sets->out, sets->except};
    uint32_t* ready_sets[3] = {sets->ready_in, sets->ready_out, sets->ready_except};
    int32_t result = 0;
    for (int i = 0; i < 3 && result == 0; ++i) {
        if (user_sets[i] && copy_from_user(kernel_sets[i], user_sets[i], bytes).is_error()) result = -EFAULT;
    }
    if (result == 0) {
        result = wait_for_events([&](PollTable* table) { return scan_select_sets(*sets, count, table); }, deadline);
    }
    for (int i = 0; i < 3 && result >= 0; ++i) {
        if (user_sets[i] && copy_to_user(user_sets[i], ready_sets[i], bytes).is_error()) result = -EFAULT;
    }
    delete sets;
    return result;
}

// select(n, in, out, except, timeval*) as _newselect takes it.
int32_t select_with_timeval(int count, const uint32_t user_sets[3], uint32_t user_timeval) {
    uint64_t deadline = NO_DEADLINE;
    int64_t timeout = -1;
    if (user_timeval) {
        auto read = read_timeval(user_timeval);
        if (read.is_error()) return -read.error();
        timeout = read.value();
        deadline = deadline_after_ns(timeout);
    }
    int32_t result = select_common(count, user_sets, deadline);
    if (timeout > 0) write_timeval(user_timeval, left_until(deadline));
    return result;
}

int32_t sys_newselect(const SyscallArguments& a) {
    const uint32_t sets[3] = {a.arg[1], a.arg[2], a.arg[3]};
    return select_with_timeval(int(a.arg[0]), sets, a.arg[4]);
}

// The old i386 select: one pointer to {n, in, out, except, timeval*}.
int32_t sys_old_select(const SyscallArguments& a) {
    uint32_t arguments[5];
    if (copy_from_user(arguments, a.arg[0], sizeof arguments).is_error()) return -EFAULT;
    const uint32_t sets[3] = {arguments[1], arguments[2], arguments[3]};
    return select_with_timeval(int(arguments[0]), sets, arguments[4]);
}

// pselect6(n, in, out, except, timespec*, {sigset*, size}*)
int32_t pselect6_common(const SyscallArguments& a, bool time64) {
    uint64_t deadline = NO_DEADLINE;
    int64_t timeout = -1;
    if (a.arg[4]) {
        auto read = read_timespec(a.arg[4], time64);
        if (read.is_error()) return -read.error();
        timeout = read.value();
        deadline = deadline_after_ns(timeout);
    }
    uint32_t mask_argument[2] = {0, 0};
    if (a.arg[5] && copy_from_user(mask_argument, a.arg[5], sizeof mask_argument).is_error()) return -EFAULT;
    TemporarySignalMask mask;
    if (auto installed = mask.install(mask_argument[0], mask_argument[1]); installed.is_error()) {
        return -installed.error();
    }
    const uint32_t sets[3] = {a.arg[1], a.arg[2], a.arg[3]};
    int32_t result = select_common(int(a.arg[0]), sets, deadline);
    if (timeout > 0) write_time_left(a.arg[4], left_until(deadline), time64);
    return mask.finish(result);
}
int32_t sys_pselect6(const SyscallArguments& a) { return pselect6_common(a, false); }
int32_t sys_pselect6_time64(const SyscallArguments& a) { return pselect6_common(a, true); }

}  // namespace

void register_poll_system_calls(SyscallEntry* table, uint32_t size) {
    const NumberedSyscall calls[] = {
        {82, {"select", sys_old_select}},         {142, {"_newselect", sys_newselect}},
        {168, {"poll", sys_poll}},                {308, {"pselect6", sys_pselect6}},
        {309, {"ppoll", sys_ppoll}},              {413, {"pselect6_time64", sys_pselect6_time64}},
        {414, {"ppoll_time64", sys_ppoll_time64}},
    };
    add_system_calls(table, size, calls);
}
