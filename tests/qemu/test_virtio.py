"""virtio-blk disks: reads, writes, flush and read-only, checked on the host.

Each disk image is made here with a known pattern: every 512-byte sector
starts with "<tag> sector <number>" and is filled with bytes computed from
the sector number and the disk's tag, so any misplaced, repeated or lost
sector changes a checksum. busybox dd reads and writes /dev/vdX through the
block device file (fs/devfs/block_device_file.cpp: synchronous
BlockDevice::read/write, through the request queue to the driver), so
after `poweroff` the bytes are in the image files and Python checks them.
"""
import hashlib
import re

SECTOR = 512


def sector_bytes(number, tag):
    head = b"%s sector %08d " % (tag, number)
    body = bytes((number * 7 + i + tag[0]) & 0xFF for i in range(SECTOR - len(head)))
    return head + body


def make_disk(path, sectors, tag):
    with open(path, "wb") as f:
        for number in range(sectors):
            f.write(sector_bytes(number, tag))
    return str(path)


def boot(make_machine, root, disks):
    # make_machine (conftest.py) closes the machine even when a test fails.
    return make_machine(append="init=/bin/init", root_image=root, virtio_disks=disks).boot()


def guest_md5(machine, device, bs, skip, count):
    # Through a file in /tmp rather than a pipe: one program at a time.
    output = machine.run(f"busybox dd if={device} of=/tmp/read bs={bs} skip={skip} count={count} 2>/dev/null; "
                         "busybox md5sum /tmp/read", timeout=120)
    return output.split()[0]


def host_md5(image, bs, skip, count):
    with open(image, "rb") as f:
        f.seek(bs * skip)
        return hashlib.md5(f.read(bs * count)).hexdigest()


# (block size, skip, count): one sector, odd counts, across and at 64 KiB
# boundaries (a segment's limit), 128 KiB (a request's), 1 MiB at once.
READS = [
    (512, 0, 1), (512, 5, 1), (512, 127, 3), (512, 129, 7), (512, 255, 2),
    (4096, 15, 3), (4096, 16, 16), (4096, 31, 33), (65536, 1, 1), (65536, 3, 2),
    (1048576, 1, 1), (1048576, 0, 4), (512, 16383, 1),
]


def test_reads_two_disks_and_a_read_only_one_refuses_writes(tmp_path, make_machine, busybox_root):
    disk_a = make_disk(tmp_path / "a.img", 16384, b"A")  # 8 MiB
    disk_b = make_disk(tmp_path / "b.img", 4096, b"B")   # 2 MiB, read-only
    before_a, before_b = open(disk_a, "rb").read(), open(disk_b, "rb").read()
    machine = boot(make_machine, busybox_root, [disk_a, disk_b + ":ro"])
    assert re.search(r"vda: virtio-blk, 8 MiB, seg_max \d+, .*depth \d+, flush, irq \d+", machine.boot_output)
    assert re.search(r"vdb: virtio-blk, 2 MiB, seg_max \d+, .*, read-only, irq \d+", machine.boot_output)

    for bs, skip, count in READS:
        assert guest_md5(machine, "/dev/vda", bs, skip, count) == host_md5(disk_a, bs, skip, count), (bs, skip, count)
    for bs, skip, count in [(512, 0, 1), (512, 4095, 1), (4096, 100, 11), (1048576, 0, 2)]:
        assert guest_md5(machine, "/dev/vdb", bs, skip, count) == host_md5(disk_b, bs, skip, count), (bs, skip, count)
    # The first bytes of a sector, as text: the right sector came back.
    assert machine.run("busybox dd if=/dev/vdb of=/tmp/sector bs=512 skip=77 count=1 2>/dev/null; "
                       "busybox head -c 17 /tmp/sector; echo").startswith("B sector 00000077")

    # Two readers at once on the same disk: requests from both are in flight together.
    machine.run("busybox rm /tmp/read /tmp/sector")
    machine.run("busybox sh -c 'busybox dd if=/dev/vda of=/tmp/one bs=4096 count=1024 2>/dev/null & "
                "busybox dd if=/dev/vda of=/tmp/two bs=65536 count=64 2>/dev/null; wait'", timeout=120)
    whole = hashlib.md5(before_a[:4 << 20]).hexdigest()
    assert machine.run("busybox md5sum /tmp/one /tmp/two").split() == [whole, "/tmp/one", whole, "/tmp/two"]

    refused = machine.run("busybox dd if=/dev/vda of=/dev/vdb bs=512 count=1 conv=notrunc; echo status $?")
    assert "Read-only file system" in refused
    assert "status 1" in refused
    assert machine.run("busybox dd if=/dev/vda of=/dev/vda bs=512 count=1 seek=9 conv=notrunc 2>/dev/null; echo $?") \
        == "0\n"
    status, _ = machine.poweroff()
    assert status == 0
    assert open(disk_b, "rb").read() == before_b
    after_a = open(disk_a, "rb").read()
    assert after_a[9 * SECTOR:10 * SECTOR] == before_a[:SECTOR]
    assert after_a[:9 * SECTOR] + after_a[10 * SECTOR:] == before_a[:9 * SECTOR] + before_a[10 * SECTOR:]


def test_writes_at_offsets_reach_the_image(tmp_path, make_machine, busybox_root):
    disk_a = make_disk(tmp_path / "a.img", 8192, b"A")
    disk_b = make_disk(tmp_path / "b.img", 8192, b"B")
    source, expected = open(disk_a, "rb").read(), bytearray(open(disk_b, "rb").read())
    machine = boot(make_machine, busybox_root, [disk_a, disk_b])

    def copy(bs, skip, seek, count, extra=""):
        output = machine.run(f"busybox dd if=/dev/vda of=/dev/vdb bs={bs} skip={skip} seek={seek} count={count} "
                             f"conv=notrunc{extra} 2>/dev/null; echo status $?", timeout=120)
        assert output.endswith("status 0\n"), output
        expected[bs * seek:bs * (seek + count)] = source[bs * skip:bs * (skip + count)]

    copy(512, 0, 1, 1)
    copy(512, 10, 127, 3)        # across a 64 KiB boundary
    copy(4096, 3, 200, 33)       # more than one request
    copy(65536, 1, 40, 2)
    copy(1048576, 0, 3, 1, ",fsync")  # fsync: the device gets a FLUSH
    copy(100, 7, 3001, 5)        # partial sectors: read-modify-write
    # Bytes typed into the middle of a sector.
    assert machine.run("echo hello virtio | busybox dd of=/dev/vdb bs=1 seek=1000003 conv=notrunc 2>/dev/null; "
                       "echo status $?") == "status 0\n"
    expected[1000003:1000003 + 13] = b"hello virtio\n"
    # /proc/diskstats: vdb completed writes, and the fsync's flush (the
    # last two fields are flushes completed and their milliseconds).
    stats = {line.split()[2]: line.split() for line in machine.run("busybox cat /proc/diskstats").splitlines()}
    assert int(stats["vdb"][7]) >= 6 and int(stats["vdb"][-2]) >= 1, stats["vdb"]
    # The guest reads back what it wrote before the machine goes down.
    assert guest_md5(machine, "/dev/vdb", 1048576, 0, 4) == hashlib.md5(expected).hexdigest()
    status, _ = machine.poweroff()
    assert status == 0
    assert open(disk_b, "rb").read() == bytes(expected)
    assert open(disk_a, "rb").read() == source


def test_a_device_error_is_eio_and_the_disk_goes_on(tmp_path, make_machine, busybox_root):
    # QEMU's blkdebug layer fails every read that touches sector 100; the
    # device answers VIRTIO_BLK_S_IOERR, which the driver turns into EIO.
    disk = make_disk(tmp_path / "a.img", 2048, b"A")
    rules = tmp_path / "blkdebug.conf"
    rules.write_text('[inject-error]\nevent = "read_aio"\nerrno = "5"\nsector = "100"\n')
    machine = boot(make_machine, busybox_root, [f"blkdebug:{rules}:{disk}"])
    failed = machine.run("busybox dd if=/dev/vda of=/tmp/x bs=512 skip=100 count=1; echo status $?")
    assert "Input/output error" in failed and "status 1" in failed
    # A read in 4 KiB steps stops at the bad one: the two before it arrive.
    machine.run("busybox dd if=/dev/vda of=/tmp/x bs=4096 skip=10 count=4 2>/dev/null")
    assert machine.run("busybox wc -c < /tmp/x") == "8192\n"
    assert guest_md5(machine, "/dev/vda", 512, 0, 100) == host_md5(disk, 512, 0, 100)
    assert guest_md5(machine, "/dev/vda", 512, 101, 1947) == host_md5(disk, 512, 101, 1947)
    status, _ = machine.poweroff()
    assert status == 0
