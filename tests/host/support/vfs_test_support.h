// tests/host/support/vfs_test_support.h -- helpers shared by the tests that
// drive a file system through the VFS (vfs_test, romfs_vfs_test, devfs_test).
//
//   error_of(result)             0 for success, else the errno: reads well in
//                                EXPECT_EQ(error_of(...), ENOENT)
//   read_directory(file, size)   every getdents64 record of an open directory,
//                                read through a buffer of `size` bytes, each
//                                record's length checked against the ABI
//   expect_vfs_empty()           no super block, mount, dentry, inode or file
//                                is left alive (run in a test's TearDown)
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "fs/vfs/linux_abi.h"
#include "fs/vfs/vfs.h"

template <typename T>
int error_of(const Result<T>& result) {
    return result.is_error() ? result.error() : 0;
}

// One getdents64 record, decoded.
struct Entry {
    std::string name;
    uint64_t inode_number;
    uint8_t type;
    int64_t next_offset;
};

inline std::vector<Entry> read_directory(File& directory, size_t buffer_size = 4096) {
    std::vector<Entry> entries;
    std::vector<uint8_t> buffer(buffer_size);
    for (;;) {
        Result<size_t> got = vfs_getdents64(directory, buffer.data(), buffer.size());
        EXPECT_EQ(error_of(got), 0);
        if (got.is_error() || got.value() == 0) return entries;
        for (size_t offset = 0; offset < got.value();) {
            auto* record = reinterpret_cast<const linux_abi::linux_dirent64*>(buffer.data() + offset);
            std::string name(record->d_name);
            EXPECT_EQ(record->d_reclen % 8, 0u);
            EXPECT_EQ(record->d_reclen, linux_abi::dirent64_record_length(name.size()));
            entries.push_back({name, record->d_ino, record->d_type, record->d_off});
            offset += record->d_reclen;
        }
    }
}

inline void expect_vfs_empty() {
    VfsObjectCounts left = vfs_object_counts();
    EXPECT_EQ(left.files + left.mounts + left.dentries + left.inodes + left.super_blocks, 0u)
        << left.files << " files, " << left.mounts << " mounts, " << left.dentries << " dentries, "
        << left.inodes << " inodes, " << left.super_blocks << " super blocks left";
}
