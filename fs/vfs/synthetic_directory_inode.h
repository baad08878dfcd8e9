// fs/vfs/synthetic_directory_inode.h -- a directory whose names the kernel
// makes (devfs's /dev, procfs's directories), closed to every change.
//
// Layer: virtual file system (a helper for file systems). Such a directory
// lists and looks up what its drivers or the process table hold; no
// program may create, link, remove or rename anything in it, nor change its
// attributes: each of those is EPERM, except create, whose error the file
// system chooses (procfs answers EACCES, as Linux's does, so that
// `echo x > /proc/new` reads like a permission problem). The subclass
// provides lookup and read_directory.
#pragma once

#include "fs/vfs/inode.h"
#include "kernel/lib/errno.h"

class SyntheticDirectoryInode : public Inode {
public:
    SyntheticDirectoryInode(SuperBlock& super_block, uint64_t number, uint32_t permissions, int create_error = EPERM)
        : Inode(super_block, number), create_error_(create_error) {
        mode_ = S_IFDIR | permissions;
        link_count_ = 2;
    }

    Result<InodeRef> create(const char*, uint32_t, const Credentials&) override { return Error{create_error_}; }
    Result<InodeRef> mkdir(const char*, uint32_t, const Credentials&) override { return Error{EPERM}; }
    Result<InodeRef> mknod(const char*, uint32_t, uint32_t, const Credentials&) override { return Error{EPERM}; }
    Result<InodeRef> symlink(const char*, const char*, const Credentials&) override { return Error{EPERM}; }
    Result<void> link(const char*, Inode&) override { return Error{EPERM}; }
    Result<void> unlink(const char*, Inode&) override { return Error{EPERM}; }
    Result<void> rmdir(const char*, Inode&) override { return Error{EPERM}; }
    Result<void> rename(const char*, Inode&, Inode&, const char*, Inode*) override { return Error{EPERM}; }
    Result<void> setattr(const AttributeChange&) override { return Error{EPERM}; }

private:
    int create_error_;
};
