// tests/fuzz/romfs_fuzz.cpp -- libFuzzer target: romfs on arbitrary bytes.
//
// Layer: host fuzzing of the romfs on-disk half (fs/romfs/) with the real
// buffer cache and block layer below it. Each input is a disk: it becomes a
// RAM disk (zero-padded to whole sectors), a fresh BufferCache, and
// RomfsImage::open; then the whole tree is walked the way a careless `find
// | xargs cat` would: every directory listed (and resumed half-way), every
// real name looked up again, hard links resolved, subdirectories entered,
// every file and symlink read. Whatever the bytes, that must end without a
// crash, a sanitizer report, a hang or a broken promise of the interface
// (checked below with __builtin_trap, so libFuzzer reports it as a crash).
//
// Checksums: random bytes almost never carry valid romfs checksums, so the
// fuzzer would spend its time on the checksum checks alone. For inputs of
// even length the harness therefore repairs them first -- the superblock's,
// and every header's it can reach from the root by `next` and spec.info --
// so mutations reach the structure checks behind them. Odd-length inputs
// are taken as they are, so the checksum checks stay fuzzed too.
//
// Budget: romfs bounds every loop, but a crafted image may still make a
// tree walk quadratic (many directories sharing one long chain); the walk
// stops after WALK_BUDGET_ENTRIES entries so one input cannot time out.
//
// Build and run: `make fuzz FUZZ_SECONDS=600` (tests/fuzz/fuzz.mk).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <set>
#include <vector>

#include "drivers/block/ramdisk.h"
#include "fs/cache/buffer_cache.h"
#include "fs/romfs/romfs_format.h"
#include "fs/romfs/romfs_image.h"

namespace {

constexpr size_t WALK_BUDGET_ENTRIES = 20000;
constexpr int MAX_DEPTH = 64;  // the descent rule already bounds it; this bounds the stack
constexpr size_t CACHE_BYTES = 64 * 1024;  // small, so large inputs exercise eviction

#define FUZZ_CHECK(condition) \
    do {                      \
        if (!(condition)) __builtin_trap(); \
    } while (0)

// --- checksum repair (see the header comment) --------------------------------

void repair_header_checksum(std::vector<uint8_t>& image, uint32_t header) {
    size_t name_room = image.size() - header - ROMFS_HEADER_NAME;
    if (name_room > ROMFS_MAX_NAME_LENGTH + 1) name_room = ROMFS_MAX_NAME_LENGTH + 1;
    const char* name = reinterpret_cast<const char*>(&image[header + ROMFS_HEADER_NAME]);
    size_t name_length = strnlen(name, name_room);
    if (name_length == name_room) return;  // unterminated: leave it broken
    uint32_t metadata_size = ROMFS_HEADER_FIELDS_SIZE + romfs_padded_name_size(uint32_t(name_length));
    if (header + uint64_t(metadata_size) > image.size()) return;
    romfs_write_be32(&image[header + ROMFS_HEADER_CHECKSUM], 0);
    romfs_write_be32(&image[header + ROMFS_HEADER_CHECKSUM], 0u - romfs_checksum(&image[header], metadata_size));
}

void repair_checksums(std::vector<uint8_t>& image) {
    if (image.size() < ROMFS_MIN_IMAGE_SIZE || std::memcmp(image.data(), ROMFS_MAGIC, sizeof ROMFS_MAGIC) != 0) return;
    const char* volume_name = reinterpret_cast<const char*>(&image[ROMFS_SUPERBLOCK_VOLUME_NAME]);
    size_t room = image.size() - ROMFS_SUPERBLOCK_VOLUME_NAME;
    size_t volume_name_length = strnlen(volume_name, room < 256 ? room : 256);
    std::vector<uint32_t> pending = {ROMFS_SUPERBLOCK_VOLUME_NAME + romfs_padded_name_size(uint32_t(volume_name_length))};
    std::set<uint32_t> repaired;
    while (!pending.empty() && repaired.size() < 4096) {
        uint32_t header = pending.back();
        pending.pop_back();
        if (header < ROMFS_MIN_IMAGE_SIZE || header % ROMFS_ALIGNMENT != 0 ||
            header + uint64_t(ROMFS_MIN_HEADER_SIZE) > image.size() || !repaired.insert(header).second)
            continue;
        repair_header_checksum(image, header);
        uint32_t next = romfs_read_be32(&image[header + ROMFS_HEADER_NEXT]);
        uint32_t spec_info = romfs_read_be32(&image[header + ROMFS_HEADER_SPEC_INFO]);
        pending.push_back(next & ROMFS_OFFSET_MASK);
        auto type = RomfsFileType(next & ROMFS_NEXT_TYPE_MASK);
        if (type == RomfsFileType::Directory || type == RomfsFileType::HardLink)
            pending.push_back(spec_info & ROMFS_OFFSET_MASK);
    }
    // Last: the headers inside the first 512 bytes count towards it.
    uint32_t size = romfs_read_be32(&image[ROMFS_SUPERBLOCK_FULL_SIZE]);
    size_t span = size < ROMFS_SUPERBLOCK_CHECKSUM_SPAN ? size & ~3u : ROMFS_SUPERBLOCK_CHECKSUM_SPAN;
    if (span > image.size()) span = image.size() & ~size_t(3);
    romfs_write_be32(&image[ROMFS_SUPERBLOCK_CHECKSUM], 0);
    romfs_write_be32(&image[ROMFS_SUPERBLOCK_CHECKSUM], 0u - romfs_checksum(image.data(), span));
}

// --- the walk -----------------------------------------------------------------

struct Walk {
    RomfsImage& image;
    size_t budget = WALK_BUDGET_ENTRIES;
};

// What every entry handed out must satisfy, however bad the image.
void check_entry(const RomfsImage& image, const RomfsEntry& entry) {
    FUZZ_CHECK(entry.header_offset % ROMFS_ALIGNMENT == 0);
    FUZZ_CHECK(entry.name_length >= 1 && entry.name_length <= ROMFS_MAX_NAME_LENGTH);
    FUZZ_CHECK(strnlen(entry.name, sizeof entry.name) == entry.name_length);
    FUZZ_CHECK(uint64_t(entry.data_offset) + entry.size <= image.image_size());
    FUZZ_CHECK(entry.data_offset > entry.header_offset);
}

void read_whole_file(Walk& walk, const RomfsEntry& file) {
    uint8_t buffer[1500];  // not a divisor of the block size: pieces straddle blocks
    for (uint64_t offset = 0;; offset += sizeof buffer) {
        Result<size_t> got = walk.image.read_data(file, offset, buffer, sizeof buffer);
        if (got.is_error()) return;
        FUZZ_CHECK(got.value() <= sizeof buffer);
        if (got.value() < sizeof buffer) {
            FUZZ_CHECK(offset + got.value() == file.size || (offset >= file.size && got.value() == 0));
            return;
        }
    }
}

void walk_directory(Walk& walk, const RomfsEntry& directory, int depth) {
    if (depth > MAX_DEPTH || walk.budget == 0) return;
    std::vector<RomfsEntry> children;
    uint32_t halfway = 0;
    Result<void> listed = walk.image.for_each_directory_entry(directory, [&](const RomfsEntry& entry) {
        check_entry(walk.image, entry);
        if (walk.budget == 0) return RomfsWalk::Stop;
        --walk.budget;
        if (children.size() == 2) halfway = entry.header_offset;
        if (!entry.is_dot_or_dot_dot()) children.push_back(entry);
        return RomfsWalk::Continue;
    });
    if (listed.is_error()) return;
    if (halfway != 0) {  // a readdir resumed at the third entry
        (void)walk.image.for_each_directory_entry(directory, [&](const RomfsEntry&) {
            return walk.budget > 0 && walk.budget-- > 0 ? RomfsWalk::Continue : RomfsWalk::Stop;
        }, halfway);
    }
    for (const RomfsEntry& child : children) {
        if (walk.budget == 0) return;
        Result<RomfsEntry> found = walk.image.find_in_directory(directory, child.name);
        if (found.is_error()) continue;  // a loop past the first match may be found only now
        Result<RomfsEntry> target = walk.image.resolve_hard_link(child);
        if (target.is_error()) continue;
        check_entry(walk.image, target.value());
        FUZZ_CHECK(!target.value().is_hard_link());
        FUZZ_CHECK(RomfsImage::mode_of(target.value()) != 0);
        if (target.value().is_directory()) {
            // The descent rule: a real name leads forward in the image.
            FUZZ_CHECK(target.value().header_offset > directory.header_offset);
            walk_directory(walk, target.value(), depth + 1);
        } else {
            read_whole_file(walk, target.value());
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::vector<uint8_t> disk(data, data + size);
    if (size % 2 == 0) repair_checksums(disk);
    disk.resize((size + SECTOR_SIZE - 1) / SECTOR_SIZE * SECTOR_SIZE, 0);

    RamDisk device("fuzz0", disk.data(), disk.size(), /*read_only=*/true);
    BufferCache cache(CACHE_BYTES);
    Result<RomfsImage*> opened = RomfsImage::open(cache, device);
    if (opened.is_error()) return 0;
    RomfsImage* image = opened.value();
    FUZZ_CHECK(image->image_size() <= disk.size());
    Result<RomfsEntry> root = image->root();
    FUZZ_CHECK(!root.is_error() && root.value().is_directory());  // open() checked it
    Walk walk{*image};
    walk_directory(walk, root.value(), 0);
    delete image;
    return 0;
}
