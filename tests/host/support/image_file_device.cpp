// tests/host/support/image_file_device.cpp -- see the header.
#include "tests/host/support/image_file_device.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

Result<ImageFileDevice*> ImageFileDevice::open(const char* path, const Options& options) {
    int file = ::open(path, (options.read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC);
    if (file < 0) return Error{errno};
    struct stat status {};
    if (::fstat(file, &status) != 0) {
        int error = errno;
        ::close(file);
        return Error{error};
    }
    auto* device = new (std::nothrow) ImageFileDevice(file, uint64_t(status.st_size), options);
    if (!device) {
        ::close(file);
        return Error{ENOMEM};
    }
    return device;
}

ImageFileDevice::ImageFileDevice(int file, uint64_t bytes, const Options& options)
    : BlockDevice(options.name, options.logical_block_size, bytes / SECTOR_SIZE, options.limits,
                  options.read_only),
      file_(file) {}

ImageFileDevice::~ImageFileDevice() { ::close(file_); }

void ImageFileDevice::start_request(Request& request) {
    ++requests_started_;
    int error = 0;
    if (request.direction == IoDirection::Flush) {
        if (::fdatasync(file_) != 0) error = EIO;
    } else if (requests_until_failure_ == 0) {
        error = EIO;
    } else {
        if (requests_until_failure_ > 0) --requests_until_failure_;
        error = transfer_chain(request);
    }
    queue().complete(request, error);
}

// The chain's segments cover consecutive bytes from the leader's sector on.
int ImageFileDevice::transfer_chain(const Request& request) {
    off_t position = off_t(request.sector * SECTOR_SIZE);
    int error = 0;
    request.for_each_segment([&](const MemorySegment& segment) {
        if (error) return;
        ssize_t done = request.direction == IoDirection::Read
                           ? ::pread(file_, segment.address, segment.length, position)
                           : ::pwrite(file_, segment.address, segment.length, position);
        if (done != ssize_t(segment.length)) error = EIO;
        position += segment.length;
    });
    return error;
}
