"""The system-call fuzzer (tests/fuzz/syscall_fuzz.c) against the booted
kernel: random calls with random and hostile arguments, in forked children.

The kernel passes when none of it brings it down: no KERNEL PANIC and no
fall into the kernel monitor on the console, every child the fuzzer started
was reaped (it prints the counts), no memory went missing (MemFree after
the run, against after a short warm-up run that fills the kernel's caches
of names and pages), the shell still runs commands afterwards, `poweroff`
is clean, and host `e2fsck -fn` finds both mounted disks clean.
The fuzzer is a test program, not one of /bin's: this test packs it into a
root image of its own. `make test` makes 20,000 calls (SYSCALL_FUZZ_CALLS),
`make test-long` 200,000; SYSCALL_FUZZ_SEED picks the seed. To find the
call that hurt the kernel, run the child the fuzzer names with
`syscall_fuzz -s SEED -c CHILD -v` (every call printed before it is made).

    /usr/bin/python3 -m pytest -q tests/qemu/test_syscall_fuzz.py
"""
import os
import re
import shutil

from conftest import root_image_with
from disk_checks import assert_fsck_clean
from machine import BUILD

FUZZER = os.path.join(BUILD, "user", "tests", "syscall_fuzz")
CALLS = int(os.environ.get("SYSCALL_FUZZ_CALLS", "20000"))
SEED = int(os.environ.get("SYSCALL_FUZZ_SEED", "1"))
# Under TCG, with the children's forks and the scratch directory's cleanup.
SECONDS_PER_THOUSAND_CALLS = 15
TALLY = re.compile(r"syscall_fuzz: seed (\d+): (\d+) calls, started (\d+), reaped (\d+) \(.*\)")
KERNEL_DOWN = ["KERNEL PANIC", "starting the kernel monitor", "monitor# "]
WARM_UP_CALLS = 2000
# What the page cache and the kernel's caches may hold more after the run
# than after the warm-up; a page lost by every child shows above it at
# 20,000 calls (200 children), and anything lost per call far sooner.
MOST_KIB_MISSING = 2048


def free_kib(shell):
    shell.run("sync")
    meminfo = shell.run("cat /proc/meminfo")
    return int(re.search(r"^MemFree: +(\d+) kB$", meminfo, re.M).group(1))


def test_random_system_calls_leave_the_kernel_working(tmp_path, make_machine):
    assert os.path.exists(FUZZER), f"{FUZZER} is missing: make -f user/user.mk user-tests"
    disks = []
    for name in ["ata.img", "virtio.img"]:
        disks.append(str(tmp_path / name))
        shutil.copy(os.path.join(BUILD, name), disks[-1])
    (tmp_path / "root").mkdir()
    root = root_image_with(tmp_path / "root", {"/bin/syscall_fuzz": FUZZER})
    machine = make_machine(append="init=/bin/init", root_image=root, ata_disks=[disks[0]],
                           virtio_disks=[disks[1]])
    shell = machine.boot()
    timeout = 120 + CALLS * SECONDS_PER_THOUSAND_CALLS // 1000
    shell.run(f"/bin/syscall_fuzz -s {SEED + 1000} -n {WARM_UP_CALLS} > /dev/null", timeout=timeout)
    free_before = free_kib(shell)
    output = shell.run(f"/bin/syscall_fuzz -s {SEED} -n {CALLS}; echo status $?", timeout=timeout)
    tally = TALLY.search(output)
    assert tally, output[-3000:]
    seed, calls, started, reaped = map(int, tally.groups())
    assert seed == SEED and calls >= CALLS, tally.group(0)
    assert started == reaped, tally.group(0)
    assert output.endswith("status 0\n"), output[-3000:]
    missing = free_before - free_kib(shell)
    assert missing < MOST_KIB_MISSING, f"{missing} KiB less free memory after {calls} calls"
    # The machine still works: a pipeline, a file on each disk, a new process.
    assert shell.run("echo still here | wc -c") == "11\n"
    assert shell.run("echo written > /mnt/ata/after_fuzz; cat /mnt/ata/after_fuzz") == "written\n"
    # The fuzzer emptied and removed its scratch directory.
    assert shell.run("ls /tmp/syscall_fuzz") == "ls: /tmp/syscall_fuzz: No such file or directory\n"
    status, rest = shell.poweroff()
    log = open(os.path.join(machine.workdir, "console.log"), errors="replace").read()
    for sign in KERNEL_DOWN:
        assert sign not in log, f"{sign!r} on the console:\n{log[log.find(sign) - 2000:][:4000]}"
    assert status == 0, rest
    for disk in disks:
        assert_fsck_clean(disk)
