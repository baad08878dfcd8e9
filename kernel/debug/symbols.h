// kernel/debug/symbols.h -- names for code addresses.
//
// Layer: debugging support. The build links the kernel twice: the first
// link's function symbols are written by tools/gensyms.py into a table that
// the second link embeds in the .kernel_symbols section (see linker.ld for
// why the functions do not move). Backtraces and panics use it to print
// `Scheduler::schedule()+0x1c` instead of a bare number.
#pragma once

#include <cstdint>

struct SymbolLocation {
    const char* name;  // demangled function name, or nullptr when unknown
    uint32_t offset;   // bytes past the start of that function
};

SymbolLocation symbolize(uint32_t address);

// Prints " name+0xOFF" for an address, or " ??" when unknown.
void print_symbolized(uint32_t address);

uint32_t kernel_symbol_count();
