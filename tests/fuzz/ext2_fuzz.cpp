// tests/fuzz/ext2_fuzz.cpp -- libFuzzer target: the ext2 reader on arbitrary bytes.
//
// Layer: host fuzzing of the ext2 on-disk half (fs/ext2/ext2_super,
// ext2_inode, ext2_directory) with the real buffer cache and block layer
// below it. Each input is a disk: a RAM disk (zero-padded to whole sectors),
// a fresh BufferCache, Ext2Volume::open; then the tree is walked from the
// root like `find | xargs cat`: every directory listed (and listed again
// from a position in its middle), every entry's inode read, subdirectories
// entered, the start and the end of every file read, every symlink's
// target read. Whatever the bytes, that must end without a crash, a
// sanitizer report or a hang; the interface's promises (lengths within the
// buffer, entries inside the directory) are checked with __builtin_trap.
//
// Budget: damaged directories may point at their ancestors, so the walk is
// limited in depth and in entries.
//
// Build and run: `make fuzz-ext2 FUZZ_SECONDS=600` (tests/fuzz/fuzz.mk).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "drivers/block/ramdisk.h"
#include "fs/cache/buffer_cache.h"
#include "fs/ext2/ext2_directory.h"
#include "fs/ext2/ext2_inode.h"
#include "fs/ext2/ext2_super.h"
#include "fs/vfs/file_mode.h"

namespace {

constexpr size_t WALK_BUDGET_ENTRIES = 5000;
constexpr int MAX_DEPTH = 12;
constexpr size_t CACHE_BYTES = 64 * 1024;  // small, so eviction is exercised too
constexpr size_t READ_SIZE = 16 * 1024;

void read_file(Ext2Volume& volume, const Ext2InodeData& inode) {
    static uint8_t buffer[READ_SIZE];
    Result<size_t> got = inode.read(volume, 0, buffer, sizeof buffer);
    if (!got.is_error() && got.value() > sizeof buffer) __builtin_trap();
    if (inode.size > READ_SIZE) {
        got = inode.read(volume, inode.size - 100, buffer, sizeof buffer);
        if (!got.is_error() && got.value() != 100) __builtin_trap();
    }
}

void walk(Ext2Volume& volume, const Ext2InodeData& directory, int depth, size_t& budget) {
    std::vector<uint32_t> children;
    uint64_t middle = 0;
    Result<void> listed = ext2_for_each_directory_entry(volume, directory, 0, [&](const Ext2DirectoryEntry& entry) {
        if (entry.position >= directory.size || entry.next_position <= entry.position) __builtin_trap();
        if (budget == 0) return Ext2Walk::Stop;
        --budget;
        if (children.size() == 2) middle = entry.position;
        bool dot = (entry.name_length == 1 && entry.name[0] == '.') ||
                   (entry.name_length == 2 && entry.name[0] == '.' && entry.name[1] == '.');
        if (!dot) children.push_back(entry.inode);
        return Ext2Walk::Continue;
    });
    (void)listed;
    (void)ext2_for_each_directory_entry(volume, directory, middle + 1, [&](const Ext2DirectoryEntry& entry) {
        if (entry.position <= middle) __builtin_trap();
        return budget-- > 0 ? Ext2Walk::Continue : Ext2Walk::Stop;
    });
    for (uint32_t number : children) {
        Result<Ext2InodeData> child = Ext2InodeData::read(volume, number);
        if (child.is_error()) continue;
        const Ext2InodeData& inode = child.value();
        if (is_directory(inode.mode) && depth < MAX_DEPTH && budget > 0) {
            walk(volume, inode, depth + 1, budget);
        } else if (is_regular_file(inode.mode)) {
            read_file(volume, inode);
        } else if (is_symbolic_link(inode.mode)) {
            char target[64];
            Result<size_t> got = inode.read_link(volume, target, sizeof target);
            if (!got.is_error() && got.value() > sizeof target) __builtin_trap();
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::vector<uint8_t> disk(data, data + size);
    disk.resize((size + SECTOR_SIZE - 1) / SECTOR_SIZE * SECTOR_SIZE, 0);
    if (disk.empty()) return 0;
    RamDisk device("fuzz0", disk.data(), disk.size(), /*read_only=*/true);
    BufferCache cache(CACHE_BYTES);
    Result<Ext2Volume*> opened = Ext2Volume::open(cache, device);
    if (opened.is_error()) return 0;
    Ext2Volume* volume = opened.value();
    Result<Ext2InodeData> root = Ext2InodeData::read(*volume, EXT2_ROOT_INODE);
    if (!root.is_error() && is_directory(root.value().mode)) {
        size_t budget = WALK_BUDGET_ENTRIES;
        walk(*volume, root.value(), 0, budget);
    }
    delete volume;
    return 0;
}
