// kernel/mm/kernel_stacks.cpp -- slots of [guard page][stack pages] in the
// kernel stack region. A slot is free when its bit in slot_used is clear;
// only a used slot has its stack pages mapped.
#include "kernel/mm/kernel_stacks.h"

#include "kernel/arch/x86/interrupt_guard.h"
#include "kernel/arch/x86/paging.h"
#include "kernel/mm/memory_layout.h"
#include "kernel/mm/physical_allocator.h"

namespace {

using memory_layout::PAGE_SIZE;
constexpr uint32_t SLOT_SIZE = (kernel_stacks::STACK_PAGES + 1) * PAGE_SIZE;
constexpr uint32_t SLOT_COUNT = (memory_layout::KERNEL_STACKS_END - memory_layout::KERNEL_STACKS_START) / SLOT_SIZE;
bool slot_used[SLOT_COUNT];

uintptr_t slot_base(uint32_t slot) { return memory_layout::KERNEL_STACKS_START + slot * SLOT_SIZE; }

}  // namespace

namespace kernel_stacks {

Stack allocate() {
    uint32_t slot;
    {
        InterruptGuard atomic;
        for (slot = 0; slot < SLOT_COUNT && slot_used[slot]; ++slot) {}
        if (slot == SLOT_COUNT) return {0, 0};
        slot_used[slot] = true;
    }
    uintptr_t bottom = slot_base(slot) + PAGE_SIZE;  // the guard page stays unmapped
    for (size_t i = 0; i < STACK_PAGES; ++i) {
        uint32_t physical = physical_allocator::allocate_page();
        if (!physical) {
            free({bottom, bottom + i * PAGE_SIZE});
            return {0, 0};
        }
        paging::map_kernel_page(bottom + i * PAGE_SIZE, physical, paging::WRITABLE);
    }
    return {bottom, bottom + STACK_SIZE};
}

void free(Stack stack) {
    if (!stack.bottom) return;
    for (uintptr_t va = stack.bottom; va < stack.top; va += PAGE_SIZE) {
        uint32_t physical = paging::physical_address_of(va);
        paging::unmap_kernel_page(va);
        if (physical) physical_allocator::free_page(physical);
    }
    InterruptGuard atomic;
    slot_used[(stack.bottom - PAGE_SIZE - memory_layout::KERNEL_STACKS_START) / SLOT_SIZE] = false;
}

bool is_guard_page(uintptr_t virtual_address) {
    if (virtual_address < memory_layout::KERNEL_STACKS_START || virtual_address >= memory_layout::KERNEL_STACKS_END) {
        return false;
    }
    return (virtual_address - memory_layout::KERNEL_STACKS_START) % SLOT_SIZE < PAGE_SIZE;
}

}  // namespace kernel_stacks
