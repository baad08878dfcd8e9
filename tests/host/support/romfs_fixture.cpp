// tests/host/support/romfs_fixture.cpp -- see the header.
#include "tests/host/support/romfs_fixture.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include "fs/romfs/romfs_format.h"

namespace romfs_test {
namespace {

namespace fs = std::filesystem;

std::vector<uint8_t> pseudo_random_bytes(size_t count, uint32_t seed) {
    std::mt19937 generator(seed);
    std::vector<uint8_t> bytes(count);
    for (auto& byte : bytes) byte = uint8_t(generator());
    return bytes;
}

void write_host_file(const fs::path& path, const std::vector<uint8_t>& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

std::vector<uint8_t> read_host_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::vector<uint8_t> text(const std::string& string) { return std::vector<uint8_t>(string.begin(), string.end()); }

void make_socket(const fs::path& path) {
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::close(fd);
}

// The tree of the header comment. Returns whether device nodes could be made.
bool build_tree(const fs::path& root) {
    fs::create_directories(root / "files");
    uint32_t seed = 1;
    for (size_t size : {0, 1, 15, 16, 17, 4095, 4096, 4097}) {
        write_host_file(root / "files" / ("size_" + std::to_string(size)), pseudo_random_bytes(size, seed++));
    }
    write_host_file(root / "files" / "big", pseudo_random_bytes(3 * 1024 * 1024 + 1234, 99));

    fs::create_directories(root / "names");
    write_host_file(root / "names" / std::string(255, 'n'), text("the longest name\n"));
    write_host_file(root / "names" / "with space", text("space\n"));
    write_host_file(root / "names" / "\xc3\xbcnic\xc3\xb6" "de", text("utf-8\n"));

    fs::create_directories(root / "many");
    for (int i = 0; i < 300; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "entry_%03d", i);
        write_host_file(root / "many" / name, text(name));
    }

    fs::create_directories(root / "nested/a/b/c/d");
    write_host_file(root / "nested/a/b/c/d/deep.txt", text("five levels down\n"));
    fs::create_directories(root / "empty_dir");

    write_host_file(root / "linked", text("one file, three names\n"));
    fs::create_hard_link(root / "linked", root / "nested/a/linked_too");
    fs::create_hard_link(root / "linked", root / "files/linked_third");

    fs::create_directories(root / "links");
    fs::create_symlink("../files/size_17", root / "links/relative");
    fs::create_symlink("/files/size_16", root / "links/absolute");
    fs::create_symlink("chain2", root / "links/chain1");
    fs::create_symlink("chain3", root / "links/chain2");
    fs::create_symlink("../files/size_1", root / "links/chain3");
    fs::create_symlink("does/not/exist", root / "links/dangling");

    fs::create_directories(root / "bin");
    write_host_file(root / "bin/tool", text("#!/bin/sh\necho tool\n"));
    fs::permissions(root / "bin/tool", fs::perms(0755));

    fs::create_directories(root / "special");
    ::mkfifo((root / "special/fifo").c_str(), 0644);
    make_socket(root / "special/socket");
    bool character = ::mknod((root / "special/char_1_3").c_str(), S_IFCHR | 0600, makedev(1, 3)) == 0;
    bool block = ::mknod((root / "special/block_7_2").c_str(), S_IFBLK | 0600, makedev(7, 2)) == 0;
    if (character != block) {  // keep the model simple: both or neither
        fs::remove(root / "special/char_1_3");
        fs::remove(root / "special/block_7_2");
    }
    return character && block;
}

HostNode describe(const fs::path& path) {
    struct stat status {};
    ::lstat(path.c_str(), &status);
    HostNode node;
    node.executable = (status.st_mode & S_IXUSR) != 0;
    switch (status.st_mode & S_IFMT) {
    case S_IFREG: node.kind = 'f'; node.size = uint64_t(status.st_size); break;
    case S_IFDIR: node.kind = 'd'; break;
    case S_IFLNK: node.kind = 'l'; node.symlink_target = fs::read_symlink(path).string(); break;
    case S_IFIFO: node.kind = 'p'; break;
    case S_IFSOCK: node.kind = 's'; break;
    case S_IFCHR: node.kind = 'c'; break;
    case S_IFBLK: node.kind = 'b'; break;
    }
    return node;
}

Fixture* build_fixture() {
    auto* built = new Fixture;
    char pattern[] = "/tmp/romfs_test.XXXXXX";
    if (!::mkdtemp(pattern)) std::abort();
    built->temporary_directory = pattern;
    built->tree_directory = built->temporary_directory + "/tree";
    built->image_path = built->temporary_directory + "/image.romfs";
    built->has_device_nodes = build_tree(built->tree_directory);
    if (!make_image(built->tree_directory, built->image_path, VOLUME_NAME)) {
        std::fprintf(stderr, "genromfs failed; is /usr/bin/genromfs installed?\n");
        std::abort();
    }
    built->image_bytes = read_host_file(built->image_path);
    built->nodes[""] = describe(built->tree_directory);
    for (const auto& item : fs::recursive_directory_iterator(built->tree_directory)) {
        std::string relative = item.path().lexically_relative(built->tree_directory).string();
        built->nodes[relative] = describe(item.path());
    }
    return built;
}

int temporary_image_count = 0;

}  // namespace

RomfsFileType HostNode::romfs_type() const {
    switch (kind) {
    case 'd': return RomfsFileType::Directory;
    case 'l': return RomfsFileType::Symlink;
    case 'p': return RomfsFileType::Fifo;
    case 's': return RomfsFileType::Socket;
    case 'c': return RomfsFileType::CharDevice;
    case 'b': return RomfsFileType::BlockDevice;
    default: return RomfsFileType::RegularFile;
    }
}

uint32_t HostNode::linux_type_bits() const {
    switch (kind) {
    case 'd': return S_IFDIR;
    case 'l': return S_IFLNK;
    case 'p': return S_IFIFO;
    case 's': return S_IFSOCK;
    case 'c': return S_IFCHR;
    case 'b': return S_IFBLK;
    default: return S_IFREG;
    }
}

std::multiset<std::string> Fixture::children_of(const std::string& path) const {
    std::multiset<std::string> children;
    for (const auto& [child, node] : nodes) {
        if (!child.empty() && parent_of(child) == path) children.insert(fs::path(child).filename().string());
    }
    return children;
}

std::vector<uint8_t> Fixture::host_file_bytes(const std::string& path) const {
    return read_host_file(fs::path(tree_directory) / path);
}

Fixture::~Fixture() {
    std::error_code ignored;
    fs::remove_all(temporary_directory, ignored);
}

const Fixture& fixture() {
    // Built on first use; the unique_ptr removes the folder at exit.
    static std::unique_ptr<Fixture> the_fixture(build_fixture());
    return *the_fixture;
}

bool make_image(const std::string& tree, const std::string& image, const char* volume_name) {
    std::string command = "genromfs -f '" + image + "' -d '" + tree + "' -V '" + volume_name + "'";
    return std::system(command.c_str()) == 0;
}

std::string write_temporary_image(const std::vector<uint8_t>& bytes) {
    std::string path = fixture().temporary_directory + "/damaged_" + std::to_string(temporary_image_count++) + ".img";
    write_host_file(path, bytes);
    return path;
}

MountedImage::MountedImage(const std::string& path, ImageFileDevice::Options options, size_t cache_bytes) {
    options.read_only = true;
    Result<ImageFileDevice*> opened = ImageFileDevice::open(path.c_str(), options);
    if (opened.is_error()) {
        open_result = Error{opened.error()};
        return;
    }
    device = opened.value();
    cache = std::make_unique<BufferCache>(cache_bytes);
    Result<RomfsImage*> romfs = RomfsImage::open(*cache, *device);
    if (romfs.is_error()) {
        open_result = Error{romfs.error()};
        return;
    }
    image = romfs.value();
}

MountedImage::~MountedImage() {
    delete image;
    cache.reset();  // its buffers name the device: before the device goes
    delete device;
}

Result<RomfsEntry> lookup(RomfsImage& image, const std::string& path, bool resolve_last) {
    RomfsEntry current = TRY(image.root());
    size_t start = 0;
    while (!path.empty()) {
        size_t slash = path.find('/', start);
        bool last = slash == std::string::npos;
        std::string name = path.substr(start, last ? std::string::npos : slash - start);
        RomfsEntry stored = TRY(image.find_in_directory(current, name.c_str()));
        if (last && !resolve_last) return stored;
        current = TRY(image.resolve_hard_link(stored));
        if (last) break;
        start = slash + 1;
    }
    return current;
}

Result<RomfsEntry> lookup_in(RomfsImage& image, const RomfsEntry& directory, const char* name) {
    RomfsEntry stored = TRY(image.find_in_directory(directory, name));
    return image.resolve_hard_link(stored);
}

std::string parent_of(const std::string& path) {
    size_t slash = path.rfind('/');
    return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

std::vector<uint8_t> read_all(RomfsImage& image, const RomfsEntry& entry, size_t chunk) {
    std::vector<uint8_t> data;
    std::vector<uint8_t> buffer(chunk);
    for (;;) {
        Result<size_t> got = image.read_data(entry, data.size(), buffer.data(), buffer.size());
        if (got.is_error()) {
            ADD_FAILURE() << "read_data of " << entry.name << " at " << data.size() << ": "
                          << errno_name(got.error());
            return data;
        }
        if (got.value() == 0) return data;
        data.insert(data.end(), buffer.begin(), buffer.begin() + long(got.value()));
    }
}

namespace {

int walk_directory_tree(RomfsImage& image, const RomfsEntry& directory, int depth, size_t* entries_seen) {
    // The descent rule makes every path finite; the depth cap only keeps a
    // bug in it from overflowing the stack instead of failing the test.
    if (depth > 256) return ELOOP;
    std::vector<RomfsEntry> children;
    Result<void> listed = image.for_each_directory_entry(directory, [&](const RomfsEntry& entry) {
        ++*entries_seen;
        if (!entry.is_dot_or_dot_dot()) children.push_back(entry);
        return RomfsWalk::Continue;
    });
    if (listed.is_error()) return listed.error();
    for (const RomfsEntry& child : children) {
        Result<RomfsEntry> target = image.resolve_hard_link(child);
        if (target.is_error()) return target.error();
        if (target.value().is_directory()) {
            int error = walk_directory_tree(image, target.value(), depth + 1, entries_seen);
            if (error) return error;
            continue;
        }
        uint8_t buffer[4096];
        for (uint64_t offset = 0;; offset += sizeof buffer) {
            Result<size_t> got = image.read_data(target.value(), offset, buffer, sizeof buffer);
            if (got.is_error() && got.error() == EINVAL) break;  // not a file or symlink
            if (got.is_error()) return got.error();
            if (got.value() < sizeof buffer) break;
        }
    }
    return 0;
}

}  // namespace

int walk_everything(RomfsImage& image, size_t* entries_seen) {
    *entries_seen = 0;
    Result<RomfsEntry> root = image.root();
    if (root.is_error()) return root.error();
    return walk_directory_tree(image, root.value(), 0, entries_seen);
}

TailImage make_image_ending_in_half_a_block() {
    for (uint32_t extra = 0; extra < 128; ++extra) {
        fs::path tree = fs::path(fixture().temporary_directory) / ("tail_tree_" + std::to_string(extra));
        fs::create_directories(tree);
        std::vector<uint8_t> contents = pseudo_random_bytes(1500 + 16 * extra, 7);
        write_host_file(tree / "tail", contents);
        std::string image_path = tree.string() + ".img";
        if (!make_image(tree.string(), image_path, "tail")) return {};
        std::vector<uint8_t> bytes = read_host_file(image_path);
        uint32_t size = superblock_size(bytes);
        uint32_t sectors_end = (size + 511) / 512 * 512;
        if (sectors_end % 1024 != 512) continue;
        bytes.resize(sectors_end);
        return TailImage{write_temporary_image(bytes), contents};
    }
    return {};
}

uint32_t get_be32(const std::vector<uint8_t>& bytes, uint32_t offset) { return romfs_read_be32(&bytes.at(offset + 3) - 3); }

void set_be32(std::vector<uint8_t>& bytes, uint32_t offset, uint32_t value) {
    romfs_write_be32(&bytes.at(offset + 3) - 3, value);
}

uint32_t superblock_size(const std::vector<uint8_t>& bytes) { return get_be32(bytes, ROMFS_SUPERBLOCK_FULL_SIZE); }

void fix_header_checksum(std::vector<uint8_t>& bytes, uint32_t header) {
    size_t name_length = strnlen(reinterpret_cast<const char*>(&bytes.at(header + ROMFS_HEADER_NAME)),
                                 bytes.size() - header - ROMFS_HEADER_NAME);
    uint32_t metadata_size = ROMFS_HEADER_FIELDS_SIZE + romfs_padded_name_size(uint32_t(name_length));
    set_be32(bytes, header + ROMFS_HEADER_CHECKSUM, 0);
    uint32_t sum = romfs_checksum(&bytes.at(header), metadata_size);
    set_be32(bytes, header + ROMFS_HEADER_CHECKSUM, 0u - sum);
}

void fix_superblock_checksum(std::vector<uint8_t>& bytes) {
    uint32_t span = superblock_size(bytes) < 512 ? superblock_size(bytes) & ~3u : 512;
    if (span > bytes.size()) span = uint32_t(bytes.size()) & ~3u;
    set_be32(bytes, ROMFS_SUPERBLOCK_CHECKSUM, 0);
    set_be32(bytes, ROMFS_SUPERBLOCK_CHECKSUM, 0u - romfs_checksum(bytes.data(), span));
}

void set_next_offset(std::vector<uint8_t>& bytes, uint32_t header, uint32_t next) {
    uint32_t flags = get_be32(bytes, header + ROMFS_HEADER_NEXT) & ~ROMFS_OFFSET_MASK;
    set_be32(bytes, header + ROMFS_HEADER_NEXT, next | flags);
    fix_header_checksum(bytes, header);
}

void set_spec_info(std::vector<uint8_t>& bytes, uint32_t header, uint32_t spec_info) {
    set_be32(bytes, header + ROMFS_HEADER_SPEC_INFO, spec_info);
    fix_header_checksum(bytes, header);
}

std::vector<uint8_t> read_file_bytes(const std::string& path) { return read_host_file(path); }

RomfsImage& good_image() {
    static MountedImage mounted(fixture().image_path);
    if (mounted.open_result.is_error()) std::abort();
    return *mounted.image;
}

uint32_t header_offset_of(const std::string& path, bool resolve_last) {
    Result<RomfsEntry> entry = lookup(good_image(), path, resolve_last);
    if (entry.is_error()) {
        ADD_FAILURE() << "no " << path << " in the good image";
        return 0;
    }
    return entry.value().header_offset;
}

std::vector<uint32_t> chain_of(const std::string& directory_path) {
    std::vector<uint32_t> chain;
    Result<RomfsEntry> directory = lookup(good_image(), directory_path);
    if (directory.is_error()) return chain;
    Result<void> walked = good_image().for_each_directory_entry(directory.value(), [&](const RomfsEntry& entry) {
        chain.push_back(entry.header_offset);
        return RomfsWalk::Continue;
    });
    if (walked.is_error()) ADD_FAILURE() << "cannot walk " << directory_path;
    return chain;
}

}  // namespace romfs_test
