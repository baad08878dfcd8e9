// fs/romfs/romfs_super.h -- romfs as a file system type: mount, super block, statfs.
//
// Layer: concrete file system (romfs), its VFS half (with romfs_inode.h). The
// on-disk half, RomfsImage (romfs_image.h), knows the format and nothing of
// the VFS; this file puts it behind the VFS's ops classes:
//
//   RomfsFileSystemType   the FileSystemType "romfs" (needs a block device).
//                         mount() opens a RomfsImage on the device and builds
//                         a RomfsSuperBlock around it. (Linux: romfs_fs_type,
//                         romfs_mount / romfs_fill_super in fs/romfs/super.c)
//   RomfsSuperBlock       owns the RomfsImage; its super_operations are
//                         read_inode (Linux romfs_iget), statfs (romfs_statfs)
//                         and put_super (romfs_kill_sb). The write side keeps
//                         SuperBlock's "nothing to do" defaults.
//
// Usage (the kernel does this once at boot, a test with its own cache):
//   static RomfsFileSystemType romfs(buffer_cache);
//   TRY(register_filesystem(romfs));
//   TRY(mount_namespace.mount_root("romfs", ram0, 0, ""));
//
// Rules:
//   - Read-only, always: mount() adds MS_RDONLY to the super block's flags
//     whatever the caller asked, so the VFS answers every write with EROFS
//     before romfs is even asked, and `mount` lists the file system as "ro".
//   - Options: romfs has none; the data string of mount(2) is ignored.
//   - A bad image is refused at mount, never later with a crash: RomfsImage
//     checks the superblock and the root header, and loading the root inode
//     walks the root directory's whole chain (romfs_inode.h). The refusal is
//     one log line that names the device and the reason; the error is EINVAL
//     when the device holds no romfs at all (wrong magic, too small), ENOMEM
//     when memory ran out, and EIO for every kind of damage (bad checksum,
//     offsets outside the image, loops).
//   - Inode numbers are header offsets after hard-link resolution (see
//     romfs_image.h), so read_inode(number) simply parses the header at that
//     offset; RomfsImage::read_entry checks that the offset can hold a valid
//     header (alignment, bounds, checksum). A number that names a hard link
//     is no inode: ENOENT.
//   - st_dev is the device's registered number (ram0 is 1:0, as on Linux);
//     a device nobody registered (a test's image file) keeps the anonymous
//     number the VFS gave the super block.
//
// Ownership: the super block owns the RomfsImage from mount() until
// put_super(), which deletes it and drops the device's buffers from the
// cache (nothing else of this device is cached once the image is gone). The
// FileSystemType and its BufferCache must outlive every super block (the VFS
// refuses to unregister a type in use).
//
// Locking: none of its own. The image never changes after mount, so any
// number of inodes may read it at once; the buffer cache locks itself.
#pragma once

#include <cstddef>
#include <cstdint>

#include "fs/cache/buffer_cache.h"
#include "fs/romfs/romfs_image.h"
#include "fs/vfs/file_system_type.h"
#include "fs/vfs/super_block.h"

// statfs f_type of a romfs (Linux: ROMFS_MAGIC in include/uapi/linux/magic.h).
constexpr uint32_t ROMFS_STATFS_MAGIC = 0x7275;
// The block size romfs reports in statfs and st_blksize (Linux: ROMBSIZE), the
// same as RomfsStorage's read unit. (Not spelled RomfsStorage::BLOCK_SIZE
// here: the host's <sys/mount.h>, which the VFS headers include, defines
// BLOCK_SIZE as a macro.)
constexpr uint32_t ROMFS_BLOCK_SIZE = 1024;

class RomfsFileSystemType final : public FileSystemType {
public:
    // Every romfs mounted through this type reads through `cache`.
    explicit RomfsFileSystemType(BufferCache& cache) : FileSystemType("romfs", true), cache_(cache) {}

    // Opens the image on `device` and returns its super block with the root
    // inode loaded. Errors: EINVAL (no romfs here, or no device), EIO (a
    // damaged image), ENOMEM; each with a log line naming the device.
    Result<SuperBlock*> mount(BlockDevice* device, uint32_t flags, const char* options) override;

private:
    BufferCache& cache_;
};

class RomfsSuperBlock final : public SuperBlock {
public:
    // Takes over `image` (opened on `device` through `cache`).
    RomfsSuperBlock(FileSystemType& type, BlockDevice& device, BufferCache& cache, RomfsImage* image,
                    uint32_t flags);
    ~RomfsSuperBlock() override;

    RomfsImage& image() { return *image_; }
    // The device the image lives on (SuperBlock::device(), never nullptr here).
    BlockDevice& romfs_device() { return *device(); }

    // For RomfsFileSystemType::mount(): loads the root directory's inode.
    Result<void> load_root();

    // --- super_operations ----------------------------------------------------
    // Builds the RomfsInode for the header at offset `number` (Linux romfs_iget).
    Result<Inode*> read_inode(uint64_t number) override;
    // f_type 0x7275, 1 KiB blocks, the image size in blocks, nothing free.
    Result<FileSystemStatistics> statfs() override;
    // Deletes the image and drops the device's buffers from the cache.
    void put_super() override;

private:
    BufferCache& cache_;
    RomfsImage* image_;  // owned; nullptr after put_super()
};
