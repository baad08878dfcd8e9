// kernel/mm/kernel_stacks.h -- kernel thread stacks with guard pages.
//
// Layer: memory management. Each kernel thread runs on its own stack of
// STACK_PAGES pages in the kernel stack region (memory_layout.h). Below each
// stack lies one page that is never mapped: a thread that overflows its stack
// touches that guard page and faults at once, instead of silently
// overwriting its neighbour. (The fault handler itself then cannot use that
// stack, which is why the double fault runs as a task with its own stack.)
#pragma once

#include <cstddef>
#include <cstdint>

namespace kernel_stacks {

constexpr size_t STACK_PAGES = 4;  // 16 KiB
constexpr size_t STACK_SIZE = STACK_PAGES * 4096;

struct Stack {
    uintptr_t bottom;  // lowest usable address
    uintptr_t top;     // one past the highest: the initial ESP
};

// Returns {0, 0} when the region or physical memory is exhausted.
Stack allocate();
void free(Stack stack);
bool is_guard_page(uintptr_t virtual_address);

}  // namespace kernel_stacks
