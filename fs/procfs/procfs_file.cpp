// fs/procfs/procfs_file.cpp -- procfs text, made when read.
//
// Layer: concrete file system (Linux: fs/seq_file.c, single_open and
// seq_read_iter; seq_escape). See procfs_internal.h. Two pieces:
//   ProcfsText   the growing buffer every generator prints into
//   ProcfsFile   the open file (file_operations): a read at offset 0 runs the
//                entry's generator and keeps the text; reads at other offsets
//                are served from the text kept, so a program that reads in
//                small pieces, or seeks back and forth within the text, sees
//                one consistent snapshot. Seeking back to 0 and reading
//                again gives fresh numbers, which is how top-like programs
//                poll a file they keep open.
//
// Locking: text_lock_ guards the kept text (read and pread may run at once
// on one File); it is taken after the position lock (File::read holds that
// around read_at) and never with an inode lock.
#include "fs/procfs/procfs_internal.h"

#include <stdarg.h>

#include "fs/vfs/mount_namespace.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"

// --- ProcfsText ----------------------------------------------------------------------

ProcfsText::~ProcfsText() { kfree(data_); }

bool ProcfsText::reserve(size_t more) {
    if (out_of_memory_) return false;
    if (size_ + more <= capacity_) return true;
    size_t capacity = capacity_ == 0 ? 256 : capacity_;
    while (capacity < size_ + more) capacity *= 2;
    char* grown = static_cast<char*>(kmalloc(capacity));
    if (grown == nullptr) {
        out_of_memory_ = true;
        return false;
    }
    if (size_ != 0) klib::memcpy(grown, data_, size_);
    kfree(data_);
    data_ = grown;
    capacity_ = capacity;
    return true;
}

void ProcfsText::append(const char* bytes, size_t length) {
    if (length == 0 || !reserve(length)) return;
    klib::memcpy(data_ + size_, bytes, length);
    size_ += length;
}

void ProcfsText::append(const char* string) { append(string, klib::strlen(string)); }

void ProcfsText::put(char character) { append(&character, 1); }

void ProcfsText::print(const char* format, ...) {
    va_list arguments;
    va_start(arguments, format);
    klib::vformat_to([](char character, void* text) { static_cast<ProcfsText*>(text)->put(character); }, this,
                     format, arguments);
    va_end(arguments);
}

void ProcfsText::append_escaped(const char* string) {
    for (; *string != '\0'; ++string) {
        char character = *string;
        if (character == ' ' || character == '\t' || character == '\n' || character == '\\')
            print("\\%03o", unsigned(static_cast<unsigned char>(character)));
        else
            put(character);
    }
}

void ProcfsText::clear() {
    size_ = 0;
    out_of_memory_ = false;
}

Result<void> ProcfsText::error() const {
    if (out_of_memory_) return Error{ENOMEM};
    return {};
}

int procfs_parse_pid(const char* name) {
    if (name[0] < '1' || name[0] > '9') return 0;  // no sign, no leading zero, not empty
    unsigned long long value = 0;
    if (!klib::parse_unsigned(name, 10, &value) || value > 0x7fffffff) return 0;
    return int(value);
}

// --- ProcfsFile ----------------------------------------------------------------------

namespace {

class ProcfsFile final : public File {
public:
    ProcfsFile(Path&& path, uint32_t flags, const ProcfsEntry& entry, const ProcfsContext& subject)
        : File(static_cast<Path&&>(path), flags), entry_(entry), subject_(subject) {}

    Result<size_t> read_at(uint64_t offset, void* buffer, size_t size) override;
    Result<uint64_t> seek(int64_t offset, int whence) override;

private:
    Result<void> generate_locked();

    const ProcfsEntry& entry_;
    const ProcfsContext subject_;  // the pid or PCI function the file is about
    Mutex text_lock_{"procfs text"};
    ProcfsText text_;         // guarded by text_lock_
    bool generated_ = false;  // guarded by text_lock_
};

Result<void> ProcfsFile::generate_locked() {
    text_.clear();
    generated_ = false;
    ProcfsContext context = subject_;
    context.mount_namespace = &path().mount()->mount_namespace();
    TRY(entry_.generate(context, text_));
    TRY(text_.error());
    generated_ = true;
    return {};
}

Result<size_t> ProcfsFile::read_at(uint64_t offset, void* buffer, size_t size) {
    MutexLocker locker(text_lock_);
    if (offset == 0 || !generated_) TRY(generate_locked());
    if (offset >= text_.size()) return size_t(0);
    size_t available = text_.size() - size_t(offset);
    size_t count = size < available ? size : available;
    klib::memcpy(buffer, text_.data() + offset, count);
    return count;
}

// Linux seq_lseek: positions are byte offsets into the text; there is no
// end to seek from, since the text's length is known only once it is made.
Result<uint64_t> ProcfsFile::seek(int64_t offset, int whence) {
    if (whence == SEEK_END) return Error{EINVAL};
    MutexLocker position_locker(position_lock_);
    return seek_locked(offset, whence, 0);
}

}  // namespace

Result<FileRef> open_procfs_file(Path&& path, uint32_t flags, const ProcfsEntry& entry,
                                 const ProcfsContext& subject) {
    if (open_flags_allow_write(flags) || (flags & O_TRUNC)) return Error{EACCES};
    return make_file<ProcfsFile>(static_cast<Path&&>(path), flags, entry, subject);
}
