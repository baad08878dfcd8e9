"""Threads on our kernel, as Debian's glibc makes them: /usr/bin/pthreadcheck
(user/glibc/pthreadcheck.c, built against the cross compiler's static
glibc) prints one line per check whose text does not depend on timing, so
its output here must be exactly its output on the Linux host."""
import os
import subprocess

from machine import BUILD

PTHREADCHECK = os.path.join(BUILD, "user", "glibc", "pthreadcheck")


def linux_output():
    result = subprocess.run([PTHREADCHECK], stdout=subprocess.PIPE, timeout=120)
    assert result.returncode == 0, result.stdout.decode()
    return result.stdout.decode()


def test_pthreadcheck_agrees_with_linux(make_machine):
    shell = make_machine(append="init=/bin/init").boot()
    output = shell.run("/usr/bin/pthreadcheck", timeout=300)
    assert output == linux_output()
    assert shell.run("echo $?") == "0\n"
