// fs/romfs/romfs_storage.h -- where romfs bytes come from.
//
// Layer: concrete file system (romfs), its lowest part. The rest of romfs
// thinks of the image as one array of bytes and asks for "4 bytes at offset
// 0x1a4" or "the name at 0x1b0"; RomfsStorage turns that into blocks of the
// buffer cache and copies out of them. (Linux: fs/romfs/storage.c, which
// hides whether the image sits on a block device or in MTD flash.)
//
// Interface:
//   RomfsStorage storage(cache, device);
//   storage.limit_to_image(full_size);     once the superblock is trusted
//   uint32_t word = TRY(storage.read_u32_be(offset));
//   TRY(storage.read_bytes(offset, buffer, length));     block by block
//   size_t length = TRY(storage.read_string(offset, name, sizeof name));
//   uint32_t sum = TRY(storage.checksum(offset, length));
//
// Blocks: the image is read in BLOCK_SIZE (1 KiB) buffer-cache blocks, or the
// device's logical block size when that is larger. The last bytes of a device
// that do not fill a whole block are read in logical blocks (512 bytes)
// instead: a romfs image need only be a multiple of 16 bytes, so its tail may
// end half-way through a 1 KiB block, and the cache refuses blocks that run
// past the device. (Mixing two block sizes is fine for the cache because
// romfs never writes.)
//
// Invariants:
//   - Every access is checked before any I/O: [offset, offset + length) must
//     lie inside the limit -- the device's capacity, and after
//     limit_to_image() also the image's full size. Anything beyond is EIO
//     with a warning that names the device and the offset.
//   - No state changes after limit_to_image(), so concurrent readers need no
//     lock here; the buffer cache has its own.
//   - Errors: EIO (out of bounds, unterminated string, device error),
//     ENOMEM (the cache is full of referenced buffers).
#pragma once

#include <cstddef>
#include <cstdint>

#include "drivers/block/block_device.h"
#include "fs/cache/buffer_cache.h"
#include "kernel/platform.h"

class RomfsStorage {
public:
    static constexpr uint32_t BLOCK_SIZE = 1024;
    // Multi-block reads first bring up to this many blocks into the cache
    // with one request (read-ahead), so a large file is not read 1 KiB at a time.
    static constexpr uint32_t READ_AHEAD_BLOCKS = 32;

    RomfsStorage(BufferCache& cache, BlockDevice& device);
    RomfsStorage(const RomfsStorage&) = delete;
    RomfsStorage& operator=(const RomfsStorage&) = delete;

    // Narrows every later access to the image's first `image_size` bytes.
    // The caller has checked image_size <= limit() (the device's capacity).
    void limit_to_image(uint32_t image_size);
    // Bytes that may be read: the device's capacity (at most 4 GiB - 1, the
    // largest romfs offset) until limit_to_image(), then the image size.
    uint32_t limit() const { return limit_; }

    BlockDevice& device() { return device_; }
    const char* device_name() const { return device_.name(); }

    Result<uint32_t> read_u32_be(uint32_t offset);
    // Copies `length` bytes at `offset` into `buffer`, straight from the cached
    // blocks (no bounce buffer), with read-ahead for runs of blocks.
    Result<void> read_bytes(uint32_t offset, void* buffer, size_t length);
    // Copies the NUL-terminated string at `offset`, terminator included, into
    // `buffer` and returns its length. EIO when no NUL comes within
    // `buffer_size` bytes or before the limit.
    Result<size_t> read_string(uint32_t offset, char* buffer, size_t buffer_size);
    // The romfs checksum (romfs_checksum in romfs_format.h) of `length` bytes
    // at `offset`; both must be multiples of 4.
    Result<uint32_t> checksum(uint32_t offset, uint32_t length);

private:
    // EIO (with a warning naming `what`) unless [offset, offset + length) is
    // inside the limit.
    Result<void> check_range(uint64_t offset, uint64_t length, const char* what) const;
    // The cache block holding byte `offset` (which is inside the limit), and
    // where in it that byte is.
    Result<BufferHandle> block_containing(uint32_t offset, uint32_t* offset_in_block,
                                          uint32_t* bytes_from_offset);
    // Calls visit(bytes, count) for consecutive pieces of [offset, offset +
    // length), one per cache block, until it returns false. The range must
    // already be checked.
    template <typename Visitor>
    Result<void> for_each_piece(uint32_t offset, uint32_t length, Visitor visit);
    void read_ahead(uint32_t offset, size_t length);

    BufferCache& cache_;
    BlockDevice& device_;
    uint32_t block_size_;             // the large blocks: BLOCK_SIZE or the device's
    uint32_t tail_block_size_;        // the device's logical block size
    uint64_t whole_blocks_end_;       // bytes covered by whole large blocks
    uint32_t limit_;
};
