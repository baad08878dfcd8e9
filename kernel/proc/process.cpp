// kernel/proc/process.cpp -- creating, running and ending processes.
// See process.h.
#include "kernel/proc/process.h"

#include "fs/vfs/open_flags.h"
#include "fs/vfs/vfs.h"
#include "kernel/arch/x86/cpu.h"
#include "kernel/arch/x86/gdt.h"
#include "kernel/arch/x86/interrupts.h"
#include "kernel/arch/x86/paging.h"
#include "kernel/lib/string.h"
#include "kernel/log.h"
#include "kernel/mm/physical_allocator.h"
#include "kernel/proc/job_control.h"
#include "kernel/proc/posix_timers.h"
#include "kernel/proc/script_loader.h"
#include "kernel/proc/resource_limits.h"
#include "kernel/storage/storage.h"
#include "kernel/time/monotonic_clock.h"

extern "C" [[noreturn]] void enter_user_mode(uint32_t entry, uint32_t user_stack);
extern "C" [[noreturn]] void return_to_user_mode(InterruptFrame* frame);

namespace {

klib::IntrusiveList<Process, &Process::table_node> process_table;
int next_pid = 1;

struct UserStart {
    Process* process;
    uint32_t entry;
    uint32_t user_stack;
};

// The process's thread begins here, in the kernel, on its own kernel stack.
void run_in_user_mode(void* argument) {
    UserStart start = *static_cast<UserStart*>(argument);
    delete static_cast<UserStart*>(argument);
    enter_user_mode(start.entry, start.user_stack);
}

Result<void> open_console_descriptors(Process& process) {
    for (int fd = 0; fd < 3; ++fd) {
        uint32_t flags = fd == 0 ? O_RDONLY : O_WRONLY;
        FileRef console = TRY(vfs_open(storage::root(), "/dev/console", flags, 0, process.credentials));
        TRY(process.files->allocate(static_cast<FileRef&&>(console), false));
    }
    return {};
}

void destroy_process(Process* process) {
    {
        InterruptGuard atomic;
        if (process->table_node.is_linked()) process_table.remove(*process);
    }
    if (process->files) {
        process->files->close_all();
        delete process->files;
    }
    {
        InterruptGuard atomic;
        AddressSpace::release(process->address_space);
    }
    delete process;
}

}  // namespace

Result<Process*> create_process(const char* name, Process* parent) {
    auto* process = new (std::nothrow) Process;
    if (!process) return Error(ENOMEM);
    klib::strlcpy(process->name, name, sizeof process->name);
    process->parent = parent;
    process->start_time_ms = monotonic_clock::uptime_ms();
    process->files = new (std::nothrow) FileDescriptorTable;
    if (!process->files) {
        destroy_process(process);
        return Error(ENOMEM);
    }
    process->working_directory = parent ? parent->working_directory : storage::root();
    if (auto opened = open_console_descriptors(*process); opened.is_error()) {
        destroy_process(process);
        return Error(opened.error());
    }
    InterruptGuard atomic;
    process->pid = next_pid++;
    process_table.push_back(*process);
    return process;
}

Result<void> start_process(Process& process, uint32_t entry, uint32_t user_stack) {
    auto* start = new (std::nothrow) UserStart{&process, entry, user_stack};
    auto* registers = new (std::nothrow) fpu::State(fpu::initial_state());
    auto* user = new (std::nothrow) UserThread;
    if (!start || !registers || !user) {
        delete start;
        delete registers;
        delete user;
        return Error(ENOMEM);
    }
    // Spawned but not yet run: set its process before it can be scheduled.
    InterruptGuard not_yet;
    auto thread = scheduler::spawn(process.name, run_in_user_mode, start);
    if (thread.is_error()) {
        delete start;
        delete registers;
        delete user;
        return Error(thread.error());
    }
    Thread& kernel = *thread.value();
    kernel.fpu_state = registers;
    kernel.page_directory_physical = process.address_space->page_directory_physical();
    attach_first_thread(process, *user, kernel);
    return {};
}

int allocate_process_id() { return next_pid++; }

void release_vfork_parent(Process& process) {
    InterruptGuard atomic;
    process.memory_released = true;
    process.state_changed.wake_all();
}

Thread* first_thread_of(Process& process) {
    UserThread* first = process.threads.front();
    return first ? first->thread : nullptr;
}

Process* current_process() {
    Thread* thread = current_thread_or_null();
    return thread ? static_cast<Process*>(thread->process) : nullptr;
}

// A parent that goes first leaves its children to the kernel, which frees
// each when it ends (there is no init to adopt them yet).
void give_children_to_the_kernel(Process& parent) {
    for (;;) {
        Process* zombie = nullptr;
        {
            InterruptGuard atomic;
            for (Process& child : process_table) {
                if (child.parent != &parent) continue;
                child.parent = nullptr;
                child.reaped_by_kernel = true;
                if (child.state == ProcessState::Zombie) {
                    zombie = &child;
                    break;
                }
            }
        }
        if (!zombie) return;
        destroy_process(zombie);
    }
}

// What a parent's SIGCHLD handler learns: who ended and how.
static SignalInfo child_ended_info(const Process& child) {
    SignalInfo info;
    bool killed = (child.wait_status & 0x7F) != 0;
    info.code = killed ? CLD_KILLED : CLD_EXITED;
    info.sender_pid = child.pid;
    info.sender_uid = child.credentials.uid;
    info.child_status = killed ? (child.wait_status & 0x7F) : (child.wait_status >> 8) & 0xFF;
    return info;
}

void end_current_process(int wait_status) {
    Process* process = current_process();
    KASSERT(process && process->threads.empty());
    process->files->close_all();
    process->working_directory.reset();
    posix_timers::delete_all(*process);
    job_control_process_exiting(*process);
    give_children_to_the_kernel(*process);
    // Whether this thread frees its own Process is decided together with
    // becoming a zombie: once the guard is released, a waiting parent (or a
    // parent handing its children to the kernel) may free it at any moment,
    // so the Process must not be touched again unless it is ours to free.
    bool free_by_myself;
    {
        InterruptGuard atomic;
        // From here the thread runs on the kernel's page directory only.
        Thread& self = scheduler::current();
        self.page_directory_physical = 0;
        cpu::write_cr3(paging::kernel_page_directory_physical());
        AddressSpace::release(process->address_space);
        process->address_space = nullptr;
        process->wait_status = wait_status;
        process->state = ProcessState::Zombie;
        process->cpu_time.user_ticks += self.user_ticks;
        process->cpu_time.system_ticks += self.ticks_run - self.user_ticks;
        self.process = nullptr;
        process->state_changed.wake_all();
        process->memory_released = true;
        if (process->parent) {
            process->parent->children_changed.wake_all();
            if (process->exit_signal) send_signal(*process->parent, process->exit_signal, child_ended_info(*process));
        }
        free_by_myself = process->reaped_by_kernel;
    }
    if (free_by_myself) destroy_process(process);
    scheduler::exit_current();
}

int wait_for_and_reap(Process& process) {
    process.state_changed.wait_until([&] { return process.state == ProcessState::Zombie; });
    int status = process.wait_status;
    destroy_process(&process);
    return status;
}

Result<Process*> spawn_program(const char* path, const char* const* argv, const char* const* envp, bool as_init) {
    const char* base = klib::strrchr(path, '/');
    Process* process = TRY(create_process(base ? base + 1 : path, nullptr));
    process->is_init = as_init;
    process->session = process->process_group = process->pid;
    terminal_opened_by(*process, O_RDWR);
    auto start = load_program_or_script(*process, path, argv, envp);
    if (start.is_error()) {
        destroy_process(process);
        return Error(start.error());
    }
    if (auto started = start_process(*process, start.value().entry, start.value().user_stack); started.is_error()) {
        destroy_process(process);
        return Error(started.error());
    }
    return process;
}

namespace {

// clone(CLONE_VM) without CLONE_THREAD: the child runs in the parent's
// memory itself (vfork), until its execve or exit.
AddressSpace* shared_address_space(Process& parent) {
    InterruptGuard atomic;
    parent.address_space->hold();
    return parent.address_space;
}

// EAGAIN when the parent's user has all the processes the limit allows
// (resource_limits.h).
Result<void> check_process_limit(const Process& parent) {
    uint32_t owned = 0;
    InterruptGuard atomic;
    for (Process& process : process_table) {
        if (process.credentials.uid == parent.credentials.uid) ++owned;
    }
    if (owned >= parent.limits.soft(resource_limits::NPROC)) return Error(EAGAIN);
    return {};
}

Result<Process*> copy_process(Process& parent, bool share_memory) {
    auto* child = new (std::nothrow) Process;
    if (!child) return Error(ENOMEM);
    klib::strlcpy(child->name, parent.name, sizeof child->name);
    child->parent = &parent;
    child->working_directory = parent.working_directory;
    child->credentials = parent.credentials;
    child->umask = parent.umask;
    child->break_start = parent.break_start;
    child->break_end = parent.break_end;
    child->next_mapping = parent.next_mapping;
    child->limits = parent.limits;
    child->process_group = parent.process_group;
    child->session = parent.session;
    child->has_controlling_terminal = parent.has_controlling_terminal;
    inherit_signals(*child, parent);
    child->start_time_ms = monotonic_clock::uptime_ms();
    child->command_line_length = parent.command_line_length;
    klib::memcpy(child->command_line, parent.command_line, sizeof child->command_line);
    klib::memcpy(child->executable_path, parent.executable_path, sizeof child->executable_path);
    auto files = parent.files->clone();
    auto space = files.is_error() ? Result<AddressSpace*>(Error(ENOMEM))
                 : share_memory   ? shared_address_space(parent)
                                  : parent.address_space->clone();
    if (files.is_error() || space.is_error()) {
        if (!files.is_error()) child->files = files.value();
        destroy_process(child);
        return Error(ENOMEM);
    }
    child->files = files.value();
    child->address_space = space.value();
    return child;
}

}  // namespace

Result<Process*> fork_current_process(const InterruptFrame& frame, const CloneRequest& request) {
    Process& parent = *current_process();
    // Both before the work of copying; the memory reserve: resource_limits.h.
    TRY(check_process_limit(parent));
    if (physical_allocator::statistics().free_pages < resource_limits::FORK_RESERVE_PAGES) return Error(ENOMEM);
    Process* child = TRY(copy_process(parent, request.flags & CLONE_VM));
    auto prepared = prepare_cloned_thread(frame, request);
    if (prepared.is_error()) {
        destroy_process(child);
        return Error(prepared.error());
    }
    InterruptGuard not_yet;
    // Again where the child joins the table: other forks may have run meanwhile.
    auto allowed = check_process_limit(parent);
    if (!allowed.is_error()) child->pid = allocate_process_id();
    auto started = allowed.is_error() ? Result<UserThread*>(Error(allowed.error()))
                                      : start_prepared_thread(prepared.value(), *child, child->pid);
    if (started.is_error()) {
        discard_prepared_thread(prepared.value());
        destroy_process(child);
        return Error(started.error());
    }
    process_table.push_back(*child);
    return child;
}

namespace {

bool child_matches(const Process& child, const Process& self, int pid) {
    if (child.parent != &self) return false;
    if (pid > 0) return child.pid == pid;
    if (pid == 0) return child.process_group == self.process_group;
    if (pid < -1) return child.process_group == -pid;
    return true;
}

// A stop or continue to report about `child`, taken (reported once); 0: none.
int take_job_change(Process& child, uint32_t options) {
    bool keep = options & WAIT_NO_REAP;
    if ((options & WAIT_UNTRACED) && child.stop_to_report) {
        if (!keep) child.stop_to_report = false;
        return stopped_by_signal(child.stop_signal);
    }
    if ((options & WAIT_CONTINUED) && child.continue_to_report) {
        if (!keep) child.continue_to_report = false;
        return CONTINUED_STATUS;
    }
    return 0;
}

}  // namespace

Result<WaitResult> wait_for_child(int pid, uint32_t options) {
    Process& self = *current_process();
    for (;;) {
        Process* ended = nullptr;
        {
            InterruptGuard atomic;
            bool any_child = false;
            for (Process& child : process_table) {
                if (!child_matches(child, self, pid)) continue;
                any_child = true;
                if (child.state == ProcessState::Zombie) {
                    if (!(options & WAIT_EXITED)) continue;
                    if (options & WAIT_NO_REAP) return WaitResult{child.pid, child.wait_status};
                    ended = &child;
                    break;
                }
                if (int changed = take_job_change(child, options)) return WaitResult{child.pid, changed};
            }
            if (!ended) {
                if (!any_child) return Error(ECHILD);
                if (options & WAIT_NO_HANG) return WaitResult{0, 0};
                if (has_deliverable_signal()) return Error(EINTR);
                self.children_changed.sleep();
                continue;
            }
        }
        WaitResult result{ended->pid, ended->wait_status};
        self.children_cpu_time.user_ticks += ended->cpu_time.user_ticks + ended->children_cpu_time.user_ticks;
        self.children_cpu_time.system_ticks += ended->cpu_time.system_ticks + ended->children_cpu_time.system_ticks;
        destroy_process(ended);
        return result;
    }
}

CpuTime cpu_time_of(const Process& process) {
    InterruptGuard atomic;
    CpuTime total = process.cpu_time;
    for (const UserThread& thread : process.threads) {
        total.user_ticks += thread.thread->user_ticks;
        total.system_ticks += thread.thread->ticks_run - thread.thread->user_ticks;
    }
    return total;
}

void for_each_process(void (*visit)(Process& process, void* context), void* context) {
    InterruptGuard atomic;
    for (Process& process : process_table) visit(process, context);
}

Process* find_process(int pid) {
    InterruptGuard atomic;
    for (Process& process : process_table) {
        if (process.pid == pid) return &process;
    }
    return nullptr;
}
