// kernel/runtime/cxx_runtime.cpp -- what freestanding C++ needs from us.
//
// Layer: runtime. A hosted C++ program gets these from libc and libstdc++;
// the kernel has neither, so each is written here, once:
//   - global constructors: the linker collects their addresses in
//     .init_array (linker.ld); the boot code calls run_global_constructors
//     before kernel_main;
//   - operator new/delete on kmalloc: new returns nullptr when memory runs
//     out (no exceptions; the build's -fcheck-new makes the compiler keep
//     the null checks), so every `new` is checked by its caller;
//   - __cxa_pure_virtual: a call through a half-built or destroyed object;
//   - the stack protector's canary and its failure hook;
//   - memcpy, memset, memmove, memcmp: GCC may emit calls to them for
//     struct copies even in freestanding code; they forward to klib.
#include <cstddef>
#include <cstdint>
#include <new>

#include "kernel/lib/string.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/panic.h"

extern "C" {

using Constructor = void (*)();
extern Constructor init_array_start[], init_array_end[];

void run_global_constructors() {
    for (Constructor* constructor = init_array_start; constructor != init_array_end; ++constructor) (*constructor)();
}

void __cxa_pure_virtual() { panic("pure virtual function called"); }

// Destructors of global objects would run at exit; the kernel never exits.
int __cxa_atexit(void (*)(void*), void*, void*) { return 0; }
void* __dso_handle = nullptr;

// A fixed canary is weaker than a random one, but the goal here is to
// catch overflowing kernel buffers, not to resist an attacker who can read
// kernel memory. (It becomes random once the kernel has an entropy source.)
uintptr_t __stack_chk_guard = 0xe2dee396;

[[noreturn]] void __stack_chk_fail() { panic("stack smashing detected (a local buffer overflowed)"); }

void* memcpy(void* destination, const void* source, size_t size) { return klib::memcpy(destination, source, size); }
void* memmove(void* destination, const void* source, size_t size) { return klib::memmove(destination, source, size); }
void* memset(void* destination, int value, size_t size) { return klib::memset(destination, value, size); }
int memcmp(const void* a, const void* b, size_t size) { return klib::memcmp(a, b, size); }

}  // extern "C"

void* operator new(size_t size) { return kmalloc(size); }
void* operator new[](size_t size) { return kmalloc(size); }
void* operator new(size_t size, std::align_val_t alignment) { return kmalloc(size, size_t(alignment)); }
// The tag object `new (std::nothrow)` names; libstdc++ would define it.
namespace std {
const nothrow_t nothrow{};
}  // namespace std

void* operator new(size_t size, const std::nothrow_t&) noexcept { return kmalloc(size); }
void* operator new[](size_t size, const std::nothrow_t&) noexcept { return kmalloc(size); }
void operator delete(void* pointer) noexcept { kfree(pointer); }
void operator delete[](void* pointer) noexcept { kfree(pointer); }
void operator delete(void* pointer, size_t) noexcept { kfree(pointer); }
void operator delete[](void* pointer, size_t) noexcept { kfree(pointer); }
void operator delete(void* pointer, std::align_val_t) noexcept { kfree(pointer); }
void operator delete(void* pointer, size_t, std::align_val_t) noexcept { kfree(pointer); }
