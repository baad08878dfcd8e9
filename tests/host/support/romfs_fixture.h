// tests/host/support/romfs_fixture.h -- a source tree, its genromfs image and
// helpers for romfs tests.
//
// Layer: host test support for tests/host/romfs_test.cpp.
//
//   fixture()            builds once per process, in a fresh temporary folder
//                        (removed at exit): a tree with files of awkward sizes
//                        and names, 300 entries in one directory, nested and
//                        empty directories, hard links, symlinks, a fifo, a
//                        socket, and device nodes when mknod is permitted;
//                        then `genromfs -f image -d tree -V test-volume`.
//                        `nodes` describes every path of the tree as the host
//                        sees it (lstat), the model the image is checked against.
//   MountedImage         ImageFileDevice (read-only) + BufferCache + RomfsImage
//                        over an image file, torn down in the right order.
//   lookup(image, path)  "a/b/c" from the root, hard links resolved (the last
//                        one only if resolve_last).
//   Image patching       big-endian fields, checksums fixed up after a change,
//                        so a test damages exactly the one thing it means to.
//
// Paths are relative to the tree's root, without a leading slash; "" is the
// root itself.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "fs/cache/buffer_cache.h"
#include "fs/romfs/romfs_image.h"
#include "kernel/lib/errno.h"
#include "tests/host/support/image_file_device.h"

#define ASSERT_OK(result) \
    ASSERT_FALSE((result).is_error()) << #result << " failed: " << errno_name((result).error())

// Expects `expression` (a Result) to fail with exactly `code`.
#define EXPECT_ERROR(expression, code)                                                                  \
    do {                                                                                                \
        auto&& expect_error_result_ = (expression);                                                     \
        if (!expect_error_result_.is_error()) {                                                         \
            ADD_FAILURE() << #expression << " succeeded; expected " << errno_name(code);                \
        } else {                                                                                        \
            EXPECT_STREQ(errno_name(expect_error_result_.error()), errno_name(code)) << #expression;    \
        }                                                                                               \
    } while (0)

namespace romfs_test {

constexpr const char* VOLUME_NAME = "test-volume";

struct HostNode {
    char kind = 'f';  // f regular, d directory, l symlink, p fifo, s socket, c char, b block
    uint64_t size = 0;
    std::string symlink_target;
    bool executable = false;

    RomfsFileType romfs_type() const;
    uint32_t linux_type_bits() const;
};

struct Fixture {
    std::string temporary_directory;
    std::string tree_directory;
    std::string image_path;
    std::vector<uint8_t> image_bytes;
    std::map<std::string, HostNode> nodes;
    bool has_device_nodes = false;

    std::multiset<std::string> children_of(const std::string& path) const;
    std::vector<uint8_t> host_file_bytes(const std::string& path) const;
    ~Fixture();
};

const Fixture& fixture();

class MountedImage {
public:
    explicit MountedImage(const std::string& path, ImageFileDevice::Options options = {},
                          size_t cache_bytes = BufferCache::DEFAULT_CAPACITY_BYTES);
    ~MountedImage();
    MountedImage(const MountedImage&) = delete;
    MountedImage& operator=(const MountedImage&) = delete;

    ImageFileDevice* device = nullptr;
    std::unique_ptr<BufferCache> cache;
    RomfsImage* image = nullptr;
    Result<void> open_result;  // of the device, then of the romfs
};

Result<RomfsEntry> lookup(RomfsImage& image, const std::string& path, bool resolve_last = true);
// find_in_directory, then resolve_hard_link.
Result<RomfsEntry> lookup_in(RomfsImage& image, const RomfsEntry& directory, const char* name);
std::string parent_of(const std::string& path);
// The whole data of `entry`, read `chunk` bytes at a time; a failed read is a
// test failure and ends the data early.
std::vector<uint8_t> read_all(RomfsImage& image, const RomfsEntry& entry, size_t chunk);

// Walks the whole tree below the root like a careless `find`: every real
// name (not "." and ".."), every file's data; returns the first error's code
// or 0. Used on damaged images, where it must end, whatever it finds.
int walk_everything(RomfsImage& image, size_t* entries_seen);

std::vector<uint8_t> read_file_bytes(const std::string& path);
// Writes bytes to a new file in the fixture's temporary folder; returns its path.
std::string write_temporary_image(const std::vector<uint8_t>& bytes);
// Runs genromfs; true on success.
bool make_image(const std::string& tree, const std::string& image, const char* volume_name);

// An image whose superblock size ends in the first half of a 1 KiB block,
// truncated to whole sectors: the device then ends half-way through a 1 KiB block.
struct TailImage {
    std::string path;              // empty if none could be made
    std::vector<uint8_t> contents; // of its one file, "tail"
};
TailImage make_image_ending_in_half_a_block();

// --- patching ---------------------------------------------------------------
uint32_t get_be32(const std::vector<uint8_t>& bytes, uint32_t offset);
void set_be32(std::vector<uint8_t>& bytes, uint32_t offset, uint32_t value);
uint32_t superblock_size(const std::vector<uint8_t>& bytes);
// Recomputes the checksum of the header at `header` (fields and padded name).
void fix_header_checksum(std::vector<uint8_t>& bytes, uint32_t header);
void fix_superblock_checksum(std::vector<uint8_t>& bytes);
// Sets the offset part of `next` (keeping the type and executable bits) and
// fixes the header's checksum.
void set_next_offset(std::vector<uint8_t>& bytes, uint32_t header, uint32_t next);
// Sets spec.info and fixes the header's checksum.
void set_spec_info(std::vector<uint8_t>& bytes, uint32_t header, uint32_t spec_info);

// Facts about the good image, from a mount of it (kept until exit).
RomfsImage& good_image();
uint32_t header_offset_of(const std::string& path, bool resolve_last = false);
// The entries of a directory in chain order (header offsets).
std::vector<uint32_t> chain_of(const std::string& directory_path);

}  // namespace romfs_test
