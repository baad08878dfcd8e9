// tests/host/support/fake_user_memory.h -- a program's memory, for host tests of ioctls.
//
// Layer: test support (host only). In the kernel, copy_from_user and
// copy_to_user (kernel/proc/user_memory.h) reach a process's 32-bit address
// space; a host pointer does not fit in 32 bits. This file defines both
// over one arena instead: user addresses FAKE_USER_BASE .. + FAKE_USER_BYTES
// are the arena's bytes, anything else is EFAULT -- so a test can hand an
// ioctl a "user pointer" and also a bad one.
#pragma once

#include <cstddef>
#include <cstdint>

constexpr uint32_t FAKE_USER_BASE = 0x10000000;
constexpr size_t FAKE_USER_BYTES = 4096;

// The arena's byte at FAKE_USER_BASE + offset.
uint8_t* fake_user_bytes(uint32_t offset = 0);
