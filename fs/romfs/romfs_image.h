// fs/romfs/romfs_image.h -- a romfs image, read and checked, without the VFS.
//
// Layer: concrete file system (romfs), the on-disk half. RomfsImage knows the
// format (romfs_format.h) and reads through RomfsStorage; it knows nothing of
// inodes, dentries or files. The VFS half of romfs wraps it: a SuperBlock
// owns one RomfsImage, an Inode remembers one RomfsEntry. (Linux:
// fs/romfs/super.c does both halves; this is its romfs_iget, romfs_readdir,
// romfs_lookup and romfs_read_folio minus the VFS glue.)
//
// Interface:
//   RomfsImage* image = TRY(RomfsImage::open(cache, device));   caller deletes it
//   RomfsEntry root = TRY(image->root());
//   TRY(image->for_each_directory_entry(root, [&](const RomfsEntry& entry) {
//       ... entry.name, entry.type ...
//       return RomfsWalk::Continue;
//   }));
//   RomfsEntry found = TRY(image->find_in_directory(root, "etc"));
//   RomfsEntry file = TRY(image->resolve_hard_link(found));     inode: file.header_offset
//   size_t got = TRY(image->read_data(file, 0, buffer, sizeof buffer));
//
// Rules chosen here (Linux's romfs leaves them implicit):
//   Inode numbers  the header offset of the entry after resolving hard links
//                  (RomfsEntry::inode_number). Unique per file, the same on
//                  every mount, equal for all names of one hard-linked file,
//                  never 0 (the first header follows the superblock). The root
//                  is the first header, at 32 for volume names under 16 bytes.
//   Modes          romfs stores no owner and no permissions, only an
//                  "executable" bit. As Linux: regular files 0644, or 0755
//                  with the bit; symlinks 0777; device nodes 0600; sockets and
//                  fifos 0644. Directories are always 0755 (Linux gives 0644
//                  plus x only with the bit, which genromfs always sets; a
//                  directory nobody may search helps nobody). Link count 1,
//                  owner root, times 0: the VFS half fills those.
//   "." and ".."   reported as stored (genromfs writes both); a caller that
//                  walks a tree skips them by name, as every Unix tool does.
//
// Corrupt images. Every header is checked when read: 16-byte aligned, after
// the superblock, name NUL-terminated within 255 bytes and not empty, data
// inside the image, header checksum zero. Every loop is bounded:
//   - a hard link to a hard link ... is followed at most MAX_HARD_LINK_HOPS
//     times (genromfs never makes chains: 1 hop);
//   - a directory's `next` chain can only hold image_size / 16 distinct
//     headers, so a longer walk must be going round: ELOOP. To catch a loop
//     long before that, the walk also runs Brent's cycle detection (remember
//     the offset at steps 1, 2, 4, 8, ...; meeting it again is a loop), which
//     costs two integers and finds any cycle within about 3x its length;
//   - descending: an entry other than "." and ".." that is (or links to) a
//     directory must have its header *after* the directory being listed. Then
//     every path of real names climbs through strictly increasing offsets and
//     ends, so no tree walk recurses forever -- whether a directory lists
//     itself, its parent or any ancestor. genromfs writes each directory
//     before its contents, so its images always pass.
// Error codes: EINVAL "this is not a romfs image" (bad magic, device too
// small), EIO "a damaged romfs image" (every other check, with a warning
// naming the device and the offset), ELOOP for the three loops above,
// ENOTDIR/EISDIR for a wrong kind of entry, ENOENT, ENAMETOOLONG, ENOMEM.
//
// Locking: an open RomfsImage never changes, so any number of threads may
// use it at once; the buffer cache below has its own lock.
#pragma once

#include <cstddef>
#include <cstdint>

#include "fs/romfs/romfs_format.h"
#include "fs/romfs/romfs_storage.h"

// The file type bits of a Linux st_mode (<linux/stat.h>), spelled out because
// romfs must not depend on the VFS, and the host's <sys/stat.h> already
// defines the plain S_IF* names as macros.
constexpr uint32_t LINUX_S_IFMT = 0170000;
constexpr uint32_t LINUX_S_IFSOCK = 0140000;
constexpr uint32_t LINUX_S_IFLNK = 0120000;
constexpr uint32_t LINUX_S_IFREG = 0100000;
constexpr uint32_t LINUX_S_IFBLK = 0060000;
constexpr uint32_t LINUX_S_IFDIR = 0040000;
constexpr uint32_t LINUX_S_IFCHR = 0020000;
constexpr uint32_t LINUX_S_IFIFO = 0010000;

// One file header, parsed and checked (RomfsImage::read_entry).
struct RomfsEntry {
    uint32_t header_offset = 0;  // where the header starts
    uint32_t next_offset = 0;    // next entry of the same directory; 0: this is the last
    RomfsFileType type = RomfsFileType::RegularFile;
    bool executable = false;
    uint32_t spec_info = 0;      // raw; see the accessors below
    uint32_t size = 0;           // bytes of data
    uint32_t data_offset = 0;    // first data byte (after the padded name)
    uint32_t name_length = 0;    // 1..ROMFS_MAX_NAME_LENGTH
    char name[ROMFS_MAX_NAME_LENGTH + 1] = {};

    bool is_directory() const { return type == RomfsFileType::Directory; }
    bool is_hard_link() const { return type == RomfsFileType::HardLink; }
    bool is_dot_or_dot_dot() const {
        return name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'));
    }
    // Meaningful for an entry that is not a hard link (resolve it first).
    uint32_t inode_number() const { return header_offset; }
    uint32_t first_entry_offset() const { return spec_info & ROMFS_OFFSET_MASK; }  // directory
    uint32_t link_target_offset() const { return spec_info & ROMFS_OFFSET_MASK; }  // hard link
    uint32_t device_major() const { return spec_info >> 16; }                      // device node
    uint32_t device_minor() const { return spec_info & 0xffff; }                   // device node
};

// What a directory visitor wants next.
enum class RomfsWalk { Continue, Stop };

class RomfsImage {
public:
    static constexpr uint32_t MAX_HARD_LINK_HOPS = 8;

    // Reads and verifies the superblock (magic; full size at least 32 bytes
    // and within the device; checksum of the first min(512, size) bytes;
    // volume name) and the root directory's header. The image keeps
    // references to `cache` and `device`, which must outlive it.
    static Result<RomfsImage*> open(BufferCache& cache, BlockDevice& device);
    ~RomfsImage() = default;
    RomfsImage(const RomfsImage&) = delete;
    RomfsImage& operator=(const RomfsImage&) = delete;

    uint32_t image_size() const { return image_size_; }
    const char* volume_name() const { return volume_name_; }
    uint32_t root_offset() const { return root_offset_; }
    BlockDevice& device() { return storage_.device(); }

    Result<RomfsEntry> root() { return read_entry(root_offset_); }
    // Parses and checks the header at `offset` (see "Corrupt images" above).
    Result<RomfsEntry> read_entry(uint32_t offset);
    // The entry a hard link (chain) leads to; any other entry as it is. Its
    // name is the target's: list a directory under the link's own name.
    Result<RomfsEntry> resolve_hard_link(const RomfsEntry& entry);

    // Calls visit(entry) -> RomfsWalk for each entry of `directory` (which is
    // a resolved directory, else ENOTDIR), in on-disk order, hard links not
    // resolved, "." and ".." included. From `resume_offset` instead of the
    // first entry when it is not 0: the offset of an entry of this directory
    // seen earlier (next_offset or header_offset), a readdir position.
    // Loop checks cover one call; a VFS that resumes walks across calls
    // should have walked the directory once to its end first (e.g. with
    // count_directory_entries when the inode is loaded), which proves the
    // whole chain loop-free.
    template <typename Visitor>
    Result<void> for_each_directory_entry(const RomfsEntry& directory, Visitor visit,
                                          uint32_t resume_offset = 0) {
        return walk_directory(
            directory, resume_offset,
            [](const RomfsEntry& entry, void* context) { return (*static_cast<Visitor*>(context))(entry); },
            &visit);
    }
    // Entries of `directory` ("." and ".." included), checking the whole chain.
    Result<uint32_t> count_directory_entries(const RomfsEntry& directory);
    // The entry called `name` in `directory`, as stored (maybe a hard link).
    // ENOENT when there is none, ENAMETOOLONG for names over 255 bytes.
    Result<RomfsEntry> find_in_directory(const RomfsEntry& directory, const char* name);

    // Copies up to `length` bytes of a regular file's contents or a symlink's
    // target, from `offset` on, into `buffer`. Returns the bytes copied: short
    // at the end of the data, 0 at or past it. Hard links are followed;
    // EISDIR for a directory, EINVAL for other types.
    Result<size_t> read_data(const RomfsEntry& entry, uint64_t offset, void* buffer, size_t length);

    // The Linux st_mode (type and permission bits) of a resolved entry; 0
    // for a hard link. See "Modes" above.
    static uint32_t mode_of(const RomfsEntry& entry);

private:
    using EntryVisitor = RomfsWalk (*)(const RomfsEntry& entry, void* context);

    RomfsImage(BufferCache& cache, BlockDevice& device) : storage_(cache, device) {}
    Result<void> load_superblock();
    Result<void> load_root();
    Result<void> walk_directory(const RomfsEntry& directory, uint32_t resume_offset,
                                EntryVisitor visit, void* context);
    Result<void> check_descent(const RomfsEntry& directory, const RomfsEntry& entry);
    Result<void> check_header_offset(uint32_t offset, const char* what, uint32_t referrer);

    RomfsStorage storage_;
    uint32_t image_size_ = 0;
    uint32_t first_header_offset_ = 0;  // right after the padded volume name
    uint32_t root_offset_ = 0;          // the root directory (resolved)
    char volume_name_[ROMFS_MAX_NAME_LENGTH + 1] = {};
};
