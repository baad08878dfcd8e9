"""Debian's static busybox for i386 on our kernel: an outside client of the ABI.

busybox is a real program we did not write, linked with static glibc, which
uses some 35 Linux system calls and expects Linux's answers. The test puts
it into a copy of the root image as /bin/busybox and runs applets through
our shell; each answer is compared with the host's view of the same files.
The binary comes from tools/fetch-debian-program (`make build/busybox/busybox`).
"""
import hashlib
import os
import stat
import time

import pytest

from machine import BUILD, Machine

BUSYBOX = os.path.join(BUILD, "busybox", "busybox")
ROOTFS_TREE = os.path.join(BUILD, "rootfs")


@pytest.fixture
def shell(tmp_path, busybox_root):
    machine = Machine(tmp_path, append="init=/bin/init", root_image=busybox_root)
    machine.boot()
    yield machine
    machine.close()


def host_file(path):
    with open(os.path.join(ROOTFS_TREE, path.lstrip("/")), "rb") as f:
        return f.read()


def test_uname(shell):
    assert shell.run("busybox uname -a") == "StorageKernel qemu 0.1 #1 i686 GNU/Linux\n"


def test_cat_and_md5sum_match_the_host(shell):
    assert shell.run("busybox cat /etc/motd") == host_file("/etc/motd").decode()
    digest = hashlib.md5(open(BUSYBOX, "rb").read()).hexdigest()
    assert shell.run("busybox md5sum /bin/busybox") == f"{digest}  /bin/busybox\n"
    assert shell.run("busybox wc -c /bin/busybox").split() == [str(os.path.getsize(BUSYBOX)), "/bin/busybox"]


def test_ls_long_lists_the_root_like_the_image(shell):
    lines = shell.run("busybox ls -l /").splitlines()
    assert lines[0].startswith("total ")
    listed = {}
    for line in lines[1:]:
        fields = line.split()
        listed[fields[-1]] = fields[0]
    expected = sorted(os.listdir(ROOTFS_TREE))
    assert sorted(listed) == expected
    for name, mode in listed.items():
        host_mode = os.lstat(os.path.join(ROOTFS_TREE, name)).st_mode
        assert mode[0] == ("d" if stat.S_ISDIR(host_mode) else "-"), (name, mode)
    # /tmp is the tmpfs mounted there: world-writable and sticky.
    assert listed["tmp"] == "drwxrwxrwt"


def test_busybox_sh_pipes_substitution_loops_and_traps(shell):
    assert shell.run("busybox sh -c 'echo hi | busybox cat'") == "hi\n"
    assert shell.run("busybox sh -c 'for i in 1 2 3; do echo $i; done | busybox wc -l'").strip() == "3"
    assert shell.run("busybox sh -c 'x=$(busybox echo sub); echo \"[$x]\"'") == "[sub]\n"
    assert shell.run("busybox sh -c 'trap \"echo caught\" USR1; kill -USR1 $$; echo after'") == "caught\nafter\n"
    assert shell.run("busybox sh -c 'busybox false || echo failed: $?'") == "failed: 1\n"


def test_files_in_tmp(shell):
    assert shell.run("busybox seq 1 1000 > /tmp/numbers; busybox wc -l < /tmp/numbers").strip() == "1000"
    assert shell.run("busybox cp /etc/motd /tmp/m && busybox cmp /etc/motd /tmp/m && echo same") == "same\n"
    assert shell.run("busybox dd if=/dev/zero bs=4096 count=4 2>/dev/null | busybox wc -c").strip() == "16384"
    assert shell.run("busybox head -n 1 /etc/motd") == host_file("/etc/motd").decode().splitlines(True)[0]


def test_making_moving_and_removing_names_in_tmp(shell):
    shell.run("cd /tmp")
    assert shell.run("busybox mkdir -p a/b/c && busybox ls a/b") == "c\n"
    assert shell.run("busybox mv a/b a/x && busybox ln -s x a/l && busybox readlink a/l") == "x\n"
    assert shell.run("busybox ls -1 a") == "l\nx\n"
    assert shell.run("busybox rmdir a/x; echo $?").endswith("1\n")  # not empty
    assert "Directory not empty" in shell.run("busybox rmdir a/x 2>&1")
    assert shell.run("busybox echo data > a/x/c/file; busybox ln a/x/c/file a/hard; busybox cat a/hard") == "data\n"
    assert shell.run("busybox stat -c %h a/hard") == "2\n"
    assert shell.run("busybox truncate -s 100 a/hard && busybox stat -c %s a/x/c/file") == "100\n"
    assert shell.run("busybox rm -r a && busybox ls") == ""


def test_touch_chmod_chown_and_times_in_tmp(shell):
    shell.run("cd /tmp")
    assert shell.run("busybox touch new && busybox chmod 640 new && busybox chown 5:6 new; echo $?") == "0\n"
    mode, uid, gid, mtime = shell.run("busybox stat -c '%a %u %g %Y' new").split()
    assert (mode, uid, gid) == ("640", "5", "6")
    assert abs(int(mtime) - time.time()) < 60  # stamped by the RTC-backed clock
    assert shell.run("busybox touch -d '2001-02-03 04:05:06' new; busybox stat -c %y new").startswith(
        "2001-02-03 04:05:06")
    # A write moves the modification time to now again.
    shell.run("echo more >> new")
    assert abs(int(shell.run("busybox stat -c %Y new")) - time.time()) < 60


def test_stat_find_and_env(shell):
    size = len(host_file("/etc/motd"))
    assert shell.run("busybox stat -c '%s %F' /etc/motd") == f"{size} regular file\n"
    found = shell.run("busybox find /etc -type f").split()
    expected = sorted("/" + os.path.relpath(os.path.join(d, f), ROOTFS_TREE)
                      for d, _, files in os.walk(os.path.join(ROOTFS_TREE, "etc")) for f in files)
    assert sorted(found) == expected
    assert "PATH=/bin" in shell.run("busybox env").splitlines()


def test_date_is_the_rtc_time(shell):
    # QEMU's RTC starts at the host's UTC time; the kernel reads it at boot.
    guest = int(shell.run("busybox date +%s"))
    assert abs(guest - time.time()) < 30, (guest, time.time())
    assert shell.run("busybox date -u +%Y") == time.strftime("%Y\n", time.gmtime())
    start = time.monotonic()
    assert shell.run("busybox sleep 1; echo slept") == "slept\n"
    assert time.monotonic() - start >= 1


def test_programs_started_at_the_same_time_run_correctly(shell):
    # Four copies of busybox loaded and running at once, each a pipeline of
    # two more: every image must be loaded whole and right (the loader once
    # shared one buffer among concurrent execs, and programs crashed at random).
    expected = hashlib.md5("".join(f"{n}\n" for n in range(1, 2001)).encode()).hexdigest()
    job = "busybox sh -c 'busybox seq 1 2000 | busybox md5sum'"
    for _ in range(5):
        output = shell.run(" & ".join([job] * 4) + "; wait; wait; wait", timeout=120)
        assert "segfault" not in output and "illegal" not in output, output
        assert [line for line in output.splitlines() if "  -" in line] == [f"{expected}  -"] * 4, output


def test_ctrl_c_ends_busybox_sleep(shell):
    shell.type("busybox sh -c 'echo ready; exec busybox sleep 100'\n")
    shell.expect(r"\r*\nready\r*\n")
    shell.type("\x03")
    shell.expect(r"# $", timeout=30)
    assert shell.run("echo $?") == "130\n"
    assert shell.run("busybox echo still here") == "still here\n"
