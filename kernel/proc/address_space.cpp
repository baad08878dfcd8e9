// kernel/proc/address_space.cpp -- page directories for user programs.
// See address_space.h.
//
// Invariants: directory entries below 768 point at page tables owned by
// this address space (present or zero); entries 768..1023 equal the kernel's.
// A user page-table entry that holds a frame (PRESENT or INACCESSIBLE) holds
// one reference to it (none for the zero page, which is never counted);
// mapped_pages_ counts those entries whose frame is not the zero page,
// virtual_pages_ all of them. Every such entry lies inside a region.
#include "kernel/proc/address_space.h"

#include <new>

#include "kernel/arch/x86/cpu.h"
#include "kernel/arch/x86/interrupt_guard.h"
#include "kernel/arch/x86/paging.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/string.h"
#include "kernel/mm/memory_layout.h"
#include "kernel/mm/memory_pressure.h"
#include "kernel/mm/page_references.h"
#include "kernel/mm/physical_allocator.h"

namespace {

using memory_layout::PAGE_SIZE;
constexpr uint32_t ENTRIES = 1024;
constexpr uint32_t KERNEL_FIRST_ENTRY = AddressSpace::USER_END >> 22;  // 768
constexpr uint32_t ADDRESS_MASK = 0xFFFFF000;
constexpr uint32_t USER_TABLE_FLAGS = paging::PRESENT | paging::WRITABLE | paging::USER;
constexpr uint32_t WRITE_ACCESS = paging::WRITABLE | paging::COPY_ON_WRITE;  // either: the program may write

uint32_t* page_at(uint32_t physical) { return memory_layout::physical_to_pointer<uint32_t>(physical); }

uint32_t allocate_zeroed_page() {
    uint32_t physical = physical_allocator::allocate_page();
    if (!physical && memory_pressure::reclaim(1) != 0) physical = physical_allocator::allocate_page();
    if (physical) klib::memset(page_at(physical), 0, PAGE_SIZE);
    return physical;
}

bool is_zero_page(uint32_t entry) { return (entry & ADDRESS_MASK) == page_references::zero_frame(); }
bool holds_frame(uint32_t entry) { return entry & (paging::PRESENT | paging::INACCESSIBLE); }

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
            if (holds_frame(table[j])) page_references::drop_reference(table[j] & ADDRESS_MASK);
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

void AddressSpace::flush_page(uint32_t page) const {
    if (cpu::read_cr3() == directory_physical_) cpu::invalidate_page(page);
}

void AddressSpace::drop_page(uint32_t page, uint32_t& entry) {
    if (!is_zero_page(entry)) --mapped_pages_;
    --virtual_pages_;
    page_references::drop_reference(entry & ADDRESS_MASK);
    entry = 0;
    flush_page(page);
}

Result<void> AddressSpace::reserve_tables(uint32_t start, uint32_t end) {
    for (uint64_t address = start & ~0x3FFFFFu; address < end; address += 0x400000) {
        if (!table_for(uint32_t(address), true)) return Error(ENOMEM);
    }
    return {};
}

// The entry that maps `frame` in `region` as its protection says.
uint32_t AddressSpace::entry_for_frame(const MappedRegion& region, uint32_t frame) const {
    uint32_t entry = frame | paging::USER | (region.shared ? uint32_t(paging::SHARED_FRAME) : 0u);
    if (!(region.protection & (PROTECTION_READ | PROTECTION_WRITE | PROTECTION_EXECUTE))) {
        return entry | paging::INACCESSIBLE;
    }
    entry |= paging::PRESENT;
    if (!region.is_writable()) return entry;
    if (region.shared) return entry | paging::WRITABLE;
    return entry | (page_references::is_shared(frame) ? uint32_t(paging::COPY_ON_WRITE) : uint32_t(paging::WRITABLE));
}

// Maps [start, end) of `region`: frames[i] for page i (taken over, and set
// to 0), or the zero page when `frames` is nullptr. The page tables must
// be there (reserve_tables) and the pages free.
void AddressSpace::install_pages(const MappedRegion& region, uint32_t start, uint32_t end, uint32_t* frames) {
    for (uint32_t page = start, i = 0; page < end; page += PAGE_SIZE, ++i) {
        uint32_t frame = frames ? frames[i] : page_references::zero_frame();
        if (frames) frames[i] = 0;
        uint32_t* entry = entry_for(page, false);
        *entry = entry_for_frame(region, frame);
        if (frame != page_references::zero_frame()) ++mapped_pages_;
        ++virtual_pages_;
        flush_page(page);
    }
}

void AddressSpace::drop_pages(uint32_t start, uint32_t end) {
    for (uint64_t page = start; page < end && page < USER_END; page += PAGE_SIZE) {
        uint32_t* entry = entry_for(uint32_t(page), false);
        if (entry && holds_frame(*entry)) drop_page(uint32_t(page), *entry);
    }
}

void AddressSpace::reprotect_pages(const MappedRegion& region) {
    for (uint32_t page = region.start; page < region.end; page += PAGE_SIZE) {
        uint32_t* entry = entry_for(page, false);
        if (!entry || !holds_frame(*entry)) continue;
        *entry = entry_for_frame(region, *entry & ADDRESS_MASK) | (*entry & paging::DIRTY);
        flush_page(page);
    }
}

// Moves the entries (and so the frames) of [from, from + size) to `to`;
// the tables there must exist and the entries be free.
void AddressSpace::move_pages(uint32_t from, uint32_t to, uint32_t size) {
    for (uint32_t done = 0; done < size; done += PAGE_SIZE) {
        uint32_t* source = entry_for(from + done, false);
        if (!source || !holds_frame(*source)) continue;
        *entry_for(to + done, false) = *source;
        *source = 0;
        flush_page(from + done);
        flush_page(to + done);
    }
}

Result<AddressSpace*> AddressSpace::clone() {
    AddressSpace* copy = TRY(create());
    copy->stack_lowest_ = stack_lowest_;
    copy->stack_bottom_ = stack_bottom_;
    Result<void> shared;
    {
        InterruptGuard atomic;
        shared = copy->regions_.copy_from(regions_);
        if (!shared.is_error()) shared = share_pages_with(*copy);
        // Writable pages here became read-only: no stale TLB entry may still
        // allow a write into a frame the copy now maps too.
        if (cpu::read_cr3() == directory_physical_) activate();
    }
    if (shared.is_error()) {
        delete copy;
        return Error(shared.error());
    }
    return copy;
}

// Maps every page of this address space into `copy` too, one more
// reference each; what either may write becomes copy-on-write in both,
// unless it is a shared frame (MAP_SHARED), which both write in place.
Result<void> AddressSpace::share_pages_with(AddressSpace& copy) {
    for (uint32_t i = 0; i < KERNEL_FIRST_ENTRY; ++i) {
        if (!(directory_[i] & paging::PRESENT)) continue;
        uint32_t* table = page_at(directory_[i] & ADDRESS_MASK);
        uint32_t* copy_table = copy.table_for(i << 22, true);
        if (!copy_table) return Error(ENOMEM);
        for (uint32_t j = 0; j < ENTRIES; ++j) {
            if (!holds_frame(table[j])) continue;
            bool private_writable = (table[j] & WRITE_ACCESS) && !(table[j] & paging::SHARED_FRAME);
            if (private_writable) table[j] = (table[j] & ~WRITE_ACCESS) | paging::COPY_ON_WRITE;
            page_references::add_reference(table[j] & ADDRESS_MASK);
            copy_table[j] = table[j];
        }
    }
    copy.mapped_pages_ = mapped_pages_;
    copy.virtual_pages_ = virtual_pages_;
    return {};
}

// Gives the page of `entry` a frame no one else maps -- a copy when the
// frame is shared -- and, if it was copy-on-write, its write access back.
Result<void> AddressSpace::make_private(uint32_t page, uint32_t& entry) {
    if (entry & paging::SHARED_FRAME) return {};  // written in place, by design
    uint32_t frame = entry & ADDRESS_MASK;
    if (page_references::is_shared(frame)) {
        uint32_t copy = page_references::allocate_page();
        if (!copy) return Error(ENOMEM);
        klib::memcpy(page_at(copy), page_at(frame), PAGE_SIZE);
        if (is_zero_page(entry)) ++mapped_pages_;
        entry = copy | (entry & ~ADDRESS_MASK);
        // Dropped only now: until the copy is made, the other holders keep
        // the frame shared, so none of them writes into it meanwhile.
        page_references::drop_reference(frame);
    }
    if (entry & paging::COPY_ON_WRITE) entry = (entry & ~WRITE_ACCESS) | paging::WRITABLE;
    flush_page(page);
    return {};
}

Result<void> AddressSpace::resolve_write_fault(uint32_t address) {
    InterruptGuard atomic;
    uint32_t* entry = address < USER_END ? entry_for(address, false) : nullptr;
    if (!entry || !(*entry & paging::PRESENT) || !(*entry & paging::COPY_ON_WRITE)) return Error(EFAULT);
    return make_private(memory_layout::page_round_down(address), *entry);
}

void AddressSpace::set_stack_region(uint32_t lowest, uint32_t bottom) {
    stack_lowest_ = memory_layout::page_round_down(lowest);
    stack_bottom_ = memory_layout::page_round_down(bottom);
}

Result<void> AddressSpace::grow_stack(uint32_t address) {
    if (address < stack_lowest_ || address >= stack_bottom_) return Error(EFAULT);
    uint32_t first = memory_layout::page_round_down(address);
    TRY(map_anonymous(first, stack_bottom_ - first, true));
    stack_bottom_ = first;
    return {};
}

uint32_t AddressSpace::mapping_area_end() const {
    uint32_t below_stack = stack_lowest_ > STACK_GUARD_GAP ? stack_lowest_ - STACK_GUARD_GAP : 0;
    return below_stack < MAPPING_AREA_MOST_END ? below_stack : MAPPING_AREA_MOST_END;
}

bool AddressSpace::is_mapped(uint32_t address, bool need_writable) const {
    InterruptGuard atomic;
    const MappedRegion* region = address < USER_END ? regions_.find(address) : nullptr;
    return region && (!need_writable || region->is_writable());
}

bool AddressSpace::is_present(uint32_t address, bool store) const {
    if (address >= USER_END) return false;
    const uint32_t* entry = entry_for(address);
    if (!entry || !(*entry & paging::PRESENT)) return false;
    return !store || (*entry & paging::WRITABLE);
}

Result<void> AddressSpace::write(uint32_t address, const void* data, uint32_t length) {
    InterruptGuard atomic;
    auto* source = static_cast<const uint8_t*>(data);
    while (length > 0) {
        uint32_t* entry = address < USER_END ? entry_for(address, false) : nullptr;
        if (!entry || !(*entry & paging::PRESENT)) return Error(EFAULT);
        TRY(make_private(memory_layout::page_round_down(address), *entry));
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

Result<void> AddressSpace::residency(uint32_t start, uint32_t pages, uint8_t* out) const {
    InterruptGuard atomic;
    uint64_t end = uint64_t(start) + uint64_t(pages) * PAGE_SIZE;
    if (end > USER_END || !regions_.covers(start, uint32_t(end))) return Error(ENOMEM);
    for (uint32_t i = 0; i < pages; ++i) {
        const uint32_t* entry = entry_for(start + i * PAGE_SIZE);
        out[i] = entry && holds_frame(*entry) && !is_zero_page(*entry) ? 1 : 0;
    }
    return {};
}
