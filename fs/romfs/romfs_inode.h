// fs/romfs/romfs_inode.h -- one romfs file, as the VFS sees it.
//
// Layer: concrete file system (romfs), VFS half. A RomfsInode is the VFS
// Inode of one romfs header: it keeps the parsed RomfsEntry (hard links
// already resolved) and answers the inode_operations romfs supports by asking
// the RomfsImage of its super block. Everything that writes keeps Inode's
// default, which answers EROFS on romfs's always read-only super block.
// (Linux: fs/romfs/super.c -- romfs_iget fills the inode, romfs_lookup,
// romfs_readdir, romfs_read_folio for file data, page_get_link for symlinks.)
//
// Interface:
//   RomfsInode::create(super_block, entry)   (RomfsSuperBlock::read_inode)
//   lookup(name)                 the child's inode; ENOENT when there is none
//   read_directory(cookie, v)    getdents: ".", "..", then the stored entries
//   read_at(offset, buffer, n)   regular files' data
//   readlink(buffer, n)          symbolic links' targets
//   Opening goes through Inode::open_file: regular files and directories get
//   the VFS's generic files, device nodes their driver from the device table,
//   fifos and sockets ENXIO (no pipes yet).
//
// Attributes (romfs stores only a type, an "executable" bit, a size and,
// for device nodes, a number; the rest is chosen here and documented):
//   number      the header offset after hard-link resolution, so every name of
//               a hard-linked file has the same st_ino, on every mount
//   mode        RomfsImage::mode_of (0644/0755 files, 0755 directories, ...)
//   uid, gid    0; times 0 (romfs has none: 1970-01-01, as on Linux)
//   size        as stored: file bytes, symlink target length, 0 for
//               directories and special files (Linux reports the same)
//   blocks      the data bytes in 512-byte units, rounded up
//   rdev        device nodes: make_device_number(spec.info >> 16, & 0xffff)
//   nlink       directories: 2 + their subdirectories, as on ext2 ("." and the
//               name in the parent, plus each subdirectory's ".."), counted
//               when the inode is read, so find(1)'s leaf optimisation and
//               readdir's DT_DIR entries always agree. Everything else: 1.
//               Linux's romfs reports 1 for everything ("hard to decide");
//               a file's true count would need a scan of the whole image for
//               hard links to it, so a hard-linked file also says 1 -- its
//               names share st_ino, which is what tar and cp -a check after
//               seeing nlink > 1, so those tools copy each name as a file.
//
// Directories, and the choices that make getdents right:
//   - The image stores "." and ".." as entries (genromfs makes them hard
//     links). The VFS never looks those names up (path_lookup handles dot
//     names itself), so lookup answers ENOENT for them; read_directory skips
//     the stored ones and emits its own through emit_dot_entries: "." is this
//     inode, ".." the stored ".."'s target (this inode for the root, and for a
//     hand-made image without a ".." entry).
//   - Cookies (getdents64's d_off, the directory's file position): 0 ".",
//     1 "..", 2 the first stored entry, then the header offset of the entry
//     that comes next in the chain -- the natural cookie, since a header's
//     `next` field is exactly where reading resumes -- and END_COOKIE after
//     the last entry. Header offsets are multiples of 16 and at least 32, so
//     the kinds never collide, and an image never changes, so a cookie stays
//     valid for as long as anyone keeps it.
//   - A cookie from user space (lseek) is checked before it is used: it must
//     be the header offset of an entry of *this* directory, found by walking
//     the chain from its first entry. Anything else reads as the end of the
//     directory (never someone else's entries, never a header read at a
//     random offset). The inode remembers the last resume point it handed
//     out, so a directory read from start to end needs no extra walks.
//   - d_ino and d_type are those of the hard link's target, like stat's; a
//     link whose target cannot be read is listed with its own offset and
//     DT_UNKNOWN (stat of it then reports the error).
//   - Loops: create() walks a directory's whole chain once (the same walk as
//     RomfsImage::count_directory_entries, with its loop checks), so a
//     looping chain is refused with ELOOP when the directory is looked up,
//     before anyone can read it. Later walks start from an entry of that
//     proven chain, which is why resuming at a validated cookie is safe.
//
// Locking: the VFS holds lock() around lookup, read_directory, read_at and
// readlink; last_resume_cookie_ is the only field that changes after
// create(), and only under that lock. The image itself needs no lock.
#pragma once

#include <cstddef>
#include <cstdint>

#include "fs/romfs/romfs_image.h"
#include "fs/vfs/inode.h"

class RomfsSuperBlock;

class RomfsInode final : public Inode {
public:
    // Directory cookies (see the header comment). Entries of the image have
    // cookies that are their header offsets.
    static constexpr uint64_t FIRST_ENTRY_COOKIE = 2;
    static constexpr uint64_t END_COOKIE = 3;

    // The inode for `entry`, a resolved header (not a hard link). A directory's
    // chain is walked here: EIO or ELOOP when it is damaged. ENOMEM.
    static Result<RomfsInode*> create(RomfsSuperBlock& super_block, const RomfsEntry& entry);

    const RomfsEntry& entry() const { return entry_; }
    uint64_t parent_number() const { return parent_number_; }

    // --- inode_operations (Linux romfs_dir_inode_operations, romfs_aops) ------
    // The inode `name` leads to in this directory (hard links resolved).
    Result<InodeRef> lookup(const char* name) override;
    // ".", "..", then every stored entry but the image's own dot entries.
    Result<void> read_directory(uint64_t cookie, DirectoryEntryVisitor& visitor) override;
    // The target of a symbolic link, truncated to `size` bytes.
    Result<size_t> readlink(char* buffer, size_t size) override;
    // A regular file's bytes from `offset`; short or 0 at the end.
    Result<size_t> read_at(uint64_t offset, void* buffer, size_t size) override;

private:
    // Where a directory read starts in the chain: 0 for the first entry, a
    // header offset, or NO_MORE_ENTRIES (not a multiple of 16: never a header).
    static constexpr uint32_t NO_MORE_ENTRIES = 0xffffffffu;

    // What getdents reports for one stored entry.
    struct ListedEntry {
        uint64_t inode_number;
        uint8_t type;  // DT_*
    };

    RomfsInode(RomfsSuperBlock& super_block, const RomfsEntry& entry);
    RomfsImage& image() const;
    // Walks the whole chain once: loop check, parent, subdirectory count.
    Result<void> scan_directory();
    // Checks a cookie against this directory's chain (header comment).
    Result<uint32_t> resume_offset_for(uint64_t cookie);
    // The inode number and d_type of a stored entry, hard links resolved.
    ListedEntry describe(const RomfsEntry& stored) const;

    RomfsEntry entry_;
    uint64_t parent_number_;
    uint64_t last_resume_cookie_ = FIRST_ENTRY_COOKIE;  // guarded by lock()
};
