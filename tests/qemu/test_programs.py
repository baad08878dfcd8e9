"""User programs from /bin on the real machine: loaded from romfs, run in
ring 3, talking to the kernel through Linux i386 system calls."""
import os
import re

from machine import ROOT

MOTD = open(os.path.join(ROOT, "user", "rootfs", "etc", "motd")).read()
# What the build put into the root image's /bin.
PROGRAMS = sorted(os.listdir(os.path.join(ROOT, "build", "rootfs", "bin")))


def test_echo_prints_its_arguments(machine):
    assert machine.run("run /bin/echo hello from user mode") == "hello from user mode\n"


def test_cat_reads_a_file_through_system_calls(machine):
    assert machine.run("run /bin/cat /etc/motd") == MOTD


def test_ls_lists_the_programs_in_bin(machine):
    assert machine.run("run /bin/ls -1 /bin").split() == PROGRAMS
    output = machine.run("run /bin/ls -l /etc")
    # Owner names from /etc/passwd and /etc/group; romfs keeps no times (1970).
    assert re.search(r"^-rw-r--r-- +1 root +root +%d Jan  1  1970 motd$" % len(MOTD), output, re.M), output


def test_stat_pwd_and_uname(machine):
    output = machine.run("run /bin/stat /etc/motd")
    assert f"Size: {len(MOTD)}" in output and "regular file" in output
    assert machine.run("run /bin/pwd") == "/\n"
    assert machine.run("run /bin/uname -m") == "i686\n"


def test_exit_status_is_reported(machine):
    assert machine.run("run /bin/true") == ""
    assert machine.run("run /bin/false") == "run: /bin/false: exit status 1\n"


def test_program_errors_come_from_the_kernel(machine):
    assert machine.run("run /bin/cat /nope") .startswith("cat: /nope: No such file or directory")
    assert "run: /bin/cat: exit status 1" in machine.run("run /bin/cat /nope")
    assert machine.run("run /bin/nope") == "run: /bin/nope: No such file or directory\n"
    assert machine.run("run /etc/motd") == "run: /etc/motd: Permission denied\n"


def test_processes_leave_no_memory_behind(machine):
    def free_kib():
        return int(re.search(r"(\d+) KiB free", machine.run("mem")).group(1))
    machine.run("run /bin/ls -l /bin")
    before = free_kib()
    for _ in range(5):
        machine.run("run /bin/ls -l /bin")
    assert free_kib() == before


def test_syscheck_agrees_with_linux(machine):
    # The same program passes on the Linux host (tests/user); here every
    # bad pointer, descriptor and flag must get Linux's answer too, and
    # fork, execve, wait4, pipes, SIGPIPE and a segfaulting child must work.
    output = machine.run("run /bin/syscheck", timeout=120)
    failures = [line for line in output.splitlines() if line.startswith("FAIL")]
    assert failures == [], output
    assert "syscheck: 0 failed" in output
    assert re.search(r"syscheck\[\d+\]: segfault at 0x10 ", output), output
    assert "up " in machine.run("uptime")  # and the kernel carries on


def test_ctrl_c_ends_the_foreground_program(machine):
    # cat blocks reading the console; the line it copies back says it runs.
    machine.type("run /bin/cat\n")
    machine.expect(r"run /bin/cat\r*\n")
    machine.type("ready\n")
    machine.expect(r"ready\r*\nready\r*\n")   # the console's echo, then cat's copy
    machine.type("\x03")
    output = machine.expect(r"# $", timeout=30)
    assert output.replace("\r", "") == "^C\nrun: /bin/cat: killed by signal 2\nmonitor", output
    assert "up " in machine.run("uptime")
