"""ext2 written by the kernel: cp and mv across mounts, trees, full disks,
durability -- judged on the host by e2fsck -fn and debugfs.

Each test boots with fresh copies of the demo disks (build/ata.img on the
IDE primary master, build/virtio.img as the first virtio disk; /etc/rc
mounts them on /mnt/ata and /mnt/virtio), works in the guest, powers off
(which syncs and unmounts) or kills QEMU, and then checks the images:
`e2fsck -fn` must find nothing to fix, and `debugfs` must read back the
bytes that were written. md5sum in the guest is compared with the host's.
"""
import hashlib
import os
import shutil
import subprocess

import pytest

from machine import BUILD, ROOT

DISKS = {"ata": os.path.join(ROOT, "disks", "ata"), "virtio": os.path.join(ROOT, "disks", "virtio")}


def md5(data):
    return hashlib.md5(data).hexdigest()


def md5_of_file(path):
    with open(path, "rb") as f:
        return md5(f.read())


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


def fsck_clean(image):
    result = subprocess.run(["e2fsck", "-fn", image], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def debugfs_dump(image, path, tmp_path):
    out = tmp_path / "dumped"
    if out.exists():
        out.unlink()
    subprocess.run(["debugfs", "-R", f"dump -p {path} {out}", image], capture_output=True, check=True)
    assert out.exists(), f"{path} is not on {image}"
    return out.read_bytes()


def debugfs_names(image, path):
    result = subprocess.run(["debugfs", "-R", f"ls -p {path}", image], capture_output=True, text=True, check=True)
    names = []
    for line in result.stdout.splitlines():
        fields = line.split("/")
        if len(fields) >= 6 and fields[5] not in (".", ".."):
            names.append(fields[5])
    return sorted(names)


def guest_md5(shell, path):
    return shell.run(f"md5sum {path}").split()[0]


def power_off(shell):
    status, _ = shell.poweroff()
    assert status == 0


def test_cp_across_mounts_in_every_direction(shell, images, tmp_path):
    romfs_sh = guest_md5(shell, "/bin/sh")
    hello = md5_of_file(os.path.join(DISKS["ata"], "hello.txt"))
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
    assert guest_md5(shell, "/mnt/ata/sh") == romfs_sh
    assert guest_md5(shell, "/mnt/virtio/sh") == romfs_sh
    for path in ["/mnt/virtio/hello", "/mnt/ata/hello.back", "/mnt/virtio/from-tmpfs", "/tmp/back"]:
        assert guest_md5(shell, path) == hello, path
    power_off(shell)
    for image in images.values():
        fsck_clean(image)
    sh_bytes = debugfs_dump(images["ata"], "/sh", tmp_path)
    assert md5(sh_bytes) == romfs_sh
    assert md5(debugfs_dump(images["virtio"], "/sh", tmp_path)) == romfs_sh
    assert md5(debugfs_dump(images["ata"], "/hello.back", tmp_path)) == hello
    assert md5(debugfs_dump(images["virtio"], "/from-tmpfs", tmp_path)) == hello


def test_mv_across_mounts_and_within(shell, images, tmp_path):
    hello = md5_of_file(os.path.join(DISKS["ata"], "hello.txt"))
    assert shell.run("mv /mnt/ata/hello.txt /mnt/virtio/moved.txt; echo $?") == "0\n"
    assert "No such file" in shell.run("ls /mnt/ata/hello.txt")
    assert shell.run("mv /mnt/virtio/moved.txt /mnt/virtio/renamed.txt; echo $?") == "0\n"
    assert shell.run("mkdir /mnt/virtio/sub && mv /mnt/virtio/renamed.txt /mnt/virtio/sub/; echo $?") == "0\n"
    assert guest_md5(shell, "/mnt/virtio/sub/renamed.txt") == hello
    power_off(shell)
    fsck_clean(images["ata"])
    fsck_clean(images["virtio"])
    assert "hello.txt" not in debugfs_names(images["ata"], "/")
    assert md5(debugfs_dump(images["virtio"], "/sub/renamed.txt", tmp_path)) == hello


def test_cp_r_of_a_tree_then_rm_r(shell, images, tmp_path):
    assert shell.run("cp -r /mnt/ata /mnt/virtio/tree; echo $?") == "0\n"
    assert shell.run("mkdir -p /mnt/ata/a/b/c && cp -r /mnt/virtio/tree /mnt/ata/a/b/c/; echo $?") == "0\n"
    assert shell.run("cp -r /mnt/ata/a /mnt/ata/gone && rm -r /mnt/ata/gone; echo $?") == "0\n"
    power_off(shell)
    fsck_clean(images["ata"])
    fsck_clean(images["virtio"])
    for directory, _, names in os.walk(DISKS["ata"]):
        relative = os.path.relpath(directory, DISKS["ata"])
        for name in names:
            inside = "/" if relative == "." else f"/{relative}/"
            expected = md5_of_file(os.path.join(directory, name))
            assert md5(debugfs_dump(images["virtio"], f"/tree{inside}{name}", tmp_path)) == expected
            assert md5(debugfs_dump(images["ata"], f"/a/b/c/tree{inside}{name}", tmp_path)) == expected
    assert "gone" not in debugfs_names(images["ata"], "/")


def test_a_large_file_reaches_indirect_blocks(shell, images, tmp_path):
    # 6 MiB of the virtio disk's own bytes: past the double indirect blocks at 1 KiB.
    assert shell.run("dd if=/dev/vda of=/mnt/ata/big bs=64k count=96 2>/dev/null; echo $?") == "0\n"
    with open(images["virtio"], "rb") as f:
        big = md5(f.read(96 * 65536))
    assert guest_md5(shell, "/mnt/ata/big") == big
    free_with_big = shell.run("df /mnt/ata")
    assert shell.run("rm /mnt/ata/big && cp /bin/sh /mnt/ata/small; echo $?") == "0\n"
    assert free_with_big != shell.run("df /mnt/ata")
    assert shell.run("dd if=/dev/vda of=/mnt/ata/big2 bs=64k count=96 2>/dev/null; echo $?") == "0\n"
    romfs_sh = guest_md5(shell, "/bin/sh")
    power_off(shell)
    fsck_clean(images["ata"])
    assert md5(debugfs_dump(images["ata"], "/small", tmp_path)) == romfs_sh
    assert md5(debugfs_dump(images["ata"], "/big2", tmp_path)) == big


def test_a_full_disk_says_enospc_and_stays_consistent(shell, images, tmp_path):
    output = shell.run("dd if=/dev/zero of=/mnt/ata/fill bs=64k")
    assert "No space left on device" in output
    assert shell.run("echo more > /mnt/ata/more.txt; echo $?") != "0\n"
    assert shell.run("rm /mnt/ata/fill; echo $?") == "0\n"
    assert shell.run("echo more > /mnt/ata/more.txt; cat /mnt/ata/more.txt") == "more\n"
    power_off(shell)
    fsck_clean(images["ata"])
    assert debugfs_dump(images["ata"], "/more.txt", tmp_path) == b"more\n"


def test_what_sync_wrote_survives_killing_the_machine(shell, images, tmp_path):
    romfs_sh = guest_md5(shell, "/bin/sh")
    assert shell.run("cp /bin/sh /mnt/virtio/durable && mkdir /mnt/virtio/dir && sync; echo $?") == "0\n"
    shell.close()  # no poweroff: the power is cut
    fsck_clean(images["virtio"])  # the "not cleanly unmounted" state alone is no error
    assert md5(debugfs_dump(images["virtio"], "/durable", tmp_path)) == romfs_sh
    assert "dir" in debugfs_names(images["virtio"], "/")


def test_busybox_tools_on_ext2(shell, images, tmp_path):
    if "not found" in shell.run("/bin/busybox true") or "No such file" in shell.run("ls /bin/busybox"):
        pytest.skip("busybox is not in the root image (tools/fetch-busybox could not fetch it)")
    assert shell.run("/bin/busybox mkdir -p /mnt/virtio/bb/x/y; echo $?") == "0\n"
    assert shell.run("/bin/busybox cp -r /mnt/ata /mnt/virtio/bb/x/y/copy; echo $?") == "0\n"
    assert shell.run("/bin/busybox cp -r /mnt/virtio/bb /mnt/virtio/bb2 && /bin/busybox rm -r /mnt/virtio/bb2;"
                     " echo $?") == "0\n"
    power_off(shell)
    fsck_clean(images["virtio"])
    hello = md5_of_file(os.path.join(DISKS["ata"], "hello.txt"))
    assert md5(debugfs_dump(images["virtio"], "/bb/x/y/copy/hello.txt", tmp_path)) == hello
    assert "bb2" not in debugfs_names(images["virtio"], "/")


def superblock_field(image, name):
    result = subprocess.run(["dumpe2fs", "-h", image], capture_output=True, text=True, check=True)
    for line in result.stdout.splitlines():
        if line.startswith(name + ":"):
            return line.split(":", 1)[1].strip()
    raise AssertionError(f"{name} not in dumpe2fs -h")


def test_mounted_disks_say_in_use_and_poweroff_leaves_them_clean(shell, images):
    mounts_before = int(superblock_field(os.path.join(BUILD, "ata.img"), "Mount count"))
    assert shell.run("sync; echo $?") == "0\n"
    assert superblock_field(images["ata"], "Filesystem state") == "not clean"
    power_off(shell)
    for image in images.values():
        assert superblock_field(image, "Filesystem state") == "clean"
        fsck_clean(image)
    assert int(superblock_field(images["ata"], "Mount count")) == mounts_before + 1


def test_remount_read_only_and_back(shell, images, tmp_path):
    assert shell.run("echo one > /mnt/ata/one.txt; mount -o remount,ro /mnt/ata; echo $?") == "0\n"
    assert "Read-only file system" in shell.run("echo two > /mnt/ata/two.txt")
    # Read-only again on disk: clean, with every byte written.
    assert superblock_field(images["ata"], "Filesystem state") == "clean"
    fsck_clean(images["ata"])
    assert debugfs_dump(images["ata"], "/one.txt", tmp_path) == b"one\n"
    assert shell.run("mount -o remount,rw /mnt/ata; echo two > /mnt/ata/two.txt; cat /mnt/ata/two.txt") == "two\n"
    power_off(shell)
    fsck_clean(images["ata"])
    assert debugfs_dump(images["ata"], "/two.txt", tmp_path) == b"two\n"


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
    fsck_clean(image)
