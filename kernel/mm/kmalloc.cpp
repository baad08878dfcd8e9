// kernel/mm/kmalloc.cpp -- the kernel heap on physical pages. See kmalloc.h.
#include "kernel/mm/kmalloc.h"

#include <new>

#include "kernel/arch/x86/interrupt_guard.h"
#include "kernel/lib/string.h"
#include "kernel/mm/memory_layout.h"
#include "kernel/mm/physical_allocator.h"
#include "kernel/panic.h"

namespace {

// Hands the heap physically contiguous runs, which the direct map makes
// virtually contiguous too.
class DirectMapPageSource final : public PageSource {
public:
    void* allocate_pages(size_t count) override {
        uint32_t physical = physical_allocator::allocate_contiguous(count);
        return physical ? memory_layout::physical_to_pointer<void>(physical) : nullptr;
    }
    void free_pages(void* pages, size_t count) override {
        physical_allocator::free_contiguous(memory_layout::virtual_to_physical(uintptr_t(pages)), uint32_t(count));
    }
};

DirectMapPageSource page_source;
alignas(Heap) unsigned char heap_storage[sizeof(Heap)];
Heap* heap = nullptr;

void report_heap_corruption(const char* what, void* where) {
    panic("kernel heap corrupted: %s at %p", what, where);
}

}  // namespace

void kmalloc_initialize() {
    heap = new (heap_storage) Heap(page_source);
    heap_corruption_handler = report_heap_corruption;
}

void* kmalloc(size_t size, size_t alignment) {
    if (!heap) return nullptr;
    InterruptGuard atomic;
    return heap->allocate(size, alignment);
}

void* kzalloc(size_t size, size_t alignment) {
    void* pointer = kmalloc(size, alignment);
    if (pointer) klib::memset(pointer, 0, size);
    return pointer;
}

void kfree(void* pointer) {
    if (!pointer) return;
    InterruptGuard atomic;
    heap->free(pointer);
}

Heap::Stats kmalloc_statistics() {
    InterruptGuard atomic;
    return heap->stats();
}
