// tests/host/support/ext2_write_steps.cpp -- the steps the ext2 write tests
// share (see ext2_write_support.h): statfs, unmounting with a check of the
// free counts, one write that the model follows, filling a disk.
#include <cstring>

#include "tests/host/support/ext2_fixture.h"
#include "tests/host/support/ext2_write_support.h"
#include "tests/host/support/vfs_test_support.h"

namespace ext2_test {

namespace {
const Credentials ROOT = Credentials::root();
}  // namespace

linux_abi::statfs64 statfs_of(WritableExt2Mount& mount) {
    linux_abi::statfs64 statistics{};
    EXPECT_EQ(error_of(vfs_statfs(mount.cwd(), "/", ROOT, &statistics)), 0);
    return statistics;
}

// Unmounts; the free counts statfs gave just before must be the ones the
// superblock now holds (and e2fsck, in check_image, counts the same).
void unmount_keeping_counts(WritableExt2Mount& mount, const std::string& image) {
    linux_abi::statfs64 counts = statfs_of(mount);
    ASSERT_EQ(mount.unmount(), 0);
    std::vector<uint8_t> superblock = read_bytes(image, 1024, 24);
    uint32_t free_blocks, free_inodes;
    std::memcpy(&free_blocks, superblock.data() + 12, 4);
    std::memcpy(&free_inodes, superblock.data() + 16, 4);
    EXPECT_EQ(counts.f_bfree, free_blocks) << "free blocks: statfs before the unmount, the superblock after it";
    EXPECT_EQ(counts.f_ffree, free_inodes) << "free inodes: statfs before the unmount, the superblock after it";
}

std::vector<uint8_t> pattern_bytes(size_t length, uint32_t seed) {
    std::vector<uint8_t> bytes(length);
    uint32_t state = seed * 2654435761u + 7;
    for (uint8_t& byte : bytes) {
        state = state * 1103515245u + 12345u;
        byte = uint8_t(state >> 16);
    }
    return bytes;
}

// An image of nothing but lost+found, and the model of it.
std::unique_ptr<ext2_model::Model> empty_model() {
    auto model = std::make_unique<ext2_model::Model>();
    model->mkdir("/lost+found");
    model->find("/lost+found")->permissions = 0700;  // as mke2fs makes it
    return model;
}

// Writes `length` bytes at `offset` in one pwrite; what was written goes into
// the model too. Returns the errno, or 0 with the count in `written`.
int write_once(WritableExt2Mount& mount, ext2_model::Model& model, const std::string& path, uint64_t offset,
               const std::vector<uint8_t>& bytes, size_t& written) {
    written = 0;
    Result<FileRef> file = vfs_open(mount.cwd(), path.c_str(), O_WRONLY | O_CREAT, 0644, ROOT);
    if (file.is_error()) return file.error();
    EXPECT_EQ(model.create(path, false), 0);
    Result<size_t> result = vfs_pwrite(*file.value(), bytes.data(), bytes.size(), int64_t(offset));
    if (result.is_error()) return result.error();
    written = result.value();
    std::vector<uint8_t> done(bytes.begin(), bytes.begin() + long(written));
    EXPECT_EQ(model.write(path, offset, done), 0);
    return 0;
}

// Files of up to 64 KiB written 5,000 bytes at a time until the disk is full.
int fill_disk(WritableExt2Mount& mount, ext2_model::Model& model, std::vector<std::string>& files) {
    for (int index = 0; index < 1000; ++index) {
        std::string path = "/fill_" + std::to_string(index);
        for (uint64_t offset = 0; offset < (64u << 10);) {
            size_t written = 0;
            int error = write_once(mount, model, path, offset, pattern_bytes(5000, uint32_t(index * 100 + offset)), written);
            if (model.find(path) && (files.empty() || files.back() != path)) files.push_back(path);
            if (error != 0) return error;
            offset += written;
        }
    }
    return 0;
}

}  // namespace ext2_test
