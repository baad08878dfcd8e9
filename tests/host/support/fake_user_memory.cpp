// tests/host/support/fake_user_memory.cpp -- see fake_user_memory.h.
#include "tests/host/support/fake_user_memory.h"

#include <cstring>

#include "kernel/platform.h"
#include "kernel/proc/user_memory.h"

namespace {

uint8_t arena[FAKE_USER_BYTES];

bool inside(uint32_t address, size_t count) {
    return address >= FAKE_USER_BASE && count <= FAKE_USER_BYTES &&
           address - FAKE_USER_BASE <= FAKE_USER_BYTES - count;
}

}  // namespace

uint8_t* fake_user_bytes(uint32_t offset) { return arena + offset; }

Result<void> copy_from_user(void* destination, uint32_t user_source, size_t count) {
    if (!inside(user_source, count)) return Error{EFAULT};
    std::memcpy(destination, arena + (user_source - FAKE_USER_BASE), count);
    return {};
}

Result<void> copy_to_user(uint32_t user_destination, const void* source, size_t count) {
    if (!inside(user_destination, count)) return Error{EFAULT};
    std::memcpy(arena + (user_destination - FAKE_USER_BASE), source, count);
    return {};
}
