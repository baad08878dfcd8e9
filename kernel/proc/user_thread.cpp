// kernel/proc/user_thread.cpp -- see user_thread.h.
#include "kernel/proc/user_thread.h"

#include "kernel/arch/x86/cpu.h"
#include "kernel/arch/x86/fpu.h"
#include "kernel/arch/x86/gdt.h"
#include "kernel/arch/x86/interrupts.h"
#include "kernel/arch/x86/paging.h"
#include "kernel/lib/errno.h"
#include "kernel/proc/futex.h"
#include "kernel/proc/process.h"
#include "kernel/proc/thread_local_storage.h"
#include "kernel/proc/user_memory.h"

extern "C" [[noreturn]] void return_to_user_mode(InterruptFrame* frame);

namespace {

void run_new_thread(void* argument) {
    auto* start = static_cast<ThreadStart*>(argument);
    InterruptFrame frame = start->frame;  // onto this thread's own stack
    uint32_t child_tid_address = start->child_tid_address;
    int tid = start->tid;
    delete start;
    // In the new thread's own address space (a forked child's copy), as
    // Linux's schedule_tail; a bad address is ignored as there.
    if (child_tid_address) (void)copy_to_user(child_tid_address, &tid, sizeof tid);
    return_to_user_mode(&frame);
}

// Wakes `thread` if it sleeps, so that it notices what changed. Interrupts off.
void nudge(UserThread& thread) {
    if (thread.thread && thread.thread->state == ThreadState::Blocked) scheduler::wake(*thread.thread);
}

// Linux's rules for the sharing flags: a thread shares the handlers, and
// handlers are shared only with the memory. One more here: the threads of
// a process share its file table and working directory (process.h), so a
// thread without CLONE_FILES and CLONE_FS, which Linux allows and no
// pthread library asks for, is EINVAL.
Result<void> check_thread_flags(uint32_t flags) {
    if (!(flags & CLONE_SIGHAND) || !(flags & CLONE_VM)) return Error(EINVAL);
    if (!(flags & CLONE_FILES) || !(flags & CLONE_FS)) return Error(EINVAL);
    return {};
}

}  // namespace

UserThread* current_user_thread() {
    Thread* thread = current_thread_or_null();
    return thread ? thread->user_thread : nullptr;
}

void attach_first_thread(Process& process, UserThread& user, Thread& thread) {
    user.tid = process.pid;
    user.process = &process;
    user.thread = &thread;
    thread.user_thread = &user;
    thread.process = &process;
    process.threads.push_back(user);
}

Result<PreparedThread> prepare_cloned_thread(const InterruptFrame& frame, const CloneRequest& request) {
    ThreadLocalStorage tls = thread_local_storage_of(scheduler::current());
    if (request.flags & CLONE_SETTLS) tls = TRY(read_tls_descriptor(request.tls));
    PreparedThread prepared{new (std::nothrow) UserThread, new (std::nothrow) ThreadStart{frame, 0, 0},
                            new (std::nothrow) fpu::State, tls, request};
    if (!prepared.user || !prepared.start || !prepared.registers) {
        discard_prepared_thread(prepared);
        return Error(ENOMEM);
    }
    prepared.start->frame.eax = 0;  // clone() returns 0 in the new thread
    if (request.stack) prepared.start->frame.user_esp = request.stack;
    // The caller's live x87/SSE registers are its program's: the kernel
    // never touches them, so they are exactly what the new thread inherits.
    fpu::save(*prepared.registers);
    return prepared;
}

void discard_prepared_thread(PreparedThread& prepared) {
    delete prepared.user;
    delete prepared.start;
    delete prepared.registers;
    prepared.user = nullptr;
    prepared.start = nullptr;
    prepared.registers = nullptr;
}

Result<UserThread*> start_prepared_thread(PreparedThread& prepared, Process& process, int tid) {
    prepared.start->tid = tid;
    if (prepared.request.flags & CLONE_CHILD_SETTID) prepared.start->child_tid_address = prepared.request.child_tid;
    Thread& kernel = *TRY(scheduler::spawn(process.name, run_new_thread, prepared.start));
    kernel.fpu_state = prepared.registers;
    kernel.process = &process;
    kernel.page_directory_physical = process.address_space->page_directory_physical();
    set_thread_local_storage(kernel, prepared.tls);
    UserThread* user = prepared.user;
    kernel.user_thread = user;
    user->tid = tid;
    user->process = &process;
    user->thread = &kernel;
    const ThreadSignalState& creator = current_user_thread()->signals;
    user->signals.blocked = creator.blocked;
    user->scheduling_policy = current_user_thread()->scheduling_policy;
    // A new process keeps the alternate signal stack; a thread in the same
    // memory must not share it (Linux: CLONE_VM without CLONE_VFORK clears it).
    uint32_t flags = prepared.request.flags;
    if (!(flags & CLONE_VM) || (flags & CLONE_VFORK)) user->signals.alternate_stack = creator.alternate_stack;
    if (prepared.request.flags & CLONE_CHILD_CLEARTID) user->clear_child_tid = prepared.request.child_tid;
    process.threads.push_back(*user);
    prepared = PreparedThread{};  // all of it belongs to the thread now
    return user;
}

Result<int> create_thread(const InterruptFrame& frame, const CloneRequest& request) {
    TRY(check_thread_flags(request.flags));
    UserThread& creator = *current_user_thread();
    Process& process = *creator.process;
    PreparedThread prepared = TRY(prepare_cloned_thread(frame, request));
    // CLONE_PARENT_SETTID: the id is stored before the new thread can run,
    // as Linux does -- else a thread that ends at once could clear its word
    // (CLONE_CHILD_CLEARTID, often the same) before this store, and a join
    // would wait for ever. The page is made writable first, so the store
    // with interrupts off cannot need a copy-on-write fault.
    bool store_parent_tid = (request.flags & CLONE_PARENT_SETTID) &&
                            prepare_user_buffer(request.parent_tid, sizeof(int), true) == sizeof(int);
    Result<UserThread*> started = Error(EAGAIN);
    {
        InterruptGuard not_yet;
        if (!process.exiting && !creator.must_exit) {
            int tid = allocate_process_id();
            if (store_parent_tid) (void)copy_to_user(request.parent_tid, &tid, sizeof tid);
            started = start_prepared_thread(prepared, process, tid);
        }
    }
    if (started.is_error()) {
        discard_prepared_thread(prepared);
        return Error(started.error());
    }
    return started.value()->tid;
}

void exit_current_thread(int wait_status) {
    UserThread* self = current_user_thread();
    Process& process = *self->process;
    {
        InterruptGuard atomic;
        self->ending = true;  // pthread_join may return at the wake below: tgkill must say ESRCH by then
    }
    futex::release_at_thread_exit(*self);
    {
        InterruptGuard atomic;
        if (self->tid == process.pid && !process.exiting) {
            process.leader_exited = true;
            process.leader_exit_status = wait_status;
        }
        process.threads.remove(*self);
        Thread& kernel = scheduler::current();
        kernel.user_thread = nullptr;
        delete self;
        process.threads_changed.wake_all();
        if (!process.threads.empty()) {
            // Not the last: only this thread ends. Its CPU time stays the process's.
            process.cpu_time.user_ticks += kernel.user_ticks;
            process.cpu_time.system_ticks += kernel.ticks_run - kernel.user_ticks;
            kernel.process = nullptr;
            kernel.page_directory_physical = 0;
            cpu::write_cr3(paging::kernel_page_directory_physical());
            scheduler::exit_current();
        }
    }
    int status = process.exiting         ? process.group_exit_status
                 : process.leader_exited ? process.leader_exit_status
                                         : wait_status;
    end_current_process(status);
}

void exit_thread_group(int wait_status) {
    UserThread* self = current_user_thread();
    Process& process = *self->process;
    {
        InterruptGuard atomic;
        if (!process.exiting) {
            process.exiting = true;
            process.group_exit_status = wait_status;
            for (UserThread& other : process.threads) {
                if (&other == self) continue;
                other.must_exit = true;
                nudge(other);
            }
        }
    }
    exit_current_thread(wait_status);
}

void end_other_threads() {
    UserThread* self = current_user_thread();
    Process& process = *self->process;
    bool lost_the_race;
    {
        InterruptGuard atomic;
        lost_the_race = self->must_exit || process.exiting;
    }
    // Another thread's execve or an exit_group came first: this one ends.
    if (lost_the_race) exit_current_thread(0);
    InterruptGuard atomic;
    for (UserThread& other : process.threads) {
        if (&other == self) continue;
        other.must_exit = true;
        nudge(other);
    }
    while (process.threads.size() > 1) process.threads_changed.sleep();
    // The survivor carries on as the process itself, as Linux's de_thread.
    self->tid = process.pid;
    process.leader_exited = false;
}

UserThread* find_thread_in(Process& process, int tid) {
    for (UserThread& thread : process.threads) {
        if (thread.tid == tid && !thread.ending) return &thread;
    }
    return nullptr;
}

namespace {
struct ThreadSearch {
    int tid;
    UserThread* found;
};
}  // namespace

UserThread* find_thread(int tid) {
    ThreadSearch search{tid, nullptr};
    for_each_process(
        [](Process& process, void* context) {
            auto* wanted = static_cast<ThreadSearch*>(context);
            if (!wanted->found) wanted->found = find_thread_in(process, wanted->tid);
        },
        &search);
    return search.found;
}
