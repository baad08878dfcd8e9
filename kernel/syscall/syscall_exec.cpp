// kernel/syscall/syscall_exec.cpp -- fork, execve, wait, pipes, process groups.
//
// Layer: system calls. The calls a shell is made of besides fork (which is
// in syscall_threads.cpp with clone): execve, wait4/waitpid, pipe/pipe2,
// process groups, and fcntl64's descriptor flags. (Signals: syscall_signal.cpp.)
#include "fs/vfs/open_flags.h"
#include "fs/vfs/path_lookup.h"
#include "fs/vfs/pipe.h"
#include "fs/vfs/vfs.h"
#include "kernel/arch/x86/fpu.h"
#include "kernel/arch/x86/gdt.h"
#include "kernel/arch/x86/interrupts.h"
#include "kernel/lib/errno.h"
#include "kernel/lib/string.h"
#include "kernel/mm/kmalloc.h"
#include "kernel/proc/job_control.h"
#include "kernel/proc/posix_timers.h"
#include "kernel/proc/process.h"
#include "kernel/proc/script_loader.h"
#include "kernel/proc/signals.h"
#include "kernel/proc/user_memory.h"
#include "kernel/syscall/syscall.h"
#include "kernel/syscall/syscall_support.h"

namespace {

// The argument vectors of execve, copied into one kernel arena.
class UserVectors {
public:
    static constexpr size_t ARENA = 64 * 1024, MAX_STRINGS = 256;
    ~UserVectors() { kfree(arena_); }

    Result<const char* const*> copy(uint32_t user_array) {
        if (!arena_ && !(arena_ = static_cast<char*>(kmalloc(ARENA)))) return Error(ENOMEM);
        const char** vector = reinterpret_cast<const char**>(arena_ + used_);
        size_t count = 0;
        used_ += (MAX_STRINGS + 1) * sizeof(char*);
        for (; user_array; ++count) {
            if (count == MAX_STRINGS) return Error(E2BIG);
            uint32_t pointer;
            TRY(copy_from_user(&pointer, user_array + uint32_t(count * 4), 4));
            if (!pointer) break;
            if (used_ >= ARENA) return Error(E2BIG);
            auto length = copy_string_from_user(arena_ + used_, pointer, ARENA - used_);
            if (length.is_error()) return Error(length.error() == ENAMETOOLONG ? E2BIG : length.error());
            vector[count] = arena_ + used_;
            used_ += length.value() + 1;
        }
        vector[count] = nullptr;
        return static_cast<const char* const*>(vector);
    }
    Result<const char*> copy_string(uint32_t user_string) {
        if (!arena_ && !(arena_ = static_cast<char*>(kmalloc(ARENA)))) return Error(ENOMEM);
        char* text = arena_ + used_;
        size_t length = TRY(copy_string_from_user(text, user_string, MAX_PATH_LENGTH));
        used_ += length + 1;
        return static_cast<const char*>(text);
    }

private:
    char* arena_ = nullptr;
    size_t used_ = 0;
};

// execve(path, argv, envp), and execveat's path once made whole: argv
// and envp are arguments `argv_at` and the next.
int32_t execute(UserVectors& vectors, const char* path, const SyscallArguments& a, uint32_t argv_at) {
    auto argv = vectors.copy(a.arg[argv_at]);
    if (argv.is_error()) return -argv.error();
    auto envp = vectors.copy(a.arg[argv_at + 1]);
    if (envp.is_error()) return -envp.error();
    Process& process = self();
    auto start = load_program_or_script(process, path, argv.value(), envp.value());
    if (start.is_error()) return -start.error();
    // The old program is gone: everything below continues the new one.
    process.files->close_all_marked_close_on_exec();
    reset_signal_handlers_for_exec(process);
    current_user_thread()->signals.alternate_stack = AlternateStack{};
    posix_timers::delete_all(process);
    process.has_executed = true;
    release_vfork_parent(process);
    Thread& thread = scheduler::current();  // load_program made the new address space current
    thread.tls_base = thread.tls_limit_pages = 0;
    thread.tls_present = false;
    gdt::set_user_tls(0, 0, false);  // the old program's TLS segment is gone too
    fpu::restore(fpu::initial_state());  // and its floating-point registers
    InterruptFrame& frame = *thread.user_frame;
    frame.eip = start.value().entry;
    frame.user_esp = start.value().user_stack;
    frame.ebx = frame.ecx = frame.edx = frame.esi = frame.edi = frame.ebp = 0;
    frame.eflags = 0x202;
    // A selector of the old TLS segment in GS or FS would fault on the way
    // out, now that the segment is gone: the new program starts with flat ones.
    frame.gs = frame.fs = gdt::USER_DATA;
    return 0;
}

int32_t sys_execve(const SyscallArguments& a) {
    UserVectors vectors;
    auto path = vectors.copy_string(a.arg[0]);
    if (path.is_error()) return -path.error();
    return execute(vectors, path.value(), a, 1);
}

// execveat(dirfd, path, argv, envp, flags): a relative path from the
// directory `dirfd`, or with AT_EMPTY_PATH and "" the file `dirfd` itself
// (fexecve). The kernel execs by name, so the name is made whole here from
// the directory's or the file's path in the namespace; AT_SYMLINK_NOFOLLOW
// refuses a symbolic link as the last component (ELOOP), as Linux.
int32_t sys_execveat(const SyscallArguments& a) {
    uint32_t flags = a.arg[4];
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -EINVAL;
    UserVectors vectors;
    auto name = vectors.copy_string(a.arg[1]);
    if (name.is_error()) return -name.error();
    bool whole_file = name.value()[0] == '\0';
    if (whole_file && !(flags & AT_EMPTY_PATH)) return -ENOENT;
    if (name.value()[0] == '/' || (a.arg[0] == AT_FDCWD_VALUE && !whole_file)) {
        if (flags & AT_SYMLINK_NOFOLLOW) {
            linux_abi::stat64 status;
            auto looked = vfs_stat(self().working_directory, name.value(), false, self().credentials, &status);
            if (!looked.is_error() && S_ISLNK(status.st_mode)) return -ELOOP;
        }
        return execute(vectors, name.value(), a, 2);
    }
    auto start = a.arg[0] == AT_FDCWD_VALUE ? Result<Path>(self().working_directory) : start_directory(a.arg[0]);
    if (start.is_error()) return -start.error();
    char whole[MAX_PATH_LENGTH];
    auto length = d_path(start.value(), whole, sizeof whole);
    if (length.is_error()) return -length.error();
    if (!whole_file) {
        size_t at = length.value();
        if (at + 1 + klib::strlen(name.value()) + 1 > sizeof whole) return -ENAMETOOLONG;
        if (at > 1) whole[at++] = '/';
        klib::strlcpy(whole + at, name.value(), sizeof whole - at);
    }
    return execute(vectors, whole, a, 2);
}


int32_t wait_common(int pid, uint32_t user_status, uint32_t options) {
    // Linux's __WNOTHREAD, __WALL and __WCLONE are accepted (one thread each).
    constexpr uint32_t THREAD_OPTIONS = 0x20000000 | 0x40000000 | 0x80000000;
    if (options & ~(WAIT_NO_HANG | WAIT_UNTRACED | WAIT_CONTINUED | THREAD_OPTIONS)) return -EINVAL;
    auto waited = wait_for_child(pid, (options & ~THREAD_OPTIONS) | WAIT_EXITED);
    if (waited.is_error()) return -waited.error();
    if (user_status && waited.value().pid) {
        if (copy_to_user(user_status, &waited.value().status, 4).is_error()) return -EFAULT;
    }
    return waited.value().pid;
}

// waitid(idtype, id, siginfo*, options, rusage*): P_ALL, P_PID, P_PGID;
// WEXITED, WSTOPPED, WCONTINUED (at least one), WNOHANG, WNOWAIT. The
// child's news goes into a SIGCHLD siginfo (si_code CLD_*; all zero with
// WNOHANG when nothing is to report). No resource usage is kept (rusage 0).
int32_t sys_waitid(const SyscallArguments& a) {
    constexpr uint32_t P_ALL = 0, P_PID = 1, P_PGID = 2;
    constexpr uint32_t KINDS = WAIT_EXITED | WAIT_UNTRACED | WAIT_CONTINUED;
    uint32_t type = a.arg[0], options = a.arg[3];
    int id = int(a.arg[1]);
    if (options & ~(KINDS | WAIT_NO_HANG | WAIT_NO_REAP) || !(options & KINDS)) return -EINVAL;
    if (type > P_PGID || (type != P_ALL && id <= 0)) return -EINVAL;
    int pid = type == P_ALL ? -1 : type == P_PID ? id : -id;
    auto waited = wait_for_child(pid, options);
    if (waited.is_error()) return -waited.error();
    int32_t info[32] = {};  // Linux's 128-byte i386 siginfo
    if (int child = waited.value().pid) {
        int status = waited.value().status;
        info[0] = SIGCHLD;
        info[2] = status == CONTINUED_STATUS ? CLD_CONTINUED
                  : (status & 0x7F) == 0x7F  ? CLD_STOPPED
                  : (status & 0x7F) != 0     ? CLD_KILLED
                                             : CLD_EXITED;
        info[3] = child;
        info[4] = 0;  // si_uid: every process runs as root
        info[5] = status == CONTINUED_STATUS ? SIGCONT : (status & 0x7F) == 0x7F ? (status >> 8) & 0xFF
                  : (status & 0x7F) != 0 ? status & 0x7F : (status >> 8) & 0xFF;
    }
    if (a.arg[2] && copy_to_user(a.arg[2], info, sizeof info).is_error()) return -EFAULT;
    return 0;
}

int32_t sys_wait4(const SyscallArguments& a) { return wait_common(int(a.arg[0]), a.arg[1], a.arg[2]); }
int32_t sys_waitpid(const SyscallArguments& a) { return wait_common(int(a.arg[0]), a.arg[1], a.arg[2]); }

Result<void> make_pipe(uint32_t user_fds, uint32_t flags) {
    if (flags & ~uint32_t(O_CLOEXEC | O_NONBLOCK)) return Error(EINVAL);
    FileRef read_end, write_end;
    TRY(create_pipe(read_end, write_end, flags));
    int fds[2];
    fds[0] = TRY(self().files->allocate(static_cast<FileRef&&>(read_end), flags & O_CLOEXEC));
    auto second = self().files->allocate(static_cast<FileRef&&>(write_end), flags & O_CLOEXEC);
    if (second.is_error()) {
        (void)self().files->close(fds[0]);
        return Error(second.error());
    }
    fds[1] = second.value();
    if (auto copied = copy_to_user(user_fds, fds, sizeof fds); copied.is_error()) {
        (void)self().files->close(fds[0]);
        (void)self().files->close(fds[1]);
        return copied;
    }
    return {};
}

int32_t sys_pipe(const SyscallArguments& a) {
    auto made = make_pipe(a.arg[0], 0);
    return made.is_error() ? -made.error() : 0;
}
int32_t sys_pipe2(const SyscallArguments& a) {
    auto made = make_pipe(a.arg[0], a.arg[1]);
    return made.is_error() ? -made.error() : 0;
}

// The rules of sessions and process groups: kernel/proc/job_control.h.
int32_t sys_setpgid(const SyscallArguments& a) {
    auto set = set_process_group(int(a.arg[0]), int(a.arg[1]));
    return set.is_error() ? -set.error() : 0;
}
int32_t sys_getpgrp(const SyscallArguments&) { return self().process_group; }
int32_t sys_getpgid(const SyscallArguments& a) { return syscall_result(process_group_of(int(a.arg[0]))); }
int32_t sys_getsid(const SyscallArguments& a) { return syscall_result(session_of(int(a.arg[0]))); }
int32_t sys_setsid(const SyscallArguments&) { return syscall_result(create_session()); }

constexpr uint32_t F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_DUPFD_CLOEXEC = 1030;

int32_t sys_fcntl64(const SyscallArguments& a) {
    int fd = int(a.arg[0]);
    FileDescriptorTable& files = *self().files;
    switch (a.arg[1]) {
    case F_DUPFD: return syscall_result(files.dup_at_least(fd, int(a.arg[2]), false));
    case F_DUPFD_CLOEXEC: return syscall_result(files.dup_at_least(fd, int(a.arg[2]), true));
    case F_GETFD: {
        auto flag = files.close_on_exec(fd);
        return flag.is_error() ? -flag.error() : (flag.value() ? 1 : 0);
    }
    case F_SETFD: {
        auto set = files.set_close_on_exec(fd, a.arg[2] & 1);
        return set.is_error() ? -set.error() : 0;
    }
    case F_GETFL: {
        auto file = files.get(fd);
        return file.is_error() ? -file.error() : int32_t(file.value()->flags());
    }
    case F_SETFL: {
        auto file = files.get(fd);
        if (file.is_error()) return -file.error();
        file.value()->set_status_flags(a.arg[2]);
        return 0;
    }
    default: return -EINVAL;
    }
}

}  // namespace

void register_exec_system_calls(SyscallEntry* table, uint32_t size) {
    const NumberedSyscall calls[] = {
        {7, {"waitpid", sys_waitpid}},     {11, {"execve", sys_execve}},     {358, {"execveat", sys_execveat}},
        {42, {"pipe", sys_pipe}},          {57, {"setpgid", sys_setpgid}},    {65, {"getpgrp", sys_getpgrp}},
        {66, {"setsid", sys_setsid}},      {114, {"wait4", sys_wait4}},       
        {132, {"getpgid", sys_getpgid}},   {147, {"getsid", sys_getsid}},           {221, {"fcntl64", sys_fcntl64}}, {55, {"fcntl", sys_fcntl64}},
        {284, {"waitid", sys_waitid}},     {331, {"pipe2", sys_pipe2}},
    };
    add_system_calls(table, size, calls);
}
