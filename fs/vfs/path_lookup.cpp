// fs/vfs/path_lookup.cpp -- walking a path name, component by component.
//
// Layer: virtual file system. See path_lookup.h for the rules. The walk is a
// loop, not a recursion: a symbolic link's target is pushed on a small stack
// of names still to walk (Linux keeps the same stack in struct nameidata), so
// forty nested links cost forty stack entries, not forty kernel stack frames.
// A link that is the last thing left in its name replaces that name instead of
// nesting on top of it, so a long chain a -> b -> c ... stays one entry deep.
#include "fs/vfs/path_lookup.h"

#include "fs/vfs/dentry_cache.h"
#include "fs/vfs/mount_namespace.h"
#include "kernel/lib/string.h"

namespace {

// A name still being walked: the caller's, or the target of a symbolic link
// (owned, freed when walked to its end).
struct PendingName {
    const char* cursor = nullptr;
    char* owned_text = nullptr;
};

// The state of one lookup (Linux: struct nameidata).
class PathWalker {
public:
    explicit PathWalker(const Credentials& credentials) : credentials_(credentials) {}
    ~PathWalker() {
        while (depth_ > 0) pop_name();
    }
    PathWalker(const PathWalker&) = delete;
    PathWalker& operator=(const PathWalker&) = delete;

    Result<void> start(const Path& cwd, const char* name);
    // Walks to the end, or up to (not into) the last component.
    Result<void> walk(bool stop_before_last, bool follow_last);

    Path take_current() { return static_cast<Path&&>(current_); }
    const Path& current() const { return current_; }
    bool must_be_directory() const { return must_be_directory_; }
    bool stopped_before_last() const { return stopped_before_last_; }
    const char* component() const { return component_; }
    size_t component_length() const { return component_length_; }

private:
    Result<bool> next_component();
    bool rest_is_empty_at(int level) const;
    bool rest_is_empty() const;
    void pop_name();
    Result<void> require_searchable_directory() const;
    Result<void> step_into_child(bool follow_last);
    Result<void> follow_symlink(Inode& link);
    void follow_dotdot();

    const Credentials& credentials_;
    const MountNamespace* namespace_ = nullptr;
    Path root_;
    Path current_;
    PendingName pending_[MAX_SYMLINK_FOLLOWS + 1];
    int depth_ = 0;
    int links_followed_ = 0;
    char component_[MAX_NAME_LENGTH + 1] = {};
    size_t component_length_ = 0;
    bool component_is_last_ = false;
    bool must_be_directory_ = false;
    bool stopped_before_last_ = false;
};

bool is_dot(const char* name, size_t length) { return length == 1 && name[0] == '.'; }
bool is_dot_dot(const char* name, size_t length) { return length == 2 && name[0] == '.' && name[1] == '.'; }

Result<void> PathWalker::start(const Path& cwd, const char* name) {
    if (name == nullptr) return Error{EFAULT};
    if (cwd.is_empty()) return Error{ENOENT};
    size_t length = klib::strnlen(name, MAX_PATH_LENGTH);
    if (length == MAX_PATH_LENGTH) return Error{ENAMETOOLONG};
    if (length == 0) return Error{ENOENT};
    namespace_ = &cwd.mount()->mount_namespace();
    root_ = namespace_->root();
    if (root_.is_empty()) return Error{ENOENT};
    namespace_->follow_mounts_down(root_);  // something may be mounted over "/"
    current_ = name[0] == '/' ? root_ : cwd;
    pending_[0].cursor = name;
    depth_ = 1;
    return {};
}

void PathWalker::pop_name() {
    --depth_;
    delete[] pending_[depth_].owned_text;
    pending_[depth_] = PendingName{};
}

bool PathWalker::rest_is_empty_at(int level) const {
    const char* rest = pending_[level].cursor;
    while (*rest == '/') ++rest;
    return *rest == '\0';
}

// True when nothing but slashes is left in any pending name: the component
// just read is the last one of the whole lookup.
bool PathWalker::rest_is_empty() const {
    for (int level = depth_ - 1; level >= 0; --level)
        if (!rest_is_empty_at(level)) return false;
    return true;
}

// Reads the next component into component_; false at the end of the name.
Result<bool> PathWalker::next_component() {
    PendingName* top;
    for (;;) {
        top = &pending_[depth_ - 1];
        while (*top->cursor == '/') ++top->cursor;
        if (*top->cursor != '\0') break;
        if (depth_ == 1) return false;
        pop_name();  // a link's target is walked; continue after the link
    }
    const char* end = top->cursor;
    while (*end != '\0' && *end != '/') ++end;
    size_t length = size_t(end - top->cursor);
    if (length > MAX_NAME_LENGTH) return Error{ENAMETOOLONG};
    klib::memcpy(component_, top->cursor, length);
    component_[length] = '\0';
    component_length_ = length;
    top->cursor = end;
    component_is_last_ = rest_is_empty();
    // "name/" at the very end: the result must be a directory (and a final
    // symbolic link is followed to find out).
    if (component_is_last_ && *end == '/') must_be_directory_ = true;
    return true;
}

Result<void> PathWalker::require_searchable_directory() const {
    Inode* directory = current_.inode();
    if (directory == nullptr) return Error{ENOENT};
    if (!directory->is_directory()) return Error{ENOTDIR};
    return directory->check_permission(credentials_, MAY_EXEC);
}

Result<void> PathWalker::walk(bool stop_before_last, bool follow_last) {
    for (;;) {
        bool have_component = TRY(next_component());
        if (!have_component) return {};
        TRY(require_searchable_directory());
        if (stop_before_last && component_is_last_) {
            stopped_before_last_ = true;
            return {};
        }
        if (is_dot(component_, component_length_)) continue;
        if (is_dot_dot(component_, component_length_)) {
            follow_dotdot();
            continue;
        }
        TRY(step_into_child(follow_last));
    }
}

Result<void> PathWalker::step_into_child(bool follow_last) {
    DentryCache& cache = current_.dentry()->cache();
    DentryRef child = TRY(cache.lookup(*current_.dentry(), component_, component_length_));
    if (child->is_negative()) return Error{ENOENT};
    Path next(current_.mount_ref(), static_cast<DentryRef&&>(child));
    namespace_->follow_mounts_down(next);
    Inode* inode = next.inode();
    bool follow = !component_is_last_ || follow_last || must_be_directory_;
    if (inode->is_symbolic_link() && follow) return follow_symlink(*inode);
    current_ = static_cast<Path&&>(next);
    return {};
}

// Pushes the link's target as the next name to walk. current_ stays the
// directory that holds the link: a relative target is relative to it.
Result<void> PathWalker::follow_symlink(Inode& link) {
    if (++links_followed_ > MAX_SYMLINK_FOLLOWS) return Error{ELOOP};
    // Names already walked to their end need no entry: the target replaces them.
    while (depth_ > 1 && rest_is_empty_at(depth_ - 1)) pop_name();
    if (depth_ > MAX_SYMLINK_FOLLOWS) return Error{ELOOP};
    char* target = new (std::nothrow) char[MAX_PATH_LENGTH];
    if (target == nullptr) return Error{ENOMEM};
    Result<size_t> length = [&] {
        MutexLocker locker(link.lock());
        return link.readlink(target, MAX_PATH_LENGTH - 1);
    }();
    if (length.is_error() || length.value() == 0) {
        delete[] target;
        return Error{length.is_error() ? length.error() : ENOENT};
    }
    target[length.value()] = '\0';
    pending_[depth_].cursor = target;
    pending_[depth_].owned_text = target;
    ++depth_;
    if (target[0] == '/') current_ = root_;
    return {};
}

// ".." -- never above the namespace root; out of a mount's root into the
// directory that holds its mount point, as many mounts down as are stacked.
void PathWalker::follow_dotdot() {
    for (;;) {
        if (current_ == root_) return;
        Mount* mount = current_.mount();
        if (current_.dentry() != mount->root()) break;
        if (mount->parent() == nullptr) return;
        current_ = Path(MountRef(mount->parent()), mount->mount_point_ref());
    }
    DentryRef parent = current_.dentry()->cache().parent_of(*current_.dentry());
    if (!parent) return;
    current_ = Path(current_.mount_ref(), static_cast<DentryRef&&>(parent));
    namespace_->follow_mounts_down(current_);
}

}  // namespace

Result<Path> path_walk(const Path& cwd, const char* name, uint32_t lookup_flags,
                       const Credentials& credentials) {
    PathWalker walker(credentials);
    TRY(walker.start(cwd, name));
    TRY(walker.walk(false, (lookup_flags & LOOKUP_FOLLOW) != 0));
    bool want_directory = walker.must_be_directory() || (lookup_flags & LOOKUP_DIRECTORY);
    if (want_directory && !walker.current().inode()->is_directory()) return Error{ENOTDIR};
    return walker.take_current();
}

Result<void> path_walk_parent(const Path& cwd, const char* name, const Credentials& credentials,
                              ParentLookup& result) {
    PathWalker walker(credentials);
    TRY(walker.start(cwd, name));
    TRY(walker.walk(true, false));
    result.trailing_slash = walker.must_be_directory();
    if (!walker.stopped_before_last()) {
        result.kind = LastComponent::Root;
        result.last[0] = '\0';
        result.last_length = 0;
    } else {
        const char* last = walker.component();
        size_t length = walker.component_length();
        klib::memcpy(result.last, last, length + 1);
        result.last_length = length;
        result.kind = is_dot(last, length)       ? LastComponent::Dot
                      : is_dot_dot(last, length) ? LastComponent::DotDot
                                                 : LastComponent::Normal;
    }
    result.directory = walker.take_current();
    return {};
}
