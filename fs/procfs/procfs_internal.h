// fs/procfs/procfs_internal.h -- the pieces of procfs (internal).
//
// Layer: concrete file system; only fs/procfs/ and its tests include this.
// procfs is a table of entries, each a name, a mode and a generator -- a
// function that writes the entry's text (or a link's target) into a
// ProcfsText when somebody reads it (Linux: struct pid_entry and the
// seq_file show functions of fs/proc/base.c and fs/proc/*.c):
//   system_files.cpp   PROCFS_SYSTEM_ENTRIES: the names in /proc itself
//   process_files.cpp  PROCFS_PROCESS_ENTRIES: the names in /proc/<pid>
//   cpu_files.cpp      /proc/stat, /proc/cpuinfo, /proc/loadavg: the
//                      generators the system entries name
//   pci_files.cpp      /proc/bus/pci: the devices list and one file of
//                      configuration space per PCI function
//   procfs.cpp         the super block and inodes that turn the tables
//                      into directories, files and links
//   procfs_file.cpp    ProcfsText, and ProcfsFile, the open file that runs
//                      a generator and serves reads at any offset
//
// Inode numbers (stable, computed, never stored): 1 the root; 2 + i the
// i-th system entry; pid * 256 for /proc/<pid> and pid * 256 + 1 + j for its
// j-th entry. Up to pid 2^24 they fit the 32-bit st_ino of old stat calls.
// /proc/bus/pci and what is below it take the numbers from
// PROCFS_PCI_FIRST_INODE on (the range of pids from 0xFE0000, which this
// kernel never reaches: procfs shows no process with such a pid).
//
// Invariants: an inode holds a pid, never a Process pointer; every
// generator asks procfs_sources for a fresh snapshot, and a pid whose
// process is gone is ESRCH.
//
// Locking: a file's generator runs with no inode lock held (ProcfsFile
// takes only its own text lock), so it may take the mount namespace's and
// the registries' locks, which rank above inode locks. A link's generator
// runs under the link's inode lock (path lookup holds it around readlink):
// it must take none of those -- self and exe need only procfs_sources.
#pragma once

#include <cstddef>
#include <cstdint>

#include "fs/vfs/file.h"
#include "fs/vfs/file_mode.h"
#include "fs/vfs/inode.h"
#include "fs/vfs/synthetic_directory_inode.h"
#include "kernel/platform.h"

class MountNamespace;

// Text that grows as it is printed into (kmalloc'ed). Out of memory is
// remembered and reported once, by error().
class ProcfsText {
public:
    ProcfsText() = default;
    ~ProcfsText();
    ProcfsText(const ProcfsText&) = delete;
    ProcfsText& operator=(const ProcfsText&) = delete;

    void append(const char* bytes, size_t length);
    void append(const char* string);
    void put(char character);
    void print(const char* format, ...) __attribute__((format(printf, 2, 3)));
    // As Linux's seq_escape for /proc/mounts: space, tab, newline and
    // backslash become \040, \011, \012 and \134, so fields stay separable.
    void append_escaped(const char* string);
    void clear();

    const char* data() const { return data_; }
    size_t size() const { return size_; }
    // ENOMEM if any append failed (the text is then incomplete).
    Result<void> error() const;

private:
    bool reserve(size_t more);

    char* data_ = nullptr;
    size_t size_ = 0;
    size_t capacity_ = 0;
    bool out_of_memory_ = false;
};

// What a generator is told about the file being read.
struct ProcfsContext {
    int pid = 0;  // the process of /proc/<pid>/...; 0 for the system entries
    // The namespace this procfs is mounted in (/proc/mounts lists it);
    // nullptr for a link's target, which never needs it.
    MountNamespace* mount_namespace = nullptr;
    // For /proc/bus/pci/BB/DD.F: bus << 8 | device << 3 | function.
    uint16_t pci_function = 0;
};

using ProcfsGenerator = Result<void> (*)(const ProcfsContext& context, ProcfsText& text);

struct ProcfsEntry {
    const char* name;
    uint32_t mode;              // S_IFREG | 0444, or S_IFLNK | 0777
    ProcfsGenerator generate;   // the file's text, or the link's target
};

extern const ProcfsEntry PROCFS_SYSTEM_ENTRIES[];
extern const size_t PROCFS_SYSTEM_ENTRY_COUNT;
extern const ProcfsEntry PROCFS_PROCESS_ENTRIES[];
extern const size_t PROCFS_PROCESS_ENTRY_COUNT;

// --- inode numbers -----------------------------------------------------------------
constexpr uint64_t PROCFS_ROOT_INODE = 1;
constexpr uint64_t PROCFS_FIRST_SYSTEM_INODE = 2;
constexpr uint64_t PROCFS_INODES_PER_PROCESS = 256;

constexpr uint64_t procfs_process_directory_inode(int pid) {
    return uint64_t(pid) * PROCFS_INODES_PER_PROCESS;
}
constexpr uint64_t procfs_process_entry_inode(int pid, size_t index) {
    return procfs_process_directory_inode(pid) + 1 + index;
}
constexpr uint64_t PROCFS_PCI_FIRST_INODE = 0xFE000000;
constexpr uint64_t procfs_pci_bus_inode(uint8_t bus) { return PROCFS_PCI_FIRST_INODE + bus; }
constexpr uint64_t procfs_pci_function_inode(uint16_t location) { return PROCFS_PCI_FIRST_INODE + 0x10000 + location; }
constexpr uint64_t PROCFS_PCI_DIRECTORY_INODE = PROCFS_PCI_FIRST_INODE + 0x20000;  // /proc/bus/pci
constexpr uint64_t PROCFS_PCI_DEVICES_INODE = PROCFS_PCI_FIRST_INODE + 0x20001;    // /proc/bus/pci/devices

// The pid an inode number belongs to; 0 for the root, the system entries
// and /proc/bus.
constexpr int procfs_pid_of_inode(uint64_t number) {
    return number >= PROCFS_PCI_FIRST_INODE ? 0 : int(number / PROCFS_INODES_PER_PROCESS);
}

// --- directories ---------------------------------------------------------------------
// What every procfs directory refuses (synthetic_directory_inode.h; Linux
// answers these for /proc the same way: the VFS finds no such operation).
class ProcfsDirectoryInode : public SyntheticDirectoryInode {
public:
    ProcfsDirectoryInode(SuperBlock& super_block, uint64_t number)
        : SyntheticDirectoryInode(super_block, number, 0555, EACCES) {}
};

// The CPU's files (cpu_files.cpp), entries of PROCFS_SYSTEM_ENTRIES.
Result<void> generate_procfs_stat(const ProcfsContext& context, ProcfsText& text);
Result<void> generate_procfs_loadavg(const ProcfsContext& context, ProcfsText& text);
Result<void> generate_procfs_cpuinfo(const ProcfsContext& context, ProcfsText& text);

// /proc/bus (pci_files.cpp): the system entry "bus" of number `number`,
// and every inode numbered from PROCFS_PCI_FIRST_INODE on.
Result<Inode*> make_procfs_bus_directory(SuperBlock& super_block, uint64_t number);
Result<Inode*> read_procfs_pci_inode(SuperBlock& super_block, uint64_t number);

// --- the open file ------------------------------------------------------------------
// Opens `entry` for reading; its generator will see `subject` (the pid, or
// the PCI function; the mount namespace is filled in at each read). EACCES
// for any write access or O_TRUNC. Takes over `path`.
Result<FileRef> open_procfs_file(Path&& path, uint32_t flags, const ProcfsEntry& entry, const ProcfsContext& subject);

// --- small formatting helpers shared by the generators ----------------------------
// The integer in a decimal name ("42" -> 42); 0 for anything else ("042",
// "4x", "", or beyond int), since no pid is 0.
int procfs_parse_pid(const char* name);
