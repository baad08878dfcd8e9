// kernel/syscall/temporary_signal_mask.h -- the signal mask a waiting call
// waits with (ppoll, pselect6, epoll_pwait, epoll_pwait2).
//
// Layer: system calls. install() reads the caller's 8-byte sigset (a null
// pointer: keep the mask; another size: EINVAL) and puts it in place;
// finish() restores the old mask -- at once, or, when the wait ended with
// EINTR, after the handler of the signal that cut it short has been set up,
// as Linux does (signals.h: restore_blocked_signals_after_call).
#pragma once

#include <cstdint>

#include "kernel/lib/errno.h"
#include "kernel/proc/signals.h"
#include "kernel/proc/user_memory.h"

class TemporarySignalMask {
public:
    static constexpr uint32_t SIGSET_SIZE = 8;

    Result<void> install(uint32_t user_mask, uint32_t size) {
        if (!user_mask) return {};
        if (size != SIGSET_SIZE) return Error(EINVAL);
        uint64_t mask;
        TRY(copy_from_user(&mask, user_mask, sizeof mask));
        old_mask_ = replace_blocked_signals(mask);
        installed_ = true;
        return {};
    }
    int32_t finish(int32_t result) {
        if (installed_) restore_blocked_signals_after_call(old_mask_, result == -EINTR);
        return result;
    }

private:
    uint64_t old_mask_ = 0;
    bool installed_ = false;
};
