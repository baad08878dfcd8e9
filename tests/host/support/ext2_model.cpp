// tests/host/support/ext2_model.cpp -- see ext2_model.h.
//
// The errno rules are Linux's (fs/namei.c: filename_create, do_unlinkat,
// do_rmdir, do_linkat, do_renameat2 with its lock_rename "trap" checks, and
// vfs_rename's "same inode: nothing to do"), for a caller that is root.
#include "tests/host/support/ext2_model.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace ext2_model {

// --- FileBytes -------------------------------------------------------------------

void FileBytes::write(uint64_t offset, const uint8_t* bytes, size_t length) {
    size_t done = 0;
    while (done < length) {
        uint64_t position = offset + done;
        uint64_t index = position / CHUNK;
        size_t within = size_t(position % CHUNK);
        size_t piece = std::min<size_t>(length - done, size_t(CHUNK) - within);
        std::vector<uint8_t>& chunk = chunks_[index];
        if (chunk.empty()) chunk.assign(CHUNK, 0);
        std::memcpy(chunk.data() + within, bytes + done, piece);
        done += piece;
    }
    size_ = std::max(size_, offset + length);
}

void FileBytes::truncate(uint64_t new_size) {
    if (new_size < size_) {
        // Whole chunks past the end go; the tail of the last one becomes zeros,
        // so growing again later reads zeros there, as on disk.
        chunks_.erase(chunks_.lower_bound((new_size + CHUNK - 1) / CHUNK), chunks_.end());
        auto last = chunks_.find(new_size / CHUNK);
        if (last != chunks_.end()) std::fill(last->second.begin() + long(new_size % CHUNK), last->second.end(), 0);
    }
    size_ = new_size;
}

std::vector<uint8_t> FileBytes::read(uint64_t offset, size_t length) const {
    if (offset >= size_) return {};
    length = size_t(std::min<uint64_t>(length, size_ - offset));
    std::vector<uint8_t> out(length, 0);
    for (auto chunk = chunks_.lower_bound(offset / CHUNK); chunk != chunks_.end(); ++chunk) {
        uint64_t chunk_start = chunk->first * CHUNK;
        if (chunk_start >= offset + length) break;
        uint64_t from = std::max(chunk_start, offset);
        uint64_t to = std::min(chunk_start + CHUNK, offset + length);
        std::memcpy(out.data() + (from - offset), chunk->second.data() + (from - chunk_start), size_t(to - from));
    }
    return out;
}

// --- Node ------------------------------------------------------------------------

uint32_t Node::link_count() const {
    if (kind != NodeKind::Directory) return links;
    uint32_t count = 2;
    for (const auto& [name, child] : children)
        if (child->kind == NodeKind::Directory) ++count;
    return count;
}

// --- paths -----------------------------------------------------------------------

std::string join(const std::string& directory, const std::string& name) {
    return directory == "/" ? "/" + name : directory + "/" + name;
}

std::string parent_path(const std::string& path) {
    size_t slash = path.rfind('/');
    return slash == 0 ? "/" : path.substr(0, slash);
}

namespace {

std::vector<std::string> components_of(const std::string& path) {
    std::vector<std::string> parts;
    size_t start = 1;
    while (start <= path.size()) {
        size_t slash = path.find('/', start);
        if (slash == std::string::npos) slash = path.size();
        if (slash > start) parts.push_back(path.substr(start, slash - start));
        start = slash + 1;
    }
    return parts;
}

[[noreturn]] void unsupported(const char* what, const std::string& path) {
    std::fprintf(stderr, "ext2 model: %s: %s (the generator must not make this)\n", what, path.c_str());
    std::abort();
}

}  // namespace

Model::Model() : root_(std::make_shared<Node>(NodeKind::Directory)) { root_->permissions = 0755; }

Model::Parent Model::parent_of(const std::string& path) const {
    Parent result;
    std::vector<std::string> parts = components_of(path);
    if (parts.empty()) unsupported("the root as a last component", path);
    Node* directory = root_.get();
    for (size_t i = 0; i + 1 < parts.size(); ++i) {
        if (parts[i].size() > 255) return {nullptr, "", ENAMETOOLONG};
        auto child = directory->children.find(parts[i]);
        if (child == directory->children.end()) return {nullptr, "", ENOENT};
        if (child->second->kind == NodeKind::Symlink) unsupported("a symbolic link inside a path", path);
        if (child->second->kind != NodeKind::Directory) return {nullptr, "", ENOTDIR};
        directory = child->second.get();
    }
    if (parts.back().size() > 255) return {nullptr, "", ENAMETOOLONG};
    result.directory = directory;
    result.name = parts.back();
    return result;
}

Node* Model::find(const std::string& path) {
    if (path == "/") return root_.get();
    Parent parent = parent_of(path);
    if (parent.error != 0) return nullptr;
    auto child = parent.directory->children.find(parent.name);
    return child == parent.directory->children.end() ? nullptr : child->second.get();
}

const Node* Model::find(const std::string& path) const { return const_cast<Model*>(this)->find(path); }

bool Model::is_inside(const Node* node, const Node* ancestor) {
    for (; node != nullptr; node = node->parent)
        if (node == ancestor) return true;
    return false;
}

// --- operations ------------------------------------------------------------------

int Model::create(const std::string& path, bool exclusive) {
    Parent parent = parent_of(path);
    if (parent.error != 0) return parent.error;
    auto existing = parent.directory->children.find(parent.name);
    if (existing != parent.directory->children.end()) {
        if (exclusive) return EEXIST;
        if (existing->second->kind == NodeKind::Directory) return EISDIR;
        if (existing->second->kind == NodeKind::Symlink) unsupported("opening through a symbolic link", path);
        return 0;
    }
    auto file = std::make_shared<Node>(NodeKind::File);
    file->links = 1;
    parent.directory->children[parent.name] = file;
    return 0;
}

int Model::create_truncating(const std::string& path) {
    int error = create(path, false);
    if (error == 0) find(path)->bytes.truncate(0);
    return error;
}

int Model::chmod(const std::string& path, uint32_t permissions) {
    Parent parent = path == "/" ? Parent{root_.get(), "", 0} : parent_of(path);
    if (parent.error != 0) return parent.error;
    Node* node = find(path);
    if (node == nullptr) return ENOENT;
    if (node->kind == NodeKind::Symlink) unsupported("chmod through a symbolic link", path);
    node->permissions = permissions & 07777;
    return 0;
}

int Model::open_handle(int slot, const std::string& path) {
    Parent parent = parent_of(path);
    if (parent.error != 0) return parent.error;
    auto entry = parent.directory->children.find(parent.name);
    if (entry == parent.directory->children.end()) return ENOENT;
    if (entry->second->kind != NodeKind::File) unsupported("a handle on anything but a regular file", path);
    handles_[slot] = entry->second;
    return 0;
}

int Model::write_handle(int slot, uint64_t offset, const std::vector<uint8_t>& bytes) {
    handles_[slot]->bytes.write(offset, bytes.data(), bytes.size());
    return 0;
}

int Model::write(const std::string& path, uint64_t offset, const std::vector<uint8_t>& bytes) {
    int error = create(path, false);
    if (error != 0) return error;
    find(path)->bytes.write(offset, bytes.data(), bytes.size());
    return 0;
}

int Model::truncate(const std::string& path, uint64_t size) {
    Parent parent = parent_of(path);
    if (parent.error != 0) return parent.error;
    Node* node = find(path);
    if (node == nullptr) return ENOENT;
    if (node->kind == NodeKind::Directory) return EISDIR;
    if (node->kind == NodeKind::Symlink) unsupported("truncating through a symbolic link", path);
    node->bytes.truncate(size);
    return 0;
}

int Model::mkdir(const std::string& path) {
    Parent parent = parent_of(path);
    if (parent.error != 0) return parent.error;
    if (parent.directory->children.count(parent.name)) return EEXIST;
    auto directory = std::make_shared<Node>(NodeKind::Directory);
    // A set-group-ID directory passes the bit on to new directories (Linux
    // inode_init_owner), and mkdir's mode here is always 0755.
    directory->permissions = 0755 | (parent.directory->permissions & 02000);
    directory->parent = parent.directory;
    parent.directory->children[parent.name] = directory;
    return 0;
}

int Model::rmdir(const std::string& path) {
    Parent parent = parent_of(path);
    if (parent.error != 0) return parent.error;
    auto victim = parent.directory->children.find(parent.name);
    if (victim == parent.directory->children.end()) return ENOENT;
    if (victim->second->kind != NodeKind::Directory) return ENOTDIR;
    if (!victim->second->children.empty()) return ENOTEMPTY;
    parent.directory->children.erase(victim);
    return 0;
}

int Model::unlink(const std::string& path) {
    Parent parent = parent_of(path);
    if (parent.error != 0) return parent.error;
    auto victim = parent.directory->children.find(parent.name);
    if (victim == parent.directory->children.end()) return ENOENT;
    if (victim->second->kind == NodeKind::Directory) return EISDIR;
    --victim->second->links;
    parent.directory->children.erase(victim);
    return 0;
}

int Model::link(const std::string& existing, const std::string& new_path) {
    Parent from = parent_of(existing);
    if (from.error != 0) return from.error;
    auto source = from.directory->children.find(from.name);
    if (source == from.directory->children.end()) return ENOENT;
    Parent to = parent_of(new_path);
    if (to.error != 0) return to.error;
    if (to.directory->children.count(to.name)) return EEXIST;
    if (source->second->kind == NodeKind::Directory) return EPERM;
    ++source->second->links;
    to.directory->children[to.name] = source->second;
    return 0;
}

int Model::symlink(const std::string& target, const std::string& path) {
    Parent parent = parent_of(path);
    if (parent.error != 0) return parent.error;
    if (parent.directory->children.count(parent.name)) return EEXIST;
    auto link = std::make_shared<Node>(NodeKind::Symlink);
    link->links = 1;
    link->permissions = 0777;
    link->target = target;
    parent.directory->children[parent.name] = link;
    return 0;
}

int Model::rename(const std::string& old_path, const std::string& new_path) {
    Parent from = parent_of(old_path);
    if (from.error != 0) return from.error;
    Parent to = parent_of(new_path);
    if (to.error != 0) return to.error;
    auto source_entry = from.directory->children.find(from.name);
    if (source_entry == from.directory->children.end()) return ENOENT;
    std::shared_ptr<Node> source = source_entry->second;
    auto target_entry = to.directory->children.find(to.name);
    std::shared_ptr<Node> target = target_entry == to.directory->children.end() ? nullptr : target_entry->second;
    bool moving_directory = source->kind == NodeKind::Directory;
    if (from.directory != to.directory) {
        if (moving_directory && is_inside(to.directory, source.get())) return EINVAL;
        if (target && is_inside(from.directory, target.get())) return ENOTEMPTY;
    }
    if (target == source) return 0;
    if (target) {
        if (moving_directory && target->kind != NodeKind::Directory) return ENOTDIR;
        if (!moving_directory && target->kind == NodeKind::Directory) return EISDIR;
        if (target->kind == NodeKind::Directory && !target->children.empty()) return ENOTEMPTY;
        if (target->kind != NodeKind::Directory) --target->links;
    }
    from.directory->children.erase(source_entry);
    to.directory->children[to.name] = source;
    if (moving_directory) source->parent = to.directory;
    return 0;
}

// --- queries ---------------------------------------------------------------------

void Model::walk(const std::function<void(const std::string&, const Node&)>& visit) const {
    std::function<void(const std::string&, const Node&)> descend = [&](const std::string& path, const Node& node) {
        visit(path, node);
        if (node.kind != NodeKind::Directory) return;
        for (const auto& [name, child] : node.children) descend(join(path, name), *child);
    };
    descend("/", *root_);
}

std::vector<std::string> Model::paths_of(NodeKind kind) const {
    std::vector<std::string> paths;
    walk([&](const std::string& path, const Node& node) {
        if (node.kind == kind) paths.push_back(path);
    });
    return paths;
}

uint64_t Model::stored_bytes() const {
    std::vector<const Node*> seen;
    uint64_t total = 0;
    walk([&](const std::string&, const Node& node) {
        if (node.kind != NodeKind::File) return;
        if (node.links > 1) {
            if (std::find(seen.begin(), seen.end(), &node) != seen.end()) return;
            seen.push_back(&node);
        }
        total += node.bytes.stored_bytes();
    });
    return total;
}

size_t Model::node_count() const {
    size_t count = 0;
    walk([&](const std::string&, const Node&) { ++count; });
    return count;
}

// --- from a host folder ----------------------------------------------------------

namespace {

// Only the data the host file holds (SEEK_DATA skips its holes): the
// fixture's sparse files are tens of MiB long.
void load_file_bytes(const std::string& host_path, FileBytes& bytes) {
    int file = ::open(host_path.c_str(), O_RDONLY);
    if (file < 0) unsupported("cannot open", host_path);
    static const std::vector<uint8_t> zeros(FileBytes::CHUNK, 0);
    std::vector<uint8_t> buffer(FileBytes::CHUNK);
    off_t end = ::lseek(file, 0, SEEK_END);
    off_t data = ::lseek(file, 0, SEEK_DATA);
    while (data >= 0 && data < end) {
        off_t hole = ::lseek(file, data, SEEK_HOLE);
        if (hole < 0) hole = end;
        for (off_t offset = data - data % off_t(FileBytes::CHUNK); offset < hole; offset += off_t(FileBytes::CHUNK)) {
            ssize_t got = ::pread(file, buffer.data(), buffer.size(), offset);
            if (got <= 0) break;
            if (std::memcmp(buffer.data(), zeros.data(), size_t(got)) != 0) bytes.write(uint64_t(offset), buffer.data(), size_t(got));
        }
        data = ::lseek(file, hole, SEEK_DATA);
    }
    ::close(file);
    bytes.truncate(uint64_t(end));
}

void load_directory(const std::string& host_path, Node& directory, std::map<ino_t, std::shared_ptr<Node>>& by_inode) {
    DIR* listing = ::opendir(host_path.c_str());
    if (listing == nullptr) unsupported("cannot list", host_path);
    while (struct dirent* entry = ::readdir(listing)) {
        std::string name = entry->d_name;
        if (name == "." || name == "..") continue;
        std::string child_path = host_path + "/" + name;
        struct stat status {};
        ::lstat(child_path.c_str(), &status);
        std::shared_ptr<Node> child;
        if (S_ISDIR(status.st_mode)) {
            child = std::make_shared<Node>(NodeKind::Directory);
            child->parent = &directory;
            load_directory(child_path, *child, by_inode);
        } else if (by_inode.count(status.st_ino)) {
            child = by_inode[status.st_ino];
            ++child->links;
        } else if (S_ISLNK(status.st_mode)) {
            child = std::make_shared<Node>(NodeKind::Symlink);
            child->links = 1;
            char target[4096];
            ssize_t length = ::readlink(child_path.c_str(), target, sizeof target);
            child->target.assign(target, size_t(std::max<ssize_t>(length, 0)));
        } else {
            child = std::make_shared<Node>(NodeKind::File);
            child->links = 1;
            load_file_bytes(child_path, child->bytes);
            by_inode[status.st_ino] = child;
        }
        child->permissions = status.st_mode & 07777;
        directory.children[name] = child;
    }
    ::closedir(listing);
}

}  // namespace

std::unique_ptr<Model> Model::from_host_tree(const std::string& root) {
    auto model = std::make_unique<Model>();
    std::map<ino_t, std::shared_ptr<Node>> by_inode;
    load_directory(root, *model->root_, by_inode);
    auto lost_and_found = std::make_shared<Node>(NodeKind::Directory);
    lost_and_found->parent = model->root_.get();
    lost_and_found->permissions = 0700;
    struct stat status {};
    ::lstat(root.c_str(), &status);
    model->root_->permissions = status.st_mode & 07777;
    model->root_->children["lost+found"] = lost_and_found;
    return model;
}

}  // namespace ext2_model
