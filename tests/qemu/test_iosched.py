"""I/O schedulers in the running kernel, on RAM disks: iosched= on the
command line chooses every disk's scheduler, `iosched DEVICE` shows it as
Linux's sysfs file does, `iosched DEVICE NAME` switches one disk at run
time, and /proc/diskstats (and iostat) count the merges the scheduler made.

Where merges come from: a RAM disk completes each request inside
start_request, so its queue never holds two requests at once -- except
while it is plugged. Reads and writes of a block device file are
submitted one request per 4 KiB page under a plug (fs/devfs/
block_device_file.cpp), and read/write hand up to 64 KiB to the file in
one call (kernel/syscall/syscall_files.cpp), so each 64 KiB read of
`cat /dev/ram1` becomes 16 page requests that every scheduler merges into
one chain: 15 merges and one completed read per 64 KiB, deterministically.
(noop merges too; the schedulers differ in order, which a RAM disk cannot
show -- that is tested on the host, tests/host/io_scheduler_test.cpp.)
"""
import os

import pytest

DISK_BYTES = 1024 * 1024      # ram1: 16 reads of 64 KiB by cat
READ_BYTES = 64 * 1024
PAGES_PER_READ = READ_BYTES // 4096


@pytest.fixture
def ram1_image(tmp_path):
    path = tmp_path / "ram1.img"
    path.write_bytes(os.urandom(DISK_BYTES))
    return str(path)


def boot(make_machine, ram1_image, iosched):
    append = "init=/bin/init" + (f" iosched={iosched}" if iosched else "")
    return make_machine(append=append, extra_modules=[ram1_image]).boot()


def diskstats(machine, name):
    """The counters of one disk in /proc/diskstats (fields after the name)."""
    for line in machine.run("cat /proc/diskstats").splitlines():
        fields = line.split()
        if len(fields) > 3 and fields[2] == name:
            return [int(value) for value in fields[3:]]
    raise AssertionError(f"{name} not in /proc/diskstats")


def read_whole_disk_and_count(machine, name):
    """(reads completed, reads merged) that one `cat /dev/NAME` caused."""
    before = diskstats(machine, name)
    assert machine.run(f"cat /dev/{name} > /dev/null") == ""
    after = diskstats(machine, name)
    return after[0] - before[0], after[1] - before[1]


def test_iosched_on_the_command_line_sets_every_disk(make_machine, ram1_image):
    machine = boot(make_machine, ram1_image, "deadline")
    assert "block: I/O scheduler deadline for every disk" in machine.boot_output
    assert machine.run("iosched /dev/ram0") == "noop elevator [deadline]\n"
    assert machine.run("iosched /dev/ram1") == "noop elevator [deadline]\n"
    assert machine.poweroff()[0] == 0


def test_switching_at_run_time_and_merges_in_diskstats(make_machine, ram1_image):
    machine = boot(make_machine, ram1_image, "deadline")
    assert machine.run("iosched /dev/ram1 elevator") == ""
    assert machine.run("iosched /dev/ram1") == "noop [elevator] deadline\n"
    assert machine.run("iosched /dev/ram0") == "noop elevator [deadline]\n"   # only ram1 changed

    reads = DISK_BYTES // READ_BYTES
    assert read_whole_disk_and_count(machine, "ram1") == (reads, reads * (PAGES_PER_READ - 1))
    rows = [line.split() for line in machine.run("iostat ram1").splitlines()]
    assert rows[0][:5] == ["Device", "r", "w", "rrqm", "wrqm"]
    assert rows[1][0] == "ram1" and int(rows[1][3]) >= reads * (PAGES_PER_READ - 1)

    assert machine.run("iosched /dev/ram1 deadline") == ""
    assert machine.run("iosched /dev/ram1") == "noop elevator [deadline]\n"
    assert read_whole_disk_and_count(machine, "ram1") == (reads, reads * (PAGES_PER_READ - 1))
    assert machine.run("iosched /dev/ram1 noop") == ""
    assert machine.run("iosched /dev/ram1") == "[noop] elevator deadline\n"
    assert read_whole_disk_and_count(machine, "ram1") == (reads, reads * (PAGES_PER_READ - 1))
    assert machine.poweroff()[0] == 0


def test_iosched_errors(make_machine, ram1_image):
    machine = boot(make_machine, ram1_image, None)
    assert machine.run("iosched /dev/ram1") == "[noop] elevator deadline\n"
    assert machine.run("iosched /dev/ram1 cfq; echo status $?") == (
        "iosched: /dev/ram1: unknown I/O scheduler 'cfq' (choose from: [noop] elevator deadline)\nstatus 1\n")
    assert machine.run("iosched /dev/null; echo status $?") == (
        "iosched: /dev/null: not a disk of this kernel (no BLKIOSCHED ioctls here)\nstatus 1\n")
    assert machine.run("iosched /dev/ram9; echo status $?") == (
        "iosched: /dev/ram9: No such file or directory\nstatus 1\n")
    assert machine.run("iosched /dev/ram1") == "[noop] elevator deadline\n"
    assert machine.poweroff()[0] == 0


def test_an_unknown_iosched_at_boot_warns_and_keeps_noop(make_machine, ram1_image):
    machine = boot(make_machine, ram1_image, "anticipatory")
    assert "iosched=anticipatory: no such I/O scheduler" in machine.boot_output
    assert machine.run("iosched /dev/ram0") == "[noop] elevator deadline\n"
    assert machine.poweroff()[0] == 0
