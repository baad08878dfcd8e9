// kernel/proc/process.cpp -- creating, running and ending processes.
// See process.h.
#include "kernel/proc/process.h"

#include "fs/vfs/open_flags.h"
#include "fs/vfs/vfs.h"
#include "kernel/arch/x86/cpu.h"
#include "kernel/arch/x86/gdt.h"
#include "kernel/arch/x86/paging.h"
#include "kernel/lib/string.h"
#include "kernel/log.h"
#include "kernel/proc/program_loader.h"
#include "kernel/storage_init.h"

extern "C" [[noreturn]] void enter_user_mode(uint32_t entry, uint32_t user_stack);

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
    delete process->address_space;
    delete process;
}

}  // namespace

Result<Process*> create_process(const char* name, Process* parent) {
    auto* process = new (std::nothrow) Process;
    if (!process) return Error(ENOMEM);
    klib::strlcpy(process->name, name, sizeof process->name);
    process->parent = parent;
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
    if (!start) return Error(ENOMEM);
    // Spawned but not yet run: set its process before it can be scheduled.
    InterruptGuard not_yet;
    auto thread = scheduler::spawn(process.name, run_in_user_mode, start);
    if (thread.is_error()) {
        delete start;
        return Error(thread.error());
    }
    process.thread = thread.value();
    process.thread->process = &process;
    process.thread->page_directory_physical = process.address_space->page_directory_physical();
    return {};
}

Process* current_process() {
    Thread* thread = current_thread_or_null();
    return thread ? static_cast<Process*>(thread->process) : nullptr;
}

void exit_current_process(int wait_status) {
    Process* process = current_process();
    KASSERT(process);
    process->files->close_all();
    process->working_directory.reset();
    {
        InterruptGuard atomic;
        // From here the thread runs on the kernel's page directory only.
        Thread& self = scheduler::current();
        self.page_directory_physical = 0;
        cpu::write_cr3(paging::kernel_page_directory_physical());
        delete process->address_space;
        process->address_space = nullptr;
        process->wait_status = wait_status;
        process->state = ProcessState::Zombie;
        process->thread = nullptr;
        self.process = nullptr;
        process->state_changed.wake_all();
    }
    scheduler::exit_current();
}

int wait_for_and_reap(Process& process) {
    process.state_changed.wait_until([&] { return process.state == ProcessState::Zombie; });
    int status = process.wait_status;
    destroy_process(&process);
    return status;
}

Result<Process*> spawn_program(const char* path, const char* const* argv, const char* const* envp) {
    const char* base = klib::strrchr(path, '/');
    Process* process = TRY(create_process(base ? base + 1 : path, nullptr));
    auto start = load_program(*process, path, argv, envp);
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
