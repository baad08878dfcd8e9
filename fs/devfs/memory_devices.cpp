// fs/devfs/memory_devices.cpp -- /dev/null and /dev/zero.
//
// Layer: character device drivers, the two smallest there are. Each is a
// File subclass and an opener registered in the VFS device table under
// Linux's numbers (major 1 "mem": null is minor 3, zero minor 5), so any
// node with those numbers opens them -- devfs's, or one made by mknod.
// (Linux: drivers/char/mem.c, null_fops and zero_fops.)
//
//   null   read: end of file at once (0 bytes); write: takes everything
//   zero   read: as many zero bytes as asked for; write: takes everything
//   both   pread/pwrite behave the same at any offset; lseek always lands
//          on 0 (Linux's null_lseek), since there is nowhere else to be;
//          poll: always readable and writable (File's default, as Linux's)
//
// No state, no locks: every call is independent of every other.
#include "fs/devfs/devfs.h"
#include "fs/vfs/device_table.h"
#include "fs/vfs/file.h"
#include "kernel/lib/string.h"

namespace {

// What null and zero share: writes vanish, seeking goes nowhere.
class MemoryDeviceFile : public File {
public:
    MemoryDeviceFile(Path&& path, uint32_t flags) : File(static_cast<Path&&>(path), flags) {}

    Result<size_t> write_at(uint64_t /*offset*/, const void* /*buffer*/, size_t size) override { return size; }

    Result<uint64_t> seek(int64_t /*offset*/, int /*whence*/) override {
        MutexLocker locker(position_lock_);
        position_ = 0;
        return uint64_t(0);
    }
};

class NullFile final : public MemoryDeviceFile {
public:
    NullFile(Path&& path, uint32_t flags) : MemoryDeviceFile(static_cast<Path&&>(path), flags) {}

    Result<size_t> read_at(uint64_t /*offset*/, void* /*buffer*/, size_t /*size*/) override { return size_t(0); }
};

class ZeroFile final : public MemoryDeviceFile {
public:
    ZeroFile(Path&& path, uint32_t flags) : MemoryDeviceFile(static_cast<Path&&>(path), flags) {}

    Result<size_t> read_at(uint64_t /*offset*/, void* buffer, size_t size) override {
        klib::memset(buffer, 0, size);
        return size;
    }
};

Result<FileRef> open_null(Path&& path, uint32_t flags, uint32_t /*device_number*/, void* /*context*/) {
    return make_file<NullFile>(static_cast<Path&&>(path), flags);
}

Result<FileRef> open_zero(Path&& path, uint32_t flags, uint32_t /*device_number*/, void* /*context*/) {
    return make_file<ZeroFile>(static_cast<Path&&>(path), flags);
}

}  // namespace

Result<void> register_memory_devices() {
    TRY(register_device_driver(DeviceKind::Character, MEMORY_DEVICES_MAJOR, NULL_MINOR, 1, "null", open_null,
                               nullptr));
    return register_device_driver(DeviceKind::Character, MEMORY_DEVICES_MAJOR, ZERO_MINOR, 1, "zero", open_zero,
                                  nullptr);
}
