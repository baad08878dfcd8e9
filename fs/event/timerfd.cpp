// fs/event/timerfd.cpp -- see timerfd.h.
#include "fs/event/timerfd.h"

#include "fs/event/anonymous_file.h"
#include "kernel/lib/list.h"
#include "kernel/lib/string.h"
#include "kernel/sched/scheduler.h"
#include "kernel/time/wall_clock.h"

namespace {

constexpr int64_t NANOSECONDS_PER_SECOND = 1000000000, NANOSECONDS_PER_MS = 1000000;

int64_t nanoseconds(wall_clock::Time time) { return time.seconds * NANOSECONDS_PER_SECOND + time.nanoseconds; }
int64_t monotonic_now() { return nanoseconds(wall_clock::monotonic()); }

class TimerFile final : public AnonymousFile {
public:
    TimerFile(int clock, uint32_t flags) : AnonymousFile(flags & O_NONBLOCK), clock_(clock) {}

    FileKind kind() const override { return FileKind::Timer; }

    // Counts the expirations up to `now` (monotonic ns). Interrupts off.
    void count_expirations(int64_t now) {
        if (!next_ || now < next_) return;
        if (interval_) {
            uint64_t missed = uint64_t(now - next_) / uint64_t(interval_);
            expirations_ += missed + 1;
            next_ += int64_t(missed + 1) * interval_;
        } else {
            expirations_ += 1;
            next_ = 0;
        }
    }
    int64_t next_expiry() const { return next_; }  // monotonic ns; 0: disarmed
    WaitQueue& readers() { return readers_; }

    TimerfdSetting setting(int64_t now) {
        count_expirations(now);
        TimerfdSetting setting;
        setting.value_ns = next_ ? (next_ - now > 0 ? next_ - now : 1) : 0;
        setting.interval_ns = interval_;
        return setting;
    }

    // A time on this timer's clock as a monotonic one.
    int64_t monotonic_of(int64_t clock_time, int64_t now) const {
        if (clock_ != timer_clocks::REALTIME) return clock_time;
        return clock_time - (nanoseconds(wall_clock::realtime()) - now);
    }

    void arm(int64_t first_expiry, int64_t interval) {
        next_ = first_expiry > 0 ? first_expiry : 1;
        interval_ = interval;
        expirations_ = 0;
    }
    void disarm() { next_ = interval_ = 0, expirations_ = 0; }

    Result<size_t> read(void* buffer, size_t size) override {
        if (size < sizeof(uint64_t)) return Error(EINVAL);
        InterruptGuard atomic;
        for (;;) {
            count_expirations(monotonic_now());
            if (expirations_) break;
            if (flags() & O_NONBLOCK) return Error(EAGAIN);
            if (WaitQueue::signal_pending()) return Error(EINTR);
            readers_.sleep();
        }
        klib::memcpy(buffer, &expirations_, sizeof expirations_);
        expirations_ = 0;
        return sizeof(uint64_t);
    }

    uint32_t poll(PollTable* table) override {
        using namespace poll_events;
        InterruptGuard atomic;
        poll_wait(table, readers_);
        count_expirations(monotonic_now());
        return expirations_ ? IN | READ_NORMAL : 0;
    }

    Result<size_t> write(const void*, size_t) override { return Error(EINVAL); }


    klib::ListNode list_node;  // on `timers`

protected:
    void release() override;

private:
    const int clock_;
    int64_t next_ = 0, interval_ = 0;  // InterruptGuard
    uint64_t expirations_ = 0;          // InterruptGuard
    WaitQueue readers_;
};

klib::IntrusiveList<TimerFile, &TimerFile::list_node> timers;  // InterruptGuard
WaitQueue timer_thread_queue;  // the thread sleeps here until the earliest expiry or a change
bool timer_thread_started = false;

void TimerFile::release() {
    InterruptGuard atomic;
    if (list_node.is_linked()) timers.remove(*this);
}

// The "timerfd" thread: wakes the readers of every timer that expired,
// then sleeps until the next expiry of any timer.
void wake_expired_timers(void*) {
    InterruptGuard atomic;
    for (;;) {
        int64_t now = monotonic_now(), earliest = INT64_MAX;
        for (TimerFile& timer : timers) {
            if (timer.next_expiry() && timer.next_expiry() <= now) {
                timer.count_expirations(now);
                timer.readers().wake_all();
            }
            if (timer.next_expiry() && timer.next_expiry() < earliest) earliest = timer.next_expiry();
        }
        if (earliest == INT64_MAX) {
            timer_thread_queue.sleep();
        } else {
            uint64_t wake_ms = uint64_t((earliest + NANOSECONDS_PER_MS - 1) / NANOSECONDS_PER_MS);
            timer_thread_queue.sleep_until(wake_ms);
        }
    }
}

Result<TimerFile*> timer_of(File& file) {
    if (file.kind() != FileKind::Timer) return Error(EINVAL);
    return static_cast<TimerFile*>(&file);
}

}  // namespace

Result<FileRef> create_timerfd(int clock, uint32_t flags) {
    using namespace timer_clocks;
    if (clock != REALTIME && clock != MONOTONIC && clock != BOOTTIME) return Error(EINVAL);
    bool start_thread;
    {
        InterruptGuard atomic;
        start_thread = !timer_thread_started;
        timer_thread_started = true;
    }
    if (start_thread && scheduler::spawn("timerfd", wake_expired_timers, nullptr).is_error()) {
        InterruptGuard atomic;
        timer_thread_started = false;
        return Error(ENOMEM);
    }
    auto* file = new (std::nothrow) TimerFile(clock, flags);
    if (!file) return Error(ENOMEM);
    InterruptGuard atomic;
    timers.push_back(*file);
    return FileRef::adopt(file);
}

Result<TimerfdSetting> set_timerfd(File& file, bool absolute, int64_t value_ns, int64_t interval_ns) {
    TimerFile* timer = TRY(timer_of(file));
    InterruptGuard atomic;
    int64_t now = monotonic_now();
    TimerfdSetting old = timer->setting(now);
    if (value_ns == 0) {
        timer->disarm();
    } else {
        timer->arm(absolute ? timer->monotonic_of(value_ns, now) : now + value_ns, interval_ns);
    }
    timer->readers().wake_all();
    timer_thread_queue.wake_all();
    return old;
}

Result<TimerfdSetting> timerfd_setting(File& file) {
    TimerFile* timer = TRY(timer_of(file));
    InterruptGuard atomic;
    return timer->setting(monotonic_now());
}
