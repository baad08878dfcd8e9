// kernel/sched/self_test.cpp -- see self_test.h.
#include "kernel/sched/self_test.h"

#include "kernel/log.h"
#include "kernel/sched/mutex.h"
#include "kernel/sched/scheduler.h"
#include "kernel/sched/wait_queue.h"
#include "kernel/time/monotonic_clock.h"

namespace {

constexpr int WORKERS = 3;

// Shared by one test's threads; each test starts by resetting it.
struct Shared {
    volatile bool stop = false;
    volatile uint32_t spins[WORKERS] = {};
    volatile int finished = 0;
    uint32_t counter = 0;  // guarded by mutex
    Mutex mutex{"selftest"};
    WaitQueue done;
};
Shared* shared;

struct Worker {
    int index;
};
Worker workers[WORKERS];

int report(const char* name, bool ok, const char* why) {
    if (ok) kprintf("selftest: %s ok\n", name);
    else kprintf("selftest: %s FAILED: %s\n", name, why);
    return ok ? 0 : 1;
}

void finish_worker() {
    InterruptGuard atomic;
    shared->finished = shared->finished + 1;
    shared->done.wake_all();
}

void wait_for_workers() {
    shared->done.wait_until([] { return shared->finished == WORKERS; });
}

bool spawn_workers(const char* name, void (*body)(void*)) {
    for (int i = 0; i < WORKERS; ++i) {
        workers[i].index = i;
        if (scheduler::spawn(name, body, &workers[i]).is_error()) return false;
    }
    return true;
}

// Never yields or sleeps: only the timer can take the CPU away from it.
void spinning_worker(void* argument) {
    int index = static_cast<Worker*>(argument)->index;
    while (!shared->stop) shared->spins[index] = shared->spins[index] + 1;
    finish_worker();
}

int test_preemption() {
    uint64_t switches_before = scheduler::context_switch_count();
    if (!spawn_workers("spinner", spinning_worker)) return report("preemption", false, "out of memory");
    scheduler::sleep_ms(200);
    // Snapshot while all three still spin: with preemption each has run.
    uint32_t snapshot[WORKERS];
    for (int i = 0; i < WORKERS; ++i) snapshot[i] = shared->spins[i];
    shared->stop = true;
    wait_for_workers();
    uint64_t switches = scheduler::context_switch_count() - switches_before;
    kprintf("selftest: spinners counted %u, %u, %u in 200 ms; %llu context switches\n", snapshot[0],
            snapshot[1], snapshot[2], switches);
    bool all_ran = snapshot[0] && snapshot[1] && snapshot[2];
    // 200 ms of 5 ms slices shared by three spinners: dozens of switches.
    return report("preemption", all_ran && switches >= 20, "a spinning thread never lost the CPU");
}

// Read, sleep with the mutex held, write back: without mutual exclusion
// the increments of different threads overwrite each other.
void counting_worker(void*) {
    for (int i = 0; i < 10; ++i) {
        MutexLocker locked(shared->mutex);
        uint32_t seen = shared->counter;
        scheduler::sleep_ms(1);
        shared->counter = seen + 1;
    }
    finish_worker();
}

int test_mutex_across_sleep() {
    if (!spawn_workers("counter", counting_worker)) return report("mutex", false, "out of memory");
    wait_for_workers();
    kprintf("selftest: counter = %u (expected %u)\n", shared->counter, 10u * WORKERS);
    return report("mutex", shared->counter == 10u * WORKERS, "lost updates: the mutex did not exclude");
}

int test_sleep_duration() {
    uint64_t start = monotonic_clock::uptime_ms();
    scheduler::sleep_ms(50);
    uint64_t slept = monotonic_clock::uptime_ms() - start;
    kprintf("selftest: sleep_ms(50) slept %llu ms\n", slept);
    return report("sleep", slept >= 50 && slept < 1000, "slept too short or far too long");
}

int test_wait_timeout() {
    WaitQueue never_woken;
    uint64_t start = monotonic_clock::uptime_ms();
    bool satisfied = never_woken.wait_until_or_timeout([] { return false; }, 30);
    uint64_t waited = monotonic_clock::uptime_ms() - start;
    bool ok = !satisfied && waited >= 30 && waited < 1000;
    return report("wait-timeout", ok, "wait_until_or_timeout did not time out after 30 ms");
}

}  // namespace

int run_scheduler_self_tests() {
    int failures = 0;
    Shared first;
    shared = &first;
    failures += test_preemption();
    Shared second;
    shared = &second;
    failures += test_mutex_across_sleep();
    failures += test_sleep_duration();
    failures += test_wait_timeout();
    shared = nullptr;
    kprintf("selftest: %d failed\n", failures);
    return failures;
}
