// tests/host/partition_table_test.cpp -- MBR tables made by sfdisk, read by
// drivers/block/partition_table and served by drivers/block/partition_device.
//
// Layer: host unit test of the partition code. Each test makes a fresh disk
// image with util-linux's sfdisk (a primary layout with an extended
// partition and three logical ones), damages it on purpose where the test
// is about bad tables (an EBR chain that loops, an entry past the end), and
// opens it as an ImageFileDevice. The partition devices go through the
// real request queues of the partition and of the disk.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "drivers/block/block_device_registry.h"
#include "drivers/block/partition_device.h"
#include "drivers/block/partition_table.h"
#include "kernel/lib/errno.h"
#include "tests/host/support/image_file_device.h"

namespace {

constexpr uint64_t DISK_SECTORS = 16384;  // 8 MiB
// The layout below, as sfdisk writes it: the EBRs sit at 8192 (the
// extended partition's start) and 11263, 13311 (one sector before their
// logical partitions, as sfdisk places them).
const char* const LAYOUT =
    "label: dos\n"
    "unit: sectors\n"
    "disk1 : start=2048, size=2048, type=83\n"
    "disk2 : start=4096, size=4096, type=83\n"
    "disk3 : start=8192, size=6144, type=5\n"
    "disk5 : start=9216, size=1024, type=83\n"
    "disk6 : start=11264, size=1024, type=83\n"
    "disk7 : start=13312, size=1024, type=c\n";

struct ExpectedPartition {
    uint32_t number;
    uint8_t type;
    uint64_t start, count;
};
const std::vector<ExpectedPartition> EXPECTED = {
    {1, 0x83, 2048, 2048}, {2, 0x83, 4096, 4096}, {3, 0x05, 8192, 2},
    {5, 0x83, 9216, 1024}, {6, 0x83, 11264, 1024}, {7, 0x0c, 13312, 1024},
};

// A temporary folder with disk.img in it, removed at the end of the test.
class DiskImage {
public:
    DiskImage() {
        char pattern[] = "/tmp/partition_test.XXXXXX";
        folder_ = mkdtemp(pattern);
        path_ = folder_ + "/disk.img";
        int file = ::open(path_.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
        EXPECT_GE(file, 0);
        EXPECT_EQ(ftruncate(file, off_t(DISK_SECTORS * SECTOR_SIZE)), 0);
        ::close(file);
    }
    ~DiskImage() { std::system(("rm -rf '" + folder_ + "'").c_str()); }

    const char* path() const { return path_.c_str(); }

    void partition(const char* layout) {
        std::string script = folder_ + "/layout";
        FILE* out = std::fopen(script.c_str(), "w");
        std::fputs(layout, out);
        std::fclose(out);
        std::string command = "sfdisk -q '" + path_ + "' < '" + script + "' >/dev/null 2>&1";
        ASSERT_EQ(std::system(command.c_str()), 0) << "sfdisk failed (is util-linux's fdisk installed?)";
    }
    void write_bytes(uint64_t offset, const void* bytes, size_t length) {
        int file = ::open(path_.c_str(), O_RDWR);
        ASSERT_EQ(pwrite(file, bytes, length, off_t(offset)), ssize_t(length));
        ::close(file);
    }
    void write_u32(uint64_t offset, uint32_t value) {
        uint8_t bytes[4] = {uint8_t(value), uint8_t(value >> 8), uint8_t(value >> 16), uint8_t(value >> 24)};
        write_bytes(offset, bytes, 4);
    }
    std::vector<uint8_t> read_bytes(uint64_t offset, size_t length) {
        std::vector<uint8_t> bytes(length);
        int file = ::open(path_.c_str(), O_RDONLY);
        EXPECT_EQ(pread(file, bytes.data(), length, off_t(offset)), ssize_t(length));
        ::close(file);
        return bytes;
    }

private:
    std::string folder_, path_;
};

// Byte offset of MBR/EBR entry `slot` in the sector `sector`, and its fields.
uint64_t entry_offset(uint64_t sector, int slot) { return sector * SECTOR_SIZE + 446 + 16 * slot; }
constexpr uint64_t FIRST_BLOCK_FIELD = 8, BLOCK_COUNT_FIELD = 12;

class PartitionTest : public ::testing::Test {
protected:
    void SetUp() override { reset_block_device_registry(); }
    void TearDown() override {
        // Partitions first: they forward to the disk.
        for (size_t i = 0; BlockDevice* device = block_device_at(i); ++i)
            if (device->whole_disk() != nullptr) delete device;
        reset_block_device_registry();
        delete disk_;
    }
    ImageFileDevice& open_disk(const DiskImage& image, const char* name = "hda") {
        ImageFileDevice::Options options;
        options.name = name;
        Result<ImageFileDevice*> opened = ImageFileDevice::open(image.path(), options);
        EXPECT_FALSE(opened.is_error());
        disk_ = opened.value();
        EXPECT_FALSE(register_block_device(*disk_).is_error());
        return *disk_;
    }
    PartitionTable read_table(BlockDevice& disk) {
        Result<PartitionTable> table = read_partition_table(disk);
        EXPECT_FALSE(table.is_error());
        return table.is_error() ? PartitionTable{} : table.value();
    }

    ImageFileDevice* disk_ = nullptr;
};

void expect_entries(const PartitionTable& table, const std::vector<ExpectedPartition>& expected) {
    ASSERT_EQ(table.count, expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
        SCOPED_TRACE("entry " + std::to_string(i));
        EXPECT_EQ(table.entries[i].number, expected[i].number);
        EXPECT_EQ(table.entries[i].type, expected[i].type);
        EXPECT_EQ(table.entries[i].start_sector, expected[i].start);
        EXPECT_EQ(table.entries[i].sector_count, expected[i].count);
    }
}

TEST_F(PartitionTest, ReadsPrimariesAndTheExtendedChainAsSfdiskWroteThem) {
    DiskImage image;
    image.partition(LAYOUT);
    PartitionTable table = read_table(open_disk(image));
    EXPECT_TRUE(table.has_table);
    expect_entries(table, EXPECTED);
}

TEST_F(PartitionTest, DiskWithoutATableHasNoPartitions) {
    DiskImage image;
    image.write_bytes(0, "-rom1fs-", 8);  // a whole-disk file system, no signature
    BlockDevice& disk = open_disk(image);
    PartitionTable table = read_table(disk);
    EXPECT_FALSE(table.has_table);
    EXPECT_EQ(table.count, 0u);
    EXPECT_EQ(scan_partitions(disk), 0u);
    EXPECT_EQ(block_device_at(1), nullptr);
}

TEST_F(PartitionTest, SignatureWithBadBootIndicatorIsNotATable) {
    DiskImage image;
    image.partition(LAYOUT);
    uint8_t bad = 0x12;  // neither 0x00 nor 0x80: a boot block, as Linux judges
    image.write_bytes(entry_offset(0, 3), &bad, 1);
    EXPECT_FALSE(read_table(open_disk(image)).has_table);
}

TEST_F(PartitionTest, PrimaryEntryBeyondTheDiskIsRefusedOthersKept) {
    DiskImage image;
    image.partition(LAYOUT);
    image.write_u32(entry_offset(0, 1) + BLOCK_COUNT_FIELD, uint32_t(DISK_SECTORS));  // hda2 runs past the end
    std::vector<ExpectedPartition> expected = EXPECTED;
    expected.erase(expected.begin() + 1);
    expect_entries(read_table(open_disk(image)), expected);
}

TEST_F(PartitionTest, LogicalPartitionOutsideItsExtendedPartitionIsRefused) {
    DiskImage image;
    image.partition(LAYOUT);
    // The second EBR (11263) says its logical partition is 4000 sectors long.
    image.write_u32(entry_offset(11263, 0) + BLOCK_COUNT_FIELD, 4000);
    PartitionTable table = read_table(open_disk(image));
    // hda6 is left out; the chain goes on, so the next logical one is hda6.
    expect_entries(table, {EXPECTED[0], EXPECTED[1], EXPECTED[2], EXPECTED[3], {6, 0x0c, 13312, 1024}});
}

TEST_F(PartitionTest, LoopInTheEbrChainEndsTheChain) {
    DiskImage image;
    image.partition(LAYOUT);
    // The last EBR (13311) links back to the first (offset 0 in the extended partition).
    image.write_u32(entry_offset(13311, 1) + FIRST_BLOCK_FIELD, 0);
    image.write_u32(entry_offset(13311, 1) + BLOCK_COUNT_FIELD, 100);
    uint8_t extended = 0x05;
    image.write_bytes(entry_offset(13311, 1) + 4, &extended, 1);
    expect_entries(read_table(open_disk(image)), EXPECTED);
}

TEST_F(PartitionTest, EbrLinkingToItselfEndsTheChain) {
    DiskImage image;
    image.partition(LAYOUT);
    image.write_u32(entry_offset(8192, 1) + FIRST_BLOCK_FIELD, 0);  // the first EBR links to itself
    expect_entries(read_table(open_disk(image)), {EXPECTED[0], EXPECTED[1], EXPECTED[2], EXPECTED[3]});
}

TEST_F(PartitionTest, GptProtectiveTableGivesNoPartitions) {
    DiskImage image;
    image.partition("label: gpt\nstart=2048, size=2048\n");
    PartitionTable table = read_table(open_disk(image));
    EXPECT_TRUE(table.has_table);
    EXPECT_EQ(table.count, 0u);
}

TEST(PartitionNames, FollowLinuxWithAPAfterADigit) {
    char name[16];
    ASSERT_TRUE(format_partition_name("hda", 1, name, sizeof name));
    EXPECT_STREQ(name, "hda1");
    ASSERT_TRUE(format_partition_name("vdb", 5, name, sizeof name));
    EXPECT_STREQ(name, "vdb5");
    ASSERT_TRUE(format_partition_name("ram1", 2, name, sizeof name));
    EXPECT_STREQ(name, "ram1p2");
    EXPECT_FALSE(format_partition_name("averylongdiskna", 12, name, sizeof name));
}

TEST_F(PartitionTest, ScanRegistersEachPartitionWithLinuxNumbersOnce) {
    DiskImage image;
    image.partition(LAYOUT);
    BlockDevice& disk = open_disk(image, "hda");
    EXPECT_EQ(scan_partitions(disk), EXPECTED.size());
    EXPECT_EQ(scan_partitions(disk), 0u);  // already scanned
    for (const ExpectedPartition& expected : EXPECTED) {
        std::string name = "hda" + std::to_string(expected.number);
        BlockDevice* partition = find_block_device(name.c_str());
        ASSERT_NE(partition, nullptr) << name;
        EXPECT_EQ(partition->whole_disk(), &disk);
        EXPECT_EQ(partition->capacity_sectors(), expected.count);
        EXPECT_EQ(block_device_major(*partition), IDE0_MAJOR);
        EXPECT_EQ(block_device_minor(*partition), expected.number);
        EXPECT_EQ(scan_partitions(*partition), 0u);  // partitions are not scanned
    }
}

TEST_F(PartitionTest, PartitionReadsAndWritesLandAtItsOffsetAndStopAtItsEnd) {
    DiskImage image;
    image.partition(LAYOUT);
    std::vector<uint8_t> pattern(1024 * SECTOR_SIZE);
    for (size_t i = 0; i < pattern.size(); ++i) pattern[i] = uint8_t(i * 7 + i / 512);
    image.write_bytes(11264ull * SECTOR_SIZE, pattern.data(), pattern.size());
    BlockDevice& disk = open_disk(image, "vda");
    scan_partitions(disk);
    BlockDevice* partition = find_block_device("vda6");
    ASSERT_NE(partition, nullptr);

    std::vector<uint8_t> whole(pattern.size());
    ASSERT_FALSE(partition->read(0, whole.data(), whole.size()).is_error());  // several requests
    EXPECT_EQ(whole, pattern);

    uint8_t sector[SECTOR_SIZE];
    EXPECT_EQ(partition->read(1024 * SECTOR_SIZE, sector, SECTOR_SIZE).error(), EIO);  // just past the end
    uint8_t two[2 * SECTOR_SIZE];
    EXPECT_EQ(partition->read(1023 * SECTOR_SIZE, two, sizeof two).error(), EIO);  // across the end

    std::fill(std::begin(sector), std::end(sector), 0xA5);
    ASSERT_FALSE(partition->write(5 * SECTOR_SIZE, sector, SECTOR_SIZE).is_error());
    EXPECT_EQ(image.read_bytes((11264 + 5) * SECTOR_SIZE, SECTOR_SIZE), std::vector<uint8_t>(SECTOR_SIZE, 0xA5));
    EXPECT_EQ(image.read_bytes((11264 + 4) * SECTOR_SIZE, SECTOR_SIZE),
              std::vector<uint8_t>(pattern.begin() + 4 * SECTOR_SIZE, pattern.begin() + 5 * SECTOR_SIZE));
    EXPECT_FALSE(partition->flush().is_error());

    BlockDeviceStatistics statistics = partition->queue().statistics();
    EXPECT_EQ(statistics.sectors_read, 1024u);
    EXPECT_EQ(statistics.sectors_written, 1u);
    EXPECT_EQ(statistics.in_flight, 0u);
    EXPECT_EQ(disk.queue().statistics().in_flight, 0u);
}

}  // namespace
