// kernel/sched/scheduler.cpp -- run queue, time slices, sleeping and the
// switch itself. See scheduler.h for the rules callers follow.
//
// Invariants (interrupts off whenever they are touched):
//   - `running` is the thread on the CPU; it is in no queue;
//   - a Runnable thread other than `running` and idle is in run_queue;
//   - a Blocked thread is in a wait list (wait_list set) and/or in sleeping;
//   - idle is never in run_queue: it runs only when run_queue is empty.
#include "kernel/sched/scheduler.h"

#include "kernel/arch/x86/cpu.h"
#include "kernel/arch/x86/gdt.h"
#include "kernel/arch/x86/interrupt_guard.h"
#include "kernel/arch/x86/paging.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/string.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "kernel/time/monotonic_clock.h"

extern "C" void switch_context(uint32_t* save_stack_pointer, uint32_t new_stack_pointer);
extern "C" void thread_start_trampoline();
extern "C" uint8_t boot_stack_bottom[], boot_stack_top[];

namespace {

Thread idle_thread;
Thread* running = nullptr;
klib::IntrusiveList<Thread, &Thread::queue_node> run_queue;
klib::IntrusiveList<Thread, &Thread::all_threads_node> all_threads;
klib::IntrusiveList<Thread, &Thread::sleep_node> sleeping;
bool reschedule_requested = false;
void (*tick_hook)(uint64_t now_ms, bool in_user_mode) = nullptr;  // set_tick_hook
uint32_t next_thread_id = 0;
uint64_t switches = 0;
scheduler::TickTotals tick_sums;  // tick_totals()
bool (*signal_pending_check)(Thread& thread) = nullptr;

// Picks the next thread and switches to it. Interrupts off.
void schedule() {
    Thread* previous = running;
    Thread* next = run_queue.pop_front();
    if (!next) {
        if (previous->state == ThreadState::Runnable) return;  // nobody else wants the CPU
        next = &idle_thread;
    }
    if (previous->state == ThreadState::Runnable && previous != &idle_thread) run_queue.push_back(*previous);
    if (next == previous) return;
    next->slice_ticks_left = scheduler::TIME_SLICE_TICKS;
    running = next;
    ++switches;
    // An interrupt from user mode lands on the new thread's stack, and the
    // new thread sees its own program's memory below 0xC0000000.
    gdt::set_kernel_stack(next->stack.top);
    uint32_t directory = next->page_directory_physical ? next->page_directory_physical
                                                       : paging::kernel_page_directory_physical();
    if (cpu::read_cr3() != directory) cpu::write_cr3(directory);
    gdt::set_user_tls(next->tls_base, next->tls_limit_pages, next->tls_present);
    if (previous->fpu_state) fpu::save(*previous->fpu_state);
    if (next->fpu_state) fpu::restore(*next->fpu_state);
    switch_context(&previous->saved_stack_pointer, next->saved_stack_pointer);
    // ...and, some time later, `previous` continues here.
}

void make_runnable(Thread& thread) {
    thread.state = ThreadState::Runnable;
    run_queue.push_back(thread);
    if (running == &idle_thread) reschedule_requested = true;
}

void reap_dead_threads() {
    for (;;) {
        Thread* dead = nullptr;
        {
            InterruptGuard atomic;
            for (Thread& thread : all_threads) {
                if (thread.state == ThreadState::Dead) {
                    dead = &thread;
                    break;
                }
            }
            if (!dead) return;
            all_threads.remove(*dead);
        }
        kernel_stacks::free(dead->stack);
        delete dead->fpu_state;
        delete dead;
    }
}

}  // namespace

const char* thread_state_name(ThreadState state) {
    switch (state) {
    case ThreadState::Runnable: return "runnable";
    case ThreadState::Blocked: return "blocked";
    case ThreadState::Dead: return "dead";
    }
    return "?";
}

Thread* current_thread_or_null() { return running; }

// Where every new thread begins, on its own stack (context_switch.asm).
extern "C" [[noreturn]] void thread_entry() {
    Thread& self = *running;
    cpu::enable_interrupts();  // schedule() switched to us with them off
    self.entry(self.argument);
    scheduler::exit_current();
}

namespace scheduler {

void initialize() {
    idle_thread.id = next_thread_id++;
    klib::strlcpy(idle_thread.name, "idle", sizeof idle_thread.name);
    idle_thread.stack = {uintptr_t(boot_stack_bottom), uintptr_t(boot_stack_top)};
    all_threads.push_back(idle_thread);
    running = &idle_thread;
}

Result<Thread*> spawn(const char* name, void (*entry)(void*), void* argument) {
    Thread* thread = new Thread;
    if (!thread) return Error(ENOMEM);
    thread->stack = kernel_stacks::allocate();
    if (!thread->stack.bottom) {
        delete thread;
        return Error(ENOMEM);
    }
    klib::strlcpy(thread->name, name, sizeof thread->name);
    thread->entry = entry;
    thread->argument = argument;
    // The stack as switch_context expects to find it: four saved registers
    // (EBP, EDI, ESI, EBX, all zero) below the return address.
    auto* top = reinterpret_cast<uint32_t*>(thread->stack.top);
    *--top = 0;                                  // a return address for the trampoline's frame
    *--top = uint32_t(&thread_start_trampoline);
    for (int i = 0; i < 4; ++i) *--top = 0;
    thread->saved_stack_pointer = uint32_t(top);

    InterruptGuard atomic;
    thread->id = next_thread_id++;
    all_threads.push_back(*thread);
    make_runnable(*thread);
    return thread;
}

Thread& current() { return *running; }

bool signal_pending() { return signal_pending_check && running->process && signal_pending_check(*running); }
void set_signal_pending_check(bool (*check)(Thread& thread)) { signal_pending_check = check; }

void yield() {
    InterruptGuard atomic;
    schedule();
}

void block_current() {
    KASSERT(!cpu::interrupts_enabled());
    KASSERT(running != &idle_thread);  // idle must always be able to run
    running->state = ThreadState::Blocked;
    schedule();
}

void wake(Thread& thread) {
    InterruptGuard atomic;
    if (thread.state != ThreadState::Blocked) return;
    if (thread.wait_list) {
        thread.wait_list->remove(thread.wait_entry);
        thread.wait_list = nullptr;
    }
    if (thread.sleep_node.is_linked()) sleeping.remove(thread);
    make_runnable(thread);
}

void arm_wake_deadline(uint64_t deadline_ms) {
    running->wake_deadline_ms = deadline_ms;
    running->woken_by_timeout = false;
    sleeping.push_back(*running);
}

void disarm_wake_deadline(Thread& thread) {
    InterruptGuard atomic;
    if (thread.sleep_node.is_linked()) sleeping.remove(thread);
}

void sleep_ms(uint64_t milliseconds) {
    InterruptGuard atomic;
    arm_wake_deadline(monotonic_clock::uptime_ms() + milliseconds);
    block_current();
}

void exit_current() {
    cpu::disable_interrupts();
    running->state = ThreadState::Dead;
    schedule();
    panic("a dead thread was scheduled");
}

void on_timer_tick(uint64_t now_ms, bool in_user_mode) {
    if (!running) return;  // before initialize()
    running->ticks_run++;
    if (in_user_mode) running->user_ticks++;
    if (running == &idle_thread) ++tick_sums.idle;
    else if (in_user_mode) ++tick_sums.user;
    else ++tick_sums.system;
    // Wake every sleeper whose deadline has passed. Collect first: waking
    // changes the list being walked.
    for (;;) {
        Thread* expired = nullptr;
        for (Thread& thread : sleeping) {
            if (thread.wake_deadline_ms <= now_ms) {
                expired = &thread;
                break;
            }
        }
        if (!expired) break;
        expired->woken_by_timeout = true;
        wake(*expired);
    }
    if (running == &idle_thread) {
        if (!run_queue.empty()) reschedule_requested = true;
    } else if (running->slice_ticks_left == 0 || --running->slice_ticks_left == 0) {
        reschedule_requested = true;
    }
    if (tick_hook) tick_hook(now_ms, in_user_mode);
}

void set_tick_hook(void (*hook)(uint64_t now_ms, bool in_user_mode)) { tick_hook = hook; }

void preempt_if_needed() {
    if (!running || !reschedule_requested) return;
    reschedule_requested = false;
    schedule();
}

void run_idle_loop() {
    for (;;) {
        reap_dead_threads();
        cpu::disable_interrupts();
        if (run_queue.empty()) {
            cpu::enable_interrupts_and_halt();  // wakes on the next interrupt
        } else {
            schedule();
            cpu::enable_interrupts();
        }
    }
}

void for_each_thread(void (*visit)(const Thread& thread, void* context), void* context) {
    InterruptGuard atomic;
    for (Thread& thread : all_threads) visit(thread, context);
}

uint32_t thread_count() {
    InterruptGuard atomic;
    uint32_t count = 0;
    for (Thread& thread : all_threads) {
        (void)thread;
        ++count;
    }
    return count;
}

uint64_t context_switch_count() { return switches; }

TickTotals tick_totals() {
    InterruptGuard atomic;  // three 64-bit words, changed by the timer interrupt
    return tick_sums;
}

uint32_t threads_created() { return next_thread_id; }

}  // namespace scheduler
