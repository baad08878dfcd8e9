"""Signals on the real machine: handlers with Linux's frames, masks, faults
and interrupted calls (/bin/sigcheck, which passes on a Linux host too),
and programs that misbehave on purpose (/bin/fault) as the shell and the
kernel report them."""
import re

import pytest


@pytest.fixture
def shell(make_machine):
    return make_machine(append="init=/bin/init").boot()


def test_sigcheck_agrees_with_linux(machine):
    output = machine.run("run /bin/sigcheck", timeout=300)
    failures = [line for line in output.splitlines() if line.startswith("FAIL")]
    assert failures == [], output
    assert "sigcheck: 0 failed" in output
    assert "ok integer and x87 registers survive signals at any instruction" in output
    assert "up " in machine.run("uptime")  # and the kernel carries on


def test_faults_are_reported_by_the_kernel_and_the_shell(shell):
    output = shell.run("fault segv; echo $?")
    kernel_line = re.search(r"fault\[\d+\]: segfault at 0xdead000 ip 0x[0-9a-f]+ sp 0x[0-9a-f]+ in fault\n", output)
    assert kernel_line, output
    assert output[kernel_line.end():].endswith("Segmentation fault\n139\n"), output
    assert shell.run("fault null; echo $?").endswith("Segmentation fault\n139\n")
    output = shell.run("fault divide; echo $?")
    assert re.search(r"fault\[\d+\]: arithmetic fault at 0x[0-9a-f]+ ip ", output), output
    assert output.endswith("Floating point exception\n136\n"), output
    output = shell.run("fault illegal; echo $?")
    assert re.search(r"fault\[\d+\]: illegal instruction at 0x[0-9a-f]+ ip ", output), output
    assert output.endswith("Illegal instruction\n132\n"), output
    assert shell.run("fault abort; echo $?") == "Aborted\n134\n"
    assert shell.run("echo alive") == "alive\n"


def test_a_spinning_program_is_preempted_and_ctrl_c_ends_it(shell):
    # It spins without a system call: only an interrupt gets the CPU back.
    # The pipeline's second program says "ready" once fault runs (its
    # /proc/PID/stat counts time), then blocks; Ctrl-C goes to both.
    watcher = ("busybox sh -c 'until pid=$(busybox pidof fault); do :; done; "
               "until [ $(busybox cut -d\" \" -f14 /proc/$pid/stat) -gt 0 ]; do :; done; "
               "echo ready; exec busybox cat'")
    shell.type(f"fault loop | {watcher}\n")
    shell.expect(r"\r*\nready\r*\n")
    shell.type("\x03")
    shell.expect(r"# $", timeout=30)
    assert shell.run("echo $?") == "130\n"
    assert shell.run("echo alive") == "alive\n"


def test_the_shell_answers_while_a_program_spins(shell):
    shell.run("fault loop &")
    assert shell.run("sleep 1; echo awake") == "awake\n"
    assert "sigcheck: 0 failed" in shell.run("sigcheck", timeout=300)
    # Ctrl-C goes to the console's process group: the shell and init ignore
    # SIGINT, and so does the spinner, a background command (POSIX: a
    # command started with & ignores SIGINT when there is no job control).
    # kill ends it.
    # At the prompt, the line editor throws the line away and prompts again.
    shell.type("\x03")
    shell.expect(r"\^C\r*\n")
    shell.expect(r"# $")
    assert shell.run("kill $!; wait 2>/dev/null; echo reaped", timeout=30) == "reaped\n"
    assert shell.run("echo still here") == "still here\n"
