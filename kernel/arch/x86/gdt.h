// kernel/arch/x86/gdt.h -- segments and the task state segment.
//
// Layer: architecture. Paging does the real memory protection; segments are
// flat (base 0, limit 4 GiB) and exist only because x86 requires a code and
// a data segment for each privilege level. The TSS tells the CPU which stack
// to switch to when an interrupt arrives in user mode (esp0); a second TSS
// gives the double-fault handler a stack of its own, so even a kernel stack
// overflow can be reported.
#pragma once

#include <cstdint>

namespace gdt {

enum Selector : uint16_t {
    KERNEL_CODE = 0x08,
    KERNEL_DATA = 0x10,
    USER_CODE = 0x18 | 3,  // RPL 3
    USER_DATA = 0x20 | 3,
    USER_TLS = 0x28 | 3,   // set_thread_area's descriptor (per thread, reloaded on switch)
    TASK_STATE = 0x30,
    DOUBLE_FAULT_TASK = 0x38,
};

void initialize();

// The kernel stack the CPU switches to on an interrupt from user mode.
void set_kernel_stack(uint32_t stack_top);

// Installs a descriptor for user thread-local storage (base, limit in pages).
void set_user_tls(uint32_t base, uint32_t limit_pages, bool present);

// The CPU state saved in the main TSS when the double fault task switch
// happened: the registers at the moment of the fault.
struct SavedTaskState {
    uint32_t eip, esp, ebp, eflags;
    uint32_t eax, ebx, ecx, edx, esi, edi;
};
SavedTaskState faulting_task_state();

// Points the double-fault task at the final kernel page directory.
void set_double_fault_page_directory(uint32_t cr3);

}  // namespace gdt
