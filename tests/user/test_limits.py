"""The check program of resource limits and the growing stack (limitcheck),
run natively on the Linux host: Linux's answers are the reference that the
same binary must give on our kernel (tests/qemu/test_limits.py). And the
bash recursion that test runs there: on the host it needs more than a
256 KiB stack and fits in Linux's default 8 MiB.

Run with Debian's interpreter from the repository root:
    /usr/bin/python3 -m pytest -q tests/user/test_limits.py
"""
import os
import resource
import subprocess

import pytest

import i386_programs

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = i386_programs.BIN
BASH = os.path.join(ROOT, "build", "bash-static", "bash")
RECURSION = "f() { if [ $1 -gt 0 ]; then f $(($1 - 1)); fi; }; f 5000; echo done"


@pytest.fixture(scope="session", autouse=True)
def build():
    subprocess.run(["make", "-s", "-f", "user/user.mk", "user-programs"], cwd=ROOT, check=True)


def test_limitcheck_passes_on_linux():
    result = subprocess.run([os.path.join(BIN, "limitcheck")], stdout=subprocess.PIPE, timeout=120)
    output = result.stdout.decode()
    failed = [line for line in output.splitlines() if line.startswith("FAIL")]
    assert failed == [], output
    assert output.endswith("limitcheck: 0 failed\n"), output
    assert result.returncode == 0
    for check in ("stack 8 MiB: 100,000 frames end in SIGSEGV",
                  "stack 32 MiB (raised with setrlimit): 100,000 frames",
                  "stack exhausted: a SIGSEGV handler cannot run, SIGSEGV ends the program",
                  "RLIMIT_FSIZE: SIGXFSZ ends the writer",
                  "RLIMIT_NOFILE: open, dup, F_DUPFD, dup2 and pipe keep below the soft limit"):
        assert f"ok {check}\n" in output


def test_limitcheck_help():
    result = subprocess.run([os.path.join(BIN, "limitcheck"), "--help"], stdout=subprocess.PIPE, timeout=30)
    assert result.stdout.decode().startswith("usage: limitcheck\n")
    assert result.returncode == 0


def run_bash_with_stack(kib):
    def limit_stack():
        resource.setrlimit(resource.RLIMIT_STACK, (kib * 1024, resource.RLIM_INFINITY))
    return subprocess.run([BASH, "--norc", "-c", RECURSION], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          preexec_fn=limit_stack, timeout=120)


def test_bash_recursion_needs_more_than_256_kib_and_fits_in_8_mib():
    if not os.path.exists(BASH):
        pytest.fail(f"no {BASH}: see tools/fetch-debian-program")
    small = run_bash_with_stack(256)
    assert small.returncode == -11 and small.stdout == b""
    default = run_bash_with_stack(8192)
    assert default.returncode == 0 and default.stdout == b"done\n"
