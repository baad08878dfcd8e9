// kernel/proc/process_traits.h -- the settings a process keeps only to
// report back: its nice value, its I/O priority, its personality.
//
// Layer: processes. Linux programs set these (nice, setpriority,
// ioprio_set, personality) and read them back; this kernel's scheduler
// gives every thread the same time slice and its block layer has no
// per-process classes, so the values change nothing but what is read back.
// They are inherited at fork and kept over execve, as on Linux.
// kernel/syscall/syscall_identity.cpp is their only writer.
#pragma once

#include <cstdint>

struct ProcessTraits {
    static constexpr int NICE_MIN = -20, NICE_MAX = 19;

    int nice = 0;                  // NICE_MIN..NICE_MAX
    uint16_t io_priority = 0;      // ioprio_set's value: class << 13 | data; 0: none set
    uint32_t personality = 0;      // PER_LINUX (0) and whatever flags were asked for
};
