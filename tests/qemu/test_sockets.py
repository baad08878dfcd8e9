"""Unix-domain sockets on our kernel: /bin/sockcheck, whose every check
holds on a Linux host too (tests/user/test_sockets.py), must give the same
verdicts here -- with its server bound to a path on the root's tmpfs /tmp
and on an ext2 disk, where the socket inode must leave a clean file system.
And programs from outside: bash at start asks the name-service daemon over
a Unix socket and goes on when nobody listens; busybox applets that need a
network family (netlink, inet) fail at once with a clear message."""
import os
import shutil
import subprocess

from disk_checks import assert_fsck_clean, debugfs
from machine import BUILD

SOCKCHECK = os.path.join(BUILD, "user", "bin", "sockcheck")


def linux_verdicts(directory):
    """The check names sockcheck reports on this Linux host (all "ok")."""
    output = subprocess.run([SOCKCHECK, directory], stdout=subprocess.PIPE, timeout=120).stdout.decode()
    assert "sockcheck: 0 failed" in output, output
    return [line for line in output.splitlines() if line.startswith(("ok ", "FAIL "))]


def verdicts_of(output):
    return [line for line in output.splitlines() if line.startswith(("ok ", "FAIL "))]


def test_sockcheck_agrees_with_linux_on_tmp(make_machine, tmp_path):
    shell = make_machine(append="init=/bin/init").boot()
    output = shell.run("/bin/sockcheck /tmp", timeout=300)
    assert verdicts_of(output) == linux_verdicts(str(tmp_path)), output
    assert output.endswith("sockcheck: 0 failed\n"), output
    assert shell.run("echo $?") == "0\n"


def test_sockcheck_on_ext2_leaves_a_clean_disk(make_machine, tmp_path):
    image = str(tmp_path / "ata.img")
    shutil.copy(os.path.join(BUILD, "ata.img"), image)
    shell = make_machine(append="init=/bin/init quiet", ata_disks=[image]).boot()
    output = shell.run("/bin/sockcheck /mnt/ata", timeout=300)
    assert verdicts_of(output) == linux_verdicts(str(tmp_path)), output
    assert output.endswith("sockcheck: 0 failed\n"), output
    status, _ = shell.poweroff()
    assert status == 0
    assert_fsck_clean(image)


def test_busybox_network_applets_fail_clearly(make_machine, busybox_root):
    # No network family: each applet gets EAFNOSUPPORT from socket() and
    # says so, at once; logger finds no /dev/log and goes on quietly, as
    # glibc's syslog() does.
    shell = make_machine(append="init=/bin/init", root_image=busybox_root).boot()
    assert shell.run("busybox ip link; echo status $?") == \
        "ip: socket: Address family not supported by protocol\nstatus 2\n"
    assert shell.run("busybox nc -l -p 5; echo status $?") == \
        "nc: socket: Address family not supported by protocol\nstatus 1\n"
    output = shell.run("busybox ping -c 1 127.0.0.1; echo status $?")
    assert output.endswith("ping: can't create raw socket: Address family not supported by protocol\nstatus 1\n")
    assert shell.run("busybox logger hello; echo status $?") == "status 0\n"


def test_bash_starts_without_a_name_service_daemon(make_machine):
    # bash's getpwuid() asks nscd over a Unix socket first: connect finds
    # no /var/run/nscd/socket (ENOENT) and glibc reads /etc/passwd instead.
    shell = make_machine(append="init=/bin/init").boot()
    assert shell.run("/bin/bash --norc -c 'echo $USER-$HOME; id -u'") != ""
    assert shell.run("/bin/bash --norc -c 'echo started'") == "started\n"


def slab_kib(shell):
    for line in shell.run("cat /proc/meminfo").splitlines():
        if line.startswith("Slab:"):
            return int(line.split()[1])
    raise AssertionError("no Slab line in /proc/meminfo")


def test_sockets_and_event_files_leave_no_kernel_memory_behind(make_machine):
    # Every socket, queued message, passed file, epoll item and timer that
    # sockcheck and eventcheck make is freed again: after a first run (which
    # fills the caches), five more leave the kernel heap as it was.
    shell = make_machine(append="init=/bin/init quiet").boot()
    runs = "sockcheck /tmp > /dev/null; eventcheck > /dev/null"
    shell.run(runs, timeout=300)
    before = slab_kib(shell)
    for _ in range(5):
        shell.run(runs, timeout=300)
    assert slab_kib(shell) - before <= 16, (before, slab_kib(shell))


def test_a_socket_inode_stays_on_ext2_until_unlinked(make_machine, tmp_path):
    # bind() made the inode through the VFS's mknod: ext2 keeps it as a
    # socket (mode 0140000) after the socket is gone, as Linux leaves it;
    # e2fsck finds it sound, and unlink removes it.
    image = str(tmp_path / "ata.img")
    shutil.copy(os.path.join(BUILD, "ata.img"), image)
    shell = make_machine(append="init=/bin/init quiet", ata_disks=[image]).boot()
    assert shell.run("sockcheck --bind /mnt/ata/left.sock; echo $?") == "0\n"
    assert shell.run("sockcheck --bind /mnt/ata/gone.sock; rm /mnt/ata/gone.sock; echo $?") == "0\n"
    assert shell.run("sockcheck --bind /mnt/ata/left.sock") == \
        "sockcheck: bind /mnt/ata/left.sock: Address already in use\n"
    listing = shell.run("ls -F /mnt/ata").split()
    assert "left.sock=" in listing and "gone.sock=" not in listing, listing
    status, _ = shell.poweroff()
    assert status == 0
    assert_fsck_clean(image)
    assert "Type: socket" in debugfs(image, "stat /left.sock")
    assert "gone.sock" not in debugfs(image, "ls /")
