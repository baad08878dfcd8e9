// fs/romfs/romfs_inode.cpp -- lookup, readdir, read and readlink on romfs.
//
// Layer: concrete file system (romfs), VFS half. See romfs_inode.h for the
// attributes chosen (nlink, size, times), the directory cookies and why dot
// entries are the VFS's. Each operation is a thin translation into
// RomfsImage calls, which do every check on the image's bytes.
// (Linux: fs/romfs/super.c -- romfs_iget, romfs_lookup, romfs_readdir,
// romfs_read_folio.)
#include "fs/romfs/romfs_inode.h"

#include "fs/romfs/romfs_super.h"
#include "fs/vfs/device_table.h"
#include "fs/vfs/file_mode.h"
#include "kernel/lib/errno.h"

namespace {

constexpr uint64_t BYTES_PER_STAT_BLOCK = 512;  // st_blocks counts 512-byte units

bool is_dot_or_dot_dot(const char* name) {
    return name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'));
}

bool is_dot_dot(const RomfsEntry& entry) { return entry.name_length == 2 && entry.is_dot_or_dot_dot(); }

}  // namespace

// Fills the attributes from the header (Linux romfs_iget); directories get
// their link count and parent later, from scan_directory().
RomfsInode::RomfsInode(RomfsSuperBlock& super_block, const RomfsEntry& entry)
    : Inode(super_block, entry.inode_number()), entry_(entry), parent_number_(entry.inode_number()) {
    mode_ = RomfsImage::mode_of(entry);
    link_count_ = 1;
    uid_ = gid_ = 0;
    size_ = entry.size;
    block_count_ = (uint64_t(entry.size) + BYTES_PER_STAT_BLOCK - 1) / BYTES_PER_STAT_BLOCK;
    if (entry.type == RomfsFileType::CharDevice || entry.type == RomfsFileType::BlockDevice)
        device_number_ = make_device_number(entry.device_major(), entry.device_minor());
    // access/modification/change times stay 0: romfs records none.
}

Result<RomfsInode*> RomfsInode::create(RomfsSuperBlock& super_block, const RomfsEntry& entry) {
    KASSERT(!entry.is_hard_link());  // read_inode resolves or refuses those
    auto* inode = new (std::nothrow) RomfsInode(super_block, entry);
    if (inode == nullptr) return Error{ENOMEM};
    if (inode->is_directory()) {
        Result<void> scanned = inode->scan_directory();
        if (scanned.is_error()) {
            delete inode;  // never inserted in the inode cache: nobody else knows it
            return Error{scanned.error()};
        }
    }
    return inode;
}

RomfsImage& RomfsInode::image() const { return static_cast<RomfsSuperBlock&>(super_block()).image(); }

// The one full walk of a directory's chain, from its first entry: the loop
// checks of RomfsImage::walk_directory cover the whole chain (this is what
// count_directory_entries does, plus the two facts the inode needs).
Result<void> RomfsInode::scan_directory() {
    RomfsImage& romfs = image();
    bool is_root = number() == romfs.root_offset();
    uint32_t subdirectories = 0;
    TRY(romfs.for_each_directory_entry(entry_, [&](const RomfsEntry& stored) {
        if (is_dot_dot(stored) && !is_root) {
            Result<RomfsEntry> parent = romfs.resolve_hard_link(stored);
            if (!parent.is_error() && parent.value().is_directory()) parent_number_ = parent.value().inode_number();
            return RomfsWalk::Continue;
        }
        if (stored.is_dot_or_dot_dot()) return RomfsWalk::Continue;
        // The same rule as readdir's d_type: a hard link counts as what it leads to.
        if (describe(stored).type == DT_DIR) ++subdirectories;
        return RomfsWalk::Continue;
    }));
    link_count_ = 2 + subdirectories;
    return {};
}

RomfsInode::ListedEntry RomfsInode::describe(const RomfsEntry& stored) const {
    if (!stored.is_hard_link()) return {stored.inode_number(), directory_entry_type(RomfsImage::mode_of(stored))};
    Result<RomfsEntry> target = image().resolve_hard_link(stored);
    if (target.is_error()) return {stored.header_offset, DT_UNKNOWN};  // its stat will say what is wrong
    return {target.value().inode_number(), directory_entry_type(RomfsImage::mode_of(target.value()))};
}

Result<InodeRef> RomfsInode::lookup(const char* name) {
    if (!is_directory()) return Error{ENOTDIR};
    // path_lookup resolves "." and ".." itself and never asks; the image's own
    // dot entries must not become dentries that would shadow that.
    if (is_dot_or_dot_dot(name)) return Error{ENOENT};
    RomfsEntry stored = TRY(image().find_in_directory(entry_, name));
    RomfsEntry target = TRY(image().resolve_hard_link(stored));
    return super_block().get_inode(target.inode_number());
}

// Checks a cookie before its offset goes anywhere near the image (see the
// header comment): a cookie is valid only as an entry of this directory.
Result<uint32_t> RomfsInode::resume_offset_for(uint64_t cookie) {
    if (cookie == FIRST_ENTRY_COOKIE) return uint32_t(0);
    if (cookie == END_COOKIE || cookie > 0xffffffffu || cookie % ROMFS_ALIGNMENT != 0) return NO_MORE_ENTRIES;
    if (cookie == last_resume_cookie_) return uint32_t(cookie);
    bool found = false;
    TRY(image().for_each_directory_entry(entry_, [&](const RomfsEntry& stored) {
        if (stored.header_offset != cookie) return RomfsWalk::Continue;
        found = true;
        return RomfsWalk::Stop;
    }));
    if (!found) return NO_MORE_ENTRIES;
    last_resume_cookie_ = cookie;
    return uint32_t(cookie);
}

Result<void> RomfsInode::read_directory(uint64_t cookie, DirectoryEntryVisitor& visitor) {
    if (!is_directory()) return Error{ENOTDIR};
    if (!emit_dot_entries(cookie, number(), parent_number_, visitor)) return {};
    uint32_t resume_offset = TRY(resume_offset_for(cookie));
    if (resume_offset == NO_MORE_ENTRIES) return {};
    return image().for_each_directory_entry(
        entry_,
        [&](const RomfsEntry& stored) {
            if (stored.is_dot_or_dot_dot()) return RomfsWalk::Continue;  // emitted above, our way
            ListedEntry listed = describe(stored);
            uint64_t next_cookie = stored.next_offset != 0 ? stored.next_offset : END_COOKIE;
            if (!visitor.visit(stored.name, stored.name_length, listed.inode_number, listed.type, next_cookie))
                return RomfsWalk::Stop;  // the same entry comes first next time
            last_resume_cookie_ = next_cookie;
            return RomfsWalk::Continue;
        },
        resume_offset);
}

Result<size_t> RomfsInode::readlink(char* buffer, size_t size) {
    if (!is_symbolic_link()) return Error{EINVAL};
    return image().read_data(entry_, 0, buffer, size);
}

Result<size_t> RomfsInode::read_at(uint64_t offset, void* buffer, size_t size) {
    if (!is_regular_file()) return Inode::read_at(offset, buffer, size);  // EISDIR or EINVAL
    return image().read_data(entry_, offset, buffer, size);
}
