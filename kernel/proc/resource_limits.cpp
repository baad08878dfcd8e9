// kernel/proc/resource_limits.cpp -- the boot-time process limit. See the header.
#include "kernel/proc/resource_limits.h"

#include "kernel/command_line.h"
#include "kernel/lib/string.h"
#include "kernel/log.h"

namespace {

constexpr unsigned long long MOST_USER_PROCESSES = 1000000;
uint32_t user_process_limit = resource_limits::DEFAULT_MAX_USER_PROCESSES;

}  // namespace

namespace resource_limits {

void initialize() {
    const char* setting = kernel_command_line.get("max_user_processes");
    if (!setting) return;
    unsigned long long limit = 0;
    if (!klib::parse_unsigned(setting, 10, &limit) || limit < 1 || limit > MOST_USER_PROCESSES) {
        log_warning("max_user_processes=%s: not a number between 1 and %u; using %u", setting,
                    unsigned(MOST_USER_PROCESSES), unsigned(DEFAULT_MAX_USER_PROCESSES));
        return;
    }
    user_process_limit = uint32_t(limit);
    log_info("processes: at most %u per user", unsigned(user_process_limit));
}

uint32_t max_user_processes() { return user_process_limit; }

}  // namespace resource_limits
