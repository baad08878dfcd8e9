// tests/host/support/ext2_fixture.h -- a source tree and the ext2 images
// that mke2fs -d makes of it, for the ext2 tests.
//
// Layer: host test support for tests/host/ext2_test.cpp.
//
//   source_tree()        built once per process in a fresh temporary folder
//                        (removed at exit): files of several sizes (0 bytes
//                        included), a file with holes, a sparse file whose
//                        last bytes need triple indirect blocks at 1 KiB
//                        blocks, 2,000 entries in one directory, 255-byte
//                        names, fast and slow symlinks, hard links, nested
//                        directories, owners with 32-bit uid/gid (when root).
//                        `nodes` maps every path ("" is the root, no leading
//                        slash) to the host's lstat of it.
//   image_for(config)    the image of the tree for one mke2fs configuration,
//                        made on first use and kept until exit.
//   copy_image(config)   a private copy of it, to damage.
//   debugfs(image, cmd)  runs `debugfs [-w] -R cmd image`, returns stdout.
//   patch_bytes          overwrite bytes of an image file in place.
//   Ext2Mount            an "ext2" type on its own BufferCache, a MountNamespace
//                        and the image's device, mounted as "/"; torn down in
//                        the right order (unmount, unregister, close).
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "fs/ext2/ext2_vfs.h"
#include "fs/vfs/mount_namespace.h"
#include "tests/host/support/image_file_device.h"
#include "tests/host/support/vfs_test_support.h"

namespace ext2_test {

struct SourceTree {
    std::string temporary_directory;
    std::string root;
    std::map<std::string, struct stat> nodes;  // lstat of every path
    std::vector<std::string> children_of(const std::string& path) const;
    std::vector<uint8_t> file_bytes(const std::string& path) const;
    std::string symlink_target(const std::string& path) const;
    ~SourceTree();
};

const SourceTree& source_tree();

struct ImageConfig {
    const char* name;          // also the test parameter's name
    const char* mke2fs_flags;  // besides -t ext2 -F -q -d
    bool build_directory_indexes;  // run e2fsck -fyD afterwards (real htree directories)
};

// The image's path (made on first use); an empty string if mke2fs failed.
const std::string& image_for(const ImageConfig& config);
std::string copy_image(const ImageConfig& config, const std::string& suffix);
std::string debugfs(const std::string& image, const std::string& command, bool writable = false);
void patch_bytes(const std::string& image, uint64_t offset, const void* bytes, size_t length);
std::vector<uint8_t> read_bytes(const std::string& image, uint64_t offset, size_t length);

// ext2 mounted through the VFS from an image file, on a namespace, caches
// and a registered type of its own (so tests are independent).
class Ext2Mount {
public:
    Ext2Mount() { (void)register_filesystem(type_); }
    ~Ext2Mount() {
        if (mounted()) (void)unmount();
        (void)unregister_filesystem(type_);
    }
    // Mounts the image as the root: its device read-only unless `writable`.
    // 0, or the errno of opening the file or of the mount.
    int mount(const std::string& image, bool writable = false);
    // Syncs, unmounts and closes the device; 0 or the first errno.
    int unmount();
    bool mounted() const { return device_ != nullptr; }
    const Path& cwd() const { return cwd_; }
    BufferCache& cache() { return cache_; }
    MountNamespace& mount_namespace() { return namespace_; }

private:
    BufferCache cache_;
    PageCache page_cache_;
    Ext2FileSystemType type_{cache_, page_cache_};
    DentryCache dentry_cache_;
    MountNamespace namespace_{dentry_cache_};
    ImageFileDevice* device_ = nullptr;
    Path cwd_;
};

}  // namespace ext2_test
