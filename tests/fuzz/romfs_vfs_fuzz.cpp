// tests/fuzz/romfs_vfs_fuzz.cpp -- libFuzzer target: arbitrary bytes mounted
// as romfs through the VFS.
//
// Layer: host fuzzing of romfs's VFS half (fs/romfs/romfs_super, romfs_inode)
// together with the VFS above it and everything below it (RomfsImage, the
// buffer cache, the block layer). tests/fuzz/romfs_fuzz.cpp fuzzes the
// on-disk half alone; this one asks the questions a user would, through the
// vfs_* calls only: each input becomes a RAM disk that is mounted as the
// root of a fresh MountNamespace, and the tree is walked the way `ls -lR`
// and `cat` would: vfs_open + vfs_getdents64 (small buffers, then a lseek to a
// cookie half-way), vfs_stat of every name, vfs_read/vfs_pread/vfs_lseek of
// every regular file, vfs_readlink and a followed stat of every symlink, a
// few lookups that must fail. Then everything is closed and unmounted.
//
// What must hold, whatever the bytes (checked with __builtin_trap, so
// libFuzzer reports a broken promise as a crash):
//   - no crash, sanitizer report or hang; a refused mount is an error, never
//     a half-made super block: the VFS's object counts are zero after every
//     input (vfs_object_counts), and so is the buffer cache's block count
//     (put_super and a failed mount drop the device's buffers);
//   - getdents64 records are well formed, "." and ".." come first, and a
//     listing resumed at a d_off it handed out gives exactly the rest;
//   - a name that appears once in its directory stats to the d_ino and the
//     d_type getdents gave (unless that was DT_UNKNOWN: a broken hard link);
//   - a regular file reads exactly st_size bytes; readlink returns at most
//     st_size bytes.
//
// Checksums: as in romfs_fuzz.cpp, even-length inputs get their superblock
// and reachable header checksums repaired first, so mutations get past them
// to the structure; odd-length inputs keep the checksum checks fuzzed.
//
// Budget: the walk stops after WALK_BUDGET_ENTRIES names and at
// MAX_DEPTH directories deep, so one input cannot time out.
//
// Build and run: `make fuzz FUZZ_SECONDS=600` runs this target and
// romfs_fuzz (tests/fuzz/fuzz.mk).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "drivers/block/ramdisk.h"
#include "fs/cache/buffer_cache.h"
#include "fs/romfs/romfs_format.h"
#include "fs/romfs/romfs_super.h"
#include "fs/vfs/mount_namespace.h"
#include "fs/vfs/path_lookup.h"
#include "fs/vfs/vfs.h"

namespace {

constexpr size_t WALK_BUDGET_ENTRIES = 4000;
constexpr int MAX_DEPTH = 24;
constexpr size_t CACHE_BYTES = 64 * 1024;  // small, so large inputs exercise eviction
constexpr size_t MAX_READ_BYTES = 1 << 20;  // per file; inputs are 64 KiB at most anyway

#define FUZZ_CHECK(condition)                \
    do {                                     \
        if (!(condition)) __builtin_trap(); \
    } while (0)

const Credentials ROOT = Credentials::root();

// --- checksum repair (see the header comment) ---------------------------------

uint32_t name_length_at(const std::vector<uint8_t>& image, size_t offset, size_t limit) {
    size_t room = image.size() > offset ? image.size() - offset : 0;
    if (room > limit) room = limit;
    return uint32_t(strnlen(reinterpret_cast<const char*>(image.data() + offset), room));
}

void set_checksum(std::vector<uint8_t>& image, uint32_t field, uint32_t start, uint32_t length) {
    romfs_write_be32(&image[field], 0);
    romfs_write_be32(&image[field], 0u - romfs_checksum(&image[start], length));
}

// Follows `next` and spec.info from the first header, fixing each header's
// checksum, then the superblock's (which covers the headers in its 512 bytes).
void repair_checksums(std::vector<uint8_t>& image) {
    if (image.size() < ROMFS_MIN_IMAGE_SIZE || std::memcmp(image.data(), ROMFS_MAGIC, sizeof ROMFS_MAGIC) != 0)
        return;
    uint32_t volume_length = name_length_at(image, ROMFS_SUPERBLOCK_VOLUME_NAME, ROMFS_MAX_NAME_LENGTH + 1);
    std::vector<uint32_t> pending = {ROMFS_SUPERBLOCK_VOLUME_NAME + romfs_padded_name_size(volume_length)};
    std::set<uint32_t> repaired;
    while (!pending.empty() && repaired.size() < 4096) {
        uint32_t header = pending.back();
        pending.pop_back();
        if (header < ROMFS_MIN_IMAGE_SIZE || header % ROMFS_ALIGNMENT != 0 ||
            header + uint64_t(ROMFS_MIN_HEADER_SIZE) > image.size() || !repaired.insert(header).second)
            continue;
        uint32_t name_length = name_length_at(image, header + ROMFS_HEADER_NAME, ROMFS_MAX_NAME_LENGTH + 1);
        uint32_t metadata_size = ROMFS_HEADER_FIELDS_SIZE + romfs_padded_name_size(name_length);
        if (name_length <= ROMFS_MAX_NAME_LENGTH && header + uint64_t(metadata_size) <= image.size())
            set_checksum(image, header + ROMFS_HEADER_CHECKSUM, header, metadata_size);
        uint32_t next = romfs_read_be32(&image[header + ROMFS_HEADER_NEXT]);
        pending.push_back(next & ROMFS_OFFSET_MASK);
        auto type = RomfsFileType(next & ROMFS_NEXT_TYPE_MASK);
        if (type == RomfsFileType::Directory || type == RomfsFileType::HardLink)
            pending.push_back(romfs_read_be32(&image[header + ROMFS_HEADER_SPEC_INFO]) & ROMFS_OFFSET_MASK);
    }
    uint32_t size = romfs_read_be32(&image[ROMFS_SUPERBLOCK_FULL_SIZE]);
    size_t span = size < ROMFS_SUPERBLOCK_CHECKSUM_SPAN ? size & ~3u : ROMFS_SUPERBLOCK_CHECKSUM_SPAN;
    if (span > image.size()) span = image.size() & ~size_t(3);
    set_checksum(image, ROMFS_SUPERBLOCK_CHECKSUM, 0, uint32_t(span));
}

// --- the walk ---------------------------------------------------------------------

struct ListedName {
    std::string name;
    uint64_t inode_number;
    uint8_t type;
};

struct Walk {
    Path root;
    size_t budget = WALK_BUDGET_ENTRIES;
};

// Parses one getdents64 buffer, checking every record's shape.
void parse_records(const uint8_t* records, size_t size, std::vector<ListedName>& names,
                   std::vector<int64_t>& cookies) {
    for (size_t offset = 0; offset < size;) {
        FUZZ_CHECK(size - offset >= linux_abi::DIRENT64_HEADER_SIZE);
        linux_abi::linux_dirent64 record;
        std::memcpy(&record, records + offset, linux_abi::DIRENT64_HEADER_SIZE);
        FUZZ_CHECK(record.d_reclen % 8 == 0 && record.d_reclen <= size - offset);
        const char* name = reinterpret_cast<const char*>(records + offset + linux_abi::DIRENT64_HEADER_SIZE);
        size_t length = strnlen(name, record.d_reclen - linux_abi::DIRENT64_HEADER_SIZE);
        FUZZ_CHECK(length >= 1 && length <= ROMFS_MAX_NAME_LENGTH);
        FUZZ_CHECK(record.d_reclen == linux_abi::dirent64_record_length(length));
        names.push_back({std::string(name, length), record.d_ino, record.d_type});
        cookies.push_back(record.d_off);
        offset += record.d_reclen;
    }
}

// Reads the directory from its position to the end; false on an error.
bool read_listing(File& directory, size_t buffer_size, std::vector<ListedName>& names,
                  std::vector<int64_t>& cookies) {
    std::vector<uint8_t> buffer(buffer_size);
    for (size_t calls = 0; calls < 2 * WALK_BUDGET_ENTRIES; ++calls) {
        Result<size_t> got = vfs_getdents64(directory, buffer.data(), buffer.size());
        if (got.is_error()) return false;
        if (got.value() == 0) return true;
        parse_records(buffer.data(), got.value(), names, cookies);
    }
    return false;
}

// Lists `path`, then lists again from a cookie half-way, which must give the rest.
bool list_directory(const std::string& path, std::vector<ListedName>& names, Walk& walk) {
    Result<FileRef> opened = vfs_open(walk.root, path.c_str(), O_RDONLY | O_DIRECTORY, 0, ROOT);
    if (opened.is_error()) return false;
    File& directory = *opened.value();
    std::vector<int64_t> cookies;
    if (!read_listing(directory, 96, names, cookies)) return false;  // 96: a few records per call
    FUZZ_CHECK(names.size() >= 2 && names[0].name == "." && names[1].name == "..");
    size_t middle = names.size() / 2;
    FUZZ_CHECK(vfs_lseek(directory, cookies[middle], SEEK_SET).value() == cookies[middle]);
    std::vector<ListedName> rest;
    std::vector<int64_t> rest_cookies;
    FUZZ_CHECK(read_listing(directory, 4096, rest, rest_cookies));
    FUZZ_CHECK(rest.size() == names.size() - middle - 1);
    for (size_t i = 0; i < rest.size(); ++i) FUZZ_CHECK(rest[i].name == names[middle + 1 + i].name);
    return true;
}

void read_regular_file(const std::string& path, const linux_abi::stat64& status, Walk& walk) {
    Result<FileRef> opened = vfs_open(walk.root, path.c_str(), O_RDONLY, 0, ROOT);
    if (opened.is_error()) return;
    File& file = *opened.value();
    uint8_t buffer[1500];  // not a divisor of the block size: reads straddle blocks
    uint64_t total = 0;
    while (total < MAX_READ_BYTES) {
        Result<size_t> got = vfs_read(file, buffer, sizeof buffer);
        if (got.is_error()) return;
        if (got.value() == 0) break;
        total += got.value();
    }
    if (total < MAX_READ_BYTES) FUZZ_CHECK(total == uint64_t(status.st_size));
    (void)vfs_pread(file, buffer, sizeof buffer, status.st_size / 2);
    FUZZ_CHECK(vfs_lseek(file, 0, SEEK_END).value() == status.st_size);
}

void visit_symlink(const std::string& path, const linux_abi::stat64& status, Walk& walk) {
    char target[MAX_PATH_LENGTH];
    Result<size_t> length = vfs_readlink(walk.root, path.c_str(), target, sizeof target, ROOT);
    if (!length.is_error()) FUZZ_CHECK(length.value() <= uint64_t(status.st_size));
    linux_abi::stat64 followed;
    (void)vfs_stat(walk.root, path.c_str(), true, ROOT, &followed);  // ENOENT, ELOOP ... or a file
}

void walk_directory(const std::string& path, int depth, Walk& walk);

void visit_name(const std::string& directory, const ListedName& listed, bool unique, int depth, Walk& walk) {
    std::string path = directory == "/" ? "/" + listed.name : directory + "/" + listed.name;
    linux_abi::stat64 status;
    if (vfs_stat(walk.root, path.c_str(), false, ROOT, &status).is_error()) return;
    if (unique && listed.type != DT_UNKNOWN) {
        FUZZ_CHECK(status.st_ino == listed.inode_number);
        FUZZ_CHECK(directory_entry_type(status.st_mode) == listed.type);
    }
    if (is_directory(status.st_mode)) {
        FUZZ_CHECK(status.st_nlink >= 2);
        walk_directory(path, depth + 1, walk);
    } else if (is_regular_file(status.st_mode)) {
        read_regular_file(path, status, walk);
        linux_abi::stat64 ignored;
        Result<void> below_a_file = vfs_stat(walk.root, (path + "/x").c_str(), false, ROOT, &ignored);
        FUZZ_CHECK(below_a_file.is_error() && below_a_file.error() == ENOTDIR);
    } else if (is_symbolic_link(status.st_mode)) {
        visit_symlink(path, status, walk);
    }
}

void walk_directory(const std::string& path, int depth, Walk& walk) {
    if (depth > MAX_DEPTH || walk.budget == 0) return;
    std::vector<ListedName> names;
    if (!list_directory(path, names, walk)) return;
    std::map<std::string, int> occurrences;
    for (const ListedName& listed : names) ++occurrences[listed.name];
    for (size_t i = 2; i < names.size() && walk.budget > 0; ++i, --walk.budget) {
        const ListedName& listed = names[i];
        // A stored name may hold a '/' or be a dot name: no path reaches it.
        if (listed.name.find('/') != std::string::npos || listed.name == "." || listed.name == "..") continue;
        visit_name(path, listed, occurrences[listed.name] == 1, depth, walk);
    }
    linux_abi::stat64 ignored;
    std::string missing = (path == "/" ? "" : path) + "/no such name in this image";
    (void)vfs_stat(walk.root, missing.c_str(), false, ROOT, &ignored);
}

void check_nothing_left(BufferCache& cache) {
    VfsObjectCounts left = vfs_object_counts();
    FUZZ_CHECK(left.super_blocks == 0 && left.mounts == 0 && left.dentries == 0);
    FUZZ_CHECK(left.inodes == 0 && left.files == 0);
    FUZZ_CHECK(cache.statistics().buffers == 0);
}

// The type and its cache live for the whole run, as in the kernel.
struct Environment {
    BufferCache cache{CACHE_BYTES};
    RomfsFileSystemType romfs{cache};
    Environment() { FUZZ_CHECK(!register_filesystem(romfs).is_error()); }
    ~Environment() { (void)unregister_filesystem(romfs); }  // at exit: leave the registry consistent
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static Environment environment;
    std::vector<uint8_t> disk(data, data + size);
    if (size % 2 == 0) repair_checksums(disk);
    disk.resize((size + SECTOR_SIZE - 1) / SECTOR_SIZE * SECTOR_SIZE, 0);
    RamDisk device("fuzz0", disk.data(), disk.size(), /*read_only=*/true);
    {
        DentryCache dentry_cache(256);
        MountNamespace mount_namespace(dentry_cache);
        if (!mount_namespace.mount_root("romfs", &device, 0, "").is_error()) {
            Walk walk{mount_namespace.root()};
            linux_abi::statfs64 statistics;
            FUZZ_CHECK(!vfs_statfs(walk.root, "/", ROOT, &statistics).is_error());
            FUZZ_CHECK(statistics.f_type == ROMFS_STATFS_MAGIC && (statistics.f_flags & linux_abi::ST_RDONLY));
            walk_directory("/", 0, walk);
            FUZZ_CHECK(vfs_mkdir(walk.root, "/new", 0755, ROOT).is_error());  // EROFS or EEXIST
            walk.root.reset();
            FUZZ_CHECK(!mount_namespace.unmount_all().is_error());
        }
    }
    check_nothing_left(environment.cache);
    return 0;
}
