// tests/host/support/ext2_operation_generator.cpp -- OperationGenerator (see
// ext2_operations.h): which operation comes next, and on what.
//
// What must stay true: every operation is one the model can predict (no path
// through a symbolic link, no open or truncate of a symbolic link, nothing
// touching lost+found, whose loss e2fsck reports), and names repeat often
// enough that EEXIST, ENOTEMPTY, ENOTDIR, EISDIR and renames onto existing
// names all happen in a few hundred operations.
#include <algorithm>
#include <cstring>

#include "tests/host/support/ext2_operations.h"

namespace ext2_model {

namespace {

// Directories that operations may use (lost+found and the root excluded from
// nothing but lost+found itself).
std::vector<std::string> usable_directories(const Model& model) {
    std::vector<std::string> directories;
    std::vector<std::pair<std::string, const Node*>> pending = {{"/", &model.root()}};
    while (!pending.empty()) {
        auto [path, node] = pending.back();
        pending.pop_back();
        directories.push_back(path);
        for (const auto& [name, child] : node->children)
            if (child->kind == NodeKind::Directory && !(path == "/" && name == "lost+found"))
                pending.push_back({join(path, name), child.get()});
    }
    std::sort(directories.begin(), directories.end());
    return directories;
}

size_t depth_of(const std::string& path) { return size_t(std::count(path.begin(), path.end(), '/')); }

bool is_ancestor_path(const std::string& ancestor, const std::string& path) {
    if (ancestor == "/") return true;
    return path == ancestor || path.compare(0, ancestor.size() + 1, ancestor + "/") == 0;
}

}  // namespace

std::vector<uint8_t> OperationGenerator::random_bytes(size_t length) {
    std::vector<uint8_t> bytes(length);
    for (size_t i = 0; i < length; i += 8) {
        uint64_t value = random_();
        std::memcpy(bytes.data() + i, &value, std::min<size_t>(8, length - i));
    }
    return bytes;
}

std::string OperationGenerator::pick_directory(const Model& model) {
    // The big directory (indexed on the defaults image) gets a fair share.
    if (chance(15) && model.find("/many") && model.find("/many")->kind == NodeKind::Directory) return "/many";
    return directories_[below(directories_.size())];
}

std::string OperationGenerator::unique_name() { return "u" + std::to_string(++unique_names_); }

std::string OperationGenerator::pick_entry(const Model& model) {
    for (int attempt = 0; attempt < 8; ++attempt) {
        std::string directory = pick_directory(model);
        const Node* node = model.find(directory);
        if (node->children.empty()) continue;
        auto child = node->children.begin();
        std::advance(child, long(below(node->children.size())));
        if (directory == "/" && child->first == "lost+found") continue;
        return join(directory, child->first);
    }
    return "";
}

std::string OperationGenerator::pick_of_kind(const Model& model, NodeKind kind) {
    for (int attempt = 0; attempt < 12; ++attempt) {
        std::string path = pick_entry(model);
        if (!path.empty() && model.find(path)->kind == kind) return path;
    }
    return "";
}

std::string OperationGenerator::new_name() {
    if (chance(4)) {
        // Long names fill directory blocks quickly: up to the 255-byte limit.
        size_t length = 100 + below(156);
        return std::string(length - 3, char('a' + below(3))) + "_" + std::to_string(below(10)) + "x";
    }
    static const char* stems[] = {"f", "d", "n", "entry_", "x"};
    return std::string(stems[below(5)]) + std::to_string(below(24));
}

std::string OperationGenerator::pick_destination(const Model& model) {
    if (chance(40)) {
        std::string entry = pick_entry(model);
        if (!entry.empty()) return entry;
    }
    return join(pick_directory(model), new_name());
}

std::string OperationGenerator::symlink_target() {
    // Up to 59 bytes fit in the inode (a fast link); 60 and more take a block.
    size_t length = chance(50) ? 1 + below(59) : 60 + below(240);
    std::string target;
    while (target.size() < length) target += chance(20) ? '/' : char('a' + below(26));
    return target;
}

Operation OperationGenerator::make_write(const Model& model, int index, int count) {
    Operation operation;
    operation.kind = Operation::Write;
    operation.path = chance(60) ? pick_of_kind(model, NodeKind::File) : "";
    if (operation.path.empty()) operation.path = pick_destination(model);
    const Node* node = model.find(operation.path);
    if (node && node->kind == NodeKind::Symlink) operation.path = join(parent_path(operation.path), unique_name());
    node = model.find(operation.path);
    uint64_t size = node && node->kind == NodeKind::File ? node->bytes.size() : 0;
    uint64_t block = limits_.block_size;
    size_t length = 1 + below(3 * block);
    int shape = int(below(100));
    if (limits_.triple_indirect_write && !triple_indirect_done_ && index >= count / 3) {
        // Past 12 + 256 + 256 * 256 blocks of 1 KiB: the triple indirect block.
        triple_indirect_done_ = true;
        operation.offset = (12ull + 256 + 256 * 256) * 1024 + below(2u << 20);
    } else if (shape < 55) {
        operation.offset = below(size + 2 * block);
    } else if (shape < 75) {
        length = 8192 + below(250u << 10);
        operation.offset = below(size + 1);
    } else {
        operation.offset = chance(50) ? size + below(3u << 20) : below(limits_.largest_far_offset);
    }
    operation.bytes = random_bytes(length);
    return operation;
}

Operation OperationGenerator::make_truncate(const Model& model) {
    Operation operation;
    operation.kind = Operation::Truncate;
    operation.path = chance(92) ? pick_of_kind(model, NodeKind::File) : "";
    if (operation.path.empty()) operation.path = chance(50) ? pick_directory(model) : join(pick_directory(model), "gone");
    if (operation.path == "/") operation.path = "/files";
    const Node* node = model.find(operation.path);
    if (node && node->kind == NodeKind::Symlink) operation.path = join(parent_path(operation.path), "gone");
    uint64_t size = node && node->kind == NodeKind::File ? node->bytes.size() : 0;
    uint64_t block = limits_.block_size;
    uint64_t per_block = block / 4;
    switch (below(6)) {
    case 0: operation.size = 0; break;
    case 1: operation.size = below(size + 1); break;
    case 2: operation.size = size + below(1u << 20); break;
    case 3: operation.size = 12 * block + below(per_block * block); break;                       // single indirect
    case 4: operation.size = (12 + per_block) * block + below(3 * per_block * block); break;   // double indirect
    default: operation.size = size > 0 ? size - 1 - below(std::min<uint64_t>(size, 2 * block)) : 0; break;
    }
    return operation;
}

Operation OperationGenerator::make_rename(const Model& model) {
    Operation operation;
    operation.kind = Operation::Rename;
    operation.path = chance(3) ? join(pick_directory(model), "absent") : pick_entry(model);
    if (operation.path.empty()) operation.path = "/absent";
    const Node* source = model.find(operation.path);
    bool moving_directory = source && source->kind == NodeKind::Directory;
    if (moving_directory && chance(10)) {
        // Into itself or below: EINVAL.
        std::vector<std::string> inside;
        for (const std::string& directory : directories_)
            if (is_ancestor_path(operation.path, directory)) inside.push_back(directory);
        operation.other = join(inside[below(inside.size())], unique_name());
        return operation;
    }
    operation.other = pick_destination(model);
    const Node* target = model.find(operation.other);
    std::string other_parent = parent_path(operation.other);
    bool into_itself = moving_directory && is_ancestor_path(operation.path, other_parent);
    bool onto_ancestor = target && is_ancestor_path(operation.other, parent_path(operation.path)) && !moving_directory;
    if ((into_itself && target && target->kind != NodeKind::Directory) || onto_ancestor)
        operation.other = join(other_parent, unique_name());
    return operation;
}

Operation OperationGenerator::make_link(const Model& model) {
    Operation operation;
    operation.kind = Operation::Link;
    if (chance(5)) {
        // A hard link to a directory: EPERM (to a new name, where Linux and
        // the kernel's VFS check in the same order).
        operation.path = pick_directory(model);
        if (operation.path == "/") operation.path = "/files";
        operation.other = join(pick_directory(model), unique_name());
        return operation;
    }
    operation.path = chance(80) ? pick_of_kind(model, NodeKind::File) : pick_of_kind(model, NodeKind::Symlink);
    if (operation.path.empty()) operation.path = join(pick_directory(model), "absent");
    operation.other = pick_destination(model);
    return operation;
}

Operation OperationGenerator::make_removal(const Model& model, bool directory) {
    Operation operation;
    operation.kind = directory ? Operation::Rmdir : Operation::Unlink;
    if (directory && chance(75)) {
        operation.path = pick_directory(model);
        // Leaf directories are empty more often: walk down a little.
        for (int step = 0; step < 3 && model.find(operation.path)->children.size() > 0 && chance(60); ++step) {
            std::string child = pick_of_kind(model, NodeKind::Directory);
            if (!child.empty() && is_ancestor_path(operation.path, child)) operation.path = child;
        }
    } else {
        operation.path = chance(5) ? join(pick_directory(model), "absent") : pick_entry(model);
    }
    if (operation.path.empty() || operation.path == "/") operation.path = "/absent";
    return operation;
}

Operation OperationGenerator::make_creation(const Model& model, Operation::Kind kind) {
    Operation operation;
    operation.kind = kind;
    operation.path = pick_destination(model);
    if (chance(4)) {
        // Below a regular file (ENOTDIR) or a missing directory (ENOENT).
        std::string file = pick_of_kind(model, NodeKind::File);
        operation.path = (file.empty() || chance(50) ? "/no_such_directory" : file) + "/" + new_name();
    }
    if (kind == Operation::Mkdir && depth_of(operation.path) > 7) operation.path = join("/", new_name());
    if (kind == Operation::Symlink) operation.other = symlink_target();
    const Node* node = model.find(operation.path);
    if ((kind == Operation::Create || kind == Operation::CreateTruncating) && node && node->kind == NodeKind::Symlink)
        operation.kind = Operation::CreateExclusive;
    return operation;
}

Operation OperationGenerator::make_chmod(const Model& model) {
    Operation operation;
    operation.kind = Operation::Chmod;
    operation.path = chance(70) ? pick_of_kind(model, NodeKind::File) : pick_directory(model);
    if (operation.path.empty()) operation.path = join(pick_directory(model), "absent");
    // Directories keep search permission for the owner, so later walks work
    // the same for the host's non-root users too; the rest is random.
    static const uint32_t modes[] = {0600, 0644, 0755, 0700, 0444, 04755, 02750, 01777, 0640, 0711};
    const Node* node = model.find(operation.path);
    bool directory = node && node->kind == NodeKind::Directory;
    operation.size = modes[below(10)] | (directory ? 0700 : 0);
    return operation;
}

Operation OperationGenerator::make_check(const Model& model) {
    Operation operation;
    operation.kind = chance(30) ? Operation::Stat : Operation::Read;
    operation.path = chance(70) ? pick_of_kind(model, NodeKind::File) : pick_entry(model);
    if (operation.path.empty()) operation.path = "/lost+found";  // an empty tree
    const Node* node = model.find(operation.path);
    uint64_t size = node && node->kind == NodeKind::File ? node->bytes.size() : 0;
    if (size <= (1u << 20) || chance(20)) {
        operation.offset = 0;
        operation.size = std::min<uint64_t>(size, 4u << 20);
    } else {
        operation.offset = below(size);
        operation.size = 1 + below(200000);
    }
    return operation;
}

// Open files: opened on a regular file, written and read at random offsets
// while other operations rename, unlink or truncate their names, closed.
Operation OperationGenerator::make_handle_operation(const Model& model) {
    Operation operation;
    operation.slot = int(below(Model::HANDLE_SLOTS));
    const Node* file = model.handle(operation.slot);
    if (!handle_open_[operation.slot] || chance(10)) {
        operation.kind = handle_open_[operation.slot] ? Operation::HandleClose : Operation::HandleOpen;
        operation.path = pick_of_kind(model, NodeKind::File);
        if (operation.kind == Operation::HandleOpen && operation.path.empty()) operation.kind = Operation::Stat;
        if (operation.kind == Operation::Stat) operation.path = "/";
        if (operation.kind == Operation::HandleOpen) handle_open_[operation.slot] = true;
        if (operation.kind == Operation::HandleClose) handle_open_[operation.slot] = false;
        return operation;
    }
    uint64_t size = file->bytes.size();
    operation.offset = chance(70) ? below(size + 2 * limits_.block_size) : below(limits_.largest_far_offset);
    if (chance(50)) {
        operation.kind = Operation::HandleWrite;
        operation.bytes = random_bytes(1 + below(3 * limits_.block_size));
    } else {
        operation.kind = Operation::HandleRead;
        operation.size = 1 + below(5 * limits_.block_size);
    }
    return operation;
}

void OperationGenerator::close_handles(Model& model, Target& target) {
    for (int slot = 0; slot < Model::HANDLE_SLOTS; ++slot) {
        model.close_handle(slot);
        target.close_handle(slot);
        handle_open_[slot] = false;
    }
}

Operation OperationGenerator::next(const Model& model, int index, int count) {
    directories_ = usable_directories(model);
    // Walking the whole tree costs: the budget is looked at every 16 operations.
    if (index % 16 == 0)
        over_budget_ = model.stored_bytes() > limits_.space_budget || model.node_count() > limits_.node_budget;
    bool over_budget = over_budget_;
    int roll = int(below(100));
    if (over_budget) {
        if (roll < 35) return make_removal(model, false);
        if (roll < 50) return make_removal(model, true);
        if (roll < 80) {
            Operation shrink = make_truncate(model);
            const Node* node = model.find(shrink.path);
            shrink.size = node && node->kind == NodeKind::File ? below(node->bytes.size() / 2 + 1) : 0;
            return shrink;
        }
        return roll < 90 ? make_rename(model) : make_check(model);
    }
    if (roll < 26) return make_write(model, index, count);
    if (roll < 34) return make_truncate(model);
    if (roll < 40) {
        static const Operation::Kind opens[] = {Operation::Create, Operation::CreateExclusive, Operation::CreateTruncating};
        return make_creation(model, opens[below(3)]);
    }
    if (roll < 46) return make_creation(model, Operation::Mkdir);
    if (roll < 51) return make_removal(model, true);
    if (roll < 58) return make_removal(model, false);
    if (roll < 63) return make_link(model);
    if (roll < 68) return make_creation(model, Operation::Symlink);
    if (roll < 80) return make_rename(model);
    if (roll < 84) return make_chmod(model);
    if (roll < 92) return make_handle_operation(model);
    return make_check(model);
}

}  // namespace ext2_model
