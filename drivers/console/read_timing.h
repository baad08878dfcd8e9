// drivers/console/read_timing.h -- when a non-canonical read is finished.
//
// Layer: character devices (pure functions: the host unit tests drive
// them; the console's read loop in console.cpp obeys them). POSIX "General
// Terminal Interface", non-canonical mode input processing:
//
//   MIN > 0, TIME = 0   block until MIN bytes (or `size`, if smaller) came
//   MIN = 0, TIME > 0   wait up to TIME tenths of a second for one byte;
//                       0 bytes when the timer runs out
//   MIN > 0, TIME > 0   block for the first byte, then an inter-byte timer
//                       of TIME tenths, restarted by each byte; return at
//                       MIN bytes or when the timer runs out
//   MIN = 0, TIME = 0   return at once with what is there (maybe nothing)
//
// Must stay true: a read never returns more than `size` bytes and never
// waits once it has `size` bytes.
#pragma once

#include <cstddef>
#include <cstdint>

struct NonCanonicalReadRule {
    size_t minimum;               // the read is done once it has this many bytes
    uint32_t timeout_ms;          // 0: no timer
    bool timer_after_first_byte;  // the timer starts with the first byte (MIN > 0)
};

enum class ReadStep {
    Done,           // return what was copied (perhaps 0 bytes)
    Wait,           // sleep until input arrives, without a timer
    WaitUntilTimer  // sleep until input arrives or the timer runs out
};

constexpr NonCanonicalReadRule noncanonical_read_rule(uint8_t vmin, uint8_t vtime, size_t size) {
    size_t minimum = vmin < size ? vmin : size;
    return {minimum, uint32_t(vtime) * 100, vmin > 0};
}

// `copied`: bytes the read has so far; `timer_expired`: the timer ran out
// (the deadline is the read's start, or with an inter-byte timer the last
// time bytes were copied).
constexpr ReadStep next_read_step(const NonCanonicalReadRule& rule, size_t copied, bool timer_expired) {
    if (rule.minimum > 0 && copied >= rule.minimum) return ReadStep::Done;
    if (rule.timeout_ms == 0) return rule.minimum == 0 ? ReadStep::Done : ReadStep::Wait;
    if (!rule.timer_after_first_byte) {  // MIN = 0, TIME > 0: one byte, or the timer
        return copied > 0 || timer_expired ? ReadStep::Done : ReadStep::WaitUntilTimer;
    }
    if (copied == 0) return ReadStep::Wait;  // the inter-byte timer has not started
    return timer_expired ? ReadStep::Done : ReadStep::WaitUntilTimer;
}
