"""Resource limits and the growing user stack on our kernel: /bin/limitcheck,
whose every check holds on a Linux host too (tests/user/test_limits.py),
must give the same verdicts here; Debian's bash recurses deeper than a
fixed 256 KiB stack allows; bash's `ulimit` reads and sets the limits."""
import os
import subprocess

from machine import BUILD

LIMITCHECK = os.path.join(BUILD, "user", "bin", "limitcheck")
RECURSION = "f() { if [ $1 -gt 0 ]; then f $(($1 - 1)); fi; }; f 5000; echo done"


def linux_verdicts():
    """The check names limitcheck reports on this Linux host (all "ok")."""
    output = subprocess.run([LIMITCHECK], stdout=subprocess.PIPE, timeout=120).stdout.decode()
    assert "limitcheck: 0 failed" in output, output
    return [line for line in output.splitlines() if line.startswith(("ok ", "FAIL "))]


def test_limitcheck_agrees_with_linux(make_machine):
    shell = make_machine(append="init=/bin/init").boot()
    output = shell.run("/bin/limitcheck", timeout=300)
    verdicts = [line for line in output.splitlines() if line.startswith(("ok ", "FAIL "))]
    assert verdicts == linux_verdicts(), output
    assert output.endswith("limitcheck: 0 failed\n"), output
    assert shell.run("echo $?") == "0\n"


def test_bash_recursion_grows_the_stack(make_machine):
    # 5000 calls of a bash function need about 5 MiB of stack: more than
    # 256 KiB (tests/user/test_limits.py shows it on the host), less than 8 MiB.
    shell = make_machine(append="init=/bin/init").boot()
    assert shell.run(f"/bin/bash --norc -c '{RECURSION}'", timeout=300) == "done\n"
    # Beyond a lowered limit the same recursion ends in SIGSEGV (128 + 11).
    output = shell.run(f"/bin/bash --norc -c 'ulimit -s 256; {RECURSION}'; echo status $?", timeout=300)
    assert output.endswith("status 139\n"), output


def test_bash_ulimit_reads_and_sets_limits(make_machine):
    shell = make_machine(append="init=/bin/init").boot()
    # Linux's defaults: an 8 MiB stack, no core files; the descriptor table's 256 files.
    assert shell.run("/bin/bash --norc -c 'ulimit -s; ulimit -Hs; ulimit -c; ulimit -n'") == \
        "8192\nunlimited\n0\n256\n"
    # Every program runs as root, which may raise a hard limit again
    # (Linux: with CAP_SYS_RESOURCE).
    assert shell.run("/bin/bash --norc -c 'ulimit -H -c 100 && ulimit -H -c unlimited && ulimit -Hc'") == \
        "unlimited\n"
    output = shell.run("/bin/bash --norc -c 'ulimit -n 300000000'; echo status $?")
    assert "Operation not permitted" in output and output.endswith("status 1\n"), output
    # A write past RLIMIT_FSIZE (1 KiB blocks in bash): the file stops at the
    # limit and SIGXFSZ ends the writer (128 + 25), as on the host.
    output = shell.run("/bin/bash --norc -c '(ulimit -f 1; printf %02000d 0 > /tmp/big); echo status $?; "
                       "wc -c < /tmp/big'")
    assert output.endswith("status 153\n1024\n"), output
