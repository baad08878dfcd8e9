"""Every kind of disk at once, under every I/O scheduler.

Two IDE disks on the two channels (hda, hdc) and two virtio-blk disks (vda,
vdb), each made here with a pattern that names its disk and sector, one of
them partitioned by sfdisk. Under noop, elevator and deadline (chosen with
`iosched=`), our own `dd` and `md5sum` read every disk and partition at
offsets and sizes that cross the drivers' edges, several readers run at
once, and writes land where they should -- checked in the images on the
host after `poweroff`.
"""
import hashlib
import os
import shutil
import struct
import subprocess

import pytest

SECTOR = 512
SECTORS = 8192  # 4 MiB each
DISKS = {"hda": 0xA1, "hdc": 0xC3, "vda": 0x7A, "vdb": 0x7B}
# (skip, count) in sectors: one sector, odd counts, 64 KiB and 1 MiB pieces
# that cross 64 KiB boundaries, and the last sector.
READS = [(0, 1), (1, 7), (127, 3), (120, 129), (255, 2048), (SECTORS - 1, 1)]
PARTITIONS = "start=2048, size=2048, type=83\nstart=4096, size=4096, type=83\n"


def make_image(path, tag):
    with open(path, "wb") as f:
        for number in range(SECTORS):
            f.write((struct.pack("<IB", number, tag) * 103)[:SECTOR])
    return str(path)


def md5_of(path, offset, length):
    with open(path, "rb") as f:
        f.seek(offset)
        return hashlib.md5(f.read(length)).hexdigest()


@pytest.fixture
def images(tmp_path):
    made = {name: make_image(tmp_path / f"{name}.img", tag) for name, tag in DISKS.items()}
    if not shutil.which("sfdisk"):
        pytest.fail("sfdisk (util-linux's fdisk package) is needed: run tools/install-deps")
    # The partition table overwrites sector 0 of hdc; the rest keeps its pattern.
    subprocess.run(["sfdisk", "-q", made["hdc"]], input=PARTITIONS, text=True, check=True)
    return made


@pytest.mark.parametrize("scheduler", ["noop", "elevator", "deadline"])
def test_every_disk_at_once(make_machine, images, scheduler):
    shell = make_machine(append=f"init=/bin/init iosched={scheduler}",
                         ata_disks=[images["hda"], None, images["hdc"]],
                         virtio_disks=[images["vda"], images["vdb"]]).boot()
    for name in DISKS:
        assert f"[{scheduler}]" in shell.run(f"iosched /dev/{name}")
    listing = shell.run("ls /dev").split()
    disks = sorted(name for name in listing if name.startswith(("hd", "vd")))
    assert disks == ["hda", "hdc", "hdc1", "hdc2", "vda", "vdb"], listing
    # hdc's partitions are exactly the ones sfdisk wrote.
    assert "hdc1: partition of hdc, type 0x83, sectors 2048-4095 (1024 KiB)" in shell.boot_output
    assert "hdc2: partition of hdc, type 0x83, sectors 4096-8191 (2048 KiB)" in shell.boot_output
    for name, image in images.items():
        for skip, count in READS:
            got = shell.run(f"dd if=/dev/{name} bs=512 skip={skip} count={count} status=none | md5sum")
            assert got == f"{md5_of(image, skip * SECTOR, count * SECTOR)}  -\n", (name, skip, count)
    # A partition reads as its own range of the disk, and ends where it ends.
    assert shell.run("dd if=/dev/hdc2 bs=64k status=none | md5sum") == \
        f"{md5_of(images['hdc'], 4096 * SECTOR, 4096 * SECTOR)}  -\n"
    # Four readers, one per disk, at the same time.
    jobs = " & ".join(f"dd if=/dev/{name} bs=16k status=none | md5sum > /tmp/{name}.md5" for name in DISKS)
    shell.run(f"{jobs}; wait; wait; wait; wait", timeout=120)
    for name, image in images.items():
        assert shell.run(f"cat /tmp/{name}.md5") == f"{md5_of(image, 0, SECTORS * SECTOR)}  -\n", name
    # Writes at offsets on every disk, then the images are read on the host.
    for index, name in enumerate(DISKS):
        text = f"written to {name} under {scheduler}"
        shell.run(f"echo '{text}' > /tmp/w; dd if=/tmp/w of=/dev/{name} bs=512 seek={1000 + index} "
                  f"conv=notrunc,sync status=none")
    shell.type("poweroff\n")
    status, _ = shell.wait_exit(timeout=60)
    assert status == 0
    for index, (name, image) in enumerate(images.items()):
        with open(image, "rb") as f:
            f.seek((1000 + index) * SECTOR)
            block = f.read(SECTOR)
        text = f"written to {name} under {scheduler}\n".encode()
        assert block == text + bytes(SECTOR - len(text)), name
