// kernel/proc/address_space.cpp -- page directories for user programs.
// See address_space.h.
//
// Invariants: directory entries below 768 point at page tables owned by
// this address space (present or zero); entries 768..1023 equal the kernel's.
// A present user page-table entry owns its physical page.
#include "kernel/proc/address_space.h"

#include <new>

#include "kernel/arch/x86/cpu.h"
#include "kernel/arch/x86/paging.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/string.h"
#include "kernel/mm/memory_layout.h"
#include "kernel/mm/physical_allocator.h"

namespace {

using memory_layout::PAGE_SIZE;
constexpr uint32_t ENTRIES = 1024;
constexpr uint32_t KERNEL_FIRST_ENTRY = AddressSpace::USER_END >> 22;  // 768
constexpr uint32_t ADDRESS_MASK = 0xFFFFF000;
constexpr uint32_t USER_TABLE_FLAGS = paging::PRESENT | paging::WRITABLE | paging::USER;

uint32_t* page_at(uint32_t physical) { return memory_layout::physical_to_pointer<uint32_t>(physical); }

uint32_t allocate_zeroed_page() {
    uint32_t physical = physical_allocator::allocate_page();
    if (physical) klib::memset(page_at(physical), 0, PAGE_SIZE);
    return physical;
}

}  // namespace

Result<AddressSpace*> AddressSpace::create() {
    auto* space = new (std::nothrow) AddressSpace;
    if (!space) return Error(ENOMEM);
    space->directory_physical_ = allocate_zeroed_page();
    if (!space->directory_physical_) {
        delete space;
        return Error(ENOMEM);
    }
    space->directory_ = page_at(space->directory_physical_);
    const uint32_t* kernel = page_at(paging::kernel_page_directory_physical());
    for (uint32_t i = KERNEL_FIRST_ENTRY; i < ENTRIES; ++i) space->directory_[i] = kernel[i];
    return space;
}

AddressSpace::~AddressSpace() {
    if (!directory_) return;
    for (uint32_t i = 0; i < KERNEL_FIRST_ENTRY; ++i) {
        if (!(directory_[i] & paging::PRESENT)) continue;
        uint32_t* table = page_at(directory_[i] & ADDRESS_MASK);
        for (uint32_t j = 0; j < ENTRIES; ++j) {
            if (table[j] & paging::PRESENT) physical_allocator::free_page(table[j] & ADDRESS_MASK);
        }
        physical_allocator::free_page(directory_[i] & ADDRESS_MASK);
    }
    // Never free the directory the CPU is using: switch to the kernel's first.
    if (cpu::read_cr3() == directory_physical_) cpu::write_cr3(paging::kernel_page_directory_physical());
    physical_allocator::free_page(directory_physical_);
}

uint32_t* AddressSpace::table_for(uint32_t address, bool create) {
    uint32_t& directory_entry = directory_[address >> 22];
    if (!(directory_entry & paging::PRESENT)) {
        if (!create) return nullptr;
        uint32_t table = allocate_zeroed_page();
        if (!table) return nullptr;
        directory_entry = table | USER_TABLE_FLAGS;
    }
    return page_at(directory_entry & ADDRESS_MASK);
}

uint32_t* AddressSpace::entry_for(uint32_t address, bool create) {
    uint32_t* table = table_for(address, create);
    return table ? &table[(address >> 12) & 0x3FF] : nullptr;
}

const uint32_t* AddressSpace::entry_for(uint32_t address) const {
    uint32_t directory_entry = directory_[address >> 22];
    if (!(directory_entry & paging::PRESENT)) return nullptr;
    return &page_at(directory_entry & ADDRESS_MASK)[(address >> 12) & 0x3FF];
}

Result<void> AddressSpace::map_anonymous(uint32_t start, uint32_t length, bool writable) {
    uint32_t first = memory_layout::page_round_down(start);
    uint64_t end = (uint64_t(start) + length + PAGE_SIZE - 1) & ~uint64_t(PAGE_SIZE - 1);
    if (length == 0 || end > USER_END || uint64_t(start) + length < start) return Error(EINVAL);
    for (uint64_t page = first; page < end; page += PAGE_SIZE) {
        if (is_mapped(uint32_t(page), false)) return Error(EINVAL);
    }
    uint32_t flags = paging::PRESENT | paging::USER | (writable ? uint32_t(paging::WRITABLE) : 0u);
    for (uint64_t page = first; page < end; page += PAGE_SIZE) {
        uint32_t* entry = entry_for(uint32_t(page), true);
        uint32_t physical = entry ? allocate_zeroed_page() : 0;
        if (!physical) {
            unmap(first, uint32_t(page - first));
            return Error(ENOMEM);
        }
        *entry = physical | flags;
        ++mapped_pages_;
    }
    return {};
}

void AddressSpace::unmap(uint32_t start, uint32_t length) {
    uint64_t end = uint64_t(start) + length;
    for (uint64_t page = memory_layout::page_round_down(start); page < end && page < USER_END; page += PAGE_SIZE) {
        uint32_t* entry = entry_for(uint32_t(page), false);
        if (!entry || !(*entry & paging::PRESENT)) continue;
        physical_allocator::free_page(*entry & ADDRESS_MASK);
        *entry = 0;
        --mapped_pages_;
        if (cpu::read_cr3() == directory_physical_) cpu::invalidate_page(uint32_t(page));
    }
}

void AddressSpace::protect(uint32_t start, uint32_t length, bool writable) {
    uint64_t end = uint64_t(start) + length;
    for (uint64_t page = memory_layout::page_round_down(start); page < end && page < USER_END; page += PAGE_SIZE) {
        uint32_t* entry = entry_for(uint32_t(page), false);
        if (!entry || !(*entry & paging::PRESENT)) continue;
        *entry = writable ? (*entry | paging::WRITABLE) : (*entry & ~uint32_t(paging::WRITABLE));
        if (cpu::read_cr3() == directory_physical_) cpu::invalidate_page(uint32_t(page));
    }
}

Result<AddressSpace*> AddressSpace::clone() const {
    AddressSpace* copy = TRY(create());
    for (uint32_t i = 0; i < KERNEL_FIRST_ENTRY; ++i) {
        if (!(directory_[i] & paging::PRESENT)) continue;
        const uint32_t* table = page_at(directory_[i] & ADDRESS_MASK);
        for (uint32_t j = 0; j < ENTRIES; ++j) {
            if (!(table[j] & paging::PRESENT)) continue;
            uint32_t address = (i << 22) | (j << 12);
            uint32_t* entry = copy->entry_for(address, true);
            uint32_t physical = entry ? physical_allocator::allocate_page() : 0;
            if (!physical) {
                delete copy;
                return Error(ENOMEM);
            }
            klib::memcpy(page_at(physical), page_at(table[j] & ADDRESS_MASK), PAGE_SIZE);
            *entry = physical | (table[j] & 0xFFF);
            ++copy->mapped_pages_;
        }
    }
    return copy;
}

bool AddressSpace::is_mapped(uint32_t address, bool need_writable) const {
    if (address >= USER_END) return false;
    const uint32_t* entry = entry_for(address);
    if (!entry || !(*entry & paging::PRESENT)) return false;
    return !need_writable || (*entry & paging::WRITABLE);
}

Result<void> AddressSpace::write(uint32_t address, const void* data, uint32_t length) {
    auto* source = static_cast<const uint8_t*>(data);
    while (length > 0) {
        const uint32_t* entry = address < USER_END ? entry_for(address) : nullptr;
        if (!entry || !(*entry & paging::PRESENT)) return Error(EFAULT);
        uint32_t offset = address & (PAGE_SIZE - 1);
        uint32_t chunk = PAGE_SIZE - offset < length ? PAGE_SIZE - offset : length;
        auto* page = reinterpret_cast<uint8_t*>(page_at(*entry & ADDRESS_MASK));
        if (source) klib::memcpy(page + offset, source, chunk), source += chunk;
        else klib::memset(page + offset, 0, chunk);
        address += chunk;
        length -= chunk;
    }
    return {};
}

Result<void> AddressSpace::zero(uint32_t address, uint32_t length) { return write(address, nullptr, length); }

void AddressSpace::activate() const { cpu::write_cr3(directory_physical_); }
