"""Boot, the kernel monitor, panics and poweroff, checked on a real (emulated) PC."""
import re

import pytest


def uptime_seconds(output):
    match = re.search(r"up (\d+)\.(\d{3}) seconds", output)
    assert match, output
    return int(match.group(1)) + int(match.group(2)) / 1000


@pytest.mark.parametrize("mode", ["kernel", "iso"])
def test_boots_to_the_prompt_and_powers_off_with_status_0(make_machine, mode):
    machine = make_machine(mode=mode).boot()
    print(f"\n{mode}: {machine.seconds_to_prompt:.2f} s from QEMU start to the prompt (TCG)")
    # -kernel boots are given init=monitor by the tests; the ISO boots as a
    # user would: /etc/rc, then the shell.
    assert ("Kernel monitor" if mode == "kernel" else "rc: root file system ready") in machine.boot_output
    status, output = machine.poweroff()
    assert "Powering off." in output
    assert status == 0


def test_grub_boot_reports_grub_as_the_loader(make_machine):
    machine = make_machine(mode="iso").boot()
    assert "booted by GRUB" in machine.boot_output


@pytest.mark.parametrize("megabytes", [64, 256])
def test_reported_memory_matches_qemu_m(make_machine, megabytes):
    machine = make_machine(memory=megabytes).boot()
    output = machine.run("mem")
    match = re.search(r"memory: (\d+) MiB installed, (\d+) KiB usable, (\d+) KiB free", output)
    assert match, output
    installed, usable, free = (int(g) for g in match.groups())
    assert installed == megabytes
    # Usable RAM: all of it but the BIOS's and ACPI's few hundred KiB.
    assert megabytes * 1024 - 1024 <= usable <= megabytes * 1024
    assert 0 < free < usable


def test_uptime_advances_with_real_time(machine):
    first = uptime_seconds(machine.run("uptime"))
    machine.run("help")
    import time
    time.sleep(2)
    second = uptime_seconds(machine.run("uptime"))
    assert 1.5 <= second - first <= 30


def test_threads_lists_idle_and_the_running_init_thread(machine):
    output = machine.run("threads")
    assert re.search(r"^\s+0\s+runnable\s+\d+\s+\d+/16384\s+idle$", output, re.M), output
    assert re.search(r"^\s+1\s+runnable\s+\d+\s+\d+/16384\s+init \(running\)$", output, re.M), output


def test_the_page_cache_and_its_flusher_thread_start_at_boot(machine):
    threads = machine.run("threads")
    assert re.search(r"^\s+\d+\s+\w+\s+\d+\s+\d+/\d+\s+flusher$", threads, re.M), threads
    assert "page cache: flusher thread started" in machine.run("log")
    memory = machine.run("mem")
    match = re.search(r"page cache: (\d+) of (\d+) pages, (\d+) dirty", memory)
    assert match, memory
    assert int(match.group(2)) >= 256 and int(match.group(3)) == 0
    assert "clean pages and" in machine.run("dropcaches")


def test_unknown_command_is_reported(machine):
    assert "frobnicate: unknown command (try help)" in machine.run("frobnicate")


def test_help_lists_every_command(machine):
    output = machine.run("help")
    for command in ["help", "mem", "uptime", "threads", "log", "panic", "crash", "poweroff"]:
        assert re.search(rf"^\s+{command}\s", output, re.M), command


def test_panic_prints_a_symbolized_backtrace_and_exits_with_status_3(machine):
    machine.type("panic the test asked for it\n")
    status, output = machine.wait_exit()
    assert "KERNEL PANIC: the" in output  # first word of the message
    assert "in thread 1 (init)" in output
    backtrace = output[output.index("Backtrace:"):]
    for function in ["command_panic", "run_monitor(void*)", "thread_entry"]:
        assert function in backtrace, backtrace
    # isa-debug-exit: the kernel writes 1 to port 0xf4, QEMU exits with (1 << 1) | 1.
    assert status == 3


def test_null_dereference_is_reported_as_a_page_fault(machine):
    machine.type("crash null\n")
    status, output = machine.wait_exit()
    assert "KERNEL PANIC: page fault at address 0: kernel read of a non-present page" in output
    assert re.search(r"Faulting instruction: .*command_crash", output), output
    # isa-debug-exit: the kernel writes 1 to port 0xf4, QEMU exits with (1 << 1) | 1.
    assert status == 3


def test_kernel_stack_overflow_hits_the_guard_page(machine):
    machine.type("crash stack\n")
    status, output = machine.wait_exit()
    assert "KERNEL PANIC: double fault: kernel stack overflow" in output
    assert "recurse_forever" in output
    # isa-debug-exit: the kernel writes 1 to port 0xf4, QEMU exits with (1 << 1) | 1.
    assert status == 3


def test_divide_error_names_the_exception(machine):
    machine.type("crash divide\n")
    status, output = machine.wait_exit()
    assert "KERNEL PANIC: divide error (vector 0)" in output
    # isa-debug-exit: the kernel writes 1 to port 0xf4, QEMU exits with (1 << 1) | 1.
    assert status == 3


def test_quiet_hides_informational_messages(make_machine):
    machine = make_machine(append="quiet").boot()
    assert "paging:" not in machine.boot_output
    assert "Kernel monitor" in machine.boot_output
    # Still in the kernel log.
    assert "paging: direct map" in machine.run("log")


def test_unknown_init_program_falls_back_to_the_monitor(make_machine):
    machine = make_machine(append="init=/bin/nothing").boot()
    assert "cannot start /bin/nothing: No such file or directory; starting the kernel monitor" in machine.boot_output


def test_command_line_reaches_the_kernel(make_machine):
    machine = make_machine(append="iosched=deadline color=blue").boot()
    assert re.search(r"command line: .*iosched=deadline color=blue", machine.boot_output)


def test_words_after_the_separator_are_the_first_programs_arguments(make_machine):
    machine = make_machine(append="init=/bin/echo quiet -- first second=2").boot()
    assert "first second=2" in machine.boot_output
    assert "/bin/echo ended (wait status 0); starting the kernel monitor" in machine.boot_output
