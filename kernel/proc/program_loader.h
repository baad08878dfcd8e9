// kernel/proc/program_loader.h -- from an ELF file to a program ready to run.
//
// Layer: processes. load_program() reads a static i386 ELF executable
// through the VFS, builds a new address space with its PT_LOAD segments
// (file bytes copied, the rest zero, writable only where the segment says
// so), a stack laid out as Linux lays it out for a new program:
//
//     high  strings of argv and envp, 16 random bytes, "i686"
//           auxiliary vector (AT_PHDR, AT_PHNUM, AT_PAGESZ, AT_ENTRY,
//           AT_RANDOM, AT_HWCAP, ... AT_NULL), envp[] NULL, argv[] NULL
//     low   argc                                   <- the initial ESP
//
// and installs it in the process only when all of that worked (execve
// semantics: a failed load leaves the old program intact). The stack's top
// 256 KiB are mapped; below them, down to the RLIMIT_STACK of the process
// calling execve (resource_limits.h), it grows on demand (address_space.h).
// Errors: ENOENT/EACCES/... from the lookup, ENOEXEC for anything that is
// not a static ELF32 i386 executable or whose segments make no sense,
// E2BIG when arguments do not fit, ENOMEM.
#pragma once

#include <cstdint>

#include "kernel/lib/result.h"

struct Process;

struct ProgramStart {
    uint32_t entry;
    uint32_t user_stack;
};

// argv and envp: NULL-terminated arrays of kernel strings.
Result<ProgramStart> load_program(Process& process, const char* path, const char* const* argv,
                                  const char* const* envp);
