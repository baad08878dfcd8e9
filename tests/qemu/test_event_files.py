"""eventfd, timerfd and epoll on our kernel: /bin/eventcheck, whose every
check holds on a Linux host too (tests/user/test_event_files.py), must give
the same verdicts here; and epoll on the serial console."""
import os
import subprocess

from machine import BUILD

EVENTCHECK = os.path.join(BUILD, "user", "bin", "eventcheck")


def verdicts_of(output):
    return [line for line in output.splitlines() if line.startswith(("ok ", "FAIL "))]


def linux_verdicts():
    """The check names eventcheck reports on this Linux host (all "ok")."""
    output = subprocess.run([EVENTCHECK], stdout=subprocess.PIPE, timeout=120).stdout.decode()
    assert "eventcheck: 0 failed" in output, output
    return verdicts_of(output)


def test_eventcheck_agrees_with_linux(make_machine):
    shell = make_machine(append="init=/bin/init").boot()
    output = shell.run("/bin/eventcheck", timeout=300)
    assert verdicts_of(output) == linux_verdicts(), output
    assert output.endswith("eventcheck: 0 failed\n"), output
    assert shell.run("echo $?") == "0\n"


def test_epoll_on_the_console(make_machine):
    shell = make_machine(append="init=/bin/init").boot()
    output = shell.run("/bin/eventcheck --console")
    assert "FAIL" not in output and output.endswith("eventcheck: 0 failed\n"), output
