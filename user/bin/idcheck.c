/* idcheck -- does the kernel answer the identity and settings calls the
 * way Linux does?
 *
 * Usage: idcheck
 *
 * The uid/gid family (setuid, setreuid, setresuid, setfsuid, their gid
 * twins, 32-bit and old 16-bit forms, setgroups/getgroups) with the
 * permission rules of root and of an ordinary user; capget and capset;
 * nice, getpriority, setpriority, ioprio_get, ioprio_set; personality;
 * sethostname and setdomainname (set to the names they already have, so a
 * run changes nothing); getcpu; mlock, mlockall and membarrier. Every
 * change of identity happens in a child, which ends after its checks.
 * Prints "ok NAME" or "FAIL NAME: got X, expected Y" per check and
 * "idcheck: N failed" at the end; the exit status is N. It must run as
 * root. The same binary runs on a Linux host, the reference
 * (tests/user/test_check_programs.py), and on our kernel
 * (tests/qemu/test_programs.py). Raw system calls (sys/syscall.h) show
 * the kernel's own answers. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#define UNCHANGED (-1L)
#define UNMAPPED_POINTER 0x10L

/* The three ids of getresuid32 (or getresgid32) as text: "real effective saved". */
static const char *three_ids(long call)
{
    static char text[40];
    unsigned int ids[3] = {0, 0, 0};
    if (syscall3(call, (long)&ids[0], (long)&ids[1], (long)&ids[2]) != 0) return "error";
    snprintf(text, sizeof text, "%u %u %u", ids[0], ids[1], ids[2]);
    return text;
}

/* ---- user ids ---- */
static void user_ids(void)
{
    expect_string("root starts with ids 0 0 0", three_ids(SYS_getresuid32), "0 0 0");
    expect("setresuid 1000 1001 0", syscall3(SYS_setresuid32, 1000, 1001, 0), 0);
    expect_string("getresuid reads them back", three_ids(SYS_getresuid32), "1000 1001 0");
    expect("getuid is the real id", syscall0(SYS_getuid32), 1000);
    expect("geteuid is the effective id", syscall0(SYS_geteuid32), 1001);
    expect("setfsuid follows the effective id", syscall1(SYS_setfsuid32, UNCHANGED), 1001);
    expect("setuid back to the saved 0 (effective only)", syscall1(SYS_setuid32, 0), 0);
    expect_string("ids after it", three_ids(SYS_getresuid32), "1000 0 0");
    expect("setreuid 2000 2000 as root", syscall2(SYS_setreuid32, 2000, 2000), 0);
    expect_string("setreuid set the saved id too", three_ids(SYS_getresuid32), "2000 2000 2000");
    expect("then setuid 0 is EPERM", syscall1(SYS_setuid32, 0), -EPERM);
    expect("setuid -1 is EINVAL", syscall1(SYS_setuid32, UNCHANGED), -EINVAL);
    expect("setreuid to an id not held is EPERM", syscall2(SYS_setreuid32, 3000, UNCHANGED), -EPERM);
    expect("setresuid to an id not held is EPERM", syscall3(SYS_setresuid32, UNCHANGED, 0, UNCHANGED), -EPERM);
    expect("setresuid to ids held", syscall3(SYS_setresuid32, 2000, 2000, 2000), 0);
    expect("setfsuid to another id is refused, answers the old", syscall1(SYS_setfsuid32, 5), 2000);
    expect("and the file-system id stays", syscall1(SYS_setfsuid32, UNCHANGED), 2000);
    expect("setgroups is EPERM for a user", syscall2(SYS_setgroups32, 0, 0), -EPERM);
    expect("sethostname is EPERM for a user", syscall2(SYS_sethostname, (long)"x", 1), -EPERM);
    expect("setpriority to a lower nice is EACCES for a user", syscall3(SYS_setpriority, 0, 0, -1), -EACCES);
    expect("nice -1 is EPERM for a user", syscall1(SYS_nice, -1), -EPERM);
    expect("nice +1 is allowed", syscall1(SYS_nice, 1), 0);
    expect("getpriority sees nice 1", syscall2(SYS_getpriority, 0, 0), 19);
    expect("setpriority of init is EPERM for a user", syscall3(SYS_setpriority, 0, 1, 5), -EPERM);
    expect("ioprio_set real-time is EPERM for a user", syscall3(SYS_ioprio_set, 1, 0, 1 << 13), -EPERM);
    unsigned int data[6];
    struct { unsigned int version; int pid; } header = {0x20080522, 0};
    memset(data, 0xff, sizeof data);
    expect("capget as a user", syscall2(SYS_capget, (long)&header, (long)data), 0);
    expect("a user has no capabilities", (long)(data[0] | data[1] | data[3] | data[4]), 0);
}

/* The 16-bit calls of Linux i386: 0xFFFF is -1; ids above 65535 read as 65534. */
static void old_user_ids(void)
{
    expect("old getuid of root", syscall0(SYS_getuid), 0);
    expect("setresuid 70000 70000 0", syscall3(SYS_setresuid32, 70000, 70000, 0), 0);
    expect("old getuid of a large id is 65534", syscall0(SYS_getuid), 65534);
    expect("old setuid 0xFFFF is EINVAL", syscall1(SYS_setuid, 0xFFFF), -EINVAL);
    expect("old setuid to the saved 0", syscall1(SYS_setuid, 0), 0);
    expect("old setuid 1234 as root", syscall1(SYS_setuid, 1234), 0);
    expect("and the 32-bit getuid agrees", syscall0(SYS_getuid32), 1234);
}

/* ---- group ids and supplementary groups ---- */
static void group_ids(void)
{
    expect("setresgid 100 200 300", syscall3(SYS_setresgid32, 100, 200, 300), 0);
    expect_string("getresgid reads them back", three_ids(SYS_getresgid32), "100 200 300");
    expect("getgid is the real group", syscall0(SYS_getgid32), 100);
    expect("getegid is the effective group", syscall0(SYS_getegid32), 200);
    expect("setregid -1 300", syscall2(SYS_setregid32, UNCHANGED, 300), 0);
    expect("setgid 400 as root", syscall1(SYS_setgid32, 400), 0);
    expect_string("all three group ids moved", three_ids(SYS_getresgid32), "400 400 400");
    unsigned int groups[3] = {50, 7, 9}, back[8] = {0};
    expect("setgroups of three", syscall2(SYS_setgroups32, 3, (long)groups), 0);
    expect("getgroups 0 counts them", syscall2(SYS_getgroups32, 0, 0), 3);
    expect("getgroups too small is EINVAL", syscall2(SYS_getgroups32, 2, (long)back), -EINVAL);
    expect("getgroups returns three", syscall2(SYS_getgroups32, 8, (long)back), 3);
    expect("in ascending order", (long)back[0] * 10000 + back[1] * 100 + back[2], 70950);
    unsigned short old[2] = {0};
    expect("old getgroups", syscall2(SYS_getgroups, 2, (long)old), -EINVAL);
    unsigned int bad[1] = {0xFFFFFFFFu};
    expect("setgroups with -1 is EINVAL", syscall2(SYS_setgroups32, 1, (long)bad), -EINVAL);
    expect("setgroups of 65537 is EINVAL", syscall2(SYS_setgroups32, 65537, (long)groups), -EINVAL);
    expect("setgroups from an unmapped list is EFAULT", syscall2(SYS_setgroups32, 2, UNMAPPED_POINTER), -EFAULT);
    expect("setgroups of none", syscall2(SYS_setgroups32, 0, 0), 0);
    expect("leaves none", syscall2(SYS_getgroups32, 0, 0), 0);
    expect("setuid 1000, then setgid 0 is EPERM", syscall1(SYS_setuid32, 1000) == 0 ? syscall1(SYS_setgid32, 0) : 1,
           -EPERM);
    expect("a user may setgid to its real group", syscall1(SYS_setgid32, 400), 0);
}

/* The file-system id is the owner of what is made. */
static void file_system_id(void)
{
    const char *path = "/tmp/idcheck.owner";
    unlink(path);
    expect("setfsuid 4321 as root answers the old 0", syscall1(SYS_setfsuid32, 4321), 0);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    expect("a file made with fsuid 4321", fd >= 0, 1);
    struct stat status;
    fstat(fd, &status);
    close(fd);
    expect("belongs to 4321", (long)status.st_uid, 4321);
    expect("setfsuid back to 0", syscall1(SYS_setfsuid32, 0), 4321);
    unlink(path);
}

/* ---- capabilities ---- */
static void capabilities(void)
{
    struct { unsigned int version; int pid; } header = {0x12345678, 0};
    unsigned int data[6];
    expect("capget with a bad version is EINVAL", syscall2(SYS_capget, (long)&header, (long)data), -EINVAL);
    expect("and tells the version the kernel prefers", (long)header.version, 0x20080522);
    header.version = 0x12345678;
    expect("capget of a bad version without data is 0", syscall2(SYS_capget, (long)&header, 0), 0);
    header.version = 0x20080522;
    header.pid = -1;
    expect("capget of pid -1 is EINVAL", syscall2(SYS_capget, (long)&header, (long)data), -EINVAL);
    header.pid = 999999;
    expect("capget of no such process is ESRCH", syscall2(SYS_capget, (long)&header, (long)data), -ESRCH);
    header.pid = 0;
    expect("capget into an unmapped address is EFAULT", syscall2(SYS_capget, (long)&header, UNMAPPED_POINTER),
           -EFAULT);
    expect("capget of itself", syscall2(SYS_capget, (long)&header, (long)data), 0);
    expect("capset of the sets it has", syscall2(SYS_capset, (long)&header, (long)data), 0);
    header.pid = 1;
    expect("capset of another process is EPERM", syscall2(SYS_capset, (long)&header, (long)data), -EPERM);
    header.pid = 0;
    data[0] = 1, data[1] = 0;  /* effective beyond permitted */
    expect("capset with effective beyond permitted is EPERM", syscall2(SYS_capset, (long)&header, (long)data), -EPERM);
}

/* ---- nice, priorities, I/O priorities, personality, getcpu ---- */
static void priorities(void)
{
    expect("getpriority answers 20 - nice", syscall2(SYS_getpriority, 0, 0), 20);
    expect("getpriority with a bad which is EINVAL", syscall2(SYS_getpriority, 3, 0), -EINVAL);
    expect("getpriority of no such process is ESRCH", syscall2(SYS_getpriority, 0, 999999), -ESRCH);
    expect("setpriority nice 5", syscall3(SYS_setpriority, 0, 0, 5), 0);
    expect("getpriority sees it", syscall2(SYS_getpriority, 0, getpid()), 15);
    expect("setpriority beyond 19 is 19", syscall3(SYS_setpriority, 0, 0, 100), 0);
    expect("getpriority sees 19", syscall2(SYS_getpriority, 0, 0), 1);
    expect("root may lower it: nice -3", syscall3(SYS_setpriority, 0, 0, -3), 0);
    expect("nice +2 answers 0", syscall1(SYS_nice, 2), 0);
    expect("getpriority sees -1", syscall2(SYS_getpriority, 0, 0), 21);
    expect("the process group's priority", syscall2(SYS_getpriority, 1, 0) >= 21, 1);
    expect("ioprio_set best effort 4", syscall3(SYS_ioprio_set, 1, 0, 2 << 13 | 4), 0);
    expect("ioprio_get reads it back", syscall2(SYS_ioprio_get, 1, 0), 2 << 13 | 4);
    expect("ioprio_set idle", syscall3(SYS_ioprio_set, 1, getpid(), 3 << 13), 0);
    expect("ioprio_set class 5 is EINVAL", syscall3(SYS_ioprio_set, 1, 0, 5 << 13), -EINVAL);
    expect("ioprio_set none with data is EINVAL", syscall3(SYS_ioprio_set, 1, 0, 3), -EINVAL);
    expect("ioprio_get with a bad which is EINVAL", syscall2(SYS_ioprio_get, 4, 0), -EINVAL);
    expect("ioprio_get of no such process is ESRCH", syscall2(SYS_ioprio_get, 1, 999999), -ESRCH);
    expect("personality query", syscall1(SYS_personality, 0xffffffffL), 0);
    expect("personality ADDR_NO_RANDOMIZE answers the old", syscall1(SYS_personality, 0x0040000), 0);
    expect("and the query reads it", syscall1(SYS_personality, 0xffffffffL), 0x0040000);
    expect("personality back to PER_LINUX", syscall1(SYS_personality, 0), 0x0040000);
    unsigned int cpu = 99, node = 99;
    expect("getcpu", syscall3(SYS_getcpu, (long)&cpu, (long)&node, 0), 0);
    expect("on node 0", (long)node, 0);
    expect("getcpu with NULL pointers", syscall3(SYS_getcpu, 0, 0, 0), 0);
    expect("getcpu into an unmapped address is EFAULT", syscall3(SYS_getcpu, UNMAPPED_POINTER, 0, 0), -EFAULT);
}

/* ---- host names: set to what they are ---- */
static void host_names(void)
{
    struct utsname names;
    uname(&names);
    char long_name[80];
    memset(long_name, 'x', sizeof long_name);
    expect("sethostname of 65 bytes is EINVAL", syscall2(SYS_sethostname, (long)long_name, 65), -EINVAL);
    expect("sethostname of a negative length is EINVAL", syscall2(SYS_sethostname, (long)long_name, -1), -EINVAL);
    expect("sethostname from an unmapped name is EFAULT", syscall2(SYS_sethostname, UNMAPPED_POINTER, 4), -EFAULT);
    expect("sethostname to its own name", syscall2(SYS_sethostname, (long)names.nodename, strlen(names.nodename)), 0);
    expect("setdomainname to its own name",
           syscall2(SYS_setdomainname, (long)names.domainname, strlen(names.domainname)), 0);
    struct utsname after;
    uname(&after);
    expect_string("uname shows the host name", after.nodename, names.nodename);
    expect_string("uname shows the domain name", after.domainname, names.domainname);
}

/* ---- memory locks and barriers ---- */
static void memory(void)
{
    static char buffer[8192];
    expect("mlock of a buffer", syscall2(SYS_mlock, (long)buffer, sizeof buffer), 0);
    expect("munlock of it", syscall2(SYS_munlock, (long)buffer, sizeof buffer), 0);
    expect("mlock of nothing", syscall2(SYS_mlock, (long)buffer, 0), 0);
    expect("mlock of an unmapped page is ENOMEM", syscall2(SYS_mlock, 0x1000, 4096), -ENOMEM);
    expect("mlock2 with a bad flag is EINVAL", syscall3(SYS_mlock2, (long)buffer, 4096, 2), -EINVAL);
    expect("mlockall 0 is EINVAL", syscall1(SYS_mlockall, 0), -EINVAL);
    expect("mlockall MCL_ONFAULT alone is EINVAL", syscall1(SYS_mlockall, 4), -EINVAL);
    expect("mlockall MCL_CURRENT | MCL_FUTURE", syscall1(SYS_mlockall, 3), 0);
    expect("munlockall", syscall0(SYS_munlockall), 0);
    long commands = syscall3(SYS_membarrier, 0, 0, 0);
    expect("membarrier query offers the global commands", commands >= 0 && (commands & 7) == 7, 1);
    expect("membarrier global", syscall3(SYS_membarrier, 1, 0, 0), 0);
    expect("membarrier with flags is EINVAL", syscall3(SYS_membarrier, 0, 1, 0), -EINVAL);
    expect("membarrier of an unknown command is EINVAL", syscall3(SYS_membarrier, 1 << 20, 0, 0), -EINVAL);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        printf("usage: idcheck\n"
               "Checks the uid/gid calls, capabilities, priorities, personality, host names,\n"
               "getcpu, memory locks and membarrier against Linux's answers (as root).\n");
        return 0;
    }
    check_in_child(user_ids);
    check_in_child(old_user_ids);
    check_in_child(group_ids);
    check_in_child(file_system_id);
    check_in_child(capabilities);
    check_in_child(priorities);
    check_in_child(host_names);
    memory();
    printf("idcheck: %d failed\n", check_failures);
    return check_failures > 100 ? 100 : check_failures;
}
