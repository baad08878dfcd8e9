// tests/host/support/ext2_model.h -- an in-memory model of a file tree that
// predicts what each write-side system call does, for the ext2 write tests.
//
// Layer: host test support for tests/host/ext2_write_test.cpp. The model is
// the reference the kernel's ext2 is judged against: the same operation is
// applied to the model and, through the VFS, to a mounted image, and both
// must agree on the result (success, or the exact errno) and on the tree.
//
//   Model::from_host_tree(root)   the tree of a host folder (the fixture that
//                                 mke2fs -d copied), plus the empty lost+found
//                                 that mke2fs adds to every root
//   create/write/truncate/mkdir/rmdir/unlink/link/symlink/rename/chmod
//                                 each returns 0 or the errno that Linux gives
//                                 for the same call made by root, and changes
//                                 the model only on success
//   open_handle/write_handle/close_handle   open files that outlive renames
//                                 and unlinks of their names
//   find(path), walk(visitor)     what the tree holds now
//
// Paths are absolute ("/a/b"), without "." or "..", and never pass through a
// symbolic link before their last component (the generator of operations
// keeps to that: the model refuses such a path with a failed check, not a
// guess). Regular files keep their bytes sparsely, in chunks: a hole reads as
// zeros, so files that reach the triple indirect blocks cost little memory.
// Hard links are several directory entries holding the same Node.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ext2_model {

enum class NodeKind { File, Directory, Symlink };

// The bytes of one regular file: size plus the chunks that were ever written.
class FileBytes {
public:
    static constexpr uint64_t CHUNK = 4096;

    uint64_t size() const { return size_; }
    void write(uint64_t offset, const uint8_t* bytes, size_t length);
    void truncate(uint64_t new_size);
    // The bytes at [offset, offset + length), clipped to the size.
    std::vector<uint8_t> read(uint64_t offset, size_t length) const;
    // What the file occupies at most on disk, data only (for the space budget).
    uint64_t stored_bytes() const { return chunks_.size() * CHUNK; }

private:
    uint64_t size_ = 0;
    std::map<uint64_t, std::vector<uint8_t>> chunks_;  // chunk index -> CHUNK bytes
};

struct Node {
    NodeKind kind;
    uint32_t links = 0;  // directory entries naming it (files, symlinks); see link_count()
    uint32_t permissions = 0644;  // the mode's low 12 bits (symlinks: 0777)
    FileBytes bytes;     // File
    std::string target;  // Symlink
    std::map<std::string, std::shared_ptr<Node>> children;  // Directory
    Node* parent = nullptr;  // Directory: the one directory holding it

    explicit Node(NodeKind node_kind) : kind(node_kind) {}
    // st_nlink as ext2 keeps it: 2 + subdirectories for a directory.
    uint32_t link_count() const;
};

class Model {
public:
    Model();
    static std::unique_ptr<Model> from_host_tree(const std::string& root);

    // open(path, O_WRONLY | O_CREAT [| O_EXCL]) and close.
    int create(const std::string& path, bool exclusive);
    // open(path, O_WRONLY | O_CREAT | O_TRUNC) and close.
    int create_truncating(const std::string& path);
    // chmod(path, permissions): follows a final symbolic link, so never given one.
    int chmod(const std::string& path, uint32_t permissions);
    // open(path, O_WRONLY | O_CREAT), pwrite(bytes, offset), close.
    int write(const std::string& path, uint64_t offset, const std::vector<uint8_t>& bytes);
    int truncate(const std::string& path, uint64_t size);
    int mkdir(const std::string& path);
    int rmdir(const std::string& path);
    int unlink(const std::string& path);
    int link(const std::string& existing, const std::string& new_path);
    int symlink(const std::string& target, const std::string& path);
    int rename(const std::string& old_path, const std::string& new_path);

    // Open files (a few numbered slots): they keep their file, whatever
    // happens to its names, like a file descriptor. open needs a regular file.
    static constexpr int HANDLE_SLOTS = 2;
    int open_handle(int slot, const std::string& path);
    int write_handle(int slot, uint64_t offset, const std::vector<uint8_t>& bytes);
    void close_handle(int slot) { handles_[slot].reset(); }
    const Node* handle(int slot) const { return handles_[slot].get(); }

    // The node at `path` (the last component not followed), or nullptr.
    const Node* find(const std::string& path) const;
    Node* find(const std::string& path);
    const Node& root() const { return *root_; }
    // Calls visit(path, node) for every node, the root ("/") first, parents
    // before children, names in byte order.
    void walk(const std::function<void(const std::string&, const Node&)>& visit) const;
    std::vector<std::string> paths_of(NodeKind kind) const;
    // Bytes stored in regular files (each hard-linked file counted once).
    uint64_t stored_bytes() const;
    size_t node_count() const;

private:
    // The directory that holds `path`'s last component, or an errno.
    struct Parent {
        Node* directory = nullptr;
        std::string name;
        int error = 0;
    };
    Parent parent_of(const std::string& path) const;
    static bool is_inside(const Node* node, const Node* ancestor);

    std::shared_ptr<Node> root_;
    std::shared_ptr<Node> handles_[HANDLE_SLOTS];
};

// "/a/b" + "c" -> "/a/b/c"; "/" + "c" -> "/c".
std::string join(const std::string& directory, const std::string& name);
std::string parent_path(const std::string& path);

}  // namespace ext2_model
