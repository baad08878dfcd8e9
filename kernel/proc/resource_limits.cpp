// kernel/proc/resource_limits.cpp -- limit defaults, checks and the
// boot-time process limit. See the header.
#include "kernel/proc/resource_limits.h"

#include "fs/vfs/file_descriptor_table.h"
#include "kernel/command_line.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/string.h"
#include "kernel/log.h"

namespace {

constexpr unsigned long long MOST_USER_PROCESSES = 1000000;
uint32_t user_process_limit = resource_limits::DEFAULT_MAX_USER_PROCESSES;

}  // namespace

namespace resource_limits {

Limits::Limits() {
    limits_[STACK].soft = DEFAULT_STACK;
    limits_[CORE].soft = 0;
    limits_[NOFILE] = {FileDescriptorTable::MAX_DESCRIPTORS, FileDescriptorTable::MAX_DESCRIPTORS};
    limits_[NPROC] = {user_process_limit, user_process_limit};
    limits_[MEMLOCK] = {8 * 1024 * 1024, 8 * 1024 * 1024};  // Linux's MLOCK_LIMIT
    limits_[MSGQUEUE] = {819200, 819200};                    // Linux's MQ_BYTES_MAX
    limits_[NICE] = limits_[RTPRIO] = {0, 0};
    limits_[SIGPENDING] = {1024, 1024};
}

Result<Limit> Limits::get(uint32_t resource) const {
    if (resource >= COUNT) return Error(EINVAL);
    return limits_[resource];
}

Result<void> Limits::set(uint32_t resource, Limit limit) {
    if (resource >= COUNT || limit.soft > limit.hard) return Error(EINVAL);
    if (resource == NOFILE && limit.hard > uint64_t(FileDescriptorTable::MAX_DESCRIPTORS)) return Error(EPERM);
    limits_[resource] = limit;
    return {};
}

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
