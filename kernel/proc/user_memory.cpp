// kernel/proc/user_memory.cpp -- checked copies and the faults of programs.
// See user_memory.h.
#include "kernel/proc/user_memory.h"

#include "kernel/arch/x86/interrupts.h"
#include "kernel/arch/x86/paging.h"
#include "kernel/lib/errno.h"
#include "kernel/mm/memory_layout.h"
#include "kernel/log.h"
#include "kernel/proc/process.h"
#include "kernel/proc/signals.h"

extern "C" int user_access_copy(void* destination, const void* source, size_t count);
extern "C" int user_access_copy_string(char* destination, const char* source, size_t size);
extern "C" const uint8_t user_access_start[], user_access_end[], user_access_fault[];

namespace {

bool is_user_range(uint32_t address, size_t count) {
    return address < AddressSpace::USER_END && count <= AddressSpace::USER_END - address;
}

const char* program_name() {
    Process* process = current_process();
    return process ? process->name : "?";
}

bool is_user_access_instruction(uint32_t eip) {
    return eip >= uint32_t(user_access_start) && eip < uint32_t(user_access_end);
}

// A write to a present page may be a write to a copy-on-write page, by the
// program or by the kernel copying to it: then the page gets its own frame
// and the write is retried. EFAULT when the fault is something else,
// ENOMEM when no frame is left for the copy.
Result<void> resolve_copy_on_write(const InterruptFrame& frame, uint32_t address) {
    constexpr uint32_t PRESENT_AND_WRITE = 0b11;  // error code bits 0 and 1
    Process* process = current_process();
    if ((frame.error_code & PRESENT_AND_WRITE) != PRESENT_AND_WRITE || !process || !process->address_space) {
        return Error(EFAULT);
    }
    return process->address_space->resolve_write_fault(address);
}

// A fault on an absent page in the region the stack may grow into maps the
// pages up to the stack (address_space.h) -- if the stack stays within the
// RLIMIT_STACK of now, as Linux checks at each growth (the region was sized
// by the limit at execve). EFAULT when it is not that.
Result<void> grow_stack(const InterruptFrame& frame, uint32_t address) {
    constexpr uint32_t PRESENT = 0b1;  // error code bit 0
    Process* process = current_process();
    if ((frame.error_code & PRESENT) || !process || !process->address_space) return Error(EFAULT);
    uint32_t page = memory_layout::page_round_down(address);
    if (AddressSpace::USER_END - page > process->limits.soft(resource_limits::STACK)) return Error(EFAULT);
    AddressSpace& space = *process->address_space;
    uint64_t grown = uint64_t(space.virtual_pages()) * memory_layout::PAGE_SIZE +
                     (page < space.stack_bottom() ? space.stack_bottom() - page : 0);
    if (grown > process->limits.soft(resource_limits::AS)) return Error(EFAULT);  // RLIMIT_AS
    return space.grow_stack(address);
}

// Page faults: stack growth and copy-on-write are resolved for the program
// and for the kernel's copies to user memory alike (so a signal frame may
// grow the stack too), and only then is a fault an error.
// A user program's own gets SIGSEGV (which usually ends it: signals.cpp
// prints "segfault at ..."; out of memory for a copy too, as the program
// cannot go on); a kernel access through a bad user pointer resumes in
// user_access_fault (EFAULT). Anything else: not ours.
bool on_page_fault(InterruptFrame& frame, uint32_t address) {
    bool user_access = frame.from_user_mode() || is_user_access_instruction(frame.eip);
    if (!user_access) return false;
    if (!grow_stack(frame, address).is_error()) return true;
    auto resolved = resolve_copy_on_write(frame, address);
    if (!resolved.is_error()) return true;
    const char* cause = (frame.error_code & 1) ? "protection violation" : "no page there";
    if (resolved.error() == ENOMEM) cause = "out of memory: no free page to copy the shared page into";
    if (frame.from_user_mode()) {
        if (resolved.error() == ENOMEM) {
            kprintf("%s[%d]: write to %#x: %s\n", program_name(), current_process()->pid, address, cause);
        }
        SignalInfo info;
        info.code = (frame.error_code & 1) ? SEGV_ACCERR : SEGV_MAPERR;
        info.fault_address = address;
        force_signal(SIGSEGV, info);
        return true;
    }
    if (resolved.error() == ENOMEM) {
        log_warning("%s[%d]: EFAULT writing to %#x: %s", program_name(), current_process()->pid, address, cause);
    }
    frame.eip = uint32_t(user_access_fault);
    return true;
}

// Other exceptions: divide error, x87 and SIMD errors -> SIGFPE; invalid
// opcode -> SIGILL; the rest (general protection, ...) -> SIGSEGV.
void on_user_exception(InterruptFrame& frame) {
    Process* process = current_process();
    if (!process) panic_with_frame(frame, "user-mode exception without a process");
    SignalInfo info;
    info.fault_address = frame.eip;
    int signal = SIGSEGV;
    if (frame.vector == 0 || frame.vector == 16 || frame.vector == 19) {
        signal = SIGFPE;
        info.code = frame.vector == 0 ? FPE_INTDIV : FPE_FLTINV;
    } else if (frame.vector == 6) {
        signal = SIGILL;
        info.code = ILL_ILLOPN;  // what Linux reports for #UD (ud2 and unknown opcodes alike)
    }
    log_debug("%s[%d]: %s at ip %#x", process->name, process->pid, interrupts::exception_name(frame.vector), frame.eip);
    force_signal(signal, info);
}

}  // namespace

Result<void> copy_from_user(void* destination, uint32_t user_source, size_t count) {
    if (!is_user_range(user_source, count)) return Error(EFAULT);
    if (user_access_copy(destination, reinterpret_cast<const void*>(user_source), count) != 0) return Error(EFAULT);
    return {};
}

Result<void> copy_to_user(uint32_t user_destination, const void* source, size_t count) {
    if (!is_user_range(user_destination, count)) return Error(EFAULT);
    if (user_access_copy(reinterpret_cast<void*>(user_destination), source, count) != 0) return Error(EFAULT);
    return {};
}

size_t prepare_user_buffer(uint32_t user_address, size_t count, bool for_writing) {
    if (count == 0 || user_address >= AddressSpace::USER_END) return 0;
    if (count > AddressSpace::USER_END - user_address) count = AddressSpace::USER_END - user_address;
    constexpr uint32_t PAGE_SIZE = memory_layout::PAGE_SIZE;
    uint32_t page = user_address & ~uint32_t(PAGE_SIZE - 1);
    uint32_t end = user_address + uint32_t(count);
    Process* process = current_process();
    const AddressSpace* space = process ? process->address_space : nullptr;
    for (; page < end; page += PAGE_SIZE) {
        uint32_t probe = page < user_address ? user_address : page;
        if (space && space->is_present(probe, for_writing)) continue;
        uint8_t byte;
        // Reading then writing back the same byte: present, then writable.
        if (user_access_copy(&byte, reinterpret_cast<const void*>(probe), 1) != 0) break;
        if (for_writing && user_access_copy(reinterpret_cast<void*>(probe), &byte, 1) != 0) break;
    }
    if (page >= end) return count;
    return page > user_address ? page - user_address : 0;
}

Result<size_t> copy_string_from_user(char* destination, uint32_t user_source, size_t size) {
    if (size == 0) return Error(ENAMETOOLONG);
    // The string may end before the end of user space; only its start must
    // be inside, and the copy stops at the boundary.
    if (user_source >= AddressSpace::USER_END) return Error(EFAULT);
    size_t limit = AddressSpace::USER_END - user_source < size ? AddressSpace::USER_END - user_source : size;
    int length = user_access_copy_string(destination, reinterpret_cast<const char*>(user_source), limit);
    if (length < 0) return Error(EFAULT);
    if (size_t(length) == limit) return Error(limit == size ? ENAMETOOLONG : EFAULT);
    return size_t(length);
}

void install_user_fault_handling() {
    paging::set_page_fault_hook(on_page_fault);
    interrupts::set_user_exception_handler(on_user_exception);
}
