"""The programs of user/glibc/ (built against the cross compiler's static
glibc) on the Linux host: each must print exactly its expected output,
user/glibc/expected/NAME.txt -- every check "ok". That file is then the
reference our kernel must match (tests/qemu/test_glibc_programs.py), and
this test is what proves it is Linux's behaviour.

Only where the host runs i386 programs itself: qemu-i386 (qemu-user) does
not implement the robust futex list and emulates threads and timers with
its own timing, so it cannot stand in for Linux here.

Run with Debian's interpreter from the repository root:
    /usr/bin/python3 -m pytest -q tests/user/test_glibc_programs.py
"""
import os
import subprocess

import pytest

import i386_programs

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GLIBC_BIN = os.path.join(ROOT, "build", "user", "glibc")
EXPECTED = os.path.join(ROOT, "user", "glibc", "expected")
PROGRAMS = ["pthreadcheck", "futexcheck", "timercheck", "abicheck"]


@pytest.fixture(scope="session", autouse=True)
def build():
    targets = [os.path.relpath(os.path.join(GLIBC_BIN, program), ROOT) for program in PROGRAMS]
    subprocess.run(["make", "-s", "-f", "user/user.mk", *targets], cwd=ROOT, check=True)


@pytest.mark.skipif(not i386_programs.NATIVE, reason="needs a host that runs i386 programs natively")
@pytest.mark.parametrize("program", PROGRAMS)
def test_linux_gives_the_expected_output(program):
    result = subprocess.run([os.path.join(GLIBC_BIN, program)], stdout=subprocess.PIPE, timeout=120)
    with open(os.path.join(EXPECTED, program + ".txt")) as expected:
        assert result.stdout.decode() == expected.read()
    assert result.returncode == 0


@pytest.mark.parametrize("program", PROGRAMS)
def test_every_expected_line_is_ok(program):
    with open(os.path.join(EXPECTED, program + ".txt")) as expected:
        lines = expected.read().splitlines()
    assert lines[-1] == f"{program}: all ok"
    assert all(line.endswith(": ok") for line in lines[:-1]), lines
