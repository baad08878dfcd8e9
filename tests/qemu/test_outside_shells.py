"""Debian's static shells at our console: bash-static and busybox sh, run
interactively as a person would, on top of our shell.

Both are real programs we did not write (static glibc, i386). Interactive,
they ask much more of the kernel than a script does: the terminal's
settings (TCGETS/TCSETS, raw mode for their line editors), poll on the
console, process groups and the foreground group (TIOCSPGRP), signals from
the keyboard. Each test starts one, waits for its prompt, runs a command
and a pipeline, interrupts a program with Ctrl-C, and leaves with `exit`,
back to our shell. The binaries come from tools/fetch-debian-program
(`make build/bash-static/bash build/busybox/busybox`); the root image
holds them as /bin/bash and /bin/busybox.
"""
import os

import pytest

from machine import BUILD

SHELLS = {
    # name: (command line at our prompt, its prompt as a regular expression)
    "bash": ("bash --norc -i", r"bash-[0-9.]+# $"),
    "busybox": ("busybox sh -i", r"~ # "),  # HOME is /, so / is ~; then it asks where the cursor is
}


@pytest.fixture
def shell(make_machine):
    return make_machine(append="init=/bin/init").boot()


def start(machine, name):
    command, prompt = SHELLS[name]
    binary = {"bash": "bash", "busybox": "busybox"}[name]
    if not os.path.exists(os.path.join(BUILD, "rootfs", "bin", binary)):
        pytest.fail(f"the root image has no /bin/{binary}: see tools/fetch-debian-program")
    machine.type(f"cd /; {command}\n")
    started = machine.expect(prompt, timeout=60)
    # Every call it made at start is one the kernel has, or answers as
    # Linux would without it (no sockets: EAFNOSUPPORT, syscall_socket.cpp).
    assert "not implemented" not in started, started
    return prompt


def run(machine, prompt, command):
    """Types `command` at the outside shell; its output without echo and prompt."""
    machine.type(command + "\n")
    output = machine.expect(prompt, timeout=60).replace("\r", "")
    first_newline = output.find("\n")
    return output[first_newline + 1:]


@pytest.mark.parametrize("name", sorted(SHELLS))
def test_an_outside_shell_runs_commands_pipelines_and_ctrl_c(shell, name):
    prompt = start(shell, name)
    assert run(shell, prompt, "echo hello from $0") .startswith("hello from ")
    assert run(shell, prompt, "cat /etc/motd | wc -l").strip() == str(
        open(os.path.join(BUILD, "rootfs", "etc", "motd")).read().count("\n"))
    assert run(shell, prompt, "for i in 1 2 3; do printf '%s,' $i; done; echo") == "1,2,3,\n"
    # A foreground program interrupted by Ctrl-C: the outside shell's prompt
    # comes back and reports 130 (128 + SIGINT).
    shell.type("cat\n")
    shell.expect("cat\r*\n")
    shell.type("\x03")
    shell.expect(prompt, timeout=30)
    assert run(shell, prompt, "echo status $?") == "status 130\n"
    # exit leaves it; our own shell's prompt (the current directory) is back.
    shell.type("exit\n")
    shell.expect(r"\n/# $", timeout=30)
    assert shell.run("echo back in our shell") == "back in our shell\n"
