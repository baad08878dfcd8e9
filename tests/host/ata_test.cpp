// tests/host/ata_test.cpp -- the pure parts of the ATA driver: PRD tables
// (the 64 KiB rule, page translation, alignment), IDENTIFY DEVICE data, and
// the PIO walk over a merged chain's segments.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "drivers/ata/ata_commands.h"
#include "drivers/ata/ata_identify.h"
#include "drivers/ata/ata_registers.h"
#include "drivers/ata/prd_table.h"
#include "drivers/ata/segment_cursor.h"
#include "drivers/block/request_merge.h"

using ata::PrdEntry;
using ata::PrdTableBuilder;

namespace {

// "Virtual" addresses in these tests are small numbers; the translations
// below map them to physical addresses the way the kernel's pages could.
uint32_t identity_plus_one_mib(uintptr_t address) { return uint32_t(address) + 0x100000; }

// Each 4 KiB page lands in reverse order within a 64 KiB window at 1 MiB:
// virtual page n -> physical page 15 - n. Nothing is contiguous.
uint32_t scrambled_pages(uintptr_t address) {
    uint32_t page = uint32_t(address / 4096) % 16;
    return 0x100000 + (15 - page) * 4096 + uint32_t(address % 4096);
}

uint32_t nothing_mapped(uintptr_t) { return 0; }

uint32_t length_of(const PrdEntry& entry) { return entry.byte_count ? entry.byte_count : 65536; }

void expect_entries_keep_the_rules(const PrdEntry* table, uint32_t count) {
    for (uint32_t i = 0; i < count; ++i) {
        uint32_t start = table[i].physical_address, length = length_of(table[i]);
        EXPECT_EQ(start / 65536, (start + length - 1) / 65536) << "entry " << i << " crosses 64 KiB";
        EXPECT_EQ(start % 2, 0u);
        EXPECT_EQ(length % 2, 0u);
        EXPECT_EQ(table[i].flags, i + 1 == count ? ata::PRD_END_OF_TABLE : 0) << "entry " << i;
    }
}

}  // namespace

TEST(PrdTable, ContiguousMemoryWithinOneWindowIsOneEntry) {
    PrdEntry table[8];
    PrdTableBuilder builder(table, 8, identity_plus_one_mib);
    ASSERT_EQ(builder.add(reinterpret_cast<void*>(0x2000), 3 * 4096), PrdTableBuilder::Status::Ok);
    ASSERT_EQ(builder.finish(), 1u);
    EXPECT_EQ(table[0].physical_address, 0x102000u);
    EXPECT_EQ(table[0].byte_count, 3 * 4096);
    expect_entries_keep_the_rules(table, 1);
}

TEST(PrdTable, ASegmentCrossingA64KiBBoundaryIsSplitThere) {
    PrdEntry table[8];
    PrdTableBuilder builder(table, 8, identity_plus_one_mib);
    // Physical 0x10F000 .. 0x111000: 4 KiB before and 4 KiB after 0x110000.
    ASSERT_EQ(builder.add(reinterpret_cast<void*>(0xF000), 8192), PrdTableBuilder::Status::Ok);
    ASSERT_EQ(builder.finish(), 2u);
    EXPECT_EQ(table[0].physical_address, 0x10F000u);
    EXPECT_EQ(length_of(table[0]), 4096u);
    EXPECT_EQ(table[1].physical_address, 0x110000u);
    EXPECT_EQ(length_of(table[1]), 4096u);
    expect_entries_keep_the_rules(table, 2);
}

TEST(PrdTable, AWhole64KiBWindowIsOneEntryWithCountZero) {
    PrdEntry table[8];
    PrdTableBuilder builder(table, 8, identity_plus_one_mib);
    ASSERT_EQ(builder.add(reinterpret_cast<void*>(0x10000), 65536), PrdTableBuilder::Status::Ok);
    ASSERT_EQ(builder.finish(), 1u);
    EXPECT_EQ(table[0].byte_count, 0);  // means 65536
    EXPECT_EQ(builder.total_bytes(), 65536u);
}

TEST(PrdTable, AdjacentSegmentsJoinButNeverAcrossABoundary) {
    PrdEntry table[8];
    PrdTableBuilder builder(table, 8, identity_plus_one_mib);
    // Two 40 KiB segments back to back from 0x8000: 0x108000..0x11C000 crosses 0x110000 once.
    ASSERT_EQ(builder.add(reinterpret_cast<void*>(0x8000), 40960), PrdTableBuilder::Status::Ok);
    ASSERT_EQ(builder.add(reinterpret_cast<void*>(0x8000 + 40960), 40960), PrdTableBuilder::Status::Ok);
    ASSERT_EQ(builder.finish(), 2u);
    EXPECT_EQ(length_of(table[0]), 0x8000u);
    EXPECT_EQ(length_of(table[1]), 81920u - 0x8000u);
    expect_entries_keep_the_rules(table, 2);
}

TEST(PrdTable, PagesThatAreNotPhysicallyContiguousGetAnEntryEach) {
    PrdEntry table[32];
    PrdTableBuilder builder(table, 32, scrambled_pages);
    // 3 pages starting in the middle of page 1: a partial page, one whole, a partial.
    ASSERT_EQ(builder.add(reinterpret_cast<void*>(0x1800), 3 * 4096), PrdTableBuilder::Status::Ok);
    ASSERT_EQ(builder.finish(), 4u);
    EXPECT_EQ(table[0].physical_address, 0x100000u + 14 * 4096 + 0x800);
    EXPECT_EQ(length_of(table[0]), 0x800u);
    EXPECT_EQ(table[1].physical_address, 0x100000u + 13 * 4096);
    EXPECT_EQ(length_of(table[1]), 4096u);
    EXPECT_EQ(table[3].physical_address, 0x100000u + 11 * 4096);
    EXPECT_EQ(length_of(table[3]), 0x800u);
    EXPECT_EQ(builder.total_bytes(), 3u * 4096);
    expect_entries_keep_the_rules(table, 4);
}

TEST(PrdTable, ManySegmentsOfA1MiBRequestKeepEveryRule) {
    std::vector<PrdEntry> table(512);
    PrdTableBuilder builder(table.data(), 512, identity_plus_one_mib);
    uintptr_t address = 0x3200;  // deliberately off every boundary
    for (int i = 0; i < 32; ++i) {
        ASSERT_EQ(builder.add(reinterpret_cast<void*>(address), 32768), PrdTableBuilder::Status::Ok);
        address += 32768 + 512;  // a gap: segments are not adjacent
    }
    uint32_t count = builder.finish();
    EXPECT_EQ(builder.total_bytes(), 1u << 20);
    expect_entries_keep_the_rules(table.data(), count);
    uint64_t sum = 0;
    for (uint32_t i = 0; i < count; ++i) sum += length_of(table[i]);
    EXPECT_EQ(sum, 1u << 20);
}

TEST(PrdTable, OddAddressesOrLengthsAreRefused) {
    PrdEntry table[4];
    PrdTableBuilder odd_address(table, 4, identity_plus_one_mib);
    EXPECT_EQ(odd_address.add(reinterpret_cast<void*>(0x1001), 512), PrdTableBuilder::Status::OddAlignment);
    PrdTableBuilder odd_length(table, 4, identity_plus_one_mib);
    EXPECT_EQ(odd_length.add(reinterpret_cast<void*>(0x1000), 511), PrdTableBuilder::Status::OddAlignment);
}

TEST(PrdTable, UnmappedMemoryAndAFullTableAreReported) {
    PrdEntry table[2];
    PrdTableBuilder unmapped(table, 2, nothing_mapped);
    EXPECT_EQ(unmapped.add(reinterpret_cast<void*>(0x1000), 512), PrdTableBuilder::Status::NotMapped);
    PrdTableBuilder full(table, 2, scrambled_pages);
    EXPECT_EQ(full.add(reinterpret_cast<void*>(0x0), 3 * 4096), PrdTableBuilder::Status::TableFull);
}

// --- IDENTIFY DEVICE ----------------------------------------------------------

namespace {

void put_string(uint16_t* words, const char* text, int word_count) {
    std::string padded(text);
    padded.resize(size_t(word_count) * 2, ' ');
    for (int i = 0; i < word_count; ++i) words[i] = uint16_t(uint8_t(padded[2 * i]) << 8 | uint8_t(padded[2 * i + 1]));
}

// What QEMU's IDE disk of 16384 sectors answers, in the words we read.
std::vector<uint16_t> qemu_like_identify(uint64_t sectors, bool lba48) {
    std::vector<uint16_t> words(256, 0);
    put_string(&words[10], "QM00001", 10);
    put_string(&words[23], "2.5+", 4);
    put_string(&words[27], "QEMU HARDDISK", 20);
    words[47] = 0x8000 | 16;
    words[49] = (1u << 8) | (1u << 9);
    words[53] = 0x0007;
    uint64_t lba28 = sectors < (1ull << 28) ? sectors : (1ull << 28) - 1;
    words[60] = uint16_t(lba28);
    words[61] = uint16_t(lba28 >> 16);
    words[63] = 0x0007;
    words[83] = 0x4000 | (1u << 12) | (1u << 13) | (lba48 ? (1u << 10) : 0);
    words[86] = lba48 ? (1u << 10) : 0;
    words[88] = 0x203F;  // UDMA 0-5 supported, 5 selected
    for (int i = 0; i < 4; ++i) words[100 + i] = lba48 ? uint16_t(sectors >> (16 * i)) : 0;
    return words;
}

}  // namespace

TEST(IdentifyData, ReadsModelSerialAndCapacity) {
    auto words = qemu_like_identify(16384, true);
    ata::IdentifyData data = ata::parse_identify_data(words.data());
    EXPECT_STREQ(data.model, "QEMU HARDDISK");
    EXPECT_STREQ(data.serial, "QM00001");
    EXPECT_STREQ(data.firmware, "2.5+");
    EXPECT_EQ(data.sectors, 16384u);
    EXPECT_TRUE(data.lba);
    EXPECT_TRUE(data.lba48);
    EXPECT_EQ(data.max_sectors_per_multiple, 16);
    EXPECT_TRUE(data.flush_cache);
}

TEST(IdentifyData, CommandSetWordsCountOnlyWhenMarkedValid) {
    auto words = qemu_like_identify(16384, true);
    words[83] = 0xFFFF;  // an old device: bits 15-14 are not 01
    ata::IdentifyData data = ata::parse_identify_data(words.data());
    EXPECT_FALSE(data.lba48);
    EXPECT_FALSE(data.flush_cache);
    EXPECT_EQ(data.sectors, 16384u);  // from words 60-61
}

TEST(IdentifyData, Lba48CapacityBeyond128GiBComesFromWords100To103) {
    uint64_t sectors = (130ull << 30) / 512;
    auto words = qemu_like_identify(sectors, true);
    ata::IdentifyData data = ata::parse_identify_data(words.data());
    EXPECT_EQ(data.sectors, sectors);
}

TEST(IdentifyData, WithoutLba48TheLba28CapacityCounts) {
    auto words = qemu_like_identify(100000, false);
    words[100] = 0xFFFF;  // ignored when the feature is not enabled
    ata::IdentifyData data = ata::parse_identify_data(words.data());
    EXPECT_FALSE(data.lba48);
    EXPECT_EQ(data.sectors, 100000u);
}

TEST(IdentifyData, NamesTheBestDmaMode) {
    auto words = qemu_like_identify(16384, true);
    ata::IdentifyData data = ata::parse_identify_data(words.data());
    EXPECT_TRUE(data.dma);
    EXPECT_EQ(data.ultra_dma_mode, 5);
    EXPECT_STREQ(ata::best_dma_mode_name(data), "UDMA5");
    words[53] = 0;  // word 88 not valid: multiword DMA only
    data = ata::parse_identify_data(words.data());
    EXPECT_STREQ(ata::best_dma_mode_name(data), "MWDMA2");
    words[49] &= uint16_t(~(1u << 8));
    data = ata::parse_identify_data(words.data());
    EXPECT_FALSE(data.dma);
    EXPECT_STREQ(ata::best_dma_mode_name(data), "PIO");
}

TEST(IdentifyData, ADeviceWithoutLbaHasNoUsableCapacity) {
    auto words = qemu_like_identify(16384, false);
    words[49] &= uint16_t(~(1u << 9));
    EXPECT_EQ(ata::parse_identify_data(words.data()).sectors, 0u);
}

// --- SegmentCursor --------------------------------------------------------------

TEST(SegmentCursor, WalksSectorsAcrossSegmentsAndMergedRequests) {
    // Three sectors over a chain of two requests, with gaps between the
    // segments: the leader's first sector is split (100 + 412 bytes), its
    // second lies in one segment, the follower's sector is split again.
    std::vector<uint8_t> memory(4096, 0);
    uint8_t* base = memory.data();
    Request leader, follower;
    leader.sector = 10;
    ASSERT_TRUE(leader.add_segment(base, 100));
    ASSERT_TRUE(leader.add_segment(base + 200, 412));
    ASSERT_TRUE(leader.add_segment(base + 1000, 512));
    follower.sector = 12;
    ASSERT_TRUE(follower.add_segment(base + 2000, 300));
    ASSERT_TRUE(follower.add_segment(base + 2400, 212));
    ASSERT_TRUE(merge_back(leader, follower, BlockDeviceLimits{}));  // as the scheduler chains them

    // Write sector-sized blocks 0xA0, 0xA1, 0xA2 through the cursor, as PIO
    // data-in would, then read them back as data-out would.
    ata::SegmentCursor writer(leader);
    for (int sector = 0; sector < 3; ++sector) {
        uint8_t block[512];
        std::memset(block, 0xA0 + sector, sizeof block);
        if (uint8_t* in_place = writer.contiguous(512)) {
            std::memcpy(in_place, block, 512);
            writer.advance(512);
        } else {
            writer.copy_from(block, 512);
        }
    }
    EXPECT_TRUE(writer.at_end());

    ata::SegmentCursor reader(leader);
    for (int sector = 0; sector < 3; ++sector) {
        uint8_t block[512];
        reader.copy_to(block, 512);
        for (uint8_t byte : block) ASSERT_EQ(byte, 0xA0 + sector) << "sector " << sector;
    }
    EXPECT_TRUE(reader.at_end());
    // The gaps between segments were never touched.
    EXPECT_EQ(memory[150], 0);
    EXPECT_EQ(memory[1600], 0);
    EXPECT_EQ(memory[2350], 0);
    EXPECT_EQ(memory[1000], 0xA1);  // the in-place sector
}

TEST(SegmentCursor, OffersWholeSectorsInPlaceWhenASegmentHoldsThem) {
    std::vector<uint8_t> memory(2048);
    Request request;
    ASSERT_TRUE(request.add_segment(memory.data(), 1024));
    ASSERT_TRUE(request.add_segment(memory.data() + 1024, 1024));
    ata::SegmentCursor cursor(request);
    for (int sector = 0; sector < 4; ++sector) {
        EXPECT_EQ(cursor.contiguous(512), memory.data() + sector * 512);
        cursor.advance(512);
    }
    EXPECT_TRUE(cursor.at_end());
    EXPECT_EQ(cursor.contiguous(512), nullptr);
}

// ------------------------------------------------------------------ commands

using ata::choose_transfer_command;
using ata::TransferProtocol;

TEST(TransferCommand, Lba28CommandsWhileTheyCanCarryTheTransfer) {
    // 256 sectors is the most a 28-bit count says (as 0); the last sector
    // below 2^28 is still addressable.
    auto read = choose_transfer_command(false, TransferProtocol::Dma, 0, 256, true);
    EXPECT_EQ(read.opcode, ata::COMMAND_READ_DMA);
    EXPECT_FALSE(read.lba48);
    auto write = choose_transfer_command(true, TransferProtocol::PioMultiple, (1u << 28) - 8, 8, false);
    EXPECT_EQ(write.opcode, ata::COMMAND_WRITE_MULTIPLE);
    EXPECT_FALSE(write.lba48);
    EXPECT_EQ(choose_transfer_command(false, TransferProtocol::PioSectors, 0, 1, false).opcode,
              ata::COMMAND_READ_SECTORS);
}

TEST(TransferCommand, MoreThan256SectorsOrAddressesBeyond128GiBTakeTheExtCommands) {
    auto large_read = choose_transfer_command(false, TransferProtocol::Dma, 100, 2048, true);
    EXPECT_EQ(large_read.opcode, ata::COMMAND_READ_DMA_EXT);
    EXPECT_TRUE(large_read.lba48);
    EXPECT_EQ(choose_transfer_command(true, TransferProtocol::Dma, 100, 257, true).opcode,
              ata::COMMAND_WRITE_DMA_EXT);
    EXPECT_EQ(choose_transfer_command(true, TransferProtocol::PioMultiple, 0, 65536, true).opcode,
              ata::COMMAND_WRITE_MULTIPLE_EXT);
    EXPECT_EQ(choose_transfer_command(false, TransferProtocol::PioSectors, (1u << 28) - 1, 2, true).opcode,
              ata::COMMAND_READ_SECTORS_EXT);
}

TEST(TransferCommand, WhatNeitherFormCarriesIsRefused) {
    // Without LBA48 nothing beyond 256 sectors or 2^28; with it, nothing
    // beyond 65536 sectors; and never an empty transfer.
    EXPECT_EQ(choose_transfer_command(false, TransferProtocol::Dma, 0, 257, false).opcode, 0);
    EXPECT_EQ(choose_transfer_command(false, TransferProtocol::Dma, 1u << 28, 1, false).opcode, 0);
    EXPECT_EQ(choose_transfer_command(false, TransferProtocol::Dma, 0, 65537, true).opcode, 0);
    EXPECT_EQ(choose_transfer_command(false, TransferProtocol::Dma, 0, 0, true).opcode, 0);
}
