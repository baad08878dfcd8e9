// tests/host/romfs_test.cpp -- romfs (fs/romfs/) against images made by genromfs.
//
// What is tested: the on-disk half of romfs (RomfsImage over RomfsStorage over
// the buffer cache and the block layer) reading an image that genromfs made
// from a tree this test builds in a temporary folder: every file's bytes,
// every directory's names (exactly once each), types, sizes, modes, symlink
// targets, hard links, device nodes (when run as root), inode numbers; the
// image's last partial 1 KiB block; devices with 4 KiB blocks, failing
// devices and memory exhaustion. Then damaged copies of the image: each
// must give EINVAL, EIO or ELOOP (as romfs_image.h documents), never a crash
// or a hang -- every loop in romfs is bounded by design, so these tests need
// no timeouts. The fixture tree, the lookups and the patch helpers live in
// tests/host/support/romfs_fixture.h.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "tests/host/support/romfs_fixture.h"

namespace {

using romfs_test::fixture;
using romfs_test::MountedImage;

// ---------------------------------------------------------------- storage

TEST(RomfsStorage, ReadsAnyByteRangeAcrossBlocksAndStopsAtTheLimit) {
    auto device = ImageFileDevice::open(fixture().image_path.c_str(), {});
    ASSERT_OK(device);
    {
        BufferCache cache;
        RomfsStorage storage(cache, *device.value());
        const std::vector<uint8_t>& bytes = fixture().image_bytes;
        EXPECT_EQ(storage.limit(), bytes.size());
        std::vector<uint8_t> piece(2999);
        ASSERT_OK(storage.read_bytes(1001, piece.data(), piece.size()));  // straddles three blocks
        EXPECT_TRUE(std::equal(piece.begin(), piece.end(), bytes.begin() + 1001));
        Result<uint32_t> word = storage.read_u32_be(0);
        ASSERT_OK(word);
        EXPECT_EQ(word.value(), 0x2d726f6du);  // "-rom"
        Result<uint32_t> sum = storage.checksum(0, 512);
        ASSERT_OK(sum);
        EXPECT_EQ(sum.value(), 0u);
        char name[64];
        Result<size_t> length = storage.read_string(ROMFS_SUPERBLOCK_VOLUME_NAME, name, sizeof name);
        ASSERT_OK(length);
        EXPECT_STREQ(name, romfs_test::VOLUME_NAME);
        EXPECT_ERROR(storage.read_string(0, name, 8), EIO);  // "-rom1fs-" has no NUL

        uint32_t image_size = romfs_test::superblock_size(bytes);
        storage.limit_to_image(image_size);
        uint8_t four[4];
        ASSERT_OK(storage.read_bytes(image_size - 4, four, 4));
        EXPECT_ERROR(storage.read_bytes(image_size - 4, piece.data(), 8), EIO);
        EXPECT_ERROR(storage.read_u32_be(image_size), EIO);
        EXPECT_ERROR(storage.read_string(image_size, name, sizeof name), EIO);
        EXPECT_ERROR(storage.checksum(image_size - 16, 32), EIO);
        EXPECT_ERROR(storage.read_bytes(0xfffffff0u, four, 4), EIO);
    }
    delete device.value();
}

// ---------------------------------------------------------------- a good image

TEST(RomfsImage, OpensAGenromfsImageAndReadsItsSuperblock) {
    MountedImage mounted(fixture().image_path);
    ASSERT_OK(mounted.open_result);
    RomfsImage& image = *mounted.image;
    EXPECT_STREQ(image.volume_name(), romfs_test::VOLUME_NAME);
    EXPECT_EQ(image.image_size(), romfs_test::superblock_size(fixture().image_bytes));
    EXPECT_LE(image.image_size(), fixture().image_bytes.size());
    // A volume name under 16 bytes: the root header follows at offset 32.
    EXPECT_EQ(image.root_offset(), 32u);
    Result<RomfsEntry> root = image.root();
    ASSERT_OK(root);
    EXPECT_TRUE(root.value().is_directory());
    EXPECT_EQ(RomfsImage::mode_of(root.value()), LINUX_S_IFDIR | 0755);
}

TEST(RomfsImage, EveryDirectoryListsExactlyItsEntriesOnce) {
    MountedImage mounted(fixture().image_path);
    ASSERT_OK(mounted.open_result);
    for (const auto& [path, node] : fixture().nodes) {
        if (node.kind != 'd') continue;
        Result<RomfsEntry> directory = romfs_test::lookup(*mounted.image, path);
        ASSERT_OK(directory);
        std::multiset<std::string> listed;
        ASSERT_OK(mounted.image->for_each_directory_entry(directory.value(), [&](const RomfsEntry& entry) {
            listed.insert(entry.name);
            return RomfsWalk::Continue;
        }));
        std::multiset<std::string> expected = fixture().children_of(path);
        expected.insert(".");
        expected.insert("..");
        EXPECT_EQ(listed, expected) << "directory /" << path;
        Result<uint32_t> count = mounted.image->count_directory_entries(directory.value());
        ASSERT_OK(count);
        EXPECT_EQ(count.value(), expected.size());
    }
    EXPECT_EQ(fixture().children_of("many").size(), 300u);
}

TEST(RomfsImage, TypesSizesAndModesMatchTheSourceTree) {
    MountedImage mounted(fixture().image_path);
    ASSERT_OK(mounted.open_result);
    for (const auto& [path, node] : fixture().nodes) {
        Result<RomfsEntry> entry = romfs_test::lookup(*mounted.image, path);
        ASSERT_OK(entry);
        EXPECT_EQ(entry.value().type, node.romfs_type()) << path;
        uint32_t mode = RomfsImage::mode_of(entry.value());
        EXPECT_EQ(mode & LINUX_S_IFMT, node.linux_type_bits()) << path;
        if (node.kind == 'f') {
            EXPECT_EQ(entry.value().size, node.size) << path;
            EXPECT_EQ(mode & 0777, node.executable ? 0755u : 0644u) << path;
        }
        if (node.kind == 'l') {
            EXPECT_EQ(entry.value().size, node.symlink_target.size()) << path;
        }
        if (node.kind == 'd') {
            EXPECT_EQ(mode & 0777, 0755u) << path;
        }
    }
}

TEST(RomfsImage, EveryFileReadsBackByteForByte) {
    MountedImage mounted(fixture().image_path);
    ASSERT_OK(mounted.open_result);
    for (const auto& [path, node] : fixture().nodes) {
        if (node.kind != 'f') continue;
        Result<RomfsEntry> entry = romfs_test::lookup(*mounted.image, path);
        ASSERT_OK(entry);
        std::vector<uint8_t> expected = fixture().host_file_bytes(path);
        // Whole, and in odd pieces that start and end inside blocks.
        EXPECT_EQ(romfs_test::read_all(*mounted.image, entry.value(), expected.size() + 1), expected) << path;
        EXPECT_EQ(romfs_test::read_all(*mounted.image, entry.value(), 777), expected) << path;
    }
}

TEST(RomfsImage, ReadsAtOrPastTheEndAreShortOrEmpty) {
    MountedImage mounted(fixture().image_path);
    ASSERT_OK(mounted.open_result);
    Result<RomfsEntry> file = romfs_test::lookup(*mounted.image, "files/size_17");
    ASSERT_OK(file);
    uint8_t buffer[64];
    Result<size_t> got = mounted.image->read_data(file.value(), 10, buffer, sizeof buffer);
    ASSERT_OK(got);
    EXPECT_EQ(got.value(), 7u);
    for (uint64_t offset : {17ull, 18ull, 1ull << 40}) {
        got = mounted.image->read_data(file.value(), offset, buffer, sizeof buffer);
        ASSERT_OK(got);
        EXPECT_EQ(got.value(), 0u) << "offset " << offset;
    }
    Result<RomfsEntry> empty = romfs_test::lookup(*mounted.image, "files/size_0");
    ASSERT_OK(empty);
    got = mounted.image->read_data(empty.value(), 0, buffer, sizeof buffer);
    ASSERT_OK(got);
    EXPECT_EQ(got.value(), 0u);
}

TEST(RomfsImage, SymlinkTargetsAreStoredVerbatim) {
    MountedImage mounted(fixture().image_path);
    ASSERT_OK(mounted.open_result);
    int symlinks = 0;
    for (const auto& [path, node] : fixture().nodes) {
        if (node.kind != 'l') continue;
        ++symlinks;
        Result<RomfsEntry> entry = romfs_test::lookup(*mounted.image, path);
        ASSERT_OK(entry);
        std::vector<uint8_t> target = romfs_test::read_all(*mounted.image, entry.value(), 100);
        EXPECT_EQ(std::string(target.begin(), target.end()), node.symlink_target) << path;
        EXPECT_EQ(RomfsImage::mode_of(entry.value()), LINUX_S_IFLNK | 0777);
    }
    EXPECT_EQ(symlinks, 6);  // relative, absolute, a chain of three, dangling
}

TEST(RomfsImage, HardLinksAreTypeZeroEntriesSharingTheTargetsInodeNumber) {
    MountedImage mounted(fixture().image_path);
    ASSERT_OK(mounted.open_result);
    std::set<uint32_t> inode_numbers;
    int hard_link_entries = 0;
    for (const char* path : {"linked", "nested/a/linked_too", "files/linked_third"}) {
        Result<RomfsEntry> stored = romfs_test::lookup(*mounted.image, path, /*resolve_last=*/false);
        ASSERT_OK(stored);
        if (stored.value().is_hard_link()) ++hard_link_entries;
        Result<RomfsEntry> file = mounted.image->resolve_hard_link(stored.value());
        ASSERT_OK(file);
        EXPECT_EQ(file.value().type, RomfsFileType::RegularFile) << path;
        inode_numbers.insert(file.value().inode_number());
        EXPECT_EQ(romfs_test::read_all(*mounted.image, stored.value(), 4096), fixture().host_file_bytes(path));
    }
    EXPECT_EQ(inode_numbers.size(), 1u) << "three names of one file, one inode number";
    EXPECT_EQ(hard_link_entries, 2) << "genromfs stores the data once and two type-0 links";
}

TEST(RomfsImage, DotAndDotDotLeadToTheDirectoryAndItsParent) {
    MountedImage mounted(fixture().image_path);
    ASSERT_OK(mounted.open_result);
    RomfsImage& image = *mounted.image;
    for (const char* path : {"", "nested", "nested/a/b"}) {
        Result<RomfsEntry> directory = romfs_test::lookup(image, path);
        ASSERT_OK(directory);
        std::string parent_path = romfs_test::parent_of(path);
        Result<RomfsEntry> parent = romfs_test::lookup(image, parent_path);
        ASSERT_OK(parent);
        Result<RomfsEntry> dot = romfs_test::lookup_in(image, directory.value(), ".");
        Result<RomfsEntry> dot_dot = romfs_test::lookup_in(image, directory.value(), "..");
        ASSERT_OK(dot);
        ASSERT_OK(dot_dot);
        EXPECT_EQ(dot.value().inode_number(), directory.value().inode_number()) << "/" << path;
        EXPECT_EQ(dot_dot.value().inode_number(), parent.value().inode_number()) << "/" << path;
    }
}

TEST(RomfsImage, InodeNumbersAreUniqueHeaderOffsets) {
    MountedImage mounted(fixture().image_path);
    ASSERT_OK(mounted.open_result);
    std::set<uint32_t> seen;
    for (const auto& [path, node] : fixture().nodes) {
        if (path == "nested/a/linked_too" || path == "files/linked_third") continue;  // share "linked"'s
        Result<RomfsEntry> entry = romfs_test::lookup(*mounted.image, path);
        ASSERT_OK(entry);
        uint32_t number = entry.value().inode_number();
        EXPECT_EQ(number % ROMFS_ALIGNMENT, 0u);
        EXPECT_GE(number, mounted.image->root_offset());
        EXPECT_TRUE(seen.insert(number).second) << path << " shares inode number " << number;
    }
}

TEST(RomfsImage, FindInDirectoryHandlesLongMissingAndOverlongNames) {
    MountedImage mounted(fixture().image_path);
    ASSERT_OK(mounted.open_result);
    RomfsImage& image = *mounted.image;
    Result<RomfsEntry> names = romfs_test::lookup(image, "names");
    ASSERT_OK(names);
    std::string longest(255, 'n');
    Result<RomfsEntry> found = image.find_in_directory(names.value(), longest.c_str());
    ASSERT_OK(found);
    EXPECT_EQ(found.value().name_length, 255u);
    EXPECT_ERROR(image.find_in_directory(names.value(), std::string(256, 'n').c_str()), ENAMETOOLONG);
    EXPECT_ERROR(image.find_in_directory(names.value(), std::string(254, 'n').c_str()), ENOENT);
    EXPECT_ERROR(image.find_in_directory(names.value(), ""), ENOENT);
    Result<RomfsEntry> file = romfs_test::lookup(image, "files/size_1");
    ASSERT_OK(file);
    EXPECT_ERROR(image.find_in_directory(file.value(), "x"), ENOTDIR);
}

TEST(RomfsImage, SpecialFilesHaveTheirTypesAndDeviceNumbers) {
    MountedImage mounted(fixture().image_path);
    ASSERT_OK(mounted.open_result);
    RomfsImage& image = *mounted.image;
    Result<RomfsEntry> fifo = romfs_test::lookup(image, "special/fifo");
    ASSERT_OK(fifo);
    EXPECT_EQ(RomfsImage::mode_of(fifo.value()), LINUX_S_IFIFO | 0644);
    uint8_t byte;
    EXPECT_ERROR(image.read_data(fifo.value(), 0, &byte, 1), EINVAL);
    Result<RomfsEntry> directory = romfs_test::lookup(image, "special");
    ASSERT_OK(directory);
    EXPECT_ERROR(image.read_data(directory.value(), 0, &byte, 1), EISDIR);
    if (!fixture().has_device_nodes) GTEST_SKIP() << "not root: no device nodes in the tree";
    Result<RomfsEntry> character = romfs_test::lookup(image, "special/char_1_3");
    Result<RomfsEntry> block = romfs_test::lookup(image, "special/block_7_2");
    ASSERT_OK(character);
    ASSERT_OK(block);
    EXPECT_EQ(RomfsImage::mode_of(character.value()), LINUX_S_IFCHR | 0600);
    EXPECT_EQ(character.value().device_major(), 1u);
    EXPECT_EQ(character.value().device_minor(), 3u);
    EXPECT_EQ(RomfsImage::mode_of(block.value()), LINUX_S_IFBLK | 0600);
    EXPECT_EQ(block.value().device_major(), 7u);
    EXPECT_EQ(block.value().device_minor(), 2u);
}

TEST(RomfsImage, AWalkResumedAtAnEntryContinuesFromIt) {
    MountedImage mounted(fixture().image_path);
    ASSERT_OK(mounted.open_result);
    Result<RomfsEntry> many = romfs_test::lookup(*mounted.image, "many");
    ASSERT_OK(many);
    std::vector<std::string> all, first_part, rest;
    uint32_t resume_at = 0;
    ASSERT_OK(mounted.image->for_each_directory_entry(many.value(), [&](const RomfsEntry& entry) {
        all.push_back(entry.name);
        return RomfsWalk::Continue;
    }));
    ASSERT_OK(mounted.image->for_each_directory_entry(many.value(), [&](const RomfsEntry& entry) {
        first_part.push_back(entry.name);
        resume_at = entry.next_offset;
        return first_part.size() == 100 ? RomfsWalk::Stop : RomfsWalk::Continue;
    }));
    ASSERT_OK(mounted.image->for_each_directory_entry(
        many.value(),
        [&](const RomfsEntry& entry) {
            rest.push_back(entry.name);
            return RomfsWalk::Continue;
        },
        resume_at));
    first_part.insert(first_part.end(), rest.begin(), rest.end());
    EXPECT_EQ(first_part, all);
}

// The image ends inside a 1 KiB block that the device cannot fully supply:
// its tail must come through 512-byte blocks.
TEST(RomfsImage, AnImageEndingInsideA1KiBBlockReadsToItsLastByte) {
    romfs_test::TailImage tail = romfs_test::make_image_ending_in_half_a_block();
    ASSERT_FALSE(tail.path.empty()) << "no file size gave an image ending in the first half of a 1 KiB block";
    MountedImage mounted(tail.path);
    ASSERT_OK(mounted.open_result);
    EXPECT_EQ(mounted.device->capacity_bytes() % 1024, 512u);
    Result<RomfsEntry> file = romfs_test::lookup(*mounted.image, "tail");
    ASSERT_OK(file);
    EXPECT_EQ(romfs_test::read_all(*mounted.image, file.value(), 100), tail.contents);
    // And its last byte alone, which lies in the device's final sector.
    uint8_t last = 0;
    Result<size_t> got = mounted.image->read_data(file.value(), tail.contents.size() - 1, &last, 1);
    ASSERT_OK(got);
    EXPECT_EQ(got.value(), 1u);
    EXPECT_EQ(last, tail.contents.back());
}

TEST(RomfsImage, WorksOnADeviceWith4KiBLogicalBlocks) {
    std::vector<uint8_t> bytes = fixture().image_bytes;
    bytes.resize((bytes.size() + 4095) / 4096 * 4096, 0);
    ImageFileDevice::Options options;
    options.logical_block_size = 4096;
    MountedImage mounted(romfs_test::write_temporary_image(bytes), options);
    ASSERT_OK(mounted.open_result);
    for (const char* path : {"files/size_4097", "files/big", "nested/a/b/c/d/deep.txt"}) {
        Result<RomfsEntry> file = romfs_test::lookup(*mounted.image, path);
        ASSERT_OK(file);
        EXPECT_EQ(romfs_test::read_all(*mounted.image, file.value(), 5000), fixture().host_file_bytes(path));
    }
}

TEST(RomfsImage, DeviceErrorsBecomeEio) {
    MountedImage mounted(fixture().image_path);
    ASSERT_OK(mounted.open_result);
    Result<RomfsEntry> file = romfs_test::lookup(*mounted.image, "files/big");
    ASSERT_OK(file);
    mounted.device->fail_requests_after(0);
    std::vector<uint8_t> buffer(100000);
    EXPECT_ERROR(mounted.image->read_data(file.value(), 1000000, buffer.data(), buffer.size()), EIO);
}

TEST(RomfsImage, OpenWithoutMemoryIsEnomem) {
    auto device = ImageFileDevice::open(fixture().image_path.c_str(), {});
    ASSERT_OK(device);
    {
        BufferCache cache;
        host_platform::fail_allocations_after(0);
        Result<RomfsImage*> image = RomfsImage::open(cache, *device.value());
        host_platform::reset_allocation_failures();
        EXPECT_ERROR(image, ENOMEM);
    }
    delete device.value();
}

TEST(RomfsImage, ADeviceWithoutARomfsIsEinval) {
    MountedImage zeros(romfs_test::write_temporary_image(std::vector<uint8_t>(4096, 0)));
    EXPECT_ERROR(zeros.open_result, EINVAL);
    MountedImage empty(romfs_test::write_temporary_image({}));
    EXPECT_ERROR(empty.open_result, EINVAL);
}

// ---------------------------------------------------------------- damaged images

using romfs_test::chain_of;
using romfs_test::header_offset_of;

std::vector<uint8_t> good_bytes() { return fixture().image_bytes; }

// Mounts damaged bytes; returns the error of open, or of listing `directory`
// ("" skips that), or of a walk of the whole tree -- the first one that fails.
int first_error(const std::vector<uint8_t>& bytes, const std::string& directory = "") {
    MountedImage mounted(romfs_test::write_temporary_image(bytes));
    if (mounted.open_result.is_error()) return mounted.open_result.error();
    if (!directory.empty()) {
        Result<RomfsEntry> found = romfs_test::lookup(*mounted.image, directory);
        if (found.is_error()) return found.error();
        Result<uint32_t> count = mounted.image->count_directory_entries(found.value());
        if (count.is_error()) return count.error();
    }
    size_t entries_seen = 0;
    return romfs_test::walk_everything(*mounted.image, &entries_seen);
}

#define EXPECT_ERRNO(actual, expected) EXPECT_STREQ(errno_name(actual), errno_name(expected))

TEST(RomfsCorruptImage, TheGoodImageWalksWithoutErrors) {
    EXPECT_ERRNO(first_error(good_bytes(), "many"), 0);
}

TEST(RomfsCorruptImage, ADeviceShorterThanTheImageIsRefused) {
    std::vector<uint8_t> bytes = good_bytes();
    bytes.resize(bytes.size() / 2 / 512 * 512);
    EXPECT_ERRNO(first_error(bytes), EIO);
}

TEST(RomfsCorruptImage, ABadSuperblockChecksumIsRefused) {
    std::vector<uint8_t> bytes = good_bytes();
    bytes[ROMFS_SUPERBLOCK_VOLUME_NAME] ^= 1;
    EXPECT_ERRNO(first_error(bytes), EIO);
}

TEST(RomfsCorruptImage, ABadMagicIsNotARomfs) {
    std::vector<uint8_t> bytes = good_bytes();
    bytes[3] = 'X';
    EXPECT_ERRNO(first_error(bytes), EINVAL);
}

TEST(RomfsCorruptImage, AnImageSizeBelowTheMinimumIsRefused) {
    std::vector<uint8_t> bytes = good_bytes();
    romfs_test::set_be32(bytes, ROMFS_SUPERBLOCK_FULL_SIZE, 16);
    romfs_test::fix_superblock_checksum(bytes);
    EXPECT_ERRNO(first_error(bytes), EIO);
}

TEST(RomfsCorruptImage, ARootThatIsNotADirectoryIsRefused) {
    std::vector<uint8_t> bytes = good_bytes();
    uint32_t root = 32;
    uint32_t next = romfs_test::get_be32(bytes, root);
    romfs_test::set_be32(bytes, root, (next & ~ROMFS_NEXT_TYPE_MASK) | uint32_t(RomfsFileType::RegularFile));
    romfs_test::fix_header_checksum(bytes, root);
    EXPECT_ERRNO(first_error(bytes), EIO);
}

TEST(RomfsCorruptImage, AWrongHeaderChecksumIsEio) {
    std::vector<uint8_t> bytes = good_bytes();
    uint32_t header = header_offset_of("files/size_17");
    bytes[header + ROMFS_HEADER_CHECKSUM] ^= 0x40;
    EXPECT_ERRNO(first_error(bytes, "files"), EIO);
}

TEST(RomfsCorruptImage, ANextOffsetPastTheEndIsEio) {
    std::vector<uint8_t> bytes = good_bytes();
    romfs_test::set_next_offset(bytes, chain_of("many").back(), romfs_test::superblock_size(bytes) + 16);
    EXPECT_ERRNO(first_error(bytes, "many"), EIO);
}

TEST(RomfsCorruptImage, ANextOffsetIntoTheSuperblockIsEio) {
    std::vector<uint8_t> bytes = good_bytes();
    romfs_test::set_next_offset(bytes, chain_of("many")[5], 16);
    EXPECT_ERRNO(first_error(bytes, "many"), EIO);
}

TEST(RomfsCorruptImage, ANextChainFromTheLastEntryBackToTheFirstIsEloop) {
    std::vector<uint8_t> bytes = good_bytes();
    std::vector<uint32_t> chain = chain_of("many");
    romfs_test::set_next_offset(bytes, chain.back(), chain.front());
    EXPECT_ERRNO(first_error(bytes, "many"), ELOOP);
    MountedImage mounted(romfs_test::write_temporary_image(bytes));
    ASSERT_OK(mounted.open_result);
    Result<RomfsEntry> many = romfs_test::lookup(*mounted.image, "many");
    ASSERT_OK(many);
    EXPECT_ERROR(mounted.image->find_in_directory(many.value(), "not_there"), ELOOP);
    // Brent's detection notices within a few rounds, long before the bound
    // of image_size / 16 (about 200,000) entries.
    size_t visited = 0;
    EXPECT_ERROR(mounted.image->for_each_directory_entry(many.value(), [&](const RomfsEntry&) {
        ++visited;
        return RomfsWalk::Continue;
    }), ELOOP);
    EXPECT_LT(visited, 4 * chain.size());
}

TEST(RomfsCorruptImage, AnEntryWhoseNextIsItselfIsEloop) {
    std::vector<uint8_t> bytes = good_bytes();
    uint32_t middle = chain_of("many")[150];
    romfs_test::set_next_offset(bytes, middle, middle);
    EXPECT_ERRNO(first_error(bytes, "many"), ELOOP);
}

TEST(RomfsCorruptImage, ANextChainLoopingIntoItsMiddleIsEloop) {
    std::vector<uint8_t> bytes = good_bytes();
    std::vector<uint32_t> chain = chain_of("many");
    romfs_test::set_next_offset(bytes, chain.back(), chain[chain.size() / 2]);
    EXPECT_ERRNO(first_error(bytes, "many"), ELOOP);
}

TEST(RomfsCorruptImage, ADirectoryWhoseFirstEntryIsItselfIsEloop) {
    std::vector<uint8_t> bytes = good_bytes();
    uint32_t directory = header_offset_of("nested/a/b");
    romfs_test::set_spec_info(bytes, directory, directory);
    EXPECT_ERRNO(first_error(bytes, "nested/a/b"), ELOOP);
}

TEST(RomfsCorruptImage, ADirectoryWhoseFirstEntryIsItsParentIsEloop) {
    std::vector<uint8_t> bytes = good_bytes();
    romfs_test::set_spec_info(bytes, header_offset_of("nested/a/b"), header_offset_of("nested/a"));
    EXPECT_ERRNO(first_error(bytes, "nested/a/b"), ELOOP);
    // The root is special (its first entry is itself, named "."): point at it too.
    bytes = good_bytes();
    romfs_test::set_spec_info(bytes, header_offset_of("nested"), header_offset_of(""));
    EXPECT_ERRNO(first_error(bytes, "nested"), ELOOP);
}

TEST(RomfsCorruptImage, AHardLinkToItselfIsEloop) {
    std::vector<uint8_t> bytes = good_bytes();
    std::string link_path;
    for (const char* path : {"linked", "nested/a/linked_too", "files/linked_third"}) {
        Result<RomfsEntry> stored = romfs_test::lookup(romfs_test::good_image(), path, false);
        if (!stored.is_error() && stored.value().is_hard_link()) link_path = path;
    }
    ASSERT_FALSE(link_path.empty());
    uint32_t link = header_offset_of(link_path);
    romfs_test::set_spec_info(bytes, link, link);
    EXPECT_ERRNO(first_error(bytes, romfs_test::parent_of(link_path)), ELOOP);
}

TEST(RomfsCorruptImage, AHardLinkIntoTheSuperblockIsEio) {
    std::vector<uint8_t> bytes = good_bytes();
    // "." of a subdirectory is a hard link to it (genromfs).
    uint32_t dot = chain_of("nested")[0];
    romfs_test::set_spec_info(bytes, dot, 0);
    MountedImage mounted(romfs_test::write_temporary_image(bytes));
    ASSERT_OK(mounted.open_result);
    Result<RomfsEntry> link = mounted.image->read_entry(dot);
    ASSERT_OK(link);
    ASSERT_TRUE(link.value().is_hard_link());
    EXPECT_ERROR(mounted.image->resolve_hard_link(link.value()), EIO);
}

TEST(RomfsCorruptImage, DataRunningPastTheEndIsEio) {
    for (uint32_t size : {0u, 0xffffffffu}) {
        std::vector<uint8_t> bytes = good_bytes();
        uint32_t header = header_offset_of("files/size_4097");
        romfs_test::set_be32(bytes, header + ROMFS_HEADER_SIZE_FIELD, size ? size : romfs_test::superblock_size(bytes));
        romfs_test::fix_header_checksum(bytes, header);
        EXPECT_ERRNO(first_error(bytes, "files"), EIO) << "size " << size;
    }
}

TEST(RomfsCorruptImage, AnUnterminatedNameAtTheEndOfTheImageIsEio) {
    // The header with the highest offset; cut the image 16 bytes into its name.
    uint32_t last_header = 0;
    std::string its_directory;
    for (const auto& [path, node] : fixture().nodes) {
        if (node.kind != 'd') continue;
        for (uint32_t header : chain_of(path)) {
            if (header > last_header) {
                last_header = header;
                its_directory = path;
            }
        }
    }
    std::vector<uint8_t> bytes = good_bytes();
    uint32_t new_size = last_header + ROMFS_HEADER_FIELDS_SIZE + 16;
    for (uint32_t i = last_header + ROMFS_HEADER_NAME; i < new_size; ++i) bytes[i] = 'A';
    romfs_test::set_be32(bytes, ROMFS_SUPERBLOCK_FULL_SIZE, new_size);
    romfs_test::fix_superblock_checksum(bytes);
    EXPECT_ERRNO(first_error(bytes, its_directory), EIO);
}

// Random damage to header fields (checksums fixed, so the damage is seen):
// every walk must end -- with an error or not -- and never crash.
TEST(RomfsCorruptImage, RandomlyDamagedHeadersNeverCrashOrHang) {
    namespace fs = std::filesystem;
    fs::path tree = fs::path(fixture().temporary_directory) / "small_tree";
    fs::create_directories(tree);
    for (const char* part : {"nested", "links", "names", "many", "empty_dir"}) {
        fs::copy(fs::path(fixture().tree_directory) / part, tree / part,
                 fs::copy_options::recursive | fs::copy_options::copy_symlinks);
    }
    std::string image_path = tree.string() + ".img";
    ASSERT_TRUE(romfs_test::make_image(tree.string(), image_path, "small"));
    std::vector<uint32_t> headers;
    {
        MountedImage mounted(image_path);
        ASSERT_OK(mounted.open_result);
        std::function<void(const RomfsEntry&)> collect = [&](const RomfsEntry& directory) {
            std::vector<RomfsEntry> subdirectories;
            ASSERT_OK(mounted.image->for_each_directory_entry(directory, [&](const RomfsEntry& entry) {
                headers.push_back(entry.header_offset);
                if (entry.is_directory() && !entry.is_dot_or_dot_dot()) subdirectories.push_back(entry);
                return RomfsWalk::Continue;
            }));
            for (const RomfsEntry& subdirectory : subdirectories) collect(subdirectory);
        };
        Result<RomfsEntry> root = mounted.image->root();
        ASSERT_OK(root);
        collect(root.value());
    }
    std::vector<uint8_t> good = romfs_test::read_file_bytes(image_path);
    uint32_t image_size = romfs_test::superblock_size(good);
    std::mt19937 random(2024);
    std::map<std::string, int> outcomes;
    for (int round = 0; round < 300; ++round) {
        std::vector<uint8_t> bytes = good;
        uint32_t header = headers[random() % headers.size()];
        uint32_t field = uint32_t(random() % 3) * 4;  // next, spec.info or size
        uint32_t value = random() % 2 ? uint32_t(random() % image_size) & ROMFS_OFFSET_MASK : uint32_t(random());
        if (field == ROMFS_HEADER_NEXT) value |= romfs_test::get_be32(bytes, header) & ~ROMFS_OFFSET_MASK;
        romfs_test::set_be32(bytes, header + field, value);
        romfs_test::fix_header_checksum(bytes, header);
        int error = first_error(bytes);
        outcomes[error ? errno_name(error) : "ok"]++;
    }
    for (const auto& [outcome, count] : outcomes) std::printf("    %-8s %d\n", outcome.c_str(), count);
    EXPECT_GT(outcomes["ELOOP"] + outcomes["EIO"], 0);
}

}  // namespace
