// tests/host/support/ext2_write_support.h -- a writable ext2 mount through
// the VFS, the VFS as a Target of the model, and the host tools as judges of
// the image afterwards.
//
// Layer: host test support for tests/host/ext2_write_test.cpp.
//
//   WritableExt2Mount   an "ext2" type on its own BufferCache and namespace,
//                       over an image file opened read-write; mount(),
//                       unmount() (sync, then unmount: everything reaches the
//                       file) and mount() again, as often as a test likes
//   VfsTarget           the Target of ext2_operations.h on the mounted image:
//                       vfs_open/vfs_pwrite/vfs_truncate/vfs_mkdir... as root
//   e2fsck(image)       `e2fsck -fn`: exit status and output, and whether it
//                       found the image clean
//   check_image(image, model)   what the host tools see, against the model:
//                       e2fsck -fn clean; debugfs `ls -p` of every directory
//                       lists the model's names (plus "." and "..") with the
//                       right types and one inode number per hard-linked
//                       file; debugfs `stat` gives each inode's link count and
//                       size; `rdump` of the root gives each file's bytes and
//                       each symlink's target. One line per difference.
//   make_image(...)     a fresh image of a host folder (or of nothing)
//   statfs_of, unmount_keeping_counts, write_once, fill_disk ...  steps the
//                       tests share (ext2_write_steps.cpp)
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fs/ext2/ext2_vfs.h"
#include "fs/vfs/mount_namespace.h"
#include "fs/vfs/vfs.h"
#include "tests/host/support/ext2_fixture.h"
#include "tests/host/support/ext2_model.h"
#include "tests/host/support/ext2_operations.h"
#include "tests/host/support/image_file_device.h"

namespace ext2_test {

// ext2_fixture.h's mount with a writable device.
class WritableExt2Mount : public ext2_test::Ext2Mount {
public:
    int mount(const std::string& image) { return Ext2Mount::mount(image, true); }
};

class VfsTarget final : public ext2_model::Target {
public:
    explicit VfsTarget(WritableExt2Mount& mount) : mount_(mount) {}
    int create(const std::string& path, bool exclusive, bool truncating) override;
    int chmod(const std::string& path, uint32_t permissions) override;
    int write(const std::string& path, uint64_t offset, const std::vector<uint8_t>& bytes) override;
    int truncate(const std::string& path, uint64_t size) override;
    int mkdir(const std::string& path) override;
    int rmdir(const std::string& path) override;
    int unlink(const std::string& path) override;
    int link(const std::string& existing, const std::string& new_path) override;
    int symlink(const std::string& target, const std::string& path) override;
    int rename(const std::string& old_path, const std::string& new_path) override;
    int read(const std::string& path, uint64_t offset, size_t length, std::vector<uint8_t>& out) override;
    int readlink(const std::string& path, std::string& target) override;
    int status(const std::string& path, ext2_model::TargetStatus& out) override;
    int list(const std::string& path, std::vector<std::string>& names) override;
    int open_handle(int slot, const std::string& path) override;
    int write_handle(int slot, uint64_t offset, const std::vector<uint8_t>& bytes) override;
    int read_handle(int slot, uint64_t offset, size_t length, std::vector<uint8_t>& out) override;
    void close_handle(int slot) override { handles_[slot] = FileRef(); }

private:
    WritableExt2Mount& mount_;
    FileRef handles_[ext2_model::Model::HANDLE_SLOTS];
};

// e2fsck -n answers "no" to every question, and some problems (a wrong free
// count in the superblock) then still give exit status 0: clean means both
// exit 0 and no question asked.
struct FsckResult {
    int status = -1;
    std::string output;
    bool clean() const { return status == 0 && output.find("? no") == std::string::npos; }
};
FsckResult e2fsck(const std::string& image);

std::vector<std::string> check_image(const std::string& image, const ext2_model::Model& model,
                                     size_t max_failures = 20);

// --- steps the tests share (ext2_write_steps.cpp) --------------------------------------
linux_abi::statfs64 statfs_of(WritableExt2Mount& mount);
// Unmounts; the free counts statfs gave just before must be the ones the
// superblock holds afterwards (gtest failures otherwise).
void unmount_keeping_counts(WritableExt2Mount& mount, const std::string& image);
std::vector<uint8_t> pattern_bytes(size_t length, uint32_t seed);
// The model of an image of nothing but lost+found.
std::unique_ptr<ext2_model::Model> empty_model();
// One pwrite of `bytes` at `offset` (the file created if missing); the model
// takes the bytes the kernel says it wrote. The errno, or 0 and `written`.
int write_once(WritableExt2Mount& mount, ext2_model::Model& model, const std::string& path, uint64_t offset,
               const std::vector<uint8_t>& bytes, size_t& written);
// Files /fill_N of up to 64 KiB, 5,000 bytes per write, until a call fails:
// its errno (ENOSPC expected). `files` gets every file made.
int fill_disk(WritableExt2Mount& mount, ext2_model::Model& model, std::vector<std::string>& files);

// mke2fs -t ext2 -F -q <flags> [-d folder] image size; "" if mke2fs failed.
std::string make_image(const std::string& name, const std::string& flags, const std::string& folder,
                       const std::string& size);
std::string run_command(const std::string& command, int* status = nullptr);
// A folder for this process's scratch files, removed at exit.
const std::string& scratch_directory();

}  // namespace ext2_test
