// kernel/proc/job_control.cpp -- see job_control.h.
#include "kernel/proc/job_control.h"

#include "kernel/lib/errno.h"
#include "kernel/proc/signals.h"
#include "kernel/proc/user_memory.h"

namespace {
enum JobRequest : uint32_t { TIOCGPGRP = 0x540F, TIOCSPGRP = 0x5410 };
}  // namespace

bool is_job_control_request(uint32_t request) { return request == TIOCGPGRP || request == TIOCSPGRP; }

Result<int32_t> job_control_ioctl(uint32_t request, uintptr_t argument) {
    switch (request) {
    case TIOCGPGRP: {
        // One foreground group, kept by the signal layer.
        int32_t group = console_foreground_group();
        TRY(copy_to_user(uint32_t(argument), &group, sizeof group));
        return 0;
    }
    case TIOCSPGRP: {
        int32_t group;
        TRY(copy_from_user(&group, uint32_t(argument), sizeof group));
        if (group <= 0) return Error(EINVAL);
        set_console_foreground_group(group);
        return 0;
    }
    default:
        return Error(ENOTTY);
    }
}

Result<void> check_terminal_read() { return {}; }
Result<void> check_terminal_write(bool /*tostop*/) { return {}; }

void signal_foreground_group(int signal) {
    // ESRCH (nobody in the group, e.g. only the monitor runs) is fine.
    auto sent = send_signal_to_group(console_foreground_group(), signal);
    (void)sent;
}
