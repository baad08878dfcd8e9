"""Fixtures for the docs tier: a machine booted the way `make run` boots it.

`make run` boots the kernel with the root image and the two demo disks,
build/ata.img on the IDE primary master (/dev/hda) and build/virtio.img as
the first virtio-blk disk (/dev/vda); the default first program, /bin/init,
runs /etc/rc (which mounts the disks) and then the shell. A docs machine is
the same, booted with qemu -kernel (tests/qemu/machine.py), on fresh copies
of the two disk images, so an example that writes to a disk changes neither
build/ nor the next file's machine.
"""
import os
import re
import shutil
import sys

import pytest

TESTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TESTS, "qemu"))
from machine import BUILD, Machine  # noqa: E402

# A prompt at the end of what the machine printed so far: the shell's
# "CWD# " or the kernel monitor's "monitor# ", at the start of a line.
# Stricter than tests/qemu's "# $", because examples print lines such as
# "# comment" (cat /etc/rc) whose "# " must not end a command early.
# A command's output must therefore end with a newline.
PROMPT_AT_END = re.compile(r"(?:^|(?<=\n))(/\S*|monitor)# $")
BOOT_TIMEOUT = 180
COMMAND_TIMEOUT = 120


class DocsMachine:
    """One booted machine; `run` types a one-line command and returns what
    it printed (without the echo) and the prompt that followed."""

    def __init__(self, machine):
        self.machine = machine
        self.prompt = None

    def boot(self):
        self.machine.child.expect(PROMPT_AT_END, timeout=BOOT_TIMEOUT)
        self.prompt = self.machine.child.match.group(1)
        return self

    def run(self, command, timeout=COMMAND_TIMEOUT):
        child = self.machine.child
        child.send(command + "\n")
        # Up to the first newline is the line as the terminal drew it: the
        # line discipline's echo, or the line editor's (which redraws a line
        # longer than the screen, scrolled, with escape sequences and the
        # prompt again -- which must not count as the next prompt).
        child.expect("\n", timeout=timeout)
        if command.split()[:1] == ["poweroff"]:
            # The machine switches off: its last words are the output.
            status, rest = self.machine.wait_exit(timeout=timeout)
            self.prompt = None
            output = rest
        else:
            child.expect(PROMPT_AT_END, timeout=timeout)
            self.prompt = child.match.group(1)
            output = child.before
        return output.replace("\r", "")

    def poweroff(self):
        if self.prompt is None:
            return 0
        self.machine.child.send("poweroff\n")
        status, _ = self.machine.wait_exit(timeout=COMMAND_TIMEOUT)
        return status


@pytest.fixture
def docs_machine(tmp_path):
    """Boots a machine for one documentation file: docs_machine(append)."""
    machines = []

    def start(append=""):
        ata = tmp_path / "ata.img"
        virtio = tmp_path / "virtio.img"
        shutil.copy(os.path.join(BUILD, "ata.img"), ata)
        shutil.copy(os.path.join(BUILD, "virtio.img"), virtio)
        # Machine would add init=monitor; the docs' default is make run's.
        if "init=" not in append:
            append = ("init=/bin/init " + append).strip()
        machine = Machine(tmp_path, mode="kernel", append=append,
                          ata_disks=[str(ata)], virtio_disks=[str(virtio)])
        machines.append(machine)
        return DocsMachine(machine).boot()

    yield start
    for machine in machines:
        machine.close()
