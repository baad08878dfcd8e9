"""Large requests: `dd bs=1M` on an IDE and a virtio disk reaches the drivers
as requests of hundreds of KiB, and every byte lands where it belongs.

The block device file moves 1 MiB per step as one request per page under a
plug; the I/O scheduler merges them up to the drivers' limits (1 MiB on
virtio-blk and on ATA DMA with LBA48), counting physically adjacent memory
as one piece. /proc/diskstats gives the requests completed and the sectors
moved, hence the average request; the data is checked against the image
files on the host. The IDE disk runs once with bus-master DMA and once
with `ata=pio` (READ/WRITE MULTIPLE EXT moves the same 1 MiB requests).
"""
import hashlib
import os
import random

import pytest


MIB = 1 << 20
DISK_MIB = 12
MOVED_MIB = 4
SMALLEST_AVERAGE_KIB = 512


def make_disk(path, seed):
    data = bytearray(random.Random(seed).randbytes(DISK_MIB * MIB))
    data[510:512] = b"\0\0"  # no MBR signature: the disk has no partitions
    with open(path, "wb") as f:
        f.write(data)
    return str(path)


def diskstats(machine, device):
    """(reads, sectors read, writes, sectors written) of `device`."""
    for line in machine.run("busybox cat /proc/diskstats").splitlines():
        fields = line.split()
        if len(fields) >= 10 and fields[2] == device:
            return int(fields[3]), int(fields[5]), int(fields[7]), int(fields[9])
    raise AssertionError(f"{device} is not in /proc/diskstats")


def average_kib(requests, sectors):
    assert requests > 0
    return sectors * 512 / requests / 1024


def check_device(machine, device, image_data):
    """Reads the first MOVED_MIB and writes them back MOVED_MIB further on."""
    reads_before, read_sectors_before, _, _ = diskstats(machine, device)
    output = machine.run(f"busybox dd if=/dev/{device} of=/tmp/{device} bs=1M count={MOVED_MIB} 2>/dev/null; "
                         f"echo status $?; busybox md5sum /tmp/{device}", timeout=300)
    assert "status 0" in output, output
    assert hashlib.md5(image_data[:MOVED_MIB * MIB]).hexdigest() in output, output
    reads, read_sectors, writes_before, written_sectors_before = diskstats(machine, device)
    assert read_sectors - read_sectors_before == MOVED_MIB * MIB // 512
    read_average = average_kib(reads - reads_before, read_sectors - read_sectors_before)
    assert read_average >= SMALLEST_AVERAGE_KIB, (device, reads - reads_before, read_average)

    output = machine.run(f"busybox dd if=/tmp/{device} of=/dev/{device} bs=1M seek={MOVED_MIB} "
                         f"conv=notrunc,fsync 2>/dev/null; echo status $?", timeout=300)
    assert output.endswith("status 0\n"), output
    _, _, writes, written_sectors = diskstats(machine, device)
    assert written_sectors - written_sectors_before == MOVED_MIB * MIB // 512
    write_average = average_kib(writes - writes_before, written_sectors - written_sectors_before)
    assert write_average >= SMALLEST_AVERAGE_KIB, (device, writes - writes_before, write_average)
    machine.run(f"busybox rm /tmp/{device}")
    return read_average, write_average


@pytest.mark.parametrize("ata_mode", ["", "ata=pio"])
def test_dd_with_1_mib_blocks_makes_large_requests_on_ide_and_virtio(tmp_path, make_machine, ata_mode,
                                                                    busybox_root):
    ata = make_disk(tmp_path / "ata.img", 1)
    virtio = make_disk(tmp_path / "virtio.img", 2)
    before = {"hda": open(ata, "rb").read(), "vda": open(virtio, "rb").read()}
    machine = make_machine(append=f"init=/bin/init {ata_mode}".strip(), root_image=busybox_root, memory=128,
                           ata_disks=[ata], virtio_disks=[virtio]).boot()
    assert ("DMA (" in machine.boot_output) == (ata_mode == ""), "hda's transfer mode"
    for device in ("hda", "vda"):
        read_average, write_average = check_device(machine, device, before[device])
        print(f"{device}: average read {read_average:.0f} KiB, write {write_average:.0f} KiB")
    status, _ = machine.poweroff()
    assert status == 0
    for device, image in (("hda", ata), ("vda", virtio)):
        after = open(image, "rb").read()
        moved = before[device][:MOVED_MIB * MIB]
        assert after[MOVED_MIB * MIB:2 * MOVED_MIB * MIB] == moved, device
        # Nothing else changed.
        assert after[:MOVED_MIB * MIB] == moved, device
        assert after[2 * MOVED_MIB * MIB:] == before[device][2 * MOVED_MIB * MIB:], device
    assert os.path.getsize(ata) == DISK_MIB * MIB
