// drivers/block/io_scheduler.cpp -- the table of I/O schedulers by name.
//
// Layer: basic I/O supervisor. See io_scheduler.h. A new policy is one more
// line in SCHEDULERS; the kernel command line (iosched=) and
// RequestQueue::select_scheduler both come through here.
#include "drivers/block/io_scheduler.h"

#include "drivers/block/noop_scheduler.h"
#include "kernel/lib/string.h"
#include "kernel/platform.h"

namespace {

struct SchedulerEntry {
    const char* name;
    IoScheduler* (*create)();  // nullptr when memory is short
};

IoScheduler* create_noop_scheduler() { return new (std::nothrow) NoopScheduler; }

constexpr SchedulerEntry SCHEDULERS[] = {
    {"noop", create_noop_scheduler},
};

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
