// kernel/debug/backtrace.cpp -- frame-pointer stack walk. See backtrace.h.
#include "kernel/debug/backtrace.h"

#include "kernel/arch/x86/paging.h"
#include "kernel/debug/symbols.h"
#include "kernel/log.h"

namespace {

bool frame_is_readable(uint32_t frame_pointer) {
    if (frame_pointer == 0 || frame_pointer % 4 != 0) return false;
    return paging::is_kernel_address_mapped(frame_pointer) &&
           paging::is_kernel_address_mapped(frame_pointer + 4);
}

}  // namespace

int collect_backtrace(uint32_t frame_pointer, uint32_t* addresses, int max_frames) {
    int count = 0;
    while (count < max_frames && frame_is_readable(frame_pointer)) {
        auto* frame = reinterpret_cast<const uint32_t*>(frame_pointer);
        uint32_t return_address = frame[1];
        if (return_address == 0) break;
        addresses[count++] = return_address;
        // Stacks grow down, so each caller's frame lies above its callee's.
        if (frame[0] <= frame_pointer) break;
        frame_pointer = frame[0];
    }
    return count;
}

void print_backtrace_from(uint32_t frame_pointer, int max_frames) {
    uint32_t addresses[64];
    if (max_frames > 64) max_frames = 64;
    int count = collect_backtrace(frame_pointer, addresses, max_frames);
    kprintf("Backtrace:\n");
    for (int i = 0; i < count; ++i) {
        // Deep recursion (a stack overflow) would fill the screen with one line.
        int repeats = 0;
        while (i + 1 < count && addresses[i + 1] == addresses[i]) ++i, ++repeats;
        // A return address points after the call; -1 names the calling line.
        kprintf("  #%d %#010x", i - repeats, addresses[i]);
        print_symbolized(addresses[i] - 1);
        if (repeats) kprintf(" (and %d more identical frames)", repeats);
        kprintf("\n");
    }
    if (count == 0) kprintf("  (no frames)\n");
}
