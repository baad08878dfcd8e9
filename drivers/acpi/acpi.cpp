// drivers/acpi/acpi.cpp -- finding \_S5 and the PM1 control ports. See acpi.h.
//
// Field offsets are from the ACPI specification (RSDP, table header, FADT).
#include "drivers/acpi/acpi.h"

#include <cstdint>

#include "kernel/arch/x86/cpu.h"
#include "kernel/arch/x86/paging.h"
#include "kernel/lib/string.h"
#include "kernel/log.h"
#include "kernel/mm/memory_layout.h"
#include "kernel/time/monotonic_clock.h"

namespace {

struct [[gnu::packed]] RootSystemDescriptionPointer {
    char signature[8];  // "RSD PTR "
    uint8_t checksum;
    char oem_id[6];
    uint8_t revision;
    uint32_t rsdt_address;
};

struct [[gnu::packed]] TableHeader {
    char signature[4];
    uint32_t length;
    uint8_t revision, checksum;
    char oem_id[6], oem_table_id[8];
    uint32_t oem_revision, creator_id, creator_revision;
};

// The FADT fields we use, at their specified byte offsets.
constexpr uint32_t FADT_DSDT = 40, FADT_SMI_COMMAND = 48, FADT_ACPI_ENABLE = 52;
constexpr uint32_t FADT_PM1A_CONTROL = 64, FADT_PM1B_CONTROL = 68;
constexpr uint32_t FADT_CENTURY = 108;  // one byte, ACPI 1.0 and later
constexpr uint16_t SCI_ENABLED = 1 << 0, SLEEP_ENABLE = 1 << 13;
constexpr uint8_t AML_PACKAGE_OP = 0x12, AML_BYTE_PREFIX = 0x0A, AML_ZERO = 0x00, AML_ONE = 0x01;

struct PowerOffMethod {
    bool found = false;
    uint16_t pm1a_control = 0, pm1b_control = 0;
    uint32_t smi_command = 0;
    uint8_t acpi_enable_value = 0;
    uint16_t sleep_type_a = 0, sleep_type_b = 0;
} method;
uint8_t century_register = 0;  // the FADT's CENTURY field; 0: none

bool checksum_ok(const void* data, uint32_t length) {
    uint8_t sum = 0;
    for (uint32_t i = 0; i < length; ++i) sum = uint8_t(sum + static_cast<const uint8_t*>(data)[i]);
    return sum == 0;
}

const RootSystemDescriptionPointer* scan_for_rsdp(uint32_t start, uint32_t length) {
    for (uint32_t address = start; address < start + length; address += 16) {
        auto* candidate = memory_layout::physical_to_pointer<RootSystemDescriptionPointer>(address);
        if (klib::memcmp(candidate->signature, "RSD PTR ", 8) == 0 && checksum_ok(candidate, 20)) return candidate;
    }
    return nullptr;
}

const RootSystemDescriptionPointer* find_rsdp() {
    // The EBDA's segment is stored at 0x40E; the RSDP is in its first KiB
    // or in the BIOS ROM area 0xE0000 - 0xFFFFF.
    uint32_t ebda = uint32_t(*memory_layout::physical_to_pointer<uint16_t>(0x40E)) << 4;
    if (ebda >= 0x80000 && ebda < 0xA0000) {
        if (auto* rsdp = scan_for_rsdp(ebda, 1024)) return rsdp;
    }
    return scan_for_rsdp(0xE0000, 0x20000);
}

// Maps a whole table (the header says how long it is); nullptr when the
// mapping fails or the checksum is wrong.
const TableHeader* map_table(uint32_t physical) {
    auto* header = reinterpret_cast<const TableHeader*>(paging::map_device_memory(physical, sizeof(TableHeader)));
    if (!header || header->length < sizeof(TableHeader) || header->length > (1 << 20)) return nullptr;
    auto* table = reinterpret_cast<const TableHeader*>(paging::map_device_memory(physical, header->length));
    if (!table || !checksum_ok(table, table->length)) return nullptr;
    return table;
}

template <typename T>
T field(const TableHeader* table, uint32_t offset) {
    T value;
    klib::memcpy(&value, reinterpret_cast<const uint8_t*>(table) + offset, sizeof value);
    return value;
}

// One integer element of an AML package: ZeroOp, OneOp or BytePrefix n.
const uint8_t* read_small_integer(const uint8_t* cursor, uint16_t& value) {
    if (*cursor == AML_BYTE_PREFIX) {
        value = cursor[1];
        return cursor + 2;
    }
    value = *cursor == AML_ONE ? 1 : 0;
    return cursor + 1;
}

// Finds "_S5_" followed by Package(n) { SLP_TYPa, SLP_TYPb, ... } in the DSDT.
bool find_s5_sleep_types(const TableHeader* dsdt) {
    auto* bytes = reinterpret_cast<const uint8_t*>(dsdt);
    for (uint32_t i = sizeof(TableHeader); i + 12 < dsdt->length; ++i) {
        if (klib::memcmp(bytes + i, "_S5_", 4) != 0 || bytes[i + 4] != AML_PACKAGE_OP) continue;
        const uint8_t* cursor = bytes + i + 5;
        cursor += ((*cursor >> 6) & 3) + 1;  // PkgLength: its top two bits count extra bytes
        cursor += 1;                         // NumElements
        cursor = read_small_integer(cursor, method.sleep_type_a);
        read_small_integer(cursor, method.sleep_type_b);
        return true;
    }
    return false;
}

const TableHeader* find_fadt(const RootSystemDescriptionPointer* rsdp) {
    const TableHeader* rsdt = map_table(rsdp->rsdt_address);
    if (!rsdt) return nullptr;
    uint32_t entries = (rsdt->length - sizeof(TableHeader)) / 4;
    for (uint32_t i = 0; i < entries; ++i) {
        uint32_t address = field<uint32_t>(rsdt, sizeof(TableHeader) + i * 4);
        const TableHeader* table = map_table(address);
        if (table && klib::memcmp(table->signature, "FACP", 4) == 0) return table;
    }
    return nullptr;
}

}  // namespace

namespace acpi {

void initialize() {
    const RootSystemDescriptionPointer* rsdp = find_rsdp();
    if (!rsdp) {
        log_warning("acpi: no RSDP found; poweroff will only halt");
        return;
    }
    const TableHeader* fadt = find_fadt(rsdp);
    if (!fadt) {
        log_warning("acpi: no valid FADT; poweroff will only halt");
        return;
    }
    if (fadt->length > FADT_CENTURY) century_register = field<uint8_t>(fadt, FADT_CENTURY);
    method.pm1a_control = uint16_t(field<uint32_t>(fadt, FADT_PM1A_CONTROL));
    method.pm1b_control = uint16_t(field<uint32_t>(fadt, FADT_PM1B_CONTROL));
    method.smi_command = field<uint32_t>(fadt, FADT_SMI_COMMAND);
    method.acpi_enable_value = field<uint8_t>(fadt, FADT_ACPI_ENABLE);
    const TableHeader* dsdt = map_table(field<uint32_t>(fadt, FADT_DSDT));
    if (!dsdt || !find_s5_sleep_types(dsdt)) {
        log_warning("acpi: no \\_S5 sleep state in the DSDT; poweroff will only halt");
        return;
    }
    method.found = true;
    log_info("acpi: %.6s tables, poweroff through PM1a control port %#x (S5 type %u)", rsdp->oem_id,
             method.pm1a_control, method.sleep_type_a);
}

uint8_t rtc_century_register() { return century_register; }

void power_off() {
    if (!method.found || !method.pm1a_control) return;
    // Firmware starts in legacy mode; ACPI mode must be on for PM1 writes to count.
    if (!(cpu::inw(method.pm1a_control) & SCI_ENABLED) && method.smi_command && method.acpi_enable_value) {
        cpu::outb(uint16_t(method.smi_command), method.acpi_enable_value);
        uint64_t deadline = monotonic_clock::uptime_ms() + 300;
        while (!(cpu::inw(method.pm1a_control) & SCI_ENABLED) && monotonic_clock::uptime_ms() < deadline) {}
    }
    cpu::outw(method.pm1a_control, uint16_t(method.sleep_type_a << 10 | SLEEP_ENABLE));
    if (method.pm1b_control) cpu::outw(method.pm1b_control, uint16_t(method.sleep_type_b << 10 | SLEEP_ENABLE));
    // The write takes effect within moments; if we are still here, it failed.
    uint64_t deadline = monotonic_clock::uptime_ms() + 1000;
    while (monotonic_clock::uptime_ms() < deadline) cpu::halt();
}

}  // namespace acpi
