// fs/romfs/romfs_storage.cpp -- reading image bytes through the buffer cache.
// See the header for the interface and the bounds rules.
#include "fs/romfs/romfs_storage.h"

#include "fs/romfs/romfs_format.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/string.h"

namespace {

constexpr uint64_t LARGEST_ROMFS_OFFSET = 0xffffffffu;

uint64_t smaller_of(uint64_t a, uint64_t b) { return a < b ? a : b; }

}  // namespace

RomfsStorage::RomfsStorage(BufferCache& cache, BlockDevice& device)
    : cache_(cache), device_(device) {
    tail_block_size_ = device.logical_block_size();
    // A device whose logical blocks are larger than ours cannot be read in
    // smaller pieces, so its blocks become ours.
    block_size_ = tail_block_size_ > BLOCK_SIZE ? tail_block_size_ : BLOCK_SIZE;
    uint64_t capacity = device.capacity_bytes();
    whole_blocks_end_ = capacity - capacity % block_size_;
    limit_ = uint32_t(smaller_of(capacity, LARGEST_ROMFS_OFFSET));
}

void RomfsStorage::limit_to_image(uint32_t image_size) {
    KASSERT(image_size <= limit_);
    limit_ = image_size;
}

Result<void> RomfsStorage::check_range(uint64_t offset, uint64_t length, const char* what) const {
    // Written so that no sum can overflow, whatever length a caller passes.
    if (length <= limit_ && offset <= limit_ - length) return {};
    log_warning("romfs (%s): %s of %llu bytes at offset %llu runs past the end of the image (%u bytes)",
                device_.name(), what, (unsigned long long)length, (unsigned long long)offset, limit_);
    return Error{EIO};
}

Result<BufferHandle> RomfsStorage::block_containing(uint32_t offset, uint32_t* offset_in_block,
                                                    uint32_t* bytes_from_offset) {
    // Inside the whole large blocks use those; past them (the device's last,
    // partial large block) use the device's own small blocks, which always fit.
    uint32_t size = offset < whole_blocks_end_ ? block_size_ : tail_block_size_;
    uint64_t block_number = offset / size;
    *offset_in_block = offset % size;
    *bytes_from_offset = size - *offset_in_block;
    Result<BufferHandle> block = cache_.read_block(device_, block_number, size);
    if (block.is_error()) {
        log_warning("romfs (%s): reading the %u-byte block %llu (image offset %u) failed: %s",
                    device_.name(), size, (unsigned long long)block_number, offset,
                    errno_name(block.error()));
    }
    return block;
}

template <typename Visitor>
Result<void> RomfsStorage::for_each_piece(uint32_t offset, uint32_t length, Visitor visit) {
    uint64_t position = offset;
    uint64_t end = position + length;
    while (position < end) {
        uint32_t offset_in_block = 0;
        uint32_t available = 0;
        BufferHandle block = TRY(block_containing(uint32_t(position), &offset_in_block, &available));
        uint32_t count = uint32_t(smaller_of(available, end - position));
        if (!visit(block.data() + offset_in_block, count)) break;
        position += count;
    }
    return {};
}

void RomfsStorage::read_ahead(uint32_t offset, size_t length) {
    if (offset >= whole_blocks_end_ || length == 0) return;
    uint64_t first_block = offset / block_size_;
    uint64_t last_byte = smaller_of(uint64_t(offset) + length, whole_blocks_end_) - 1;
    uint64_t last_block = last_byte / block_size_;
    if (last_block == first_block) return;  // one block: the plain read is as good
    uint32_t count = uint32_t(smaller_of(last_block - first_block + 1, READ_AHEAD_BLOCKS));
    // Only a hint: if it fails (memory, I/O), the block-by-block copy that
    // follows reads again and reports the error where it happens.
    (void)cache_.read_blocks(device_, first_block, count, block_size_);
}

Result<uint32_t> RomfsStorage::read_u32_be(uint32_t offset) {
    uint8_t bytes[4];
    TRY(read_bytes(offset, bytes, sizeof bytes));
    return romfs_read_be32(bytes);
}

Result<void> RomfsStorage::read_bytes(uint32_t offset, void* buffer, size_t length) {
    TRY(check_range(offset, length, "read"));
    auto* destination = static_cast<uint8_t*>(buffer);
    uint64_t position = offset;
    uint64_t end = position + length;
    const uint64_t window_bytes = uint64_t(READ_AHEAD_BLOCKS) * block_size_;
    while (position < end) {
        // Windows end on block boundaries, so each read-ahead asks for whole
        // blocks that the copy below then finds in the cache.
        uint64_t window = smaller_of(end - position, window_bytes - position % block_size_);
        read_ahead(uint32_t(position), window);
        TRY(for_each_piece(uint32_t(position), uint32_t(window), [&](const uint8_t* bytes, uint32_t count) {
            klib::memcpy(destination, bytes, count);
            destination += count;
            return true;
        }));
        position += window;
    }
    return {};
}

Result<size_t> RomfsStorage::read_string(uint32_t offset, char* buffer, size_t buffer_size) {
    KASSERT(buffer_size > 0);
    TRY(check_range(offset, 1, "string"));
    uint32_t span = uint32_t(smaller_of(buffer_size, limit_ - offset));
    size_t copied = 0;
    bool terminated = false;
    TRY(for_each_piece(offset, span, [&](const uint8_t* bytes, uint32_t count) {
        for (uint32_t i = 0; i < count; ++i) {
            buffer[copied++] = char(bytes[i]);
            if (bytes[i] == 0) {
                terminated = true;
                return false;
            }
        }
        return true;
    }));
    if (!terminated) {
        buffer[copied < buffer_size ? copied : buffer_size - 1] = '\0';  // never hand back garbage
        log_warning("romfs (%s): the name at offset %u has no NUL within %u bytes%s",
                    device_.name(), offset, span,
                    span < buffer_size ? " (it runs into the end of the image)" : "");
        return Error{EIO};
    }
    return copied - 1;
}

Result<uint32_t> RomfsStorage::checksum(uint32_t offset, uint32_t length) {
    KASSERT(offset % 4 == 0 && length % 4 == 0);
    TRY(check_range(offset, length, "checksum"));
    uint32_t sum = 0;
    // Pieces end on block boundaries (multiples of 512), so no word is split.
    TRY(for_each_piece(offset, length, [&](const uint8_t* bytes, uint32_t count) {
        sum += romfs_checksum(bytes, count);
        return true;
    }));
    return sum;
}
