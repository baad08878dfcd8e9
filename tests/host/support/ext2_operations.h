// tests/host/support/ext2_operations.h -- random write-side operations, the
// file systems they run on, and the comparison with the model.
//
// Layer: host test support for tests/host/ext2_write_test.cpp.
//
//   Target              a file system driven by path names, like a program
//                       would: the kernel's VFS over an ext2 image
//                       (ext2_write_support.h), or the host's own kernel in a
//                       folder (HostTarget: checks the model against Linux)
//   OperationGenerator  a seeded stream of operations chosen from what the
//                       model holds now: writes (small, large, past the end,
//                       into double and once into triple indirect blocks),
//                       truncates, create, mkdir, rmdir, unlink, link,
//                       symlink (fast and slow), rename in all its forms, and
//                       reads/stats that check the target between changes
//   run_sequence        applies `count` operations to the model and the
//                       target (EXT2_WRITE_TRACE=1 lists them on stderr);
//                       stops at the first disagreement and returns
//                       its description (seed, operation number, operation,
//                       both results, the operations just before); "" if none
//   verify_tree         every node of the model against the target: type,
//                       size, link count, bytes, symlink target, directory
//                       names, hard links sharing one inode number
//
// The generator never makes what the model cannot predict (see ext2_model.h)
// nor the two rename corner cases where the kernel's VFS checks in another
// order than Linux (a directory moved into itself onto a non-directory, a
// file moved onto a directory that holds its source): those are VFS matters.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "tests/host/support/ext2_model.h"

namespace ext2_model {

struct TargetStatus {
    NodeKind kind = NodeKind::File;
    uint64_t size = 0;
    uint32_t links = 0;
    uint64_t inode = 0;
    uint32_t permissions = 0;
};

// A short write (fewer bytes than asked, no error) is reported as this.
constexpr int SHORT_WRITE = -1;

class Target {
public:
    virtual ~Target() = default;
    // truncating: O_TRUNC (never with exclusive)
    virtual int create(const std::string& path, bool exclusive, bool truncating) = 0;
    virtual int chmod(const std::string& path, uint32_t permissions) = 0;
    virtual int write(const std::string& path, uint64_t offset, const std::vector<uint8_t>& bytes) = 0;
    virtual int truncate(const std::string& path, uint64_t size) = 0;
    virtual int mkdir(const std::string& path) = 0;
    virtual int rmdir(const std::string& path) = 0;
    virtual int unlink(const std::string& path) = 0;
    virtual int link(const std::string& existing, const std::string& new_path) = 0;
    virtual int symlink(const std::string& target, const std::string& path) = 0;
    virtual int rename(const std::string& old_path, const std::string& new_path) = 0;
    virtual int read(const std::string& path, uint64_t offset, size_t length, std::vector<uint8_t>& out) = 0;
    virtual int readlink(const std::string& path, std::string& target) = 0;
    virtual int status(const std::string& path, TargetStatus& out) = 0;  // lstat
    virtual int list(const std::string& path, std::vector<std::string>& names) = 0;  // no "." ".."
    // An open file (O_RDWR) in `slot`, used until closed whatever happens to its name.
    virtual int open_handle(int slot, const std::string& path) = 0;
    virtual int write_handle(int slot, uint64_t offset, const std::vector<uint8_t>& bytes) = 0;
    virtual int read_handle(int slot, uint64_t offset, size_t length, std::vector<uint8_t>& out) = 0;
    virtual void close_handle(int slot) = 0;

    // Bytes the last write or write_handle wrote (for a SHORT_WRITE).
    size_t last_write_count = 0;
};

// The host's file system under the folder `root` (paths are prefixed with it).
class HostTarget final : public Target {
public:
    explicit HostTarget(std::string root) : root_(std::move(root)) {}
    int create(const std::string& path, bool exclusive, bool truncating) override;
    int chmod(const std::string& path, uint32_t permissions) override;
    int write(const std::string& path, uint64_t offset, const std::vector<uint8_t>& bytes) override;
    int truncate(const std::string& path, uint64_t size) override;
    int mkdir(const std::string& path) override;
    int rmdir(const std::string& path) override;
    int unlink(const std::string& path) override;
    int link(const std::string& existing, const std::string& new_path) override;
    int symlink(const std::string& target, const std::string& path) override;
    int rename(const std::string& old_path, const std::string& new_path) override;
    int read(const std::string& path, uint64_t offset, size_t length, std::vector<uint8_t>& out) override;
    int readlink(const std::string& path, std::string& target) override;
    int status(const std::string& path, TargetStatus& out) override;
    int list(const std::string& path, std::vector<std::string>& names) override;
    int open_handle(int slot, const std::string& path) override;
    int write_handle(int slot, uint64_t offset, const std::vector<uint8_t>& bytes) override;
    int read_handle(int slot, uint64_t offset, size_t length, std::vector<uint8_t>& out) override;
    void close_handle(int slot) override;
    ~HostTarget() override;

private:
    std::string host(const std::string& path) const { return root_ + path; }
    std::string root_;
    int handles_[Model::HANDLE_SLOTS] = {-1, -1};
};

struct Operation {
    enum Kind {
        Create, CreateExclusive, CreateTruncating, Write, Truncate, Mkdir, Rmdir, Unlink, Link, Symlink, Rename,
        Chmod, Read, Stat, HandleOpen, HandleWrite, HandleRead, HandleClose
    };
    int slot = 0;             // Handle*: which open file
    Kind kind = Read;
    std::string path, other;  // other: link's new name, rename's new name, symlink's target
    uint64_t offset = 0;      // Write, Read
    uint64_t size = 0;        // Truncate's length, Read's length, Chmod's permissions
    std::vector<uint8_t> bytes;
    const char* name() const;
    std::string describe() const;
};

struct GeneratorLimits {
    uint32_t block_size = 1024;
    uint64_t space_budget = 10u << 20;  // model bytes above which only shrinking and removing are chosen
    size_t node_budget = 3500;          // likewise for the number of nodes (inodes)
    bool triple_indirect_write = false; // one write past the double indirect blocks (1 KiB blocks)
    uint64_t largest_far_offset = 6u << 20;
};

class OperationGenerator {
public:
    OperationGenerator(uint64_t seed, const GeneratorLimits& limits) : random_(seed), limits_(limits) {}
    Operation next(const Model& model, int index, int count);

private:
    uint64_t below(uint64_t bound) { return bound == 0 ? 0 : random_() % bound; }
    bool chance(int percent) { return int(below(100)) < percent; }
    std::vector<uint8_t> random_bytes(size_t length);
    std::string pick_directory(const Model& model);
    // A random entry of a random directory (never lost+found), or "" if none.
    std::string pick_entry(const Model& model);
    std::string pick_of_kind(const Model& model, NodeKind kind);
    std::string new_name();
    // A name never given before (so never present).
    std::string unique_name();
    // A name in a random directory: an existing entry or a new name.
    std::string pick_destination(const Model& model);
    std::string symlink_target();
    Operation make_write(const Model& model, int index, int count);
    Operation make_truncate(const Model& model);
    Operation make_rename(const Model& model);
    Operation make_link(const Model& model);
    Operation make_removal(const Model& model, bool directory);
    Operation make_creation(const Model& model, Operation::Kind kind);
    Operation make_check(const Model& model);
    Operation make_chmod(const Model& model);
    Operation make_handle_operation(const Model& model);

    std::mt19937_64 random_;
    GeneratorLimits limits_;
    bool triple_indirect_done_ = false;
    bool over_budget_ = false;
    uint64_t unique_names_ = 0;
    std::vector<std::string> directories_;  // usable directories, found again for each operation
    bool handle_open_[Model::HANDLE_SLOTS] = {};

public:
    // Closes every open file, in the model and the target (before an unmount).
    void close_handles(Model& model, Target& target);
};

// Applies the operation to the model (returns its predicted errno).
int apply(const Operation& operation, Model& model);

struct SequenceReport {
    std::string failure;  // "" when every operation agreed
    int applied = 0;
    int failed_as_predicted = 0;  // operations where both said the same errno
    std::map<int, int> errors_seen;  // errno -> how often both said it
    std::map<std::string, int> successes;  // operation name -> how many succeeded
    int out_of_space = 0;  // changes the target refused with ENOSPC (disk_may_fill)
    std::string summary() const;
};

// disk_may_fill: the disk is small and fills up, which the model cannot
// foresee: a change the target refuses with ENOSPC is then accepted and left
// out of the model (a write that created its file keeps the empty file), and
// a short write goes into the model as far as it went. Every other result is
// still the model's.
SequenceReport run_sequence(Model& model, Target& target, OperationGenerator& generator, int first, int count,
                            int total, uint64_t seed, bool disk_may_fill = false);

// Differences between the model and the target, one line each (empty: equal).
std::vector<std::string> verify_tree(const Model& model, Target& target, size_t max_failures = 20);

std::string errno_name(int error);

}  // namespace ext2_model
