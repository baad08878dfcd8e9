"""ext2 on real disks: the demo disks of `make run`, mounted at boot.

/etc/rc runs `mount -a`, and /etc/fstab puts the ext2 disk on the IDE
primary master on /mnt/ata and the one on the first virtio disk on
/mnt/virtio. The demo images are made by `make` with `mke2fs -d` from
disks/ata and disks/virtio; the test boots with copies of them and checks
every file against the folder it came from.
"""
import hashlib
import os
import shutil

import pytest

from machine import BUILD, ROOT

DISKS = {"ata": os.path.join(ROOT, "disks", "ata"), "virtio": os.path.join(ROOT, "disks", "virtio")}


@pytest.fixture
def shell(make_machine, tmp_path):
    images = {}
    for name in DISKS:
        images[name] = str(tmp_path / f"{name}.img")
        shutil.copy(os.path.join(BUILD, f"{name}.img"), images[name])
    return make_machine(append="init=/bin/init quiet", ata_disks=[images["ata"]],
                        virtio_disks=[images["virtio"]]).boot()


def files_of(folder):
    for directory, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(directory, name)
            yield "/" + os.path.relpath(path, folder), path


def test_rc_mounts_both_demo_disks(shell):
    table = shell.run("mount")
    assert "/dev/hda on /mnt/ata type ext2" in table
    assert "/dev/vda on /mnt/virtio type ext2" in table


@pytest.mark.parametrize("disk", sorted(DISKS))
def test_every_file_reads_back_equal(shell, disk):
    for guest_path, host_path in files_of(DISKS[disk]):
        with open(host_path, "rb") as f:
            expected = hashlib.md5(f.read()).hexdigest()
        assert shell.run(f"md5sum /mnt/{disk}{guest_path}") == f"{expected}  /mnt/{disk}{guest_path}\n"


def test_a_disk_mounted_read_only_refuses_writes(shell):
    assert shell.run("umount /mnt/ata && mount -t ext2 -o ro /dev/hda /mnt/ata; echo $?") == "0\n"
    assert "Read-only file system" in shell.run("echo x > /mnt/ata/new")
    assert "Read-only file system" in shell.run("rm /mnt/ata/hello.txt")
    assert "Read-only file system" in shell.run("mkdir /mnt/ata/d")
    line = [entry for entry in shell.run("cat /proc/mounts").splitlines() if " /mnt/ata " in entry]
    assert len(line) == 1 and line[0].split()[3].split(",")[0] == "ro", line


def test_listing_and_copying_out(shell):
    listing = shell.run("ls /mnt/ata").split()
    assert sorted(listing) == sorted(os.listdir(DISKS["ata"]) + ["lost+found"])
    assert shell.run("cp /mnt/ata/hello.txt /tmp/ && md5sum /tmp/hello.txt").split()[0] == \
        hashlib.md5(open(os.path.join(DISKS["ata"], "hello.txt"), "rb").read()).hexdigest()


def test_mount_without_a_type_finds_ext2_quietly(shell):
    # mount probes each disk file system type with MS_SILENT: romfs saying
    # "not mine" is no console message.
    assert shell.run("umount /mnt/ata && mount /dev/hda /mnt/ata; echo $?") == "0\n"
    assert "/dev/hda on /mnt/ata type ext2 (rw)" in shell.run("mount")
    assert "romfs" not in shell.run("umount /mnt/ata && mount /dev/hda /mnt/ata")
    # Asked for one type that does not fit, the refusal still speaks.
    output = shell.run("umount /mnt/ata && mount -t romfs /dev/hda /mnt/ata")
    assert "romfs: cannot mount hda: not a romfs image" in output
