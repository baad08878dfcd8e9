// tests/host/support/image_file_device.h -- a block device over a host file.
//
// Layer: device driver, host tests only. Lets a file system's tests run
// against a real image made by genromfs or mke2fs -d: the file is the disk.
// start_request() performs the whole chain with pread/pwrite (a flush with
// fdatasync) and completes it at once, like a RAM disk, so everything above
// it goes through the real RequestQueue and scheduler.
//
//   ImageFileDevice* disk = TRY(ImageFileDevice::open("build/x.img", {}));
//   ... BufferCache, file system ...
//   delete disk;                                     closes the file
//
// Capacity: the file's size rounded down to 512 bytes, taken at open (later
// growth of the file is not seen). Options: read-only (opens the file
// O_RDONLY; the queue then refuses writes with EROFS), the device's name,
// logical block size and limits (defaults as for any device).
//
// Errors: open() gives the errno of open/fstat (ENOENT, EACCES...) or
// ENOMEM; a failed or short pread/pwrite completes the request with EIO.
// For tests that need a failing disk, fail_requests_after() makes every
// data request after the next `count` complete with EIO.
#pragma once

#include <cstdint>

#include "drivers/block/block_device.h"

class ImageFileDevice final : public BlockDevice {
public:
    struct Options {
        const char* name = "img0";
        bool read_only = false;
        uint32_t logical_block_size = SECTOR_SIZE;
        BlockDeviceLimits limits = {};
    };

    static Result<ImageFileDevice*> open(const char* path, const Options& options);
    ~ImageFileDevice() override;

    void start_request(Request& request) override;

    // After `count` more successful data requests, every one fails with EIO
    // (-1: never, the default).
    void fail_requests_after(long count) { requests_until_failure_ = count; }
    uint64_t requests_started() const { return requests_started_; }

private:
    ImageFileDevice(int file, uint64_t bytes, const Options& options);
    int transfer_chain(const Request& request);

    int file_;
    long requests_until_failure_ = -1;
    uint64_t requests_started_ = 0;
};
