// kernel/arch/x86/fpu.cpp -- see fpu.h.
#include "kernel/arch/x86/fpu.h"

#include "kernel/arch/x86/cpu.h"
#include "kernel/lib/string.h"
#include "kernel/log.h"

namespace {

constexpr uint32_t CPUID_EDX_FPU = 1u << 0, CPUID_EDX_FXSR = 1u << 24, CPUID_EDX_SSE = 1u << 25;
constexpr uint32_t CR0_MONITOR_COPROCESSOR = 1u << 1, CR0_EMULATION = 1u << 2, CR0_TASK_SWITCHED = 1u << 3,
                   CR0_NUMERIC_ERROR = 1u << 5;
constexpr uint32_t CR4_OS_FXSR = 1u << 9, CR4_OS_XMM_EXCEPTIONS = 1u << 10;
constexpr uint32_t MXCSR_DEFAULT = 0x1F80;  // every SIMD exception masked, round to nearest

fpu::State clean_state;
bool enabled = false;

uint32_t cpuid_features() {
    uint32_t eax = 1, ebx, ecx, edx;
    asm volatile("cpuid" : "+a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx));
    return edx;
}

}  // namespace

namespace fpu {

void initialize() {
    uint32_t features = cpuid_features();
    uint32_t needed = CPUID_EDX_FPU | CPUID_EDX_FXSR | CPUID_EDX_SSE;
    if ((features & needed) != needed) {
        log_warning("fpu: the CPU lacks FXSR or SSE (cpuid edx %#x); programs must not use them", features);
        return;
    }
    uint32_t cr0 = cpu::read_cr0();
    cr0 &= ~(CR0_EMULATION | CR0_TASK_SWITCHED);
    cr0 |= CR0_MONITOR_COPROCESSOR | CR0_NUMERIC_ERROR;
    cpu::write_cr0(cr0);
    cpu::write_cr4(cpu::read_cr4() | CR4_OS_FXSR | CR4_OS_XMM_EXCEPTIONS);
    uint32_t mxcsr = MXCSR_DEFAULT;
    asm volatile("fninit; ldmxcsr %0" : : "m"(mxcsr));
    enabled = true;  // first: save() does nothing while the FPU is off
    save(clean_state);
    log_info("fpu: x87 and SSE enabled; state saved at every switch between programs");
}

bool available() { return enabled; }

void save(State& state) {
    if (enabled) asm volatile("fxsave %0" : "=m"(state));
}

void restore(const State& state) {
    if (enabled) asm volatile("fxrstor %0" : : "m"(state));
}

void make_loadable(State& state) {
    constexpr uint32_t MXCSR_OFFSET = 24, MXCSR_MASK_OFFSET = 28;
    uint32_t supported, mxcsr;
    klib::memcpy(&supported, clean_state.bytes + MXCSR_MASK_OFFSET, 4);
    if (supported == 0) supported = 0xFFBF;  // the CPU's default when it reports none
    klib::memcpy(&mxcsr, state.bytes + MXCSR_OFFSET, 4);
    mxcsr &= supported;
    klib::memcpy(state.bytes + MXCSR_OFFSET, &mxcsr, 4);
}

const State& initial_state() { return clean_state; }

}  // namespace fpu
