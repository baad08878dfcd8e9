// drivers/block/io_scheduler.cpp -- the table of I/O schedulers by name.
//
// Layer: basic I/O supervisor. See io_scheduler.h. A new policy is one more
// line in SCHEDULERS; the kernel command line (iosched=),
// RequestQueue::select_scheduler and the BLKIOSCHED ioctls all come
// through here.
#include "drivers/block/io_scheduler.h"

#include "drivers/block/deadline_scheduler.h"
#include "drivers/block/elevator_scheduler.h"
#include "drivers/block/noop_scheduler.h"
#include "kernel/lib/string.h"
#include "kernel/platform.h"

namespace {

struct SchedulerEntry {
    const char* name;
    IoScheduler* (*create)();  // nullptr when memory is short
};

IoScheduler* create_noop_scheduler() { return new (std::nothrow) NoopScheduler; }
IoScheduler* create_elevator_scheduler() { return new (std::nothrow) ElevatorScheduler; }
IoScheduler* create_deadline_scheduler() { return new (std::nothrow) DeadlineScheduler; }

constexpr SchedulerEntry SCHEDULERS[] = {
    {"noop", create_noop_scheduler},
    {"elevator", create_elevator_scheduler},
    {"deadline", create_deadline_scheduler},
};

// Points into SCHEDULERS, so it never dangles. Written at boot before any
// disk exists; read when a queue is made.
const char* default_scheduler_name = SCHEDULERS[0].name;

const SchedulerEntry* find_scheduler_entry(const char* name) {
    if (!name) return nullptr;
    for (const SchedulerEntry& entry : SCHEDULERS) {
        if (klib::strcmp(entry.name, name) == 0) return &entry;
    }
    return nullptr;
}

}  // namespace

IoScheduler* create_io_scheduler(const char* name) {
    const SchedulerEntry* entry = find_scheduler_entry(name);
    return entry ? entry->create() : nullptr;
}

bool io_scheduler_exists(const char* name) { return find_scheduler_entry(name) != nullptr; }

size_t io_scheduler_count() { return sizeof SCHEDULERS / sizeof SCHEDULERS[0]; }

const char* io_scheduler_name(size_t index) {
    return index < io_scheduler_count() ? SCHEDULERS[index].name : nullptr;
}

Result<void> set_default_io_scheduler(const char* name) {
    const SchedulerEntry* entry = find_scheduler_entry(name);
    if (!entry) return Error{EINVAL};
    default_scheduler_name = entry->name;
    return {};
}

const char* default_io_scheduler() { return default_scheduler_name; }
