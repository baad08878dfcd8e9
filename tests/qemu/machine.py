"""tests/qemu/machine.py -- drive one QEMU machine through its serial console.

A Machine boots the kernel with tools/run-qemu (the same script `make run`
uses), waits for the shell or monitor prompt (a line ending in "# "), types
commands and returns what they printed. Each Machine works in its own
temporary directory, so tests can run in parallel.
"""
import os
import re
import shutil
import signal
import time

import pexpect

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, "build")
PROMPT = re.compile(r"# $")
# Under TCG on a loaded 2-core machine a boot takes seconds; be generous.
BOOT_TIMEOUT = 120
COMMAND_TIMEOUT = 60


class Machine:
    def __init__(self, tmp_path, mode="kernel", append="", memory=128, accel="tcg", extra_modules=(),
                 root_image=None, ata_disks=(), virtio_disks=(), qemu_args=()):
        """mode "kernel" boots build/kernel.elf with qemu -kernel, passing
        `root_image` (default build/rootfs.romfs) and then `extra_modules`
        as Multiboot modules; mode "iso" boots build/os.iso through GRUB
        (its own modules). `ata_disks` are images for IDE places 0-3
        (hda..hdd; None leaves a place free), `virtio_disks` images for
        vda, vdb, ... (a ":ro" suffix attaches one read-only); they are used
        in place, not copied. `qemu_args` go to QEMU as they are (e.g.
        "-rtc", "base=1999-12-31T23:59:50")."""
        self.workdir = str(tmp_path)
        image = os.path.join(BUILD, "kernel.elf" if mode == "kernel" else "os.iso")
        # Our own copies: QEMU may lock or write its images.
        local = os.path.join(self.workdir, os.path.basename(image))
        shutil.copy(image, local)
        modules = []
        for module in [root_image or os.path.join(BUILD, "rootfs.romfs"), *extra_modules]:
            modules.append(os.path.join(self.workdir, os.path.basename(module)))
            shutil.copy(module, modules[-1])
        # Most tests talk to the kernel monitor; the shell's tests ask for
        # the default first program with init=/bin/init.
        if "init=" not in append:
            append = (append + " init=monitor").strip()
        env = dict(os.environ, ACCEL=accel, MEMORY=str(memory), APPEND=append, MODULES=",".join(modules),
                   ATA_DISKS=",".join(disk or "" for disk in ata_disks),
                   VIRTIO_DISKS=",".join(virtio_disks))
        self.started = time.monotonic()
        self.child = pexpect.spawn(os.path.join(ROOT, "tools", "run-qemu"), [mode, local, *qemu_args],
                                   env=env, cwd=self.workdir, encoding="utf-8",
                                   codec_errors="replace", timeout=COMMAND_TIMEOUT)
        self.child.logfile_read = open(os.path.join(self.workdir, "console.log"), "w")
        self.boot_output = ""
        self.seconds_to_prompt = None

    def wait_for_prompt(self, timeout=BOOT_TIMEOUT):
        self.child.expect(PROMPT, timeout=timeout)
        if self.seconds_to_prompt is None:
            self.seconds_to_prompt = time.monotonic() - self.started
            self.boot_output = self.child.before
        return self.child.before

    def boot(self):
        self.wait_for_prompt()
        return self

    def type(self, text):
        """Sends raw characters (control characters included), no newline."""
        self.child.send(text)

    def run(self, command, timeout=COMMAND_TIMEOUT):
        """Types a one-line command and returns its output, without the
        line as the terminal drew it: everything up to the first newline is
        the echo -- the line discipline's, or the shell's line editor's,
        which redraws a line longer than the screen (escape sequences)."""
        assert "\n" not in command, "run() types one line; use type() for more"
        self.child.send(command + "\n")
        # The drawn line ends at the first newline; before it, a redraw may
        # show the prompt again, which must not count as the next one.
        self.child.expect("\n", timeout=timeout)
        self.child.expect(PROMPT, timeout=timeout)
        output = "\n" + self.child.before.replace("\r", "")
        # The prompt's own start ("monitor" of "monitor# ") ends the text.
        return output[1:output.rfind("\n") + 1]

    def expect(self, pattern, timeout=COMMAND_TIMEOUT):
        self.child.expect(pattern, timeout=timeout)
        return self.child.before

    def wait_exit(self, timeout=COMMAND_TIMEOUT):
        """Waits for QEMU to exit; returns (exit status, remaining output)."""
        self.child.expect(pexpect.EOF, timeout=timeout)
        rest = self.child.before
        self.child.close()
        return self.child.exitstatus, rest

    def poweroff(self):
        self.child.send("poweroff\n")
        return self.wait_exit()

    def cut_power(self):
        """Ends QEMU with SIGKILL, as a power cut: no flush, no clean exit.
        The images keep what the guest's writes had reached (QEMU writes
        raw images with pwrite, so a completed write is in the host file)."""
        os.kill(self.child.pid, signal.SIGKILL)
        self.child.expect(pexpect.EOF, timeout=COMMAND_TIMEOUT)
        self.child.close()
        assert self.child.signalstatus == signal.SIGKILL, (self.child.exitstatus, self.child.signalstatus)

    def close(self):
        if self.child.isalive():
            self.child.terminate(force=True)
        self.child.logfile_read.close()
