// fs/vfs/dentry.cpp -- allocating dentries and counting references to them.
//
// Layer: virtual file system. See dentry.h. The interesting decisions (when a
// dentry is evicted, how references move) are in dentry_cache.cpp; this file
// is the plumbing: the name copy and the RAII reference.
#include "fs/vfs/dentry.h"

#include "fs/vfs/dentry_cache.h"
#include "kernel/lib/string.h"

namespace {
size_t dentries_alive = 0;  // guarded by InterruptGuard
constexpr size_t MAX_DENTRY_NAME = 255;
}  // namespace

Result<Dentry*> Dentry::allocate(DentryCache& cache, SuperBlock& super_block, const char* name,
                                 size_t name_length) {
    if (name_length > MAX_DENTRY_NAME) return Error{ENAMETOOLONG};
    char* copy = new (std::nothrow) char[name_length + 1];
    if (copy == nullptr) return Error{ENOMEM};
    klib::memcpy(copy, name, name_length);
    copy[name_length] = '\0';
    Dentry* dentry = new (std::nothrow) Dentry(cache, super_block, copy, name_length);
    if (dentry == nullptr) {
        delete[] copy;
        return Error{ENOMEM};
    }
    return dentry;
}

Dentry::Dentry(DentryCache& cache, SuperBlock& super_block, char* name, size_t name_length)
    : cache_(cache), super_block_(super_block), name_(name), name_length_(name_length) {
    InterruptGuard atomic;
    ++dentries_alive;
}

Dentry::~Dentry() {
    // The cache unlinks a dentry from everything before it deletes it.
    KASSERT(reference_count_ == 0 && !hashed_ && children_.empty() && !lru_node_.is_linked());
    delete[] name_;
    InterruptGuard atomic;
    --dentries_alive;
}

size_t Dentry::live_count() {
    InterruptGuard atomic;
    return dentries_alive;
}

// --- DentryRef ---------------------------------------------------------------------

DentryRef::DentryRef(const DentryRef& other) : dentry_(other.dentry_) {
    if (dentry_) dentry_->cache_.acquire(*dentry_);
}

DentryRef& DentryRef::operator=(const DentryRef& other) {
    if (this != &other) {
        DentryRef copy(other);
        *this = static_cast<DentryRef&&>(copy);
    }
    return *this;
}

DentryRef& DentryRef::operator=(DentryRef&& other) noexcept {
    if (this != &other) {
        reset();
        dentry_ = other.dentry_;
        other.dentry_ = nullptr;
    }
    return *this;
}

void DentryRef::reset() {
    Dentry* dentry = dentry_;
    dentry_ = nullptr;
    if (dentry) dentry->cache_.release(*dentry);
}
