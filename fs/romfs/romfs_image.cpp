// fs/romfs/romfs_image.cpp -- superblock, headers, directories and data of a
// romfs image. See the header for the rules (inode numbers, modes, loops).
#include "fs/romfs/romfs_image.h"

#include "kernel/lib/errno.h"
#include "kernel/lib/string.h"

Result<RomfsImage*> RomfsImage::open(BufferCache& cache, BlockDevice& device) {
    RomfsImage* image = new (std::nothrow) RomfsImage(cache, device);
    if (!image) return Error{ENOMEM};
    Result<void> loaded = image->load_superblock();
    if (!loaded.is_error()) loaded = image->load_root();
    if (loaded.is_error()) {
        delete image;
        return Error{loaded.error()};
    }
    log_info("romfs (%s): volume \"%s\", %u bytes, root directory at offset %u", device.name(),
             image->volume_name_, image->image_size_, image->root_offset_);
    return image;
}

// The superblock: magic, size, checksum, volume name (romfs_format.h).
Result<void> RomfsImage::load_superblock() {
    const char* device_name = storage_.device_name();
    if (storage_.limit() < ROMFS_MIN_IMAGE_SIZE) {
        log_debug("romfs (%s): the device holds %u bytes, too few for a romfs superblock", device_name,
                  storage_.limit());
        return Error{EINVAL};
    }
    char magic[sizeof ROMFS_MAGIC];
    TRY(storage_.read_bytes(ROMFS_SUPERBLOCK_MAGIC, magic, sizeof magic));
    if (klib::memcmp(magic, ROMFS_MAGIC, sizeof magic) != 0) {
        log_debug("romfs (%s): no \"-rom1fs-\" magic at offset 0: not a romfs image", device_name);
        return Error{EINVAL};
    }
    uint32_t full_size = TRY(storage_.read_u32_be(ROMFS_SUPERBLOCK_FULL_SIZE));
    if (full_size < ROMFS_MIN_IMAGE_SIZE) {
        log_warning("romfs (%s): the full size at offset %u is %u bytes, less than the smallest image (%u)",
                    device_name, ROMFS_SUPERBLOCK_FULL_SIZE, full_size, ROMFS_MIN_IMAGE_SIZE);
        return Error{EIO};
    }
    if (full_size > storage_.limit()) {
        log_warning("romfs (%s): the full size at offset %u is %u bytes but the device holds only %u: "
                    "a truncated image?", device_name, ROMFS_SUPERBLOCK_FULL_SIZE, full_size, storage_.limit());
        return Error{EIO};
    }
    storage_.limit_to_image(full_size);
    image_size_ = full_size;

    uint32_t checksum_span = full_size < ROMFS_SUPERBLOCK_CHECKSUM_SPAN ? full_size : ROMFS_SUPERBLOCK_CHECKSUM_SPAN;
    checksum_span &= ~3u;  // whole words, as Linux sums them
    uint32_t sum = TRY(storage_.checksum(0, checksum_span));
    if (sum != 0) {
        log_warning("romfs (%s): bad superblock checksum (offset %u): the first %u bytes sum to 0x%08x, not 0",
                    device_name, ROMFS_SUPERBLOCK_CHECKSUM, checksum_span, sum);
        return Error{EIO};
    }

    size_t name_length = TRY(storage_.read_string(ROMFS_SUPERBLOCK_VOLUME_NAME, volume_name_, sizeof volume_name_));
    first_header_offset_ = ROMFS_SUPERBLOCK_VOLUME_NAME + romfs_padded_name_size(uint32_t(name_length));
    if (uint64_t(first_header_offset_) + ROMFS_MIN_HEADER_SIZE > image_size_) {
        log_warning("romfs (%s): no room for the root directory's header at offset %u (image of %u bytes)",
                    device_name, first_header_offset_, image_size_);
        return Error{EIO};
    }
    return {};
}

// The root directory: the first header (genromfs: a directory called ".").
Result<void> RomfsImage::load_root() {
    RomfsEntry first = TRY(read_entry(first_header_offset_));
    RomfsEntry root = TRY(resolve_hard_link(first));
    if (!root.is_directory()) {
        log_warning("romfs (%s): the first header (offset %u) is a %s, not the root directory",
                    storage_.device_name(), root.header_offset, romfs_type_name(root.type));
        return Error{EIO};
    }
    root_offset_ = root.header_offset;
    return {};
}

// An offset read from the image that should name a header: where it points
// must be able to hold one. `referrer` is the header that named it (0: none).
Result<void> RomfsImage::check_header_offset(uint32_t offset, const char* what, uint32_t referrer) {
    const char* problem = nullptr;
    if (offset % ROMFS_ALIGNMENT != 0) {
        problem = "is not a multiple of 16";
    } else if (offset < first_header_offset_) {
        problem = "points into the superblock";
    } else if (uint64_t(offset) + ROMFS_MIN_HEADER_SIZE > image_size_) {
        problem = "leaves no room for a header before the end of the image";
    }
    if (!problem) return {};
    log_warning("romfs (%s): %s offset %u (named by the header at %u) %s (image of %u bytes)",
                storage_.device_name(), what, offset, referrer, problem, image_size_);
    return Error{EIO};
}

Result<RomfsEntry> RomfsImage::read_entry(uint32_t offset) {
    TRY(check_header_offset(offset, "header", 0));
    uint8_t fields[ROMFS_HEADER_FIELDS_SIZE];
    TRY(storage_.read_bytes(offset, fields, sizeof fields));
    RomfsEntry entry;
    entry.header_offset = offset;
    uint32_t next = romfs_read_be32(fields + ROMFS_HEADER_NEXT);
    entry.next_offset = next & ROMFS_OFFSET_MASK;
    entry.type = RomfsFileType(next & ROMFS_NEXT_TYPE_MASK);
    entry.executable = (next & ROMFS_NEXT_EXECUTABLE) != 0;
    entry.spec_info = romfs_read_be32(fields + ROMFS_HEADER_SPEC_INFO);
    entry.size = romfs_read_be32(fields + ROMFS_HEADER_SIZE_FIELD);

    const char* device_name = storage_.device_name();
    size_t name_length = TRY(storage_.read_string(offset + ROMFS_HEADER_NAME, entry.name, sizeof entry.name));
    if (name_length == 0) {
        log_warning("romfs (%s): the header at offset %u has an empty name", device_name, offset);
        return Error{EIO};
    }
    entry.name_length = uint32_t(name_length);
    uint32_t metadata_size = ROMFS_HEADER_FIELDS_SIZE + romfs_padded_name_size(entry.name_length);
    uint64_t data_offset = uint64_t(offset) + metadata_size;
    if (data_offset > image_size_) {
        log_warning("romfs (%s): the header at offset %u (\"%s\"): its padded name runs past the end of the "
                    "image (%u bytes)", device_name, offset, entry.name, image_size_);
        return Error{EIO};
    }
    uint32_t sum = TRY(storage_.checksum(offset, metadata_size));
    if (sum != 0) {
        log_warning("romfs (%s): bad checksum in the header at offset %u (\"%s\"): its %u bytes sum to 0x%08x, "
                    "not 0", device_name, offset, entry.name, metadata_size, sum);
        return Error{EIO};
    }
    entry.data_offset = uint32_t(data_offset);
    if (data_offset + entry.size > image_size_) {
        log_warning("romfs (%s): the header at offset %u (\"%s\"): %u bytes of data at offset %u run past the "
                    "end of the image (%u bytes)", device_name, offset, entry.name, entry.size, entry.data_offset,
                    image_size_);
        return Error{EIO};
    }
    return entry;
}

Result<RomfsEntry> RomfsImage::resolve_hard_link(const RomfsEntry& entry) {
    RomfsEntry current = entry;
    for (uint32_t hops = 0; current.is_hard_link(); ++hops) {
        if (hops == MAX_HARD_LINK_HOPS) {
            log_warning("romfs (%s): the hard link at offset %u (\"%s\") leads through more than %u hard links: "
                        "a loop?", storage_.device_name(), entry.header_offset, entry.name, MAX_HARD_LINK_HOPS);
            return Error{ELOOP};
        }
        TRY(check_header_offset(current.link_target_offset(), "hard link target", current.header_offset));
        current = TRY(read_entry(current.link_target_offset()));
    }
    return current;
}

// The descent rule (header comment): a real name that leads to a directory
// leads forward in the image, so no path of real names can come round again.
Result<void> RomfsImage::check_descent(const RomfsEntry& directory, const RomfsEntry& entry) {
    if (entry.is_dot_or_dot_dot()) return {};
    if (!entry.is_directory() && !entry.is_hard_link()) return {};
    RomfsEntry target = TRY(resolve_hard_link(entry));
    if (!target.is_directory() || target.header_offset > directory.header_offset) return {};
    log_warning("romfs (%s): the directory at offset %u (\"%s\") has an entry \"%s\" (offset %u) that leads "
                "back to the directory at offset %u, not forward: a cycle in the tree",
                storage_.device_name(), directory.header_offset, directory.name, entry.name, entry.header_offset,
                target.header_offset);
    return Error{ELOOP};
}

Result<void> RomfsImage::walk_directory(const RomfsEntry& directory, uint32_t resume_offset, EntryVisitor visit,
                                        void* context) {
    if (!directory.is_directory()) return Error{ENOTDIR};
    uint32_t offset = resume_offset != 0 ? resume_offset : directory.first_entry_offset();
    const char* what = resume_offset != 0 ? "resumed directory entry" : "first directory entry";
    uint32_t referrer = directory.header_offset;
    // A chain longer than the image has header slots must repeat itself.
    const uint32_t most_entries = image_size_ / ROMFS_ALIGNMENT;
    uint32_t visited = 0;
    // Brent's cycle detection: remember the offset reached after 1, 2, 4, 8 ...
    // steps; a loop brings the walk back to a remembered offset soon.
    uint32_t remembered_offset = 0;
    uint32_t steps_since_remembered = 0;
    uint32_t steps_until_next_remember = 1;
    while (offset != 0) {
        if (offset == remembered_offset || ++visited > most_entries) {
            log_warning("romfs (%s): the entries of the directory at offset %u (\"%s\") form a loop: the chain "
                        "comes back to offset %u", storage_.device_name(), directory.header_offset, directory.name,
                        offset);
            return Error{ELOOP};
        }
        TRY(check_header_offset(offset, what, referrer));
        RomfsEntry entry = TRY(read_entry(offset));
        TRY(check_descent(directory, entry));
        if (visit(entry, context) == RomfsWalk::Stop) return {};
        if (++steps_since_remembered == steps_until_next_remember) {
            remembered_offset = offset;
            steps_since_remembered = 0;
            steps_until_next_remember *= 2;
        }
        what = "next directory entry";
        referrer = offset;
        offset = entry.next_offset;
    }
    return {};
}

Result<uint32_t> RomfsImage::count_directory_entries(const RomfsEntry& directory) {
    uint32_t count = 0;
    TRY(for_each_directory_entry(directory, [&count](const RomfsEntry&) {
        ++count;
        return RomfsWalk::Continue;
    }));
    return count;
}

Result<RomfsEntry> RomfsImage::find_in_directory(const RomfsEntry& directory, const char* name) {
    size_t length = klib::strnlen(name, ROMFS_MAX_NAME_LENGTH + 1);
    if (length > ROMFS_MAX_NAME_LENGTH) return Error{ENAMETOOLONG};
    if (length == 0) return Error{ENOENT};
    RomfsEntry found;
    bool was_found = false;
    TRY(for_each_directory_entry(directory, [&](const RomfsEntry& entry) {
        if (entry.name_length != length || klib::memcmp(entry.name, name, length) != 0) return RomfsWalk::Continue;
        found = entry;
        was_found = true;
        return RomfsWalk::Stop;
    }));
    if (!was_found) return Error{ENOENT};
    return found;
}

Result<size_t> RomfsImage::read_data(const RomfsEntry& entry, uint64_t offset, void* buffer, size_t length) {
    RomfsEntry resolved;
    const RomfsEntry* file = &entry;
    if (entry.is_hard_link()) {
        resolved = TRY(resolve_hard_link(entry));
        file = &resolved;
    }
    if (file->is_directory()) return Error{EISDIR};
    if (file->type != RomfsFileType::RegularFile && file->type != RomfsFileType::Symlink) return Error{EINVAL};
    if (offset >= file->size) return size_t(0);
    uint64_t available = file->size - offset;
    size_t count = length < available ? length : size_t(available);
    // read_entry checked data_offset + size <= image size, so this stays inside.
    TRY(storage_.read_bytes(file->data_offset + uint32_t(offset), buffer, count));
    return count;
}

uint32_t RomfsImage::mode_of(const RomfsEntry& entry) {
    switch (entry.type) {
    case RomfsFileType::HardLink: return 0;
    case RomfsFileType::Directory: return LINUX_S_IFDIR | 0755;
    case RomfsFileType::RegularFile: return LINUX_S_IFREG | (entry.executable ? 0755 : 0644);
    case RomfsFileType::Symlink: return LINUX_S_IFLNK | 0777;
    case RomfsFileType::BlockDevice: return LINUX_S_IFBLK | 0600;
    case RomfsFileType::CharDevice: return LINUX_S_IFCHR | 0600;
    case RomfsFileType::Socket: return LINUX_S_IFSOCK | 0644;
    case RomfsFileType::Fifo: return LINUX_S_IFIFO | 0644;
    }
    return 0;
}
