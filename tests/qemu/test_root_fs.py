"""The read path on the real machine: romfs on /dev/ram0 as /, devfs on /dev,
a second boot module mounted by hand, and errors reported, never fatal."""
import os
import re
import subprocess

import pytest

from machine import ROOT

MOTD = open(os.path.join(ROOT, "user", "rootfs", "etc", "motd")).read()


def make_romfs(directory, files, volume="extra"):
    """A genromfs image of `files` ({relative path: bytes}); returns its path."""
    tree = os.path.join(directory, "tree")
    for name, data in files.items():
        path = os.path.join(tree, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    image = os.path.join(directory, f"{volume}.romfs")
    subprocess.run(["genromfs", "-f", image, "-d", tree, "-V", volume], check=True)
    return image


def test_boot_mounts_romfs_on_root_and_devfs_on_dev(machine):
    assert "mounted romfs from ram0 on /" in machine.boot_output
    output = machine.run("mount")
    assert "ram0 on / type romfs (ro)" in output
    assert re.search(r"^\S+ on /dev type devfs \(rw\)$", output, re.M), output
    assert re.search(r"^\S+ on /tmp type tmpfs \(rw\)$", output, re.M), output


def test_ls_l_root_lists_the_run_contract_directories(machine):
    output = machine.run("ls -l /")
    names = re.findall(r"^d[rwx-]{9}\s+\d+\s+\d+\s+\d+\s+\d+ (\S+)$", output, re.M)
    assert names == ["bin", "dev", "etc", "mnt", "proc", "sbin", "tmp", "usr"], output
    assert machine.run("ls /mnt").split() == ["a", "ata", "b", "hdb", "hdc", "hdd", "vdb", "vdc", "vdd", "virtio"]


def test_cat_motd_prints_the_file_from_the_image(machine):
    assert machine.run("cat /etc/motd") == MOTD


def test_cold_read_goes_through_the_ram_disk(machine):
    machine.run("dropcaches")
    before = re.search(r"ram0 .* reads (\d+)", machine.run("disks")).group(1)
    assert machine.run("cat /etc/motd") == MOTD
    after = re.search(r"ram0 .* reads (\d+)", machine.run("disks")).group(1)
    assert int(after) > int(before)
    # Warm: the buffer cache answers, the disk sees nothing new.
    machine.run("cat /etc/motd")
    again = re.search(r"ram0 .* reads (\d+)", machine.run("disks")).group(1)
    assert again == after


def test_stat_reports_type_size_and_mode(machine):
    output = machine.run("stat /etc/motd")
    assert f"Size: {len(MOTD)}" in output
    assert "regular file" in output
    assert "Access: (0644/-rw-r--r--)" in output
    assert "directory" in machine.run("stat /etc")


def test_dev_lists_devices_with_their_types(machine):
    output = machine.run("ls -l /dev")
    assert re.search(r"^crw------- .*\s5,\s+1 console$", output, re.M), output
    assert re.search(r"^crw-rw-rw- .*\s1,\s+3 null$", output, re.M), output
    assert re.search(r"^crw-rw-rw- .*\s1,\s+5 zero$", output, re.M), output
    assert re.search(r"^brw-rw---- .*\s1,\s+0 ram0$", output, re.M), output


def test_errors_are_reported_and_the_kernel_carries_on(machine):
    assert machine.run("cat /nope") == "cat: /nope: No such file or directory\n"
    assert machine.run("ls /etc/motd/x") == "ls: /etc/motd/x: Not a directory\n"
    assert "no such block device" in machine.run("mount -t romfs /dev/ram9 /mnt")
    assert "Device or resource busy" in machine.run("mount -t romfs /dev/ram0 /mnt")
    assert "Invalid argument" in machine.run("umount /etc")
    assert "Device or resource busy" in machine.run("umount /")
    assert machine.run("cat /etc/motd") == MOTD


def test_second_module_mounts_as_ram1(make_machine, tmp_path):
    files = {"hello.txt": b"hello from the second module\n",
             "sub/data.bin": bytes(range(256)) * 40,
             "sub/empty": b""}
    image = make_romfs(str(tmp_path), files)
    machine = make_machine(extra_modules=[image]).boot()
    assert "ram1" in machine.run("ls /dev").split()
    output = machine.run("mount -t romfs /dev/ram1 /mnt")
    assert 'romfs (ram1): volume "extra"' in output and "failed" not in output, output
    assert "ram1 on /mnt type romfs (ro)" in machine.run("mount")
    assert machine.run("ls /mnt").split() == ["hello.txt", "sub"]
    assert machine.run("cat /mnt/hello.txt") == files["hello.txt"].decode()
    output = machine.run("ls -l /mnt/sub")
    assert re.search(r"^-rw-r--r-- .*\s10240 data.bin$", output, re.M), output
    assert re.search(r"^-rw-r--r-- .*\s0 empty$", output, re.M), output
    assert machine.run("umount /mnt") == ""
    # The mount point shows the root file system's empty /mnt/ata again.
    assert machine.run("ls /mnt").split() == ["a", "ata", "b", "hdb", "hdc", "hdd", "vdb", "vdc", "vdd", "virtio"]


def test_corrupt_module_is_refused_without_harm(make_machine, tmp_path):
    image = make_romfs(str(tmp_path), {"a.txt": b"a\n"})
    data = bytearray(open(image, "rb").read())
    data[8:12] = b"\xff\xff\xff\xff"  # the superblock's full size: far beyond the image
    open(image, "wb").write(bytes(data))
    machine = make_machine(extra_modules=[image]).boot()
    output = machine.run("mount -t romfs /dev/ram1 /mnt")
    assert "romfs (ram1): the full size at offset 8 is 4294967295 bytes" in output, output
    assert "mount: mounting /dev/ram1 on /mnt failed: Input/output error" in output
    assert "ram1" not in machine.run("mount")
    assert machine.run("cat /etc/motd") == MOTD
