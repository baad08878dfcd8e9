// kernel/debug/symbols.cpp -- lookup in the embedded symbol table.
//
// Table layout, written by tools/gensyms.py (all little-endian):
//   uint32 magic "KSYM", uint32 count,
//   count x { uint32 address, uint32 name offset }  sorted by address,
//   then the NUL-terminated names the offsets point into.
#include "kernel/debug/symbols.h"

#include "kernel/log.h"

extern "C" const uint8_t kernel_symbols_start[], kernel_symbols_end[];
extern "C" const uint8_t kernel_text_start[], kernel_text_end[];

namespace {

constexpr uint32_t SYMBOL_TABLE_MAGIC = 0x4D59534B;  // "KSYM"

struct SymbolEntry {
    uint32_t address;
    uint32_t name_offset;
};

struct SymbolTable {
    const SymbolEntry* entries = nullptr;
    uint32_t count = 0;
    const char* names = nullptr;
    uint32_t names_size = 0;
};

SymbolTable load_table() {
    SymbolTable table;
    uint32_t size = uint32_t(kernel_symbols_end - kernel_symbols_start);
    if (size < 8) return table;
    auto* words = reinterpret_cast<const uint32_t*>(kernel_symbols_start);
    if (words[0] != SYMBOL_TABLE_MAGIC) return table;
    uint32_t count = words[1];
    if (8 + uint64_t(count) * sizeof(SymbolEntry) > size) return table;
    table.entries = reinterpret_cast<const SymbolEntry*>(words + 2);
    table.count = count;
    table.names = reinterpret_cast<const char*>(table.entries + count);
    table.names_size = size - 8 - count * sizeof(SymbolEntry);
    return table;
}

}  // namespace

SymbolLocation symbolize(uint32_t address) {
    static const SymbolTable table = load_table();
    if (table.count == 0 || address < uint32_t(kernel_text_start) || address >= uint32_t(kernel_text_end)) {
        return {nullptr, 0};
    }
    // Binary search for the last symbol at or below the address.
    uint32_t low = 0, high = table.count;
    while (high - low > 1) {
        uint32_t middle = low + (high - low) / 2;
        if (table.entries[middle].address <= address) low = middle;
        else high = middle;
    }
    const SymbolEntry& entry = table.entries[low];
    if (entry.address > address || entry.name_offset >= table.names_size) return {nullptr, 0};
    return {table.names + entry.name_offset, address - entry.address};
}

void print_symbolized(uint32_t address) {
    SymbolLocation location = symbolize(address);
    if (location.name) kprintf(" %s+%#x", location.name, location.offset);
    else kprintf(" ??");
}

uint32_t kernel_symbol_count() { return load_table().count; }
