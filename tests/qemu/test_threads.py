"""Kernel threads on the real machine: preemption, sleep, mutexes, timeouts."""
import re


def test_scheduler_self_tests_pass(machine):
    output = machine.run("selftest", timeout=120)
    for check in ["preemption", "mutex", "sleep", "wait-timeout"]:
        assert f"selftest: {check} ok" in output, output
    assert "selftest: 0 failed" in output
    spins = re.search(r"spinners counted (\d+), (\d+), (\d+)", output)
    assert spins and all(int(n) > 0 for n in spins.groups()), output


def memory_in_use(machine):
    output = machine.run("mem")
    free_kib = int(re.search(r"(\d+) KiB free", output).group(1))
    heap_bytes = int(re.search(r"kernel heap: (\d+) bytes in use", output).group(1))
    return free_kib, heap_bytes


def test_finished_threads_are_reaped_and_their_memory_returned(machine):
    before = memory_in_use(machine)
    machine.run("selftest", timeout=120)
    output = machine.run("threads")
    names = re.findall(r"^\s+\d+\s+\w+\s+\d+\s+\S+\s+(\S+)", output, re.M)
    assert names == ["idle", "init", "flusher"], output  # the threads that live from boot
    # Six threads came and went: their stacks (pages) and Thread objects
    # (heap) are all back.
    assert memory_in_use(machine) == before
