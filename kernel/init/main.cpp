// kernel/init/main.cpp -- kernel_main: bringing the machine up, in order.
//
// Layer: init, the top floor (it may include any layer; nothing includes it).
// boot/multiboot.asm calls kernel_main with paging on
// (the boot page directory), interrupts off and global constructors run.
// Each step below may only use what the steps before it set up:
//
//   console output   serial and VGA, handed to the log, so everything after can log
//   GDT, IDT, PIC    exceptions now produce reports instead of resets
//   boot info        memory map, command line, modules copied out
//   page allocator   from the memory map, minus kernel and modules
//   paging           the final kernel page tables
//   page references  counts of shared user frames, and the zero page
//   heap             kmalloc and new
//   scheduler        this flow becomes the idle thread
//   timer, input     interrupts on; the console can be read
//   ACPI             so poweroff works
//
// Then the first thread starts -- it brings up the storage stack (caches,
// RAM disks, PCI disks, romfs on /, devfs, tmpfs, procfs) and runs the
// first program (init=, default /bin/init), or the kernel monitor when
// there is none or it ends -- and the boot flow becomes the idle loop.
#include "drivers/acpi/acpi.h"
#include "drivers/rtc/cmos_rtc.h"
#include "drivers/console/console.h"
#include "drivers/keyboard/ps2_keyboard.h"
#include "drivers/serial/serial.h"
#include "drivers/timer/pit.h"
#include "drivers/vga/vga_text.h"
#include "kernel/arch/x86/cpu.h"
#include "kernel/arch/x86/fpu.h"
#include "kernel/arch/x86/gdt.h"
#include "kernel/arch/x86/interrupts.h"
#include "kernel/arch/x86/paging.h"
#include "kernel/command_line.h"
#include "kernel/debug/symbols.h"
#include "kernel/lib/string.h"
#include "kernel/log.h"
#include "kernel/time/monotonic_clock.h"
#include "kernel/time/wall_clock.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/mm/page_references.h"
#include "kernel/mm/physical_allocator.h"
#include "kernel/init/monitor.h"
#include "kernel/panic.h"
#include "kernel/sched/scheduler.h"
#include "kernel/proc/interval_timers.h"
#include "kernel/proc/process.h"
#include "kernel/proc/resource_limits.h"
#include "kernel/proc/signals.h"
#include "kernel/proc/user_memory.h"
#include "kernel/init/storage_init.h"
#include "kernel/syscall/syscall.h"
#include "kernel/system_info.h"

namespace {

void apply_log_settings(const CommandLine& command_line) {
    if (command_line.has("quiet")) set_console_log_level(LogLevel::Warning);
    if (const char* level = command_line.get("loglevel")) {
        if (klib::strcmp(level, "error") == 0) set_console_log_level(LogLevel::Error);
        else if (klib::strcmp(level, "warning") == 0) set_console_log_level(LogLevel::Warning);
        else if (klib::strcmp(level, "info") == 0) set_console_log_level(LogLevel::Info);
        else if (klib::strcmp(level, "debug") == 0) set_console_log_level(LogLevel::Debug);
        else log_warning("loglevel=%s: unknown level (error, warning, info, debug)", level);
    }
}

void log_memory_map(const BootInfo& info) {
    for (size_t i = 0; i < info.region_count; ++i) {
        const MemoryRegion& region = info.regions[i];
        log_debug("memory map: %#010llx - %#010llx %s", region.start, region.start + region.length - 1,
                  region.usable ? "usable" : "reserved");
    }
    for (size_t i = 0; i < info.module_count; ++i) {
        log_info("boot module %u: %s, %u KiB at %#x", unsigned(i), info.modules[i].name,
                 (info.modules[i].end_physical - info.modules[i].start_physical) / 1024, info.modules[i].start_physical);
    }
}

// Runs the first program (init=PATH, default /bin/init) with the command
// line's words after `--` as its arguments, and waits for it.
// Returns when there is none or it ended: the monitor takes over then.
void run_init_program(const char* path) {
    const char* argv[CommandLine::MAX_INIT_ARGUMENTS + 2] = {path};
    for (size_t i = 0; i < kernel_command_line.init_argument_count(); ++i) {
        argv[i + 1] = kernel_command_line.init_argument_at(i);
    }
    const char* const envp[] = {"PATH=/bin", "HOME=/", "TERM=vt100", nullptr};
    auto init = spawn_program(path, argv, envp, /*as_init=*/true);
    if (init.is_error()) {
        log_error("cannot start %s: %s; starting the kernel monitor", path, errno_message(init.error()));
        return;
    }
    int status = wait_for_and_reap(*init.value());
    log_error("%s ended (wait status %#x); starting the kernel monitor", path, status);
}

// The first thread (Linux: kernel_init). The storage stack sleeps on I/O,
// which the idle thread must never do, so it is brought up here.
void kernel_init(void*) {
    storage::initialize(system_info::boot_info());
    system_info::mark_boot_completed(monotonic_clock::uptime_ms());
    const char* init = kernel_command_line.get_or("init", "/bin/init");
    if (klib::strcmp(init, "monitor") != 0) run_init_program(init);
    run_monitor(nullptr);
}

void start_first_thread() {
    auto thread = scheduler::spawn("init", kernel_init, nullptr);
    if (thread.is_error()) panic("cannot start the first thread: out of memory");
}

}  // namespace

extern "C" [[noreturn]] void kernel_main(uint32_t multiboot_magic, uint32_t multiboot_info_physical) {
    serial::initialize_output();
    vga_text::initialize();
    set_log_output(console::write);
    gdt::initialize();
    interrupts::initialize();

    BootInfo& boot_info = system_info::boot_info();
    if (!parse_multiboot_info(multiboot_magic, multiboot_info_physical, boot_info)) {
        panic("no usable Multiboot information; boot with GRUB or qemu -kernel");
    }
    kernel_command_line.parse(boot_info.command_line);
    apply_log_settings(kernel_command_line);
    log_info("storage teaching kernel, booted by %s", boot_info.boot_loader_name[0] ? boot_info.boot_loader_name : "?");
    log_info("command line: %s", boot_info.command_line);
    log_memory_map(boot_info);

    physical_allocator::initialize(boot_info);
    paging::initialize(boot_info.usable_memory_end());
    page_references::initialize();
    kmalloc_initialize();
    auto pages = physical_allocator::statistics();
    log_info("memory: %u MiB installed, %u KiB free, %u symbols for backtraces",
             unsigned(system_info::installed_memory_mib()), unsigned(pages.free_pages * 4), kernel_symbol_count());

    fpu::initialize();
    scheduler::initialize();
    pit::initialize();
    serial::enable_input_interrupts(console::receive_input);
    ps2_keyboard::initialize();
    cpu::enable_interrupts();
    acpi::initialize();
    wall_clock::initialize(cmos_rtc::read_unix_time(acpi::rtc_century_register()));
    install_user_fault_handling();
    install_system_calls();
    install_signals();
    install_interval_timers();
    resource_limits::initialize();

    start_first_thread();
    scheduler::run_idle_loop();
}
