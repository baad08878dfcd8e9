// tests/host/support/ext2_operations.cpp -- see ext2_operations.h.
#include "tests/host/support/ext2_operations.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>

namespace ext2_model {

// --- the host's file system --------------------------------------------------------

namespace {
int result_of(int status) { return status == 0 ? 0 : errno; }
}  // namespace

int HostTarget::create(const std::string& path, bool exclusive, bool truncating) {
    int flags = O_WRONLY | O_CREAT | (exclusive ? O_EXCL : 0) | (truncating ? O_TRUNC : 0);
    int file = ::open(host(path).c_str(), flags, 0644);
    if (file < 0) return errno;
    ::close(file);
    return 0;
}

int HostTarget::write(const std::string& path, uint64_t offset, const std::vector<uint8_t>& bytes) {
    int file = ::open(host(path).c_str(), O_WRONLY | O_CREAT, 0644);
    if (file < 0) return errno;
    ssize_t written = ::pwrite(file, bytes.data(), bytes.size(), off_t(offset));
    last_write_count = written < 0 ? 0 : size_t(written);
    int error = written < 0 ? errno : size_t(written) != bytes.size() ? SHORT_WRITE : 0;
    ::close(file);
    return error;
}

int HostTarget::truncate(const std::string& path, uint64_t size) {
    return result_of(::truncate(host(path).c_str(), off_t(size)));
}
int HostTarget::chmod(const std::string& path, uint32_t permissions) {
    return result_of(::chmod(host(path).c_str(), permissions));
}
int HostTarget::mkdir(const std::string& path) { return result_of(::mkdir(host(path).c_str(), 0755)); }
int HostTarget::rmdir(const std::string& path) { return result_of(::rmdir(host(path).c_str())); }
int HostTarget::unlink(const std::string& path) { return result_of(::unlink(host(path).c_str())); }
int HostTarget::link(const std::string& existing, const std::string& new_path) {
    return result_of(::link(host(existing).c_str(), host(new_path).c_str()));
}
int HostTarget::symlink(const std::string& target, const std::string& path) {
    return result_of(::symlink(target.c_str(), host(path).c_str()));
}
int HostTarget::rename(const std::string& old_path, const std::string& new_path) {
    return result_of(::rename(host(old_path).c_str(), host(new_path).c_str()));
}

int HostTarget::read(const std::string& path, uint64_t offset, size_t length, std::vector<uint8_t>& out) {
    int file = ::open(host(path).c_str(), O_RDONLY);
    if (file < 0) return errno;
    out.assign(length, 0);
    size_t done = 0;
    while (done < length) {
        ssize_t got = ::pread(file, out.data() + done, length - done, off_t(offset + done));
        if (got <= 0) break;
        done += size_t(got);
    }
    out.resize(done);
    ::close(file);
    return 0;
}

int HostTarget::readlink(const std::string& path, std::string& target) {
    char buffer[4096];
    ssize_t length = ::readlink(host(path).c_str(), buffer, sizeof buffer);
    if (length < 0) return errno;
    target.assign(buffer, size_t(length));
    return 0;
}

int HostTarget::status(const std::string& path, TargetStatus& out) {
    struct stat status {};
    if (::lstat(host(path).c_str(), &status) != 0) return errno;
    out.kind = S_ISDIR(status.st_mode) ? NodeKind::Directory : S_ISLNK(status.st_mode) ? NodeKind::Symlink
                                                                                       : NodeKind::File;
    out.size = uint64_t(status.st_size);
    out.links = uint32_t(status.st_nlink);
    out.inode = status.st_ino;
    out.permissions = status.st_mode & 07777;
    return 0;
}

int HostTarget::list(const std::string& path, std::vector<std::string>& names) {
    DIR* listing = ::opendir(host(path).c_str());
    if (listing == nullptr) return errno;
    names.clear();
    while (struct dirent* entry = ::readdir(listing)) {
        std::string name = entry->d_name;
        if (name != "." && name != "..") names.push_back(name);
    }
    ::closedir(listing);
    return 0;
}

int HostTarget::open_handle(int slot, const std::string& path) {
    handles_[slot] = ::open(host(path).c_str(), O_RDWR);
    return handles_[slot] < 0 ? errno : 0;
}

int HostTarget::write_handle(int slot, uint64_t offset, const std::vector<uint8_t>& bytes) {
    ssize_t written = ::pwrite(handles_[slot], bytes.data(), bytes.size(), off_t(offset));
    last_write_count = written < 0 ? 0 : size_t(written);
    return written < 0 ? errno : size_t(written) != bytes.size() ? SHORT_WRITE : 0;
}

int HostTarget::read_handle(int slot, uint64_t offset, size_t length, std::vector<uint8_t>& out) {
    out.assign(length, 0);
    ssize_t got = ::pread(handles_[slot], out.data(), length, off_t(offset));
    if (got < 0) return errno;
    out.resize(size_t(got));
    return 0;
}

void HostTarget::close_handle(int slot) {
    if (handles_[slot] >= 0) ::close(handles_[slot]);
    handles_[slot] = -1;
}

HostTarget::~HostTarget() {
    for (int slot = 0; slot < Model::HANDLE_SLOTS; ++slot) close_handle(slot);
}

// --- describing ------------------------------------------------------------------

std::string errno_name(int error) {
    static const std::map<int, const char*> names = {
        {0, "success"},         {SHORT_WRITE, "a short write"}, {ENOENT, "ENOENT"},   {EEXIST, "EEXIST"},
        {ENOTDIR, "ENOTDIR"},   {EISDIR, "EISDIR"},             {EINVAL, "EINVAL"},   {ENOTEMPTY, "ENOTEMPTY"},
        {EPERM, "EPERM"},       {ENOSPC, "ENOSPC"},             {EROFS, "EROFS"},     {EIO, "EIO"},
        {EFBIG, "EFBIG"},       {EMLINK, "EMLINK"},             {ENAMETOOLONG, "ENAMETOOLONG"},
        {ENOTSUP, "ENOTSUP"},   {ENOMEM, "ENOMEM"},             {EUCLEAN, "EUCLEAN"}, {EBUSY, "EBUSY"}};
    auto found = names.find(error);
    return found != names.end() ? found->second : "errno " + std::to_string(error);
}

const char* Operation::name() const {
    static const char* names[] = {"create", "create O_EXCL", "create O_TRUNC", "write",  "truncate",
                                  "mkdir",  "rmdir",         "unlink",         "link",   "symlink",
                                  "rename", "chmod",         "read",           "stat",
                                  "open",   "write open",    "read open",      "close"};
    return names[kind];
}

std::string Operation::describe() const {
    std::string text = std::string(name()) + " " + path;
    if (kind >= HandleOpen) text = std::string(name()) + " #" + std::to_string(slot) + (kind == HandleOpen ? " " + path : "");
    switch (kind) {
    case HandleWrite: return text + " at " + std::to_string(offset) + ", " + std::to_string(bytes.size()) + " bytes";
    case HandleRead: return text + " at " + std::to_string(offset) + ", " + std::to_string(size) + " bytes";
    case Write: return text + " at " + std::to_string(offset) + ", " + std::to_string(bytes.size()) + " bytes";
    case Truncate: return text + " to " + std::to_string(size);
    case Chmod: {
        char octal[16];
        std::snprintf(octal, sizeof octal, " to %04o", unsigned(size));
        return text + octal;
    }
    case Read: return text + " at " + std::to_string(offset) + ", " + std::to_string(size) + " bytes";
    case Link:
    case Rename: return text + " -> " + other;
    case Symlink: return text + " (target of " + std::to_string(other.size()) + " bytes)";
    default: return text;
    }
}

// --- applying --------------------------------------------------------------------

int apply(const Operation& operation, Model& model) {
    switch (operation.kind) {
    case Operation::Create: return model.create(operation.path, false);
    case Operation::CreateExclusive: return model.create(operation.path, true);
    case Operation::CreateTruncating: return model.create_truncating(operation.path);
    case Operation::Chmod: return model.chmod(operation.path, uint32_t(operation.size));
    case Operation::Write: return model.write(operation.path, operation.offset, operation.bytes);
    case Operation::Truncate: return model.truncate(operation.path, operation.size);
    case Operation::Mkdir: return model.mkdir(operation.path);
    case Operation::Rmdir: return model.rmdir(operation.path);
    case Operation::Unlink: return model.unlink(operation.path);
    case Operation::Link: return model.link(operation.path, operation.other);
    case Operation::Symlink: return model.symlink(operation.other, operation.path);
    case Operation::Rename: return model.rename(operation.path, operation.other);
    case Operation::Read:
    case Operation::Stat: return model.find(operation.path) ? 0 : ENOENT;
    case Operation::HandleOpen: return model.open_handle(operation.slot, operation.path);
    case Operation::HandleWrite: return model.write_handle(operation.slot, operation.offset, operation.bytes);
    case Operation::HandleRead: return 0;
    case Operation::HandleClose: model.close_handle(operation.slot); return 0;
    }
    return 0;
}

namespace {

int apply_change(const Operation& operation, Target& target) {
    switch (operation.kind) {
    case Operation::Create: return target.create(operation.path, false, false);
    case Operation::CreateExclusive: return target.create(operation.path, true, false);
    case Operation::CreateTruncating: return target.create(operation.path, false, true);
    case Operation::Chmod: return target.chmod(operation.path, uint32_t(operation.size));
    case Operation::Write: return target.write(operation.path, operation.offset, operation.bytes);
    case Operation::Truncate: return target.truncate(operation.path, operation.size);
    case Operation::Mkdir: return target.mkdir(operation.path);
    case Operation::Rmdir: return target.rmdir(operation.path);
    case Operation::Unlink: return target.unlink(operation.path);
    case Operation::Link: return target.link(operation.path, operation.other);
    case Operation::Symlink: return target.symlink(operation.other, operation.path);
    case Operation::Rename: return target.rename(operation.path, operation.other);
    case Operation::HandleOpen: return target.open_handle(operation.slot, operation.path);
    case Operation::HandleWrite: return target.write_handle(operation.slot, operation.offset, operation.bytes);
    case Operation::HandleClose: target.close_handle(operation.slot); return 0;
    default: return 0;
    }
}

// One node's attributes and contents against the target's.
std::string compare_node(const std::string& path, const Node& node, Target& target, uint64_t offset,
                         uint64_t length) {
    TargetStatus status;
    int error = target.status(path, status);
    if (error != 0) return path + ": lstat gave " + errno_name(error);
    if (status.kind != node.kind) return path + ": wrong type";
    if (status.permissions != node.permissions) {
        char text[64];
        std::snprintf(text, sizeof text, ": permissions %04o, model %04o", status.permissions, node.permissions);
        return path + text;
    }
    if (status.links != node.link_count())
        return path + ": link count " + std::to_string(status.links) + ", model " + std::to_string(node.link_count());
    if (node.kind == NodeKind::Symlink) {
        std::string link_target;
        error = target.readlink(path, link_target);
        if (error != 0 || link_target != node.target) return path + ": symlink target differs (" + errno_name(error) + ")";
    }
    if (node.kind != NodeKind::File) return "";
    if (status.size != node.bytes.size())
        return path + ": size " + std::to_string(status.size) + ", model " + std::to_string(node.bytes.size());
    for (uint64_t done = 0; done < length;) {
        // 64 KiB pieces: bigger buffers are mapped and unmapped on every use.
        size_t piece = size_t(std::min<uint64_t>(length - done, 64u << 10));
        std::vector<uint8_t> got;
        error = target.read(path, offset + done, piece, got);
        if (error != 0) return path + ": read gave " + errno_name(error);
        std::vector<uint8_t> expected = node.bytes.read(offset + done, piece);
        if (got != expected) {
            size_t at = 0;
            while (at < std::min(got.size(), expected.size()) && got[at] == expected[at]) ++at;
            return path + ": bytes differ at offset " + std::to_string(offset + done + at) + " (read " +
                   std::to_string(got.size()) + " of " + std::to_string(expected.size()) + " expected)";
        }
        if (got.empty()) break;
        done += piece;
    }
    return "";
}

std::string compare_listing(const std::string& path, const Node& node, Target& target) {
    std::vector<std::string> names;
    int error = target.list(path, names);
    if (error != 0) return path + ": listing gave " + errno_name(error);
    std::sort(names.begin(), names.end());
    std::vector<std::string> expected;
    for (const auto& [name, child] : node.children) expected.push_back(name);
    if (names == expected) return "";
    std::string text = path + ": listing differs:";
    for (const std::string& name : names)
        if (!node.children.count(name)) text += " extra '" + name.substr(0, 40) + "'";
    for (const std::string& name : expected)
        if (std::find(names.begin(), names.end(), name) == names.end()) text += " missing '" + name.substr(0, 40) + "'";
    return text;
}

// What a Read or Stat operation finds wrong, "" if nothing.
std::string check_operation(const Operation& operation, const Model& model, Target& target) {
    if (operation.kind == Operation::HandleRead) {
        std::vector<uint8_t> got;
        int error = target.read_handle(operation.slot, operation.offset, size_t(operation.size), got);
        if (error != 0) return "read through the open file gave " + errno_name(error);
        if (got != model.handle(operation.slot)->bytes.read(operation.offset, size_t(operation.size)))
            return "the open file reads other bytes than the model's (" + std::to_string(got.size()) + " bytes read)";
        return "";
    }
    const Node* node = model.find(operation.path);
    if (node == nullptr) return "";
    if (operation.kind == Operation::Stat) return compare_node(operation.path, *node, target, 0, 0);
    return compare_node(operation.path, *node, target, operation.offset, operation.size);
}

}  // namespace

namespace {

// disk_may_fill: the target goes first; true when the operation is done with
// (refused for lack of space), else `operation` is what the model should do.
bool refused_for_space(Operation& operation, Model& model, Target& target, int& got) {
    got = apply_change(operation, target);
    if (got == SHORT_WRITE) {
        operation.bytes.resize(target.last_write_count);
        got = 0;
        return false;
    }
    if (got != ENOSPC) return false;
    TargetStatus status;
    if (operation.kind == Operation::Write && target.status(operation.path, status) == 0 && !model.find(operation.path))
        model.create(operation.path, false);  // open made it, the write found no space
    return true;
}

}  // namespace

SequenceReport run_sequence(Model& model, Target& target, OperationGenerator& generator, int first, int count,
                            int total, uint64_t seed, bool disk_may_fill) {
    SequenceReport report;
    std::deque<std::string> recent;
    // EXT2_WRITE_TRACE=1: every operation on stderr, to find where a count went wrong.
    static const bool trace = std::getenv("EXT2_WRITE_TRACE") != nullptr;
    for (int index = first; index < first + count; ++index) {
        Operation operation = generator.next(model, index, total);
        bool check = operation.kind == Operation::Read || operation.kind == Operation::Stat ||
                     operation.kind == Operation::HandleRead;
        int got = 0;
        if (disk_may_fill && !check && refused_for_space(operation, model, target, got)) {
            ++report.out_of_space;
            if (trace) std::fprintf(stderr, "#%d %s -> ENOSPC (accepted)\n", index, operation.describe().c_str());
            recent.push_back("#" + std::to_string(index) + " " + operation.describe() + " -> ENOSPC");
            if (recent.size() > 12) recent.pop_front();
            continue;
        }
        int expected = apply(operation, model);
        if (!disk_may_fill || check) got = check ? expected : apply_change(operation, target);
        std::string problem;
        if (got != expected)
            problem = "the kernel gave " + errno_name(got) + ", the model predicts " + errno_name(expected);
        else if (check)
            problem = check_operation(operation, model, target);
        if (!problem.empty()) {
            report.failure = "seed " + std::to_string(seed) + ", operation #" + std::to_string(index) + ": " +
                             operation.describe() + ": " + problem + "\n  operations just before:";
            for (const std::string& line : recent) report.failure += "\n    " + line;
            return report;
        }
        ++report.applied;
        if (trace) std::fprintf(stderr, "#%d %s -> %s\n", index, operation.describe().c_str(), errno_name(expected).c_str());
        if (expected != 0) ++report.failed_as_predicted;
        ++report.errors_seen[expected];
        if (expected == 0) ++report.successes[operation.name()];
        recent.push_back("#" + std::to_string(index) + " " + operation.describe() + " -> " + errno_name(expected));
        if (recent.size() > 12) recent.pop_front();
    }
    return report;
}

std::string SequenceReport::summary() const {
    std::string text = std::to_string(applied) + " operations; succeeded:";
    for (const auto& [name, count] : successes) text += " " + name + " " + std::to_string(count);
    text += "; errors:";
    for (const auto& [error, count] : errors_seen)
        if (error != 0) text += " " + errno_name(error) + " " + std::to_string(count);
    return text;
}

std::vector<std::string> verify_tree(const Model& model, Target& target, size_t max_failures) {
    std::vector<std::string> failures;
    std::map<const Node*, uint64_t> inode_of;
    std::map<uint64_t, std::string> path_of_inode;
    model.walk([&](const std::string& path, const Node& node) {
        if (failures.size() >= max_failures) return;
        std::string problem = compare_node(path, node, target, 0, node.bytes.size());
        if (problem.empty() && node.kind == NodeKind::Directory) problem = compare_listing(path, node, target);
        if (!problem.empty()) return failures.push_back(problem);
        TargetStatus status;
        target.status(path, status);
        auto known = inode_of.find(&node);
        if (known != inode_of.end() && known->second != status.inode)
            failures.push_back(path + ": a hard link with another inode number than its other names");
        if (known == inode_of.end() && path_of_inode.count(status.inode))
            failures.push_back(path + ": shares inode " + std::to_string(status.inode) + " with " +
                               path_of_inode[status.inode] + ", a different file");
        inode_of[&node] = status.inode;
        path_of_inode[status.inode] = path;
    });
    return failures;
}

}  // namespace ext2_model
