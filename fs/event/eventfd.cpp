// fs/event/eventfd.cpp -- see eventfd.h.
#include "fs/event/eventfd.h"

#include "fs/event/anonymous_file.h"
#include "kernel/lib/string.h"

namespace {

constexpr uint64_t COUNTER_MAX = UINT64_MAX - 1;  // the largest count the counter holds

class EventFile final : public AnonymousFile {
public:
    EventFile(uint32_t initial, uint32_t flags)
        : AnonymousFile(flags & O_NONBLOCK), counter_(initial), semaphore_(flags & EFD_SEMAPHORE) {}

    Result<size_t> read(void* buffer, size_t size) override {
        if (size < sizeof(uint64_t)) return Error(EINVAL);
        InterruptGuard atomic;
        while (counter_ == 0) {
            if (flags() & O_NONBLOCK) return Error(EAGAIN);
            if (WaitQueue::signal_pending()) return Error(EINTR);
            changed_.sleep();
        }
        uint64_t value = semaphore_ ? 1 : counter_;
        counter_ -= value;
        klib::memcpy(buffer, &value, sizeof value);
        changed_.wake_all();
        return sizeof value;
    }

    Result<size_t> write(const void* buffer, size_t size) override {
        if (size < sizeof(uint64_t)) return Error(EINVAL);
        uint64_t value;
        klib::memcpy(&value, buffer, sizeof value);
        if (value == UINT64_MAX) return Error(EINVAL);
        InterruptGuard atomic;
        while (COUNTER_MAX - counter_ < value) {
            if (flags() & O_NONBLOCK) return Error(EAGAIN);
            if (WaitQueue::signal_pending()) return Error(EINTR);
            changed_.sleep();
        }
        counter_ += value;
        if (value) changed_.wake_all();
        return sizeof value;
    }

    uint32_t poll(PollTable* table) override {
        using namespace poll_events;
        InterruptGuard atomic;
        poll_wait(table, changed_);
        uint32_t events = 0;
        if (counter_ > 0) events |= IN | READ_NORMAL;
        if (counter_ < COUNTER_MAX) events |= OUT | WRITE_NORMAL;
        return events;
    }


private:
    uint64_t counter_;  // guarded by InterruptGuard
    const bool semaphore_;
    WaitQueue changed_;
};

}  // namespace

Result<FileRef> create_eventfd(uint32_t initial, uint32_t flags) {
    File* file = new (std::nothrow) EventFile(initial, flags);
    if (!file) return Error(ENOMEM);
    return FileRef::adopt(file);
}
