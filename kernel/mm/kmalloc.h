// kernel/mm/kmalloc.h -- the kernel's general-purpose allocator.
//
// Layer: memory management. kmalloc/kfree (and C++ new/delete, which call
// them) are one Heap (heap.h) fed with runs of pages from the physical
// allocator, reached through the direct map. Out of memory returns nullptr;
// callers turn that into ENOMEM. Usable from threads and interrupt handlers
// (calls are made atomic by masking interrupts).
#pragma once

#include <cstddef>

#include "kernel/mm/heap.h"

void kmalloc_initialize();
void* kmalloc(size_t size, size_t alignment = 16);
void* kzalloc(size_t size, size_t alignment = 16);  // zero-filled
void kfree(void* pointer);
Heap::Stats kmalloc_statistics();
