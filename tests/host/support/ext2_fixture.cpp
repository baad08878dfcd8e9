// tests/host/support/ext2_fixture.cpp -- see ext2_fixture.h.
#include "tests/host/support/ext2_fixture.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

namespace ext2_test {
namespace {

namespace fs = std::filesystem;

// Past 12 + 256 + 256 * 256 blocks of 1 KiB (65,804 KiB) the block map needs
// its triple indirect block.
constexpr uint64_t TRIPLE_INDIRECT_OFFSET = 70ull << 20;

std::vector<uint8_t> pattern(size_t size, uint32_t seed) {
    std::vector<uint8_t> bytes(size);
    uint32_t state = seed * 2654435761u + 1;
    for (size_t i = 0; i < size; ++i) {
        state = state * 1103515245u + 12345u;
        bytes[i] = uint8_t(state >> 16);
    }
    return bytes;
}

void write_file(const fs::path& path, const std::vector<uint8_t>& bytes) {
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), long(bytes.size()));
}

// Writes `bytes` at `offset` of an existing (possibly sparse) file.
void write_at(const fs::path& path, uint64_t offset, const std::vector<uint8_t>& bytes) {
    int file = ::open(path.c_str(), O_WRONLY | O_CREAT, 0644);
    if (file < 0 || ::pwrite(file, bytes.data(), bytes.size(), off_t(offset)) != ssize_t(bytes.size())) std::abort();
    ::close(file);
}

void build_files(const fs::path& root) {
    fs::create_directories(root / "files");
    uint32_t seed = 1;
    for (size_t size : {0, 1, 17, 1023, 1024, 1025, 4095, 4096, 4097, 12 * 1024, 13 * 1024 + 5, 300 * 1024 + 7,
                        3 * 1024 * 1024 + 11})
        write_file(root / "files" / ("size_" + std::to_string(size)), pattern(size, seed++));
    // Holes: data, a gap of several blocks, data, and a hole at the end.
    fs::path holes = root / "files/holes";
    write_at(holes, 0, pattern(100, 50));
    write_at(holes, 40 * 1024 + 3, pattern(5000, 51));
    write_at(holes, 900 * 1024, pattern(10, 52));
    ::truncate(holes.c_str(), 1200 * 1024);
    // Sparse, reaching the triple indirect blocks at 1 KiB per block.
    fs::path sparse = root / "files/triple_indirect";
    write_at(sparse, 0, pattern(3000, 60));
    write_at(sparse, 20ull << 20, pattern(1500, 61));
    write_at(sparse, TRIPLE_INDIRECT_OFFSET - 700, pattern(9000, 62));
}

void build_tree(const fs::path& root) {
    build_files(root);
    fs::create_directories(root / "many");
    for (int i = 0; i < 2000; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "entry_%04d", i);
        write_file(root / "many" / name, i % 100 == 0 ? pattern(size_t(i), uint32_t(i)) : std::vector<uint8_t>{});
    }
    fs::create_directories(root / "names");
    write_file(root / "names" / std::string(255, 'n'), pattern(33, 70));
    write_file(root / "names" / std::string(255, 'm'), pattern(0, 71));
    fs::create_directories(root / "nested/a/b/c/d");
    write_file(root / "nested/a/b/c/d/deep.txt", pattern(77, 80));
    fs::create_directories(root / "empty_dir");
    write_file(root / "linked", pattern(123, 90));
    fs::create_hard_link(root / "linked", root / "nested/a/linked_too");
    fs::create_hard_link(root / "linked", root / "files/linked_third");
    fs::create_directories(root / "links");
    fs::create_symlink("../files/size_17", root / "links/fast");
    fs::create_symlink(std::string(59, 'f'), root / "links/fast_59");
    fs::create_symlink(std::string(60, 's'), root / "links/slow_60");
    fs::create_symlink("../" + std::string(200, 'x') + "/target", root / "links/slow_long");
    fs::create_symlink("does/not/exist", root / "links/dangling");
    fs::create_directories(root / "owners");
    write_file(root / "owners/high_ids", pattern(9, 100));
    write_file(root / "owners/executable", pattern(9, 101));
    fs::permissions(root / "owners/executable", fs::perms(0755));
    write_file(root / "owners/setuid", pattern(9, 102));
    ::chmod((root / "owners/setuid").c_str(), 04711);
    if (::geteuid() == 0) {
        // Above 65,535: the high 16 bits of uid and gid live elsewhere in the inode.
        (void)::lchown((root / "owners/high_ids").c_str(), 70001, 80002);
        (void)::lchown((root / "owners").c_str(), 1000, 1001);
    }
    // A known modification time, distinct per file.
    ::utimensat(AT_FDCWD, (root / "files/size_1").c_str(), nullptr, 0);
    struct timespec times[2] = {{1000000000, 0}, {1234567890, 0}};
    ::utimensat(AT_FDCWD, (root / "files/size_17").c_str(), times, 0);
    // Before 1970: ext2 times are signed.
    write_file(root / "owners/from_1969", pattern(5, 103));
    struct timespec old_times[2] = {{-86400 * 30, 0}, {-86400 * 30, 0}};
    ::utimensat(AT_FDCWD, (root / "owners/from_1969").c_str(), old_times, 0);
}

void record_nodes(SourceTree& tree) {
    fs::path root(tree.root);
    struct stat status {};
    ::lstat(root.c_str(), &status);
    tree.nodes[""] = status;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        std::string relative = entry.path().lexically_relative(root).string();  // symlinks not followed
        ::lstat(entry.path().c_str(), &status);
        tree.nodes[relative] = status;
    }
}

std::string run(const std::string& command) {
    std::string output;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) return output;
    char buffer[4096];
    size_t got;
    while ((got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, got);
    ::pclose(pipe);
    return output;
}

}  // namespace

std::vector<std::string> SourceTree::children_of(const std::string& path) const {
    std::vector<std::string> children;
    for (const auto& entry : fs::directory_iterator(fs::path(root) / path))
        children.push_back(entry.path().filename().string());
    std::sort(children.begin(), children.end());
    return children;
}

std::vector<uint8_t> SourceTree::file_bytes(const std::string& path) const {
    std::ifstream in(fs::path(root) / path, std::ios::binary);
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string SourceTree::symlink_target(const std::string& path) const {
    return fs::read_symlink(fs::path(root) / path).string();
}

SourceTree::~SourceTree() {
    std::error_code ignored;
    if (!temporary_directory.empty()) fs::remove_all(temporary_directory, ignored);
}

const SourceTree& source_tree() {
    static SourceTree tree = [] {
        SourceTree made;
        char pattern_path[] = "/tmp/ext2_test_XXXXXX";
        if (::mkdtemp(pattern_path) == nullptr) std::abort();
        made.temporary_directory = pattern_path;
        made.root = made.temporary_directory + "/tree";
        fs::create_directories(made.root);
        build_tree(made.root);
        record_nodes(made);
        return made;
    }();
    return tree;
}

const std::string& image_for(const ImageConfig& config) {
    static std::map<std::string, std::string> images;
    auto found = images.find(config.name);
    if (found != images.end()) return found->second;
    const SourceTree& tree = source_tree();
    std::string image = tree.temporary_directory + "/" + config.name + ".img";
    // 24 MiB and 4,096 inodes hold the tree at every block size (the big files are sparse).
    std::string command = "/sbin/mke2fs -t ext2 -F -q -N 4096 " + std::string(config.mke2fs_flags) + " -d " +
                          tree.root + " " + image + " 24M 2>&1";
    std::string output = run(command + "; echo status=$?");
    bool made = output.find("status=0") != std::string::npos;
    if (made && config.build_directory_indexes) run("/sbin/e2fsck -fyD " + image + " >/dev/null 2>&1");
    if (!made) std::fprintf(stderr, "mke2fs failed: %s\n%s\n", command.c_str(), output.c_str());
    return images[config.name] = made ? image : std::string();
}

std::string copy_image(const ImageConfig& config, const std::string& suffix) {
    std::string copy = source_tree().temporary_directory + "/" + config.name + "_" + suffix + ".img";
    fs::copy_file(image_for(config), copy, fs::copy_options::overwrite_existing);
    return copy;
}

std::string debugfs(const std::string& image, const std::string& command, bool writable) {
    return run("/sbin/debugfs " + std::string(writable ? "-w " : "") + "-R '" + command + "' " + image +
               " 2>/dev/null");
}

void patch_bytes(const std::string& image, uint64_t offset, const void* bytes, size_t length) {
    int file = ::open(image.c_str(), O_WRONLY);
    if (file < 0 || ::pwrite(file, bytes, length, off_t(offset)) != ssize_t(length)) std::abort();
    ::close(file);
}

std::vector<uint8_t> read_bytes(const std::string& image, uint64_t offset, size_t length) {
    std::vector<uint8_t> bytes(length);
    int file = ::open(image.c_str(), O_RDONLY);
    if (file < 0 || ::pread(file, bytes.data(), length, off_t(offset)) != ssize_t(length)) std::abort();
    ::close(file);
    return bytes;
}

int Ext2Mount::mount(const std::string& image, bool writable) {
    ImageFileDevice::Options options;
    options.name = writable ? "ext2rw" : "ext2img";
    options.read_only = !writable;
    Result<ImageFileDevice*> device = ImageFileDevice::open(image.c_str(), options);
    if (device.is_error()) return device.error();
    device_ = device.value();
    int error = error_of(namespace_.mount_root("ext2", device_, 0, ""));
    if (error != 0) {
        delete device_;
        device_ = nullptr;
        return error;
    }
    cwd_ = namespace_.root();
    return 0;
}

int Ext2Mount::unmount() {
    cwd_.reset();
    int error = error_of(namespace_.sync_all());
    int unmount_error = error_of(namespace_.unmount_all());
    delete device_;
    device_ = nullptr;
    return error != 0 ? error : unmount_error;
}

}  // namespace ext2_test
