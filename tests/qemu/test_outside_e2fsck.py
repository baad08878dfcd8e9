"""Debian's e2fsck.static -fn run in the guest on ext2 disks made on the
host: it must say what the host's `e2fsck -fn` says of the same image.

e2fsck is a real program we did not write (static glibc, i386, package
e2fsck-static; tools/fetch-debian-program puts it into the root image as
/sbin/e2fsck.static). Checking a disk, it asks the block layer for the
device's size (BLKGETSIZE64), reads every group's metadata with pread64,
and reads /proc/mounts. Glibc's sysconf(_SC_NPROCESSORS_CONF) finds one
CPU on this kernel, so libext2fs reads the bitmaps in one thread: no
clone3 or futex is needed (a host with more CPUs starts threads).

The disks: a tree that spans several groups, made by `mke2fs -d` with 1 KiB
blocks (2,048 a group: 8 groups) and 4 KiB blocks (1,024 a group: 6
groups); clean, and damaged by `debugfs -w`: a file's or a directory's
inode cleared, a block or inode bitmap bit flipped either way. All of them
ride on one machine, as virtio disks vda, vdb, ...; the machine starts
/bin/sh alone, so nothing mounts them. For each, the guest's exit status,
problem lines and summary line ("N/M files (x% non-contiguous), A/B
blocks") must equal the host's, the device's name standing for the
image's.

    /usr/bin/python3 -m pytest -q tests/qemu/test_outside_e2fsck.py
"""
import os
import re
import subprocess

import pytest

from machine import BUILD

E2FSCK_STATIC = os.path.join(BUILD, "rootfs", "sbin", "e2fsck.static")
LAYOUTS = {
    # name: mke2fs's options, size
    "1k": (["-b", "1024", "-g", "2048"], "16M"),
    "4k": (["-b", "4096", "-g", "1024"], "24M"),
}
DISKS = [
    # (layout, damage: debugfs -w requests, or none)
    ("1k", []),
    ("1k", ["clri /a/f7"]),
    ("1k", ["freeb 3000"]),
    ("1k", ["freei /c/s9"]),
    ("4k", []),
    ("4k", ["clri /a/b"]),
    ("4k", ["setb 5000"]),
    ("4k", ["clri /big", "freeb 600 4"]),
]
STATUS = re.compile(r"^status (\d+)$", re.M)


def make_tree(folder):
    """Files of many sizes in a few directories, a file of 1 MB, symlinks
    short and long, a hard link: enough to fill several groups."""
    for directory in ["a/b/deep", "c"]:
        os.makedirs(os.path.join(folder, directory))
    for i in range(1, 121):
        with open(os.path.join(folder, "a", f"f{i}"), "wb") as f:
            f.write(bytes((i * j) % 251 for j in range((i * i * 37) % 60000)))
    for i in range(1, 61):
        with open(os.path.join(folder, "c", f"s{i}"), "w") as f:
            f.write(f"{i}\n")
    with open(os.path.join(folder, "big"), "wb") as f:
        f.write(bytes(j % 253 for j in range(1000000)))
    os.symlink("a/f1", os.path.join(folder, "fast"))
    os.symlink("x" * 100, os.path.join(folder, "slow"))
    os.link(os.path.join(folder, "a", "f2"), os.path.join(folder, "b_hard"))


def make_disk(folder, tree, index, layout, damage):
    options, size = LAYOUTS[layout]
    image = os.path.join(folder, f"disk{index}-{layout}.img")
    subprocess.run(["mke2fs", "-q", "-F", "-t", "ext2", *options, "-E", "root_owner=0:0", "-d", tree,
                    image, size], check=True, capture_output=True)
    for request in damage:
        subprocess.run(["debugfs", "-w", "-R", request, image], check=True, capture_output=True)
    return image


def host_e2fsck(image, device):
    """(status, stdout lines) of the host's e2fsck -fn, with `device` for the image's path."""
    result = subprocess.run(["e2fsck", "-fn", image], capture_output=True, text=True)
    return result.returncode, result.stdout.replace(image, device).splitlines()


def guest_e2fsck(shell, device):
    """(status, stdout lines) of e2fsck.static -fn in the guest; its stderr
    must hold the version line alone."""
    output = shell.run(f"/sbin/e2fsck.static -fn {device} 2>/tmp/err; echo status $?; cat /tmp/err",
                       timeout=300)
    status = STATUS.search(output)
    assert status, output
    stdout, stderr = output[:status.start()], output[status.end() + 1:]
    assert re.fullmatch(r"e2fsck \d+\.\d+\.\d+ \(.*\)\n", stderr), output
    return int(status.group(1)), stdout.splitlines()


@pytest.fixture(scope="module")
def disks(tmp_path_factory):
    folder = tmp_path_factory.mktemp("e2fsck-disks")
    tree = str(folder / "tree")
    make_tree(tree)
    return [make_disk(str(folder), tree, index, layout, damage)
            for index, (layout, damage) in enumerate(DISKS)]


def test_the_disks_have_several_groups_and_the_damage_shows(disks):
    for image, (layout, damage) in zip(disks, DISKS):
        groups = subprocess.run(["dumpe2fs", image], capture_output=True, text=True).stdout.count("\nGroup ")
        assert groups >= 4, (image, groups)
        status, _ = host_e2fsck(image, "/dev/vdx")
        assert (status == 0) == (damage == []), (image, status)


def test_e2fsck_static_in_the_guest_agrees_with_the_host(make_machine, disks):
    if not os.path.exists(E2FSCK_STATIC):
        pytest.fail("the root image has no /sbin/e2fsck.static: see tools/fetch-debian-program")
    shell = make_machine(append="init=/bin/sh", virtio_disks=[disk + ":ro" for disk in disks]).boot()
    shell.run("mount -t tmpfs tmpfs /tmp; mount -t proc proc /proc")
    for index, image in enumerate(disks):
        device = "/dev/vd" + "abcdefgh"[index]
        assert guest_e2fsck(shell, device) == host_e2fsck(image, device), (image, DISKS[index])
    status, rest = shell.poweroff()
    assert status == 0, rest
