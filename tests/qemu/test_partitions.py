"""Partitions on the kernel: an MBR-partitioned disk image, made by sfdisk
at test time with every partition filled with its own random bytes, is
passed as the second Multiboot module, so it is ram1 and its partitions
ram1p1, ram1p2, ram1p3 (the extended one), ram1p5... Our dd, md5sum, cmp
and hexdump read them from the shell and the host checks the bytes; the
same test boots once and asks several questions, since a boot is the
expensive part. Also lspci against the machine QEMU emulates."""
import hashlib
import json
import os
import random
import re
import subprocess

import pytest

from machine import Machine  # tests/qemu is on the path (conftest.py)

SECTOR = 512
# (name, first sector, sectors); the extended partition ram1p3 spans
# 8192-14335 and shows as its first two sectors, as on Linux.
LAYOUT = """label: dos
unit: sectors
disk1 : start=2048, size=2048, type=83
disk2 : start=4096, size=4096, type=83
disk3 : start=8192, size=6144, type=5
disk5 : start=9216, size=1024, type=83
disk6 : start=11264, size=1024, type=83
disk7 : start=13312, size=1024, type=c
"""
PARTITIONS = {"ram1p1": (2048, 2048), "ram1p2": (4096, 4096), "ram1p3": (8192, 2),
              "ram1p5": (9216, 1024), "ram1p6": (11264, 1024), "ram1p7": (13312, 1024)}
# ram1p7 is made a copy of ram1p5: two partitions that cmp finds equal.
SAME_AS = {"ram1p7": "ram1p5"}


@pytest.fixture(scope="module")
def disk_image(tmp_path_factory):
    path = tmp_path_factory.mktemp("partitions") / "disk.img"
    with open(path, "wb") as image:
        image.truncate(16384 * SECTOR)
    subprocess.run(["sfdisk", "-q", str(path)], input=LAYOUT.encode(), check=True,
                   stdout=subprocess.DEVNULL)
    generator = random.Random(1321)
    contents = {}
    with open(path, "r+b") as image:
        for name, (start, count) in PARTITIONS.items():
            if name == "ram1p3":
                continue   # holds the first EBR
            contents[name] = contents[SAME_AS[name]] if name in SAME_AS else generator.randbytes(count * SECTOR)
            image.seek(start * SECTOR)
            image.write(contents[name])
    return str(path)


def image_bytes(path, start_sector, sectors):
    with open(path, "rb") as image:
        image.seek(start_sector * SECTOR)
        return image.read(sectors * SECTOR)


@pytest.fixture(scope="module")
def shell(disk_image, tmp_path_factory):
    # One machine for the module: conftest's make_machine is per test.
    machine = Machine(tmp_path_factory.mktemp("machine"), append="init=/bin/init", extra_modules=[disk_image])
    try:
        yield machine.boot()
    finally:
        machine.close()


def table_of_image(path):
    """The partitions as sfdisk reads them back from the image on the host:
    [(ram1pN, type as two hex digits, first sector, sectors)], the
    extended ones as Linux shows them (their first two sectors)."""
    dump = subprocess.run(["sfdisk", "--json", path], check=True, capture_output=True, text=True).stdout
    table = []
    for entry in json.loads(dump)["partitiontable"]["partitions"]:
        number = re.fullmatch(r".*?(\d+)", entry["node"][len(path):]).group(1)
        kind = int(entry["type"], 16)
        sectors = 2 if kind in (0x05, 0x0F, 0x85) else entry["size"]
        table.append((f"ram1p{number}", f"{kind:02x}", entry["start"], sectors))
    return table


def test_boot_registers_each_partition_of_the_module(shell, disk_image):
    # Exactly the partitions sfdisk wrote (read back from the image by
    # sfdisk itself), with their types, first and last sectors and sizes;
    # the empty fourth slot is none.
    table = table_of_image(disk_image)
    # The fixture filled the partitions at the places sfdisk gave them.
    assert [(name, start, count) for name, _, start, count in table] == \
        [(name, start, count) for name, (start, count) in PARTITIONS.items()]
    registered = re.findall(r"(ram1p\d+): partition of ram1, type 0x([0-9a-f]{2}), sectors (\d+)-(\d+) \((\d+) KiB\)",
                            shell.boot_output)
    expected = [(name, kind, str(start), str(start + count - 1), str(count * SECTOR // 1024))
                for name, kind, start, count in table]
    assert registered == expected, shell.boot_output


def test_dev_lists_the_partitions_with_their_sizes(shell):
    names = shell.run("ls /dev").split()
    # ram0 (the romfs root) has no table; ram1 has exactly sfdisk's partitions.
    assert sorted(name for name in names if name.startswith("ram")) == sorted(["ram0", "ram1", *PARTITIONS]), names
    stats = shell.run("stat /dev/ram1p2")
    assert "block special file" in stats


@pytest.mark.parametrize("name", ["ram1p1", "ram1p2", "ram1p5", "ram1p7"])
def test_dd_of_a_partition_piped_to_md5sum_equals_the_hosts(shell, disk_image, name):
    start, count = PARTITIONS[name]
    expected = hashlib.md5(image_bytes(disk_image, start, count)).hexdigest()
    assert shell.run(f"dd if=/dev/{name} bs=4096 status=none | md5sum") == f"{expected}  -\n"


def test_dd_reads_exactly_the_partitions_size(shell):
    output = shell.run("dd if=/dev/ram1p6 of=/dev/null bs=1000")
    assert "524+1 records in\n524+1 records out\n" in output
    assert re.search(r"^524288 bytes \(524 kB, 512 KiB\) copied, [0-9.]+ s, .*B/s$", output, re.M), output
    # A read that starts inside and runs past the end stops at the end...
    output = shell.run("dd if=/dev/ram1p5 of=/dev/null bs=512 skip=1023 count=4")
    assert "0+0 records in" not in output and "1+0 records in\n1+0 records out\n512 bytes" in output
    # ...and the extended partition is its first two sectors, the first EBR.
    assert "2+0 records in" in shell.run("dd if=/dev/ram1p3 of=/dev/null bs=512")


def test_hexdump_of_the_ebr_and_cmp_of_two_partitions(shell, disk_image):
    ebr = image_bytes(disk_image, 8192, 1)
    expected = subprocess.run(["hexdump", "-C"], input=ebr, stdout=subprocess.PIPE, check=True).stdout.decode()
    assert shell.run("dd if=/dev/ram1p3 bs=512 count=1 status=none | hexdump -C") == expected
    first, second = image_bytes(disk_image, 9216, 1024), image_bytes(disk_image, 11264, 1024)
    differ = next(i for i in range(len(first)) if first[i] != second[i]) + 1
    lines = first[:differ - 1].count(b"\n") + 1
    assert shell.run("cmp /dev/ram1p5 /dev/ram1p6; echo $?") == \
        f"/dev/ram1p5 /dev/ram1p6 differ: char {differ}, line {lines}\n1\n"
    # ram1p7 holds the same bytes as ram1p5 (checked on the host), at another place of the disk.
    assert image_bytes(disk_image, 13312, 1024) == first
    assert shell.run("cmp /dev/ram1p5 /dev/ram1p7; echo $?") == "0\n"


def test_writes_to_a_partition_land_inside_it(shell, disk_image):
    pattern_md5 = hashlib.md5(bytes(1024)).hexdigest()
    shell.run("dd if=/dev/zero of=/dev/ram1p7 bs=512 seek=1022 count=2 conv=notrunc status=none")
    assert shell.run("dd if=/dev/ram1p7 bs=512 skip=1022 status=none | md5sum") == f"{pattern_md5}  -\n"
    # The next partition's first bytes (none follows ram1p7 on the disk:
    # check ram1p6 is untouched instead) and a write past the end fails.
    expected = hashlib.md5(image_bytes(disk_image, 11264, 1024)).hexdigest()
    assert shell.run("dd if=/dev/ram1p6 bs=4096 status=none | md5sum") == f"{expected}  -\n"
    output = shell.run("dd if=/dev/zero of=/dev/ram1p7 bs=512 seek=1024 count=1 conv=notrunc; echo status $?")
    assert "status 1" in output and "0+0 records out" in output


def test_lspci_lists_the_ide_controller(shell):
    numeric = shell.run("lspci -n")
    assert "00:01.1 0101: 8086:7010\n" in numeric
    assert "00:01.1 mass storage controller [0101]: 8086:7010\n" in shell.run("lspci")
    devices = shell.run("cat /proc/bus/pci/devices")
    ide = [line for line in devices.splitlines() if line.startswith("0009\t80867010\t")]
    assert len(ide) == 1 and len(ide[0].split("\t")) == 18, devices
    assert shell.run("ls /proc/bus/pci/00").split()[0] == "00.0"
