"""Debian's C library on our kernel: the programs of user/glibc/, built
against the cross compiler's static glibc, are in the root image's
/usr/bin. pthreadcheck (threads, mutexes, condition variables, cancel,
robust mutexes, exit and execve from a thread, memory changed under a
read), futexcheck (the raw futex, clone, clone3 and vfork calls under
them) and timercheck (POSIX timers, CPU-time clocks, sigwaitinfo,
sigqueue, sigaltstack) and abicheck (the old and the rarer calls of the
i386 table) print one line per check whose text does not depend on timing. Each must print exactly user/glibc/expected/NAME.txt, the
output that tests/user/test_glibc_programs.py gets on the Linux host."""
import os

import pytest

from machine import Machine

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXPECTED = os.path.join(ROOT, "user", "glibc", "expected")
PROGRAMS = ["pthreadcheck", "futexcheck", "timercheck", "abicheck"]


@pytest.fixture(scope="module")
def shell(tmp_path_factory):
    machine = Machine(tmp_path_factory.mktemp("glibc"), append="init=/bin/init").boot()
    yield machine
    machine.close()


@pytest.mark.parametrize("program", PROGRAMS)
def test_output_is_linux_output(shell, program):
    output = shell.run(f"/usr/bin/{program}", timeout=300)
    with open(os.path.join(EXPECTED, program + ".txt")) as expected:
        assert output == expected.read()
    assert shell.run("echo $?") == "0\n"
