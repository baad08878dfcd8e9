// kernel/syscall/syscall.cpp -- dispatch of int 0x80. See syscall.h.
#include "kernel/syscall/syscall.h"

#include "kernel/arch/x86/interrupts.h"
#include "kernel/command_line.h"
#include "kernel/lib/errno.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "kernel/proc/process.h"
#include "kernel/proc/signals.h"
#include "kernel/proc/user_thread.h"

namespace {

constexpr uint32_t SYSCALL_COUNT = 450;
SyscallEntry table[SYSCALL_COUNT];
bool reported_missing[SYSCALL_COUNT];
bool tracing = false;

// A call that a signal interrupted (EINTR) is made again after a handler
// with SA_RESTART -- except the sleeps, which Linux never restarts that way
// (nanosleep, clock_nanosleep and its time64 twin, pause, rt_sigsuspend, and
// the poll, select and epoll_wait families, ERESTARTNOHAND in Linux), and sigreturn,
// whose EAX is the restored register of the program, not its own result.
bool restartable_after_signal(uint32_t number) {
    switch (number) {
    case 0:    // restart_syscall
    case 29:   // pause
    case 82:   // select
    case 142:  // _newselect
    case 168:  // poll
    case 308:  // pselect6
    case 309:  // ppoll
    case 413:  // pselect6_time64
    case 414:  // ppoll_time64
    case 256:  // epoll_wait
    case 319:  // epoll_pwait
    case 441:  // epoll_pwait2
    case 119:  // sigreturn
    case 162:  // nanosleep
    case 173:  // rt_sigreturn
    case 179:  // rt_sigsuspend
    case 267:  // clock_nanosleep
    case 407:  // clock_nanosleep_time64
        return false;
    default: return true;
    }
}

// The timed sleeps: after a stop they go on, for the time left, as
// restart_syscall (syscall_time.cpp); after a handler they end with EINTR.
bool is_timed_sleep(uint32_t number) {
    return number == 0 || number == 162 || number == 267 || number == 407;
}

// A call that a stop signal cut short, with no handler run, goes on after
// SIGCONT -- all but the waits for a signal itself (pause, rt_sigsuspend),
// sigreturn, and the timed sleeps (above). The poll and select family
// starts its wait again (select, pselect6 and ppoll with the time left that
// they wrote back; poll's timeout counts from the restart).
bool resumable_after_stop(uint32_t number) {
    switch (number) {
    case 29:   // pause
    case 119:  // sigreturn
    case 173:  // rt_sigreturn
    case 179:  // rt_sigsuspend
        return false;
    default: return !is_timed_sleep(number);
    }
}

void on_system_call(InterruptFrame& frame) {
    // System calls run with interrupts on, like any thread code: they may
    // sleep, and the timer may preempt them.
    cpu::enable_interrupts();
    scheduler::current().user_frame = &frame;
    uint32_t number = frame.eax;
    SyscallArguments arguments{{frame.ebx, frame.ecx, frame.edx, frame.esi, frame.edi, frame.ebp}};
    int32_t result = -ENOSYS;
    if (number < SYSCALL_COUNT && table[number].function) {
        result = table[number].function(arguments);
    } else if (number >= SYSCALL_COUNT || !reported_missing[number]) {
        if (number < SYSCALL_COUNT) reported_missing[number] = true;
        Process* process = current_process();
        log_warning("%s[%d]: system call %u is not implemented (ENOSYS)", process ? process->name : "?",
                    process ? process->pid : 0, number);
    }
    if (tracing) {
        Process* process = current_process();
        kprintf("[%d] %s(%#x, %#x, %#x) = %d\n", process ? process->pid : 0,
                number < SYSCALL_COUNT && table[number].name ? table[number].name : "?", arguments.arg[0],
                arguments.arg[1], arguments.arg[2], result);
    }
    frame.eax = uint32_t(result);
    if (UserThread* thread = current_user_thread()) {
        bool interrupted = result == -EINTR;
        thread->signals.restartable_call = interrupted && restartable_after_signal(number) ? number : 0;
        thread->signals.call_to_resume_after_stop = interrupted && resumable_after_stop(number) ? number : 0;
        thread->signals.resume_sleep_after_stop = interrupted && is_timed_sleep(number);
    }
    cpu::disable_interrupts();
}

}  // namespace

void system_call_registered_twice(uint32_t number) {
    panic("system call %u is registered twice (%s)", number, table[number].name);
}

void install_system_calls() {
    register_file_system_calls(table, SYSCALL_COUNT);
    register_process_system_calls(table, SYSCALL_COUNT);
    register_exec_system_calls(table, SYSCALL_COUNT);
    register_signal_system_calls(table, SYSCALL_COUNT);
    register_time_system_calls(table, SYSCALL_COUNT);
    register_name_system_calls(table, SYSCALL_COUNT);
    register_memory_system_calls(table, SYSCALL_COUNT);
    register_mount_system_calls(table, SYSCALL_COUNT);
    register_poll_system_calls(table, SYSCALL_COUNT);
    register_socket_system_calls(table, SYSCALL_COUNT);
    register_event_file_system_calls(table, SYSCALL_COUNT);
    register_timer_system_calls(table, SYSCALL_COUNT);
    register_sched_system_calls(table, SYSCALL_COUNT);
    register_thread_system_calls(table, SYSCALL_COUNT);
    register_legacy_system_calls(table, SYSCALL_COUNT);
    register_identity_system_calls(table, SYSCALL_COUNT);
    register_host_name_system_calls(table, SYSCALL_COUNT);
    register_trait_system_calls(table, SYSCALL_COUNT);
    register_file_extra_system_calls(table, SYSCALL_COUNT);
    register_xattr_system_calls(table, SYSCALL_COUNT);
    register_memory_lock_system_calls(table, SYSCALL_COUNT);
    // Calls that static glibc tries at every start and does without: their
    // ENOSYS is expected, so it is not reported. (rseq, restartable
    // sequences, is per-thread scheduling help this kernel does not offer.)
    constexpr uint32_t QUIETLY_UNSUPPORTED[] = {386 /* rseq */};
    for (uint32_t number : QUIETLY_UNSUPPORTED) reported_missing[number] = true;
    tracing = kernel_command_line.has("strace");
    interrupts::register_user_vector(interrupts::SYSCALL_VECTOR, on_system_call);
}
