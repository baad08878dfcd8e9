"""tests/user/i386_programs.py -- how the user-program tests start our programs.

Our programs are static i386 Linux ELF files. Most x86-64 Linux hosts run
them natively; some cannot (a kernel built without 32-bit support, or a
hypervisor guest that refuses i386 code: execve fails with ENOEXEC, "Exec
format error"). There every program runs under `qemu-i386` (Debian's
qemu-user), which emulates the i386 CPU and passes the system calls on to
the host kernel.

The choice is made once, by trying build/user/bin/true, and can be forced
with USER_RUNNER=native or USER_RUNNER=qemu-i386 in the environment.

  ELF_BIN   the directory of the real ELF files (for file/readelf checks and
            for checksums computed on the host)
  BIN       the directory to run programs from: ELF_BIN itself, or, under
            qemu-i386, a directory of small host launchers of the same names,
            so that a program found through PATH -- also by our own shell,
            env or find, which exec each other -- still runs under qemu-i386
            (qemu-user cannot follow an execve into another i386 program; a
            launcher is a host program it can start: qemu_i386_launcher.c).
  runnable(path) the path to run for any i386 ELF file of the build.

What must stay true: a reference that a test compares against is computed
on the host (host tools, hashlib), never by a program run through here.
"""
import errno
import os
import re
import shutil
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ELF_BIN = os.path.join(ROOT, "build", "user", "bin")
LAUNCHERS = os.path.join(ROOT, "build", "user", "qemu-i386-bin")
QEMU_I386 = shutil.which("qemu-i386") or "/usr/bin/qemu-i386"


def host_runs_i386():
    """True when this host executes i386 ELF files itself."""
    forced = os.environ.get("USER_RUNNER", "")
    if forced in ("native", "qemu-i386"):
        return forced == "native"
    probe = os.path.join(ELF_BIN, "true")
    try:
        return subprocess.run([probe], timeout=30).returncode == 0
    except OSError as error:
        if error.errno == errno.ENOEXEC:
            return False
        raise


# Built before anything is looked at (quick when up to date).
subprocess.run(["make", "-s", "-f", "user/user.mk", "user-programs", "user-tests"], cwd=ROOT, check=True)
NATIVE = host_runs_i386()
RUNNER = "native" if NATIVE else "qemu-i386"


def launcher_program():
    """The host launcher (tests/user/qemu_i386_launcher.c), compiled once."""
    compiled = os.path.join(LAUNCHERS, ".launcher")
    source = os.path.join(ROOT, "tests", "user", "qemu_i386_launcher.c")
    if not os.path.exists(compiled) or os.path.getmtime(compiled) < os.path.getmtime(source):
        if not os.access(QEMU_I386, os.X_OK):
            raise RuntimeError("this host cannot execute i386 programs and qemu-i386 is missing: "
                               "run tools/install-deps (Debian package qemu-user)")
        os.makedirs(LAUNCHERS, exist_ok=True)
        temporary = compiled + f".{os.getpid()}"
        subprocess.run(["cc", "-O2", "-o", temporary, f'-DQEMU_I386="{QEMU_I386}"',
                        f'-DUSER_BUILD="{os.path.join(ROOT, "build", "user")}"', source], check=True)
        os.replace(temporary, compiled)
    return compiled


def runnable(path):
    """The command that runs the i386 ELF file at `path` on this host."""
    if NATIVE:
        return path
    relative = os.path.relpath(path, os.path.join(ROOT, "build", "user"))
    name = relative[len("bin/"):] if relative.startswith("bin/") else relative.replace(os.sep, "__")
    launcher = os.path.join(LAUNCHERS, name)
    compiled = launcher_program()
    if not os.path.exists(launcher) or os.path.getmtime(launcher) < os.path.getmtime(compiled):
        temporary = launcher + f".{os.getpid()}"
        shutil.copy(compiled, temporary)
        os.replace(temporary, launcher)
    return launcher


def make_launchers():
    """Under qemu-i386, a launcher for every program in ELF_BIN."""
    if not NATIVE:
        for name in sorted(os.listdir(ELF_BIN)):
            runnable(os.path.join(ELF_BIN, name))


make_launchers()
BIN = ELF_BIN if NATIVE else LAUNCHERS


# qemu-i386 tells on stderr of each program a signal ended ("qemu: uncaught
# target signal 11 (Segmentation fault) - core dumped"), where a native
# run prints nothing: the emulator's note, not the program's, so the tests
# leave it out before they compare.
EMULATOR_NOTE = re.compile(rb"^qemu: uncaught target signal \d+ \([^)]*\) - core dumped\n", re.MULTILINE)


def without_emulator_notes(stderr):
    """stderr (bytes or text) without qemu-i386's own notes."""
    if NATIVE or stderr is None:
        return stderr
    if isinstance(stderr, str):
        return EMULATOR_NOTE.sub(b"", stderr.encode()).decode()
    return EMULATOR_NOTE.sub(b"", stderr)
