// kernel/init/monitor.cpp -- the commands of the kernel monitor. See monitor.h.
#include "kernel/init/monitor.h"

#include "kernel/init/monitor_file_commands.h"

#include "drivers/acpi/acpi.h"
#include "drivers/pci/pci.h"
#include "drivers/console/console.h"
#include "kernel/arch/x86/cpu.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/string.h"
#include "kernel/log.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/mm/page_references.h"
#include "kernel/mm/physical_allocator.h"
#include "kernel/panic.h"
#include "kernel/sched/scheduler.h"
#include "kernel/sched/self_test.h"
#include "kernel/storage/storage.h"
#include "kernel/system_info.h"
#include "kernel/time/monotonic_clock.h"

namespace {

constexpr int MAX_ARGUMENTS = 8;

struct Command {
    const char* name;
    const char* help;
    void (*run)(int argc, char** argv);
};

void command_help(int, char**);

void command_mem(int, char**) {
    auto pages = physical_allocator::statistics();
    Heap::Stats heap = kmalloc_statistics();
    kprintf("memory: %u MiB installed, %u KiB usable, %u KiB free, %u KiB reserved\n",
            unsigned(system_info::installed_memory_mib()), unsigned(pages.total_pages * 4),
            unsigned(pages.free_pages * 4), unsigned(pages.reserved_pages * 4));
    auto user = page_references::statistics();
    kprintf("user pages: %u in use, %u of them shared by several processes (copy-on-write after fork)\n",
            unsigned(user.user_pages), unsigned(user.shared_pages));
    kprintf("kernel heap: %u bytes in use, %u bytes free, %u KiB from pages, %u allocations, %u frees\n",
            unsigned(heap.bytes_in_use), unsigned(heap.bytes_free), unsigned(heap.bytes_from_pages / 1024),
            unsigned(heap.allocations), unsigned(heap.frees));
    PageCacheStatistics cache = storage::page_cache().statistics();
    kprintf("page cache: %u of %u pages, %u dirty (limits %u/%u), %u under write-back\n", unsigned(cache.pages),
            unsigned(cache.capacity_pages), unsigned(cache.dirty), unsigned(cache.background_dirty_limit),
            unsigned(cache.hard_dirty_limit), unsigned(cache.writeback));
    kprintf("  %llu hits, %llu misses, %llu read ahead, %llu evicted; read %llu pages in %llu requests, "
            "wrote %llu pages in %llu requests, %llu write errors, %llu writers throttled\n",
            cache.hits, cache.misses, cache.readahead_pages, cache.evictions, cache.pages_read, cache.read_requests,
            cache.pages_written, cache.write_requests, cache.write_errors, cache.throttled_writes);
}

void command_uptime(int, char**) {
    uint64_t ms = monotonic_clock::uptime_ms();
    kprintf("up %u.%03u seconds (%llu timer ticks, %llu context switches)\n", unsigned(ms / 1000),
            unsigned(ms % 1000), monotonic_clock::ticks(), scheduler::context_switch_count());
}

void print_thread(const Thread& thread, void*) {
    uint32_t stack_used = thread.stack.top - thread.saved_stack_pointer;
    if (&thread == &scheduler::current()) stack_used = thread.stack.top - cpu::read_ebp();
    kprintf("%4u  %-9s %8llu  %5u/%-5u  %s%s\n", thread.id, thread_state_name(thread.state), thread.ticks_run,
            stack_used, unsigned(thread.stack.top - thread.stack.bottom), thread.name,
            &thread == &scheduler::current() ? " (running)" : "");
}

void command_threads(int, char**) {
    kprintf("  ID  STATE        TICKS  STACK USED  NAME\n");
    scheduler::for_each_thread(print_thread, nullptr);
}

void command_log(int, char**) {
    static char buffer[16384];
    size_t length = copy_kernel_log(buffer, sizeof buffer);
    console::write(buffer, length);
}

void command_panic(int argc, char** argv) {
    panic("%s", argc > 1 ? argv[1] : "requested from the monitor");
}

// Recursion that the compiler cannot turn into a loop, to reach the guard page.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winfinite-recursion"
[[gnu::noinline]] uint32_t recurse_forever(uint32_t depth) {
    volatile char frame_filler[256];
    frame_filler[0] = char(depth);
    return recurse_forever(depth + 1) + frame_filler[0];
}
#pragma GCC diagnostic pop

void command_crash(int argc, char** argv) {
    const char* kind = argc > 1 ? argv[1] : "";
    if (klib::strcmp(kind, "null") == 0) {
        kprintf("reading address 0...\n");
        kprintf("%u\n", *reinterpret_cast<volatile uint32_t*>(uintptr_t(0)));
    } else if (klib::strcmp(kind, "stack") == 0) {
        kprintf("recursing until the stack overflows...\n");
        kprintf("%u\n", recurse_forever(0));
    } else if (klib::strcmp(kind, "divide") == 0) {
        // In assembly, because the compiler may rewrite a C++ division.
        uint32_t quotient, zero = 0;
        asm volatile("divl %2" : "=a"(quotient) : "a"(1), "r"(zero), "d"(0));
        kprintf("%u\n", quotient);
    } else {
        kprintf("usage: crash null|stack|divide\n");
    }
}

void command_selftest(int, char**) { run_scheduler_self_tests(); }

void command_pci(int, char**) {
    for (int i = 0; i < pci::device_count(); ++i) {
        const pci::Device& d = *pci::device_at(i);
        kprintf("%02x:%02x.%x %04x:%04x class %02x.%02x.%02x %s, irq %u, driver %s\n", d.address.bus,
                d.address.device, d.address.function, d.vendor_id, d.device_id, d.class_code, d.subclass, d.prog_if,
                pci::class_name(d.class_code), d.interrupt_line, d.driver ? d.driver : "none");
        for (const pci::Bar& bar : d.bars) {
            if (bar.kind == pci::Bar::Kind::None) continue;
            kprintf("    %s %#x, %u bytes\n", bar.kind == pci::Bar::Kind::Io ? "I/O ports at" : "memory at", bar.base,
                    bar.size);
        }
    }
}

void command_poweroff(int, char**) {
    kprintf("Powering off.\n");
    acpi::power_off();
    kprintf("poweroff: the machine did not switch off (no ACPI?); halting.\n");
    cpu::halt_forever();
}

const Command COMMANDS[] = {
    {"help", "list the commands", command_help},
    {"mem", "physical memory, user pages and kernel heap usage", command_mem},
    {"uptime", "time since boot", command_uptime},
    {"threads", "kernel threads and their states", command_threads},
    {"log", "the kernel log kept in memory", command_log},
    {"panic", "stop the kernel with a panic [MESSAGE]", command_panic},
    {"crash", "fault on purpose: crash null|stack|divide", command_crash},
    {"selftest", "check preemption, sleeping, mutexes and timeouts", command_selftest},
    {"ls", "list a directory: ls [-la] [PATH...]", command_ls},
    {"cat", "print files: cat PATH...", command_cat},
    {"stat", "file status: stat PATH...", command_stat},
    {"mount", "list mounts, or mount -t TYPE [-o ro] DEVICE DIRECTORY", command_mount},
    {"umount", "unmount: umount DIRECTORY", command_umount},
    {"disks", "block devices and their I/O statistics", command_disks},
    {"pci", "the PCI functions found, their BARs and drivers", command_pci},
    {"dropcaches", "forget clean cached pages and blocks, so reads go to the disks", command_drop_caches},
    {"run", "run a program and wait: run /bin/PROGRAM [ARGUMENT...]", command_run},
    {"poweroff", "switch the machine off", command_poweroff},
};

void command_help(int, char**) {
    for (const Command& command : COMMANDS) kprintf("  %-10s %s\n", command.name, command.help);
}

int split_words(char* line, char** argv) {
    int argc = 0;
    char* cursor = line;
    while (*cursor && argc < MAX_ARGUMENTS) {
        while (*cursor == ' ' || *cursor == '\t' || *cursor == '\n') *cursor++ = '\0';
        if (!*cursor) break;
        argv[argc++] = cursor;
        while (*cursor && *cursor != ' ' && *cursor != '\t' && *cursor != '\n') ++cursor;
    }
    return argc;
}

void run_command_line(char* line) {
    char* argv[MAX_ARGUMENTS + 1] = {};
    int argc = split_words(line, argv);
    if (argc == 0) return;
    for (const Command& command : COMMANDS) {
        if (klib::strcmp(command.name, argv[0]) == 0) {
            command.run(argc, argv);
            return;
        }
    }
    kprintf("%s: unknown command (try help)\n", argv[0]);
}

}  // namespace

void run_monitor(void*) {
    kprintf("Kernel monitor. Type help for the commands.\n");
    char line[256];
    for (;;) {
        kprintf("monitor# ");
        long length = console::read(line, sizeof line - 1);
        if (length == -EINTR) continue;  // Ctrl-C: a fresh prompt
        if (length == 0) {               // Ctrl-D on an empty line
            kprintf("\n");
            continue;
        }
        line[length] = '\0';
        run_command_line(line);
    }
}
