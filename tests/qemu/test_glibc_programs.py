"""Debian's C library on our kernel: the programs of user/glibc/, built
against the cross compiler's static glibc, are in the root image's
/usr/bin. pthreadcheck (threads, mutexes, condition variables, cancel,
robust mutexes, exit and execve from a thread), futexcheck (the raw futex,
clone, clone3 and vfork calls under them) and timercheck (POSIX timers,
CPU-time clocks, sigwaitinfo, sigqueue, sigaltstack) print one line per
check whose text does not depend on timing, so each program's output here
must be exactly its output on the Linux host."""
import os
import subprocess

import pytest

from machine import BUILD, Machine

PROGRAMS = ["pthreadcheck", "futexcheck", "timercheck"]


def linux_output(program):
    result = subprocess.run([os.path.join(BUILD, "user", "glibc", program)], stdout=subprocess.PIPE, timeout=120)
    assert result.returncode == 0, result.stdout.decode()
    return result.stdout.decode()


@pytest.fixture(scope="module")
def shell(tmp_path_factory):
    machine = Machine(tmp_path_factory.mktemp("glibc"), append="init=/bin/init").boot()
    yield machine
    machine.close()


@pytest.mark.parametrize("program", PROGRAMS)
def test_agrees_with_linux(shell, program):
    output = shell.run(f"/usr/bin/{program}", timeout=300)
    assert output == linux_output(program)
    assert shell.run("echo $?") == "0\n"
