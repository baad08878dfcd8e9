// kernel/proc/signal_frame.cpp -- see signal_frame.h.
//
// The layouts below are Linux's i386 ones (arch/x86/include/uapi/asm/
// sigcontext.h, siginfo.h, ucontext.h); the static_asserts pin every
// offset a program or the C library reads.
#include "kernel/proc/signal_frame.h"

#include <cstddef>

#include "kernel/arch/x86/fpu.h"
#include "kernel/arch/x86/gdt.h"
#include "kernel/arch/x86/interrupts.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/string.h"
#include "kernel/proc/process.h"
#include "kernel/proc/user_memory.h"

namespace {

// The interrupted registers (struct sigcontext, 32-bit).
struct SigContext {
    uint32_t gs, fs, es, ds;
    uint32_t edi, esi, ebp, esp, ebx, edx, ecx, eax;
    uint32_t trapno, err, eip, cs, eflags, esp_at_signal, ss;
    uint32_t fpstate;  // user address of the saved FPU state, or 0
    uint32_t oldmask;  // the mask to restore, low word (sigframe)
    uint32_t cr2;      // the faulting address, for page faults
};
static_assert(sizeof(SigContext) == 88 && offsetof(SigContext, eip) == 56 && offsetof(SigContext, fpstate) == 76);

// siginfo_t: 128 bytes; the union's members that this kernel fills.
struct SigInfo {
    int32_t signo, error, code;
    union {
        struct {
            int32_t pid;
            uint32_t uid;
            int32_t status_or_value;  // SIGCHLD: status; SI_QUEUE and others: sigval
        } sender;
        struct {
            int32_t id, overrun;
            uint32_t value;
        } timer;           // SI_TIMER
        uint32_t address;  // SIGSEGV, SIGFPE, SIGILL, SIGBUS
    };
    uint8_t padding[128 - 24];
};
static_assert(sizeof(SigInfo) == 128 && offsetof(SigInfo, sender.pid) == 12 && offsetof(SigInfo, address) == 12);

struct UContext {
    uint32_t flags, link;
    uint32_t stack_pointer, stack_flags, stack_size;  // stack_t uc_stack: the alternate stack's setting
    SigContext machine;
    uint64_t mask;
} __attribute__((packed));
static_assert(sizeof(UContext) == 116 && offsetof(UContext, machine) == 20 && offsetof(UContext, mask) == 108);

// struct _fpstate_32: the legacy FSAVE-format part (left zero here: no
// program of this ABI reads it when the FXSR part is marked valid), a magic
// word, then the FXSAVE image.
struct FpuFrame {
    uint8_t legacy[108];
    uint16_t status, magic;  // magic 0x0000: the FXSAVE part below is valid
    fpu::State registers;
};
static_assert(offsetof(FpuFrame, magic) == 110 && offsetof(FpuFrame, registers) == 112 && sizeof(FpuFrame) == 624);

struct SigFrame {  // handler(signal); returns through sigreturn
    uint32_t return_address;
    int32_t signal;
    SigContext context;
    uint32_t mask_high;  // "extramask": the mask's second word
    uint8_t return_code[8];
};

struct RtSigFrame {  // handler(signal, siginfo*, ucontext*); returns through rt_sigreturn
    uint32_t return_address;
    int32_t signal;
    uint32_t info_address, context_address;
    SigInfo info;
    UContext context;
    uint8_t return_code[8];
};
static_assert(offsetof(RtSigFrame, info) == 16 && offsetof(RtSigFrame, context) == 144);

// The code a frame carries for programs without SA_RESTORER.
constexpr uint8_t SIGRETURN_CODE[8] = {0x58, 0xb8, 119, 0, 0, 0, 0xcd, 0x80};    // popl %eax; movl $119,%eax; int $0x80
constexpr uint8_t RT_SIGRETURN_CODE[8] = {0xb8, 173, 0, 0, 0, 0xcd, 0x80, 0};    // movl $173,%eax; int $0x80

// The flags a program may change by sigreturn: arithmetic, trap, direction,
// resume, alignment check -- never IF, IOPL or VM.
constexpr uint32_t USER_CHANGEABLE_FLAGS = 0x1 | 0x4 | 0x10 | 0x40 | 0x80 | 0x100 | 0x400 | 0x800 | 0x10000 | 0x40000;
constexpr uint32_t TRAP_FLAG = 0x100, DIRECTION_FLAG = 0x400;

SigContext save_registers(const InterruptFrame& frame, uint32_t fpstate_address, uint64_t mask) {
    SigContext c;
    c.gs = frame.gs, c.fs = frame.fs, c.es = frame.es, c.ds = frame.ds;
    c.edi = frame.edi, c.esi = frame.esi, c.ebp = frame.ebp, c.esp = frame.user_esp;
    c.ebx = frame.ebx, c.edx = frame.edx, c.ecx = frame.ecx, c.eax = frame.eax;
    c.trapno = frame.vector, c.err = frame.error_code, c.eip = frame.eip, c.cs = frame.cs;
    c.eflags = frame.eflags, c.esp_at_signal = frame.user_esp, c.ss = frame.user_ss;
    c.fpstate = fpstate_address;
    c.oldmask = uint32_t(mask);
    c.cr2 = 0;
    return c;
}

SigInfo describe(int signal, const SignalInfo& info) {
    SigInfo out;
    klib::memset(&out, 0, sizeof out);
    out.signo = signal;
    out.code = info.code;
    if ((signal == SIGSEGV || signal == SIGBUS || signal == SIGFPE || signal == SIGILL) && info.code > 0) {
        out.address = info.fault_address;
    } else if (info.code == SI_TIMER) {
        out.timer.id = info.timer_id;
        out.timer.overrun = info.overrun;
        out.timer.value = info.value;
    } else {
        out.sender.pid = info.sender_pid;
        out.sender.uid = info.sender_uid;
        out.sender.status_or_value = signal == SIGCHLD && info.code > 0 ? info.child_status : int32_t(info.value);
    }
    return out;
}

// A data segment selector a program may hold: null, flat data, or its TLS
// segment while that exists. Anything else would fault on the way out.
bool valid_user_selector(uint32_t selector) {
    if ((selector & ~3u) == 0 || selector == gdt::USER_DATA) return true;
    return selector == gdt::USER_TLS && scheduler::current().tls_present;
}

Result<void> restore_registers(InterruptFrame& frame, const SigContext& c) {
    for (uint32_t selector : {c.gs, c.fs, c.es, c.ds}) {
        if (!valid_user_selector(selector & 0xFFFF)) return Error(EINVAL);
    }
    frame.gs = c.gs & 0xFFFF, frame.fs = c.fs & 0xFFFF, frame.es = c.es & 0xFFFF, frame.ds = c.ds & 0xFFFF;
    frame.edi = c.edi, frame.esi = c.esi, frame.ebp = c.ebp, frame.ebx = c.ebx;
    frame.edx = c.edx, frame.ecx = c.ecx, frame.eax = c.eax;
    frame.eip = c.eip;
    frame.user_esp = c.esp;
    frame.eflags = (frame.eflags & ~USER_CHANGEABLE_FLAGS) | (c.eflags & USER_CHANGEABLE_FLAGS);
    frame.cs = gdt::USER_CODE;
    frame.user_ss = gdt::USER_DATA;
    if (c.fpstate) {
        fpu::State registers;
        TRY(copy_from_user(&registers, c.fpstate + offsetof(FpuFrame, registers), sizeof registers));
        fpu::make_loadable(registers);
        fpu::restore(registers);
    }
    return {};
}

// Saves the x87/SSE registers below `stack_pointer`; returns the frame's address.
Result<uint32_t> push_fpu_state(uint32_t stack_pointer) {
    uint32_t address = (stack_pointer - sizeof(FpuFrame)) & ~63u;
    FpuFrame saved;
    klib::memset(&saved, 0, sizeof saved);
    fpu::save(saved.registers);
    TRY(copy_to_user(address, &saved, sizeof saved));
    return address;
}

// Where a frame of `size` bytes starts: like a call, (esp + 4) is 16-aligned
// when the handler begins (the i386 System V ABI).
uint32_t frame_address(uint32_t below, uint32_t size) { return ((below - size + 4) & ~15u) - 4; }

void enter_handler(InterruptFrame& frame, const SignalAction& action, uint32_t stack_pointer) {
    frame.eip = action.handler;
    frame.user_esp = stack_pointer;
    frame.eflags &= ~(TRAP_FLAG | DIRECTION_FLAG);  // the ABI: a function starts with DF clear
    frame.cs = gdt::USER_CODE;
    frame.user_ss = frame.ds = frame.es = gdt::USER_DATA;
    // Likewise an empty x87 stack and the default control words: the
    // interrupted code may have values on the x87 stack (a handler pushing
    // more would overflow it) or other rounding modes. Its own state is in
    // the frame; sigreturn puts it back. Linux does the same.
    fpu::restore(fpu::initial_state());
}

}  // namespace

Result<void> push_signal_frame(InterruptFrame& frame, int signal, const SignalAction& action,
                               const SignalInfo& info, uint64_t saved_mask, AlternateStack& alternate) {
    // SA_ONSTACK: onto the alternate stack, unless already running on it.
    StackSetting saved_stack = describe_alternate_stack(alternate, frame.user_esp);
    uint32_t stack_pointer = frame.user_esp;
    if ((action.flags & SA_ONSTACK) && alternate.size != 0 && !alternate.holds(stack_pointer)) {
        stack_pointer = alternate.base + alternate.size;
        if (alternate.auto_disarm) alternate = AlternateStack{};  // SS_AUTODISARM: until sigreturn
    }
    uint32_t fpstate = TRY(push_fpu_state(stack_pointer));
    bool has_restorer = action.flags & SA_RESTORER;
    if (action.flags & SA_SIGINFO) {
        RtSigFrame out;
        klib::memset(&out, 0, sizeof out);
        uint32_t address = frame_address(fpstate, sizeof out);
        out.return_address = has_restorer ? action.restorer : address + offsetof(RtSigFrame, return_code);
        out.signal = signal;
        out.info_address = address + offsetof(RtSigFrame, info);
        out.context_address = address + offsetof(RtSigFrame, context);
        out.info = describe(signal, info);
        out.context.machine = save_registers(frame, fpstate, saved_mask);
        out.context.machine.cr2 = info.fault_address;
        out.context.mask = saved_mask;
        out.context.stack_pointer = saved_stack.base;
        out.context.stack_flags = saved_stack.flags;
        out.context.stack_size = saved_stack.size;
        klib::memcpy(out.return_code, RT_SIGRETURN_CODE, sizeof out.return_code);
        TRY(copy_to_user(address, &out, sizeof out));
        enter_handler(frame, action, address);
        // Linux passes the three arguments in registers too (regparm(3) handlers).
        frame.eax = uint32_t(signal), frame.edx = out.info_address, frame.ecx = out.context_address;
        return {};
    }
    SigFrame out;
    klib::memset(&out, 0, sizeof out);
    uint32_t address = frame_address(fpstate, sizeof out);
    out.return_address = has_restorer ? action.restorer : address + offsetof(SigFrame, return_code);
    out.signal = signal;
    out.context = save_registers(frame, fpstate, saved_mask);
    out.context.cr2 = info.fault_address;
    out.mask_high = uint32_t(saved_mask >> 32);
    klib::memcpy(out.return_code, SIGRETURN_CODE, sizeof out.return_code);
    TRY(copy_to_user(address, &out, sizeof out));
    enter_handler(frame, action, address);
    frame.eax = uint32_t(signal), frame.edx = frame.ecx = 0;
    return {};
}

Result<void> write_siginfo(uint32_t address, int signal, const SignalInfo& info) {
    SigInfo out = describe(signal, info);
    return copy_to_user(address, &out, sizeof out);
}

Result<void> pop_signal_frame(InterruptFrame& frame, bool realtime) {
    uint64_t mask;
    if (realtime) {
        // The handler's `ret` popped the return address: the frame is 4 below.
        RtSigFrame in;
        TRY(copy_from_user(&in, frame.user_esp - 4, sizeof in));
        TRY(restore_registers(frame, in.context.machine));
        mask = in.context.mask;
        // uc_stack: the alternate stack as it was (SS_AUTODISARM turned it
        // off for the handler); a setting the handler made unusable is ignored.
        StackSetting stack{in.context.stack_pointer, in.context.stack_flags & ~SS_ONSTACK, in.context.stack_size};
        (void)change_alternate_stack(&stack, frame.user_esp);
    } else {
        // ...and the return code popped the signal number too: 8 below.
        SigFrame in;
        TRY(copy_from_user(&in, frame.user_esp - 8, sizeof in));
        TRY(restore_registers(frame, in.context));
        mask = uint64_t(in.mask_high) << 32 | in.context.oldmask;
    }
    TRY(change_blocked_signals(2 /* SIG_SETMASK */, &mask, nullptr));
    return {};
}
