// drivers/ata/ata_registers.h -- the numbers of the ATA interface, in one place.
//
// Layer: device driver (ATA), the vocabulary only: register offsets, status
// and error bits, device control bits, command codes, the words of IDENTIFY
// DEVICE data we use, and the bus master IDE registers. Nothing here touches
// hardware; ata_channel.* does the port I/O, ata_disk.* speaks the protocol.
//
// Must stay true: only constants live here, each as the specification
// gives it, so the other files can be read against the standard.
//
// Sources: ATA/ATAPI-6 (T13 1410D): the clause "Register descriptions" for
// the command and control block registers, the clause "Command
// descriptions" for each command's code and inputs, and the IDENTIFY DEVICE
// table for its words. SFF-8038i ("Bus Master Programming Interface for
// IDE ATA Controllers") for the bus master registers and the PRD format.
#pragma once

#include <cstdint>

namespace ata {

constexpr uint32_t SECTOR_BYTES = 512;
constexpr uint32_t WORDS_PER_SECTOR = SECTOR_BYTES / 2;

// --- Command block registers: offsets from the channel's command base
// (0x1F0 primary, 0x170 secondary in legacy mode). Some offsets name two
// registers: one read, one written.
enum CommandRegister : uint16_t {
    REG_DATA = 0,           // 16-bit PIO data port
    REG_ERROR = 1,          // read: why the last command failed (ERR set)
    REG_FEATURES = 1,       // write: a command's sub-operation (SET FEATURES)
    REG_SECTOR_COUNT = 2,   // sectors to transfer (0 means 256, or 65536 with LBA48)
    REG_LBA_LOW = 3,        // LBA bits 0-7 (LBA48: 24-31 written first)
    REG_LBA_MID = 4,        // LBA bits 8-15 (32-39); the signature after reset
    REG_LBA_HIGH = 5,       // LBA bits 16-23 (40-47); the signature after reset
    REG_DEVICE = 6,         // drive select, LBA mode, LBA28 bits 24-27
    REG_STATUS = 7,         // read: status, and reading it acknowledges INTRQ
    REG_COMMAND = 7,        // write: starts a command
};

// --- Control block register: at the channel's control base (0x3F6, 0x376).
// Reading is Alternate Status (status without acknowledging the interrupt);
// writing is Device Control.
constexpr uint16_t REG_ALTERNATE_STATUS = 0;
constexpr uint16_t REG_DEVICE_CONTROL = 0;

// Device Control bits.
constexpr uint8_t CONTROL_INTERRUPTS_DISABLED = 1u << 1;  // nIEN: the device does not assert INTRQ
constexpr uint8_t CONTROL_SOFTWARE_RESET = 1u << 2;       // SRST: resets both devices of the channel
constexpr uint8_t CONTROL_HIGH_ORDER_BYTE = 1u << 7;      // HOB: read back the LBA48 high bytes

// Status bits.
constexpr uint8_t STATUS_ERROR = 1u << 0;          // ERR: see the error register
constexpr uint8_t STATUS_DATA_REQUEST = 1u << 3;   // DRQ: ready to move a data block
constexpr uint8_t STATUS_DEVICE_FAULT = 1u << 5;   // DF: the device cannot go on
constexpr uint8_t STATUS_READY = 1u << 6;          // DRDY: accepts commands
constexpr uint8_t STATUS_BUSY = 1u << 7;           // BSY: no other bit is valid while set
// What a channel without any device reads: the data lines float high.
constexpr uint8_t STATUS_FLOATING_BUS = 0xFF;

// Error bits (valid when STATUS_ERROR is set).
constexpr uint8_t ERROR_ABORTED = 1u << 2;              // ABRT: command not supported or not done
constexpr uint8_t ERROR_ID_NOT_FOUND = 1u << 4;         // IDNF: sector address not found
constexpr uint8_t ERROR_UNCORRECTABLE = 1u << 6;        // UNC: the data could not be read
constexpr uint8_t ERROR_INTERFACE_CRC = 1u << 7;        // ICRC: UDMA transfer damaged on the cable

// Device register: bits 7 and 5 are obsolete and written as ones.
constexpr uint8_t DEVICE_OBSOLETE_BITS = 0xA0;
constexpr uint8_t DEVICE_LBA = 1u << 6;     // the address is an LBA, not cylinder/head/sector
constexpr uint8_t DEVICE_SLAVE = 1u << 4;   // DEV: 0 selects device 0 (master), 1 device 1 (slave)

// Signatures in LBA mid/high after a reset or a failed IDENTIFY DEVICE
// (ATA/ATAPI-6, "Signature and persistence"; SATA adds its own).
constexpr uint8_t SIGNATURE_ATA_MID = 0x00, SIGNATURE_ATA_HIGH = 0x00;
constexpr uint8_t SIGNATURE_ATAPI_MID = 0x14, SIGNATURE_ATAPI_HIGH = 0xEB;
constexpr uint8_t SIGNATURE_SATA_ATAPI_MID = 0x69, SIGNATURE_SATA_ATAPI_HIGH = 0x96;
constexpr uint8_t SIGNATURE_SATA_MID = 0x3C, SIGNATURE_SATA_HIGH = 0xC3;

// Command codes (ATA/ATAPI-6, "Command descriptions").
enum Command : uint8_t {
    COMMAND_READ_SECTORS = 0x20,         // PIO data-in, LBA28
    COMMAND_READ_SECTORS_EXT = 0x24,     // PIO data-in, LBA48
    COMMAND_READ_DMA_EXT = 0x25,
    COMMAND_READ_MULTIPLE_EXT = 0x29,
    COMMAND_WRITE_SECTORS = 0x30,        // PIO data-out, LBA28
    COMMAND_WRITE_SECTORS_EXT = 0x34,
    COMMAND_WRITE_DMA_EXT = 0x35,
    COMMAND_WRITE_MULTIPLE_EXT = 0x39,
    COMMAND_IDENTIFY_PACKET_DEVICE = 0xA1,
    COMMAND_READ_MULTIPLE = 0xC4,        // PIO data-in, one interrupt per DRQ block of several sectors
    COMMAND_WRITE_MULTIPLE = 0xC5,
    COMMAND_SET_MULTIPLE_MODE = 0xC6,    // sets the sectors per DRQ block of READ/WRITE MULTIPLE
    COMMAND_READ_DMA = 0xC8,
    COMMAND_WRITE_DMA = 0xCA,
    COMMAND_FLUSH_CACHE = 0xE7,
    COMMAND_FLUSH_CACHE_EXT = 0xEA,
    COMMAND_IDENTIFY_DEVICE = 0xEC,
    COMMAND_SET_FEATURES = 0xEF,
};

// SET FEATURES subcommand (features register) and its transfer-mode values
// (sector count register): 0x20 | n multiword DMA mode n, 0x40 | n UDMA mode n.
constexpr uint8_t FEATURE_SET_TRANSFER_MODE = 0x03;
constexpr uint8_t TRANSFER_MODE_MULTIWORD_DMA = 0x20;
constexpr uint8_t TRANSFER_MODE_ULTRA_DMA = 0x40;

// Addressing limits: LBA28 carries 28 bits of address and 8 of count,
// LBA48 48 and 16 (a count of 0 meaning the maximum).
constexpr uint64_t LBA28_SECTOR_LIMIT = 1ull << 28;  // 128 GiB
constexpr uint32_t LBA28_MAX_SECTORS_PER_COMMAND = 256;
constexpr uint32_t LBA48_MAX_SECTORS_PER_COMMAND = 65536;

// --- IDENTIFY DEVICE data: 256 little-endian words (ATA/ATAPI-6, the
// IDENTIFY DEVICE table). Strings hold two characters per word, the first
// in the high byte.
enum IdentifyWord : uint16_t {
    IDENTIFY_GENERAL_CONFIGURATION = 0,  // bit 15 set: not an ATA device
    IDENTIFY_SERIAL_NUMBER = 10,         // words 10-19, 20 characters
    IDENTIFY_FIRMWARE_REVISION = 23,     // words 23-26, 8 characters
    IDENTIFY_MODEL_NUMBER = 27,          // words 27-46, 40 characters
    IDENTIFY_MAX_SECTORS_PER_MULTIPLE = 47,  // bits 7-0
    IDENTIFY_CAPABILITIES = 49,          // bit 8 DMA, bit 9 LBA
    IDENTIFY_FIELD_VALIDITY = 53,        // bit 2: word 88 is valid
    IDENTIFY_LBA28_SECTORS = 60,         // words 60-61
    IDENTIFY_MULTIWORD_DMA = 63,         // bits 2-0 supported modes
    IDENTIFY_COMMAND_SETS_SUPPORTED = 83,  // bit 10: 48-bit addresses, 12/13: FLUSH CACHE (EXT)
    IDENTIFY_COMMAND_SETS_ENABLED = 86,    // bit 10: 48-bit addresses enabled
    IDENTIFY_ULTRA_DMA = 88,             // bits 6-0 supported modes, 14-8 selected
    IDENTIFY_LBA48_SECTORS = 100,        // words 100-103
};
constexpr uint16_t IDENTIFY_NOT_ATA = 1u << 15;
constexpr uint16_t CAPABILITY_DMA = 1u << 8;
constexpr uint16_t CAPABILITY_LBA = 1u << 9;
constexpr uint16_t FIELD_VALIDITY_ULTRA_DMA = 1u << 2;
constexpr uint16_t COMMAND_SET_LBA48 = 1u << 10;
constexpr uint16_t COMMAND_SET_FLUSH_CACHE = 1u << 12;
constexpr uint16_t COMMAND_SET_FLUSH_CACHE_EXT = 1u << 13;
// Words 83 and 86 are valid only when bits 15-14 read 01.
constexpr uint16_t COMMAND_SET_VALIDITY_MASK = 0xC000, COMMAND_SET_VALID = 0x4000;

// --- Bus master IDE registers (SFF-8038i, "Bus Master IDE Register
// Description"): at BAR4, eight ports per channel (primary at +0,
// secondary at +8).
constexpr uint16_t BUS_MASTER_CHANNEL_STRIDE = 8;
enum BusMasterRegister : uint16_t {
    BM_COMMAND = 0,       // bit 0 start/stop, bit 3 direction
    BM_STATUS = 2,        // see below; bits 1 and 2 clear by writing 1
    BM_PRD_TABLE = 4,     // 32-bit physical address of the PRD table, dword aligned
};
constexpr uint8_t BM_COMMAND_START = 1u << 0;
constexpr uint8_t BM_COMMAND_READ = 1u << 3;  // the controller writes memory: a disk read
constexpr uint8_t BM_STATUS_ACTIVE = 1u << 0;
constexpr uint8_t BM_STATUS_ERROR = 1u << 1;      // the controller could not reach memory
constexpr uint8_t BM_STATUS_INTERRUPT = 1u << 2;  // the device raised INTRQ
constexpr uint8_t BM_STATUS_DRIVE0_DMA_CAPABLE = 1u << 5;
constexpr uint8_t BM_STATUS_DRIVE1_DMA_CAPABLE = 1u << 6;

// PCI programming interface byte of an IDE controller (PCI IDE Controller
// Specification): per channel, "native" mode (own BARs, PCI interrupt) or
// "compatibility" mode (the ISA ports and IRQs 14/15); bit 7: bus master.
constexpr uint8_t PROG_IF_PRIMARY_NATIVE = 1u << 0;
constexpr uint8_t PROG_IF_SECONDARY_NATIVE = 1u << 2;
constexpr uint8_t PROG_IF_BUS_MASTER = 1u << 7;

struct LegacyChannelPorts {
    uint16_t command_base, control_base;
    uint8_t irq;
};
constexpr LegacyChannelPorts LEGACY_PRIMARY = {0x1F0, 0x3F6, 14};
constexpr LegacyChannelPorts LEGACY_SECONDARY = {0x170, 0x376, 15};

}  // namespace ata
