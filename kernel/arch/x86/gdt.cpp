// kernel/arch/x86/gdt.cpp -- builds the GDT and the two TSSs at boot.
//
// Layer: architecture. See gdt.h. The table is written once here; afterwards
// only the TSS's esp0 and the user TLS descriptor change, each on a thread
// switch with interrupts off.
#include "kernel/arch/x86/gdt.h"

#include "kernel/arch/x86/cpu.h"

namespace {

struct [[gnu::packed]] SegmentDescriptor {
    uint16_t limit_low;
    uint16_t base_low;
    uint8_t base_middle;
    uint8_t access;       // present, privilege level, type
    uint8_t granularity;  // limit high nibble, 4 KiB granularity, 32-bit
    uint8_t base_high;
};

struct [[gnu::packed]] TaskStateSegment {
    uint32_t previous_task;
    uint32_t esp0, ss0, esp1, ss1, esp2, ss2;
    uint32_t cr3, eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
    uint32_t es, cs, ss, ds, fs, gs, ldt;
    uint16_t trap, io_map_base;
};

struct [[gnu::packed]] TablePointer {
    uint16_t limit;
    uint32_t base;
};

constexpr uint8_t ACCESS_PRESENT = 0x80;
constexpr uint8_t ACCESS_RING3 = 0x60;
constexpr uint8_t ACCESS_CODE_OR_DATA = 0x10;
constexpr uint8_t ACCESS_EXECUTABLE = 0x08;
constexpr uint8_t ACCESS_READ_WRITE = 0x02;
constexpr uint8_t ACCESS_TSS_32 = 0x09;  // available 32-bit TSS
constexpr uint8_t FLAGS_4K_32BIT = 0xC0;

constexpr int ENTRY_COUNT = 8;
SegmentDescriptor gdt_entries[ENTRY_COUNT];
TaskStateSegment main_tss;
TaskStateSegment double_fault_tss;
alignas(16) uint8_t double_fault_stack[8192];

void set_entry(int index, uint32_t base, uint32_t limit, uint8_t access, uint8_t flags) {
    SegmentDescriptor& d = gdt_entries[index];
    d.limit_low = limit & 0xFFFF;
    d.base_low = base & 0xFFFF;
    d.base_middle = (base >> 16) & 0xFF;
    d.access = access;
    d.granularity = uint8_t(((limit >> 16) & 0x0F) | flags);
    d.base_high = uint8_t(base >> 24);
}

extern "C" void double_fault_task_entry();  // interrupt_stubs.asm

void prepare_double_fault_task() {
    // The CPU loads this state on the double-fault task switch: a fresh
    // stack and the kernel's own page directory, whatever state we were in.
    double_fault_tss.esp0 = double_fault_tss.esp = uint32_t(double_fault_stack + sizeof double_fault_stack);
    double_fault_tss.ss0 = double_fault_tss.ss = gdt::KERNEL_DATA;
    double_fault_tss.ds = double_fault_tss.es = gdt::KERNEL_DATA;
    double_fault_tss.fs = double_fault_tss.gs = gdt::KERNEL_DATA;
    double_fault_tss.cs = gdt::KERNEL_CODE;
    double_fault_tss.eip = uint32_t(&double_fault_task_entry);
    double_fault_tss.eflags = 0x2;  // interrupts off
    double_fault_tss.cr3 = cpu::read_cr3();
    double_fault_tss.io_map_base = sizeof(TaskStateSegment);
}

}  // namespace

extern "C" void load_gdt_and_segments(const TablePointer* pointer, uint16_t code, uint16_t data);

namespace gdt {

void initialize() {
    constexpr uint8_t code = ACCESS_PRESENT | ACCESS_CODE_OR_DATA | ACCESS_EXECUTABLE | ACCESS_READ_WRITE;
    constexpr uint8_t data = ACCESS_PRESENT | ACCESS_CODE_OR_DATA | ACCESS_READ_WRITE;
    set_entry(0, 0, 0, 0, 0);  // the mandatory null descriptor
    set_entry(KERNEL_CODE >> 3, 0, 0xFFFFF, code, FLAGS_4K_32BIT);
    set_entry(KERNEL_DATA >> 3, 0, 0xFFFFF, data, FLAGS_4K_32BIT);
    set_entry(USER_CODE >> 3, 0, 0xFFFFF, code | ACCESS_RING3, FLAGS_4K_32BIT);
    set_entry(USER_DATA >> 3, 0, 0xFFFFF, data | ACCESS_RING3, FLAGS_4K_32BIT);
    set_entry(USER_TLS >> 3, 0, 0, 0, 0);  // not present until a program asks

    main_tss.ss0 = KERNEL_DATA;
    main_tss.io_map_base = sizeof(TaskStateSegment);  // no I/O permission bitmap
    set_entry(TASK_STATE >> 3, uint32_t(&main_tss), sizeof(TaskStateSegment) - 1,
              ACCESS_PRESENT | ACCESS_TSS_32, 0);
    prepare_double_fault_task();
    set_entry(DOUBLE_FAULT_TASK >> 3, uint32_t(&double_fault_tss), sizeof(TaskStateSegment) - 1,
              ACCESS_PRESENT | ACCESS_TSS_32, 0);

    static TablePointer pointer;
    pointer.limit = sizeof gdt_entries - 1;
    pointer.base = uint32_t(&gdt_entries);
    load_gdt_and_segments(&pointer, KERNEL_CODE, KERNEL_DATA);
    asm volatile("ltr %0" : : "r"(uint16_t(TASK_STATE)));
}

void set_kernel_stack(uint32_t stack_top) { main_tss.esp0 = stack_top; }

void set_user_tls(uint32_t base, uint32_t limit_pages, bool present) {
    constexpr uint8_t data = ACCESS_CODE_OR_DATA | ACCESS_READ_WRITE | ACCESS_RING3;
    set_entry(USER_TLS >> 3, base, limit_pages, uint8_t(data | (present ? ACCESS_PRESENT : 0)), FLAGS_4K_32BIT);
}

SavedTaskState faulting_task_state() {
    const TaskStateSegment& t = main_tss;
    return {t.eip, t.esp, t.ebp, t.eflags, t.eax, t.ebx, t.ecx, t.edx, t.esi, t.edi};
}

// Called by the page-table code once the final page directory is live, so a
// double fault switches to an address space that still exists.
void set_double_fault_page_directory(uint32_t cr3) { double_fault_tss.cr3 = cr3; }

}  // namespace gdt
