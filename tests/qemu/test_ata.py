"""The ATA driver (drivers/ata/) on QEMU's PIIX3 IDE controller.

Disk images are made here with a known pattern: every 512-byte sector holds
its own number and a byte naming its disk, so a sector read from the wrong
place, the wrong disk or in the wrong order changes the checksum. The shell
reads them with busybox dd at offsets and sizes that exercise the driver's
edges (one sector, odd counts, 64 KiB boundaries of the PRD rule, 1 MiB
requests, the last sector) and the host compares md5 sums; writes go through
/dev/hdX and are checked in the image after QEMU has exited. Everything runs
twice: with bus-master DMA (the default) and with `ata=pio`.
"""
import hashlib
import os
import re
import struct
import subprocess

import pytest

SECTOR = 512
# place -> (tag byte, sectors). Places 0 and 1 share the primary channel
# (master and slave); place 2 is the secondary master.
DISKS = {"hda": (0xA1, 16384), "hdb": (0xB2, 4096), "hdc": (0xC3, 8192)}
MODES = {"dma": "", "pio": "ata=pio"}


def sector_bytes(tag, number):
    return (struct.pack("<IB", number, tag) * 103)[:SECTOR]


def make_image(path, tag, sectors):
    with open(path, "wb") as f:
        for number in range(sectors):
            f.write(sector_bytes(tag, number))
    return str(path)


@pytest.fixture
def images(tmp_path):
    return {name: make_image(tmp_path / f"{name}.img", tag, sectors) for name, (tag, sectors) in DISKS.items()}


@pytest.fixture(params=sorted(MODES))
def mode(request):
    return request.param


@pytest.fixture
def shell(make_machine, images, mode):
    append = ("init=/bin/init " + MODES[mode]).strip()
    return make_machine(append=append, ata_disks=[images["hda"], images["hdb"], images["hdc"]]).boot()


def md5_of(path, offset, length):
    with open(path, "rb") as f:
        f.seek(offset)
        return hashlib.md5(f.read(length)).hexdigest()


# Reads go to a tmpfs file, then md5sum (or wc -c) reads that: dd must end
# with status 0 and the summary be the only other line, so a crashed or
# failing program fails the test.
def guest_read(shell, device, block, skip, count, summary="md5sum"):
    output = shell.run(f"busybox dd if=/dev/{device} of=/tmp/read bs={block} skip={skip} count={count} 2>/dev/null;"
                       f" echo dd $?; busybox {summary} /tmp/read", timeout=120)
    lines = output.splitlines()
    assert len(lines) == 2 and lines[0] == "dd 0" and lines[1].split()[1:] == ["/tmp/read"], output
    return lines[1].split()[0]


def guest_md5(shell, device, block, skip, count):
    return guest_read(shell, device, block, skip, count)


def diskstats(shell, device):
    for line in shell.run("cat /proc/diskstats").splitlines():
        fields = line.split()
        if len(fields) > 3 and fields[2] == device:
            return [int(value) for value in fields[3:]]
    raise AssertionError(f"{device} not in /proc/diskstats")


def test_boot_log_names_each_disk_with_its_identify_data(shell, mode):
    transfer = r"DMA \(UDMA5\)" if mode == "dma" else r"PIO \(16 sectors per interrupt\)"
    for name, (_, sectors) in DISKS.items():
        pattern = rf"{name}: QEMU HARDDISK, {sectors * SECTOR >> 20} MiB \({sectors} sectors\), LBA48, {transfer}"
        assert re.search(pattern, shell.boot_output), shell.boot_output
    assert "hdd:" not in shell.boot_output  # place 3 is free
    assert "/dev/hdd" not in shell.run("ls /dev")
    assert shell.run("ls /dev/hda /dev/hdb /dev/hdc").split() == ["/dev/hda", "/dev/hdb", "/dev/hdc"]


# (device, block size, skip, count): single sectors, odd counts, reads that
# cross 64 KiB boundaries at odd places, whole 64 KiB blocks, 1 MiB, the end.
READS = [
    ("hda", 512, 0, 1),
    ("hda", 512, 5, 3),
    ("hda", 512, 127, 2),        # sectors 127-128: across the first 64 KiB boundary
    ("hda", 1536, 41, 7),        # odd block size and count
    ("hda", 4096, 15, 2),        # 4 KiB blocks across 64 KiB
    ("hda", 65536, 3, 5),
    ("hda", 1048576, 1, 1),      # 1 MiB in one read
    ("hda", 512, 16383, 1),      # the last sector
    ("hdb", 512, 0, 7),          # the slave
    ("hdb", 4096, 511, 1),       # the slave's last 4 KiB
    ("hdc", 65536, 0, 16),       # the secondary channel
    ("hdc", 7680, 3, 11),        # 15 sectors at a time, crossing boundaries
]


def test_reads_match_the_image_at_many_offsets_and_sizes(shell, images):
    for device, block, skip, count in READS:
        expected = md5_of(images[device], skip * block, count * block)
        assert guest_md5(shell, device, block, skip, count) == expected, (device, block, skip, count)
    stats = diskstats(shell, "hda")
    assert stats[0] > 0 and stats[2] > 0  # reads completed, sectors read


def test_reads_at_and_beyond_the_end_are_short_not_hangs(shell, images):
    # From the last sector on, only what exists comes back; past the end, nothing.
    assert guest_read(shell, "hdb", 512, 4094, 8, summary="wc -c") == "1024"
    assert guest_read(shell, "hdb", 512, 4096, 1, summary="wc -c") == "0"
    assert guest_md5(shell, "hdb", 512, 4094, 2) == md5_of(images["hdb"], 4094 * SECTOR, 2 * SECTOR)


def test_master_slave_and_secondary_read_at_the_same_time(shell, images):
    # Three readers at once: hda and hdb share a channel, whose driver must
    # run one command at a time; hdc runs on the other channel meanwhile.
    command = ("busybox sh -c '"
               "busybox dd if=/dev/hda of=/tmp/a bs=65536 count=64 2>/dev/null & "
               "busybox dd if=/dev/hdb of=/tmp/b bs=4096 count=512 2>/dev/null & "
               "busybox dd if=/dev/hdc of=/tmp/c bs=32768 count=128 2>/dev/null & "
               "wait'")
    # Every reader finishes quietly: a crashed program is a failure here too.
    assert shell.run(command, timeout=180) == ""
    sums = shell.run("busybox md5sum /tmp/a /tmp/b /tmp/c").split()[0::2]
    assert sums == [md5_of(images["hda"], 0, 4 << 20), md5_of(images["hdb"], 0, 2 << 20),
                    md5_of(images["hdc"], 0, 4 << 20)]


def test_writes_reach_the_image_and_nothing_else_changes(shell, images):
    before = {name: open(path, "rb").read() for name, path in images.items()}
    commands = [
        # 37 sectors from hda to the secondary master, flushed (FLUSH CACHE).
        "busybox dd if=/dev/hda of=/dev/hdc bs=512 skip=10 seek=100 count=37 conv=notrunc,fsync",
        # 1 MiB in 64 KiB blocks, starting off a 64 KiB boundary of the disk.
        "busybox dd if=/dev/hda of=/dev/hdc bs=65536 skip=1 seek=20 count=16 conv=notrunc",
        # master to slave on the same channel.
        "busybox dd if=/dev/hda of=/dev/hdb bs=4096 skip=3 seek=7 count=9 conv=notrunc,fsync",
        # a few bytes in the middle of a sector (read-modify-write).
        "echo hello > /tmp/hello; busybox dd if=/tmp/hello of=/dev/hdc bs=1 seek=1000 conv=notrunc",
    ]
    for command in commands:
        assert "records out" in shell.run(command, timeout=120), command
    # The guest reads back what it wrote (from the disk: the device file has no cache).
    assert guest_md5(shell, "hdc", 512, 100, 37) == md5_of(images["hda"], 10 * SECTOR, 37 * SECTOR)
    assert diskstats(shell, "hdc")[15] >= 1  # flushes completed (FLUSH CACHE)
    status, _ = shell.poweroff()
    assert status == 0

    expected_hdc = bytearray(before["hdc"])
    expected_hdc[100 * SECTOR:137 * SECTOR] = before["hda"][10 * SECTOR:47 * SECTOR]
    expected_hdc[20 * 65536:36 * 65536] = before["hda"][65536:17 * 65536]
    expected_hdc[1000:1006] = b"hello\n"
    expected_hdb = bytearray(before["hdb"])
    expected_hdb[7 * 4096:16 * 4096] = before["hda"][3 * 4096:12 * 4096]
    after = {name: open(path, "rb").read() for name, path in images.items()}
    assert after["hda"] == before["hda"]
    assert after["hdb"] == bytes(expected_hdb)
    assert after["hdc"] == bytes(expected_hdc)


def test_iso_boot_skips_the_cdrom_and_reads_the_disk(make_machine, tmp_path):
    # Booted through GRUB from the CD-ROM, which QEMU puts on the secondary
    # master: an ATAPI device, reported and left alone.
    image = make_image(tmp_path / "hda.img", 0xA1, 2048)
    shell = make_machine(mode="iso", ata_disks=[image]).boot()
    assert re.search(r"hdc: ATAPI device \(master\), skipped", shell.boot_output), shell.boot_output
    assert re.search(r"hda: QEMU HARDDISK, 1 MiB \(2048 sectors\)", shell.boot_output)
    assert "hdc" not in shell.run("ls /dev").split()
    assert guest_md5(shell, "hda", 4096, 1, 100) == md5_of(image, 4096, 409600)


def test_lba48_reads_and_writes_beyond_128_gib(make_machine, tmp_path, mode):
    # A sparse 130 GiB disk: sectors from 2**28 on need 48-bit commands.
    path = tmp_path / "big.img"
    with open(path, "wb") as f:
        f.truncate(130 << 30)
        f.seek(((1 << 28) + 5) * SECTOR)
        f.write(b"".join(sector_bytes(0xEE, (1 << 28) + 5 + i) for i in range(4)))
    shell = make_machine(append=("init=/bin/init " + MODES[mode]).strip(), ata_disks=[str(path)]).boot()
    assert re.search(r"hda: QEMU HARDDISK, 133120 MiB \(272629760 sectors\), LBA48", shell.boot_output)
    assert guest_md5(shell, "hda", 512, (1 << 28) + 5, 4) == md5_of(path, ((1 << 28) + 5) * SECTOR, 4 * SECTOR)
    # Copy them further up, across the 2**28 + 8 sector mark, and flush.
    output = shell.run(f"busybox dd if=/dev/hda of=/dev/hda bs=512 skip={(1 << 28) + 5} seek={(1 << 28) + 100}"
                       " count=4 conv=notrunc,fsync")
    assert "4+0 records out" in output
    assert shell.poweroff()[0] == 0
    expected = b"".join(sector_bytes(0xEE, (1 << 28) + 5 + i) for i in range(4))
    assert md5_of(path, ((1 << 28) + 100) * SECTOR, 4 * SECTOR) == hashlib.md5(expected).hexdigest()


BLKDEBUG_RULES = """
[inject-error]
event = "read_aio"
errno = "5"
sector = "{read_sector}"
once = "off"

[inject-error]
event = "write_aio"
errno = "5"
sector = "{write_sector}"
once = "off"
"""


def test_device_errors_become_eio_after_a_retry_and_the_disk_recovers(make_machine, tmp_path, images, mode):
    # QEMU's blkdebug layer fails every read of sector 100 and every write
    # of sector 200 of hdc; the device reports ERR to the driver, which
    # resets the channel, retries once, then returns EIO and logs the sector.
    rules = tmp_path / "blkdebug.conf"
    rules.write_text(BLKDEBUG_RULES.format(read_sector=100, write_sector=200))
    faulty = f"blkdebug:{rules}:{images['hdc']}"
    shell = make_machine(append=("init=/bin/init " + MODES[mode]).strip(),
                         ata_disks=[images["hda"], None, faulty]).boot()
    output = shell.run("busybox dd if=/dev/hdc of=/tmp/read bs=512 skip=100 count=1; echo status $?")
    assert "Input/output error" in output and "status 1" in output
    assert re.search(r"hdc: .*at sector 100 in a read .*resetting the channel and retrying", output)
    assert re.search(r"hdc: I/O error: .*at sector 100 in a read", output)
    # Writes are asynchronous: as on Linux, their error is fsync's.
    output = shell.run("busybox dd if=/dev/hda of=/dev/hdc bs=512 seek=200 count=1 conv=notrunc,fsync; "
                       "echo status $?")
    assert "Input/output error" in output and "status 1" in output
    assert re.search(r"hdc: I/O error: .*at sector 200 in a write", output)
    # The channel works again, and the other one never noticed.
    assert guest_md5(shell, "hdc", 512, 96, 4) == md5_of(images["hdc"], 96 * SECTOR, 4 * SECTOR)
    assert guest_md5(shell, "hda", 512, 100, 1) == md5_of(images["hda"], 100 * SECTOR, SECTOR)
    assert diskstats(shell, "hdc")[0] >= 1


def test_without_ide_disks_no_device_appears_and_nothing_is_waited_for(make_machine):
    shell = make_machine(append="init=/bin/init").boot()
    assert not [name for name in shell.run("ls /dev").split() if name.startswith("hd")]
    # QEMU's pc machine has an empty CD-ROM drive on the secondary master
    # even without -cdrom; that one line is all the driver says.
    lines = [line for line in shell.boot_output.splitlines() if re.search(r"ata\d|hd[a-d]:|warning|error", line)]
    assert [re.sub(r"^\[[ .\d]*\] ", "", line).strip() for line in lines] == [
        "hdc: ATAPI device (master), skipped: only ATA disks are driven"], lines
    # An empty channel is told within the 2 ms of its reset, not after a
    # timeout: the whole probe of the controller, from the PCI function
    # before it to the line naming its driver, takes well under 0.5 s.
    def stamp(pattern):
        match = re.search(r"^\[\s*(\d+\.\d+)\] " + pattern, shell.boot_output, re.M)
        assert match, shell.boot_output
        return float(match.group(1))
    probe = stamp(r"pci 00:01\.1: 8086:7010 mass storage controller .*driver ata") - stamp(r"pci 00:01\.0: ")
    assert 0 <= probe < 0.5, shell.boot_output


def test_a_romfs_image_on_hda_mounts_and_reads_through_the_buffer_cache(make_machine, tmp_path, mode):
    # The whole stack above the driver: romfs on /dev/hda, its blocks
    # through the buffer cache and the request queue (from the monitor,
    # which mounts).
    tree = tmp_path / "tree"
    tree.mkdir()
    files = {"big": os.urandom(1_500_000), "small": os.urandom(7777)}
    for name, data in files.items():
        (tree / name).write_bytes(data)
    image = tmp_path / "romfs.img"
    subprocess.run(["genromfs", "-f", str(image), "-d", str(tree), "-V", "atadisk"], check=True)
    with open(image, "ab") as f:
        f.truncate(-(-os.path.getsize(image) // 65536) * 65536)
    monitor = make_machine(append=MODES[mode], ata_disks=[str(image)]).boot()
    assert "unknown" not in monitor.run("mount -t romfs /dev/hda /mnt/ata")
    output = monitor.run("run /bin/busybox md5sum /mnt/ata/big /mnt/ata/small", timeout=120)
    assert output.split()[0::2] == [hashlib.md5(files["big"]).hexdigest(), hashlib.md5(files["small"]).hexdigest()]
