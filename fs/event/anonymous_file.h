// fs/event/anonymous_file.h -- what eventfd, timerfd and epoll files share.
//
// Layer: VFS special files. Linux makes these on one "anonymous inode":
// no path, no position (read_at, write_at and lseek are ESPIPE), and fstat
// shows owner read/write and no file type. A subclass provides read,
// write and poll.
#pragma once

#include "fs/vfs/file.h"
#include "kernel/lib/string.h"

class AnonymousFile : public File {
public:
    explicit AnonymousFile(uint32_t flags) : File(Path(), O_RDWR | flags) {}

    Result<size_t> read_at(uint64_t, void*, size_t) override { return Error(ESPIPE); }
    Result<size_t> write_at(uint64_t, const void*, size_t) override { return Error(ESPIPE); }
    Result<uint64_t> seek(int64_t, int) override { return Error(ESPIPE); }
    Result<void> status(linux_abi::stat64* out) override {
        klib::memset(out, 0, sizeof(*out));
        out->st_mode = 0600;
        out->st_nlink = 1;
        out->st_blksize = 4096;
        return {};
    }
};
