"""mount(2) and umount2(2) through the mount and umount programs.

File systems are mounted from the shell: a tmpfs with a size option, a
romfs image made by genromfs at test time on a RAM disk (the second boot
module, /dev/ram1) and on an IDE disk, with and without -t (the program
then tries each disk type /proc/filesystems lists). Errors are Linux's.
"""
import os
import subprocess

import pytest


@pytest.fixture
def romfs_image(tmp_path):
    tree = tmp_path / "tree"
    (tree / "sub").mkdir(parents=True)
    (tree / "hello.txt").write_text("hello from a mounted romfs\n")
    (tree / "sub" / "data.bin").write_bytes(bytes(range(256)) * 40)
    image = tmp_path / "extra.romfs"
    subprocess.run(["genromfs", "-f", str(image), "-d", str(tree), "-V", "extra"], check=True)
    return str(image)


def test_the_mount_table_lists_the_boot_mounts(make_machine):
    shell = make_machine(append="init=/bin/init quiet").boot()
    table = shell.run("mount").splitlines()
    assert table == ["/dev/ram0 on / type romfs (ro)", "devfs on /dev type devfs (rw)",
                     "tmpfs on /tmp type tmpfs (rw)", "proc on /proc type proc (rw)"], table


def test_tmpfs_mounted_with_a_size_and_unmounted(make_machine):
    shell = make_machine(append="init=/bin/init quiet").boot()
    assert shell.run("busybox mkdir /tmp/m && mount -t tmpfs -o size=64 scratch /tmp/m; echo $?") == "0\n"
    # (Linux would show the source word, "scratch"; mounts without a disk
    # show their type here.)
    assert "tmpfs on /tmp/m type tmpfs (rw)" in shell.run("mount")
    assert shell.run("echo kept > /tmp/m/f; cat /tmp/m/f") == "kept\n"
    assert "No space left on device" in shell.run("dd if=/dev/zero of=/tmp/m/big bs=1k count=100 2>&1")
    assert shell.run("umount /tmp/m; echo $?") == "0\n"
    assert shell.run("ls /tmp/m") == ""  # the directory underneath is back, empty


def test_romfs_from_a_ram_disk_and_an_ide_disk(make_machine, romfs_image, tmp_path):
    ide = tmp_path / "ide.img"
    with open(romfs_image, "rb") as source:
        ide.write_bytes(source.read().ljust(1 << 20, b"\0"))
    shell = make_machine(append="init=/bin/init quiet", extra_modules=[romfs_image], ata_disks=[str(ide)]).boot()
    assert shell.run("mount -t romfs -o ro /dev/ram1 /mnt/virtio; echo $?") == "0\n"
    assert shell.run("cat /mnt/virtio/hello.txt") == "hello from a mounted romfs\n"
    expected = subprocess.run(["md5sum"], input=bytes(range(256)) * 40, capture_output=True).stdout.split()[0]
    assert shell.run("md5sum /mnt/virtio/sub/data.bin").split()[0] == expected.decode()
    # Without -t: each disk file system type is tried.
    assert shell.run("mount /dev/hda /mnt/ata; echo $?") == "0\n"
    assert "/dev/hda on /mnt/ata type romfs (ro)" in shell.run("mount")
    assert shell.run("cat /mnt/ata/hello.txt") == "hello from a mounted romfs\n"
    # Busy while a program's working directory is inside.
    assert "Device or resource busy" in shell.run("cd /mnt/ata; umount /mnt/ata; cd /")
    assert shell.run("umount /mnt/ata /mnt/virtio; echo $?") == "0\n"
    assert shell.run("ls /mnt/virtio /mnt/ata") == "/mnt/ata:\n\n/mnt/virtio:\n"


def test_mount_errors_are_linux_errors(make_machine):
    shell = make_machine(append="init=/bin/init quiet").boot()
    assert shell.run("mount -t romfs /etc/motd /mnt; echo $?") == \
        "mount: /etc/motd on /mnt: Block device required\n32\n"
    assert shell.run("mount -t nosuchfs x /mnt") == "mount: x on /mnt: No such device\n"
    assert shell.run("mount -t romfs /dev/nothing /mnt") == \
        "mount: /dev/nothing on /mnt: No such file or directory\n"
    assert shell.run("mount -t tmpfs none /etc/motd") == "mount: none on /etc/motd: Not a directory\n"
    assert shell.run("umount /tmp/nowhere; echo $?") == "umount: /tmp/nowhere: No such file or directory\n32\n"
