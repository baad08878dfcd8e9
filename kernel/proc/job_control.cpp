// kernel/proc/job_control.cpp -- see job_control.h.
#include "kernel/proc/job_control.h"

#include "fs/vfs/open_flags.h"
#include "kernel/arch/x86/interrupt_guard.h"
#include "kernel/lib/errno.h"
#include "kernel/proc/process.h"
#include "kernel/proc/signals.h"
#include "kernel/proc/user_memory.h"

namespace {

enum JobRequest : uint32_t {
    TIOCSCTTY = 0x540E, TIOCGPGRP = 0x540F, TIOCSPGRP = 0x5410, TIOCNOTTY = 0x5422, TIOCGSID = 0x5429,
};

// The console's owner: its session (0: none) and foreground group.
// Changed with interrupts off.
int terminal_session = 0;
int foreground_group = 0;

// Calls visit(process) for every process, interrupts off.
template <typename Visit>
void visit_processes(Visit visit) {
    for_each_process([](Process& process, void* context) { (*static_cast<Visit*>(context))(process); }, &visit);
}

bool is_session_leader(const Process& process) { return process.session == process.pid; }

bool owns_terminal(const Process& process) {
    return process.has_controlling_terminal && terminal_session != 0 && process.session == terminal_session;
}

bool ignores_or_blocks(const Process& process, int signal) {
    return process.signals.actions[signal - 1].handler == SIG_IGN ||
           (current_user_thread() && (current_user_thread()->signals.blocked & signal_bit(signal)));
}

// A zombie still belongs to its group until it is reaped, as on Linux
// (its pid stays attached until release_task): a shell may hand the
// terminal to a pipeline whose first command has already exited.
bool group_exists_in_session(int group, int session) {
    bool found = false;
    visit_processes([&](Process& process) {
        if (process.process_group == group && process.session == session) found = true;
    });
    return found;
}

// The console stops being anybody's: every process of its session loses it.
void detach_terminal() {
    InterruptGuard atomic;
    int session = terminal_session;
    visit_processes([&](Process& process) {
        if (process.session == session) process.has_controlling_terminal = false;
    });
    terminal_session = 0;
    foreground_group = 0;
}

// Linux's disassociate_ctty / hangup: SIGHUP and SIGCONT to the foreground
// group, then the terminal is free.
void hang_up_terminal() {
    int group = console_foreground_group();
    if (group > 0) {
        (void)send_signal_to_group(group, SIGHUP);
        (void)send_signal_to_group(group, SIGCONT);
    }
    detach_terminal();
}

void attach_terminal(Process& leader) {
    InterruptGuard atomic;
    terminal_session = leader.session;
    foreground_group = leader.process_group;
    leader.has_controlling_terminal = true;
}

// tty_check_change: may the current process change the terminal (or, for
// SIGTTIN, read it)? 0 in the foreground or without this terminal;
// otherwise `signal` to its group and EINTR, or EIO.
Result<void> check_background_access(int signal, bool ignored_means_allowed) {
    Process* process = current_process();
    if (!process || !owns_terminal(*process)) return {};
    int group = process->process_group;
    if (foreground_group == 0 || group == foreground_group) return {};
    if (ignores_or_blocks(*process, signal)) {
        if (ignored_means_allowed) return {};
        return Error(EIO);
    }
    if (process_group_is_orphaned(group)) return Error(EIO);
    (void)send_signal_to_group(group, signal);
    return Error(EINTR);
}

Result<int32_t> set_foreground_group(uintptr_t argument) {
    auto allowed = check_background_access(SIGTTOU, true);
    if (allowed.is_error()) return Error(allowed.error() == EIO ? ENOTTY : allowed.error());
    int32_t group;
    TRY(copy_from_user(&group, uint32_t(argument), sizeof group));
    if (group < 0) return Error(EINVAL);
    Process& process = *current_process();
    if (!owns_terminal(process)) return Error(ENOTTY);
    // Linux: ESRCH when no process, group or session has that number,
    // EPERM when it is not a group of the caller's session.
    bool exists = find_process(group) != nullptr;
    visit_processes([&](Process& other) { exists |= other.process_group == group || other.session == group; });
    if (!exists) return Error(ESRCH);
    if (!group_exists_in_session(group, process.session)) return Error(EPERM);
    InterruptGuard atomic;
    foreground_group = group;
    return 0;
}

// TIOCSCTTY: a session leader without a controlling terminal takes the
// console; one that another session has only with argument 1 (root may
// steal it, and every process here is root).
Result<int32_t> take_as_controlling_terminal(uintptr_t argument) {
    Process& process = *current_process();
    if (is_session_leader(process) && process.session == terminal_session) return 0;
    if (!is_session_leader(process) || process.has_controlling_terminal) return Error(EPERM);
    if (terminal_session != 0) {
        if (argument != 1) return Error(EPERM);
        detach_terminal();
    }
    attach_terminal(process);
    return 0;
}

// TIOCNOTTY: the caller gives the console up; its session leader hangs it up.
Result<int32_t> give_up_controlling_terminal() {
    Process& process = *current_process();
    if (!owns_terminal(process)) return Error(ENOTTY);
    if (is_session_leader(process)) {
        hang_up_terminal();
    } else {
        InterruptGuard atomic;
        process.has_controlling_terminal = false;
    }
    return 0;
}

bool has_stopped_member(int group) {
    bool stopped = false;
    visit_processes([&](Process& process) {
        if (process.process_group == group && process.state == ProcessState::Running && process.stopped)
            stopped = true;
    });
    return stopped;
}

// POSIX: a group that this exit orphans and that has a stopped member
// gets SIGHUP and SIGCONT (nobody else could ever continue it).
void signal_newly_orphaned(int group, int session, const Process& leaving) {
    if (group == 0 || leaving.session != session) return;
    if (process_group_is_orphaned(group, nullptr)) return;  // orphaned before this exit
    if (!process_group_is_orphaned(group, &leaving) || !has_stopped_member(group)) return;
    (void)send_signal_to_group(group, SIGHUP);
    (void)send_signal_to_group(group, SIGCONT);
}

}  // namespace

bool is_job_control_request(uint32_t request) {
    return request == TIOCGPGRP || request == TIOCSPGRP || request == TIOCSCTTY || request == TIOCNOTTY ||
           request == TIOCGSID;
}

Result<int32_t> job_control_ioctl(uint32_t request, uintptr_t argument) {
    Process* process = current_process();
    if (!process) return Error(ENOTTY);
    switch (request) {
    case TIOCGPGRP:
    case TIOCGSID: {
        // Only about one's own controlling terminal (ENOTTY otherwise).
        if (!owns_terminal(*process)) return Error(ENOTTY);
        int32_t answer = request == TIOCGPGRP ? foreground_group : terminal_session;
        TRY(copy_to_user(uint32_t(argument), &answer, sizeof answer));
        return 0;
    }
    case TIOCSPGRP: return set_foreground_group(argument);
    case TIOCSCTTY: return take_as_controlling_terminal(argument);
    case TIOCNOTTY: return give_up_controlling_terminal();
    default: return Error(ENOTTY);
    }
}

Result<void> check_terminal_read() { return check_background_access(SIGTTIN, false); }

Result<void> check_terminal_write(bool tostop) {
    if (!tostop) return {};
    return check_background_access(SIGTTOU, true);
}

void signal_foreground_group(int signal) {
    int group = console_foreground_group();
    // ESRCH (nobody in the group, e.g. only the monitor runs) is fine.
    if (group > 0) (void)send_signal_to_group(group, signal);
}

int console_foreground_group() { return foreground_group; }

void terminal_opened_by(Process& process, uint32_t open_flags) {
    if (open_flags & O_NOCTTY) return;
    InterruptGuard atomic;
    if (!is_session_leader(process) || process.has_controlling_terminal || terminal_session != 0) return;
    attach_terminal(process);
}

void terminal_opened(uint32_t open_flags) {
    if (Process* process = current_process()) terminal_opened_by(*process, open_flags);
}

bool process_group_is_orphaned(int group, const Process* leaving) {
    bool orphaned = true;
    visit_processes([&](Process& process) {
        if (&process == leaving || process.process_group != group || process.state != ProcessState::Running) return;
        const Process* parent = process.parent;
        if (!parent || parent == leaving || parent->state != ProcessState::Running) return;
        if (parent->process_group != group && parent->session == process.session) orphaned = false;
    });
    return orphaned;
}

void job_control_process_exiting(Process& process) {
    if (is_session_leader(process) && owns_terminal(process)) hang_up_terminal();
    // Its own group may lose its link to the session's other groups...
    if (process.parent) signal_newly_orphaned(process.process_group, process.parent->session, process);
    // ...and so may each of its children's groups.
    int groups[16];
    int count = 0;
    visit_processes([&](Process& child) {
        if (child.parent != &process || child.process_group == process.process_group || count == 16) return;
        for (int i = 0; i < count; ++i) {
            if (groups[i] == child.process_group) return;
        }
        groups[count++] = child.process_group;
    });
    for (int i = 0; i < count; ++i) signal_newly_orphaned(groups[i], process.session, process);
}

Result<int> create_session() {
    Process& process = *current_process();
    InterruptGuard atomic;
    bool leads_a_group = false;
    visit_processes([&](Process& other) { leads_a_group |= other.process_group == process.pid; });
    if (leads_a_group) return Error(EPERM);
    process.session = process.process_group = process.pid;
    process.has_controlling_terminal = false;
    return process.pid;
}

Result<void> set_process_group(int pid, int group) {
    Process& caller = *current_process();
    if (pid == 0) pid = caller.pid;
    if (group == 0) group = pid;
    if (group < 0) return Error(EINVAL);
    InterruptGuard atomic;
    Process* target = find_process(pid);
    if (!target || target->state != ProcessState::Running) return Error(ESRCH);
    if (target->parent == &caller) {
        if (target->session != caller.session) return Error(EPERM);
        if (target->has_executed) return Error(EACCES);
    } else if (target != &caller) {
        return Error(ESRCH);
    }
    if (is_session_leader(*target)) return Error(EPERM);
    if (group != pid && !group_exists_in_session(group, caller.session)) return Error(EPERM);
    target->process_group = group;
    return {};
}

Result<int> process_group_of(int pid) {
    Process* process = pid == 0 ? current_process() : find_process(pid);
    if (!process) return Error(ESRCH);
    return process->process_group;
}

Result<int> session_of(int pid) {
    Process* process = pid == 0 ? current_process() : find_process(pid);
    if (!process) return Error(ESRCH);
    return process->session;
}
