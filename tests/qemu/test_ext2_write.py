"""ext2 written by the kernel: cp and mv across mounts, trees, full disks,
durability -- judged on the host by e2fsck -fn and debugfs.

Each test boots with fresh copies of the demo disks (build/ata.img on the
IDE primary master, build/virtio.img as the first virtio disk; /etc/rc
mounts them on /mnt/ata and /mnt/virtio), works in the guest, powers off
(which syncs and unmounts) or kills QEMU, and then checks the images with
disk_checks.py: `e2fsck -fn` must report nothing at all to fix, and the
whole tree `debugfs` reads back must be the tree the host expects, file
by file (md5 sums of the host's own files: disks/, the root image's tree).
"""
import os
import re
import shutil
import subprocess

import pytest

from disk_checks import (DIRECTORY, assert_fsck_clean, file_of_image, md5, md5_of_file, subtree,
                         superblock_field, tree_made_by_mke2fs, tree_of_image)
from machine import BUILD, ROOT

DISKS = {"ata": os.path.join(ROOT, "disks", "ata"), "virtio": os.path.join(ROOT, "disks", "virtio")}
# The programs as the root image holds them: the references for copies of them.
ROOT_BIN = os.path.join(BUILD, "rootfs", "bin")
SH = md5_of_file(os.path.join(ROOT_BIN, "sh"))
HELLO = md5_of_file(os.path.join(DISKS["ata"], "hello.txt"))


def demo_tree(name):
    """The tree of a demo disk as `make` built it (mke2fs -d disks/NAME)."""
    return tree_made_by_mke2fs(DISKS[name])


@pytest.fixture
def images(tmp_path):
    copies = {}
    for name in DISKS:
        copies[name] = str(tmp_path / f"{name}.img")
        shutil.copy(os.path.join(BUILD, f"{name}.img"), copies[name])
    return copies


@pytest.fixture
def shell(make_machine, images):
    return make_machine(append="init=/bin/init quiet", memory=256, ata_disks=[images["ata"]],
                        virtio_disks=[images["virtio"]]).boot()


def assert_image_holds(image, tree):
    """The image is clean and holds exactly `tree`, byte for byte."""
    assert_fsck_clean(image)
    assert tree_of_image(image) == tree


def guest_md5(shell, path):
    output = shell.run(f"md5sum {path}")
    assert output.endswith(f"  {path}\n"), output
    return output.split()[0]


def power_off(shell):
    status, _ = shell.poweroff()
    assert status == 0


def test_cp_across_mounts_in_every_direction(shell, images):
    steps = [
        "cp /bin/sh /mnt/ata/sh",                    # romfs -> ATA ext2
        "cp /mnt/ata/sh /mnt/virtio/sh",              # ATA -> virtio
        "cp /mnt/ata/hello.txt /mnt/virtio/hello",    # ATA -> virtio
        "cp /mnt/virtio/hello /mnt/ata/hello.back",   # virtio -> ATA
        "cp /mnt/ata/hello.txt /tmp/h && cp /tmp/h /mnt/virtio/from-tmpfs",  # ext2 -> tmpfs -> ext2
        "cp /mnt/virtio/from-tmpfs /tmp/back",        # ext2 -> tmpfs
    ]
    for step in steps:
        assert shell.run(step + "; echo $?") == "0\n", step
    assert guest_md5(shell, "/mnt/ata/sh") == SH
    assert guest_md5(shell, "/mnt/virtio/sh") == SH
    for path in ["/mnt/virtio/hello", "/mnt/ata/hello.back", "/mnt/virtio/from-tmpfs", "/tmp/back"]:
        assert guest_md5(shell, path) == HELLO, path
    power_off(shell)
    assert_image_holds(images["ata"], {**demo_tree("ata"), "sh": SH, "hello.back": HELLO})
    assert_image_holds(images["virtio"], {**demo_tree("virtio"), "sh": SH, "hello": HELLO, "from-tmpfs": HELLO})


def test_mv_across_mounts_and_within(shell, images):
    assert shell.run("mv /mnt/ata/hello.txt /mnt/virtio/moved.txt; echo $?") == "0\n"
    assert shell.run("ls /mnt/ata/hello.txt") == "ls: /mnt/ata/hello.txt: No such file or directory\n"
    assert shell.run("mv /mnt/virtio/moved.txt /mnt/virtio/renamed.txt; echo $?") == "0\n"
    assert shell.run("mkdir /mnt/virtio/sub && mv /mnt/virtio/renamed.txt /mnt/virtio/sub/; echo $?") == "0\n"
    assert guest_md5(shell, "/mnt/virtio/sub/renamed.txt") == HELLO
    power_off(shell)
    ata = demo_tree("ata")
    del ata["hello.txt"]
    assert_image_holds(images["ata"], ata)
    assert_image_holds(images["virtio"], {**demo_tree("virtio"), "sub": DIRECTORY, "sub/renamed.txt": HELLO})


def test_cp_r_of_a_tree_then_rm_r(shell, images):
    assert shell.run("cp -r /mnt/ata /mnt/virtio/tree; echo $?") == "0\n"
    assert shell.run("mkdir -p /mnt/ata/a/b/c && cp -r /mnt/virtio/tree /mnt/ata/a/b/c/; echo $?") == "0\n"
    assert shell.run("cp -r /mnt/ata/a /mnt/ata/gone && rm -r /mnt/ata/gone; echo $?") == "0\n"
    power_off(shell)
    copy = {"tree": DIRECTORY, **subtree(demo_tree("ata"), "tree")}
    assert_image_holds(images["virtio"], {**demo_tree("virtio"), **copy})
    assert_image_holds(images["ata"], {**demo_tree("ata"), "a": DIRECTORY, "a/b": DIRECTORY, "a/b/c": DIRECTORY,
                                       **subtree(copy, "a/b/c")})


def test_a_large_file_reaches_indirect_blocks(shell, images):
    # 6 MiB of the virtio disk's own bytes: past the double indirect blocks at 1 KiB.
    assert shell.run("dd if=/dev/vda of=/mnt/ata/big bs=64k count=96 2>/dev/null; echo $?") == "0\n"
    with open(images["virtio"], "rb") as f:
        big = md5(f.read(96 * 65536))
    assert guest_md5(shell, "/mnt/ata/big") == big
    free_with_big = shell.run("df /mnt/ata")
    assert shell.run("rm /mnt/ata/big && cp /bin/sh /mnt/ata/small; echo $?") == "0\n"
    assert free_with_big != shell.run("df /mnt/ata")
    assert shell.run("dd if=/dev/vda of=/mnt/ata/big2 bs=64k count=96 2>/dev/null; echo $?") == "0\n"
    power_off(shell)
    assert_image_holds(images["ata"], {**demo_tree("ata"), "small": SH, "big2": big})


def test_the_write_that_fills_a_small_disk_gets_enospc_and_keeps_what_came_before(make_machine, tmp_path):
    # A 1 MiB disk (1 KiB blocks, none reserved) with a file from the host;
    # the guest adds files, then copies busybox (2 MiB) onto it in 1 KiB
    # writes: every write up to the last free block succeeds, the next one
    # -- and only a write, not open or close -- fails with ENOSPC.
    source = tmp_path / "small"
    source.mkdir()
    (source / "old.txt").write_bytes(b"made on the host\n")
    image = str(tmp_path / "small.img")
    subprocess.run(["mke2fs", "-q", "-F", "-t", "ext2", "-b", "1024", "-m", "0", "-N", "64", "-d", str(source),
                    image, "1M"], check=True, capture_output=True)
    shell = make_machine(append="init=/bin/init quiet", ata_disks=[image]).boot()
    assert shell.run("cp /bin/cat /mnt/ata/cat && echo kept > /mnt/ata/kept.txt && mkdir /mnt/ata/dir && "
                     "cp /bin/cat /mnt/ata/spare; echo $?") == "0\n"
    lines = shell.run("dd if=/bin/busybox of=/mnt/ata/fill bs=1k; echo status $?").splitlines()
    assert lines[0] == "dd: error writing '/mnt/ata/fill': No space left on device", lines
    records_in, records_out = re.fullmatch(r"(\d+)\+0 records in", lines[1]), re.fullmatch(r"(\d+)\+0 records out",
                                                                                           lines[2])
    assert records_in and records_out, lines
    written = int(records_out.group(1))
    assert int(records_in.group(1)) == written + 1 and lines[-1] == "status 1", lines
    # The write failed because the disk was full: not one block is left.
    assert shell.run("sync; echo $?") == "0\n"
    assert superblock_field(image, "Free blocks") == "0"
    assert shell.run("echo more > /mnt/ata/more.txt; echo status $?") == \
        "sh: echo: write error: No space left on device\nstatus 1\n"
    # Room again: a write succeeds.
    assert shell.run("rm /mnt/ata/spare; echo more > /mnt/ata/more.txt; cat /mnt/ata/more.txt") == "more\n"
    power_off(shell)
    with open(os.path.join(ROOT_BIN, "busybox"), "rb") as f:
        busybox_start = f.read(written * 1024)
    assert_image_holds(image, {**tree_made_by_mke2fs(str(source)), "cat": md5_of_file(os.path.join(ROOT_BIN, "cat")), "kept.txt": md5(b"kept\n"),
                               "dir": DIRECTORY, "fill": md5(busybox_start), "more.txt": md5(b"more\n")})


def test_what_sync_wrote_survives_killing_the_machine(shell, images):
    assert shell.run("cp /bin/sh /mnt/virtio/durable && mkdir /mnt/virtio/dir && sync; echo $?") == "0\n"
    shell.cut_power()  # SIGKILL: no poweroff, no unmount, no flush by QEMU
    assert superblock_field(images["virtio"], "Filesystem state") == "not clean"
    # The "not cleanly unmounted" state alone is no error for e2fsck -f.
    assert_image_holds(images["virtio"], {**demo_tree("virtio"), "durable": SH, "dir": DIRECTORY})


def test_busybox_tools_on_ext2(shell, images):
    assert shell.run("/bin/busybox mkdir -p /mnt/virtio/bb/x/y; echo $?") == "0\n"
    assert shell.run("/bin/busybox cp -r /mnt/ata /mnt/virtio/bb/x/y/copy; echo $?") == "0\n"
    assert shell.run("/bin/busybox cp -r /mnt/virtio/bb /mnt/virtio/bb2 && /bin/busybox rm -r /mnt/virtio/bb2;"
                     " echo $?") == "0\n"
    power_off(shell)
    assert_image_holds(images["virtio"], {**demo_tree("virtio"), "bb": DIRECTORY, "bb/x": DIRECTORY,
                                          "bb/x/y": DIRECTORY, "bb/x/y/copy": DIRECTORY,
                                          **subtree(demo_tree("ata"), "bb/x/y/copy")})


def test_mounted_disks_say_in_use_and_poweroff_leaves_them_clean(shell, images):
    mounts_before = int(superblock_field(os.path.join(BUILD, "ata.img"), "Mount count"))
    assert shell.run("sync; echo $?") == "0\n"
    assert superblock_field(images["ata"], "Filesystem state") == "not clean"
    power_off(shell)
    for name, image in images.items():
        assert superblock_field(image, "Filesystem state") == "clean"
        assert_image_holds(image, demo_tree(name))
    assert int(superblock_field(images["ata"], "Mount count")) == mounts_before + 1


def test_remount_read_only_and_back(shell, images):
    assert shell.run("echo one > /mnt/ata/one.txt; mount -o remount,ro /mnt/ata; echo $?") == "0\n"
    assert shell.run("echo two > /mnt/ata/two.txt") == "sh: /mnt/ata/two.txt: Read-only file system\n"
    # Read-only again on disk: clean, with every byte written.
    assert superblock_field(images["ata"], "Filesystem state") == "clean"
    assert_image_holds(images["ata"], {**demo_tree("ata"), "one.txt": md5(b"one\n")})
    assert shell.run("mount -o remount,rw /mnt/ata; echo two > /mnt/ata/two.txt; cat /mnt/ata/two.txt") == "two\n"
    power_off(shell)
    assert_image_holds(images["ata"], {**demo_tree("ata"), "one.txt": md5(b"one\n"), "two.txt": md5(b"two\n")})
    assert file_of_image(images["ata"], "/two.txt") == b"two\n"


def meminfo_kib(shell):
    fields = {}
    for line in shell.run("cat /proc/meminfo").splitlines():
        name, _, rest = line.partition(":")
        if rest.split():
            fields[name] = int(rest.split()[0])
    return fields


def test_cached_file_data_gives_way_to_programs(make_machine, tmp_path):
    """A 48 MiB file read fills the page cache of a 128 MiB machine; a
    program then takes more than the free memory: it gets it, because clean
    pages are reclaimed, and the file still reads right afterwards."""
    source = tmp_path / "src"
    source.mkdir()
    payload = os.urandom(1 << 20) * 48
    (source / "big.bin").write_bytes(payload)
    image = str(tmp_path / "big.img")
    subprocess.run(["mke2fs", "-q", "-F", "-t", "ext2", "-b", "4096", "-d", str(source), image, "64M"],
                   check=True, capture_output=True)
    shell = make_machine(append="init=/bin/init quiet", memory=128, ata_disks=[image]).boot()
    assert guest_md5(shell, "/mnt/ata/big.bin") == md5(payload)
    memory = meminfo_kib(shell)
    assert memory["Cached"] >= 40 * 1024, memory
    wanted_mib = (memory["MemFree"] + memory["Cached"] // 2) // 1024
    assert wanted_mib * 1024 > memory["MemFree"] + 16 * 1024, memory  # more than is free
    assert f"memhog: wrote {wanted_mib} MiB" in shell.run(f"memhog {wanted_mib}", timeout=300)
    assert meminfo_kib(shell)["Cached"] < memory["Cached"]
    assert guest_md5(shell, "/mnt/ata/big.bin") == md5(payload)  # read again from the disk
    power_off(shell)
    assert_image_holds(image, {"big.bin": md5(payload), "lost+found": DIRECTORY})
