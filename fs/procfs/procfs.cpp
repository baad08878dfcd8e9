// fs/procfs/procfs.cpp -- the tree of /proc: super block, directories, entries.
//
// Layer: concrete file system (Linux: fs/proc/root.c, fs/proc/base.c --
// proc_root_lookup, proc_pid_lookup, proc_pid_readdir, pid_revalidate,
// proc_pident_lookup/readdir). See procfs.h for what the tree shows and
// procfs_internal.h for the entry tables and the inode numbers.
//   ProcfsSuperBlock      read_inode builds any inode from its number alone;
//                         revalidate_dentry keeps the dentry cache in step
//                         with the process table
//   (ProcfsDirectoryInode, procfs_internal.h: the write side of directories, refused)
//   ProcfsRootInode       /proc: the system entries, then one name per pid
//   ProcfsProcessInode    /proc/<pid>: the process entries
//   ProcfsEntryInode      a file or link of either table; opening it makes
//                         a ProcfsFile (procfs_file.cpp), readlink runs the
//                         generator
// Directory cookies: 0 ".", 1 "..", then 2 + i for the i-th entry of the
// table; in /proc, FIRST_PID_COOKIE + pid for each pid, so a position
// survives processes coming and going (pids only grow).
#include "fs/procfs/procfs.h"

#include "fs/procfs/procfs_internal.h"
#include "fs/procfs/procfs_sources.h"
#include "fs/vfs/dentry.h"
#include "fs/vfs/super_block.h"
#include "kernel/lib/format.h"
#include "kernel/lib/string.h"

namespace {

constexpr uint64_t FIRST_ENTRY_COOKIE = 2;  // after "." and ".."
constexpr uint64_t FIRST_PID_COOKIE = 256;  // after the system entries, with room to grow
static_assert(FIRST_ENTRY_COOKIE + 32 <= FIRST_PID_COOKIE);
static_assert(FIRST_PID_COOKIE <= PROCFS_INODES_PER_PROCESS);  // no system entry number reaches a pid's

bool process_exists(int pid) { return pid > 0 && procfs_sources::next_pid(pid) == pid; }

const ProcfsEntry* find_entry(const ProcfsEntry* table, size_t count, const char* name) {
    for (size_t i = 0; i < count; ++i)
        if (klib::strcmp(table[i].name, name) == 0) return &table[i];
    return nullptr;
}

// Emits table entries from `cookie` on; false if the visitor stopped.
bool emit_entries(uint64_t& cookie, const ProcfsEntry* table, size_t count, uint64_t first_inode,
                  DirectoryEntryVisitor& visitor) {
    for (; cookie < FIRST_ENTRY_COOKIE + count; ++cookie) {
        size_t index = size_t(cookie - FIRST_ENTRY_COOKIE);
        const ProcfsEntry& entry = table[index];
        if (!visitor.visit(entry.name, klib::strlen(entry.name), first_inode + index,
                           directory_entry_type(entry.mode), cookie + 1))
            return false;
    }
    return true;
}

class ProcfsSuperBlock final : public SuperBlock {
public:
    ProcfsSuperBlock(FileSystemType& type, uint32_t flags) : SuperBlock(type, nullptr, flags) {
        block_size_ = 1024;
        revalidates_dentries_ = true;
    }

    Result<void> load_root() { return load_root_inode(PROCFS_ROOT_INODE); }

    Result<Inode*> read_inode(uint64_t number) override;
    Result<FileSystemStatistics> statfs() override;
    bool revalidate_dentry(const Dentry& dentry) override;

private:
    Result<Inode*> read_process_inode(uint64_t number);
};

class ProcfsRootInode final : public ProcfsDirectoryInode {
public:
    explicit ProcfsRootInode(SuperBlock& super_block) : ProcfsDirectoryInode(super_block, PROCFS_ROOT_INODE) {}

    Result<InodeRef> lookup(const char* name) override;
    Result<void> read_directory(uint64_t cookie, DirectoryEntryVisitor& visitor) override;
};

class ProcfsProcessInode final : public ProcfsDirectoryInode {
public:
    ProcfsProcessInode(SuperBlock& super_block, int pid, const ProcessSnapshot& process)
        : ProcfsDirectoryInode(super_block, procfs_process_directory_inode(pid)), pid_(pid) {
        uid_ = process.uid;
        gid_ = process.gid;
    }

    Result<InodeRef> lookup(const char* name) override;
    Result<void> read_directory(uint64_t cookie, DirectoryEntryVisitor& visitor) override;

private:
    const int pid_;
};

class ProcfsEntryInode final : public Inode {
public:
    ProcfsEntryInode(SuperBlock& super_block, uint64_t number, const ProcfsEntry& entry, int pid)
        : Inode(super_block, number), entry_(entry), pid_(pid) {
        mode_ = entry.mode;
        link_count_ = 1;
    }
    void set_owner(uint32_t uid, uint32_t gid) {
        uid_ = uid;
        gid_ = gid;
    }

    Result<size_t> readlink(char* buffer, size_t size) override;
    Result<FileRef> open_file(Path&& path, uint32_t flags) override;
    Result<void> truncate(uint64_t) override { return Error{EACCES}; }
    Result<void> setattr(const AttributeChange&) override { return Error{EPERM}; }

private:
    const ProcfsEntry& entry_;
    const int pid_;  // 0 for the system entries
};

// --- ProcfsSuperBlock ---------------------------------------------------------------

Result<Inode*> ProcfsSuperBlock::read_inode(uint64_t number) {
    Inode* inode = nullptr;
    if (number == PROCFS_ROOT_INODE) {
        inode = new (std::nothrow) ProcfsRootInode(*this);
    } else if (number < PROCFS_FIRST_SYSTEM_INODE + PROCFS_SYSTEM_ENTRY_COUNT) {
        const ProcfsEntry& entry = PROCFS_SYSTEM_ENTRIES[number - PROCFS_FIRST_SYSTEM_INODE];
        if (is_directory(entry.mode)) return make_procfs_bus_directory(*this, number);
        inode = new (std::nothrow) ProcfsEntryInode(*this, number, entry, 0);
    } else if (number >= PROCFS_PCI_FIRST_INODE) {
        return read_procfs_pci_inode(*this, number);
    } else {
        return read_process_inode(number);
    }
    if (inode == nullptr) return Error{ENOMEM};
    return inode;
}

// /proc/<pid> or one of its entries, owned by the process's user as on Linux.
Result<Inode*> ProcfsSuperBlock::read_process_inode(uint64_t number) {
    int pid = procfs_pid_of_inode(number);
    size_t slot = size_t(number - procfs_process_directory_inode(pid));
    ProcessSnapshot process;
    if (pid <= 0 || !procfs_sources::snapshot_process(pid, process)) return Error{ENOENT};
    if (slot == 0) {
        Inode* directory = new (std::nothrow) ProcfsProcessInode(*this, pid, process);
        if (directory == nullptr) return Error{ENOMEM};
        return directory;
    }
    if (slot > PROCFS_PROCESS_ENTRY_COUNT) return Error{ENOENT};
    auto* inode = new (std::nothrow) ProcfsEntryInode(*this, number, PROCFS_PROCESS_ENTRIES[slot - 1], pid);
    if (inode == nullptr) return Error{ENOMEM};
    inode->set_owner(process.uid, process.gid);
    return inode;
}

Result<FileSystemStatistics> ProcfsSuperBlock::statfs() {
    FileSystemStatistics statistics;  // no blocks, no inode limit: all zeros, as Linux reports
    statistics.magic = PROC_SUPER_MAGIC;
    statistics.block_size = block_size();
    return statistics;
}

// A name under /proc stays true as long as its process lives (Linux:
// pid_revalidate). A negative entry is never trusted: the process it
// missed may have started since.
bool ProcfsSuperBlock::revalidate_dentry(const Dentry& dentry) {
    if (dentry.is_negative()) return false;
    int pid = procfs_pid_of_inode(dentry.inode()->number());
    return pid == 0 || process_exists(pid);
}

// --- ProcfsRootInode ------------------------------------------------------------------

Result<InodeRef> ProcfsRootInode::lookup(const char* name) {
    if (const ProcfsEntry* entry = find_entry(PROCFS_SYSTEM_ENTRIES, PROCFS_SYSTEM_ENTRY_COUNT, name))
        return super_block().get_inode(PROCFS_FIRST_SYSTEM_INODE + size_t(entry - PROCFS_SYSTEM_ENTRIES));
    int pid = procfs_parse_pid(name);
    if (!process_exists(pid)) return Error{ENOENT};
    return super_block().get_inode(procfs_process_directory_inode(pid));
}

Result<void> ProcfsRootInode::read_directory(uint64_t cookie, DirectoryEntryVisitor& visitor) {
    if (!emit_dot_entries(cookie, number(), number(), visitor)) return {};
    if (!emit_entries(cookie, PROCFS_SYSTEM_ENTRIES, PROCFS_SYSTEM_ENTRY_COUNT, PROCFS_FIRST_SYSTEM_INODE,
                      visitor))
        return {};
    if (cookie < FIRST_PID_COOKIE) cookie = FIRST_PID_COOKIE;
    for (;;) {
        // The next pid still alive from where the last read stopped.
        int pid = procfs_sources::next_pid(int(cookie - FIRST_PID_COOKIE));
        if (pid == 0) return {};
        char name[16];
        size_t length = klib::format(name, sizeof(name), "%d", pid);
        uint64_t next_cookie = FIRST_PID_COOKIE + uint64_t(pid) + 1;
        if (!visitor.visit(name, length, procfs_process_directory_inode(pid), DT_DIR, next_cookie)) return {};
        cookie = next_cookie;
    }
}

// --- ProcfsProcessInode ----------------------------------------------------------------

Result<InodeRef> ProcfsProcessInode::lookup(const char* name) {
    if (!process_exists(pid_)) return Error{ENOENT};
    const ProcfsEntry* entry = find_entry(PROCFS_PROCESS_ENTRIES, PROCFS_PROCESS_ENTRY_COUNT, name);
    if (entry == nullptr) return Error{ENOENT};
    return super_block().get_inode(procfs_process_entry_inode(pid_, size_t(entry - PROCFS_PROCESS_ENTRIES)));
}

// A directory whose process has ended lists nothing: ENOENT, as on Linux.
Result<void> ProcfsProcessInode::read_directory(uint64_t cookie, DirectoryEntryVisitor& visitor) {
    if (!process_exists(pid_)) return Error{ENOENT};
    uint64_t parent = PROCFS_ROOT_INODE;
    if (!emit_dot_entries(cookie, number(), parent, visitor)) return {};
    emit_entries(cookie, PROCFS_PROCESS_ENTRIES, PROCFS_PROCESS_ENTRY_COUNT, procfs_process_entry_inode(pid_, 0),
                 visitor);
    return {};
}

// --- ProcfsEntryInode ----------------------------------------------------------------------

Result<size_t> ProcfsEntryInode::readlink(char* buffer, size_t size) {
    if (!is_symbolic_link()) return Error{EINVAL};
    ProcfsText target;
    ProcfsContext context;
    context.pid = pid_;
    TRY(entry_.generate(context, target));
    TRY(target.error());
    size_t count = target.size() < size ? target.size() : size;
    klib::memcpy(buffer, target.data(), count);
    return count;
}

Result<FileRef> ProcfsEntryInode::open_file(Path&& path, uint32_t flags) {
    if (is_symbolic_link()) return Error{ELOOP};  // only an O_NOFOLLOW open gets here
    ProcfsContext subject;
    subject.pid = pid_;
    return open_procfs_file(static_cast<Path&&>(path), flags, entry_, subject);
}

}  // namespace

// --- the file system type ------------------------------------------------------------------

Result<SuperBlock*> ProcfsFileSystemType::mount(BlockDevice* /*device*/, uint32_t flags, const char* /*options*/) {
    ProcfsSuperBlock* super_block = new (std::nothrow) ProcfsSuperBlock(*this, flags);
    if (super_block == nullptr) return Error{ENOMEM};
    Result<void> loaded = super_block->load_root();
    if (loaded.is_error()) {
        destroy_super_block(super_block);
        return Error{loaded.error()};
    }
    return super_block;
}

ProcfsFileSystemType& procfs_file_system_type() {
    static ProcfsFileSystemType type;
    return type;
}
