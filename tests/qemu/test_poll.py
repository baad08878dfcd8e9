"""poll, ppoll, select and pselect6 on our kernel: /bin/pollcheck, whose
every check holds on a Linux host too (tests/user), must give the same
verdicts here; and Debian's static busybox `sh`, whose line editor polls
the console before every read, runs interactively on the console."""
import os
import subprocess

from machine import BUILD

POLLCHECK = os.path.join(BUILD, "user", "bin", "pollcheck")


def linux_verdicts():
    """The check names pollcheck reports on this Linux host (all "ok")."""
    output = subprocess.run([POLLCHECK, POLLCHECK], stdout=subprocess.PIPE, timeout=120).stdout.decode()
    assert "pollcheck: 0 failed" in output, output
    return [line for line in output.splitlines() if line.startswith(("ok ", "FAIL "))]


def test_pollcheck_agrees_with_linux(make_machine):
    shell = make_machine(append="init=/bin/init").boot()
    output = shell.run("/bin/pollcheck", timeout=300)
    verdicts = [line for line in output.splitlines() if line.startswith(("ok ", "FAIL "))]
    assert verdicts == linux_verdicts(), output
    assert output.endswith("pollcheck: 0 failed\n"), output
    assert shell.run("echo $?") == "0\n"


def test_busybox_sh_runs_interactively_on_the_console(make_machine):
    shell = make_machine(append="init=/bin/init").boot()
    shell.type("busybox sh\n")
    shell.expect(r"BusyBox v[0-9.]+ .*built-in shell \(ash\)", timeout=60)
    shell.expect(r"~ # ", timeout=60)
    shell.type("echo hello | busybox tr a-z A-Z\n")
    shell.expect(r"\nHELLO\r*\n", timeout=60)
    shell.expect(r"~ # ", timeout=60)
    shell.type("busybox echo $((6 * 7)) done\n")
    shell.expect(r"\n42 done\r*\n", timeout=60)
    shell.expect(r"~ # ", timeout=60)
    shell.type("exit 3\n")
    shell.expect(r"\n/# $", timeout=60)
    assert shell.run("echo $?") == "3\n"
