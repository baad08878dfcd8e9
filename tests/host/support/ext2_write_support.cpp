// tests/host/support/ext2_write_support.cpp -- see ext2_write_support.h.
#include "tests/host/support/ext2_write_support.h"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "tests/host/support/vfs_test_support.h"

namespace ext2_test {

using ext2_model::Model;
using ext2_model::Node;
using ext2_model::NodeKind;

namespace {
const Credentials ROOT = Credentials::root();
}  // namespace

// --- the mount ---------------------------------------------------------------------

// --- the VFS as a target -------------------------------------------------------------

int VfsTarget::create(const std::string& path, bool exclusive, bool truncating) {
    uint32_t flags = O_WRONLY | O_CREAT | (exclusive ? O_EXCL : 0) | (truncating ? O_TRUNC : 0);
    return error_of(vfs_open(mount_.cwd(), path.c_str(), flags, 0644, ROOT));
}

int VfsTarget::chmod(const std::string& path, uint32_t permissions) {
    return error_of(vfs_chmod(mount_.cwd(), path.c_str(), permissions, ROOT));
}

int VfsTarget::write(const std::string& path, uint64_t offset, const std::vector<uint8_t>& bytes) {
    Result<FileRef> file = vfs_open(mount_.cwd(), path.c_str(), O_WRONLY | O_CREAT, 0644, ROOT);
    if (file.is_error()) return file.error();
    Result<size_t> written = vfs_pwrite(*file.value(), bytes.data(), bytes.size(), int64_t(offset));
    last_write_count = written.is_error() ? 0 : written.value();
    if (written.is_error()) return written.error();
    return written.value() == bytes.size() ? 0 : ext2_model::SHORT_WRITE;
}

int VfsTarget::truncate(const std::string& path, uint64_t size) {
    return error_of(vfs_truncate(mount_.cwd(), path.c_str(), int64_t(size), ROOT));
}
int VfsTarget::mkdir(const std::string& path) { return error_of(vfs_mkdir(mount_.cwd(), path.c_str(), 0755, ROOT)); }
int VfsTarget::rmdir(const std::string& path) { return error_of(vfs_rmdir(mount_.cwd(), path.c_str(), ROOT)); }
int VfsTarget::unlink(const std::string& path) { return error_of(vfs_unlink(mount_.cwd(), path.c_str(), ROOT)); }
int VfsTarget::link(const std::string& existing, const std::string& new_path) {
    return error_of(vfs_link(mount_.cwd(), existing.c_str(), new_path.c_str(), ROOT));
}
int VfsTarget::symlink(const std::string& target, const std::string& path) {
    return error_of(vfs_symlink(target.c_str(), mount_.cwd(), path.c_str(), ROOT));
}
int VfsTarget::rename(const std::string& old_path, const std::string& new_path) {
    return error_of(vfs_rename(mount_.cwd(), old_path.c_str(), new_path.c_str(), ROOT));
}

int VfsTarget::read(const std::string& path, uint64_t offset, size_t length, std::vector<uint8_t>& out) {
    Result<FileRef> file = vfs_open(mount_.cwd(), path.c_str(), O_RDONLY, 0, ROOT);
    if (file.is_error()) return file.error();
    out.assign(length, 0);
    size_t done = 0;
    while (done < length) {
        Result<size_t> got = vfs_pread(*file.value(), out.data() + done, length - done, int64_t(offset + done));
        if (got.is_error()) return got.error();
        if (got.value() == 0) break;
        done += got.value();
    }
    out.resize(done);
    return 0;
}

int VfsTarget::readlink(const std::string& path, std::string& target) {
    char buffer[4096];
    Result<size_t> length = vfs_readlink(mount_.cwd(), path.c_str(), buffer, sizeof buffer, ROOT);
    if (length.is_error()) return length.error();
    target.assign(buffer, length.value());
    return 0;
}

int VfsTarget::status(const std::string& path, ext2_model::TargetStatus& out) {
    linux_abi::stat64 status{};
    int error = error_of(vfs_stat(mount_.cwd(), path.c_str(), false, ROOT, &status));
    if (error != 0) return error;
    out.kind = S_ISDIR(status.st_mode) ? NodeKind::Directory : S_ISLNK(status.st_mode) ? NodeKind::Symlink
                                                                                       : NodeKind::File;
    out.size = uint64_t(status.st_size);
    out.links = status.st_nlink;
    out.inode = status.st_ino;
    out.permissions = status.st_mode & 07777;
    return 0;
}

int VfsTarget::list(const std::string& path, std::vector<std::string>& names) {
    Result<FileRef> directory = vfs_open(mount_.cwd(), path.c_str(), O_RDONLY | O_DIRECTORY, 0, ROOT);
    if (directory.is_error()) return directory.error();
    names.clear();
    for (const Entry& entry : read_directory(*directory.value()))
        if (entry.name != "." && entry.name != "..") names.push_back(entry.name);
    return 0;
}

int VfsTarget::open_handle(int slot, const std::string& path) {
    Result<FileRef> file = vfs_open(mount_.cwd(), path.c_str(), O_RDWR, 0, ROOT);
    if (file.is_error()) return file.error();
    handles_[slot] = file.release_value();
    return 0;
}

int VfsTarget::write_handle(int slot, uint64_t offset, const std::vector<uint8_t>& bytes) {
    Result<size_t> written = vfs_pwrite(*handles_[slot], bytes.data(), bytes.size(), int64_t(offset));
    last_write_count = written.is_error() ? 0 : written.value();
    if (written.is_error()) return written.error();
    return written.value() == bytes.size() ? 0 : ext2_model::SHORT_WRITE;
}

int VfsTarget::read_handle(int slot, uint64_t offset, size_t length, std::vector<uint8_t>& out) {
    out.assign(length, 0);
    Result<size_t> got = vfs_pread(*handles_[slot], out.data(), length, int64_t(offset));
    if (got.is_error()) return got.error();
    out.resize(got.value());
    return 0;
}

// --- host tools ----------------------------------------------------------------------

std::string run_command(const std::string& command, int* status) {
    std::string output;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) return output;
    char buffer[65536];
    size_t got;
    while ((got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, got);
    int raw = ::pclose(pipe);
    if (status) *status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    return output;
}

const std::string& scratch_directory() {
    static struct Scratch {
        std::string path;
        Scratch() {
            // In RAM when the host has /dev/shm: images and rdump's copies of
            // sparse files are written in full many times.
            std::string base = std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : "/tmp";
            std::string pattern = base + "/ext2_write_test_XXXXXX";
            if (::mkdtemp(pattern.data()) == nullptr) std::abort();
            path = pattern;
        }
        ~Scratch() {
            std::error_code ignored;
            std::filesystem::remove_all(path, ignored);
        }
    } scratch;
    return scratch.path;
}

std::string make_image(const std::string& name, const std::string& flags, const std::string& folder,
                       const std::string& size) {
    std::string image = scratch_directory() + "/" + name + ".img";
    std::string command = "/sbin/mke2fs -t ext2 -F -q " + flags + (folder.empty() ? "" : " -d " + folder) + " " +
                          image + " " + size + " 2>&1";
    int status = -1;
    std::string output = run_command(command, &status);
    if (status != 0) {
        std::fprintf(stderr, "mke2fs failed: %s\n%s\n", command.c_str(), output.c_str());
        return "";
    }
    return image;
}

FsckResult e2fsck(const std::string& image) {
    FsckResult result;
    result.output = run_command("/sbin/e2fsck -fn " + image + " 2>&1", &result.status);
    return result;
}

}  // namespace ext2_test
